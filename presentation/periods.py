"""Period arithmetic the pages share: labels at a grain, comparisons, and incomplete periods."""

from __future__ import annotations

import datetime as dt

import polars as pl

from metrics import Grain
from metrics.periods import label_of, parse_label, period_start, period_starts

# How many periods back the same period last year is.
PERIODS_PER_YEAR = {Grain.MONTH: 12, Grain.QUARTER: 4, Grain.FINANCIAL_YEAR: 1}
_MONTHS = {Grain.MONTH: 1, Grain.QUARTER: 3, Grain.FINANCIAL_YEAR: 12}


def add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def shift(start: dt.date, grain: Grain, periods: int) -> dt.date:
    """The start of the period ``periods`` after (or before, if negative) the one at ``start``."""
    return add_months(start, _MONTHS[grain] * periods)


def period_end(start: dt.date, grain: Grain) -> dt.date:
    """The last day of the period that starts at ``start``."""
    return shift(start, grain, 1) - dt.timedelta(days=1)


def containing(day: dt.date, grain: Grain) -> dt.date:
    """The start of the period at ``grain`` that contains ``day``."""
    return pl.select(period_start(pl.lit(day, dtype=pl.Date), grain)).item()


def starts(first: dt.date, last: dt.date, grain: Grain) -> list[dt.date]:
    """Every period start from the period of ``first`` to that of ``last``."""
    return period_starts(first, last, grain).to_list()


def labels(first: dt.date, last: dt.date, grain: Grain) -> list[str]:
    """Every period label from the period of ``first`` to that of ``last``."""
    return [label_of(start, grain) for start in starts(first, last, grain)]


def is_complete(start: dt.date, grain: Grain, last_date: dt.date) -> bool:
    """Whether the data run to the last day of this period (else its figures are partial)."""
    return last_date >= period_end(start, grain)


def latest_complete(first: dt.date, last: dt.date, grain: Grain) -> dt.date:
    """The latest period whose data are complete; the first period if none is."""
    candidates = starts(first, last, grain)
    complete = [start for start in candidates if is_complete(start, grain, last)]
    return complete[-1] if complete else candidates[0]


def translate(first_label: str, last_label: str, old: Grain, new: Grain) -> tuple[dt.date, dt.date]:
    """A range of ``old`` periods as the ``new`` periods covering the same dates."""
    first = parse_label(first_label, old)
    last = period_end(parse_label(last_label, old), old)
    return containing(first, new), containing(last, new)
