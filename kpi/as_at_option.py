"""``--as-at`` for every command that reads the source: the date its output is as at."""

from __future__ import annotations

import argparse
import datetime as dt

from metrics.as_at import as_at_note, resolve_as_at
from metrics.sources import Facts


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date like 2025-03-31: {text!r}") from None


def add_as_at(parser: argparse.ArgumentParser) -> None:
    """Add ``--as-at YYYY-MM-DD`` (default: the date of the latest valid record)."""
    parser.add_argument(
        "--as-at",
        type=_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="the date the data are as at (default: the latest valid record; never earlier)",
    )


def as_at_of(args: argparse.Namespace, facts: Facts, progress) -> dt.date | None:
    """The as-at date of this run, stated on stderr; ``AsAtError`` when it is too early."""
    as_at = resolve_as_at(facts, getattr(args, "as_at", None))
    progress.note(as_at_note(as_at))
    return as_at
