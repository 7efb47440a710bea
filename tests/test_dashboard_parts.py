"""The dashboard's pure parts: formatting, period arithmetic, chart specs, tables and exports."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
import zipfile
from typing import NamedTuple

import polars as pl
import pytest

from dashboard import exports, tables
from dashboard.data import freshness_token, is_demo
from dashboard.filters import Filters
from dashboard.scorecard import scorecard
from metrics import REGISTRY, DomesticAbuse, Grain, Target, Unit
from metrics.definitions import Direction
from presentation import charts, periods
from presentation.formatting import (
    Assessment,
    assess,
    describe_change,
    format_change,
    format_value,
    rounded_change,
)


class Shown(NamedTuple):
    value: float | None
    unit: Unit
    text: str


SHOWN = [
    pytest.param(Shown(0.71349, Unit.FRACTION, "71.3%"), id="fraction as a percentage"),
    pytest.param(Shown(1204.0, Unit.COUNT, "1,204"), id="count with separators"),
    pytest.param(Shown(0.4249, Unit.PER_1000, "0.42 per 1,000"), id="per 1,000: two decimals"),
    pytest.param(Shown(4.25, Unit.PER_100, "4.2 per 100"), id="per 100"),
    pytest.param(Shown(18.46, Unit.HOURS, "18.5 hours"), id="median hours"),
    pytest.param(Shown(1.5, Unit.DAYS, "1.5 days"), id="median days"),
    pytest.param(Shown(None, Unit.FRACTION, "–"), id="empty rate"),
]


@pytest.mark.parametrize("case", SHOWN)
def test_a_value_is_shown_in_its_unit(case):
    assert format_value(case.value, case.unit) == case.text


class Change(NamedTuple):
    now: float | None
    then: float | None
    unit: Unit
    direction: Direction
    words: str


CHANGES = [
    pytest.param(
        Change(0.80, 0.75, Unit.FRACTION, Direction.UP, "▲ +5.0 pts, better"), id="rate up, good"
    ),
    pytest.param(
        Change(20.0, 24.0, Unit.HOURS, Direction.DOWN, "▼ -4.0 hours, better"),
        id="hours down, good",
    ),
    pytest.param(
        Change(0.30, 0.40, Unit.FRACTION, Direction.UP, "▼ -10.0 pts, worse"), id="rate down, bad"
    ),
    pytest.param(
        Change(0.7500, 0.7504, Unit.FRACTION, Direction.UP, "▶ 0.0 pts, no change"),
        id="within rounding: no change",
    ),
    pytest.param(
        Change(120.0, 100.0, Unit.COUNT, Direction.NEUTRAL, "▲ +20, not rated"),
        id="neutral count",
    ),
    pytest.param(
        Change(0.5, None, Unit.FRACTION, Direction.UP, "no comparison"),
        id="nothing to compare",
    ),
]


@pytest.mark.parametrize("case", CHANGES)
def test_a_change_is_described_with_an_arrow_and_words(case):
    change = rounded_change(case.now, case.then, case.unit)
    assert describe_change(change, case.unit, case.direction) == case.words


def test_a_change_that_rounds_to_zero_is_no_change_whatever_the_direction():
    change = rounded_change(10.04, 10.0, Unit.HOURS)
    assert (change, format_change(change, Unit.HOURS)) == (0.0, "0.0 hours")
    assert assess(change, Direction.DOWN) == Assessment.NO_CHANGE


class Translation(NamedTuple):
    first: str
    last: str
    old: Grain
    new: Grain
    expected: tuple[dt.date, dt.date]


TRANSLATIONS = [
    pytest.param(
        Translation(
            "2024/25 Q2",
            "2025/26 Q1",
            Grain.QUARTER,
            Grain.MONTH,
            (dt.date(2024, 7, 1), dt.date(2025, 6, 1)),
        ),
        id="quarters to months",
    ),
    pytest.param(
        Translation(
            "2024-05",
            "2025-02",
            Grain.MONTH,
            Grain.FINANCIAL_YEAR,
            (dt.date(2024, 4, 1), dt.date(2024, 4, 1)),
        ),
        id="months to financial years",
    ),
    pytest.param(
        Translation(
            "2023/24",
            "2024/25",
            Grain.FINANCIAL_YEAR,
            Grain.QUARTER,
            (dt.date(2023, 4, 1), dt.date(2025, 1, 1)),
        ),
        id="years to quarters",
    ),
]


@pytest.mark.parametrize("case", TRANSLATIONS)
def test_a_range_of_periods_keeps_its_dates_at_another_grain(case):
    assert periods.translate(case.first, case.last, case.old, case.new) == case.expected


def test_a_period_is_complete_only_when_the_data_reach_its_last_day():
    assert periods.is_complete(dt.date(2026, 7, 1), Grain.QUARTER, dt.date(2026, 9, 30))
    assert not periods.is_complete(dt.date(2026, 7, 1), Grain.QUARTER, dt.date(2026, 9, 29))
    assert periods.latest_complete(
        dt.date(2025, 1, 3), dt.date(2026, 9, 29), Grain.QUARTER
    ) == dt.date(2026, 4, 1)


# ---------------------------------------------------------------------------------------------
# A hand-made KPI frame


def kpi_rows(metric_id: str, values: dict[tuple[str, str], tuple[int, int]]) -> pl.DataFrame:
    """KPI rows from {(period start, district): (numerator, denominator)} at quarter grain."""
    from metrics.periods import label_of

    rows = []
    for (start, district), (numerator, denominator) in values.items():
        day = dt.date.fromisoformat(start)
        rows.append(
            {
                "metric_id": metric_id,
                "period_start": day,
                "period_label": label_of(day, Grain.QUARTER),
                "district": district,
                "numerator": numerator,
                "denominator": denominator,
                "value": numerator / denominator if denominator else None,
            }
        )
    return pl.DataFrame(rows)


CONTACT = REGISTRY.get("victim_contact_24h_rate")
QUARTERS = ["2022-04-01", "2022-07-01", "2023-01-01", "2023-04-01", "2023-07-01"]
SERIES = kpi_rows(
    CONTACT.id,
    {
        **{(q, "All"): (80 + i, 100) for i, q in enumerate(QUARTERS)},
        **{(q, "Bristol"): (30 + i, 40) for i, q in enumerate(QUARTERS)},
        **{(q, "Somerset West"): (10, 20) for q in QUARTERS},
    },
)
FILTERS = Filters(
    grain=Grain.QUARTER,
    start=dt.date(2022, 4, 1),
    end=dt.date(2023, 7, 1),
    district="Bristol",
    domestic_abuse=DomesticAbuse.ALL,
    last_date=dt.date(2023, 9, 30),
)


def test_the_scorecard_compares_with_the_previous_period_and_a_year_ago():
    [row] = scorecard(SERIES, FILTERS, [CONTACT]).to_dicts()
    assert {
        key: row[key]
        for key in (
            "period",
            "shown",
            "previous_period",
            "previous_shown",
            "on_previous",
            "year_ago_period",
            "year_ago_shown",
            "change_on_year_ago",
            "on_year_ago",
        )
    } == {
        "period": "2023/24 Q2",
        "shown": "85.0%",
        "previous_period": "2023/24 Q1",
        "previous_shown": "82.5%",
        "on_previous": "better",
        "year_ago_period": "2022/23 Q2",
        "year_ago_shown": "77.5%",
        "change_on_year_ago": "+7.5 pts",
        "on_year_ago": "better",
    }
    assert row["sparkline"] == [0.75, 0.775, 0.8, 0.825, 0.85]


def chart_data(spec: dict) -> list[dict]:
    return [row for rows in spec["datasets"].values() for row in rows]


def marks(spec: dict) -> list[str]:
    found = []

    def walk(node):
        if isinstance(node, dict):
            mark = node.get("mark")
            if mark is not None:
                found.append(mark if isinstance(mark, str) else mark["type"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)
    return found


def test_the_trend_chart_sends_only_the_district_and_force_rows():
    spec = charts.trend_chart(SERIES, CONTACT, "Bristol", FILTERS.start, FILTERS.end).to_dict()
    lines = [row for row in chart_data(spec) if "series" in row]
    assert {row["series"] for row in lines} == {"Bristol", charts.FORCE_SERIES}
    assert len(lines) == 2 * len(QUARTERS)


def test_the_trend_chart_marks_the_recording_rule_change_when_it_is_in_view():
    spec = charts.trend_chart(SERIES, CONTACT, "Bristol", FILTERS.start, FILTERS.end).to_dict()
    assert "rule" in marks(spec)
    assert {"date": "2023-06-01", "label": "Crime recording rules changed"}.items() <= next(
        row for row in chart_data(spec) if "label" in row
    ).items()
    later = charts.trend_chart(
        SERIES, CONTACT, "Bristol", dt.date(2023, 7, 1), FILTERS.end
    ).to_dict()
    assert "rule" not in marks(later)


def test_the_trend_chart_draws_a_target_only_where_one_is_set():
    assert not any("target" in row for row in chart_data(_trend(CONTACT)))
    with_target = dataclasses.replace(
        CONTACT, targets=(Target(0.9, effective_from=dt.date(2023, 4, 1)),)
    )
    targets = [row for row in chart_data(_trend(with_target)) if "target" in row]
    assert targets == [
        {"period_start": "2023-04-01", "target": 0.9, "shown": "90.0%"},
        {"period_start": "2023-07-01", "target": 0.9, "shown": "90.0%"},
    ]


def _trend(metric) -> dict:
    return charts.trend_chart(SERIES, metric, "Bristol", FILTERS.start, FILTERS.end).to_dict()


def test_the_trend_chart_has_tooltips_and_okabe_ito_colours():
    spec = _trend(CONTACT)
    points = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "point")
    titles = [tooltip["title"] for tooltip in points["encoding"]["tooltip"]]
    assert titles == ["Period", "District", "Value", "Numerator", "Denominator"]
    colours = spec["layer"][0]["encoding"]["color"]["scale"]["range"]
    assert set(colours) <= set(charts.OKABE_ITO.values())


def test_small_multiples_have_one_panel_per_district_each_with_the_force():
    spec = charts.small_multiples(SERIES, CONTACT, "Bristol").to_dict()
    rows = chart_data(spec)
    assert {row["panel"] for row in rows} == {"Bristol", "Somerset West"}
    assert {(row["panel"], row["series"]) for row in rows} == {
        ("Bristol", "Selected district"),
        ("Bristol", charts.FORCE_SERIES),
        ("Somerset West", "District"),
        ("Somerset West", charts.FORCE_SERIES),
    }


def test_the_district_ranking_puts_the_best_first_by_the_metrics_direction():
    districts = pl.DataFrame({"district": ["Bristol", "Somerset West"], "population": [10, 20]})
    ranking = tables.district_ranking(SERIES, CONTACT, FILTERS, districts)
    assert ranking.select("rank", "district", "shown").to_dicts() == [
        {"rank": 1, "district": "Bristol", "shown": "85.0%"},
        {"rank": 2, "district": "Somerset West", "shown": "50.0%"},
    ]
    slower = dataclasses.replace(CONTACT, direction=Direction.DOWN)
    assert tables.district_ranking(SERIES, slower, FILTERS, districts)["district"].to_list() == [
        "Somerset West",
        "Bristol",
    ]


def test_a_district_ranking_chart_names_every_district_in_rank_order():
    districts = pl.DataFrame({"district": ["Bristol", "Somerset West"], "population": [10, 20]})
    ranking = tables.district_ranking(SERIES, CONTACT, FILTERS, districts)
    spec = charts.ranked_bars(ranking, CONTACT, "Bristol", 0.8).to_dict()
    bars = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "bar")
    assert bars["encoding"]["y"]["sort"] == ["Bristol", "Somerset West"]


def test_the_excel_download_is_a_workbook_with_the_rows():
    frame = pl.DataFrame(
        {"district": ["Bristol"], "shown": ["71.3%"], "day": [dt.date(2024, 4, 1)]}
    )
    content = exports.excel_bytes(frame, "Victim contact / 24h")
    with zipfile.ZipFile(io.BytesIO(content)) as workbook:
        strings = workbook.read("xl/sharedStrings.xml").decode()
        sheets = workbook.read("xl/workbook.xml").decode()
    assert "Bristol" in strings and "71.3%" in strings
    assert 'name="Victim contact - 24h"' in sheets


def test_the_csv_download_opens_in_excel_with_its_dashes_intact():
    content = exports.csv_bytes(pl.DataFrame({"shown": ["–"]}))
    assert content.startswith(b"\xef\xbb\xbf")
    assert content.decode("utf-8-sig") == "shown\n–\n"


def test_the_cache_key_changes_when_the_sqlite_file_changes(tmp_path):
    path = tmp_path / "source.sqlite"
    path.write_bytes(b"one")
    url = f"sqlite:///{path}"
    before = freshness_token(url)
    os.utime(path, ns=(1, 1_000_000_000))
    assert freshness_token(url) != before
    assert freshness_token(f"sqlite:///{tmp_path / 'missing.sqlite'}") == "missing"


def test_a_server_database_is_read_again_after_the_refresh_interval():
    url = "postgresql://kpi@db.example/force"
    assert freshness_token(url, now=0) == freshness_token(url, now=899)
    assert freshness_token(url, now=0) != freshness_token(url, now=900)
    assert not is_demo(url)
