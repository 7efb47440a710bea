"""Every metric, at every grain, agrees with an independent plain-SQL computation of the spec.

The SQL (``benchmarks/duckdb_kpis.py``) is written from ``kpi-definitions.md`` alone and is
handed the fixture's valid rows straight from Python, so it shares neither the read path,
the validation nor the engine with the code under test. A few cells are also worked out by
hand below, so a misreading shared by both methods would still be caught.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from benchmarks.duckdb_kpis import duckdb_kpis
from metrics import REGISTRY, Grain, compute_kpis, prepare_facts
from queries import load_source
from queries.contract import TABLES, Kind
from tests import fixture_rows
from tests.conftest import absent_columns, collected_metrics

_DTYPES = {
    Kind.TEXT: pl.String,
    Kind.TIMESTAMP: pl.Datetime("us"),
    Kind.BOOLEAN: pl.Boolean,
    Kind.INTEGER: pl.Int64,
}


def typed_frames(rows: dict[str, list[dict]]) -> dict[str, pl.DataFrame]:
    """The rows as typed frames, without the project's parser; a table not given is absent
    (as in the fixture sources of ``write_sqlite``), so its metrics give no rows."""
    absent = absent_columns(rows)  # columns no row has are absent, as in write_sqlite
    frames = {}
    for table in TABLES:
        if table.name not in rows:
            continue
        columns = [c for c in table.columns if c.name not in absent.get(table.name, [])]
        frames[table.name] = pl.DataFrame(
            [{c.name: row.get(c.name) for c in columns} for row in rows[table.name]],
            schema={c.name: _DTYPES[c.kind] for c in columns},
            orient="row",
        )
    return frames


@pytest.fixture(scope="module")
def engine_kpis(tmp_path_factory) -> dict[Grain, pl.DataFrame]:
    from tests.conftest import write_sqlite

    url = write_sqlite(tmp_path_factory.mktemp("kpis") / "fixture.sqlite", fixture_rows.ALL_ROWS)
    facts = prepare_facts(load_source(url))
    return {grain: compute_kpis(facts, grain) for grain in Grain}


@pytest.fixture(scope="module")
def sql_kpis() -> dict[Grain, pl.DataFrame]:
    tables = typed_frames(fixture_rows.VALID)
    return {grain: duckdb_kpis(tables, grain.value) for grain in Grain}


GRAINS = [pytest.param(grain, id=f"grain: {grain}") for grain in Grain]
METRICS = [pytest.param(metric.id, id=metric.id) for metric in REGISTRY]


@pytest.mark.parametrize("grain", GRAINS)
@pytest.mark.parametrize("metric_id", METRICS)
def test_metric_matches_the_plain_sql_computation(engine_kpis, sql_kpis, grain, metric_id):
    ours = engine_kpis[grain].filter(pl.col("metric_id") == metric_id)
    theirs = sql_kpis[grain].filter(pl.col("metric_id") == metric_id)
    # A metric over a table the v1 fixture lacks has no rows on either side; every metric is
    # compared with rows on the v1.1 fixture (tests/test_kpis_v11_against_sql.py).
    assert ours.height == theirs.height
    assert_frame_equal(ours, theirs, check_exact=False, rel_tol=1e-12, abs_tol=1e-12)


@pytest.mark.parametrize("grain", GRAINS)
def test_every_metric_has_a_row_for_every_period_and_district(engine_kpis, grain):
    periods = {Grain.MONTH: 7, Grain.QUARTER: 3, Grain.FINANCIAL_YEAR: 2}[grain]
    districts = ["All", "Empty", "North", "South", "Dup", "Mars"]
    kpis = engine_kpis[grain]
    # The v1 fixture has the v1 tables only: the metrics over the v1.1 tables are unavailable.
    available = collected_metrics(fixture_rows.ALL_ROWS)
    assert kpis.height == len(available) * periods * len(districts)
    first = kpis.filter(pl.col("metric_id") == "stalking_crimes")
    assert first["district"].to_list()[: len(districts)] == districts


def test_the_empty_month_has_zero_counts_and_empty_rates(engine_kpis):
    february = engine_kpis[Grain.MONTH].filter(
        (pl.col("period_start") == dt.date(2024, 2, 1)) & (pl.col("district") == "All")
    )
    by_id = {row["metric_id"]: row for row in february.iter_rows(named=True)}
    assert by_id["stalking_crimes"] | {} == {
        "metric_id": "stalking_crimes",
        "period_start": dt.date(2024, 2, 1),
        "period_label": "2024-02",
        "district": "All",
        "numerator": 0,
        "denominator": None,
        "value": 0.0,
    }
    assert (
        by_id["positive_outcome_rate"]["numerator"],
        by_id["positive_outcome_rate"]["denominator"],
        by_id["positive_outcome_rate"]["value"],
    ) == (0, 0, None)
    assert (
        by_id["victim_contact_median_hours"]["numerator"],
        by_id["victim_contact_median_hours"]["denominator"],
        by_id["victim_contact_median_hours"]["value"],
    ) == (None, 0, None)
    assert (
        by_id["sh_crimes_per_1000"]["numerator"],
        by_id["sh_crimes_per_1000"]["denominator"],
        by_id["sh_crimes_per_1000"]["value"],
    ) == (0, 201_000, 0.0)


# Cells worked out by hand from tests/fixture_rows.py (the comment shows the working).
HAND_WORKED = [
    pytest.param(
        Grain.MONTH,
        "classified_24h_rate",
        "2024-01",
        "North",
        1,
        1,
        1.0,
        id="C01 classified exactly 24:00:00 after report is within 24 hours",
    ),
    pytest.param(
        Grain.MONTH,
        "classified_24h_rate",
        "2024-03",
        "North",
        0,
        1,
        0.0,
        id="C02 classified 24h and one second later is not within 24 hours",
    ),
    # Jan-Mar S&H reports: C01 (24h, yes), C02 (24h+1s, no), C04 (1h, yes): 2 of 3.
    pytest.param(
        Grain.QUARTER,
        "classified_24h_rate",
        "2023/24 Q4",
        "All",
        2,
        3,
        2 / 3,
        id="quarter rate is a ratio of counts",
    ),
    # Stalking recorded to 31 March 23:59:59: C01 only; C04 recorded on 1 April.
    pytest.param(
        Grain.FINANCIAL_YEAR,
        "stalking_crimes",
        "2023/24",
        "All",
        1,
        None,
        1.0,
        id="31 March belongs to 2023/24",
    ),
    pytest.param(
        Grain.FINANCIAL_YEAR,
        "stalking_crimes",
        "2024/25",
        "All",
        3,
        None,
        3.0,
        id="1 April belongs to 2024/25 (C04, C10, C20; C06 never recorded)",
    ),
    pytest.param(
        Grain.FINANCIAL_YEAR,
        "harassment_crimes",
        "2023/24",
        "North",
        1,
        None,
        1.0,
        id="C02 recorded one second before midnight on 31 March",
    ),
    # V01 contacted at exactly 24h, V02 24h + 1s: 1 of 2.
    pytest.param(
        Grain.MONTH,
        "victim_contact_24h_rate",
        "2024-01",
        "North",
        1,
        2,
        0.5,
        id="victim contact at 24h counts, at 24h plus one second does not",
    ),
    # High-risk S&H reported Jan-Mar with CID: C01 0.125 d, C02 2 d, C04 1/24 d: median 0.125.
    pytest.param(
        Grain.QUARTER,
        "high_risk_days_to_cid",
        "2023/24 Q4",
        "All",
        None,
        3,
        0.125,
        id="median of an odd number of cases",
    ),
    # Apr-Jun: C10 2 days (its "cid" allocation is not CID), C11 1 day: mean of the two middle.
    pytest.param(
        Grain.QUARTER,
        "high_risk_days_to_cid",
        "2024/25 Q1",
        "All",
        None,
        2,
        1.5,
        id="median of an even number of cases",
    ),
    # Jan-Mar high-risk S&H: C01 (first CID), C02 (first patrol), C04 (tie patrol/CID): 2 of 3.
    pytest.param(
        Grain.QUARTER,
        "high_risk_cid_rate",
        "2023/24 Q4",
        "All",
        2,
        3,
        2 / 3,
        id="a tie for earliest allocation counts if one is CID",
    ),
    # Apr-Jun high risk: C06 (unallocated), C10 (first "cid"), C11 (CID): 1 of 3.
    pytest.param(
        Grain.QUARTER,
        "high_risk_cid_rate",
        "2024/25 Q1",
        "All",
        1,
        3,
        1 / 3,
        id="unallocated high-risk cases count in the denominator",
    ),
    # June: SPO applications O4, O5 (2); stalking recorded C10, C20 (2): 100 per 100.
    pytest.param(
        Grain.MONTH,
        "spo_application_rate",
        "2024-06",
        "All",
        2,
        2,
        100.0,
        id="SPO applications per 100 stalking crimes",
    ),
    pytest.param(
        Grain.MONTH,
        "spo_application_rate",
        "2024-06",
        "Mars",
        1,
        0,
        None,
        id="a zero denominator with a non-zero numerator gives an empty value",
    ),
    # Recorded stalking or harassment in 2024/25, North: C03, C10, C11 = 3 per 120,000.
    pytest.param(
        Grain.FINANCIAL_YEAR,
        "sh_crimes_per_1000",
        "2024/25",
        "North",
        3,
        120_000,
        0.025,
        id="rate per 1,000 residents",
    ),
    # Force: C03, C04, C08, C10, C11, C20 = 6 per 201,000 (North + South + Empty).
    pytest.param(
        Grain.FINANCIAL_YEAR,
        "sh_crimes_per_1000",
        "2024/25",
        "All",
        6,
        201_000,
        6 / 201,
        id="force rate counts unknown districts over known population",
    ),
    pytest.param(
        Grain.FINANCIAL_YEAR,
        "sh_crimes_per_1000",
        "2024/25",
        "Dup",
        1,
        None,
        None,
        id="an unknown district has no population and no rate",
    ),
    pytest.param(
        Grain.FINANCIAL_YEAR,
        "sh_crimes_per_1000",
        "2024/25",
        "Empty",
        0,
        1_000,
        0.0,
        id="a district with no crimes has a rate of 0",
    ),
    # Breaches recorded in June: C07 (arrest), C08 (no order, still counted), C20: 1 of 3.
    pytest.param(
        Grain.MONTH,
        "breach_arrest_rate",
        "2024-06",
        "All",
        1,
        3,
        1 / 3,
        id="breaches of unknown or invalid orders still count",
    ),
    # Recorded S&H Apr-Jun: C03, C04, C05, C08, C11, C10, C20 (7); positive: C05 (3A), C08 (8),
    # C11 (1A); C04 is 16 and C10 is 4.
    pytest.param(
        Grain.QUARTER,
        "positive_outcome_rate",
        "2024/25 Q1",
        "All",
        3,
        7,
        3 / 7,
        id="outcome 4 is not positive",
    ),
    # Victims of S&H cases not declining support, by report: V01 (referred), V03, V04
    # (referred) in Jan-Mar; V02 declined.
    pytest.param(
        Grain.QUARTER,
        "referral_rate",
        "2023/24 Q4",
        "All",
        2,
        3,
        2 / 3,
        id="victims who declined support are left out of the referral rate",
    ),
    # V04 2h, V01 24h, V02 24h + 1s in Jan-Mar: median 24 hours.
    pytest.param(
        Grain.QUARTER,
        "victim_contact_median_hours",
        "2023/24 Q4",
        "All",
        None,
        3,
        24.0,
        id="median hours to contact",
    ),
    pytest.param(
        Grain.MONTH,
        "spo_granted",
        "2024-03",
        "North",
        1,
        None,
        1.0,
        id="SPOs granted count by decision date",
    ),
    pytest.param(
        Grain.MONTH,
        "stalking_element_crimes",
        "2024-05",
        "South",
        1,
        None,
        1.0,
        id="malicious communications with a stalking element",
    ),
]


@pytest.mark.parametrize(
    ("grain", "metric_id", "label", "district", "numerator", "denominator", "value"), HAND_WORKED
)
def test_cells_worked_out_by_hand(
    engine_kpis, grain, metric_id, label, district, numerator, denominator, value
):
    row = (
        engine_kpis[grain]
        .filter(
            (pl.col("metric_id") == metric_id)
            & (pl.col("period_label") == label)
            & (pl.col("district") == district)
        )
        .row(0, named=True)
    )
    assert (row["numerator"], row["denominator"]) == (numerator, denominator)
    assert row["value"] == (None if value is None else pytest.approx(value, rel=1e-12))
