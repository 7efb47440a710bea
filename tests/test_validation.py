"""Validation follows the contract rule by rule, and every row read is used or reported."""

from __future__ import annotations

import polars as pl
import pytest

from queries import load_source
from tests import fixture_rows


def test_report_lists_every_broken_rule_of_the_hand_built_fixture(fixture_source):
    report = load_source(fixture_source).report
    assert report.rows() == fixture_rows.EXPECTED_REPORT


def test_report_has_the_contract_columns_in_order(fixture_source):
    assert load_source(fixture_source).report.columns == ["table", "key", "severity", "rule"]


def test_rows_used_plus_rows_with_errors_equal_rows_read_in_every_table(fixture_source):
    reconciliation = load_source(fixture_source).reconciliation
    expected_read = {name: len(rows) for name, rows in fixture_rows.ALL_ROWS.items()}
    expected_used = {name: len(rows) for name, rows in fixture_rows.VALID.items()}
    assert dict(reconciliation.select("table", "rows_read").iter_rows()) == expected_read
    assert dict(reconciliation.select("table", "rows_used").iter_rows()) == expected_used
    assert reconciliation.filter(
        pl.col("rows_used") + pl.col("rows_with_errors") != pl.col("rows_read")
    ).is_empty()


def test_valid_rows_are_exactly_the_fixtures_valid_rows(fixture_source):
    validated = load_source(fixture_source)
    assert validated.crimes["crime_id"].to_list() == [r["crime_id"] for r in fixture_rows.CRIMES]
    assert validated.victims["victim_id"].to_list() == [
        r["victim_id"] for r in fixture_rows.VICTIMS
    ]
    assert validated.protective_orders["order_id"].to_list() == [
        r["order_id"] for r in fixture_rows.ORDERS
    ]
    assert validated.districts["district"].to_list() == ["North", "South", "Empty"]


def _case_id(table: str, row: dict, rule: str | None) -> str:
    return f"{table}: {rule or 'valid'} ({row.get('crime_id') or row.get('district')})"


@pytest.mark.parametrize(
    ("table", "row", "rule"),
    [pytest.param(*case, id=_case_id(*case)) for case in fixture_rows.SQLITE_ONLY],
)
def test_text_values_in_sqlite_parse_exactly_as_the_contract_says(
    sqlite_database, table, row, rule
):
    rows = {"districts": [{"district": "North", "population": 1}]}
    rows.setdefault(table, []).append(row)
    validated = load_source(sqlite_database(rows))
    key = row.get("crime_id") or row.get("district")
    lines = validated.report.filter(pl.col("key") == key)
    assert lines.select("severity", "rule").rows() == ([("error", rule)] if rule else [])


def test_text_timestamps_and_booleans_parse_to_their_values(sqlite_database):
    import datetime as dt

    rows = {
        "districts": [{"district": "North", "population": 1}],
        "crimes": [row for table, row, rule in fixture_rows.SQLITE_ONLY if rule is None],
    }
    crimes = load_source(sqlite_database(rows)).crimes.sort("crime_id")
    assert crimes["reported_at"].to_list() == [
        dt.datetime(2024, 3, 1, 10, 0, 0, 123456),
        dt.datetime(2024, 3, 2, 10),
    ]
    assert crimes["recorded_at"].to_list() == [dt.datetime(2024, 3, 1, 10, 0, 0, 500000), None]
    assert crimes["stalking_element"].to_list() == [True, True]
    assert crimes["domestic_abuse"].to_list() == [False, False]
    assert crimes["risk_level"].to_list() == [None, None]
