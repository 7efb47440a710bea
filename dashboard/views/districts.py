"""Districts: one period, every district side by side for each KPI, ranked."""

import polars as pl
import streamlit as st

from dashboard import tables
from dashboard.context import page_header, require_filters
from dashboard.exports import download_buttons, file_stem
from metrics import REGISTRY, Direction, Metric, Unit
from presentation import charts
from presentation.formatting import direction_words

COLUMNS = 2

dataset, filters = require_filters()
page_header("Districts", filters)
st.caption(
    f"Every district in **{filters.end_label}**, best first for each KPI (largest first where "
    "neither way is better). Crime counts are ranked per 1,000 residents, because districts "
    "differ in size; the dashed line is the force."
)
if not filters.end_is_complete:
    st.info(
        f"{filters.end_label} is not complete: the data run to {filters.last_date:%d %b %Y}.",
        icon=":material/hourglass_top:",
    )

kpis = dataset.kpis_for(filters.grain, filters.domestic_abuse)


def ranking_note(metric: Metric) -> str:
    scale = "per 1,000 residents; " if metric.unit == Unit.COUNT else ""
    order = "largest first" if metric.direction == Direction.NEUTRAL else "best first"
    return f"{scale}{order} · {direction_words(metric.direction)}"


rankings = []
metrics = list(REGISTRY)
for group in (metrics[i : i + COLUMNS] for i in range(0, len(metrics), COLUMNS)):
    for column, metric in zip(st.columns(COLUMNS), group, strict=False):
        ranking = tables.district_ranking(kpis, metric, filters, dataset.districts)
        is_count = metric.unit == Unit.COUNT
        rankings.append(ranking.with_columns(pl.lit(metric.id).alias("metric_id")))
        with column, st.container(border=True, key=f"ranking_{metric.id}"):
            st.markdown(f"**{metric.title}**")
            st.caption(ranking_note(metric))
            st.altair_chart(
                charts.ranked_bars(
                    ranking,
                    metric,
                    filters.district,
                    tables.force_value(kpis, metric, filters, dataset.districts),
                    value_column=tables.PER_1000 if is_count else "value",
                    unit=Unit.PER_1000 if is_count else metric.unit,
                    places=3 if is_count else None,
                ),
                width="stretch",
            )

st.subheader("All rankings as a table")
every = pl.concat(rankings).select(
    "metric_id",
    pl.lit(filters.end_label).alias("period"),
    "rank",
    "district",
    "population",
    "numerator",
    "denominator",
    "value",
    "shown_value",
    tables.PER_1000,
    pl.col("shown").alias("ranked_on"),
)
st.dataframe(every, hide_index=True, width="stretch")
download_buttons(
    every, file_stem("districts", filters.end_label), sheet="Districts", key="districts"
)
