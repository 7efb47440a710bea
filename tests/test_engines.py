"""The same rows give the same report and the same KPIs from SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import pytest
from polars.testing import assert_frame_equal

from metrics import Grain, compute_kpis, prepare_facts
from queries import load_source
from tests import fixture_rows


@pytest.fixture
def sqlite_result(sqlite_database):
    return load_source(sqlite_database(fixture_rows.ALL_ROWS))


@pytest.fixture(
    params=[
        pytest.param("postgres", marks=pytest.mark.postgres),
        pytest.param("mariadb", marks=pytest.mark.mariadb),
    ]
)
def server_result(request):
    build = request.getfixturevalue(f"{request.param}_database")
    return load_source(build(fixture_rows.ALL_ROWS))


def test_server_gives_the_same_data_quality_report_as_sqlite(sqlite_result, server_result):
    assert server_result.report.rows() == fixture_rows.EXPECTED_REPORT
    assert_frame_equal(server_result.reconciliation, sqlite_result.reconciliation)


@pytest.mark.parametrize("grain", [pytest.param(g, id=f"grain: {g}") for g in Grain])
def test_server_gives_identical_kpis_to_sqlite(sqlite_result, server_result, grain):
    expected = compute_kpis(prepare_facts(sqlite_result), grain)
    assert_frame_equal(compute_kpis(prepare_facts(server_result), grain), expected)


def test_server_timestamps_and_booleans_arrive_typed(server_result):
    crimes = server_result.crimes
    assert str(crimes.schema["reported_at"]) == "Datetime(time_unit='us', time_zone=None)"
    assert crimes.filter(crimes["crime_id"] == "C02")["recorded_at"].item().isoformat() == (
        "2024-03-31T23:59:59"
    )
    assert crimes["stalking_element"].to_list() == [
        row["stalking_element"] for row in fixture_rows.CRIMES
    ]
