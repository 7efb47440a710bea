"""The record sets metrics count, prepared once from the validated source tables.

Each set carries a ``district`` and the columns metric conditions use: the crimes with
their offence group and allocation history, the victims with their crime's district and
report time, the protective orders with their linked crime's domestic abuse flag.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

import polars as pl

from metrics.definitions import Source
from metrics.terms import is_sh_case, offence_group
from queries.contract import RESERVED_DISTRICT
from queries.validation import Validated

# The force-wide row: a name the contract code reserves, so no district can take it.
ALL_DISTRICTS = RESERVED_DISTRICT

# Period dates that set the span of every series (valid rows, any offence or order type).
SPAN_DATES = {
    Source.CRIMES: ("reported_at", "recorded_at"),
    Source.PROTECTIVE_ORDERS: ("applied_at", "decided_at"),
}


class DomesticAbuse(StrEnum):
    """The domestic abuse filter: every record, only DA-flagged, or only those not flagged."""

    ALL = "all"
    DA = "da"
    NON_DA = "non_da"


@dataclass(frozen=True)
class Facts:
    """Prepared record sets, the district list and populations, and the span of the series."""

    records: dict[Source, pl.DataFrame]
    districts: pl.DataFrame  # district, population (known districts, then unknown ones)
    first_date: dt.date | None
    last_date: dt.date | None

    def filtered(self, domestic_abuse: DomesticAbuse) -> Facts:
        """The same facts narrowed to DA or non-DA records; districts and span are unchanged."""
        if domestic_abuse == DomesticAbuse.ALL:
            return self
        flag = pl.col("domestic_abuse") == (domestic_abuse == DomesticAbuse.DA)
        records = {source: frame.filter(flag) for source, frame in self.records.items()}
        return Facts(records, self.districts, self.first_date, self.last_date)


def _allocation_summary(allocations: pl.LazyFrame) -> pl.LazyFrame:
    """Per crime: is any of its earliest allocations to CID, and when was its first CID one.

    One of the earliest allocations is to CID exactly when the earliest CID allocation is
    as early as the earliest of all, so two plain minimums answer both questions.
    """
    cid_allocated_at = pl.when(pl.col("unit") == "CID").then(pl.col("allocated_at"))
    return (
        allocations.group_by("crime_id")
        .agg(
            pl.col("allocated_at").min().alias("__first_allocated_at"),
            cid_allocated_at.min().alias("first_cid_allocated_at"),
        )
        .select(
            "crime_id",
            (pl.col("first_cid_allocated_at") == pl.col("__first_allocated_at"))
            .fill_null(False)
            .alias("first_allocation_is_cid"),
            "first_cid_allocated_at",
        )
    )


def prepare_facts(validated: Validated) -> Facts:
    """Derive every column the catalogue's conditions need, with polars expressions only."""
    crimes = (
        validated.crimes.lazy()
        .with_columns(offence_group(pl.col("offence_code")).alias("offence_group"))
        .with_columns(is_sh_case().alias("is_sh_case"))
    )
    victims = validated.victims.lazy().join(
        crimes.select(
            "crime_id",
            "district",
            "reported_at",
            "domestic_abuse",
            pl.col("is_sh_case").alias("crime_is_sh_case"),
        ),
        on="crime_id",
        how="inner",
    )
    # Orders have no DA flag of their own: they take their linked crime's, if any.
    orders = validated.protective_orders.lazy().join(
        crimes.select("crime_id", "domestic_abuse"), on="crime_id", how="left"
    )
    crimes = crimes.join(
        _allocation_summary(validated.allocations.lazy()), on="crime_id", how="left"
    ).with_columns(pl.col("first_allocation_is_cid").fill_null(False))
    # One plan for all three, so polars runs the joins and the allocation summary together.
    collected = pl.collect_all([crimes, victims, orders])
    sources = (Source.CRIMES, Source.VICTIMS, Source.PROTECTIVE_ORDERS)
    records = dict(zip(sources, collected, strict=True))
    return Facts(records, _districts(validated, records), *_span(records))


def _districts(validated: Validated, records: dict[Source, pl.DataFrame]) -> pl.DataFrame:
    """Known districts with their population, then names found only in valid records."""
    known = validated.districts.select("district", "population").sort("district")
    seen = pl.concat(
        [records[source].select("district") for source in (Source.CRIMES, Source.PROTECTIVE_ORDERS)]
    ).unique()
    unknown = (
        seen.filter(~pl.col("district").is_in(known["district"].implode()))
        .sort("district")
        .with_columns(pl.lit(None, dtype=pl.Int64).alias("population"))
    )
    return pl.concat([known, unknown])


def _span(records: dict[Source, pl.DataFrame]) -> tuple[dt.date | None, dt.date | None]:
    dates = pl.concat(
        [
            records[source].select(pl.col(column).alias("date"))
            for source, columns in SPAN_DATES.items()
            for column in columns
        ]
    )["date"]
    if dates.null_count() == dates.len():
        return None, None
    return dates.min().date(), dates.max().date()
