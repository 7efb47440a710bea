"""The typed vocabulary of a metric definition: a closed set of measure kinds and their parts."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

import polars as pl


class Direction(StrEnum):
    """Which way is better."""

    UP = "up"
    DOWN = "down"
    NEUTRAL = "neutral"


@dataclass(frozen=True, eq=False)
class RecordSet:
    """Records metrics can count: the rows of one contract table, prepared once for conditions.

    ``prepare`` builds the set from the validated tables (lazy frames by table name); the
    set carries a ``district`` and every column metric conditions use. ``derived`` names the
    source columns (``table.column``) each prepared column is made from; any other column
    comes from ``table`` under its own name. That lineage is how a metric knows its inputs,
    and so whether a source that lacks a table or column can give it. ``span`` lists the
    period dates that set the span of every series.
    """

    name: str
    table: str
    prepare: Callable[[Mapping[str, pl.LazyFrame]], pl.LazyFrame]
    derived: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    span: tuple[str, ...] = ()
    description: str = ""

    def inputs(self, columns: Iterable[str]) -> set[str]:
        """The source columns (``table.column``) that these prepared columns are made from."""
        found: set[str] = set()
        for column in columns:
            found.update(self.derived.get(column, (f"{self.table}.{column}",)))
        return found

    def __str__(self) -> str:
        return self.name


class Unit(StrEnum):
    """What ``value`` is measured in; decides how it is shown."""

    COUNT = "count"
    FRACTION = "fraction"
    PER_100 = "per 100"
    PER_1000 = "per 1,000 residents"
    DAYS = "days"
    HOURS = "hours"


@dataclass(frozen=True, eq=False)
class Records:
    """Records of one source that match a condition, each in the period of its period date."""

    source: RecordSet
    period_date: str
    where: pl.Expr = field(default_factory=lambda: pl.lit(True))

    @property
    def inputs(self) -> set[str]:
        """Source columns these records need: the condition's, the period date and district."""
        columns = {self.period_date, "district", *self.where.meta.root_names()}
        return self.source.inputs(columns)


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


@dataclass(frozen=True, eq=False)
class DistinctCount:
    """Distinct ``key`` values, each counted once: in the period and district of its first record.

    A key's first record is the earliest by period date (a tie goes to the smallest
    ``tie`` value), so each key belongs to one period at every grain and quarters and years
    are exact sums of months: the same key is never counted twice.
    """

    records: Records
    key: str
    tie: str


@dataclass(frozen=True, eq=False)
class StockShare:
    """A stock read at each period's end: distinct ``key`` values with a record on or before
    the period's last day, over a total (``total_column`` summed over ``total``'s rows).

    Force-wide only: a stock of staff belongs to departments, not districts; its breakdown
    is by ``group`` (``kpi departments``).
    """

    records: Records
    key: str
    group: str
    total: RecordSet
    total_column: str


Measure = Count | Ratio | PerPopulation | Median | DistinctCount | StockShare


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
    # Days after a period ends before its figures settle (outcomes take time to be assigned).
    maturity_days: int = 0

    def __post_init__(self) -> None:
        if not _ID_PATTERN.match(self.id):
            raise ValueError(f"metric id {self.id!r} must be snake_case, like 'referral_rate'")
        for name in ("title", "description"):
            if not getattr(self, name).strip():
                raise ValueError(f"metric {self.id!r} needs a {name}")
        if not isinstance(self.measure, Measure):
            raise TypeError(f"metric {self.id!r}: measure must be one of Count, Ratio, ...")
        if isinstance(self.maturity_days, bool) or not isinstance(self.maturity_days, int):
            raise TypeError(f"metric {self.id!r}: maturity_days must be a whole number of days")
        if self.maturity_days < 0:
            raise ValueError(f"metric {self.id!r}: maturity_days cannot be negative")

    @property
    def unit(self) -> Unit:
        match self.measure:
            case Count() | DistinctCount():
                return Unit.COUNT
            case StockShare():
                return Unit.FRACTION
            case Ratio(scale=100):
                return Unit.PER_100
            case Ratio(scale=1000):
                return Unit.PER_1000
            case Ratio():
                return Unit.FRACTION
            case PerPopulation():
                return Unit.PER_1000 if self.measure.per == 1000 else Unit.PER_100
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
    def force_only(self) -> bool:
        """Whether the metric has only the force-wide row (no district breakdown)."""
        return isinstance(self.measure, StockShare)

    @property
    def inputs(self) -> tuple[str, ...]:
        """Every source column (``table.column``) the metric reads, from its definition alone."""
        found: set[str] = set()
        for records in self.records:
            found |= records.inputs
        measure = self.measure
        source = self.records[0].source
        match measure:
            case Median(start=start, end=end):
                found |= source.inputs((start, end))
            case DistinctCount(key=key, tie=tie):
                found |= source.inputs((key, tie))
            case StockShare():
                found |= source.inputs((measure.key, measure.group))
                found |= measure.total.inputs((measure.total_column,))
                found.discard(f"{source.table}.district")
            case PerPopulation():
                found |= {"districts.district", "districts.population"}
        return tuple(sorted(found))

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
