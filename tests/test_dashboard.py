"""The dashboard, run headless with AppTest on a small demo database, checked against plain SQL.

Expected figures come from SQL written from ``kpi-definitions.md`` and run with ``sqlite3`` on
the test database: they share nothing with the app but the file.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sqlite3
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple
from xml.etree import ElementTree

import polars as pl
import pytest
import sqlalchemy as sa
import streamlit.testing.v1.app_test as app_test_module
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from dashboard import data
from metrics import REGISTRY
from queries.contract import sqlalchemy_metadata

APP = Path(__file__).resolve().parents[1] / "dashboard" / "app.py"
PAGES = {
    "overview": "views/overview.py",
    "metric": "views/metric.py",
    "districts": "views/districts.py",
    "data quality": "views/data_quality.py",
    "catalogue": "views/catalogue.py",
}
SH_CASE = "(c.offence_code IN ('8Q', '8L', '8M') OR c.stalking_element = 1)"
CONTACT_TITLE = "Victims contacted within 24 hours"
FORCE = "All districts (force)"


# ---------------------------------------------------------------------------------------------
# Test databases and the app


@pytest.fixture(scope="session")
def clean_path(tmp_path_factory) -> Path:
    """A small demo database in which every row is valid (so plain SQL needs no validation)."""
    from demo.demo_data import generate_demo

    path = tmp_path_factory.mktemp("dashboard") / "clean.sqlite"
    generate_demo(path, crimes=12_000, seed=3)
    return path


@pytest.fixture(scope="session")
def dirty_path(tmp_path_factory) -> Path:
    """A small demo database with invalid rows of every kind, for the data quality page."""
    from demo.demo_data import generate_demo

    path = tmp_path_factory.mktemp("dashboard") / "dirty.sqlite"
    generate_demo(path, crimes=4_000, seed=5, dirty_fraction=0.03)
    return path


@pytest.fixture(scope="session")
def missing_table_path(tmp_path_factory) -> Path:
    """A database with every contract table but ``crimes``, which every source needs."""
    path = tmp_path_factory.mktemp("dashboard") / "no_victims.sqlite"
    engine = sa.create_engine(f"sqlite:///{path}")
    metadata = sqlalchemy_metadata()
    metadata.create_all(engine, tables=[t for t in metadata.sorted_tables if t.name != "crimes"])
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def empty_path(tmp_path_factory) -> Path:
    """Every contract table, no rows."""
    path = tmp_path_factory.mktemp("dashboard") / "empty.sqlite"
    engine = sa.create_engine(f"sqlite:///{path}")
    sqlalchemy_metadata().create_all(engine)
    engine.dispose()
    return path


Downloads = dict[str, bytes]


@pytest.fixture
def downloads(monkeypatch) -> Downloads:
    """Every file the app offers for download in a run, by its file name.

    A file built on the click (a callable ``data``) is built here as the click would build it.
    """
    files: Downloads = {}

    class Recording(MemoryMediaFileStorage):
        def load_and_get_id(self, path_or_data, mimetype, kind, filename=None):
            file_id = super().load_and_get_id(path_or_data, mimetype, kind, filename)
            if filename:
                files[filename] = self._files_by_id[file_id].content
            return file_id

    add_deferred = MediaFileManager.add_deferred

    def clicked(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        if file_name:
            data = data_callable()
            files[file_name] = data.encode("utf-8") if isinstance(data, str) else data
        return add_deferred(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", Recording)
    monkeypatch.setattr(MediaFileManager, "add_deferred", clicked)
    return files


class Query(NamedTuple):
    """What the URL asks for."""

    params: dict[str, str | list[str]]
    page: str = "overview"


@pytest.fixture
def open_app(monkeypatch, clean_path) -> Callable[..., AppTest]:
    """Open the app at a page with URL parameters, on the clean database unless told otherwise."""

    def open_(
        page: str = "overview",
        params: dict[str, str | list[str]] | None = None,
        database: Path | str | None = None,
    ) -> AppTest:
        url = database if isinstance(database, str) else f"sqlite:///{database or clean_path}"
        monkeypatch.setenv(data.DATABASE_URL_ENV, url)
        at = AppTest.from_file(str(APP), default_timeout=120)
        for key, value in (params or {}).items():
            at.query_params[key] = value
        at.run()
        if page != "overview":
            at.switch_page(PAGES[page]).run()
        return at

    return open_


# ---------------------------------------------------------------------------------------------
# Independent figures


def sql(path: Path, query: str, *args) -> list[tuple]:
    with sqlite3.connect(path) as connection:
        return connection.execute(query, args).fetchall()


def period_bounds(label: str) -> tuple[str, str]:
    """``2025/26 Q2`` or ``2025-06`` as [start, end) timestamps, worked out by hand."""
    if match := re.fullmatch(r"(\d{4})/\d{2} Q([1-4])", label):
        year, quarter = int(match[1]), int(match[2])
        month = 3 * quarter + 1
        start = dt.date(year + (month > 12), (month - 1) % 12 + 1, 1)
        months = 3
    else:
        year, month = map(int, label.split("-"))
        start, months = dt.date(year, month, 1), 1
    index = start.year * 12 + start.month - 1 + months
    end = dt.date(index // 12, index % 12 + 1, 1)
    return f"{start} 00:00:00", f"{end} 00:00:00"


def contact_within_24h(
    path: Path, label: str, district: str | None = None, domestic_abuse: bool | None = None
) -> tuple[int, int]:
    """Victims of S&H cases reported in the period, and those contacted within 24 hours."""
    start, end = period_bounds(label)
    where = [SH_CASE, "c.reported_at >= ?", "c.reported_at < ?"]
    args: list = [start, end]
    if district:
        where.append("c.district = ?")
        args.append(district)
    if domestic_abuse is not None:
        where.append("c.domestic_abuse = ?")
        args.append(int(domestic_abuse))
    [(numerator, denominator)] = sql(
        path,
        "SELECT COALESCE(SUM(v.first_contact_at IS NOT NULL AND "
        "strftime('%s', v.first_contact_at) - strftime('%s', c.reported_at) <= 86400), 0), "
        "COUNT(*) FROM victims v JOIN crimes c ON c.crime_id = v.crime_id "
        f"WHERE {' AND '.join(where)}",
        *args,
    )
    return numerator, denominator


def percent(numerator: int, denominator: int) -> str:
    return f"{100 * numerator / denominator:.1f}%"


def latest_complete_quarter(path: Path) -> str:
    """The label of the last quarter the data cover to its final day, worked out by hand."""
    [(latest,)] = sql(
        path,
        "SELECT MAX(d) FROM (SELECT MAX(reported_at) d FROM crimes UNION ALL "
        "SELECT MAX(recorded_at) FROM crimes UNION ALL SELECT MAX(applied_at) FROM "
        "protective_orders UNION ALL SELECT MAX(decided_at) FROM protective_orders)",
    )
    day = dt.date.fromisoformat(latest[:10])
    quarter_start = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    next_start = dt.date(
        quarter_start.year + (quarter_start.month == 10), (quarter_start.month + 2) % 12 + 1, 1
    )
    if day != next_start - dt.timedelta(days=1):
        quarter_start = dt.date(
            quarter_start.year - (quarter_start.month == 1), (quarter_start.month - 4) % 12 + 1, 1
        )
    year = quarter_start.year - (quarter_start.month < 4)
    quarter = {4: 1, 7: 2, 10: 3, 1: 4}[quarter_start.month]
    return f"{year}/{(year + 1) % 100:02d} Q{quarter}"


def year_before(label: str) -> str:
    year, quarter = re.fullmatch(r"(\d{4})/\d{2} Q([1-4])", label).groups()
    return f"{int(year) - 1}/{int(year) % 100:02d} Q{quarter}"


def card(at: AppTest, title: str):
    [metric] = [m for m in at.metric if m.label == title]
    return metric


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]


def xlsx_cells(content: bytes) -> list[str]:
    """Every cell of the first worksheet as text (shared strings resolved), in order."""
    namespace = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(io.BytesIO(content)) as workbook:
        strings = [
            "".join(node.itertext())
            for node in ElementTree.fromstring(workbook.read("xl/sharedStrings.xml")).findall(
                "m:si", namespace
            )
        ]
        sheet = ElementTree.fromstring(workbook.read("xl/worksheets/sheet1.xml"))
    cells = []
    for cell in sheet.iter(f"{{{namespace['m']}}}c"):
        value = cell.find("m:v", namespace)
        if value is None:
            continue
        cells.append(strings[int(value.text)] if cell.get("t") == "s" else value.text)
    return cells


# ---------------------------------------------------------------------------------------------
# Every page


@pytest.mark.parametrize("page", [pytest.param(name, id=f"page: {name}") for name in PAGES])
def test_every_page_runs_without_exceptions_on_the_demo_data(open_app, page):
    at = open_app(page)
    no_exception(at)
    assert not at.error
    assert at.title[0].value


def test_the_overview_shows_every_kpi_for_the_latest_complete_quarter(open_app, clean_path):
    at = open_app()
    quarter = latest_complete_quarter(clean_path)
    assert len(at.metric) == len(REGISTRY)
    assert f"**{quarter}**" in at.markdown[0].value
    assert card(at, CONTACT_TITLE).value == percent(*contact_within_24h(clean_path, quarter))


def test_choosing_bristol_shows_bristols_figures_on_the_overview(open_app, clean_path):
    at = open_app()
    force = card(at, CONTACT_TITLE).value
    at.sidebar.selectbox(key="district").set_value("Bristol").run()
    quarter = latest_complete_quarter(clean_path)
    bristol = percent(*contact_within_24h(clean_path, quarter, "Bristol"))
    assert card(at, CONTACT_TITLE).value == bristol
    assert bristol != force
    assert "**Bristol**" in at.markdown[0].value


def test_bristol_last_quarter_is_compared_with_a_year_ago_in_words(open_app, clean_path):
    """The done-when question: how did Bristol do last quarter; better than a year ago?"""
    at = open_app(params={"district": "Bristol"})
    quarter = latest_complete_quarter(clean_path)
    now = contact_within_24h(clean_path, quarter, "Bristol")
    then = contact_within_24h(clean_path, year_before(quarter), "Bristol")
    change = round(100 * now[0] / now[1] - 100 * then[0] / then[1], 1)
    words = "no change" if change == 0 else ("better" if change > 0 else "worse")
    shown = "0.0" if change == 0 else f"{change:+.1f}"
    contact = card(at, CONTACT_TITLE)
    assert contact.value == percent(*now)
    assert contact.delta == f"{shown} pts · {words}"


def test_the_domestic_abuse_filter_changes_the_figures(open_app, clean_path):
    at = open_app()
    at.sidebar.selectbox(key="da").set_value("Domestic abuse only").run()
    quarter = latest_complete_quarter(clean_path)
    expected = percent(*contact_within_24h(clean_path, quarter, domestic_abuse=True))
    assert card(at, CONTACT_TITLE).value == expected
    at.sidebar.selectbox(key="da").set_value("Not domestic abuse").run()
    expected = percent(*contact_within_24h(clean_path, quarter, domestic_abuse=False))
    assert card(at, CONTACT_TITLE).value == expected


def test_the_grain_period_district_and_da_filter_are_read_from_the_url(open_app, clean_path):
    at = open_app(
        params={
            "grain": "Month",
            "period": ["2025-01", "2025-06"],
            "district": "Bristol",
            "da": "Domestic abuse only",
        }
    )
    no_exception(at)
    assert not at.warning
    assert at.sidebar.button_group(key="grain").value == "Month"
    assert at.sidebar.select_slider(key="period").value == ("2025-01", "2025-06")
    expected = percent(*contact_within_24h(clean_path, "2025-06", "Bristol", domestic_abuse=True))
    assert card(at, CONTACT_TITLE).value == expected


def test_changing_the_grain_keeps_the_same_dates_in_view(open_app):
    at = open_app(params={"period": ["2024/25 Q2", "2025/26 Q1"]})
    at.sidebar.button_group(key="grain").set_value("Month").run()
    assert at.sidebar.select_slider(key="period").value == ("2024-07", "2025-06")
    at.sidebar.button_group(key="grain").set_value("Financial year").run()
    assert at.sidebar.select_slider(key="period").value == ("2024/25", "2025/26")


class BadLink(NamedTuple):
    query: Query
    mentions: str


BAD_LINKS = [
    pytest.param(BadLink(Query({"district": "Nowhere"}), "Nowhere"), id="unknown district"),
    pytest.param(BadLink(Query({"grain": "weekly"}), "weekly"), id="malformed grain"),
    pytest.param(BadLink(Query({"period": ["banana", "2099/00 Q1"]}), "banana"), id="bad period"),
    pytest.param(BadLink(Query({"da": "sometimes"}), "sometimes"), id="bad domestic abuse"),
    pytest.param(
        BadLink(Query({"metric": "no_such_metric"}, page="metric"), "no_such_metric"),
        id="unknown metric",
    ),
]


@pytest.mark.parametrize("link", BAD_LINKS)
def test_a_bad_url_parameter_falls_back_to_the_default_with_a_visible_note(open_app, link):
    at = open_app(link.query.page, link.query.params)
    no_exception(at)
    assert not at.error
    assert any(link.mentions in warning.value for warning in at.warning)
    if link.query.page == "overview":
        assert len(at.metric) == len(REGISTRY)
    else:
        assert at.title[0].value == "Stalking crimes recorded"


def test_a_bad_district_in_the_url_shows_the_force(open_app, clean_path):
    at = open_app(params={"district": "Nowhere"})
    assert at.sidebar.selectbox(key="district").value == FORCE
    quarter = latest_complete_quarter(clean_path)
    assert card(at, CONTACT_TITLE).value == percent(*contact_within_24h(clean_path, quarter))


def test_the_scorecard_downloads_hold_the_figures_on_screen(open_app, clean_path, downloads):
    at = open_app(params={"district": "Bristol"})
    shown = {m.label: m.value for m in at.metric}
    quarter = latest_complete_quarter(clean_path)
    stem = f"scorecard_bristol_{quarter.replace('/', '-').replace(' ', '_').lower()}"
    rows = pl.read_csv(downloads[f"{stem}.csv"], infer_schema=False)
    assert dict(zip(rows["title"], rows["shown"], strict=True)) == shown
    cells = xlsx_cells(downloads[f"{stem}.xlsx"])
    assert {CONTACT_TITLE, shown[CONTACT_TITLE]} <= set(cells)


def test_the_metric_page_reads_the_metric_from_the_url(open_app, clean_path):
    at = open_app("metric", {"metric": "victim_contact_24h_rate", "district": "Bristol"})
    no_exception(at)
    assert at.title[0].value == CONTACT_TITLE
    table = at.dataframe[0].value
    quarter = latest_complete_quarter(clean_path)
    row = table[(table["Period"] == quarter) & (table["District"] == "Bristol")].iloc[0]
    numerator, denominator = contact_within_24h(clean_path, quarter, "Bristol")
    assert (row["Numerator"], row["Denominator"], row["Value"]) == (
        numerator,
        denominator,
        percent(numerator, denominator),
    )


def test_the_metric_page_marks_the_recording_rule_change_and_defines_the_metric(open_app):
    at = open_app("metric", {"metric": "stalking_crimes"})
    assert "Crimes in offence group stalking recorded" in at.markdown[1].value
    assert any("1 June 2023" in caption.value for caption in at.caption)
    trend = at.get("vega_lite_chart")[0].proto
    assert '"type": "rule"' in trend.spec
    assert any(b"Crime recording rules changed" in d.data.data for d in trend.datasets)


def test_the_metric_page_downloads_hold_the_table_figures(open_app, downloads, clean_path):
    """The download keeps the engine's district code ``All`` for the force, as ``kpi`` does."""
    at = open_app("metric", {"metric": "victim_contact_24h_rate", "district": "Bristol"})
    table = at.dataframe[0].value
    on_screen = {
        (row.Period, "All" if row.District == FORCE else row.District): (
            row.Numerator,
            row.Denominator,
            row.Value,
        )
        for row in table.itertuples()
    }
    [csv] = [v for k, v in downloads.items() if re.match(r"victim_contact_24h_rate_.*\.csv$", k)]
    [xlsx] = [v for k, v in downloads.items() if re.match(r"victim_contact_24h_rate_.*\.xlsx", k)]
    rows = pl.read_csv(csv, infer_schema=False)
    downloaded = {
        (row["period_label"], row["district"]): (
            int(row["numerator"]),
            int(row["denominator"]),
            row["shown"],
        )
        for row in rows.iter_rows(named=True)
    }
    assert on_screen.items() <= downloaded.items()
    districts = {name for (name,) in sql(clean_path, "SELECT district FROM districts")}
    assert set(rows["district"]) == {"All", *districts}
    cells = set(xlsx_cells(xlsx))
    assert {value for (_, _, value) in on_screen.values()} <= cells


def test_choosing_another_metric_updates_the_url(open_app):
    at = open_app("metric", {"metric": "stalking_crimes"})
    at.selectbox(key="metric_choice").set_value("referral_rate").run()
    assert at.title[0].value == "Victims referred to specialist support"
    assert at.query_params["metric"] == "referral_rate"


def test_the_districts_page_compares_each_district_with_the_force(open_app, clean_path):
    at = open_app("districts")
    no_exception(at)
    quarter = latest_complete_quarter(clean_path)
    districts = [name for (name,) in sql(clean_path, "SELECT district FROM districts")]
    rates = {d: contact_within_24h(clean_path, quarter, d) for d in districts}
    contacted = sum(rate[0] for rate in rates.values())
    victims = sum(rate[1] for rate in rates.values())
    table = at.dataframe[0].value
    rows = table[table["metric_id"] == "victim_contact_24h_rate"].set_index("district")
    assert sorted(rows.index) == sorted(districts)
    z = 3.090232
    p0 = contacted / victims
    for district, (numerator, denominator) in rates.items():
        row = rows.loc[district]
        assert row["value"] == pytest.approx(numerator / denominator)
        assert row["force_value"] == pytest.approx(p0)
        spread = z * (p0 * (1 - p0) / denominator) ** 0.5
        assert row["upper_998"] == pytest.approx(min(p0 + spread, 1.0))
        value = numerator / denominator
        expected = "higher" if value > p0 + spread else "lower" if value < p0 - spread else "none"
        assert row["signal"] == expected
        assert row["note"] == ("small numbers" if denominator < 10 else "")
    assert "rank" not in table.columns  # no league table: only differences beyond chance


def test_the_districts_page_compares_crime_counts_per_1000_residents(open_app, clean_path):
    at = open_app("districts")
    quarter = latest_complete_quarter(clean_path)
    start, end = period_bounds(quarter)
    expected = {
        district: count / population * 1000
        for district, population, count in sql(
            clean_path,
            "SELECT d.district, d.population, COUNT(c.crime_id) FROM districts d LEFT JOIN "
            "crimes c ON c.district = d.district AND c.offence_code = '8Q' AND "
            "c.recorded_at >= ? AND c.recorded_at < ? GROUP BY d.district",
            start,
            end,
        )
    }
    table = at.dataframe[0].value
    rows = table[table["metric_id"] == "stalking_crimes"].set_index("district")
    assert {d: rows.loc[d, "value"] for d in expected} == pytest.approx(expected)


def test_the_data_quality_page_reconciles_rows_read_and_used(open_app, dirty_path):
    at = open_app("data quality", database=dirty_path)
    no_exception(at)
    table = at.dataframe[0].value.set_index("Table")
    for name in ("districts", "crimes", "allocations", "victims", "protective_orders"):
        [(rows,)] = sql(dirty_path, f"SELECT COUNT(*) FROM {name}")
        assert table.loc[name, "Rows read"] == rows
        assert table.loc[name, "Rows used"] + table.loc[name, "Rows left out (errors)"] == rows


def test_the_data_quality_page_lists_the_keys_of_rows_that_break_a_rule(open_app, dirty_path):
    blank = sql(
        dirty_path,
        "SELECT crime_id FROM crimes WHERE (reported_at IS NULL OR trim(reported_at) = '') "
        "AND crime_id IS NOT NULL AND trim(crime_id) != ''",
    )
    assert blank, "the dirty demo database should hold a crime without reported_at"
    at = open_app("data quality", database=dirty_path)
    at.selectbox(key="quality_rule").set_value("crimes · required:reported_at").run()
    keys = at.dataframe[2].value["key"].tolist()
    assert {crime_id for (crime_id,) in blank} <= set(keys)
    rules = at.dataframe[1].value
    assert "a required value is null or blank (reported_at)" in rules["What it means"].tolist()


def test_the_data_quality_page_shows_the_latest_record_date(open_app, clean_path):
    at = open_app("data quality")
    [(latest,)] = sql(clean_path, "SELECT MAX(reported_at) FROM crimes")
    day = dt.date.fromisoformat(latest[:10])
    assert at.metric[0].value == f"{day:%d %B %Y}"


def test_the_catalogue_lists_every_registered_metric(open_app):
    from metrics import REGISTRY

    at = open_app("catalogue")
    table = at.dataframe[0].value
    assert table["Id"].tolist() == REGISTRY.ids
    assert table["KPI"].tolist() == [metric.title for metric in REGISTRY]


# ---------------------------------------------------------------------------------------------
# Loading, caching and failure


def test_changing_filters_does_not_read_the_database_again(open_app, monkeypatch):
    reads: list[str] = []
    original = data.load_source

    def counting(url, progress=None, **options):
        reads.append(url)
        return original(url, progress=progress, **options)

    monkeypatch.setattr(data, "load_source", counting)
    monkeypatch.setenv("KPI_CACHE_DIR", "off")  # count the reads themselves, not cache hits
    data.clear_cache()
    at = open_app()
    at.sidebar.selectbox(key="district").set_value("Bristol").run()
    at.sidebar.selectbox(key="da").set_value("Domestic abuse only").run()
    at.sidebar.button_group(key="grain").set_value("Month").run()
    at.switch_page(PAGES["districts"]).run()
    no_exception(at)
    assert len(reads) == 1


FAILURES = [
    pytest.param("postgresql://kpi@127.0.0.1:9/nowhere", "cannot reach", id="unreachable database"),
    pytest.param("sqlite:////nonexistent/folder/kpi.sqlite", "not found", id="missing file"),
]


@pytest.mark.parametrize(("url", "words"), FAILURES)
def test_a_database_that_cannot_be_read_gives_a_message_not_a_traceback(open_app, url, words):
    at = open_app(database=url)
    no_exception(at)
    [error] = at.error
    assert "The data cannot be loaded" in error.value
    assert words in error.value


def test_a_database_password_never_reaches_the_page(open_app):
    at = open_app(database="postgresql://kpi:hunter2@127.0.0.1:9/force")
    no_exception(at)
    texts = [element.value for element in (*at.error, *at.caption, *at.markdown)]
    assert any("127.0.0.1:9/force" in text for text in texts)
    assert not any("hunter2" in text for text in texts)


def test_a_missing_table_is_named_on_the_page(open_app, missing_table_path):
    at = open_app(database=missing_table_path)
    no_exception(at)
    [error] = at.error
    assert "missing table crimes" in error.value


@pytest.mark.parametrize("page", ["overview", "data quality"])
def test_an_empty_database_says_there_is_nothing_to_show_yet(open_app, empty_path, page):
    at = open_app(page, database=empty_path)
    no_exception(at)
    assert not at.error
    assert "no dated records yet" in at.warning[0].value
    assert not at.metric or at.metric[0].value == "no dated records"


def test_the_catalogue_works_while_the_database_is_down(open_app):
    at = open_app("catalogue", database="postgresql://kpi@127.0.0.1:9/nowhere")
    no_exception(at)
    assert at.title[0].value == "Metric catalogue"
    assert len(at.dataframe[0].value) == len(REGISTRY)


def test_the_database_url_can_come_from_secrets(monkeypatch, clean_path):
    monkeypatch.delenv(data.DATABASE_URL_ENV, raising=False)
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.secrets["database_url"] = f"sqlite:///{clean_path}"
    at.run()
    no_exception(at)
    assert any(str(clean_path) in caption.value for caption in at.sidebar.caption)


@pytest.fixture
def demo_location(tmp_path, monkeypatch) -> Iterator[Path]:
    """The default demo database moved to a temporary folder, generated small."""
    import demo.demo_data as demo_data

    path = tmp_path / "data" / "demo.sqlite"
    monkeypatch.setattr(data, "DEMO_DATABASE", path)
    monkeypatch.delenv(data.DATABASE_URL_ENV, raising=False)
    generate = demo_data.generate_demo

    def small(target, progress=None, **options):
        return generate(target, crimes=2_000, progress=progress, **options)

    monkeypatch.setattr(demo_data, "generate_demo", small)
    yield path


def test_without_a_setting_the_app_creates_and_shows_the_demo_database(demo_location):
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    no_exception(at)
    assert demo_location.is_file()
    assert len(at.metric) == len(REGISTRY)
    assert any(str(demo_location) in caption.value for caption in at.sidebar.caption)
