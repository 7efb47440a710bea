"""Checks on what a user asks to store: known metric, grain, period and district; text limits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from metrics import ALL_DISTRICTS, REGISTRY, Grain
from metrics.periods import label_of, parse_label

MAX_TEXT = 10_000  # characters per commentary section or action title
MAX_NAME = 200  # characters in an author, owner or district name
STATUSES = ("open", "done", "dropped")
SECTIONS = {
    "what": "What the chart tells us",
    "why": "Why it is happening",
    "doing": "What we are doing",
}


class Refused(ValueError):
    """Input that cannot be stored; the message is one line naming the value and the fix."""


def quoted(value: str) -> str:
    """A value as a message quotes it: long (or hostile) input cut short."""
    return repr(value if len(value) <= 40 else value[:40] + "…")


@dataclass(frozen=True)
class CommentaryKey:
    """What a commentary belongs to: one KPI, grain, period and district (``All``: the force)."""

    metric_id: str
    grain: str
    period_label: str
    district: str


def check_metric(metric_id: str) -> str:
    if metric_id not in REGISTRY:
        raise Refused(f"unknown metric {quoted(metric_id)}; choose from: {', '.join(REGISTRY.ids)}")
    return metric_id


def check_grain(grain: str) -> Grain:
    try:
        return Grain(grain)
    except ValueError:
        choices = ", ".join(g.value for g in Grain)
        raise Refused(f"unknown grain {quoted(grain)}; choose from: {choices}") from None


def check_period(label: str, grain: Grain) -> str:
    """The period's label as the app writes it, or Refused naming the value."""
    try:
        return label_of(parse_label(label, grain), grain)
    except ValueError as error:
        raise Refused(f"unknown period {quoted(label)} at grain {grain.value}: {error}") from None


def check_name(value: str, what: str) -> str:
    """A short name (author, owner): not blank, one line, at most MAX_NAME characters."""
    text = value.strip()
    if not text:
        raise Refused(f"the {what} is empty")
    if len(text) > MAX_NAME:
        raise Refused(f"the {what} has {len(text):,} characters; the limit is {MAX_NAME}")
    if any(ord(c) < 32 or c == "\x7f" for c in text):
        raise Refused(f"the {what} {quoted(text)} contains control characters")
    return text


def check_district(district: str | None, known: Collection[str] | None) -> str:
    """``All`` for the force or a known district; without a known list, a plausible name."""
    if district is None or district.strip() in ("", ALL_DISTRICTS):
        return ALL_DISTRICTS
    name = check_name(district, "district")
    if known is not None and name not in known:
        choices = ", ".join([ALL_DISTRICTS, *sorted(set(known) - {ALL_DISTRICTS})])
        raise Refused(f"unknown district {quoted(district)}; choose from: {choices}")
    return name


def check_text(text: str, section: str) -> str:
    """Text stored as written, up to MAX_TEXT characters (NUL cannot be stored anywhere)."""
    if len(text) > MAX_TEXT:
        raise Refused(
            f"{section} has {len(text):,} characters; the limit is {MAX_TEXT:,}. "
            "Shorten it and save again."
        )
    if "\x00" in text:
        raise Refused(f"{section} contains a NUL character, which cannot be stored")
    return text


def check_key(
    metric_id: str,
    grain: str,
    period_label: str,
    district: str | None,
    known_districts: Collection[str] | None = None,
) -> CommentaryKey:
    """A commentary's key from user input, every part checked."""
    checked_grain = check_grain(grain)
    return CommentaryKey(
        metric_id=check_metric(metric_id),
        grain=checked_grain.value,
        period_label=check_period(period_label, checked_grain),
        district=check_district(district, known_districts),
    )


def check_status(status: str) -> str:
    if status not in STATUSES:
        raise Refused(f"unknown status {quoted(status)}; choose from: {', '.join(STATUSES)}")
    return status


def parse_date(text: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise Refused(f"the {what} {quoted(text)} is not a date like 2025-06-30") from None
