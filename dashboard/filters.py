"""The filters every page shares, bound to the URL so that a link reproduces the view.

Each filter is a sidebar widget with ``bind="query-params"``: its key is the URL parameter
and its value there is the option as shown (``?grain=Month&district=Bristol``). Streamlit
drops a value that is not an option; on the first run of a session the values the link asked
for are compared with what the widgets show, and every difference is reported in a note.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from dashboard.data import Dataset
from metrics import ALL_DISTRICTS, DomesticAbuse, Grain
from metrics.periods import label_of, parse_label
from presentation import periods
from presentation.settings import FORCE_LABEL

# URL parameter names: the widget keys.
GRAIN, PERIOD, DISTRICT, DOMESTIC_ABUSE = "grain", "period", "district", "da"
PARAMS = (GRAIN, PERIOD, DISTRICT, DOMESTIC_ABUSE)

GRAINS = {"Month": Grain.MONTH, "Quarter": Grain.QUARTER, "Financial year": Grain.FINANCIAL_YEAR}
DEFAULT_GRAIN = "Quarter"
DOMESTIC_ABUSE_OPTIONS = {
    "All crimes": DomesticAbuse.ALL,
    "Domestic abuse only": DomesticAbuse.DA,
    "Not domestic abuse": DomesticAbuse.NON_DA,
}

_CHECKED = "_filters_url_checked"
_NOTES = "_filters_notes"
_SHOWN_GRAIN = "_filters_shown_grain"
_SPAN = "_filters_span"


@dataclass(frozen=True)
class Filters:
    """What every page shows: a grain, a range of periods, a district and a DA filter."""

    grain: Grain
    start: dt.date  # first period of the range
    end: dt.date  # last period of the range: the reporting period
    district: str  # a district name, or ALL_DISTRICTS for the force
    domestic_abuse: DomesticAbuse
    last_date: dt.date  # data freshness

    @property
    def grain_label(self) -> str:
        return next(label for label, grain in GRAINS.items() if grain == self.grain)

    @property
    def end_label(self) -> str:
        return label_of(self.end, self.grain)

    @property
    def start_label(self) -> str:
        return label_of(self.start, self.grain)

    @property
    def end_date(self) -> dt.date:
        """The last day of the reporting period."""
        return periods.period_end(self.end, self.grain)

    @property
    def previous(self) -> dt.date:
        return periods.shift(self.end, self.grain, -1)

    @property
    def year_ago(self) -> dt.date:
        return periods.shift(self.end, self.grain, -periods.PERIODS_PER_YEAR[self.grain])

    @property
    def place(self) -> str:
        """``force`` or the district's name, for file names."""
        return "force" if self.district == ALL_DISTRICTS else self.district

    @property
    def district_label(self) -> str:
        return FORCE_LABEL if self.district == ALL_DISTRICTS else self.district

    @property
    def domestic_abuse_label(self) -> str:
        return next(
            label for label, value in DOMESTIC_ABUSE_OPTIONS.items() if value == self.domestic_abuse
        )

    @property
    def end_is_complete(self) -> bool:
        return periods.is_complete(self.end, self.grain, self.last_date)

    def summary(self) -> str:
        """One line naming the view, for the top of every page (the sidebar may be hidden)."""
        partial = "" if self.end_is_complete else f" (partial: data to {self.last_date:%d %b %Y})"
        return (
            f"**{self.district_label}** · **{self.end_label}**{partial} · "
            f"{self.grain_label.lower()}s {self.start_label} to {self.end_label} · "
            f"{self.domestic_abuse_label.lower()}"
        )


def district_options(dataset: Dataset) -> list[str]:
    """The force first (for force-wide roles), then every district the session may see."""
    force = [FORCE_LABEL] if dataset.force_wide else []
    return [*force, *dataset.districts["district"].to_list()]


def _default_range(dataset: Dataset, grain: Grain) -> tuple[str, str]:
    """The whole series, ending at the latest period whose data are complete."""
    assert dataset.first_date is not None and dataset.last_date is not None
    end = periods.latest_complete(dataset.first_date, dataset.last_date, grain)
    return label_of(periods.containing(dataset.first_date, grain), grain), label_of(end, grain)


def _on_grain_change() -> None:
    """Keep the same dates in view when the grain changes (quarters to months, and so on)."""
    old = GRAINS.get(st.session_state.get(_SHOWN_GRAIN, DEFAULT_GRAIN), Grain.QUARTER)
    new = GRAINS.get(st.session_state.get(GRAIN) or DEFAULT_GRAIN, Grain.QUARTER)
    current = st.session_state.get(PERIOD)
    span = st.session_state.get(_SPAN)
    if not current or not span or old == new:
        return
    try:
        start, end = periods.translate(current[0], current[1], old, new)
    except ValueError:
        st.session_state.pop(PERIOD, None)
        return
    first, last = (periods.containing(day, new) for day in span)
    start, end = max(start, first), min(end, last)
    st.session_state[PERIOD] = (label_of(start, new), label_of(end, new))


def _raw_params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in PARAMS if key in st.query_params}


def _url_notes(asked: dict[str, list[str]], shown: dict[str, list[str]]) -> list[str]:
    """A note for every value the link asked for that is not what the page shows."""
    names = {
        GRAIN: "grain",
        PERIOD: "period range",
        DISTRICT: "district",
        DOMESTIC_ABUSE: "domestic abuse filter",
    }
    notes = []
    for key, values in asked.items():
        if values != shown[key]:
            notes.append(
                f"The link asks for {names[key]} “{' – '.join(values) or '(empty)'}”, which "
                f"this data cannot show as given: showing “{' – '.join(shown[key])}” instead."
            )
    return notes


def sidebar(dataset: Dataset) -> Filters:
    """Draw the shared filters in the sidebar and return what they select."""
    assert dataset.first_date is not None and dataset.last_date is not None
    first_run = not st.session_state.get(_CHECKED, False)
    asked = _raw_params() if first_run else {}
    st.session_state[_SPAN] = (dataset.first_date, dataset.last_date)

    with st.sidebar:
        st.subheader("Filters")
        grain_label = st.segmented_control(
            "Grain",
            list(GRAINS),
            default=DEFAULT_GRAIN,
            required=True,
            key=GRAIN,
            bind="query-params",
            on_change=_on_grain_change,
            help="Month, financial-year quarter (Q1 is April to June) or financial year.",
        )
        grain_label = grain_label or DEFAULT_GRAIN  # an empty ?grain= in a link
        grain = GRAINS[grain_label]
        st.session_state[_SHOWN_GRAIN] = grain_label
        options = periods.labels(dataset.first_date, dataset.last_date, grain)
        start_label, end_label = st.select_slider(
            "Periods",
            options,
            value=_default_range(dataset, grain),
            key=PERIOD,
            bind="query-params",
            help="The range the trends show. The last period is the reporting period of the "
            "overview and the districts page.",
        )
        district_label = st.selectbox(
            "District", district_options(dataset), key=DISTRICT, bind="query-params"
        )
        domestic_abuse_label = st.selectbox(
            "Domestic abuse",
            list(DOMESTIC_ABUSE_OPTIONS),
            key=DOMESTIC_ABUSE,
            bind="query-params",
            help="All crimes, only those flagged as domestic abuse, or only those not flagged. "
            "Orders take the flag of their linked crime.",
        )

    filters = Filters(
        grain=grain,
        start=parse_label(start_label, grain),
        end=parse_label(end_label, grain),
        district=ALL_DISTRICTS if district_label == FORCE_LABEL else district_label,
        domestic_abuse=DOMESTIC_ABUSE_OPTIONS[domestic_abuse_label],
        last_date=dataset.last_date,
    )
    if first_run:
        st.session_state[_CHECKED] = True
        shown = {
            GRAIN: [grain_label],
            PERIOD: [start_label, end_label],
            DISTRICT: [district_label],
            DOMESTIC_ABUSE: [domestic_abuse_label],
        }
        st.session_state[_NOTES] = _url_notes(asked, shown)
    else:
        st.session_state[_NOTES] = []
    return filters


def url_notes() -> list[str]:
    """Notes about link values that could not be used (first view of a session only)."""
    return list(st.session_state.get(_NOTES, []))
