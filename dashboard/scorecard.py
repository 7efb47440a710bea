"""The overview's scorecard as data: every KPI for the reporting period and its comparisons.

Pure polars, no Streamlit, so that it can be tested on its own. The SPC columns hold the Making
Data Count variation and assurance icons of each KPI's series up to the reporting period (the
same series the metric page charts and the board pack reads): one row per metric is the one
place the overview reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import polars as pl

from dashboard.filters import Filters
from dashboard.spc_view import icons, spc_series
from metrics import REGISTRY, Metric
from metrics.compare import is_small
from metrics.periods import label_of
from metrics.spc import icon_period
from presentation.formatting import assess, format_change, format_value, rounded_change

SCORECARD_SCHEMA = {
    "metric_id": pl.String,
    "title": pl.String,
    "unit": pl.String,
    "direction": pl.String,
    "district": pl.String,
    "period": pl.String,
    "value": pl.Float64,
    "shown": pl.String,
    "previous_period": pl.String,
    "previous_value": pl.Float64,
    "previous_shown": pl.String,
    "previous_change": pl.Float64,
    "change_on_previous": pl.String,
    "on_previous": pl.String,
    "year_ago_period": pl.String,
    "year_ago_value": pl.Float64,
    "year_ago_shown": pl.String,
    "year_ago_change": pl.Float64,
    "change_on_year_ago": pl.String,
    "on_year_ago": pl.String,
    "change_on_year_ago_short": pl.String,
    "target": pl.Float64,
    "sparkline": pl.List(pl.Float64),
    "variation": pl.String,  # an MDC point type, or "no_values"
    "variation_words": pl.String,
    "variation_label": pl.String,
    "assurance": pl.String,  # consistently_pass/_fail, inconsistent, no_target, no_assurance
    "assurance_words": pl.String,
    "assurance_label": pl.String,
    "provisional": pl.Boolean,  # the reporting period's figure can still change
    "icons_period": pl.String,  # the period the icons read: the last mature one
    "small_numbers": pl.Boolean,  # the reporting period's value rests on fewer than 10 cases
}


def _value_at(series: pl.DataFrame, start: dt.date) -> float | None:
    row = series.filter(pl.col("period_start") == start)
    return row["value"].item() if row.height else None


def _provisional_at(series: pl.DataFrame, start: dt.date) -> bool:
    if "provisional" not in series.columns:
        return False
    row = series.filter(pl.col("period_start") == start)
    return bool(row["provisional"].item()) if row.height else False


def _small_at(series: pl.DataFrame, start: dt.date) -> bool:
    if "denominator" not in series.columns:
        return False
    row = series.filter(pl.col("period_start") == start)
    return bool(row.select(is_small(pl.col("denominator"))).item()) if row.height else False


def scorecard(
    kpis: pl.DataFrame, filters: Filters, metrics: Iterable[Metric] | None = None
) -> pl.DataFrame:
    """One row per metric: the reporting period, the one before and the same one a year ago."""
    rows = []
    here = kpis.filter(pl.col("district") == filters.district)
    for metric in REGISTRY if metrics is None else metrics:
        series = here.filter(pl.col("metric_id") == metric.id).sort("period_start")
        value = _value_at(series, filters.end)
        previous = _value_at(series, filters.previous)
        year_ago = _value_at(series, filters.year_ago)
        on_previous = rounded_change(value, previous, metric.unit)
        on_year_ago = rounded_change(value, year_ago, metric.unit)
        in_range = series.filter(pl.col("period_start").is_between(filters.start, filters.end))
        chart = spc_series(series, metric, filters.district, filters.end)
        spc = icons(chart, metric)
        read = icon_period(chart)
        rows.append(
            {
                "metric_id": metric.id,
                "title": metric.title,
                "unit": metric.unit.value,
                "direction": metric.direction.value,
                "district": filters.district,
                "period": filters.end_label,
                "value": value,
                "shown": format_value(value, metric.unit),
                "previous_period": label_of(filters.previous, filters.grain),
                "previous_value": previous,
                "previous_shown": format_value(previous, metric.unit),
                "previous_change": on_previous,
                "change_on_previous": format_change(on_previous, metric.unit),
                "on_previous": assess(on_previous, metric.direction).value,
                "year_ago_period": label_of(filters.year_ago, filters.grain),
                "year_ago_value": year_ago,
                "year_ago_shown": format_value(year_ago, metric.unit),
                "year_ago_change": on_year_ago,
                "change_on_year_ago": format_change(on_year_ago, metric.unit),
                "on_year_ago": assess(on_year_ago, metric.direction).value,
                "change_on_year_ago_short": format_change(on_year_ago, metric.unit, short=True),
                "target": metric.target_on(filters.end),
                "sparkline": [v for v in in_range["value"].to_list() if v is not None],
                "variation": spc.variation,
                "variation_words": spc.variation_words,
                "variation_label": spc.variation_label,
                "assurance": spc.assurance,
                "assurance_words": spc.assurance_words,
                "assurance_label": spc.assurance_label,
                "provisional": _provisional_at(series, filters.end),
                "icons_period": label_of(read, filters.grain) if read else None,
                "small_numbers": _small_at(series, filters.end),
            }
        )
    return pl.DataFrame(rows, schema=SCORECARD_SCHEMA)
