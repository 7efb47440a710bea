"""The independent DuckDB oracle agrees with the v1.1 cells worked out by hand.

This proves the oracle (``benchmarks/duckdb_kpis.py``) on the hand-built fixture of
``tests/fixture_rows_v11.py``, so the product can then be compared with it cell for cell.
The rows go to DuckDB straight from Python, typed by the contract's declared kinds only.
"""

from __future__ import annotations

import polars as pl
import pytest

from benchmarks.duckdb_kpis import SPEC_METRICS, duckdb_departments, duckdb_kpis
from queries.contract import TABLES, Kind
from tests import fixture_rows_v11 as fx

_DTYPES = {
    Kind.TEXT: pl.String,
    Kind.TIMESTAMP: pl.Datetime("us"),
    Kind.BOOLEAN: pl.Boolean,
    Kind.INTEGER: pl.Int64,
}
GRAINS = ["month", "quarter", "financial_year"]
TRAINING_METRICS = ["stalking_elearning_takeup", "spo_training_takeup"]
ALL_PLACES = ["All", *fx.KNOWN_DISTRICTS, *fx.UNKNOWN_DISTRICTS]
V1_TABLES = {"districts", "crimes", "allocations", "victims", "protective_orders"}


def typed(rows: dict[str, list[dict]], without: dict[str, str] | None = None) -> dict:
    """Typed frames of the tables given, with the columns the rows name (all, if none).

    ``without`` drops one column from a table.
    """
    without = without or {}
    frames = {}
    for table in TABLES:
        if table.name not in rows:
            continue
        given = {name for row in rows[table.name] for name in row}
        columns = [
            c
            for c in table.columns
            if c.name != without.get(table.name) and (c.name in given or not rows[table.name])
        ]
        frames[table.name] = pl.DataFrame(
            [{c.name: row.get(c.name) for c in columns} for row in rows[table.name]],
            schema={c.name: _DTYPES[c.kind] for c in columns},
            orient="row",
        )
    return frames


@pytest.fixture(scope="module")
def kpis() -> dict[str, pl.DataFrame]:
    tables = typed(fx.VALID)
    return {grain: duckdb_kpis(tables, grain) for grain in GRAINS}


@pytest.fixture(scope="module")
def departments() -> dict[str, pl.DataFrame]:
    tables = typed(fx.VALID)
    return {grain: duckdb_departments(tables, grain) for grain in GRAINS}


def _cell(frame: pl.DataFrame, metric_id: str, label: str, column: str, place: str) -> tuple:
    rows = frame.filter(
        (pl.col("metric_id") == metric_id)
        & (pl.col("period_label") == label)
        & (pl.col(column) == place)
    )
    assert rows.height == 1, (metric_id, label, place, rows)
    return rows.select("numerator", "denominator", "value").row(0)


def _same(got: tuple, want: tuple) -> bool:
    numerator, denominator, value = want
    return got[:2] == (numerator, denominator) and (
        got[2] is None if value is None else got[2] == pytest.approx(value, rel=1e-12)
    )


@pytest.mark.parametrize(
    ("grain", "metric_id", "label", "district"),
    list(fx.EXPECTED),
    ids=lambda value: str(value),
)
def test_the_oracle_gives_every_cell_worked_out_by_hand(kpis, grain, metric_id, label, district):
    got = _cell(kpis[grain], metric_id, label, "district", district)
    assert _same(got, fx.EXPECTED[grain, metric_id, label, district]), got


@pytest.mark.parametrize(
    ("grain", "metric_id", "label", "department"),
    list(fx.EXPECTED_DEPARTMENTS),
    ids=lambda value: str(value),
)
def test_the_oracle_gives_every_department_cell_worked_out_by_hand(
    departments, grain, metric_id, label, department
):
    got = _cell(departments[grain], metric_id, label, "department", department)
    assert _same(got, fx.EXPECTED_DEPARTMENTS[grain, metric_id, label, department]), got


def test_the_hand_worked_cells_cover_every_v11_metric_at_every_grain() -> None:
    optional = [m.id for m in SPEC_METRICS if not set(m.needs) <= V1_TABLES]
    assert len(optional) >= len(fx.VALID) - len(V1_TABLES)  # at least one per optional table
    covered = {(grain, metric_id) for grain, metric_id, _, _ in fx.EXPECTED}
    for metric_id in optional:
        for grain in GRAINS:
            assert (grain, metric_id) in covered, (grain, metric_id)
    for metric_id in TRAINING_METRICS:
        for grain in GRAINS:
            assert any(k[:2] == (grain, metric_id) for k in fx.EXPECTED_DEPARTMENTS)


@pytest.mark.parametrize("grain", GRAINS)
def test_every_metric_has_a_row_per_period_and_place_and_training_only_the_force(kpis, grain):
    frame = kpis[grain]
    periods = fx.PERIODS[grain]
    assert frame["metric_id"].unique(maintain_order=True).to_list() == [m.id for m in SPEC_METRICS]
    for metric in SPEC_METRICS:
        rows = frame.filter(pl.col("metric_id") == metric.id)
        places = ["All"] if metric.id in TRAINING_METRICS else ALL_PLACES
        assert rows["period_label"].unique(maintain_order=True).to_list() == periods
        assert rows.height == len(periods) * len(places), metric.id
        assert sorted(rows["district"].unique().to_list()) == sorted(places)


@pytest.mark.parametrize("grain", GRAINS)
def test_departments_have_a_row_per_workforce_department_and_period_and_no_force_row(
    departments, grain
):
    frame = departments[grain]
    assert frame["metric_id"].unique(maintain_order=True).to_list() == TRAINING_METRICS
    assert frame.height == len(TRAINING_METRICS) * len(fx.PERIODS[grain]) * len(fx.DEPARTMENTS)
    assert sorted(frame["department"].unique().to_list()) == fx.DEPARTMENTS
    headcounts = {row["department"]: row["headcount"] for row in fx.WORKFORCE}
    for department, headcount in headcounts.items():
        assert set(frame.filter(pl.col("department") == department)["denominator"]) == {headcount}


def test_reviews_are_counted_once_at_every_grain(kpis) -> None:
    """Five reviews in all, whatever the grain: R1's two months never make it six."""
    for grain in GRAINS:
        force = kpis[grain].filter(
            (pl.col("metric_id") == "case_reviews_completed") & (pl.col("district") == "All")
        )
        assert force["numerator"].sum() == 5, grain


OPTIONAL_INPUTS = [
    pytest.param({"drop_table": "case_reviews"}, id="without case_reviews"),
    pytest.param({"drop_table": "victim_survey"}, id="without victim_survey"),
    pytest.param({"drop_table": "workforce"}, id="without workforce"),
    pytest.param({"drop_table": "training_records"}, id="without training_records"),
    pytest.param({"drop_column": ("crimes", "online_element")}, id="without online_element"),
    pytest.param(
        {"drop_column": ("protective_orders", "iom_referred_at")}, id="without iom_referred_at"
    ),
]
_NEEDS = {
    "case_reviews": {"case_reviews_completed", "review_compliance_rate", "spo_considered_rate"},
    "victim_survey": {"victim_satisfaction_rate"},
    "workforce": set(TRAINING_METRICS),
    "training_records": set(TRAINING_METRICS),
    "crime_data_audits": {"sh_recording_compliance"},
    "online_element": {"online_element_rate"},
    "iom_referred_at": {"spo_iom_referral_rate"},
}


@pytest.mark.parametrize("change", OPTIONAL_INPUTS)
def test_an_absent_input_removes_only_its_metrics(kpis, change) -> None:
    grain = "month"
    rows = dict(fx.VALID)
    without = {}
    if "drop_table" in change:
        del rows[change["drop_table"]]
        gone = _NEEDS[change["drop_table"]]
    else:
        table, column = change["drop_column"]
        without[table] = column
        gone = _NEEDS[column]
    result = duckdb_kpis(typed(rows, without), grain)
    assert set(result["metric_id"]) == {m.id for m in SPEC_METRICS} - gone
    # None of these inputs sets the span or the places: the other metrics are unchanged.
    assert result.equals(kpis[grain].filter(~pl.col("metric_id").is_in(list(gone))))


def test_without_audits_the_span_and_the_places_shrink(kpis) -> None:
    rows = {name: value for name, value in fx.VALID.items() if name != "crime_data_audits"}
    result = duckdb_kpis(typed(rows), "month")
    assert "sh_recording_compliance" not in set(result["metric_id"])
    assert "Atlantis" not in set(result["district"])
    assert result["period_label"].max() == "2024-07"  # O4's decision; August was audit A6


def test_an_empty_table_is_present_and_gives_zero_denominators_not_absence() -> None:
    rows = dict(fx.VALID) | {"case_reviews": []}
    result = duckdb_kpis(typed(rows), "financial_year")
    force = result.filter(
        (pl.col("metric_id") == "review_compliance_rate") & (pl.col("district") == "All")
    )
    assert force.select("numerator", "denominator", "value").rows() == [(0, 0, None)] * 2


def test_with_only_the_v1_tables_the_oracle_gives_the_v1_metrics_and_the_v1_cells() -> None:
    """The v1 fixture alone: cells worked out by hand in tests/test_kpis_against_sql.py."""
    from tests import fixture_rows

    result = duckdb_kpis(typed(fixture_rows.VALID), "quarter")
    assert set(result["metric_id"]) == {
        m.id for m in SPEC_METRICS if set(m.needs) <= set(fixture_rows.VALID)
    }
    assert result["period_label"].unique().sort().to_list() == fx.QUARTERS
    # Jan-Mar S&H reports: C01 (24h, yes), C02 (24h+1s, no), C04 (1h, yes): 2 of 3.
    assert _same(
        _cell(result, "classified_24h_rate", "2023/24 Q4", "district", "All"), (2, 3, 2 / 3)
    )
    # Recorded S&H Apr-Jun, positive: C05 (3A), C08 (8), C11 (1A) of 7.
    assert _same(
        _cell(result, "positive_outcome_rate", "2024/25 Q1", "district", "All"), (3, 7, 3 / 7)
    )
    # Positive outcomes assigned Apr-Jun (by outcome_at): C05 (1 June), C11 (15 May); C08's
    # is on 1 July; C01's (outcome 1) in February.
    assert _same(
        _cell(result, "positive_outcomes_assigned", "2024/25 Q1", "district", "All"), (2, None, 2.0)
    )
    assert _same(
        _cell(result, "charges_assigned", "2023/24 Q4", "district", "North"), (1, None, 1.0)
    )
