"""What the entry script hands to the page it runs: the loaded data and the filters."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from dashboard.access import OPEN, Access
from dashboard.data import Dataset, Source
from dashboard.filters import Filters

_KEY = "_dashboard_view"
METRIC_PAGE = "views/metric.py"


@dataclass(frozen=True)
class View:
    """The data and filters of this run; ``filters`` is None when the data have no periods."""

    source: Source
    dataset: Dataset | None
    filters: Filters | None
    access: Access = OPEN  # who this session is: what it may see and write


def set_view(view: View) -> None:
    st.session_state[_KEY] = view


def current() -> View | None:
    return st.session_state.get(_KEY)


def require_filters() -> tuple[Dataset, Filters]:
    """The dataset and filters, or stop the page (the entry script has said why)."""
    view = current()
    if view is None or view.dataset is None or view.filters is None:
        st.stop()
    return view.dataset, view.filters


def page_header(title: str, filters: Filters | None = None) -> None:
    """The page title and one line naming the view, for a projected screen without sidebar."""
    st.title(title)
    if filters is not None:
        st.markdown(filters.summary())
    view = current()
    if view is not None and view.dataset is not None and view.dataset.as_at is not None:
        st.caption(f"Data as at **{view.dataset.as_at:%d %b %Y}**", help=AS_AT_HELP)


AS_AT_HELP = (
    "The date the data describe: the latest valid record, or KPI_AS_AT when the extract was "
    "taken later. A period is provisional until it has ended (outcome rates: until 90 days "
    "after it ends), and provisional periods are left out of the SPC icons and limits."
)
