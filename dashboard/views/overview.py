"""Overview: every KPI for the reporting period, as the meeting's first screen."""

import polars as pl
import streamlit as st

from dashboard.context import METRIC_PAGE, page_header, require_filters
from dashboard.exports import download_buttons, file_stem
from dashboard.meeting_panel import overdue_panel
from dashboard.not_collected import not_collected_note
from dashboard.pack_download import pack_download
from dashboard.scorecard import scorecard
from dashboard.spc_view import Icons, icons_html, legend_html, real_change
from metrics import ALL_DISTRICTS, REGISTRY, Metric
from metrics.compare import SMALL_NUMBERS, SMALL_NUMBERS_LABEL
from presentation.formatting import Assessment, describe_change

# Better and worse differ in colour (Okabe–Ito blue and vermillion, via the theme), in the
# arrow and in words; no change and neutral measures stay grey.
DELTA_COLOURS = {Assessment.BETTER: "blue", Assessment.WORSE: "orange"}
COLUMNS = 3

dataset, filters = require_filters()
page_header("Overview", filters)
overdue_panel(filters.district)
st.caption(
    f"Each card shows **{filters.end_label}**, compared with the same period a year earlier "
    "and with the previous period. ▲ and ▼ say which way the value moved; the words **better** "
    "and **worse** say whether that is good for that KPI (crime counts measure demand and are "
    "not rated). The line shows the periods in view. The two round icons read the whole series "
    "up to this period as a statistical process control (SPC) chart: is there real change, and "
    "will the target be met?"
)
if not filters.end_is_complete:
    st.info(
        f"{filters.end_label} is not complete: the data run to {filters.last_date:%d %b %Y}.",
        icon=":material/hourglass_top:",
    )

shown_metrics = [
    metric
    for metric in REGISTRY
    if metric.id not in dataset.not_collected
    and (filters.district == ALL_DISTRICTS or not metric.force_only)
]
card = scorecard(dataset.kpis_for(filters.grain, filters.domestic_abuse), filters, shown_metrics)

st.markdown(real_change(card))
with st.expander("What the SPC icons mean", icon=":material/help:", expanded=True):
    st.markdown(legend_html(), unsafe_allow_html=True)
    st.caption(
        "Making Data Count rules (NHS England): the average and process limits come from every "
        f"{filters.grain_label.lower()} up to {filters.end_label}, recalculated after a known "
        "change such as the 2023 crime recording rules. The metric page shows each KPI's chart."
        + (
            ""
            if filters.end_is_complete
            else f" {filters.end_label} is partial, so its icons may signal a change that is "
            "only missing data."
        )
    )
with st.expander("Board pack for this view (PDF or PowerPoint)", icon=":material/description:"):
    pack_download(dataset, filters)


def delta(row: dict) -> tuple[str | None, str, str]:
    """The year-on-year change as st.metric shows it: text, colour and arrow."""
    assessment = Assessment(row["on_year_ago"])
    if assessment == Assessment.NO_COMPARISON:
        return None, "gray", "off"
    colour = DELTA_COLOURS.get(assessment, "gray")
    arrow = "off" if assessment == Assessment.NO_CHANGE else "auto"
    return f"{row['change_on_year_ago_short']} · {assessment.value}", colour, arrow


def previous_line(row: dict, metric: Metric) -> str:
    """The comparison with the previous period, in words and arrows (no colour needed)."""
    change = describe_change(row["previous_change"], metric.unit, metric.direction)
    return f"Previous period ({row['previous_period']}): {row['previous_shown']} · {change}"


def icons_note(row: dict, metric: Metric) -> str:
    """Which period the icons read, and why the reporting period's value may still change."""
    words = []
    if row["provisional"]:
        settle = (
            f"until {metric.maturity_days} days after it ends (outcomes are still being assigned)"
            if metric.maturity_days
            else "until it ends"
        )
        words.append(f"**Provisional**: {row['period']} can still change {settle}.")
    read = row["icons_period"] or "no mature period"
    words.append(f"The icons read {read}, the last mature period.")
    return " ".join(words)


def render_card(row: dict) -> None:
    """One KPI card: the value, its comparisons, and its SPC variation and assurance icons."""
    metric = REGISTRY.get(row["metric_id"])
    text, colour, arrow = delta(row)
    with st.container(border=True, key=f"card_{metric.id}"):
        st.metric(
            metric.title,
            row["shown"],
            delta=text,
            delta_color=colour,
            delta_arrow=arrow,
            delta_description=f"vs {row['year_ago_period']} (a year ago): {row['year_ago_shown']}",
            help=metric.description,
            chart_data=row["sparkline"] or None,
        )
        st.markdown(
            icons_html(Icons.from_row(row), metric.direction, name=metric.id),
            unsafe_allow_html=True,
        )
        st.caption(previous_line(row, metric))
        if row["provisional"] or row["icons_period"] != row["period"]:
            st.caption(icons_note(row, metric))
        if row["small_numbers"]:
            st.caption(f"**{SMALL_NUMBERS_LABEL.capitalize()}**: fewer than {SMALL_NUMBERS} cases.")
        st.page_link(
            METRIC_PAGE,
            label="Trend and districts",
            icon=":material/arrow_forward:",
            query_params={"metric": metric.id},
        )


rows = list(card.iter_rows(named=True))
for group in (rows[i : i + COLUMNS] for i in range(0, len(rows), COLUMNS)):
    for column, row in zip(st.columns(COLUMNS), group, strict=False):
        with column:
            render_card(row)

not_collected_note(dataset.not_collected)

st.subheader("Scorecard as a table")
table = card.select(
    pl.col("title").alias("KPI"),
    pl.col("shown").alias(filters.end_label),
    pl.concat_str(
        pl.when(pl.col("provisional")).then(pl.lit("provisional")),
        pl.when(pl.col("small_numbers")).then(pl.lit(SMALL_NUMBERS_LABEL)),
        separator="; ",
        ignore_nulls=True,
    ).alias("Status"),
    pl.col("previous_shown").alias(f"Previous ({card['previous_period'][0]})"),
    pl.col("change_on_previous").alias("Change on previous"),
    pl.col("on_previous").alias("On previous"),
    pl.col("year_ago_shown").alias(f"Year ago ({card['year_ago_period'][0]})"),
    pl.col("change_on_year_ago").alias("Change on year ago"),
    pl.col("on_year_ago").alias("On year ago"),
    pl.col("variation_words").alias("Variation (SPC)"),
    pl.col("assurance_words").alias("Assurance (SPC)"),
    pl.col("icons_period").alias("Icons read"),
)
st.dataframe(table, hide_index=True, width="stretch")
download_buttons(
    card.with_columns(
        pl.lit(filters.grain.value).alias("grain"),
        pl.lit(filters.domestic_abuse.value).alias("domestic_abuse"),
    ),
    file_stem("scorecard", filters.place, filters.end_label),
    sheet="Scorecard",
    key="scorecard",
)
