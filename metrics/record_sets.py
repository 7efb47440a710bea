"""The record sets the catalogue counts, each declared once beside the metrics.

A record set is the rows of one contract table with the columns metric conditions use.
``derived`` names the source columns each added column is made from, so a metric's inputs
(and whether a source can give it) follow from its definition.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from metrics.definitions import RecordSet
from metrics.sources import declare_records
from metrics.terms import is_sh_case, offence_group

Tables = Mapping[str, pl.LazyFrame]

_OFFENCE = ("crimes.offence_code",)
_SH_CASE = ("crimes.offence_code", "crimes.stalking_element")
_ALLOCATIONS = ("allocations.crime_id", "allocations.unit", "allocations.allocated_at")


def _crimes_with_terms(tables: Tables) -> pl.LazyFrame:
    return (
        tables["crimes"]
        .with_columns(offence_group(pl.col("offence_code")).alias("offence_group"))
        .with_columns(is_sh_case().alias("is_sh_case"))
    )


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


def crime_context(tables: Tables, *columns: str) -> pl.LazyFrame:
    """The crime's district, report time, DA flag and S&H case flag, to join onto its rows."""
    return _crimes_with_terms(tables).select(
        "crime_id",
        "district",
        "reported_at",
        "domestic_abuse",
        pl.col("is_sh_case").alias("crime_is_sh_case"),
        *columns,
    )


CRIME_CONTEXT = {
    "district": ("crimes.district",),
    "reported_at": ("crimes.reported_at",),
    "domestic_abuse": ("crimes.domestic_abuse",),
    "crime_is_sh_case": _SH_CASE,
}


def beside(frame: pl.LazyFrame, lookup: pl.LazyFrame, on: str) -> pl.LazyFrame:
    """Each row of ``frame`` with the columns of its match in ``lookup`` (at most one) beside it.

    A join copies every column of ``frame``; joining the key alone, in the frame's order,
    and placing the result beside the frame adds only the lookup's columns. At ten million
    crimes that is a gigabyte less.
    """
    matched = frame.select(on).join(lookup, on=on, how="left", maintain_order="left")
    return pl.concat([frame, matched.drop(on)], how="horizontal")


def _crimes(tables: Tables) -> pl.LazyFrame:
    """Crimes with their terms and allocation summary (each valid crime_id is unique)."""
    return beside(
        _crimes_with_terms(tables), _allocation_summary(tables["allocations"]), "crime_id"
    ).with_columns(pl.col("first_allocation_is_cid").fill_null(False))


CRIMES = declare_records(
    RecordSet(
        "crimes",
        table="crimes",
        prepare=_crimes,
        derived={
            "offence_group": _OFFENCE,
            "is_sh_case": _SH_CASE,
            "first_allocation_is_cid": _ALLOCATIONS,
            "first_cid_allocated_at": _ALLOCATIONS,
        },
        span=("reported_at", "recorded_at"),
        description="Crimes, with their offence group, S&H case flag and allocation history.",
    )
)

VICTIMS = declare_records(
    RecordSet(
        "victims",
        table="victims",
        # Every valid victim's crime is valid (``unknown_crime`` is an error), so each row
        # finds its crime: the context is placed beside the victims without copying them.
        prepare=lambda tables: beside(tables["victims"], crime_context(tables), "crime_id"),
        derived=CRIME_CONTEXT,
        description="Victims, with their crime's district, report time and S&H case flag.",
    )
)

PROTECTIVE_ORDERS = declare_records(
    RecordSet(
        "protective_orders",
        table="protective_orders",
        # Orders have no DA flag of their own: they take their linked crime's, if any.
        prepare=lambda tables: tables["protective_orders"].join(
            tables["crimes"].select("crime_id", "domestic_abuse"), on="crime_id", how="left"
        ),
        derived={"domestic_abuse": ("crimes.domestic_abuse",)},
        span=("applied_at", "decided_at"),
        description="Protective orders, with their linked crime's domestic abuse flag.",
    )
)

CASE_REVIEWS = declare_records(
    RecordSet(
        "case_reviews",
        table="case_reviews",
        prepare=lambda tables: tables["case_reviews"].join(
            crime_context(tables).drop("reported_at"), on="crime_id", how="inner"
        ),
        derived={k: v for k, v in CRIME_CONTEXT.items() if k != "reported_at"},
        span=("reviewed_at",),
        description="Dip-sample review answers, with the reviewed crime's district.",
    )
)

VICTIM_SURVEY = declare_records(
    RecordSet(
        "victim_survey",
        table="victim_survey",
        # An answer with no valid linked crime has no district: it counts force-wide only.
        prepare=lambda tables: tables["victim_survey"].join(
            crime_context(tables).drop("reported_at"), on="crime_id", how="left"
        ),
        derived={k: v for k, v in CRIME_CONTEXT.items() if k != "reported_at"},
        span=("responded_at",),
        description="Victim Voice survey answers, with the linked crime's district, if any.",
    )
)

CRIME_DATA_AUDITS = declare_records(
    RecordSet(
        "crime_data_audits",
        table="crime_data_audits",
        prepare=lambda tables: tables["crime_data_audits"],
        span=("audited_at",),
        description="Crime data integrity audits, in the audited incident's district.",
    )
)

WORKFORCE = declare_records(
    RecordSet(
        "workforce",
        table="workforce",
        prepare=lambda tables: tables["workforce"].with_columns(
            pl.lit(None, dtype=pl.String).alias("district")
        ),
        derived={"district": ()},
        description="Headcount by department.",
    )
)

TRAINING_RECORDS = declare_records(
    RecordSet(
        "training_records",
        table="training_records",
        # Only completions in a department of the workforce count: the rest have no headcount.
        prepare=lambda tables: (
            tables["training_records"]
            .join(tables["workforce"].select("department"), on="department", how="semi")
            .with_columns(pl.lit(None, dtype=pl.String).alias("district"))
        ),
        derived={"district": ()},
        description="Course completions in departments listed in the workforce.",
    )
)
