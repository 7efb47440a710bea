"""Altair chart builders: pure functions from small, aggregated frames to Vega-Lite charts.

Every chart gets only the rows it draws (a few hundred at most), so nothing large reaches the
browser. Colours are the Okabe–Ito palette, safe for the common colour-vision deficiencies,
and every series also differs by line style or a label, never by colour alone.
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import polars as pl

from metrics import ALL_DISTRICTS, CRIME_RECORDING_RULE_CHANGE, Metric, Unit
from presentation.formatting import axis_format, axis_title, format_value

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
GREY = "#6B7280"
FORCE_SERIES = "Force (all districts)"
TARGET_SERIES = "Target"
RULE_CHANGE_LABEL = "Crime recording rules changed"
FONT_SIZE = 13


def _projected(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """Larger text than the default: the charts are read from the back of a meeting room."""
    return chart.configure_axis(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE).configure_legend(
        labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, orient="bottom"
    )


def _value_axis(metric: Metric) -> alt.Y:
    return alt.Y(
        "value:Q",
        title=axis_title(metric.unit),
        axis=alt.Axis(format=axis_format(metric.unit)),
        scale=alt.Scale(zero=metric.unit == Unit.COUNT),
    )


def _with_text(frame: pl.DataFrame, metric: Metric) -> pl.DataFrame:
    """Dates as ISO text, and the value as the meeting reads it, for tooltips."""
    return frame.with_columns(
        pl.col("period_start").dt.strftime("%Y-%m-%d"),
        pl.col("value")
        .map_elements(lambda v: format_value(v, metric.unit), return_dtype=pl.String)
        .fill_null(format_value(None, metric.unit))
        .alias("shown"),
    )


def _tooltip() -> list[alt.Tooltip]:
    return [
        alt.Tooltip("period_label:N", title="Period"),
        alt.Tooltip("series:N", title="District"),
        alt.Tooltip("shown:N", title="Value"),
        alt.Tooltip("numerator:Q", title="Numerator", format=","),
        alt.Tooltip("denominator:Q", title="Denominator", format=","),
    ]


def rule_change_in_range(start: dt.date, end: dt.date) -> bool:
    """Whether the 1 June 2023 recording rule change falls within the periods shown."""
    return start <= CRIME_RECORDING_RULE_CHANGE.date <= end


def _rule_change_layer() -> alt.LayerChart:
    marker = pl.DataFrame(
        {
            "date": [CRIME_RECORDING_RULE_CHANGE.date.isoformat()],
            "label": [RULE_CHANGE_LABEL],
            "reason": [CRIME_RECORDING_RULE_CHANGE.reason],
        }
    )
    base = alt.Chart(marker)
    rule = base.mark_rule(color=GREY, strokeDash=[4, 4], strokeWidth=1.5).encode(
        x="date:T",
        tooltip=[
            alt.Tooltip("label:N", title="Marker"),
            alt.Tooltip("date:T", title="Date", format="%d %b %Y"),
            alt.Tooltip("reason:N", title="Why"),
        ],
    )
    text = base.mark_text(align="left", baseline="top", dx=4, dy=4, color=GREY, fontSize=12).encode(
        x="date:T", y=alt.value(0), text="label:N"
    )
    return alt.layer(rule, text)


def trend_chart(
    series: pl.DataFrame,
    metric: Metric,
    district: str,
    start: dt.date,
    end: dt.date,
    height: int = 340,
) -> alt.LayerChart:
    """The metric over time: the district against the force, with its target and markers.

    ``series`` holds KPI rows (``compute_kpis`` columns) of one metric for the periods shown;
    rows of other districts are ignored. An SPC layer (limits and special-cause points from
    ``metrics.spc``) is one more entry in ``layers``.
    """
    wanted = [ALL_DISTRICTS] if district == ALL_DISTRICTS else [district, ALL_DISTRICTS]
    rows = _with_text(
        series.filter(pl.col("district").is_in(wanted)).with_columns(
            pl.when(pl.col("district") == ALL_DISTRICTS)
            .then(pl.lit(FORCE_SERIES))
            .otherwise(pl.col("district"))
            .alias("series")
        ),
        metric,
    ).select("period_start", "period_label", "series", "numerator", "denominator", "value", "shown")
    names = [district, FORCE_SERIES] if district != ALL_DISTRICTS else [FORCE_SERIES]
    colours = [OKABE_ITO["blue"], OKABE_ITO["black"]] if len(names) == 2 else [OKABE_ITO["black"]]
    dashes = [[1, 0], [6, 3]] if len(names) == 2 else [[1, 0]]
    x = alt.X("period_start:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0))
    base = alt.Chart(rows)
    legend = alt.Legend(title=None)
    lines = base.mark_line(strokeWidth=2.5).encode(
        x=x,
        y=_value_axis(metric),
        color=alt.Color("series:N", scale=alt.Scale(domain=names, range=colours), legend=legend),
        strokeDash=alt.StrokeDash(
            "series:N", scale=alt.Scale(domain=names, range=dashes), legend=legend
        ),
    )
    points = base.mark_point(filled=True, size=45).encode(
        x=x,
        y="value:Q",
        color=alt.Color("series:N", scale=alt.Scale(domain=names, range=colours), legend=None),
        shape=alt.Shape("series:N", legend=None),
        tooltip=_tooltip(),
    )
    layers: list[alt.Chart | alt.LayerChart] = [lines, points]
    target = target_frame(metric, rows["period_start"].to_list())
    if target.height:
        layers.append(
            alt.Chart(target)
            .mark_line(color=OKABE_ITO["bluish_green"], strokeDash=[2, 2], strokeWidth=2)
            .encode(
                x="period_start:T",
                y="target:Q",
                tooltip=[
                    alt.Tooltip("period_start:T", title="From", format="%b %Y"),
                    alt.Tooltip("shown:N", title=TARGET_SERIES),
                ],
            )
        )
    if rule_change_in_range(start, end):
        layers.append(_rule_change_layer())
    return _projected(alt.layer(*layers).properties(height=height, width="container"))


def target_frame(metric: Metric, period_starts: list[str]) -> pl.DataFrame:
    """The target in force at each period shown (rows only where one is set)."""
    rows = []
    for text in sorted(set(period_starts)):
        target = metric.target_on(dt.date.fromisoformat(text))
        if target is not None:
            rows.append(
                {"period_start": text, "target": target, "shown": format_value(target, metric.unit)}
            )
    return pl.DataFrame(
        rows, schema={"period_start": pl.String, "target": pl.Float64, "shown": pl.String}
    )


def small_multiples(
    series: pl.DataFrame, metric: Metric, selected: str, columns: int = 3
) -> alt.FacetChart:
    """One small panel per district, each against the force line, on a shared scale."""
    districts = [d for d in series["district"].unique(maintain_order=True) if d != ALL_DISTRICTS]
    force = series.filter(pl.col("district") == ALL_DISTRICTS)
    panels = []
    for district in districts:
        own = series.filter(pl.col("district") == district)
        name = "Selected district" if district == selected else "District"
        panels.append(
            own.with_columns(pl.lit(district).alias("panel"), pl.lit(name).alias("series"))
        )
        panels.append(
            force.with_columns(
                pl.lit(district).alias("panel"), pl.lit(FORCE_SERIES).alias("series")
            )
        )
    rows = _with_text(pl.concat(panels) if panels else series.clear(), metric).select(
        "panel",
        "period_start",
        "period_label",
        "series",
        "numerator",
        "denominator",
        "value",
        "shown",
    )
    names = ["District", "Selected district", FORCE_SERIES]
    colours = [OKABE_ITO["blue"], OKABE_ITO["vermillion"], GREY]
    dashes = [[1, 0], [1, 0], [4, 3]]
    legend = alt.Legend(title=None)
    chart = (
        alt.Chart(rows)
        .mark_line(point=alt.OverlayMarkDef(size=18, filled=True))
        .encode(
            x=alt.X("period_start:T", title=None, axis=alt.Axis(format="%Y", tickCount=4)),
            y=alt.Y(
                "value:Q",
                title=None,
                axis=alt.Axis(format=axis_format(metric.unit)),
                scale=alt.Scale(zero=metric.unit == Unit.COUNT),
            ),
            color=alt.Color(
                "series:N", scale=alt.Scale(domain=names, range=colours), legend=legend
            ),
            strokeDash=alt.StrokeDash(
                "series:N", scale=alt.Scale(domain=names, range=dashes), legend=legend
            ),
            tooltip=[
                alt.Tooltip("panel:N", title="District"),
                alt.Tooltip("series:N", title="Line"),
                alt.Tooltip("period_label:N", title="Period"),
                alt.Tooltip("shown:N", title="Value"),
                alt.Tooltip("numerator:Q", title="Numerator", format=","),
                alt.Tooltip("denominator:Q", title="Denominator", format=","),
            ],
        )
        .properties(width=230, height=130)
        .facet(
            facet=alt.Facet(
                "panel:N", title=None, sort=districts, header=alt.Header(labelFontSize=14)
            ),
            columns=columns,
        )
    )
    return _projected(chart)


def ranked_bars(
    ranking: pl.DataFrame,
    metric: Metric,
    selected: str,
    force_value: float | None,
    value_column: str = "value",
    unit: Unit | None = None,
    places: int | None = None,
) -> alt.LayerChart:
    """Districts side by side for one period, best first, with the force value as a rule.

    ``ranking`` has ``district``, ``rank``, ``shown`` and the value column, one row per
    district, already ranked.
    """
    unit = unit or metric.unit
    rows = ranking.select(
        "district",
        "rank",
        pl.col(value_column).alias("plotted"),
        "shown",
        pl.col(value_column)
        .map_elements(lambda v: format_value(v, unit, places, short=True), return_dtype=pl.String)
        .alias("label"),
        pl.when(pl.col("district") == selected)
        .then(pl.lit("Selected district"))
        .otherwise(pl.lit("District"))
        .alias("series"),
    )
    order = rows.sort("rank", nulls_last=True)["district"].to_list()
    largest = max([v for v in [*rows["plotted"].to_list(), force_value] if v is not None] or [0])
    # Room on the right for the value labels at the end of the longest bar.
    domain = [0, largest * 1.3] if largest > 0 else [0, 1]
    base = alt.Chart(rows)
    y = alt.Y("district:N", sort=order, title=None, axis=alt.Axis(labelLimit=220))
    tooltip = [
        alt.Tooltip("rank:Q", title="Rank"),
        alt.Tooltip("district:N", title="District"),
        alt.Tooltip("shown:N", title="Value"),
    ]
    bars = base.mark_bar().encode(
        x=alt.X(
            "plotted:Q",
            title=axis_title(unit),
            axis=alt.Axis(
                format=axis_format(unit) if places is None else f",.{places}f", tickCount=5
            ),
            scale=alt.Scale(domain=domain, nice=False),
        ),
        y=y,
        color=alt.Color(
            "series:N",
            scale=alt.Scale(
                domain=["District", "Selected district"],
                range=[OKABE_ITO["sky_blue"], OKABE_ITO["vermillion"]],
            ),
            legend=None,
        ),
        tooltip=tooltip,
    )
    labels = base.mark_text(align="left", dx=4, fontSize=12).encode(
        x="plotted:Q", y=y, text="label:N", tooltip=tooltip
    )
    layers: list[alt.Chart] = [bars]
    if force_value is not None:
        force = pl.DataFrame(
            {
                "plotted": [force_value],
                "label": [FORCE_SERIES],
                "shown": [format_value(force_value, unit, places)],
            }
        )
        layers.append(
            alt.Chart(force)
            .mark_rule(color=OKABE_ITO["black"], strokeDash=[4, 3], strokeWidth=1.5)
            .encode(
                x="plotted:Q",
                tooltip=[
                    alt.Tooltip("label:N", title="Line"),
                    alt.Tooltip("shown:N", title="Value"),
                ],
            )
        )
    layers.append(labels)  # last, so that the force line does not cross them
    return _projected(alt.layer(*layers).properties(height=alt.Step(26), width="container"))
