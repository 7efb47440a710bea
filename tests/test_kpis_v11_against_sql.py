"""On the v1.1 fixture, every metric of the registry agrees with the DuckDB oracle, cell for cell.

The oracle (``benchmarks/duckdb_kpis.py``) is proved against cells worked out by hand in
``tests/test_oracle_v11.py``; here the product is read from a SQLite copy of the fixture
(valid and invalid rows) and compared with the oracle fed the valid rows straight from
Python. The fixture has every optional table and column, so every metric has rows.
"""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from benchmarks.duckdb_kpis import duckdb_departments, duckdb_kpis
from metrics import REGISTRY, Grain, compute_kpis, prepare_facts
from metrics.departments import department_kpis
from queries import load_source
from queries.contract import TABLES
from tests import fixture_rows
from tests import fixture_rows_v11 as fx
from tests.test_oracle_v11 import typed

GRAINS = [pytest.param(grain, id=f"grain: {grain}") for grain in Grain]
METRICS = [pytest.param(metric.id, id=metric.id) for metric in REGISTRY]


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> str:
    from tests.conftest import write_sqlite

    return write_sqlite(tmp_path_factory.mktemp("v11") / "fixture.sqlite", fx.ALL_ROWS)


@pytest.fixture(scope="module")
def facts(source):
    return prepare_facts(load_source(source))


@pytest.fixture(scope="module")
def engine_kpis(facts) -> dict[Grain, pl.DataFrame]:
    return {grain: compute_kpis(facts, grain) for grain in Grain}


@pytest.fixture(scope="module")
def sql_kpis() -> dict[Grain, pl.DataFrame]:
    ids = [metric.id for metric in REGISTRY]
    return {grain: duckdb_kpis(typed(fx.VALID), grain.value, metric_ids=ids) for grain in Grain}


@pytest.mark.parametrize("grain", GRAINS)
@pytest.mark.parametrize("metric_id", METRICS)
def test_metric_matches_the_oracle_on_the_v11_fixture(engine_kpis, sql_kpis, grain, metric_id):
    ours = engine_kpis[grain].filter(pl.col("metric_id") == metric_id)
    theirs = sql_kpis[grain].filter(pl.col("metric_id") == metric_id)
    assert ours.height == theirs.height > 0
    assert_frame_equal(
        ours.select(theirs.columns), theirs, check_exact=False, rel_tol=1e-12, abs_tol=1e-12
    )


@pytest.mark.parametrize("grain", GRAINS)
def test_departments_match_the_oracle_on_the_v11_fixture(facts, grain):
    ours = department_kpis(facts, grain)
    theirs = duckdb_departments(typed(fx.VALID), grain.value)
    assert ours.height == theirs.height > 0
    order = ["metric_id", "period_start", "department"]  # the spec gives no row order
    assert_frame_equal(
        ours.select(theirs.columns).sort(order),
        theirs.sort(order),
        check_exact=False,
        rel_tol=1e-12,
        abs_tol=1e-12,
    )


def test_the_report_lists_the_v1_and_the_v11_lines_table_by_table(source):
    report = load_source(source).report
    expected = fixture_rows.EXPECTED_REPORT + fx.EXPECTED_V11_REPORT
    tables = [table.name for table in TABLES]
    expected.sort(key=lambda line: tables.index(line[0]))  # stable: row order within a table
    assert report.rows() == expected


def test_the_valid_rows_are_those_the_oracle_was_given(source):
    validated = load_source(source)
    for name, rows in fx.VALID.items():
        assert validated.tables[name].height == len(rows), name
