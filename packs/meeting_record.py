"""What a board pack prints from the app database: the latest commentary and the action log.

Free text is printed as written: small-count suppression applies to figures, and a pack says
so whenever it prints commentary or actions. Characters a pack's font or file format cannot
hold are replaced, never dropped silently.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass

from meeting import SECTIONS, Action, Commentary, Store
from metrics import ALL_DISTRICTS, Grain

AS_WRITTEN = (
    "Commentary and actions are printed as written: small-count suppression applies to the "
    "figures, not to free text, so check the text before the pack leaves the meeting."
)
REPLACEMENT = "?"
# Characters XML (PowerPoint) cannot hold, and control characters a PDF would show as boxes.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class PackRecord:
    """The meeting's record for one pack: commentary by metric id, and the action log."""

    commentary: Mapping[str, Commentary]
    open: tuple[Action, ...]  # open and not yet due
    overdue: tuple[Action, ...]  # open and past the due date on ``as_of``
    done_since: tuple[Action, ...]  # done on or after ``since``
    as_of: dt.date
    since: dt.date

    @property
    def is_empty(self) -> bool:
        """Nothing to print: the pack stays as it was, the same file for the same data."""
        return not (self.commentary or self.open or self.overdue or self.done_since)


def pack_record(
    store: Store,
    *,
    grain: Grain,
    period_label: str,
    period_start: dt.date,
    district: str,
    as_of: dt.date,
) -> PackRecord:
    """The latest commentary for the pack's period and district, and its districts' actions."""
    notes = store.list_commentary(
        grain=grain.value, period_label=period_label, districts=[district]
    )
    # A force pack lists every action; a district pack that district's.
    actions = store.list_actions(districts=None if district == ALL_DISTRICTS else [district])
    open_ = [a for a in actions if a.status == "open"]
    return PackRecord(
        commentary={note.key.metric_id: note for note in notes},
        open=tuple(a for a in open_ if not a.overdue(as_of)),
        overdue=tuple(a for a in open_ if a.overdue(as_of)),
        done_since=tuple(
            a for a in actions if a.status == "done" and a.updated_at.date() >= period_start
        ),
        as_of=as_of,
        since=period_start,
    )


def commentary_sections(note: Commentary) -> list[tuple[str, str]]:
    """(heading, text) for each section that has text."""
    return [(words, getattr(note, name)) for name, words in SECTIONS.items() if getattr(note, name)]


def action_line(action: Action) -> str:
    """One action in a sentence: what, who, when, where."""
    where = "the force" if action.district == ALL_DISTRICTS else action.district
    kpi = f", KPI {action.metric_id}" if action.metric_id else ""
    return (
        f"{action.id}. {action.title} (owner {action.owner}; due {action.due:%d %b %Y}; "
        f"{where}{kpi})"
    )


def xml_safe(text: str) -> str:
    """Text a PowerPoint file can hold."""
    return _CONTROL.sub(REPLACEMENT, text)


@functools.cache
def _glyphs(font_path: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(font_path) as font:
        return frozenset(font.getBestCmap())


def font_safe(text: str, font_path: str) -> str:
    """Text the PDF's font can draw: any other character is replaced by ``?``."""
    glyphs = _glyphs(font_path)
    cleaned = xml_safe(text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    return "".join(c if c == "\n" or ord(c) in glyphs else REPLACEMENT for c in cleaned)
