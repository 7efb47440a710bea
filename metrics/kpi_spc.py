"""SPC for KPI series: every metric and district charted with its direction, targets and rebases."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from metrics.definitions import Metric
from metrics.registry import REGISTRY
from metrics.spc import SpcOptions, spc_chart

SPC_COLUMNS = ["spc_mean", "spc_lower", "spc_upper", "spc_point_type"]


def spc_options(metric: Metric, **overrides) -> SpcOptions:
    """The metric's own reading: its improvement direction, targets and rebase dates."""
    settings = {
        "direction": metric.direction.value,
        "target": tuple((target.effective_from, target.value) for target in metric.targets) or None,
        "rebase": tuple(rebase.date for rebase in metric.rebase),
    }
    settings.update(overrides)
    return SpcOptions(**settings)


def chart_series(series: pl.DataFrame, metric: Metric, **overrides) -> pl.DataFrame:
    """The SPC chart of one metric's series for one district (rows sorted by period).

    A ``provisional`` column (``metrics.provisional``) keeps immature periods out of the rules.
    """
    ordered = series.sort("period_start")
    provisional = ordered["provisional"] if "provisional" in ordered.columns else None
    return spc_chart(
        ordered["period_start"],
        ordered["value"],
        spc_options(metric, **overrides),
        provisional=provisional,
    )


def add_spc(
    kpis: pl.DataFrame, metrics: Iterable[Metric] | None = None, **overrides
) -> pl.DataFrame:
    """The KPI rows with ``spc_mean, spc_lower, spc_upper, spc_point_type`` over each series."""
    by_id = {metric.id: metric for metric in (REGISTRY if metrics is None else metrics)}
    charted = []
    # One chart per metric and district: a loop over a few hundred series, not over records.
    for (metric_id, _district), series in kpis.with_row_index("__row").group_by(
        ["metric_id", "district"], maintain_order=True
    ):
        series = series.sort("period_start")
        chart = chart_series(series, by_id[metric_id], **overrides)
        charted.append(series.select("__row").hstack(chart.select(SPC_COLUMNS)))
    if not charted:
        return kpis.with_columns(
            *(pl.lit(None, dtype=pl.Float64).alias(name) for name in SPC_COLUMNS[:3]),
            pl.lit(None, dtype=pl.String).alias("spc_point_type"),
        )
    spc = pl.concat(charted)
    return (
        kpis.with_row_index("__row").join(spc, on="__row", how="left").sort("__row").drop("__row")
    )
