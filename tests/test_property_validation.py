"""Property-based: random, mostly broken rows never crash validation or metrics, and reconcile."""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metrics import REGISTRY, Grain, compute_kpis, prepare_facts
from queries import load_source, validate
from queries.contract import TABLES, Kind
from tests.conftest import write_sqlite

IDS = st.sampled_from(["C1", "C2", "C3", "V1", "V2", "O1", "O2", "", " ", "c1", "C1 "])
DISTRICT_NAMES = st.sampled_from(["North", "South", "Mars", "", "All", "north", "Nörth", "'; --"])
TIMESTAMPS = st.one_of(
    st.none(),
    st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2026, 12, 31)).map(
        lambda t: t.isoformat(sep=" ")
    ),
    st.sampled_from(
        [
            "2024-02-30 10:00:00",
            "2024-01-01",
            "yesterday",
            "",
            "2024-13-01 00:00:00",
            "2024-01-01T10:00:00.1234567",
            "9999-12-31 23:59:59",
            "0001-01-01 00:00:00",
        ]
    ),
)
BOOLEANS = st.sampled_from([None, "1", "0", "true", "FALSE", "t", "f", "yes", "", "2", "True "])
TEXT = st.one_of(st.none(), st.text(max_size=12))
VALUES = {
    "crime_id": IDS,
    "victim_id": IDS,
    "order_id": IDS,
    "district": DISTRICT_NAMES,
    "offence_code": st.sampled_from(["8Q", "8L", "8M", "8R", "8U", "105A", "", None, "8q"]),
    "risk_level": st.sampled_from(["standard", "medium", "high", "High", "", None]),
    "outcome_code": st.sampled_from(["1", "1A", "14", "16", "0", "23", "", None, "3a"]),
    "order_type": st.sampled_from(["SPO", "ISPO", "RO", "spo", "", None]),
    "decision": st.sampled_from(["granted", "refused", "withdrawn", "Granted", None]),
    "breach_of_order_id": st.sampled_from(["O1", "O2", "O9", "", None]),
    "unit": st.sampled_from(["CID", "cid", "patrol", "", None]),
    "population": st.sampled_from(["1000", "0", "-5", "12.5", "many", "", None, "1e3"]),
    "referral_service": TEXT,
}


def _value(column):
    if column.name in VALUES:
        return VALUES[column.name]
    if column.kind == Kind.TIMESTAMP:
        return TIMESTAMPS
    if column.kind == Kind.BOOLEAN:
        return BOOLEANS
    return TEXT


def table_rows(table):
    row = st.fixed_dictionaries({column.name: _value(column) for column in table.columns})
    return st.lists(row, max_size=12)


SOURCES = st.fixed_dictionaries({table.name: table_rows(table) for table in TABLES})


def raw_frames(rows):
    """Raw frames as the SQLite reader delivers them: every column text."""
    return {
        table.name: pl.DataFrame(
            [{name: row[name] for name in table.column_names} for row in rows[table.name]],
            schema=dict.fromkeys(table.column_names, pl.String),
            orient="row",
        )
        for table in TABLES
    }


def assert_reconciled(validated, rows):
    for line in validated.reconciliation.iter_rows(named=True):
        assert line["rows_read"] == len(rows[line["table"]])
        assert line["rows_used"] + line["rows_with_errors"] == line["rows_read"]
        assert validated.tables[line["table"]].height == line["rows_used"]


def assert_sane_kpis(validated):
    facts = prepare_facts(validated)
    for grain in Grain:
        kpis = compute_kpis(facts, grain)
        if facts.first_date is None:
            assert kpis.is_empty()
            continue
        districts = facts.districts.height + 1
        periods = kpis["period_start"].n_unique()
        # Force-only metrics (stocks read by department) have the force row alone.
        force_only = sum(metric.force_only for metric in REGISTRY)
        by_district = len(REGISTRY) - force_only
        assert kpis.height == (by_district * districts + force_only) * periods
        assert kpis.filter(pl.col("value").is_nan()).is_empty()
        assert kpis.filter(pl.col("numerator") < 0).is_empty()
        fractions = [m.id for m in REGISTRY if m.unit.value == "fraction"]
        assert kpis.filter(
            pl.col("metric_id").is_in(fractions) & ~pl.col("value").is_between(0, 1)
        ).is_empty()


@settings(max_examples=150, deadline=None)
@given(SOURCES)
def test_random_rows_never_crash_validation_or_metrics_and_always_reconcile(rows):
    validated = validate(raw_frames(rows))
    assert_reconciled(validated, rows)
    assert_sane_kpis(validated)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(SOURCES)
def test_random_rows_stored_in_sqlite_read_back_and_reconcile(tmp_path, rows):
    path = tmp_path / "random.sqlite"
    path.unlink(missing_ok=True)
    validated = load_source(write_sqlite(path, rows))
    assert_reconciled(validated, rows)
    assert_sane_kpis(validated)
