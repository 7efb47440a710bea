"""Metric: one KPI over time, for the force and every district, with its definition."""

import streamlit as st

from dashboard import charts, tables
from dashboard.context import page_header, require_filters
from dashboard.exports import download_buttons, file_stem
from dashboard.formatting import direction_words, format_value
from metrics import ALL_DISTRICTS, CRIME_RECORDING_RULE_CHANGE, REGISTRY, Metric

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

# The trend: one place for the chart, where an SPC view (limits, signals) will be added.
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
