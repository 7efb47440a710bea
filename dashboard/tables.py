"""Frames the pages show and export, selected and ranked from computed KPIs (pure polars)."""

from __future__ import annotations

import polars as pl

from dashboard.filters import FORCE_LABEL, Filters
from metrics import ALL_DISTRICTS, Direction, Metric, Unit
from presentation.formatting import format_value

PER_1000 = "per_1000_residents"


def in_range(kpis: pl.DataFrame, metric: Metric, filters: Filters) -> pl.DataFrame:
    """One metric's rows for every district and the force, over the periods in view."""
    return kpis.filter(
        pl.col("metric_id") == metric.id,
        pl.col("period_start").is_between(filters.start, filters.end),
    ).sort("period_start")


def shown(values: pl.Expr, unit: Unit, places: int | None = None) -> pl.Expr:
    """Values as the meeting reads them (``71.3%``), as text."""
    return values.map_elements(
        lambda v: format_value(v, unit, places), return_dtype=pl.String
    ).fill_null(format_value(None, unit))


def metric_table(series: pl.DataFrame, metric: Metric, district: str) -> pl.DataFrame:
    """Numerator, denominator and value by period: the district, then the force."""
    wanted = [district] if district == ALL_DISTRICTS else [district, ALL_DISTRICTS]
    return (
        series.filter(pl.col("district").is_in(wanted))
        .with_columns(
            pl.col("district").replace_strict({d: i for i, d in enumerate(wanted)}).alias("__order")
        )
        .sort("__order", "period_start")
        .select(
            pl.col("period_label").alias("Period"),
            pl.col("district").replace(ALL_DISTRICTS, FORCE_LABEL).alias("District"),
            pl.col("numerator").alias("Numerator"),
            pl.col("denominator").alias("Denominator"),
            shown(pl.col("value"), metric.unit).alias("Value"),
        )
    )


def export_series(series: pl.DataFrame, metric: Metric) -> pl.DataFrame:
    """A metric's rows for download: exact values, unit, and the value as shown."""
    return series.select(
        "metric_id",
        pl.lit(metric.title).alias("metric"),
        "period_start",
        "period_label",
        "district",
        "numerator",
        "denominator",
        "value",
        pl.lit(metric.unit.value).alias("unit"),
        shown(pl.col("value"), metric.unit).alias("shown"),
    )


def district_ranking(
    kpis: pl.DataFrame, metric: Metric, filters: Filters, districts: pl.DataFrame
) -> pl.DataFrame:
    """Every district in the reporting period, ranked best first (largest first if neutral).

    Counts are also given per 1,000 residents where the district's population is known, and
    ranked on that: districts differ in size, so raw counts do not compare.
    """
    rows = kpis.filter(
        pl.col("metric_id") == metric.id,
        pl.col("period_start") == filters.end,
        pl.col("district") != ALL_DISTRICTS,
    ).join(districts.select("district", "population"), on="district", how="left")
    is_count = metric.unit == Unit.COUNT
    rows = rows.with_columns(
        (
            (pl.col("numerator") / pl.col("population") * 1000)
            if is_count
            else pl.lit(None, dtype=pl.Float64)
        ).alias(PER_1000)
    )
    ranked_on = PER_1000 if is_count else "value"
    descending = metric.direction != Direction.DOWN
    rows = rows.with_columns(
        pl.col(ranked_on).rank(method="min", descending=descending).cast(pl.Int64).alias("rank")
    ).sort("rank", "district", nulls_last=True)
    # Counts per resident are small (a few SPOs in a district of 300,000): three decimals.
    ranked_unit, places = (Unit.PER_1000, 3) if is_count else (metric.unit, None)
    return rows.select(
        "rank",
        "district",
        "population",
        "numerator",
        "denominator",
        "value",
        shown(pl.col("value"), metric.unit).alias("shown_value"),
        PER_1000,
        shown(pl.col(ranked_on), ranked_unit, places).alias("shown"),
    )


def force_value(
    kpis: pl.DataFrame, metric: Metric, filters: Filters, districts: pl.DataFrame
) -> float | None:
    """The force-wide figure in the reporting period, on the scale the ranking uses.

    For counts that is per 1,000 residents of all known districts (as ``sh_crimes_per_1000``
    takes the force's population); otherwise the force's value.
    """
    row = kpis.filter(
        pl.col("metric_id") == metric.id,
        pl.col("period_start") == filters.end,
        pl.col("district") == ALL_DISTRICTS,
    )
    if not row.height:
        return None
    if metric.unit != Unit.COUNT:
        return row["value"].item()
    population = districts["population"].sum()
    numerator = row["numerator"].item()
    return None if not population or numerator is None else numerator / population * 1000
