"""The ``kpi`` command, run as a user runs it: exact outputs, and one-line errors."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from benchmarks.duckdb_kpis import duckdb_kpis
from metrics import REGISTRY
from tests import fixture_rows
from tests.spec import spec_metrics
from tests.test_kpis_against_sql import typed_frames


def kpi(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kpi", *args], capture_output=True, text=True, timeout=300
    )


# kpi-definitions.md v1.1: the four outcome rates mature after 90 days, the others at once.
MATURITY_DAYS = {
    "positive_outcome_rate": 90,
    "charge_summons_rate": 90,
    "victim_not_supporting_rate": 90,
    "outcome_pending_rate": 90,
}
MONTHS = {"month": 1, "quarter": 3, "financial_year": 12}
FIXTURE_LATEST = dt.date(2024, 7, 10)  # O4's decision: the latest valid record


def last_day(start: dt.date, grain: str) -> dt.date:
    """The period's last day, by hand: the day before the next period starts."""
    index = start.year * 12 + start.month - 1 + MONTHS[grain]
    return dt.date(index // 12, index % 12 + 1, 1) - dt.timedelta(days=1)


@pytest.mark.parametrize("grain", ["month", "quarter", "financial_year"])
def test_compute_csv_matches_the_plain_sql_computation_cell_for_cell(fixture_source, grain):
    result = kpi("compute", "--database-url", fixture_source, "--grain", grain)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "metric_id,period_start,period_label,district,numerator,denominator,value,provisional"
    )
    expected = duckdb_kpis(typed_frames(fixture_rows.VALID), grain)
    rows = list(csv.reader(io.StringIO(result.stdout)))[1:]
    assert len(rows) == expected.height
    for row, want in zip(rows, expected.iter_rows(), strict=True):
        assert row[:4] == [want[0], want[1].isoformat(), want[2], want[3]]
        assert row[4] == ("" if want[4] is None else str(want[4]))
        assert row[5] == ("" if want[5] is None else str(want[5]))
        assert (None if row[6] == "" else float(row[6])) == (
            None if want[6] is None else pytest.approx(want[6], rel=1e-12)
        )
        settled = last_day(want[1], grain) + dt.timedelta(days=MATURITY_DAYS.get(want[0], 0))
        assert row[7] == ("true" if settled > FIXTURE_LATEST else "false")


def test_compute_writes_counts_as_whole_numbers_and_nulls_as_empty_cells(fixture_source):
    result = kpi("compute", "--database-url", fixture_source, "--grain", "financial_year")
    lines = result.stdout.splitlines()
    assert "stalking_crimes,2024-04-01,2024/25,All,3,,3,true" in lines
    assert "sh_crimes_per_1000,2024-04-01,2024/25,Mars,0,,,true" in lines
    assert "high_risk_days_to_cid,2023-04-01,2023/24,South,,1,0.041666666666666664,false" in lines


def test_compute_json_has_the_same_figures_as_csv(fixture_source, tmp_path):
    output = tmp_path / "kpis.json"
    result = kpi(
        "compute",
        "--database-url",
        fixture_source,
        "--grain",
        "quarter",
        "--format",
        "json",
        "--output",
        str(output),
    )
    assert result.returncode == 0, result.stderr
    records = json.loads(output.read_text())
    row = next(
        r
        for r in records
        if r["metric_id"] == "referral_rate"
        and r["period_label"] == "2023/24 Q4"
        and r["district"] == "All"
    )
    assert row == {
        "metric_id": "referral_rate",
        "period_start": "2024-01-01",
        "period_label": "2023/24 Q4",
        "district": "All",
        "numerator": 2,
        "denominator": 3,
        "value": pytest.approx(2 / 3),
        "provisional": False,
    }


def test_compute_can_narrow_to_domestic_abuse_cases(fixture_source):
    result = kpi(
        "compute",
        "--database-url",
        fixture_source,
        "--grain",
        "financial_year",
        "--domestic-abuse",
        "da",
    )
    lines = result.stdout.splitlines()
    # DA stalking crimes recorded: C01 (2023/24) only; C06 is DA but never recorded.
    assert "stalking_crimes,2023-04-01,2023/24,All,1,,1,false" in lines
    assert "stalking_crimes,2024-04-01,2024/25,All,0,,0,true" in lines


def test_validate_lists_every_broken_rule(fixture_source):
    result = kpi("validate", "--database-url", fixture_source)
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["table", "key", "severity", "rule"]
    assert [tuple(row) for row in rows[1:]] == fixture_rows.EXPECTED_REPORT
    assert "crimes: 22 read = 12 used + 10 with errors; 3 with warnings" in result.stderr


def test_validate_json_lists_the_same_lines(fixture_source):
    result = kpi("validate", "--database-url", fixture_source, "--format", "json")
    lines = [tuple(line.values()) for line in json.loads(result.stdout)]
    assert lines == fixture_rows.EXPECTED_REPORT


def test_metrics_lists_the_whole_registry():
    result = kpi("metrics", "--format", "csv")
    catalogue = pl.read_csv(io.StringIO(result.stdout))
    assert catalogue.columns == ["id", "title", "unit", "direction", "definition", "inputs"]
    assert catalogue["id"].to_list() == REGISTRY.ids
    assert catalogue["id"].to_list() == [metric.id for metric in spec_metrics()]


def _assert_one_line_error(result: subprocess.CompletedProcess, *fragments: str) -> None:
    assert result.returncode != 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("kpi: error: ")
    for fragment in fragments:
        assert fragment in lines[0]


def test_a_missing_sqlite_file_is_an_error_and_is_not_created(tmp_path):
    missing = tmp_path / "nope.sqlite"
    result = kpi("compute", "--database-url", f"sqlite:///{missing}", "--grain", "month")
    _assert_one_line_error(result, "not found", str(missing))
    assert not missing.exists()


def test_an_unreachable_database_is_a_one_line_error():
    url = "postgresql://nobody@127.0.0.1:1/none"
    _assert_one_line_error(kpi("validate", "--database-url", url), "cannot reach")


def test_a_missing_required_table_is_named_in_a_one_line_error(sqlite_database, tmp_path):
    import sqlite3

    url = sqlite_database(fixture_rows.VALID)
    with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
        connection.execute("DROP TABLE crimes")
    connection.close()
    _assert_one_line_error(
        kpi("compute", "--database-url", url, "--grain", "month"), "missing table crimes"
    )


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["compute", "--database-url", "sqlite:///x", "--grain", "week"], id="grain"),
        pytest.param(["compute", "--grain", "month"], id="no database url"),
        pytest.param(["compute", "--database-url", "not a url", "--grain", "month"], id="url"),
        pytest.param(["demo-data", "--output", "x.sqlite", "--crimes", "-3"], id="crimes"),
        pytest.param(
            ["demo-data", "--output", "x.sqlite", "--dirty-fraction", "2"], id="dirty fraction"
        ),
        pytest.param(["launch"], id="unknown command"),
    ],
)
def test_bad_arguments_give_one_line_and_a_non_zero_exit(args, monkeypatch):
    monkeypatch.delenv("KPI_DATABASE_URL", raising=False)
    _assert_one_line_error(kpi(*args))


def test_an_output_folder_that_does_not_exist_is_a_one_line_error(fixture_source, tmp_path):
    target = tmp_path / "missing" / "out.csv"
    result = kpi(
        "compute", "--database-url", fixture_source, "--grain", "month", "--output", str(target)
    )
    _assert_one_line_error(result, "does not exist")


def test_the_kpi_script_is_installed_on_the_path():
    script = Path(sys.executable).parent / "kpi"
    result = subprocess.run([str(script), "metrics"], capture_output=True, text=True)
    assert result.returncode == 0
    assert "victim_contact_24h_rate" in result.stdout


def test_demo_data_creates_its_folder_and_a_database_that_validates(tmp_path):
    target = tmp_path / "new" / "folder" / "demo.sqlite"
    result = kpi("demo-data", "--output", str(target), "--crimes", "500", "--seed", "3")
    assert result.returncode == 0, result.stderr
    validated = kpi("validate", "--database-url", f"sqlite:///{target}")
    assert validated.stdout.splitlines() == ["table,key,severity,rule"]  # clean: no lines
    assert "crimes: 500 read = 500 used + 0 with errors" in validated.stderr


def test_demo_data_refuses_to_overwrite_without_being_told(tmp_path):
    target = tmp_path / "demo.sqlite"
    assert kpi("demo-data", "--output", str(target), "--crimes", "200").returncode == 0
    _assert_one_line_error(kpi("demo-data", "--output", str(target), "--crimes", "200"))


def test_compute_as_at_a_later_date_makes_a_finished_period_mature(fixture_source):
    # As at 31 July 2024, July (maturity 0) has ended; outcome rates for April 2024 are mature
    # (30 April + 90 days = 29 July) but May's are not (31 May + 90 days = 29 August).
    result = kpi(
        "compute", "--database-url", fixture_source, "--grain", "month", "--as-at", "2024-07-31"
    )
    assert result.returncode == 0, result.stderr
    rows = {
        (r["metric_id"], r["period_label"]): r["provisional"]
        for r in csv.DictReader(io.StringIO(result.stdout))
        if r["district"] == "All"
    }
    assert rows[("stalking_crimes", "2024-07")] == "false"
    assert rows[("positive_outcome_rate", "2024-04")] == "false"
    assert rows[("positive_outcome_rate", "2024-05")] == "true"
    assert "data as at 2024-07-31" in result.stderr


def test_an_as_at_date_before_the_latest_record_is_refused_in_one_line(fixture_source):
    result = kpi(
        "compute", "--database-url", fixture_source, "--grain", "month", "--as-at", "2024-07-09"
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines()[-1] == (
        "kpi: error: --as-at 2024-07-09 is earlier than the latest valid record (2024-07-10); "
        "use that date or a later one"
    )


def test_an_as_at_that_is_not_a_date_is_a_usage_error(fixture_source):
    result = kpi(
        "compute", "--database-url", fixture_source, "--grain", "month", "--as-at", "31/07/2024"
    )
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "not a date like 2025-03-31" in result.stderr
