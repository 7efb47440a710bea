"""The record sets metrics count, prepared once from the validated source tables.

Each record set is declared once (``declare_records``, in ``metrics.record_sets``) with the
function that prepares it and the source columns each prepared column comes from. Facts
hold every set, the district list, the span of the series and the metrics a source cannot
give (a table or column it lacks), so that those are named as unavailable, never zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

import polars as pl

from metrics.definitions import Metric, RecordSet
from queries.contract import RESERVED_DISTRICT, TABLES
from queries.validation import Validated

# The force-wide row: a name the contract code reserves, so no district can take it.
ALL_DISTRICTS = RESERVED_DISTRICT


class RecordSetRegistry:
    """The declared record sets, by name, in declaration order."""

    def __init__(self) -> None:
        self._sets: dict[str, RecordSet] = {}

    def declare(self, record_set: RecordSet) -> RecordSet:
        if record_set.name in self._sets:
            raise ValueError(f"a record set named {record_set.name!r} is already declared")
        if record_set.table not in TABLES:
            raise ValueError(f"record set {record_set.name!r}: no table {record_set.table!r}")
        self._sets[record_set.name] = record_set
        return record_set

    def __iter__(self) -> Iterator[RecordSet]:
        return iter(self._sets.values())

    def __getitem__(self, name: str) -> RecordSet:
        return self._sets[name]


RECORD_SETS = RecordSetRegistry()
declare_records = RECORD_SETS.declare


class DomesticAbuse(StrEnum):
    """The domestic abuse filter: every record, only DA-flagged, or only those not flagged."""

    ALL = "all"
    DA = "da"
    NON_DA = "non_da"


@dataclass(frozen=True)
class Facts:
    """Prepared record sets, the district list and populations, the span, what is unavailable."""

    records: dict[str, pl.DataFrame]
    districts: pl.DataFrame  # district, population (known districts, then unknown ones)
    first_date: dt.date | None
    last_date: dt.date | None
    unavailable: Mapping[str, str] = field(default_factory=dict)
    """Metric ids the source cannot give, with the reason (a missing table or column)."""

    def filtered(self, domestic_abuse: DomesticAbuse) -> Facts:
        """The same facts narrowed to DA or non-DA records; districts and span are unchanged.

        Record sets without a domestic abuse flag (staff training, audits) describe no case,
        so the filter leaves them whole.
        """
        if domestic_abuse == DomesticAbuse.ALL:
            return self
        flag = pl.col("domestic_abuse") == (domestic_abuse == DomesticAbuse.DA)
        records = {
            name: frame.filter(flag) if "domestic_abuse" in frame.columns else frame
            for name, frame in self.records.items()
        }
        return Facts(records, self.districts, self.first_date, self.last_date, self.unavailable)

    def available(self, metrics: Iterable[Metric]) -> list[Metric]:
        """The metrics this source can give."""
        return [metric for metric in metrics if metric.id not in self.unavailable]


def missing_inputs(metric: Metric, validated: Validated) -> list[str]:
    """What the source lacks for a metric: ``table victims`` or ``column crimes.online_element``."""
    missing: list[str] = []
    for item in metric.inputs:
        table, _, column = item.partition(".")
        if not validated.has_table(table):
            if f"table {table}" not in missing:
                missing.append(f"table {table}")
        elif not validated.has_column(table, column):
            missing.append(f"column {item}")
    return missing


def unavailable_metrics(metrics: Iterable[Metric], validated: Validated) -> dict[str, str]:
    """Each metric the source cannot give, with the reason in words."""
    reasons = {}
    for metric in metrics:
        missing = missing_inputs(metric, validated)
        if missing:
            reasons[metric.id] = "not collected: the source has no " + ", no ".join(missing)
    return reasons


def prepare_facts(validated: Validated, metrics: Iterable[Metric] | None = None) -> Facts:
    """Every declared record set from the validated tables, with polars expressions only."""
    from metrics.registry import REGISTRY

    tables = {name: frame.lazy() for name, frame in validated.tables.items()}
    sets = list(RECORD_SETS)
    # One set at a time: each join's hash table is freed before the next is built, which
    # bounds the peak memory at national scale (running them together saved little time).
    collected = [record_set.prepare(tables).collect() for record_set in sets]
    records = {record_set.name: frame for record_set, frame in zip(sets, collected, strict=True)}
    unavailable = unavailable_metrics(REGISTRY if metrics is None else metrics, validated)
    return Facts(records, _districts(validated, sets, records), *_span(sets, records), unavailable)


def _districts(
    validated: Validated, sets: list[RecordSet], records: dict[str, pl.DataFrame]
) -> pl.DataFrame:
    """Known districts with their population, then names found only in valid records."""
    known = (
        validated.tables["districts"]
        .select(pl.col("district").cast(pl.String), "population")
        .sort("district")
    )
    seen = pl.concat(
        [
            records[s.name].select(pl.col("district").cast(pl.String))
            for s in sets
            if "district" not in s.derived and "district" in records[s.name].columns
        ]
    ).unique()
    unknown = (
        seen.filter(pl.col("district").is_not_null())
        .filter(~pl.col("district").is_in(known["district"].implode()))
        .sort("district")
        .with_columns(pl.lit(None, dtype=pl.Int64).alias("population"))
    )
    return pl.concat([known, unknown])


def _span(
    sets: list[RecordSet], records: dict[str, pl.DataFrame]
) -> tuple[dt.date | None, dt.date | None]:
    """From the earliest to the latest period date that sets the span, in any record set."""
    dates = pl.concat(
        [records[s.name].select(pl.col(column).alias("date")) for s in sets for column in s.span]
    )["date"]
    if dates.null_count() == dates.len():
        return None, None
    return dates.min().date(), dates.max().date()
