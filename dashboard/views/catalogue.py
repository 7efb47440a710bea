"""Metric catalogue: every registered KPI and how it is defined, generated from the registry."""

import polars as pl
import streamlit as st

from dashboard.context import METRIC_PAGE, page_header
from dashboard.exports import download_buttons, file_stem
from dashboard.formatting import direction_words, format_value
from metrics import REGISTRY, Metric


def targets(metric: Metric) -> str:
    if not metric.targets:
        return ""
    return "; ".join(
        format_value(target.value, metric.unit)
        + (f" from {target.effective_from:%d %b %Y}" if target.effective_from else "")
        for target in metric.targets
    )


def breaks(metric: Metric) -> str:
    return "; ".join(f"{rebase.date:%d %b %Y}: {rebase.reason}" for rebase in metric.rebase)


def catalogue() -> pl.DataFrame:
    """One row per registered metric, in registry order."""
    return pl.DataFrame(
        [
            {
                "id": metric.id,
                "title": metric.title,
                "definition": metric.description,
                "unit": metric.unit.value,
                "direction": metric.direction.value,
                "better": direction_words(metric.direction),
                "kind": metric.kind,
                "period_date": metric.period_dates,
                "targets": targets(metric),
                "series_breaks": breaks(metric),
                "inputs": ", ".join(metric.inputs),
                "maturity_days": metric.maturity_days,
            }
            for metric in REGISTRY
        ]
    )


page_header("Metric catalogue")
st.caption(
    f"{len(REGISTRY)} KPIs, generated from the metric registry in code (`metrics/`): to add one, "
    "register it there and it appears here, in the other pages and in the exports."
)
frame = catalogue()
st.dataframe(
    frame.select(
        pl.col("title").alias("KPI"),
        pl.col("definition").alias("Definition"),
        pl.col("unit").alias("Unit"),
        pl.col("better").alias("Which way is better"),
        pl.col("kind").alias("Kind"),
        pl.col("period_date").alias("Period date"),
        pl.col("targets").alias("Targets"),
        pl.col("series_breaks").alias("Series breaks"),
        pl.col("inputs").alias("Inputs (table.column)"),
        pl.col("id").alias("Id"),
    ),
    hide_index=True,
    width="stretch",
    row_height=60,
)
download_buttons(frame, file_stem("metric_catalogue"), sheet="Metric catalogue", key="catalogue")

st.subheader("Open a KPI")
chosen = st.selectbox(
    "KPI", REGISTRY.ids, format_func=lambda metric_id: REGISTRY.get(metric_id).title
)
st.page_link(
    METRIC_PAGE,
    label=f"{REGISTRY.get(chosen).title}: trend and districts",
    icon=":material/arrow_forward:",
    query_params={"metric": chosen},
)
