"""The demand chart and its words: history, forecast, 80% and 95% bands, backtest accuracy."""

from __future__ import annotations

import altair as alt
import polars as pl

from metrics import Grain
from presentation.charts import GREY, OKABE_ITO, _projected

HISTORY = "Recorded"
FORECAST = "Forecast"
BAND_80 = "80% range"
BAND_95 = "95% range"
# Three years of history before the forecast: enough to see the seasons, few enough to read.
HISTORY_PERIODS = {Grain.MONTH: 36, Grain.QUARTER: 12}
PERIOD_WORDS = {Grain.MONTH: ("month", "months"), Grain.QUARTER: ("quarter", "quarters")}


def demand_chart(
    history: pl.DataFrame, forecast: pl.DataFrame, grain: Grain, height: int = 260
) -> alt.LayerChart:
    """One series: recorded values, then the forecast with its 95% and 80% bands.

    ``history`` has ``period_start`` and ``value``; ``forecast`` has the forecast columns of
    ``metrics.forecast`` for the same series.
    """
    recent = history.sort("period_start").tail(HISTORY_PERIODS[grain])
    lines = pl.concat(
        [
            recent.select(
                pl.col("period_start").dt.strftime("%Y-%m-%d"),
                pl.col("value").alias("count"),
                pl.lit(HISTORY).alias("series"),
            ),
            # The forecast line starts at the last recorded value, so the two join up.
            recent.tail(1).select(
                pl.col("period_start").dt.strftime("%Y-%m-%d"),
                pl.col("value").alias("count"),
                pl.lit(FORECAST).alias("series"),
            ),
            forecast.select(
                pl.col("period_start").dt.strftime("%Y-%m-%d"),
                pl.col("forecast").alias("count"),
                pl.lit(FORECAST).alias("series"),
            ),
        ]
    )
    bands = forecast.select(
        pl.col("period_start").dt.strftime("%Y-%m-%d"),
        "period_label",
        pl.col("forecast").round(1),
        *(pl.col(name).round(1) for name in ("lower_80", "upper_80", "lower_95", "upper_95")),
    )
    x = alt.X("period_start:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0))
    legend = alt.Legend(title=None)
    names = [HISTORY, FORECAST, BAND_80, BAND_95]
    colours = [OKABE_ITO["black"], OKABE_ITO["blue"], "#9ecae9", "#deebf7"]
    colour = alt.Color(
        "series:N", scale=alt.Scale(domain=names, range=colours), legend=legend, title=None
    )
    base = alt.Chart(bands)
    band_95 = (
        base.mark_area(opacity=0.9)
        .encode(
            x=x,
            y=alt.Y("lower_95:Q", title="Count"),
            y2="upper_95:Q",
            color=alt.Color("band:N", scale=alt.Scale(domain=names, range=colours), legend=legend),
        )
        .transform_calculate(band=f"'{BAND_95}'")
    )
    band_80 = (
        base.mark_area(opacity=0.9)
        .encode(
            x=x,
            y="lower_80:Q",
            y2="upper_80:Q",
            color=alt.Color("band:N", scale=alt.Scale(domain=names, range=colours), legend=legend),
        )
        .transform_calculate(band=f"'{BAND_80}'")
    )
    line = (
        alt.Chart(lines)
        .mark_line(strokeWidth=2.5, point=True)
        .encode(
            x=x,
            y=alt.Y("count:Q", title="Count", scale=alt.Scale(zero=True)),
            color=colour,
            strokeDash=alt.StrokeDash(
                "series:N",
                scale=alt.Scale(domain=[HISTORY, FORECAST], range=[[1, 0], [6, 3]]),
                legend=None,
            ),
        )
    )
    hover = base.mark_point(opacity=0, size=120, color=GREY).encode(
        x=x,
        y="forecast:Q",
        tooltip=[
            alt.Tooltip("period_label:N", title="Period"),
            alt.Tooltip("forecast:Q", title="Forecast"),
            alt.Tooltip("lower_80:Q", title="80% from"),
            alt.Tooltip("upper_80:Q", title="80% to"),
            alt.Tooltip("lower_95:Q", title="95% from"),
            alt.Tooltip("upper_95:Q", title="95% to"),
        ],
    )
    chart = alt.layer(band_95, band_80, line, hover).resolve_scale(color="shared")
    return _projected(chart.properties(height=height, width="container"))


def accuracy_words(chosen: dict | None, grain: Grain, noun: str = "") -> str:
    """The chosen model's backtest in a sentence a meeting can read."""
    if not chosen:
        return "Too little history to test this forecast against past periods."
    one, many = PERIOD_WORDS[grain]
    points = int(chosen["points"])
    held = round(chosen["coverage_80"] * points)
    per = f" a {one}" if not noun else f" {noun} a {one}"
    return (
        f"Over the last {points} {many} this method ({chosen['candidate']}) was off by "
        f"{chosen['mae']:,.1f}{per} on average; its 80% range held the recorded value in "
        f"{held} of {points} {many}."
    )
