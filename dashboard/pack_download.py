"""The board pack of the current view, from the app: PDF or PowerPoint, built on request.

A pack takes a few seconds, so it is built only when asked for ("Prepare pack"), with a progress
bar, and its bytes are kept in the session for those options: a rerun (any click) or a return
to the same options offers the download again without building it twice. The figures come from
the frame the page shows (``Dataset.kpis_for``), never from a second read of the database, so a
user who may see only some districts gets a pack of what they see.

Small-count suppression starts ticked for a district pack and unticked for the force: a
district's counts are the small, disclosive ones and a pack is a file that travels, so the safe
choice is the default there; force-wide figures are never suppressed (the option only adds the
disclosure statement to a force pack's cover). The ``kpi pack`` command keeps its default (off):
an analyst at the command line asks for what they want.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import streamlit as st

from dashboard.data import Dataset
from dashboard.filters import Filters
from dashboard.meeting_panel import pack_record_for, record_stamp
from metrics import ALL_DISTRICTS, DomesticAbuse, Grain
from packs import MEDIA_TYPES, PackError, PackFormat, build_pack, pack_filename

FORMATS: Final[dict[str, PackFormat]] = {"PDF": "pdf", "PowerPoint": "pptx"}
_CACHE: Final = "_pack_download_files"
# Packs kept per session (a PDF is under a megabyte, a deck about one).
KEPT: Final = 4


@dataclass(frozen=True)
class PackOptions:
    """Everything a pack depends on: the view, the format, suppression and the data behind it."""

    grain: Grain
    period: str
    district: str
    domestic_abuse: DomesticAbuse
    fmt: PackFormat
    suppress: bool
    data: tuple  # which load of which data, and the districts this user sees

    @property
    def file_name(self) -> str:
        return pack_filename(self.period, self.district, self.fmt)


def default_suppression(filters: Filters) -> bool:
    """Ticked for a district pack, unticked for the force (whose figures are never suppressed)."""
    return filters.district != ALL_DISTRICTS


def options_for(dataset: Dataset, filters: Filters, fmt: PackFormat, suppress: bool) -> PackOptions:
    """The options of the pack of this view."""
    kpis = dataset.kpis_for(filters.grain, filters.domestic_abuse)
    districts = tuple(sorted(kpis["district"].unique().to_list()))
    return PackOptions(
        grain=filters.grain,
        period=filters.end_label,
        district=filters.district,
        domestic_abuse=filters.domestic_abuse,
        fmt=fmt,
        suppress=suppress,
        data=(dataset.source, dataset.loaded_at, dataset.last_date, districts, record_stamp()),
    )


def _files() -> dict[PackOptions, bytes]:
    return st.session_state.setdefault(_CACHE, {})


def _build(dataset: Dataset, options: PackOptions) -> bytes | None:
    """Build the pack with a progress bar; None (and a one-line error) when the options fail."""
    assert dataset.last_date is not None
    bar = st.progress(0.0, text="Preparing the board pack…")

    def progress(stage: str, done: int, total: int) -> None:
        share = min(done / total, 1.0) if total else 1.0
        bar.progress(share, text=f"Preparing the board pack: {stage} ({done} of {total})")

    try:
        with st.spinner("Preparing the board pack (a few seconds)…"):
            return build_pack(
                dataset.kpis_for(options.grain, options.domestic_abuse),
                grain=options.grain,
                period=options.period,
                extract_date=dataset.as_at or dataset.last_date,
                district=options.district,
                fmt=options.fmt,
                suppress_small_counts=options.suppress,
                domestic_abuse=options.domestic_abuse,
                progress=progress,
                record=pack_record_for(options.grain, options.period, options.district),
                not_collected=dataset.not_collected,
            )
    except PackError as error:
        st.error(f"The board pack cannot be built: {error}", icon=":material/error:")
        return None
    finally:
        bar.empty()


def pack_download(dataset: Dataset, filters: Filters, key: str = "pack") -> None:
    """Format, suppression, a "Prepare pack" button and, once built, the download button."""
    where = filters.district_label
    st.caption(
        f"The meeting's papers for **{where}**, **{filters.end_label}** "
        f"({filters.domestic_abuse_label.lower()}): a cover, a summary of every KPI with its "
        "SPC icons, then one page per KPI with its SPC chart, figures, definition and space for "
        "commentary."
    )
    left, right = st.columns([1, 2])
    label = left.radio("Format", list(FORMATS), horizontal=True, key=f"{key}_format")
    fmt = FORMATS[label or "PDF"]
    suppress = right.checkbox(
        "Suppress small counts",
        value=default_suppression(filters),
        # One setting per place: a district pack starts suppressed, a force pack does not.
        key=f"{key}_suppress_{filters.place}",
        help="For packs that leave the meeting: district counts of 1 to 7 are shown as *, larger "
        "counts are rounded to the nearest 5, and rates built on a hidden count are hidden too. "
        "Force-wide figures are always exact. The rule is stated on the cover.",
    )
    options = options_for(dataset, filters, fmt, suppress)
    files = _files()
    if st.button(
        "Prepare pack",
        key=f"{key}_prepare",
        icon=":material/description:",
        help="Builds the pack for the filters in the sidebar; it takes a few seconds.",
    ):
        content = _build(dataset, options)
        if content is not None:
            files.pop(options, None)
            files[options] = content
            while len(files) > KEPT:
                files.pop(next(iter(files)))
    content = files.get(options)
    if content is not None:
        st.download_button(
            f"Download {label} ({len(content) / 1_000_000:.1f} MB)",
            content,
            file_name=options.file_name,
            mime=MEDIA_TYPES[fmt],
            key=f"{key}_download",
            on_click="ignore",
            type="primary",
            icon=":material/download:",
        )
        if not filters.end_is_complete:
            st.caption(
                f"{filters.end_label} is not complete: the pack says so on its cover "
                f"(data to {filters.last_date:%d %b %Y})."
            )
