"""Force-wide stock metrics (training take-up) broken down by department."""

from __future__ import annotations

import polars as pl

from metrics.definitions import StockShare
from metrics.engine import stock_counts
from metrics.periods import Grain, period_label, period_starts
from metrics.registry import REGISTRY

DEPARTMENT_SCHEMA = {
    "metric_id": pl.String,
    "period_start": pl.Date,
    "period_label": pl.String,
    "department": pl.String,
    "numerator": pl.Int64,
    "denominator": pl.Int64,
    "value": pl.Float64,
}


def department_kpis(facts, grain: Grain) -> pl.DataFrame:
    """One row per stock metric, period and department listed in the workforce; no force row."""
    frames = [pl.DataFrame(schema=DEPARTMENT_SCHEMA)]
    if facts.first_date is None:
        return frames[0]
    starts = period_starts(facts.first_date, facts.last_date, grain)
    for metric in facts.available(REGISTRY):
        measure = metric.measure
        if not isinstance(measure, StockShare):
            continue
        counts = stock_counts(facts, measure, starts, grain, group=measure.group)
        frames.append(
            counts.select(
                pl.lit(metric.id).alias("metric_id"),
                "period_start",
                period_label(pl.col("period_start"), grain).alias("period_label"),
                pl.col(measure.group).alias("department"),
                "numerator",
                "denominator",
                pl.when(pl.col("denominator") > 0)
                .then(pl.col("numerator") / pl.col("denominator"))
                .cast(pl.Float64)
                .alias("value"),
            ).cast(DEPARTMENT_SCHEMA)
        )
    return pl.concat(frames)
