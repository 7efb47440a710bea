"""What a pack says about how far each figure can be trusted: maturity, small numbers, districts.

Notes for a KPI page, worked out from the same frames as the page: which period the SPC icons
read (the last mature one), whether the reporting period is provisional, whether its figure rests
on fewer than 10 cases, and how the districts compare with the force beyond chance (the same
comparison as ``kpi compare`` and the districts page, ``metrics.compare``).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from metrics import ALL_DISTRICTS, Grain, Metric, PerPopulation
from metrics.compare import (
    SMALL_NUMBERS,
    SMALL_NUMBERS_LABEL,
    comparable,
    compare_districts,
)
from metrics.periods import label_of
from metrics.registry import REGISTRY
from metrics.spc import icon_period


def populations(kpis: pl.DataFrame) -> pl.DataFrame:
    """Each district's population, as the per-population metrics' denominators carry it."""
    ids = [m.id for m in REGISTRY if isinstance(m.measure, PerPopulation)]
    rows = kpis.filter(pl.col("metric_id").is_in(ids), pl.col("district") != ALL_DISTRICTS)
    return (
        rows.group_by("district", maintain_order=True)
        .agg(pl.col("denominator").first().alias("population"))
        .select("district", "population")
    )


def maturity_notes(
    metric: Metric, series: pl.DataFrame, chart: pl.DataFrame, grain: Grain, start: dt.date
) -> list[str]:
    """Which period the icons read, and whether the reporting period is provisional or small."""
    notes = []
    row = series.filter(pl.col("period_start") == start)
    if "provisional" in row.columns and row.height and row["provisional"][0]:
        settle = f"{metric.maturity_days} days after it ends" if metric.maturity_days else "it ends"
        notes.append(
            f"Provisional: {label_of(start, grain)} can still change until {settle}; it is left "
            "out of the SPC limits and icons."
        )
    read = icon_period(chart)
    if read is not None and read != start:
        notes.append(f"The SPC icons read {label_of(read, grain)}, the last mature period.")
    if row.height and row["denominator"][0] is not None and row["denominator"][0] < SMALL_NUMBERS:
        notes.append(
            f"{SMALL_NUMBERS_LABEL.capitalize()}: the {label_of(start, grain)} figure rests on "
            f"fewer than {SMALL_NUMBERS} cases."
        )
    return notes


def district_notes(kpis: pl.DataFrame, metric: Metric, district: str, start: dt.date) -> list[str]:
    """The districts that differ from the force beyond chance (99.8% funnel limits)."""
    if not comparable(metric):
        return []
    compared = compare_districts(kpis, populations(kpis), start, [metric])
    if not compared.height or compared["force_value"].is_null().all():
        return []
    if district != ALL_DISTRICTS:
        mine = compared.filter(pl.col("district") == district)
        if not mine.height:
            return []
        signal = mine["signal"][0]
        words = {
            "higher": "higher than the force beyond chance",
            "lower": "lower than the force beyond chance",
        }.get(signal, "within chance of the force")
        return [f"Against the force (99.8% funnel limits): {district} is {words}."]
    parts = [
        f"{side}: {', '.join(names)}"
        for side in ("higher", "lower")
        if (names := compared.filter(pl.col("signal") == side)["district"].to_list())
    ]
    if not parts:
        return ["Districts against the force: none differs beyond chance (99.8% funnel limits)."]
    return ["Districts beyond chance (99.8% funnel limits), " + "; ".join(parts) + "."]
