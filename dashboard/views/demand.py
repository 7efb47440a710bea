"""Demand: the outlook of each count metric, for the force and every district, for the FMS."""

import polars as pl
import streamlit as st

from dashboard.context import page_header, require_filters
from dashboard.demand_chart import accuracy_words, demand_chart
from dashboard.filters import FORCE_LABEL
from metrics import ALL_DISTRICTS, REGISTRY, Grain
from metrics.forecast import ForecastError, Outlook, forecast_metrics, is_count

HORIZON = {Grain.MONTH: 12, Grain.QUARTER: 4}
COUNTS = [metric for metric in REGISTRY if is_count(metric)]

dataset, filters = require_filters()
page_header("Demand", filters)

# Forecasts are by month or by quarter; a financial-year view reads the quarters.
grain = filters.grain if filters.grain in HORIZON else Grain.QUARTER
horizon = HORIZON[grain]
chosen = st.selectbox(
    "Demand measure",
    [metric.id for metric in COUNTS],
    format_func=lambda metric_id: REGISTRY.get(metric_id).title,
    key="demand_metric",
)
metric = REGISTRY.get(chosen)
st.caption(
    f"The next {horizon} {grain.value}s of **{metric.title.lower()}**, with the range the "
    "count should fall in 80 and 95 times in 100. Each series' method (the same period last "
    "year, exponential smoothing or Theta) is the one that forecast its own recent "
    f"{grain.value}s best. Models learn only from complete {grain.value}s"
    + (
        f" since {metric.rebase[-1].date:%d %B %Y} ({metric.rebase[-1].reason})"
        if metric.rebase
        else ""
    )
    + "; the force's forecast is the sum of its districts'."
)
if filters.grain not in HORIZON:
    st.info("Forecasts are by quarter in the financial-year view.", icon=":material/info:")


# A resource, not data: a rerun reuses the outlook and its charts as they are, instead of
# unpickling a copy and building seven Altair charts again (about 0.4 s a rerun).
@st.cache_resource(show_spinner="Forecasting…", max_entries=64)
def _outlook(
    _kpis: pl.DataFrame, key: tuple, metric_id: str, grain_value: str
) -> tuple[Outlook, dict[str, dict]]:
    """The metric's outlook and each place's chart as a Vega-Lite specification.

    ``key`` names the data (source, load time, filter, the places to chart).
    """
    grain, as_at = Grain(grain_value), key[1]
    outlook = forecast_metrics(_kpis, [REGISTRY.get(metric_id)], grain, HORIZON[grain], as_at)
    last = outlook.windows[metric_id].last
    charts = {
        place: demand_chart(
            outlook.history.filter(pl.col("district") == place, pl.col("period_start") <= last),
            outlook.forecasts.filter(pl.col("district") == place),
            grain,
        ).to_dict()
        for place in key[4]
    }
    return outlook, charts


kpis = dataset.kpis_for(grain, filters.domestic_abuse).filter(pl.col("metric_id") == chosen)
places = kpis["district"].unique(maintain_order=True).to_list()
key = (
    dataset.source,
    dataset.last_date,
    str(dataset.loaded_at),
    filters.domestic_abuse.value,
    tuple(places),
)
try:
    outlook, charts = _outlook(kpis, key, chosen, grain.value)
except ForecastError as error:
    st.info(f"No forecast: {error}", icon=":material/hourglass_top:")
    st.stop()

window = outlook.windows[chosen]
st.caption(
    f"Learnt from {window.periods} {grain.value}s, {window.first:%b %Y} to {window.last:%b %Y}"
    + (f" ({window.note})" if window.note else "")
    + "."
)

# The selected district first, then the force, then the other districts.
first = [filters.district, ALL_DISTRICTS, *places]
shown = [place for place in dict.fromkeys(first) if place in places]
backtest = outlook.backtest.filter("chosen")
for place in shown:
    name = FORCE_LABEL if place == ALL_DISTRICTS else place
    rows = outlook.forecasts.filter(pl.col("district") == place)
    test = backtest.filter(pl.col("district") == place).to_dicts()
    st.markdown(f"##### {name}")
    # A partial or provisional last period would read as a fall: the chart stops before it.
    st.vega_lite_chart(charts[place], width="stretch")
    words = accuracy_words(test[0] if test else None, grain)
    if place == ALL_DISTRICTS and rows.height:
        words += " The forecast line is the sum of the districts' forecasts."
    st.caption(words)

st.subheader("The outlook in figures")
table = outlook.forecasts.with_columns(
    pl.when(pl.col("district") == ALL_DISTRICTS)
    .then(pl.lit(FORCE_LABEL))
    .otherwise(pl.col("district"))
    .alias("district"),
    *(pl.col(c).round(0).cast(pl.Int64) for c in ("forecast", "lower_80", "upper_80")),
    *(pl.col(c).round(0).cast(pl.Int64) for c in ("lower_95", "upper_95")),
).select(
    pl.col("district").alias("District"),
    pl.col("period_label").alias("Period"),
    pl.col("forecast").alias("Forecast"),
    pl.format("{} to {}", "lower_80", "upper_80").alias("80% range"),
    pl.format("{} to {}", "lower_95", "upper_95").alias("95% range"),
    pl.col("model").alias("Method"),
)
st.dataframe(table, hide_index=True)
