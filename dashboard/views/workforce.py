"""Workforce and assurance: training take-up by department, and dip-sample results by theme."""

import altair as alt
import polars as pl
import streamlit as st

from dashboard.context import page_header, require_filters
from dashboard.exports import download_buttons, file_stem
from metrics import ALL_DISTRICTS, REGISTRY, StockShare
from metrics.periods import label_of

SMALL_NUMBERS = 10

dataset, filters = require_filters()
page_header("Workforce and assurance", filters)

st.subheader("Training take-up by department")
stock = [m for m in REGISTRY if isinstance(m.measure, StockShare)]
collected = [m for m in stock if m.id not in dataset.not_collected]
departments = dataset.departments.get(filters.grain)
if not dataset.force_wide:
    st.info("Take-up by department covers the whole force's staff: force-wide roles only.")
elif not collected:
    reasons = "; ".join(dict.fromkeys(dataset.not_collected[m.id] for m in stock))
    st.info(f"Training take-up is {reasons}.")
else:
    metric = st.selectbox(
        "Course", collected, format_func=lambda m: m.title, key="workforce_course"
    )
    rows = departments.filter(
        (pl.col("metric_id") == metric.id) & (pl.col("period_start") == filters.end)
    ).sort("value", descending=True, nulls_last=True)
    force = dataset.kpis_for(filters.grain, filters.domestic_abuse).filter(
        (pl.col("metric_id") == metric.id)
        & (pl.col("period_start") == filters.end)
        & (pl.col("district") == ALL_DISTRICTS)
    )
    force_value = force["value"].item() if force.height else None
    target = metric.target_on(filters.end_date)
    st.caption(
        f"Staff with a completion on or before {filters.end_date:%d %b %Y} (the end of "
        f"{filters.end_label}), as a share of each department's headcount. Force: "
        + ("–" if force_value is None else f"{force_value:.1%}")
        + ("" if target is None else f"; target {target:.0%} (dashed line)")
        + ". A member of staff counts once in each department they completed it in."
    )
    bars = (
        alt.Chart(rows)
        .mark_bar(color="#0072B2")
        .encode(
            x=alt.X(
                "value:Q",
                title="Take-up",
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1]),
            ),
            y=alt.Y("department:N", title=None, sort="-x"),
            tooltip=[
                alt.Tooltip("department:N", title="Department"),
                alt.Tooltip("numerator:Q", title="Staff trained", format=","),
                alt.Tooltip("denominator:Q", title="Headcount", format=","),
                alt.Tooltip("value:Q", title="Take-up", format=".1%"),
            ],
        )
    )
    layers = [bars]
    if target is not None:
        layers.append(
            alt.Chart(pl.DataFrame({"target": [target]}))
            .mark_rule(color="#D55E00", strokeDash=[6, 4])
            .encode(x="target:Q")
        )
    st.altair_chart(alt.layer(*layers), width="stretch")
    table = rows.select(
        pl.col("department").alias("Department"),
        pl.col("numerator").alias("Staff trained"),
        pl.col("denominator").alias("Headcount"),
        (pl.col("value") * 100).round(1).alias("Take-up (%)"),
    )
    st.dataframe(table, hide_index=True, width="stretch")
    download_buttons(
        departments.filter(pl.col("metric_id") == metric.id),
        file_stem("training_takeup", "force", filters.end_label),
        sheet="Training take-up",
        key="workforce_takeup",
    )

st.subheader("Dip-sample reviews by theme and question")
if "review_compliance_rate" in dataset.not_collected or dataset.reviews is None:
    st.info("Not collected: the source has no case_reviews table.")
else:
    reviews = dataset.reviews.with_columns(pl.col("reviewed_at").dt.date().alias("__date")).filter(
        pl.col("__date").is_between(filters.end, filters.end_date)
    )
    if filters.district != ALL_DISTRICTS:
        reviews = reviews.filter(pl.col("district") == filters.district)
    by_question = (
        reviews.group_by("theme", "question")
        .agg(
            (pl.col("answer") == "yes").sum().alias("yes"),
            (pl.col("answer") == "no").sum().alias("no"),
            (pl.col("answer") == "n/a").sum().alias("n/a"),
        )
        .with_columns(
            pl.when(pl.col("yes") + pl.col("no") > 0)
            .then((pl.col("yes") / (pl.col("yes") + pl.col("no")) * 100).round(1))
            .alias("Meeting the standard (%)"),
            pl.when(pl.col("yes") + pl.col("no") < SMALL_NUMBERS)
            .then(pl.lit("small numbers"))
            .otherwise(pl.lit(""))
            .alias("Note"),
        )
        .sort("theme", "question")
    )
    st.caption(
        f"Answers recorded in {label_of(filters.end, filters.grain)} for {filters.place}: yes and "
        f"no count towards the standard, n/a does not. Under {SMALL_NUMBERS} answered is marked "
        "small numbers: too few to read a difference into."
    )
    if by_question.is_empty():
        st.info(f"No dip-sample answers in {filters.end_label}.")
    else:
        st.dataframe(by_question, hide_index=True, width="stretch")
        download_buttons(
            by_question,
            file_stem("dip_samples", filters.place, filters.end_label),
            sheet="Dip samples",
            key="workforce_reviews",
        )
