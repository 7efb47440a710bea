"""Metric: one KPI over time, for the force and every district, with its definition."""

import polars as pl
import streamlit as st

from dashboard import meeting_panel, spc_view, tables
from dashboard.context import page_header, require_filters
from dashboard.exports import download_buttons, file_stem
from dashboard.filters import FORCE_LABEL
from metrics import ALL_DISTRICTS, CRIME_RECORDING_RULE_CHANGE, REGISTRY, Metric
from presentation import charts
from presentation.formatting import direction_words, format_value
from presentation.spc_chart import spc_chart

PARAM = "metric"  # ?metric=<id>: the metric's stable id, as in exports and the catalogue
DEFAULT_METRIC = REGISTRY.ids[0]

dataset, filters = require_filters()

asked = st.query_params.get(PARAM)
if asked is not None and asked not in REGISTRY:
    st.warning(
        f"The link's metric “{asked}” is not in the catalogue, so this page shows "
        f"“{REGISTRY.get(DEFAULT_METRIC).title}” instead.",
        icon=":material/link_off:",
    )
    asked = None


def _keep_in_url() -> None:
    st.query_params[PARAM] = st.session_state["metric_choice"]


if "metric_choice" not in st.session_state or asked not in (None, st.session_state.metric_choice):
    st.session_state["metric_choice"] = asked or DEFAULT_METRIC
chosen = st.selectbox(
    "KPI",
    REGISTRY.ids,
    format_func=lambda metric_id: REGISTRY.get(metric_id).title,
    key="metric_choice",
    on_change=_keep_in_url,
)
if st.query_params.get(PARAM) != chosen:
    st.query_params[PARAM] = chosen
metric: Metric = REGISTRY.get(chosen)

page_header(metric.title, filters)

if metric.id in dataset.not_collected:
    st.info(
        f"**Not collected.** {metric.title} is {dataset.not_collected[metric.id]}, so there "
        "are no figures to show (they are not zero). `kpi doctor` lists what each KPI needs.",
        icon=":material/block:",
    )
    st.markdown(f"{metric.description}  \n**Inputs:** {', '.join(metric.inputs)}")
    st.stop()
if metric.force_only and filters.district != ALL_DISTRICTS:
    st.info(
        f"{metric.title} is force-wide only (its breakdown is by department, on the Workforce "
        "page), so the figures below are the force's.",
        icon=":material/info:",
    )


def definition(metric: Metric) -> str:
    """The metric in words, from its registry entry."""
    target = metric.target_on(filters.end)
    target_words = "none set" if target is None else format_value(target, metric.unit)
    return (
        f"{metric.description}  \n"
        f"**Unit:** {metric.unit.value} · **{direction_words(metric.direction)}** · "
        f"**Period date:** {metric.period_dates} · **Kind:** {metric.kind} · "
        f"**Target in {filters.end_label}:** {target_words} · **Id:** `{metric.id}`"
    )


st.markdown(definition(metric))

kpis = dataset.kpis_for(filters.grain, filters.domestic_abuse)
series = tables.in_range(kpis, metric, filters)

st.subheader(f"Trend by {filters.grain_label.lower()}")
st.altair_chart(
    charts.trend_chart(series, metric, filters.district, filters.start, filters.end_date),
    width="stretch",
)
notes = []
change = CRIME_RECORDING_RULE_CHANGE.date
if any(metric.target_on(day) is not None for day in series["period_start"].unique()):
    notes.append("The green dotted line is the target in force in each period.")
if charts.rule_change_in_range(filters.start, filters.end_date):
    notes.append(
        f"The dashed line at {change.day} {change:%B %Y} marks where the crime "
        f"recording rules changed ({CRIME_RECORDING_RULE_CHANGE.reason}): compare levels either "
        "side of it with care."
    )
if not filters.end_is_complete:
    notes.append(
        f"{filters.end_label} is not complete: the data run to {filters.last_date:%d %b %Y}."
    )
for note in notes:
    st.caption(note)

st.subheader("Statistical process control (SPC)")
st.caption(
    "Is the change real? Each point is read against the average and the process limits of "
    f"every {filters.grain_label.lower()} up to {filters.end_label} (Making Data Count rules): "
    "values between the limits are the normal ups and downs; a coloured point is part of a "
    "signal of real change. The chart shows the periods in view."
)
places = [filters.district]
# The force beside a district, when this user's data include the force's rows.
if filters.district != ALL_DISTRICTS and (kpis["district"] == ALL_DISTRICTS).any():
    places.append(ALL_DISTRICTS)
partial = None if filters.end_is_complete else filters.end
# One above the other, full width: each chart's legends and period labels need the room.
for place in places:
    name = FORCE_LABEL if place == ALL_DISTRICTS else place
    # Every period up to the reporting period sets the limits; the chart shows those in view.
    frame = spc_view.spc_series(kpis, metric, place, filters.end)
    st.markdown(f"##### {name}")
    st.markdown(
        spc_view.icons_html(spc_view.icons(frame, metric), metric.direction),
        unsafe_allow_html=True,
    )
    if provisional_note := spc_view.icons_period_note(frame, metric, filters.grain):
        st.caption(provisional_note)
    st.altair_chart(
        spc_chart(
            frame.filter(pl.col("period_start") >= filters.start),
            metric,
            filters.grain,
            district=name,
            title="",  # the heading above names it
            height=260,
            partial=partial,
        ),
        width="stretch",
    )
with st.container(border=True):
    st.markdown("**Reading the SPC chart**")
    st.markdown(spc_view.point_legend_html(metric.direction), unsafe_allow_html=True)
    spc_notes = [
        "The dark line is the average (mean); the dashed grey lines are the process limits, "
        "within which values vary by chance alone."
    ]
    if metric.targets:
        spc_notes.append("The red dash-dot line is the target.")
    for rebase in metric.rebase:
        spc_notes.append(
            f"The limits are recalculated from {rebase.date.day} {rebase.date:%B %Y} "
            f"({rebase.reason}): a step there is a known change, not a signal."
        )
    spc_notes.append(
        "The round icons: variation (is the latest value part of a signal?) and assurance "
        "(with a target: will it be met?). The overview explains each icon."
    )
    if partial is not None:
        spc_notes.append(
            f"{filters.end_label} is partial (data to {filters.last_date:%d %b %Y}) and is "
            "labelled on the chart: a low value there may be missing data, not a signal."
        )
    st.caption(" ".join(spc_notes))

st.subheader("Districts")
st.altair_chart(charts.small_multiples(series, metric, filters.district), width="content")

subject = "the force" if filters.district == ALL_DISTRICTS else f"{filters.district} and the force"
st.subheader("Numerator and denominator")
st.caption(f"By period for {subject}; the download holds every district.")
st.dataframe(tables.metric_table(series, metric, filters.district), hide_index=True)
download_buttons(
    tables.export_series(series, metric),
    file_stem(metric.id, filters.grain.value, filters.start_label, filters.end_label),
    sheet=metric.id,
    key="metric",
)

# The meeting's record: commentary for the period in view, and the actions on this KPI.
meeting_panel.metric_record(metric.id, filters)
