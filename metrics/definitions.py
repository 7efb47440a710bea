"""The typed vocabulary of a metric definition: a closed set of measure kinds and their parts."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum

import polars as pl


class Direction(StrEnum):
    """Which way is better."""

    UP = "up"
    DOWN = "down"
    NEUTRAL = "neutral"


class Source(StrEnum):
    """The prepared record sets a metric can count (see ``metrics.sources``)."""

    CRIMES = "crimes"
    VICTIMS = "victims"
    PROTECTIVE_ORDERS = "protective_orders"


class Unit(StrEnum):
    """What ``value`` is measured in; decides how it is shown."""

    COUNT = "count"
    FRACTION = "fraction"
    PER_100 = "per 100"
    PER_1000_OF = "per 1,000"  # a ratio of two counts × 1,000 (not of residents)
    PER_1000 = "per 1,000 residents"
    PER_100000 = "per 100,000 residents"
    DAYS = "days"
    HOURS = "hours"


# Every scale a measure may use, and the unit its values are shown in. A scale not listed has
# no unit, so a metric using it is refused when defined rather than shown with a wrong label.
RATIO_UNITS = {1: Unit.FRACTION, 100: Unit.PER_100, 1000: Unit.PER_1000_OF}
POPULATION_UNITS = {1000: Unit.PER_1000, 100_000: Unit.PER_100000}
MEDIAN_UNITS = (Unit.DAYS, Unit.HOURS)


@dataclass(frozen=True, eq=False)
class Records:
    """Records of one source that match a condition, each in the period of its period date."""

    source: Source
    period_date: str
    where: pl.Expr = field(default_factory=lambda: pl.lit(True))


@dataclass(frozen=True, eq=False)
class Count:
    """A count of records: value = numerator = the count."""

    records: Records


@dataclass(frozen=True, eq=False)
class Ratio:
    """Σnumerator / Σdenominator × scale; empty when the denominator is 0."""

    numerator: Records
    denominator: Records
    scale: float = 1.0


@dataclass(frozen=True, eq=False)
class PerPopulation:
    """A count per ``per`` residents of the district (the force: all districts together)."""

    records: Records
    per: int = 1000


@dataclass(frozen=True, eq=False)
class Median:
    """The median elapsed time from ``start`` to ``end`` over the records (the denominator)."""

    records: Records
    start: str
    end: str
    unit: Unit = Unit.HOURS


Measure = Count | Ratio | PerPopulation | Median


@dataclass(frozen=True)
class Target:
    """A target value, in force from a date (None: from the start of the series)."""

    value: float
    effective_from: dt.date | None = None


@dataclass(frozen=True)
class Rebase:
    """A known change after which SPC limits are recalculated, and why."""

    date: dt.date
    reason: str


# The Home Office counting rules changed on 1 June 2023 (the "principal crime" rule), which cut
# the number of recorded stalking and harassment crimes: a break in the series, not a signal.
CRIME_RECORDING_RULE_CHANGE = Rebase(
    dt.date(2023, 6, 1), "Home Office crime recording rule change (principal crime rule)"
)

_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True, eq=False)
class Metric:
    """One KPI: what it counts, how it is read, and which way is better."""

    id: str
    title: str
    description: str
    direction: Direction
    measure: Measure
    targets: tuple[Target, ...] = ()
    rebase: tuple[Rebase, ...] = ()

    def __post_init__(self) -> None:
        if not _ID_PATTERN.match(self.id):
            raise ValueError(f"metric id {self.id!r} must be snake_case, like 'referral_rate'")
        for name in ("title", "description"):
            if not getattr(self, name).strip():
                raise ValueError(f"metric {self.id!r} needs a {name}")
        if not isinstance(self.measure, Measure):
            raise TypeError(f"metric {self.id!r}: measure must be one of Count, Ratio, ...")
        _check_scale(self.id, self.measure)

    @property
    def unit(self) -> Unit:
        match self.measure:
            case Count():
                return Unit.COUNT
            case Ratio(scale=scale):
                return RATIO_UNITS[scale]
            case PerPopulation(per=per):
                return POPULATION_UNITS[per]
            case Median(unit=unit):
                return unit

    @property
    def kind(self) -> str:
        return type(self.measure).__name__.lower()

    @property
    def records(self) -> tuple[Records, ...]:
        """Every record set the measure counts, numerator first."""
        match self.measure:
            case Ratio(numerator=numerator, denominator=denominator):
                return (numerator, denominator)
            case _:
                return (self.measure.records,)

    @property
    def period_dates(self) -> str:
        """The period date(s) in words, for the catalogue."""
        dates = dict.fromkeys(f"{r.source}.{r.period_date}" for r in self.records)
        return " / ".join(dates)

    def target_on(self, date: dt.date) -> float | None:
        """The target in force on a date, if any."""
        current = None
        for target in sorted(self.targets, key=lambda t: t.effective_from or dt.date.min):
            if target.effective_from is None or target.effective_from <= date:
                current = target.value
        return current


def _check_scale(metric_id: str, measure: Measure) -> None:
    """Refuse a scale with no unit: ``Ratio(scale=10)`` must not be shown as a percentage."""
    match measure:
        case Ratio(scale=scale) if scale not in RATIO_UNITS:
            known = ", ".join(f"{k:g}" for k in RATIO_UNITS)
            raise ValueError(
                f"metric {metric_id!r}: Ratio scale {scale:g} has no unit; use one of {known}"
            )
        case PerPopulation(per=per) if per not in POPULATION_UNITS:
            known = ", ".join(f"{k:,}" for k in POPULATION_UNITS)
            raise ValueError(
                f"metric {metric_id!r}: PerPopulation per {per:,} has no unit; use one of {known}"
            )
        case Median(unit=unit) if unit not in MEDIAN_UNITS:
            raise ValueError(f"metric {metric_id!r}: a median is in days or hours, not {unit}")
