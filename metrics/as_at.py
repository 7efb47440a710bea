"""The date the data are as at: the latest valid record, or a later date the user sets."""

from __future__ import annotations

import datetime as dt

from metrics.sources import Facts


class AsAtError(ValueError):
    """An as-at date that cannot be used: not a date, or earlier than the data it describes."""


def parse_as_at(text: str, what: str = "--as-at") -> dt.date:
    """A date written YYYY-MM-DD; AsAtError (one line, naming ``what``) otherwise."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        shown = text if len(text) <= 40 else text[:40] + "…"
        raise AsAtError(f"{what} must be a date like 2025-03-31, not {shown!r}") from None


def resolve_as_at(
    facts: Facts, explicit: dt.date | None = None, what: str = "--as-at"
) -> dt.date | None:
    """The as-at date: ``explicit`` if given and not before the latest valid record, else it.

    An extract taken after its latest record (a quiet last day) may be dated later; an as-at
    date before a record it contains would call finished periods provisional, so it is refused.
    """
    latest = facts.last_date
    if explicit is None:
        return latest
    if latest is not None and explicit < latest:
        raise AsAtError(
            f"{what} {explicit.isoformat()} is earlier than the latest valid record "
            f"({latest.isoformat()}); use that date or a later one"
        )
    return explicit


def as_at_note(as_at: dt.date | None) -> str:
    """The sentence every output carries about the as-at date."""
    if as_at is None:
        return "data as at: no valid records"
    return f"data as at {as_at.isoformat()}"
