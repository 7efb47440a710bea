"""Fast read paths: each engine's driver is really used, reads what SQLAlchemy's rows read,
stays read-only, and a narrowed read gives the full read's KPIs for what it covers."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import NamedTuple

import polars as pl
import pytest
import sqlalchemy as sa
from polars.testing import assert_frame_equal

from metrics import DomesticAbuse, Grain, compute_kpis, prepare_facts
from queries import readers, validation
from queries.parse import parse_table
from queries.source import DateRange, normalise_url, read_source, sqlite_path, sqlite_uri
from queries.validation import validate
from tests import fixture_rows
from tests.conftest import source_tables

ENGINES = [
    pytest.param("sqlite", id="engine: sqlite"),
    pytest.param("postgres", id="engine: postgres", marks=pytest.mark.postgres),
    pytest.param("mariadb", id="engine: mariadb", marks=pytest.mark.mariadb),
]
FAST_DRIVER = {
    "sqlite": readers.ADBC_SQLITE,
    "postgres": readers.ADBC_POSTGRESQL,
    "mariadb": readers.CONNECTORX_MYSQL,
}


def source_url(request, engine: str, rows: dict[str, list[dict]]) -> str:
    return request.getfixturevalue(f"{engine}_database")(rows)


def fixture_with_sqlite_only_rows() -> dict[str, list[dict]]:
    rows = {name: list(table_rows) for name, table_rows in fixture_rows.ALL_ROWS.items()}
    for table, row, _rule in fixture_rows.SQLITE_ONLY:
        rows[table].append(row)
    return rows


def read_with_drivers(url: str, **scope) -> tuple[dict[str, pl.DataFrame], dict[str, str]]:
    drivers: dict[str, str] = {}
    frames = read_source(
        url, on_read=lambda read: drivers.update({read.table: read.driver}), **scope
    )
    return frames, drivers


def read_through_sqlalchemy_rows(monkeypatch, url: str, **scope) -> dict[str, pl.DataFrame]:
    with monkeypatch.context() as patch:
        patch.setattr(readers, "fast_path", lambda *_args, **_kwargs: None)
        frames, drivers = read_with_drivers(url, **scope)
    assert set(drivers.values()) == {readers.SQLALCHEMY_ROWS}
    return frames


def assert_same_raw_frame(fast: pl.DataFrame, slow: pl.DataFrame) -> None:
    """Equal frames; SQLAlchemy's rows cannot type a column of nulls, so it is Null there."""
    untyped = [name for name, dtype in slow.schema.items() if dtype == pl.Null]
    typed = slow.with_columns(pl.col(name).cast(fast.schema[name]) for name in untyped)
    assert_frame_equal(fast, typed)


def _no_fallback(*_args, **_kwargs):
    raise AssertionError("read through SQLAlchemy rows: the fast path fell back")


@pytest.mark.parametrize("engine", ENGINES)
def test_every_table_is_read_through_the_engines_fast_path(request, monkeypatch, engine):
    url = source_url(request, engine, fixture_rows.ALL_ROWS)
    monkeypatch.setattr(readers, "_read_rows", _no_fallback)
    frames, drivers = read_with_drivers(url)
    assert drivers == {
        table.name: FAST_DRIVER[engine] for table in source_tables(fixture_rows.ALL_ROWS)
    }
    assert {name: frame.height for name, frame in frames.items()} == {
        name: len(rows) for name, rows in fixture_rows.ALL_ROWS.items()
    }


@pytest.mark.parametrize("engine", ENGINES)
def test_the_fast_path_reads_the_same_raw_frames_as_sqlalchemy_rows(request, monkeypatch, engine):
    rows = fixture_with_sqlite_only_rows() if engine == "sqlite" else fixture_rows.ALL_ROWS
    url = source_url(request, engine, rows)
    fast, _ = read_with_drivers(url)
    slow = read_through_sqlalchemy_rows(monkeypatch, url)
    for table in source_tables(fixture_rows.ALL_ROWS):
        assert_same_raw_frame(fast[table.name], slow[table.name])


@pytest.mark.parametrize("engine", ENGINES)
def test_a_narrowed_fast_read_equals_the_narrowed_sqlalchemy_read(request, monkeypatch, engine):
    url = source_url(request, engine, fixture_rows.ALL_ROWS)
    scope = {
        "date_range": DateRange(dt.date(2024, 4, 1), dt.date(2024, 6, 1)),
        "districts": ["North"],
    }
    monkeypatch.setattr(readers, "_read_rows", _no_fallback)
    fast, drivers = read_with_drivers(url, **scope)
    monkeypatch.undo()
    assert set(drivers.values()) == {FAST_DRIVER[engine]}
    slow = read_through_sqlalchemy_rows(monkeypatch, url, **scope)
    for table in source_tables(fixture_rows.ALL_ROWS):
        key = table.column_names[0]
        assert_same_raw_frame(fast[table.name].sort(key), slow[table.name].sort(key))


def test_a_failing_fast_path_falls_back_to_sqlalchemy_rows_and_says_so(
    sqlite_database, monkeypatch, caplog
):
    url = sqlite_database(fixture_rows.ALL_ROWS)

    def broken(*_args):
        raise readers.ReadError("driver exploded")

    monkeypatch.setitem(readers._FAST_READERS, readers.ADBC_SQLITE, broken)
    with caplog.at_level(logging.WARNING, logger=readers.__name__):
        frames, drivers = read_with_drivers(url)
    assert set(drivers.values()) == {readers.SQLALCHEMY_ROWS}
    assert frames["crimes"].height == len(fixture_rows.ALL_ROWS["crimes"])
    assert "crimes: adbc-sqlite failed (driver exploded); reading through SQLAlchemy" in (
        caplog.text
    )


@pytest.mark.parametrize(
    "fast", [pytest.param(True, id="fast path"), pytest.param(False, id="rows")]
)
@pytest.mark.parametrize("engine", ENGINES)
def test_parsing_batch_by_batch_equals_parsing_the_whole_raw_table(
    request, monkeypatch, engine, fast
):
    rows = fixture_with_sqlite_only_rows() if engine == "sqlite" else fixture_rows.ALL_ROWS
    url = source_url(request, engine, rows)
    # Batches of three rows: each table arrives in many pieces, each parsed on its own.
    for setting in ("BATCH_ROWS", "SQLITE_BATCH_ROWS", "CONNECTORX_BATCH_ROWS"):
        monkeypatch.setattr(readers, setting, 3)
    if not fast:
        monkeypatch.setattr(readers, "fast_path", lambda *_args, **_kwargs: None)
    parsed = read_source(url, parsed=True)
    raw = read_source(url)
    # (ADBC's PostgreSQL driver sizes its batches in bytes: the fixture is one batch there.)
    pieces = not (fast and engine == "postgres")
    for table in source_tables(fixture_rows.ALL_ROWS):
        assert parsed[table.name].n_chunks() > 1 or len(rows[table.name]) <= 3 or not pieces
        assert_frame_equal(
            parsed[table.name], parse_table(raw[table.name], table, raw[table.name].columns)
        )


def test_validating_parsed_batches_gives_the_same_result_as_validating_raw_frames(
    fixture_source, monkeypatch
):
    # What validation does with raw frames, done with frames parsed while reading.
    monkeypatch.setattr(readers, "SQLITE_BATCH_ROWS", 4)
    expected = validate(read_source(fixture_source))
    with monkeypatch.context() as patch:
        patch.setattr(validation, "parse_table", lambda frame, _table, _columns=None: frame)
        validated = validate(read_source(fixture_source, parsed=True))
    assert_frame_equal(validated.report, expected.report)
    for table in source_tables(fixture_rows.ALL_ROWS):
        assert_frame_equal(validated.tables[table.name], expected.tables[table.name])


# Read-only: the fast paths open their own connections, so they are checked on their own.


def test_the_sqlite_fast_path_connection_refuses_writes(sqlite_database):
    import adbc_driver_sqlite.dbapi as adbc_sqlite

    url = normalise_url(sqlite_database(fixture_rows.VALID))
    path = readers.fast_path(url, sqlite_uri(sqlite_path(url)))
    with (
        adbc_sqlite.connect(path.uri) as connection,
        connection.cursor() as cursor,
        pytest.raises(Exception, match=r"(?i)read.?only"),
    ):
        cursor.execute("DELETE FROM victims")


@pytest.mark.postgres
def test_the_postgresql_fast_path_connection_refuses_writes(postgres_database):
    import adbc_driver_postgresql.dbapi as adbc_postgresql

    path = readers.fast_path(normalise_url(postgres_database(fixture_rows.VALID)))
    with (
        adbc_postgresql.connect(path.uri) as connection,
        connection.cursor() as cursor,
        pytest.raises(Exception, match=r"read-only transaction"),
    ):
        cursor.execute("DELETE FROM victims")


@pytest.mark.mariadb
def test_the_mariadb_fast_path_session_is_read_only(mariadb_database):
    import connectorx

    path = readers.fast_path(normalise_url(mariadb_database(fixture_rows.VALID)))
    result = connectorx.read_sql(
        path.uri,
        "SELECT @@session.tx_read_only AS read_only",
        return_type="arrow",
        pre_execution_query=[readers._MYSQL_READ_ONLY],
    )
    assert result.to_pylist() == [{"read_only": 1}]


def test_the_postgresql_uri_keeps_the_urls_options_and_adds_read_only():
    url = normalise_url(
        "postgresql://analyst:p%40ss%20word@db.example:5433/force?"
        "options=-csearch_path%3Dkpi&sslmode=require"
    )
    assert readers.postgres_uri(url) == (
        "postgresql://analyst:p%40ss%20word@db.example:5433/force?"
        "options=-csearch_path%3Dkpi%20-c%20default_transaction_read_only%3Don"
        "%20-c%20statement_timeout%3D1800000&sslmode=require"
    )


def test_text_reaches_connectorx_as_a_hex_literal_that_no_quote_can_end():
    table = sa.table("crimes", sa.column("district"))
    query = sa.select(table.c.district).where(table.c.district.in_([sa.literal("O'Neil\\'; --")]))
    sql = readers._with_literals(query.compile(dialect=readers._MYSQL_DIALECT))
    assert sql.endswith("IN (X'4f274e65696c5c273b202d2d')")


def test_a_parameter_without_a_safe_literal_is_refused():
    with pytest.raises(readers.ReadError, match="no safe literal"):
        readers._mysql_literal(1.5)


# Narrowed reads: pushed down into SQL, exact for the periods and districts they cover.


def inside(kpis: pl.DataFrame, grain: Grain, date_range: DateRange) -> pl.DataFrame:
    """Rows of periods that lie wholly inside the range."""
    step = {Grain.MONTH: "1mo", Grain.QUARTER: "3mo", Grain.FINANCIAL_YEAR: "1y"}[grain]
    condition = pl.lit(True)
    if date_range.start is not None:
        condition &= pl.col("period_start") >= date_range.start
    if date_range.end is not None:
        condition &= pl.col("period_start").dt.offset_by(step) <= date_range.end
    return kpis.filter(condition)


KEYS = ["metric_id", "period_start", "district"]


def assert_same_kpis_where_covered(narrowed: pl.DataFrame, full: pl.DataFrame) -> None:
    """Every narrowed row equals the full read's; a full row it lacks has nothing in it."""
    matched = full.join(narrowed.select(KEYS), on=KEYS, how="semi", maintain_order="left")
    assert_frame_equal(narrowed, matched)
    missing = full.join(narrowed.select(KEYS), on=KEYS, how="anti")
    assert missing.filter(
        (pl.col("numerator").fill_null(0) != 0) | (pl.col("value").fill_null(0) != 0)
    ).is_empty()


def kpis_of(url: str, grain: Grain, **scope) -> pl.DataFrame:
    return compute_kpis(prepare_facts(validate(read_source(url, **scope))), grain)


class Scope(NamedTuple):
    date_range: DateRange | None
    districts: list[str] | None


SCOPES = [
    pytest.param(Scope(DateRange(dt.date(2024, 4, 1), dt.date(2024, 7, 1)), None), id="Q1 2024/25"),
    pytest.param(Scope(DateRange(dt.date(2024, 3, 1), dt.date(2024, 5, 1)), None), id="Mar-Apr"),
    pytest.param(Scope(DateRange(start=dt.date(2024, 4, 1)), None), id="from April 2024"),
    pytest.param(Scope(DateRange(end=dt.date(2024, 4, 1)), None), id="to March 2024"),
    pytest.param(Scope(None, ["North"]), id="North"),
    pytest.param(Scope(None, ["South", "Mars"]), id="South and Mars"),
    pytest.param(
        Scope(DateRange(dt.date(2024, 1, 1), dt.date(2024, 4, 1)), ["North"]), id="North, Jan-Mar"
    ),
]
GRAINS = [pytest.param(grain, id=f"grain: {grain}") for grain in Grain]


def narrowed_rows(kpis: pl.DataFrame, grain: Grain, scope: Scope) -> pl.DataFrame:
    if scope.date_range is not None:
        kpis = inside(kpis, grain, scope.date_range)
    if scope.districts is not None:
        kpis = kpis.filter(pl.col("district").is_in(scope.districts))
    return kpis


@pytest.mark.parametrize("grain", GRAINS)
@pytest.mark.parametrize("scope", SCOPES)
def test_a_narrowed_read_gives_the_full_reads_kpis_for_what_it_covers(fixture_source, scope, grain):
    full = narrowed_rows(kpis_of(fixture_source, grain), grain, scope)
    narrowed = narrowed_rows(kpis_of(fixture_source, grain, **scope._asdict()), grain, scope)
    assert_same_kpis_where_covered(narrowed, full)


@pytest.mark.parametrize("engine", ENGINES[1:])
def test_a_narrowed_read_from_a_server_gives_the_full_reads_kpis(request, engine):
    url = source_url(request, engine, fixture_rows.ALL_ROWS)
    scope = Scope(DateRange(dt.date(2024, 3, 1), dt.date(2024, 5, 1)), ["North", "Mars"])
    full = narrowed_rows(kpis_of(url, Grain.MONTH), Grain.MONTH, scope)
    narrowed = narrowed_rows(kpis_of(url, Grain.MONTH, **scope._asdict()), Grain.MONTH, scope)
    assert_same_kpis_where_covered(narrowed, full)


def test_a_duplicate_outside_the_range_still_makes_the_crime_in_it_an_error(sqlite_database):
    rows = {name: list(table_rows) for name, table_rows in fixture_rows.VALID.items()}
    copy = dict(rows["crimes"][0], reported_at=dt.datetime(2023, 1, 1), recorded_at=None)
    rows["crimes"].append(copy)  # C01 again, reported a year before the range
    url = sqlite_database(rows)
    scope = DateRange(dt.date(2024, 1, 1), dt.date(2024, 2, 1))
    validated = validate(read_source(url, date_range=scope))
    assert validated.report.filter(pl.col("rule") == "duplicate:crime_id")["key"].to_list() == [
        "C01",
        "C01",
    ]
    full = inside(kpis_of(url, Grain.MONTH), Grain.MONTH, scope)
    narrowed = inside(compute_kpis(prepare_facts(validated), Grain.MONTH), Grain.MONTH, scope)
    assert_same_kpis_where_covered(narrowed, full)


JUNE_2024 = DateRange(dt.date(2024, 6, 1), dt.date(2024, 7, 1))


def test_a_duplicate_order_outside_the_range_still_makes_the_order_in_it_an_error(
    sqlite_database,
):
    rows = {name: list(table_rows) for name, table_rows in fixture_rows.VALID.items()}
    pending = next(row for row in rows["protective_orders"] if row["order_id"] == "O5")
    rows["protective_orders"].append(dict(pending, applied_at=dt.datetime(2023, 6, 1)))
    url = sqlite_database(rows)
    validated = validate(read_source(url, date_range=JUNE_2024))
    duplicates = validated.report.filter(pl.col("rule") == "duplicate:order_id")
    assert duplicates["key"].to_list() == ["O5", "O5"]
    full = inside(kpis_of(url, Grain.MONTH), Grain.MONTH, JUNE_2024)
    narrowed = inside(compute_kpis(prepare_facts(validated), Grain.MONTH), Grain.MONTH, JUNE_2024)
    assert_same_kpis_where_covered(narrowed, full)


def test_an_order_in_the_range_keeps_its_crimes_domestic_abuse_flag(sqlite_database):
    # O6 names C01, a domestic abuse crime reported in January, outside the range.
    rows = {name: list(table_rows) for name, table_rows in fixture_rows.VALID.items()}
    rows["protective_orders"].append(
        {
            "order_id": "O6",
            "order_type": "SPO",
            "district": "North",
            "crime_id": "C01",
            "applied_at": dt.datetime(2024, 6, 20),
            "decision": None,
            "decided_at": None,
        }
    )
    url = sqlite_database(rows)

    def domestic_abuse_kpis(**scope) -> pl.DataFrame:
        facts = prepare_facts(validate(read_source(url, **scope))).filtered(DomesticAbuse.DA)
        return inside(compute_kpis(facts, Grain.MONTH), Grain.MONTH, JUNE_2024)

    narrowed = domestic_abuse_kpis(date_range=JUNE_2024)
    assert_same_kpis_where_covered(narrowed, domestic_abuse_kpis())
    applications = narrowed.filter(
        (pl.col("metric_id") == "spo_applications") & (pl.col("district") == "North")
    )
    assert applications["numerator"].to_list() == [1]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_district_name_with_quotes_and_backslashes_is_matched_as_a_name(request, engine):
    name = "King's Lynn \\'; DROP TABLE crimes; --"
    rows = {table: list(table_rows) for table, table_rows in fixture_rows.VALID.items()}
    rows["crimes"].append(dict(rows["crimes"][0], crime_id="Q1", district=name))
    rows["crimes"].append(dict(rows["crimes"][0], crime_id="Q2", district=name.upper()))
    url = source_url(request, engine, rows)
    frames, drivers = read_with_drivers(url, districts=[name])
    assert set(drivers.values()) == {FAST_DRIVER[engine]}
    # MariaDB's default collation ignores case: more rows are read, never fewer.
    expected = ["Q1", "Q2"] if engine == "mariadb" else ["Q1"]
    assert sorted(frames["crimes"]["crime_id"].to_list()) == expected
    assert read_source(url)["crimes"].height == len(rows["crimes"])


def test_one_district_name_is_not_taken_for_a_list_of_letters(fixture_source):
    with pytest.raises(TypeError, match="list of names"):
        read_source(fixture_source, districts="North")


def test_a_narrowed_read_reads_fewer_rows(fixture_source):
    full = read_source(fixture_source)
    narrowed = read_source(fixture_source, date_range=DateRange(dt.date(2024, 6, 1)))
    assert narrowed["districts"].height == full["districts"].height
    for name in ("crimes", "allocations", "victims", "protective_orders"):
        assert 0 < narrowed[name].height < full[name].height, name


def test_no_district_reads_only_the_districts_table(fixture_source):
    frames = read_source(fixture_source, districts=[])
    assert {name: frame.height for name, frame in frames.items()} == {
        "districts": len(fixture_rows.ALL_ROWS["districts"]),
        "crimes": 0,
        "allocations": 0,
        "victims": 0,
        "protective_orders": 0,
    }


@pytest.mark.parametrize(
    ("bounds", "error"),
    [
        pytest.param((dt.date(2024, 5, 1), dt.date(2024, 4, 1)), ValueError, id="backwards"),
        pytest.param((dt.date(2024, 4, 1), dt.date(2024, 4, 1)), ValueError, id="empty"),
        pytest.param((dt.datetime(2024, 4, 1, 12), None), TypeError, id="a time of day"),
    ],
)
def test_a_date_range_that_means_nothing_is_refused(bounds, error):
    with pytest.raises(error):
        DateRange(*bounds)


@pytest.fixture(scope="module")
def dirty_demo(tmp_path_factory) -> str:
    """A small demo database with about 5% of rows invalid, duplicates among them."""
    from demo.demo_data import generate_demo

    path = Path(tmp_path_factory.mktemp("demo")) / "dirty.sqlite"
    generate_demo(path, crimes=6_000, seed=11, dirty_fraction=0.05)
    return f"sqlite:///{path}"


DEMO_SCOPES = [
    pytest.param(Scope(DateRange(dt.date(2023, 4, 1), dt.date(2024, 4, 1)), None), id="2023/24"),
    pytest.param(
        Scope(
            DateRange(dt.date(2022, 7, 1), dt.date(2022, 10, 1)), ["Bristol", "Weston Outskirts"]
        ),
        id="Bristol and an unknown district, Q2 2022/23",
    ),
]


@pytest.mark.parametrize("grain", GRAINS)
@pytest.mark.parametrize("scope", DEMO_SCOPES)
def test_a_narrowed_read_of_the_demo_gives_the_full_reads_kpis(dirty_demo, scope, grain):
    full = narrowed_rows(kpis_of(dirty_demo, grain), grain, scope)
    narrowed = narrowed_rows(kpis_of(dirty_demo, grain, **scope._asdict()), grain, scope)
    assert_same_kpis_where_covered(narrowed, full)


def test_the_dirty_demo_has_duplicates_for_the_range_to_respect(dirty_demo):
    report = validate(read_source(dirty_demo)).report
    assert report.filter(pl.col("rule").str.starts_with("duplicate:")).height > 0
