"""The source data contract (v1): five tables, their columns, types and allowed values.

One description serves three purposes: the SQLAlchemy tables (for reads and for building
demo and test databases), the typed read into polars, and validation.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.dialects import mysql


class Kind(StrEnum):
    """How a column's raw value is parsed."""

    TEXT = "text"
    TIMESTAMP = "timestamp"
    BOOLEAN = "boolean"
    INTEGER = "integer"


@dataclass(frozen=True)
class Column:
    """One contract column: its kind, whether it is required, and any closed set of values."""

    name: str
    kind: Kind
    required: bool
    allowed: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Table:
    """One contract table: its columns and the column that is the row's own id."""

    name: str
    key: str
    unique_key: bool
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)


# Every KPI has a force-wide row under this name, so no district may be called it.
RESERVED_DISTRICT = "All"

RISK_LEVELS = ("standard", "medium", "high")
OUTCOME_CODES = ("1", "1A", "2", "2A", "3", "3A", *(str(code) for code in range(4, 23)))
ORDER_TYPES = ("SPO", "ISPO", "RO", "NMO", "DVPO")
DECISIONS = ("granted", "refused", "withdrawn")

DISTRICTS = Table(
    "districts",
    key="district",
    unique_key=True,
    columns=(
        Column("district", Kind.TEXT, required=True),
        Column("population", Kind.INTEGER, required=True),
    ),
)

CRIMES = Table(
    "crimes",
    key="crime_id",
    unique_key=True,
    columns=(
        Column("crime_id", Kind.TEXT, required=True),
        Column("district", Kind.TEXT, required=True),
        Column("reported_at", Kind.TIMESTAMP, required=True),
        Column("recorded_at", Kind.TIMESTAMP, required=False),
        Column("classified_at", Kind.TIMESTAMP, required=False),
        Column("offence_code", Kind.TEXT, required=True),
        Column("stalking_element", Kind.BOOLEAN, required=True),
        Column("domestic_abuse", Kind.BOOLEAN, required=True),
        Column("risk_level", Kind.TEXT, required=False, allowed=RISK_LEVELS),
        Column("breach_of_order_id", Kind.TEXT, required=False),
        Column("arrested_at", Kind.TIMESTAMP, required=False),
        Column("outcome_code", Kind.TEXT, required=False, allowed=OUTCOME_CODES),
        Column("outcome_at", Kind.TIMESTAMP, required=False),
    ),
)

ALLOCATIONS = Table(
    "allocations",
    key="crime_id",
    unique_key=False,
    columns=(
        Column("crime_id", Kind.TEXT, required=True),
        Column("unit", Kind.TEXT, required=True),
        Column("allocated_at", Kind.TIMESTAMP, required=True),
    ),
)

VICTIMS = Table(
    "victims",
    key="victim_id",
    unique_key=True,
    columns=(
        Column("victim_id", Kind.TEXT, required=True),
        Column("crime_id", Kind.TEXT, required=True),
        Column("first_contact_at", Kind.TIMESTAMP, required=False),
        Column("needs_assessment_at", Kind.TIMESTAMP, required=False),
        Column("referred_at", Kind.TIMESTAMP, required=False),
        Column("referral_service", Kind.TEXT, required=False),
        Column("support_declined", Kind.BOOLEAN, required=True),
    ),
)

PROTECTIVE_ORDERS = Table(
    "protective_orders",
    key="order_id",
    unique_key=True,
    columns=(
        Column("order_id", Kind.TEXT, required=True),
        Column("order_type", Kind.TEXT, required=True, allowed=ORDER_TYPES),
        Column("district", Kind.TEXT, required=True),
        Column("crime_id", Kind.TEXT, required=False),
        Column("applied_at", Kind.TIMESTAMP, required=True),
        Column("decision", Kind.TEXT, required=False, allowed=DECISIONS),
        Column("decided_at", Kind.TIMESTAMP, required=False),
    ),
)

TABLES: tuple[Table, ...] = (DISTRICTS, CRIMES, ALLOCATIONS, VICTIMS, PROTECTIVE_ORDERS)
TABLES_BY_NAME = {table.name: table for table in TABLES}

# Six fractional digits on MariaDB: its DATETIME keeps whole seconds unless told otherwise.
_TIMESTAMP = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
_SQL_TYPES = {
    Kind.TEXT: sa.String(64),
    Kind.TIMESTAMP: _TIMESTAMP,
    Kind.BOOLEAN: sa.Boolean(create_constraint=False),
    Kind.INTEGER: sa.Integer(),
}


def sqlalchemy_metadata() -> sa.MetaData:
    """SQLAlchemy tables of the contract, without constraints, so bad rows can be stored too."""
    metadata = sa.MetaData()
    for table in TABLES:
        sa.Table(
            table.name,
            metadata,
            *(sa.Column(column.name, _SQL_TYPES[column.kind]) for column in table.columns),
        )
    return metadata
