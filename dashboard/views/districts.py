"""Districts: one period, every district against the force for each KPI, allowing for chance."""

import polars as pl
import streamlit as st

from dashboard.context import page_header, require_filters
from dashboard.exports import download_buttons, file_stem
from dashboard.formatting import direction_words
from dashboard.funnel import funnel_spec, funnel_words, marked, shown_unit
from metrics import REGISTRY
from metrics.compare import SMALL_NUMBERS, SMALL_NUMBERS_LABEL, comparable, compare_districts

COLUMNS = 2

dataset, filters = require_filters()
page_header("Districts", filters)
st.caption(
    f"Every district in **{filters.end_label}** against the force. Districts differ in size, "
    "so each funnel plot shows a district's value against its size (cases, or residents for "
    "crime counts, which are read per 1,000 residents), with the force value (solid line) and "
    "the 95% (dashed) and 99.8% (solid) limits within which a district of that size would fall "
    "by chance. Only a district outside the 99.8% limits differs from the force beyond chance; "
    f"a value resting on fewer than {SMALL_NUMBERS} cases is marked *{SMALL_NUMBERS_LABEL}*. "
    "Medians are not compared."
)
if not filters.end_is_complete:
    st.info(
        f"{filters.end_label} is not complete: the data run to {filters.last_date:%d %b %Y}.",
        icon=":material/hourglass_top:",
    )

kpis = dataset.kpis_for(filters.grain, filters.domestic_abuse)
metrics = [
    metric
    for metric in REGISTRY
    if comparable(metric) and metric.id not in dataset.not_collected
]
compared = marked(compare_districts(kpis, dataset.districts, filters.end, metrics))
provisional = (
    set(kpis.filter(pl.col("period_start") == filters.end, pl.col("provisional"))["metric_id"])
    if "provisional" in kpis.columns
    else set()
)

for group in (metrics[i : i + COLUMNS] for i in range(0, len(metrics), COLUMNS)):
    for column, metric in zip(st.columns(COLUMNS), group, strict=False):
        rows = compared.filter(pl.col("metric_id") == metric.id)
        with column, st.container(border=True, key=f"funnel_{metric.id}"):
            st.markdown(f"**{metric.title}**")
            note = f"{shown_unit(metric).value} · {direction_words(metric.direction)}"
            if metric.id in provisional:
                note += f" · {filters.end_label} is provisional: figures may still change"
            st.caption(note)
            spec = funnel_spec(rows, metric)
            if spec is None:
                st.caption("No district can be compared in this period.")
            else:
                st.vega_lite_chart(spec, width="stretch")
            st.markdown(funnel_words(rows, metric))
            small = rows.filter(pl.col("small_numbers"))["district"].to_list()
            if small:
                st.caption(f"{SMALL_NUMBERS_LABEL.capitalize()}: {', '.join(small)}.")

st.subheader("Every district against the force, as a table")
every = compared.select(
    "metric_id",
    "period_label",
    "district",
    "numerator",
    "denominator",
    "value",
    "force_value",
    "lower_95",
    "upper_95",
    "lower_998",
    "upper_998",
    "signal",
    "compared",
    pl.when(pl.col("small_numbers"))
    .then(pl.lit(SMALL_NUMBERS_LABEL))
    .otherwise(pl.lit(""))
    .alias("note"),
)
st.dataframe(every, hide_index=True, width="stretch")
download_buttons(
    every, file_stem("districts", filters.end_label), sheet="Districts", key="districts"
)
