"""Bring your own data: optional tables and columns, query files, extract folders, kpi doctor,
impossible future dates and a reconciliation that catches a lost row."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from metrics import REGISTRY, Grain, compute_kpis, prepare_facts
from queries import SourceError, load_source
from queries import readers as readers_module
from queries.contract import TABLES
from queries.validation import unreconciled
from tests import fixture_rows
from tests.conftest import V1_TABLES, collected_metrics, write_sqlite

TODAY = "2026-12-04"
VICTIM_METRICS = {m.id for m in REGISTRY if any("victims." in i for i in m.inputs)}


def kpi(*args: str, env_today: str = TODAY) -> subprocess.CompletedProcess:
    import os

    env = {**os.environ, "KPI_TODAY": env_today}
    return subprocess.run(
        [sys.executable, "-m", "kpi", *args], capture_output=True, text=True, timeout=300, env=env
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def kpis_of(url: str, grain: Grain = Grain.MONTH, **options) -> pl.DataFrame:
    return compute_kpis(prepare_facts(load_source(url, **options)), grain)


# Optional tables and columns.


def test_the_victim_metrics_are_exactly_the_ones_whose_definitions_read_victims():
    # Worked out from the v1 catalogue by hand: the five victim-care metrics.
    assert {
        "victim_contact_24h_rate",
        "victim_contact_median_hours",
        "needs_assessment_rate",
        "referral_rate",
    } == VICTIM_METRICS


def test_without_victims_compute_succeeds_names_the_victim_metrics_and_keeps_every_other_value(
    tmp_path,
):
    full = write_sqlite(tmp_path / "full.sqlite", fixture_rows.ALL_ROWS)
    partial = write_sqlite(tmp_path / "partial.sqlite", fixture_rows.ALL_ROWS, omit=("victims",))
    result = kpi("compute", "--database-url", partial, "--grain", "quarter")
    assert result.returncode == 0, result.stderr
    for metric_id in VICTIM_METRICS:
        assert f"{metric_id} is unavailable: not collected: the source has no table victims" in (
            result.stderr
        )
    computed = pl.read_csv(
        result.stdout.encode(), schema_overrides={"period_start": pl.Date}, infer_schema=False
    )
    assert not set(computed["metric_id"]) & VICTIM_METRICS
    before = kpis_of(full, Grain.QUARTER).filter(~pl.col("metric_id").is_in(VICTIM_METRICS))
    after = kpis_of(partial, Grain.QUARTER)
    assert_frame_equal(after, before)


def test_a_missing_nullable_column_makes_only_the_metrics_reading_it_unavailable(tmp_path):
    url = write_sqlite(
        tmp_path / "source.sqlite", fixture_rows.ALL_ROWS, without={"crimes": ["classified_at"]}
    )
    plain = write_sqlite(tmp_path / "plain.sqlite", fixture_rows.ALL_ROWS)
    facts = prepare_facts(load_source(url))
    already = prepare_facts(load_source(plain)).unavailable  # the absent v1.1 tables' metrics
    assert {k: v for k, v in facts.unavailable.items() if k not in already} == {
        "classified_24h_rate": "not collected: the source has no column crimes.classified_at"
    }


def test_a_missing_required_column_is_an_error_naming_the_table_and_column(tmp_path):
    url = write_sqlite(
        tmp_path / "source.sqlite", fixture_rows.ALL_ROWS, without={"victims": ["support_declined"]}
    )
    result = kpi("compute", "--database-url", url, "--grain", "month")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"kpi: error: {url} is missing column victims.support_declined"
    ]


def test_a_source_without_crimes_cannot_be_used(tmp_path):
    url = write_sqlite(tmp_path / "source.sqlite", fixture_rows.ALL_ROWS, omit=("crimes",))
    with pytest.raises(SourceError, match="is missing table crimes"):
        load_source(url)


def test_rules_on_an_absent_column_are_not_checked(tmp_path):
    # Without outcome_at, outcome_pair cannot be judged: no crime is left out for it.
    url = write_sqlite(
        tmp_path / "source.sqlite", fixture_rows.ALL_ROWS, without={"crimes": ["outcome_at"]}
    )
    report = load_source(url).report
    assert "outcome_pair" not in report["rule"].to_list()
    assert not report["rule"].str.ends_with(":outcome_at").any()


# Impossible future dates.


def _with_crime_in_2099(rows):
    future = fixture_rows.crime(
        "C2099",
        "North",
        dt.datetime(2024, 3, 1, 9),
        "8Q",
        recorded_at=dt.datetime(2099, 3, 1, 9),
    )
    return {**rows, "crimes": [*rows["crimes"], future]}


def test_a_crime_recorded_in_2099_is_a_future_error_and_changes_no_kpi(tmp_path, monkeypatch):
    monkeypatch.setenv("KPI_TODAY", TODAY)
    plain = write_sqlite(tmp_path / "plain.sqlite", fixture_rows.ALL_ROWS)
    future = write_sqlite(tmp_path / "future.sqlite", _with_crime_in_2099(fixture_rows.ALL_ROWS))
    validated = load_source(future)
    lines = validated.report.filter(pl.col("key") == "C2099").rows()
    assert lines == [("crimes", "C2099", "error", "future:recorded_at")]
    crimes = validated.reconciliation.filter(pl.col("table") == "crimes").row(0, named=True)
    assert crimes["rows_read"] == len(fixture_rows.ALL_ROWS["crimes"]) + 1
    assert crimes["rows_used"] + crimes["rows_with_errors"] == crimes["rows_read"]
    for grain in Grain:
        assert_frame_equal(kpis_of(future, grain), kpis_of(plain, grain))


@pytest.mark.parametrize(
    ("today", "is_future"),
    [("2099-02-28", True), ("2099-03-01", False)],  # the crime is recorded 2099-03-01 09:00
)
def test_the_future_starts_at_the_end_of_today(tmp_path, monkeypatch, today, is_future):
    monkeypatch.setenv("KPI_TODAY", today)
    url = write_sqlite(tmp_path / "source.sqlite", _with_crime_in_2099(fixture_rows.VALID))
    rules = load_source(url).report.filter(pl.col("key") == "C2099")["rule"].to_list()
    assert rules == (["future:recorded_at"] if is_future else [])


# The reconciliation counts rows apart from validation, so a lost row shows.


def test_a_row_lost_between_the_read_and_validation_breaks_the_reconciliation(
    fixture_source, monkeypatch
):
    assert unreconciled(load_source(fixture_source).reconciliation) == []
    original = readers_module._Collector.result

    def lose_a_crime(self):
        frame = original(self)
        return frame.slice(1) if self.name == "crimes" and frame.height else frame

    monkeypatch.setattr(readers_module._Collector, "result", lose_a_crime)
    reconciliation = load_source(fixture_source).reconciliation
    assert unreconciled(reconciliation) == ["crimes"]
    crimes = reconciliation.filter(pl.col("table") == "crimes").row(0, named=True)
    assert crimes["rows_read"] == len(fixture_rows.ALL_ROWS["crimes"])
    assert crimes["rows_used"] + crimes["rows_with_errors"] == crimes["rows_read"] - 1


# Query files.


def _renamed_source(path: Path) -> str:
    """The fixture with crimes stored as a force might: another table name and column names."""
    url = write_sqlite(path, fixture_rows.ALL_ROWS)
    with sqlite3.connect(path) as connection:
        connection.execute("ALTER TABLE crimes RENAME TO occurrence")
        connection.execute("ALTER TABLE occurrence RENAME COLUMN crime_id TO urn")
        connection.execute("ALTER TABLE occurrence RENAME COLUMN district TO lpa")
    connection.close()
    return url


CRIMES_SQL = """-- Crimes from the force's occurrence table.
SELECT urn AS crime_id, lpa AS district, reported_at, recorded_at, classified_at,
       offence_code, stalking_element, domestic_abuse, risk_level, breach_of_order_id,
       arrested_at, outcome_code, outcome_at, 'ignored' AS force_notes
FROM occurrence;
"""


def test_a_query_file_maps_a_forces_own_table_onto_the_contract(tmp_path):
    plain = write_sqlite(tmp_path / "plain.sqlite", fixture_rows.ALL_ROWS)
    renamed = _renamed_source(tmp_path / "renamed.sqlite")
    queries = tmp_path / "queries"
    queries.mkdir()
    (queries / "crimes.sql").write_text(CRIMES_SQL)
    mapped = load_source(renamed, queries_dir=queries)
    assert_frame_equal(mapped.report, load_source(plain).report)
    for grain in Grain:
        assert_frame_equal(kpis_of(renamed, grain, queries_dir=queries), kpis_of(plain, grain))


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("DELETE FROM occurrence", "a DELETE statement; only a SELECT or WITH … SELECT is allowed"),
        ("DROP TABLE occurrence;", "a DROP statement; only a SELECT or WITH … SELECT is allowed"),
        ("SELECT 1; DELETE FROM occurrence", "holds 2 statements; only one SELECT is allowed"),
        ("SELECT urn AS crime_id FROM no_such_table", "no such table: no_such_table"),
        ("SELECT urn AS crime_id FRM occurrence", 'near "FRM": syntax error'),
    ],
)
def test_a_bad_query_file_gets_one_line_naming_the_file_and_leaves_the_source_unchanged(
    tmp_path, sql, message
):
    renamed = _renamed_source(tmp_path / "renamed.sqlite")
    before = digest(tmp_path / "renamed.sqlite")
    queries = tmp_path / "queries"
    queries.mkdir()
    (queries / "crimes.sql").write_text(sql)
    result = kpi(
        "compute", "--database-url", renamed, "--queries", str(queries), "--grain", "month"
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"kpi: error: {queries / 'crimes.sql'}: ")
    assert message in lines[0]
    assert "Traceback" not in result.stderr
    assert digest(tmp_path / "renamed.sqlite") == before


def test_a_query_file_named_after_no_table_is_refused(tmp_path, fixture_source):
    queries = tmp_path / "queries"
    queries.mkdir()
    (queries / "crime.sql").write_text("SELECT 1")
    with pytest.raises(SourceError, match=r"crime\.sql name no contract table"):
        load_source(fixture_source, queries_dir=queries)


# Extract folders.


def _export_csv(url_path: Path, folder: Path, tables) -> None:
    """Each table's stored text as CSV, straight from SQLite (no project code)."""
    import csv

    folder.mkdir()
    with sqlite3.connect(url_path) as connection:
        for table in tables:
            cursor = connection.execute(f"SELECT * FROM {table}")
            with (folder / f"{table}.csv").open("w", newline="", encoding="utf-8") as file:
                writer = csv.writer(file)
                writer.writerow([d[0] for d in cursor.description])
                writer.writerows(cursor.fetchall())
    connection.close()


def test_a_folder_of_csv_files_gives_the_same_report_and_kpis_as_the_database(tmp_path):
    path = tmp_path / "source.sqlite"
    url = write_sqlite(path, fixture_rows.ALL_ROWS)
    folder = tmp_path / "extracts"
    _export_csv(path, folder, V1_TABLES)
    before = {p.name: digest(p) for p in folder.iterdir()}
    from_files = load_source(str(folder))
    from_database = load_source(url)
    assert_frame_equal(from_files.report, from_database.report)
    assert_frame_equal(from_files.reconciliation, from_database.reconciliation)
    for grain in Grain:
        assert_frame_equal(kpis_of(str(folder), grain), kpis_of(url, grain))
    assert {p.name: digest(p) for p in folder.iterdir()} == before


def test_a_folder_of_typed_parquet_files_gives_the_same_kpis_as_the_database(tmp_path):
    from tests.test_kpis_against_sql import typed_frames

    url = write_sqlite(tmp_path / "source.sqlite", fixture_rows.VALID)
    folder = tmp_path / "parquet"
    folder.mkdir()
    for name, frame in typed_frames(fixture_rows.VALID).items():
        if name in V1_TABLES:
            frame.write_parquet(folder / f"{name}.parquet")
    for grain in Grain:
        assert_frame_equal(kpis_of(str(folder), grain), kpis_of(url, grain))


def test_two_files_for_one_table_are_refused(tmp_path):
    folder = tmp_path / "extracts"
    path = tmp_path / "source.sqlite"
    write_sqlite(path, fixture_rows.VALID)
    _export_csv(path, folder, V1_TABLES)
    pl.read_csv(folder / "crimes.csv").write_parquet(folder / "crimes.parquet")
    with pytest.raises(SourceError, match=r"crimes\.csv, crimes\.parquet both hold crimes"):
        load_source(str(folder))


# kpi doctor.


def test_doctor_on_a_good_source_finds_every_table_and_every_metric_available(fixture_source):
    result = kpi("doctor", "--database-url", fixture_source)
    assert result.returncode == 0, result.stderr
    for name in V1_TABLES:
        rows = len(fixture_rows.ALL_ROWS[name])
        assert f"- {name} (" in result.stdout
        assert f"found as table {name}, {rows:,} rows" in result.stdout
    # The v1.1 tables and columns are absent: their metrics alone are unavailable.
    available = collected_metrics(fixture_rows.ALL_ROWS)
    assert f"Metrics: {len(available)} of {len(REGISTRY)} available" in result.stdout
    crimes_errors = len(fixture_rows.INVALID["crimes"])
    crimes_read = len(fixture_rows.ALL_ROWS["crimes"])
    share = crimes_errors / crimes_read
    assert f"- crimes: {crimes_errors:,} of {crimes_read:,} ({share:.1%})" in result.stdout


def test_doctor_on_a_source_missing_victims_says_so_and_names_the_metrics(tmp_path):
    url = write_sqlite(tmp_path / "source.sqlite", fixture_rows.ALL_ROWS, omit=("victims",))
    result = kpi("doctor", "--database-url", url)
    assert result.returncode == 0, result.stderr
    assert "- victims (optional): NOT FOUND" in result.stdout
    for metric_id in VICTIM_METRICS:
        assert f"- {metric_id}: not collected: the source has no table victims" in result.stdout


def test_doctor_on_a_source_missing_crimes_exits_1(tmp_path):
    url = write_sqlite(tmp_path / "source.sqlite", fixture_rows.ALL_ROWS, omit=("crimes",))
    result = kpi("doctor", "--database-url", url)
    assert result.returncode == 1
    assert "- crimes (required): NOT FOUND" in result.stdout


def test_doctor_names_a_column_that_mostly_does_not_parse_with_examples(tmp_path):
    rows = {**fixture_rows.VALID}
    rows["crimes"] = [{**row, "reported_at": "01/02/2024 09:00"} for row in rows["crimes"]]
    url = write_sqlite(tmp_path / "source.sqlite", rows)
    result = kpi("doctor", "--database-url", url)
    assert result.returncode == 0, result.stderr
    count = len(rows["crimes"])
    assert (
        f"column reported_at: {count:,} of {count:,} values (100%) do not parse as timestamp, "
        "e.g. '01/02/2024 09:00'"
    ) in result.stdout
    assert f"- crimes: {count:,} of {count:,} (100.0%)" in result.stdout


def test_a_pack_names_the_kpis_the_source_does_not_collect_and_gives_them_no_page(tmp_path):
    from pypdf import PdfReader

    url = write_sqlite(tmp_path / "source.sqlite", fixture_rows.ALL_ROWS, omit=("victims",))
    output = tmp_path / "pack.pdf"
    result = kpi(
        "pack",
        "--database-url",
        url,
        "--grain",
        "quarter",
        "--period",
        "2024/25 Q1",
        "--output",
        str(output),
    )
    assert result.returncode == 0, result.stderr
    pages = [page.extract_text() for page in PdfReader(output).pages]
    cover = " ".join(pages[0].split())
    assert "Not collected" in cover
    for metric in REGISTRY:
        if metric.id in VICTIM_METRICS:
            assert f"{metric.title} (not collected: the source has no table victims)" in cover
    body = " ".join(" ".join(text.split()) for text in pages[1:])
    victim_titles = [m.title for m in REGISTRY if m.id in VICTIM_METRICS]
    kept_title = REGISTRY.get("stalking_crimes").title
    assert kept_title in body
    # A victim KPI's title appears on no page after the cover (no page, no contents line).
    assert not any(title in body for title in victim_titles)
