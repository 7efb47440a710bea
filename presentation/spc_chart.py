"""The SPC (Making Data Count XmR) chart of one metric's series, as a pure altair builder.

One builder for every place that draws the chart: the dashboard's metric page (in the browser)
and the board packs (through vl-convert, offline). It takes the frame
``metrics.kpi_spc.chart_series`` returns and the metric, and draws what the rules computed;
it decides nothing statistical itself.

- Points are coloured by MDC point type with the MDC colours and also differ by shape, so the
  reading never rests on colour alone (``presentation.spc_words``).
- The mean (solid), the process limits (dashed) and the target (red, dash-dot) are drawn per
  rebase group, so the limits visibly restart; a labelled vertical rule marks each rebase date.
- Limits are drawn within the values a unit can take (no negative counts, no share above
  100%); the tooltips and the numbers tables keep the computed limits.
- A provisional period (not yet mature on the as-at date) is drawn as a hollow grey circle,
  named in the legend; the rules and limits leave it out (``metrics.spc``).
- A period whose data are not complete (``partial``) is labelled "partial" above its point and
  in its tooltip: a low count there may be missing data, not a signal.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import altair as alt
import polars as pl

from metrics import Direction, Grain, Metric, Unit
from metrics.kpi_spc import spc_options
from metrics.periods import label_of
from metrics.spc import (
    PROVISIONAL_POINT,
    PointType,
    icon_period,
    spc_summary,
)
from presentation.formatting import axis_format, axis_title, format_value
from presentation.spc_words import (
    MDC_COLOURS,
    POINT_LABELS,
    POINT_TYPE_COLOURS,
    POINT_TYPE_SHAPES,
    PROVISIONAL_COLOUR,
    assurance_sentence,
    variation_sentence,
)

MEAN, LIMITS, TARGET = "Mean", "Process limits", "Target"
LINE_COLOURS: Final = {MEAN: "#404040", LIMITS: "#7f7f7f", TARGET: MDC_COLOURS["target"]}
LINE_DASHES: Final = {MEAN: [1, 0], LIMITS: [5, 3], TARGET: [8, 3, 2, 3]}
VALUE_LINE_COLOUR: Final = "#bfbfbf"
REBASE_COLOUR: Final = "#595959"
PARTIAL_LABEL: Final = "partial"
# Room for one period label on the time axis ("2024/25 Q1" is about 55 pixels at 10 px).
TICK_SPACING: Final = 90
# At most this many labelled ticks when the chart fills its container (width unknown).
MAX_TICKS: Final = 8


def point_types_for(direction: Direction) -> list[PointType]:
    """The point types a metric can show: improvement and concern, or neutral high and low."""
    if direction == Direction.NEUTRAL:
        return ["common_cause", "special_cause_neutral_high", "special_cause_neutral_low"]
    return ["common_cause", "special_cause_improvement", "special_cause_concern"]


def _shown(value: float | None, unit: Unit) -> str:
    return format_value(value, unit)


def _points(
    chart: pl.DataFrame, metric: Metric, grain: Grain, partial: dt.date | None = None
) -> pl.DataFrame:
    """One row per present value, with every tooltip field as the meeting reads it."""
    unit = metric.unit
    rows = []
    for row in chart.filter(pl.col("value").is_not_null()).iter_rows(named=True):
        lower, upper = row["spc_lower"], row["spc_upper"]
        is_partial = partial is not None and row["period_start"] >= partial
        rows.append(
            {
                "period_start": row["period_start"].isoformat(),
                "period": label_of(row["period_start"], grain)
                + (f" ({PARTIAL_LABEL})" if is_partial else ""),
                "value": row["value"],
                "shown": _shown(row["value"], unit),
                "point": POINT_LABELS[row["spc_point_type"]],
                "mean": _shown(row["spc_mean"], unit),
                "limits": "none (too few points)"
                if lower is None or upper is None
                else f"{_shown(lower, unit)} to {_shown(upper, unit)}"
                + (" (trial limits)" if row["trial_limits"] else ""),
                "target": _shown(row["target"], unit),
                "partial": PARTIAL_LABEL if is_partial else None,
            }
        )
    schema = {
        "period_start": pl.String,
        "period": pl.String,
        "value": pl.Float64,
        "shown": pl.String,
        "point": pl.String,
        "mean": pl.String,
        "limits": pl.String,
        "target": pl.String,
        "partial": pl.String,
    }
    return pl.DataFrame(rows, schema=schema)


def _clipped(column: str, unit: Unit) -> pl.Expr:
    """A limit drawn within the possible values: never below 0, a share never above 1."""
    expr = pl.col(column).clip(lower_bound=0.0)
    return expr.clip(upper_bound=1.0) if unit == Unit.FRACTION else expr


def _lines(chart: pl.DataFrame, metric: Metric) -> pl.DataFrame:
    """Mean, limits and target in long form; each segment is one rebase group or target step."""
    unit = metric.unit
    target_step = (pl.col("target") != pl.col("target").shift(1)).fill_null(True).cum_sum()
    frame = chart.with_columns(target_step.alias("target_step"))
    parts = [
        frame.select(
            "period_start",
            pl.col("spc_mean").alias("y"),
            pl.lit(MEAN).alias("line"),
            pl.format("mean-{}", "group").alias("segment"),
        ),
        frame.select(
            "period_start",
            _clipped("spc_upper", unit).alias("y"),
            pl.lit(LIMITS).alias("line"),
            pl.format("upper-{}", "group").alias("segment"),
        ),
        frame.select(
            "period_start",
            _clipped("spc_lower", unit).alias("y"),
            pl.lit(LIMITS).alias("line"),
            pl.format("lower-{}", "group").alias("segment"),
        ),
        frame.select(
            "period_start",
            pl.col("target").alias("y"),
            pl.lit(TARGET).alias("line"),
            pl.format("target-{}", "target_step").alias("segment"),
        ),
    ]
    return (
        pl.concat(parts)
        .filter(pl.col("y").is_not_null())
        .with_columns(pl.col("period_start").dt.strftime("%Y-%m-%d"))
    )


def _rebases(chart: pl.DataFrame, metric: Metric) -> pl.DataFrame:
    """The rebase dates that split the series shown (as ``metrics.spc`` splits it)."""
    schema = {"date": pl.String, "label": pl.String, "reason": pl.String}
    if chart.height == 0:
        return pl.DataFrame(schema=schema)
    first, last = chart["period_start"].min(), chart["period_start"].max()
    rows = [
        {
            "date": rebase.date.isoformat(),
            "label": f"Limits recalculated from {rebase.date.day} {rebase.date:%b %Y}",
            "reason": rebase.reason,
        }
        for rebase in metric.rebase
        if first < rebase.date <= last
    ]
    return pl.DataFrame(rows, schema=schema)


def _tick_dates(chart: pl.DataFrame, width: int | str) -> list[dt.date]:
    """Evenly spaced period starts ending at the latest one, so the reporting period is named."""
    starts = chart["period_start"].to_list()
    ticks = max(2, width // TICK_SPACING) if isinstance(width, int) else MAX_TICKS
    step = max(1, -(-len(starts) // ticks))
    return starts[::-1][::step][::-1]


def _tick_label_expr(grain: Grain) -> str:
    """Axis labels as the meeting says periods: ``2024/25 Q1``, ``2024/25``, ``Apr 2024``."""
    if grain == Grain.MONTH:
        return "utcFormat(datum.value, '%b %Y')"
    # Vega's utcmonth() counts from 0 (January): a financial year starts in month 3 (April).
    year = "(utcmonth(datum.value) >= 3 ? utcyear(datum.value) : utcyear(datum.value) - 1)"
    years = f"{year} + '/' + pad(toString(({year} + 1) % 100), 2, '0', 'left')"
    if grain == Grain.FINANCIAL_YEAR:
        return years
    quarter = "floor(((utcmonth(datum.value) + 9) % 12) / 3) + 1"
    return f"{years} + ' Q' + toString({quarter})"


def chart_description(
    chart: pl.DataFrame, metric: Metric, grain: Grain, district: str | None = None
) -> str:
    """The chart in words, for screen readers and for the alternative text of a slide."""
    where = f" for {district}" if district else ""
    if chart.height == 0:
        return f"SPC chart of {metric.title}{where}: no periods to show."
    first = label_of(chart["period_start"][0], grain)
    last = label_of(chart["period_start"][-1], grain)
    summary = spc_summary(chart, spc_options(metric))
    present = chart.filter(pl.col("value").is_not_null())
    parts = [f"SPC chart of {metric.title}{where}, {first} to {last}."]
    if present.height:
        latest = present.row(-1, named=True)
        parts.append(
            f"Latest value {_shown(latest['value'], metric.unit)} in "
            f"{label_of(latest['period_start'], grain)}: "
            f"{variation_sentence(summary.variation, metric.direction)}."
        )
        if latest["spc_lower"] is not None and latest["spc_upper"] is not None:
            parts.append(
                f"Mean {_shown(latest['spc_mean'], metric.unit)}, process limits "
                f"{_shown(latest['spc_lower'], metric.unit)} to "
                f"{_shown(latest['spc_upper'], metric.unit)}."
            )
    else:
        parts.append("No values to chart.")
    read = icon_period(chart)
    if present.height and read is not None and read != present["period_start"][-1]:
        parts.append(
            f"Periods after {label_of(read, grain)} are provisional (not yet mature): they are "
            f"left out of the limits, and the icons read {label_of(read, grain)}."
        )
    if summary.assurance is not None:
        parts.append(f"{assurance_sentence(summary)}.")
    return " ".join(parts)


def spc_chart(
    chart: pl.DataFrame,
    metric: Metric,
    grain: Grain,
    *,
    district: str | None = None,
    width: int | str = "container",
    height: int = 260,
    title: str | None = None,
    partial: dt.date | None = None,
) -> alt.LayerChart:
    """The SPC chart of one series: ``chart`` is ``metrics.kpi_spc.chart_series``'s frame.

    ``partial`` is the start of the first period whose data are not complete, if one is shown.
    """
    unit = metric.unit
    types = point_types_for(metric.direction)
    x = alt.X(
        "period_start:T",
        title=None,
        scale=alt.Scale(type="utc"),
        axis=alt.Axis(
            values=[
                alt.DateTime(year=d.year, month=d.month, date=d.day, utc=True)
                for d in _tick_dates(chart, width)
            ],
            labelExpr=_tick_label_expr(grain),
            labelAngle=0,
            labelOverlap=True,
            grid=False,
        ),
    )
    y_title = axis_title(unit)
    y_axis = alt.Axis(format=axis_format(unit), tickCount=6)
    # Not from zero: an SPC chart is read against its limits, and a zero baseline flattens them.
    y_scale = alt.Scale(zero=False, nice=True)

    layers: list[alt.Chart | alt.LayerChart] = []
    lines = _lines(chart, metric)
    if lines.height:
        kinds = [kind for kind in (MEAN, LIMITS, TARGET) if kind in set(lines["line"])]
        legend = alt.Legend(title=None, orient="bottom", symbolStrokeWidth=2)
        layers.append(
            alt.Chart(lines)
            .mark_line(strokeWidth=1.3)
            .encode(
                x=x,
                y=alt.Y("y:Q", title=y_title, axis=y_axis, scale=y_scale),
                color=alt.Color(
                    "line:N",
                    scale=alt.Scale(domain=kinds, range=[LINE_COLOURS[k] for k in kinds]),
                    legend=legend,
                ),
                strokeDash=alt.StrokeDash(
                    "line:N",
                    scale=alt.Scale(domain=kinds, range=[LINE_DASHES[k] for k in kinds]),
                    legend=legend,
                ),
                detail="segment:N",
            )
        )
    points = _points(chart, metric, grain, partial)
    base = alt.Chart(points)
    layers.append(
        base.mark_line(color=VALUE_LINE_COLOUR, strokeWidth=1.5).encode(
            x=x, y=alt.Y("value:Q", title=y_title, axis=y_axis, scale=y_scale)
        )
    )
    tooltip = [
        alt.Tooltip("period:N", title="Period"),
        alt.Tooltip("shown:N", title=metric.title),
        alt.Tooltip("point:N", title="Point"),
        alt.Tooltip("mean:N", title="Mean"),
        alt.Tooltip("limits:N", title="Process limits"),
    ]
    if metric.targets:
        tooltip.append(alt.Tooltip("target:N", title="Target"))
    point_legend = alt.Legend(title=None, orient="bottom")
    labels = [POINT_LABELS[t] for t in types]
    mature = alt.Chart(points.filter(pl.col("point") != POINT_LABELS[PROVISIONAL_POINT]))
    layers.append(
        mature.mark_point(filled=True, size=60, opacity=1, stroke="white", strokeWidth=0.6).encode(
            x=x,
            y=alt.Y("value:Q", title=y_title, axis=y_axis, scale=y_scale),
            color=alt.Color(
                "point:N",
                scale=alt.Scale(domain=labels, range=[POINT_TYPE_COLOURS[t] for t in types]),
                legend=point_legend,
            ),
            shape=alt.Shape(
                "point:N",
                scale=alt.Scale(domain=labels, range=[POINT_TYPE_SHAPES[t] for t in types]),
                legend=point_legend,
            ),
            tooltip=tooltip,
        )
    )
    provisional = points.filter(pl.col("point") == POINT_LABELS[PROVISIONAL_POINT])
    if provisional.height:
        layers.append(
            alt.Chart(provisional)
            .mark_point(filled=False, size=60, opacity=1, strokeWidth=1.6, shape="circle")
            .encode(
                x=x,
                y=alt.Y("value:Q", title=y_title, axis=y_axis, scale=y_scale),
                color=alt.Color(
                    "point:N",
                    scale=alt.Scale(
                        domain=[POINT_LABELS[PROVISIONAL_POINT]], range=[PROVISIONAL_COLOUR]
                    ),
                    legend=alt.Legend(title=None, orient="bottom"),
                ),
                tooltip=tooltip,
            )
        )
    if points["partial"].is_not_null().any():
        layers.append(
            alt.Chart(points.filter(pl.col("partial").is_not_null()))
            .mark_text(baseline="bottom", dy=-8, fontSize=10, color=REBASE_COLOUR)
            .encode(
                x=x,
                y=alt.Y("value:Q", title=y_title, axis=y_axis, scale=y_scale),
                text="partial:N",
            )
        )
    rebases = _rebases(chart, metric)
    if rebases.height:
        marker = alt.Chart(rebases)
        marker_tooltip = [
            alt.Tooltip("label:N", title="Rebase"),
            alt.Tooltip("reason:N", title="Why"),
        ]
        layers.append(
            marker.mark_rule(color=REBASE_COLOUR, strokeDash=[2, 2], strokeWidth=1).encode(
                x=alt.X("date:T", scale=alt.Scale(type="utc")), tooltip=marker_tooltip
            )
        )
        layers.append(
            marker.mark_text(
                align="left", baseline="top", dx=3, dy=2, color=REBASE_COLOUR, fontSize=9
            ).encode(
                x=alt.X("date:T", scale=alt.Scale(type="utc")),
                y=alt.value(0),
                text="label:N",
                tooltip=marker_tooltip,
            )
        )
    where = f" – {district}" if district else ""
    # One constructor call, not a chain of .properties() and .resolve_scale(): each link of a
    # chain deep-copies the whole chart, which is most of the time it takes to build one.
    independent = alt.ScaleResolveMap(
        color="independent", shape="independent", strokeDash="independent"
    )
    return alt.LayerChart(
        layer=layers,
        resolve=alt.Resolve(scale=independent),
        title=title if title is not None else f"{metric.title}{where}",
        description=chart_description(chart, metric, grain, district),
        width=width,
        height=height,
    )
