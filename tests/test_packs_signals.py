"""Pack notes: provisional periods, the period the icons read, small numbers, districts."""

from __future__ import annotations

import datetime as dt

import polars as pl

from metrics import ALL_DISTRICTS, REGISTRY, Grain
from metrics.kpi_spc import chart_series
from packs.signals import district_notes, maturity_notes

Q = dt.date(2024, 7, 1)


def frame(rows: list[tuple]) -> pl.DataFrame:
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
            "provisional": pl.Boolean,
        },
        orient="row",
    )


def test_a_provisional_small_reporting_period_is_named_with_the_period_the_icons_read():
    metric = REGISTRY.get("positive_outcome_rate")
    starts = [dt.date(2024, m, 1) for m in (4, 5, 6)]
    series = frame(
        [
            (metric.id, starts[0], "2024-04", "All", 5, 20, 0.25, False),
            (metric.id, starts[1], "2024-05", "All", 5, 20, 0.25, False),
            (metric.id, starts[2], "2024-06", "All", 1, 4, 0.25, True),
        ]
    )
    notes = maturity_notes(metric, series, chart_series(series, metric), Grain.MONTH, starts[2])
    assert notes == [
        "Provisional: 2024-06 can still change until 90 days after it ends; it is left out of "
        "the SPC limits and icons.",
        "The SPC icons read 2024-05, the last mature period.",
        "Small numbers: the 2024-06 figure rests on fewer than 10 cases.",
    ]


def test_a_force_pack_names_the_districts_beyond_chance_and_a_district_pack_its_own():
    # Force 250 of 500; South 200 of 250 is far above, West 41 of 241 far below, North 9 of 9
    # sits on its clipped 99.8% limit of 1 (inside).
    rows = [
        (ALL_DISTRICTS, 250, 500),
        ("North", 9, 9),
        ("South", 200, 250),
        ("West", 41, 241),
    ]
    kpis = frame(
        [("breach_arrest_rate", Q, "2024/25 Q2", d, n, den, n / den, False) for d, n, den in rows]
    )
    metric = REGISTRY.get("breach_arrest_rate")
    assert district_notes(kpis, metric, ALL_DISTRICTS, Q) == [
        "Districts beyond chance (99.8% funnel limits), higher: South; lower: West."
    ]
    assert district_notes(kpis, metric, "North", Q) == [
        "Against the force (99.8% funnel limits): North is within chance of the force."
    ]
    assert district_notes(kpis, REGISTRY.get("high_risk_days_to_cid"), ALL_DISTRICTS, Q) == []
