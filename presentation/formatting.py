"""How values, changes and their meaning are written: by unit, and by which way is better."""

from __future__ import annotations

from enum import StrEnum

from metrics import Direction, Unit

MISSING = "–"

# Decimal places shown for a value and for a change, by unit. A change that rounds to zero
# at this precision is "no change": what the meeting sees and what is said about it agree.
_DECIMALS = {
    Unit.COUNT: 0,
    Unit.FRACTION: 1,  # of percentage points
    Unit.PER_100: 1,
    Unit.PER_1000_OF: 2,
    Unit.PER_1000: 2,
    Unit.PER_100000: 1,
    Unit.DAYS: 1,
    Unit.HOURS: 1,
}


class Assessment(StrEnum):
    """A change in words, so that the meaning never rests on colour alone."""

    BETTER = "better"
    WORSE = "worse"
    NO_CHANGE = "no change"
    NOT_RATED = "not rated"
    NO_COMPARISON = "no comparison"


# ▲ and ▼ say which way the value moved; the word says whether that is good.
ARROWS = {1: "▲", -1: "▼", 0: "▶"}


def format_value(
    value: float | None, unit: Unit, places: int | None = None, short: bool = False
) -> str:
    """A value as a meeting reads it: ``71.3%``, ``1,204``, ``0.42 per 1,000``, ``18.5 hours``.

    ``short`` leaves out the unit words (not the ``%``), for labels next to a titled axis.
    """
    if value is None:
        return MISSING
    places = _DECIMALS[unit] if places is None else places
    if unit == Unit.FRACTION:
        return f"{value * 100:.{places}f}%"
    number = f"{value:,.{places}f}"
    if short or unit == Unit.COUNT:
        return number
    return f"{number} {_UNIT_WORDS[unit]}"


_UNIT_WORDS = {
    Unit.PER_100: "per 100",
    Unit.PER_1000_OF: "per 1,000",
    Unit.PER_1000: "per 1,000",
    Unit.PER_100000: "per 100,000",
    Unit.DAYS: "days",
    Unit.HOURS: "hours",
}


def rounded_change(current: float | None, earlier: float | None, unit: Unit) -> float | None:
    """The change at display precision (percentage points for fractions); None if not comparable."""
    if current is None or earlier is None:
        return None
    change = (current - earlier) * (100 if unit == Unit.FRACTION else 1)
    rounded = round(change, _DECIMALS[unit])
    return 0.0 if rounded == 0 else rounded


def format_change(change: float | None, unit: Unit, short: bool = False) -> str:
    """A change with its sign and unit: ``+3.1 pts``, ``-12``, ``+0.05 per 1,000``.

    ``short`` keeps only ``pts`` (a change in percentage points is not a change in per cent)
    and leaves out unit words a reader has just seen on the value.
    """
    if change is None:
        return MISSING
    places = _DECIMALS[unit]
    if unit == Unit.FRACTION:
        suffix = " pts"
    elif short or unit == Unit.COUNT:
        suffix = ""
    else:
        suffix = f" {_UNIT_WORDS[unit]}"
    if change == 0:
        return f"{0:.{places}f}{suffix}"
    return f"{change:+,.{places}f}{suffix}"


def assess(change: float | None, direction: Direction) -> Assessment:
    """Better, worse or no change, by the metric's direction; neutral measures are not rated."""
    if change is None:
        return Assessment.NO_COMPARISON
    if change == 0:
        return Assessment.NO_CHANGE
    if direction == Direction.NEUTRAL:
        return Assessment.NOT_RATED
    rose = change > 0
    return Assessment.BETTER if rose == (direction == Direction.UP) else Assessment.WORSE


def arrow(change: float | None) -> str:
    """▲ for a rise, ▼ for a fall, ▶ for no change, nothing when there is nothing to compare."""
    if change is None:
        return ""
    return ARROWS[(change > 0) - (change < 0)]


def describe_change(change: float | None, unit: Unit, direction: Direction) -> str:
    """A change in one phrase: ``▲ +3.1 pts, better``."""
    assessment = assess(change, direction)
    if assessment == Assessment.NO_COMPARISON:
        return "no comparison"
    return f"{arrow(change)} {format_change(change, unit)}, {assessment.value}"


def direction_words(direction: Direction) -> str:
    """Which way is better, in words."""
    return {
        Direction.UP: "Higher is better",
        Direction.DOWN: "Lower is better",
        Direction.NEUTRAL: "Neither higher nor lower is better (a measure of demand)",
    }[direction]


def axis_format(unit: Unit) -> str:
    """The d3 number format of a chart axis for this unit."""
    return {
        Unit.FRACTION: ".0%",
        Unit.COUNT: ",d",
        Unit.PER_100: ",.1f",
        Unit.PER_1000_OF: ",.2f",
        Unit.PER_1000: ",.2f",
        Unit.PER_100000: ",.1f",
        Unit.DAYS: ",.1f",
        Unit.HOURS: ",.1f",
    }[unit]


def axis_title(unit: Unit) -> str:
    """The value axis title for this unit."""
    return {
        Unit.FRACTION: "Share",
        Unit.COUNT: "Count",
        Unit.PER_100: "Per 100",
        Unit.PER_1000_OF: "Per 1,000",
        Unit.PER_1000: "Per 1,000 residents",
        Unit.PER_100000: "Per 100,000 residents",
        Unit.DAYS: "Days (median)",
        Unit.HOURS: "Hours (median)",
    }[unit]
