"""``kpi compare``: funnel plot limits checked against the issue's formulas, worked out here."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math

import polars as pl
import pytest
from scipy.stats import norm

from benchmarks.duckdb_kpis import SPEC_ORDER, duckdb_kpis
from metrics import ALL_DISTRICTS, REGISTRY
from metrics.compare import COMPARE_SCHEMA, compare_districts
from queries import load_source
from tests.test_cli import kpi

HEADER = (
    "metric_id,period_label,district,numerator,denominator,value,force_value,"
    "lower_95,upper_95,lower_998,upper_998,signal"
)
# The z values; scipy's normal quantiles agree to the six places given.
Z95, Z998 = 1.959964, 3.090232
PERIOD = "2024/25"


def test_the_z_values_are_the_normal_quantiles_of_95_and_99_8_percent():
    assert round(norm.ppf(0.975), 6) == Z95
    assert round(norm.ppf(0.999), 6) == Z998


def expected_row(kind: str, scale: float, num, den, force_num, force_den) -> dict:
    """One row by the issue's formulas, with plain floats and math.sqrt."""
    if kind == "count":  # compared per 1,000 residents
        kind, scale = "population", 1000.0
    if not den or not force_den:
        return {"value": None, "lower_95": None, "signal": "none"}
    p0, n = force_num / force_den, den
    value = num / den * scale
    row = {"value": value, "force_value": p0 * scale}
    for z, name in ((Z95, "95"), (Z998, "998")):
        if kind == "ratio" and scale == 1:
            spread = z * math.sqrt(p0 * (1 - p0) / n)
            low, high = max(p0 - spread, 0.0), min(p0 + spread, 1.0)
        else:
            spread = z * math.sqrt(p0 / n)
            low, high = max((p0 - spread) * scale, 0.0), (p0 + spread) * scale
        row[f"lower_{name}"], row[f"upper_{name}"] = low, high
    upper, lower = row["upper_998"], row["lower_998"]
    row["signal"] = "higher" if value > upper else "lower" if value < lower else "none"
    return row


@pytest.fixture(scope="module")
def compared(demo_database) -> list[dict]:
    result = kpi(
        "compare", "--database-url", demo_database, "--grain", "financial_year", "--period", PERIOD
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == HEADER
    assert "data as at" in result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_compare_limits_match_the_formulas_to_1e_9(compared, demo_database):
    validated = load_source(demo_database)
    tables = {
        name: getattr(validated, name)
        for name in ("crimes", "allocations", "victims", "protective_orders", "districts")
    }
    # Counts from the independent SQL peer; populations straight from the districts table.
    sql = duckdb_kpis(tables, "financial_year").filter(pl.col("period_label") == PERIOD)
    counts = {(r["metric_id"], r["district"]): r for r in sql.iter_rows(named=True)}
    population = dict(validated.districts.select("district", "population").iter_rows())
    force_population = sum(population.values())
    kinds = {metric_id: (kind, scale) for metric_id, kind, scale in SPEC_ORDER}
    compared_ids = [m for m, kind, _ in SPEC_ORDER if kind != "median"]
    assert list(dict.fromkeys(r["metric_id"] for r in compared)) == compared_ids
    checked = signals = 0
    for row in compared:
        kind, scale = kinds[row["metric_id"]]
        here, force = counts[(row["metric_id"], row["district"])], counts[(row["metric_id"], "All")]
        if kind in ("count", "population"):
            den, force_den = population.get(row["district"]), force_population
        else:
            den, force_den = here["denominator"], force["denominator"]
        want = expected_row(kind, scale, here["numerator"], den, force["numerator"], force_den)
        assert row["numerator"] == str(here["numerator"])
        assert row["denominator"] == ("" if den is None else str(den))
        assert row["signal"] == want["signal"]
        if want["value"] is None:
            assert row["value"] == row["lower_95"] == row["upper_998"] == ""
            continue
        for name in ("value", "force_value", "lower_95", "upper_95", "lower_998", "upper_998"):
            assert float(row[name]) == pytest.approx(want[name], abs=1e-9, rel=0), (row, name)
        checked += 1
        signals += want["signal"] != "none"
    # The check covers many rows, some of them signals (so both branches are exercised).
    assert checked > len(compared_ids) * 3
    assert signals > 0


def test_medians_are_not_compared(compared):
    medians = {metric.id for metric in REGISTRY if metric.kind == "median"}
    assert medians and not medians & {row["metric_id"] for row in compared}


def kpi_rows(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={
            "metric_id": pl.String,
            "period_start": pl.Date,
            "period_label": pl.String,
            "district": pl.String,
            "numerator": pl.Int64,
            "denominator": pl.Int64,
            "value": pl.Float64,
        },
        orient="row",
    )


Q = dt.date(2024, 7, 1)
DISTRICTS = pl.DataFrame({"district": ["North", "South"], "population": [1000, 2000]})


def test_a_value_on_a_limit_is_inside_and_an_empty_denominator_gives_an_empty_row():
    # Every arrest made: the force share is 1, so the limits are exactly 1 and so is North's
    # value (inside: no signal). South has no breaches: an empty row, signal none.
    kpis = kpi_rows(
        [
            ("breach_arrest_rate", Q, "2024/25 Q2", ALL_DISTRICTS, 4, 4, 1.0),
            ("breach_arrest_rate", Q, "2024/25 Q2", "North", 4, 4, 1.0),
            ("breach_arrest_rate", Q, "2024/25 Q2", "South", 0, 0, None),
        ]
    )
    result = compare_districts(kpis, DISTRICTS, Q, [REGISTRY.get("breach_arrest_rate")])
    assert result.schema == pl.Schema(COMPARE_SCHEMA)
    north, south = result.rows(named=True)
    assert (north["lower_998"], north["upper_998"], north["signal"]) == (1.0, 1.0, "none")
    assert south["value"] is None and south["lower_95"] is None and south["signal"] == "none"


def test_a_count_is_compared_per_1000_residents_and_an_unknown_district_gets_no_limits():
    kpis = kpi_rows(
        [
            ("stalking_crimes", Q, "2024/25 Q2", ALL_DISTRICTS, 9, None, 9.0),
            ("stalking_crimes", Q, "2024/25 Q2", "North", 9, None, 9.0),
            ("stalking_crimes", Q, "2024/25 Q2", "South", 0, None, 0.0),
            ("stalking_crimes", Q, "2024/25 Q2", "Atlantis", 0, None, 0.0),
        ]
    )
    result = compare_districts(kpis, DISTRICTS, Q, [REGISTRY.get("stalking_crimes")])
    north, south, atlantis = result.rows(named=True)
    # Force: 9 crimes over 3,000 residents = 3 per 1,000. North: 9 per 1,000 residents.
    assert north["denominator"] == 1000
    assert north["value"] == pytest.approx(9.0)
    assert north["force_value"] == pytest.approx(3.0)
    p0 = 9 / 3000
    assert north["upper_998"] == pytest.approx((p0 + Z998 * math.sqrt(p0 / 1000)) * 1000)
    assert north["signal"] == "higher"
    # South: p0 - 3.09 x sqrt(0.003 / 2000) = 0.003 - 0.0038 < 0, so the lower limit is
    # clipped to 0, and South's 0 sits on it: inside, no signal.
    assert p0 - Z998 * math.sqrt(p0 / 2000) < 0
    assert south["lower_998"] == 0.0
    assert south["value"] == 0.0
    assert south["signal"] == "none"
    assert atlantis["denominator"] is None and atlantis["upper_95"] is None
    assert atlantis["signal"] == "none"


def test_compare_refuses_a_median_and_an_unknown_period_in_one_line(demo_database):
    median = kpi(
        "compare",
        "--database-url",
        demo_database,
        "--grain",
        "financial_year",
        "--period",
        PERIOD,
        "--metric",
        "high_risk_days_to_cid",
    )
    assert median.returncode == 2 and median.stdout == ""
    assert "medians are not compared" in median.stderr
    assert len(median.stderr.strip().splitlines()) == 1
    unknown = kpi(
        "compare", "--database-url", demo_database, "--grain", "quarter", "--period", "1999/00 Q1"
    )
    assert unknown.returncode == 2
    assert "no period '1999/00 Q1' in the data" in unknown.stderr.strip().splitlines()[-1]
