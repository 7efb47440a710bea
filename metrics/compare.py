"""Comparing districts with the force, allowing for chance: funnel plot limits (no Streamlit).

Districts differ in size, so a rank alone cannot say whether a difference is real. Each
district's value is set against limits built around the force value for a unit of the
district's size (Spiegelhalter 2005; Public Health England's 95% and 99.8% limits):

* a proportion (``Ratio`` with scale 1): p0 ± z·√(p0(1-p0)/n), n the district's denominator,
  clipped to [0, 1];
* a rate per population (``PerPopulation``, and a ``Count`` read per 1,000 residents) and any
  other ratio (scale ≠ 1) as a Poisson count per unit of its base: (p0 ± z·√(p0/n)) × scale,
  the lower limit clipped at 0.

Medians are not compared. A district with a zero or empty denominator, or a force with none,
gets an empty value and limits and no signal. ``signal`` is ``higher`` or ``lower`` only when
the value is strictly outside the 99.8% limits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Final

import polars as pl

from metrics.definitions import Count, DistinctCount, Median, Metric, PerPopulation, Ratio
from metrics.registry import REGISTRY
from metrics.sources import ALL_DISTRICTS

Z_95: Final = 1.959964
Z_998: Final = 3.090232
# Count metrics are compared per this many residents.
COUNT_PER: Final = 1000
# A value whose denominator is below this is marked "small numbers".
SMALL_NUMBERS: Final = 10
SMALL_NUMBERS_LABEL: Final = "small numbers"

COMPARE_SCHEMA: Final = {
    "metric_id": pl.String,
    "period_label": pl.String,
    "district": pl.String,
    "numerator": pl.Int64,
    "denominator": pl.Int64,
    "value": pl.Float64,
    "force_value": pl.Float64,
    "lower_95": pl.Float64,
    "upper_95": pl.Float64,
    "lower_998": pl.Float64,
    "upper_998": pl.Float64,
    "signal": pl.String,
}
PROPORTION, POISSON = "proportion", "poisson"


def comparable(metric: Metric) -> bool:
    """Whether a metric can be compared across districts (medians and force-only stocks cannot)."""
    return not isinstance(metric.measure, Median) and not metric.force_only


def comparison_basis(metric: Metric) -> tuple[str, float]:
    """How a metric's limits are built: proportion or Poisson, and the scale of its value."""
    match metric.measure:
        case Ratio(scale=scale) if scale == 1:
            return PROPORTION, 1.0
        case Ratio(scale=scale):
            return POISSON, float(scale)
        case PerPopulation(per=per):
            return POISSON, float(per)
        case Count() | DistinctCount():
            return POISSON, float(COUNT_PER)
    raise ValueError(f"metric {metric.id!r} ({metric.kind}) is not compared across districts")


def is_small(denominator: pl.Expr) -> pl.Expr:
    """A value resting on fewer than ``SMALL_NUMBERS`` cases (false when there is none)."""
    return (denominator < SMALL_NUMBERS).fill_null(False)


def _spec(metrics: list[Metric]) -> pl.DataFrame:
    rows = [
        (metric.id, *comparison_basis(metric), isinstance(metric.measure, Count), order)
        for order, metric in enumerate(metrics)
        if comparable(metric)
    ]
    return pl.DataFrame(
        rows,
        schema={
            "metric_id": pl.String,
            "__basis": pl.String,
            "__scale": pl.Float64,
            "__per_resident": pl.Boolean,
            "__metric": pl.Int64,
        },
        orient="row",
    )


def _limit(p0: pl.Expr, n: pl.Expr, z: float, side: int, proportion: pl.Expr) -> pl.Expr:
    """One limit as a proportion or a Poisson rate per unit, before scaling and clipping."""
    spread = pl.when(proportion).then(p0 * (1 - p0) / n).otherwise(p0 / n).sqrt()
    return p0 + side * z * spread


def compare_districts(
    kpis: pl.DataFrame,
    districts: pl.DataFrame,
    period_start: dt.date,
    metrics: Iterable[Metric] | None = None,
) -> pl.DataFrame:
    """One row per comparable metric and district for one period (``COMPARE_SCHEMA``).

    ``kpis`` are ``compute_kpis`` rows at one grain; ``districts`` has ``district`` and
    ``population`` (``Facts.districts``), for the Count metrics read per 1,000 residents.
    """
    spec = _spec(list(REGISTRY if metrics is None else metrics))
    population = pl.concat(
        [
            districts.select(
                pl.lit(ALL_DISTRICTS).alias("district"),
                pl.col("population").cast(pl.Int64).sum().alias("__population"),
            ),
            districts.select("district", pl.col("population").cast(pl.Int64).alias("__population")),
        ]
    )
    rows = (
        kpis.filter(pl.col("period_start") == period_start)
        .with_row_index("__row")
        .join(spec, on="metric_id", how="inner")
        .join(population, on="district", how="left")
        .with_columns(
            pl.when(pl.col("__per_resident"))
            .then(pl.col("__population"))
            .otherwise(pl.col("denominator"))
            .alias("denominator")
        )
    )
    force = rows.filter(pl.col("district") == ALL_DISTRICTS).select(
        "metric_id",
        pl.when(pl.col("denominator") > 0)
        .then(pl.col("numerator") / pl.col("denominator"))
        .alias("__p0"),
    )
    p0, n, scale = pl.col("__p0"), pl.col("denominator"), pl.col("__scale")
    proportion = pl.col("__basis") == PROPORTION
    has_base = (n > 0).fill_null(False)
    usable = has_base & p0.is_not_null()

    def limit(z: float, side: int) -> pl.Expr:
        scaled = _limit(p0, n, z, side, proportion) * scale
        clipped = scaled.clip(lower_bound=0.0)
        clipped = pl.when(proportion).then(clipped.clip(upper_bound=1.0)).otherwise(clipped)
        return pl.when(usable).then(clipped)

    value = pl.when(has_base).then(pl.col("numerator") / n * scale)
    compared = (
        rows.filter(pl.col("district") != ALL_DISTRICTS)
        .join(force, on="metric_id", how="left")
        .with_columns(
            value.alias("value"),
            (p0 * scale).alias("force_value"),
            limit(Z_95, -1).alias("lower_95"),
            limit(Z_95, +1).alias("upper_95"),
            limit(Z_998, -1).alias("lower_998"),
            limit(Z_998, +1).alias("upper_998"),
        )
        .with_columns(
            pl.when(pl.col("value") > pl.col("upper_998"))
            .then(pl.lit("higher"))
            .when(pl.col("value") < pl.col("lower_998"))
            .then(pl.lit("lower"))
            .otherwise(pl.lit("none"))
            .alias("signal")
        )
        .sort("__metric", "__row")
    )
    return compared.select(pl.col(name).cast(dtype) for name, dtype in COMPARE_SCHEMA.items())


def beyond_chance(compared: pl.DataFrame) -> pl.DataFrame:
    """The rows whose district differs from the force beyond chance (outside 99.8%)."""
    return compared.filter(pl.col("signal") != "none")


def funnel_curve(
    force_value: float, basis: str, scale: float, smallest: float, largest: float, points: int = 48
) -> pl.DataFrame:
    """The 95% and 99.8% limits over a range of sizes, for drawing a funnel plot.

    ``force_value`` is on the metric's scale (p0 × scale); sizes run geometrically from
    ``smallest`` to ``largest``; the same formulas as ``compare_districts``.
    """
    smallest = max(float(smallest), 1.0)
    largest = max(float(largest), smallest * 1.01)
    step = (largest / smallest) ** (1 / (points - 1))
    sizes = pl.DataFrame({"size": [smallest * step**i for i in range(points)]})
    p0, n = pl.lit(force_value / scale), pl.col("size")
    proportion = pl.lit(basis == PROPORTION)

    def limit(z: float, side: int) -> pl.Expr:
        scaled = (_limit(p0, n, z, side, proportion) * scale).clip(lower_bound=0.0)
        return scaled.clip(upper_bound=1.0) if basis == PROPORTION else scaled

    return sizes.with_columns(
        limit(Z_95, -1).alias("lower_95"),
        limit(Z_95, +1).alias("upper_95"),
        limit(Z_998, -1).alias("lower_998"),
        limit(Z_998, +1).alias("upper_998"),
    )
