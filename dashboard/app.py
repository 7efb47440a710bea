"""The governance dashboard: ``streamlit run dashboard/app.py``.

The entry script draws the navigation and the shared filters, loads the data (cached), and
runs the page the user chose. Pages are plain scripts in ``dashboard/views`` (a folder named
``pages`` would make Streamlit show its own second navigation until the first run ends).
"""

from __future__ import annotations

import streamlit as st

from dashboard import data
from dashboard.context import View, set_view
from dashboard.errors import report_unexpected
from dashboard.filters import sidebar, url_notes
from dashboard.signin import describe_access, session_access
from queries import SourceError
from queries.redact import redact

st.set_page_config(
    page_title="Stalking and harassment performance",
    page_icon=":material/monitoring:",
    layout="wide",
)

# Before anything else: with sign-in configured, nothing is shown to a session without a role.
access = session_access()

PAGES = [
    st.Page("views/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("views/metric.py", title="Metric", icon=":material/show_chart:"),
    st.Page("views/districts.py", title="Districts", icon=":material/leaderboard:"),
    st.Page("views/workforce.py", title="Workforce", icon=":material/school:"),
    st.Page("views/demand.py", title="Demand", icon=":material/trending_up:"),
    st.Page("views/data_quality.py", title="Data quality", icon=":material/fact_check:"),
    st.Page("views/catalogue.py", title="Metric catalogue", icon=":material/menu_book:"),
    st.Page("views/actions.py", title="Actions", icon=":material/task_alt:"),
]
# The data quality report lists rows of every district: force-wide roles only.
FORCE_WIDE_ONLY = {"Data quality"}
# The catalogue comes from the code alone, so it works even when the database does not.
NEEDS_NO_DATA = {"Metric catalogue"}

page = st.navigation([p for p in PAGES if access.force_wide or p.title not in FORCE_WIDE_ONLY])
source = data.configured_source()
dataset = None
try:
    dataset = data.load(source).narrowed(access)
except SourceError as error:
    st.error(f"**The data cannot be loaded.** {redact(error, source.url)}", icon=":material/error:")
    st.caption(
        f"The app reads {source.label} (set by {source.origin}). Check that the database is "
        "running and holds the five contract tables, or point KPI_DATABASE_URL at another one."
    )
except Exception:  # the promise is a message, never a traceback
    report_unexpected("loading the data", source.url)

if dataset is not None and dataset.unavailable:
    st.warning(
        f"**The database cannot be reached now**, so these are the figures as loaded at "
        f"{dataset.loaded_at:%H:%M on %d %b %Y} (data as at {dataset.last_date:%d %b %Y}). "
        f"Reason: {redact(dataset.unavailable, source.url)}",
        icon=":material/cloud_off:",
    )
    if st.button("Retry now", icon=":material/refresh:", key="retry_source"):
        data.clear_cache()
        st.rerun()

filters = None
if dataset is not None and not dataset.has_periods:
    st.warning(
        f"{dataset.source} has no dated records yet, so there are no KPIs to show. "
        "The data quality page lists any rows that were left out."
    )
elif dataset is not None:
    filters = sidebar(dataset)
    for note in url_notes():
        st.warning(note, icon=":material/link_off:")

with st.sidebar:
    st.divider()
    st.caption(describe_access(access))
    if access.signed_in_as:
        st.button("Sign out", on_click=st.logout, icon=":material/logout:", key="sign_out")
    if dataset is not None:
        freshness = f"{dataset.last_date:%d %b %Y}" if dataset.last_date else "no records"
        st.caption(
            f"Data: {dataset.source} (from {source.origin})  \nLatest record: {freshness}  \n"
            + (f"Data as at: {dataset.as_at:%d %b %Y}  \n" if dataset.as_at else "")
            + f"Loaded {dataset.loaded_at:%d %b %Y %H:%M} in {dataset.seconds:.1f} s"
        )
    if st.button(
        "Reload data", icon=":material/refresh:", help="Read the database again now.", key="reload"
    ):
        data.clear_cache()
        st.rerun()

set_view(View(source=source, dataset=dataset, filters=filters, access=access))
if dataset is not None or page.title in NEEDS_NO_DATA:
    try:
        page.run()
    except Exception:  # st.stop and st.rerun are not Exceptions, so they pass through
        report_unexpected(f"showing the {page.title} page", source.url)
