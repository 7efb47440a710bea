"""Board packs: the meeting's papers as PDF or PowerPoint, from the same figures as the app.

``build_pack`` is the one way in, for the ``kpi pack`` command and the app's download button
alike; ``suppress_small_counts`` is the disclosure control the packs apply, for any download.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Literal

import polars as pl

from metrics import ALL_DISTRICTS, DomesticAbuse, Grain, Metric
from packs.content import (
    DEFAULT_FORCE_NAME,
    FORCE_NAME_ENV,
    PackError,
    default_force_name,
    pack_content,
)
from packs.meeting_record import PackRecord
from packs.suppression import (
    DEFAULT_RULE,
    SUPPRESSED,
    SuppressionRule,
    differencing_exposure,
    marked,
    suppress_small_counts,
)

PackFormat = Literal["pdf", "pptx"]
FORMATS: tuple[PackFormat, ...] = ("pdf", "pptx")
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def build_pack(
    kpis: pl.DataFrame,
    *,
    grain: Grain,
    period: str,
    extract_date: dt.date,
    district: str = ALL_DISTRICTS,
    fmt: PackFormat = "pdf",
    suppress_small_counts: bool = False,
    force_name: str | None = None,
    domestic_abuse: DomesticAbuse = DomesticAbuse.ALL,
    metrics: Iterable[Metric] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    record: PackRecord | None = None,
    not_collected: Mapping[str, str] | None = None,
) -> bytes:
    """A board pack as the bytes of a PDF or PowerPoint file.

    Parameters
    ----------
    kpis
        ``compute_kpis`` rows at ``grain`` (every period and district), already filtered by
        ``domestic_abuse`` (which is only named on the cover).
    period
        The reporting period's label, such as ``"2024/25 Q1"``; the SPC series end there.
    extract_date
        The date of the latest record (``Facts.last_date``), printed as the data extract date.
    district
        A district name, or ``"All"`` for the force.
    suppress_small_counts
        Apply ``DEFAULT_RULE`` to district figures (see ``packs.suppression``).
    not_collected
        KPIs the source cannot give, with the reason: named on the cover, with no page.
    record
        Commentary and actions from the app database (``packs.meeting_record.pack_record``),
        printed in the commentary boxes and in an action log at the end (nothing when empty).

    Raises ``PackError`` (a ``ValueError``) with one line naming the valid periods or
    districts when ``period`` or ``district`` is not in ``kpis``.
    """
    if fmt not in FORMATS:
        raise PackError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    content = pack_content(
        kpis,
        grain=grain,
        period=period,
        extract_date=extract_date,
        district=district,
        domestic_abuse=domestic_abuse,
        suppression=DEFAULT_RULE if suppress_small_counts else None,
        force_name=force_name,
        metrics=metrics,
        not_collected=not_collected,
    )
    if record is not None and not record.is_empty:
        content = dataclasses.replace(content, record=record)
    if fmt == "pdf":
        from packs.pdf import write_pdf

        return write_pdf(content, progress)
    from packs.powerpoint import write_pptx

    return write_pptx(content, progress)


def pack_filename(period: str, district: str = ALL_DISTRICTS, fmt: PackFormat = "pdf") -> str:
    """A file name for a download: ``board-pack_2024-25-Q1_force.pdf``."""
    where = "force" if district == ALL_DISTRICTS else district
    stem = f"board-pack_{period}_{where}"
    safe = "".join(c if c.isalnum() or c == "_" else "-" for c in stem.replace(" ", "-"))
    return f"{safe}.{fmt}"


__all__ = [
    "DEFAULT_FORCE_NAME",
    "DEFAULT_RULE",
    "FORCE_NAME_ENV",
    "FORMATS",
    "MEDIA_TYPES",
    "SUPPRESSED",
    "PackError",
    "PackFormat",
    "SuppressionRule",
    "build_pack",
    "default_force_name",
    "differencing_exposure",
    "marked",
    "pack_filename",
    "suppress_small_counts",
]
