"""Provisional periods: a period whose figures can still change on the as-at date.

A period is provisional for a metric when its last day plus the metric's maturity (days) is
later than the as-at date (kpi-definitions.md v1.1). With maturity 0 that is a period that has
not ended; outcome rates stay provisional for 90 days while investigations conclude.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import polars as pl

from metrics.definitions import Metric
from metrics.periods import Grain
from metrics.registry import REGISTRY

PROVISIONAL = "provisional"
_MONTHS = {Grain.MONTH: "1mo", Grain.QUARTER: "3mo", Grain.FINANCIAL_YEAR: "12mo"}


def period_end(start: pl.Expr, grain: Grain) -> pl.Expr:
    """The last day of the period starting at ``start``."""
    return start.dt.offset_by(_MONTHS[Grain(grain)]).dt.offset_by("-1d")


def is_provisional(
    start: pl.Expr, grain: Grain, maturity_days: pl.Expr | int, as_at: dt.date | None
) -> pl.Expr:
    """True where the period's last day plus the maturity is later than the as-at date."""
    if as_at is None:
        return pl.lit(False)
    maturity = maturity_days if isinstance(maturity_days, pl.Expr) else pl.lit(maturity_days)
    settled = period_end(start, grain) + pl.duration(days=maturity)
    return settled > pl.lit(as_at, dtype=pl.Date)


def with_provisional(
    kpis: pl.DataFrame,
    grain: Grain,
    as_at: dt.date | None,
    metrics: Iterable[Metric] | None = None,
) -> pl.DataFrame:
    """The KPI rows with a last column ``provisional`` (each metric's own maturity)."""
    maturity = {
        metric.id: metric.maturity_days for metric in (REGISTRY if metrics is None else metrics)
    }
    days = pl.col("metric_id").replace_strict(maturity, default=0, return_dtype=pl.Int64)
    flag = is_provisional(pl.col("period_start"), grain, days, as_at).fill_null(False)
    return kpis.drop(PROVISIONAL, strict=False).with_columns(flag.alias(PROVISIONAL))


def provisional_last(frame: pl.DataFrame) -> pl.DataFrame:
    """The same frame with ``provisional`` moved to be its last column."""
    if PROVISIONAL not in frame.columns:
        return frame
    return frame.select(pl.exclude(PROVISIONAL), PROVISIONAL)
