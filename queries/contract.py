"""The source data contract as code: each table declared once, with everything that follows.

A ``Table`` declaration holds a table's columns (type, nullability, closed value sets,
whole-number ranges), its unique keys, its same-table and cross-table rules and its report
key. Parsing, validation, reconciliation, availability, ``kpi doctor``, the data-quality
page and the catalogue's inputs all read these declarations; nothing else lists tables.

To add a source table, declare it here with ``declare(Table(...))``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.dialects import mysql

ERROR = "error"
WARNING = "warning"


class Kind(StrEnum):
    """How a column's raw value is parsed."""

    TEXT = "text"
    TIMESTAMP = "timestamp"
    BOOLEAN = "boolean"
    INTEGER = "integer"


@dataclass(frozen=True)
class Column:
    """One column: its kind, whether a value is required, and what values it may take.

    A column that is not ``required`` (nullable) may also be missing from a source: the
    metrics that read it are then unavailable. ``minimum``/``maximum`` make an integer a
    whole number in that range (rule ``invalid_<name>``). ``categorical`` text has few
    distinct values in many rows (districts, codes, units): it is held as a polars
    categorical, four bytes a row instead of sixteen or more, which matters at national scale.
    """

    name: str
    kind: Kind
    required: bool
    allowed: tuple[str, ...] | None = None
    minimum: int | None = None
    maximum: int | None = None
    categorical: bool = False


@dataclass(frozen=True)
class NotBefore:
    """``column`` earlier than ``reference`` (same row, or the referenced row) is an error."""

    column: str
    reference: str
    rule: str


@dataclass(frozen=True)
class Pair:
    """Two columns set together or not at all."""

    first: str
    second: str
    rule: str


@dataclass(frozen=True)
class Reference:
    """A column whose set values must match a valid row of another table.

    ``not_before`` compares this row's timestamps with the referenced row's (the target
    must be a unique key there).
    """

    column: str
    table: str
    target: str
    rule: str
    severity: str = ERROR
    not_before: tuple[NotBefore, ...] = ()


@dataclass(frozen=True)
class Table:
    """One contract table: columns, keys and rules, declared once."""

    name: str
    key: str  # the report key: the row's own id in the data-quality report
    columns: tuple[Column, ...]
    unique: tuple[str, ...] = ()  # these columns together must not repeat (every copy an error)
    required: bool = False  # a source without this table cannot be used at all
    not_before: tuple[NotBefore, ...] = ()
    pairs: tuple[Pair, ...] = ()
    references: tuple[Reference, ...] = ()
    description: str = ""

    def __post_init__(self) -> None:
        names = self.column_names
        mentioned = [self.key, *self.unique]
        mentioned += [n for rule in self.not_before for n in (rule.column, rule.reference)]
        mentioned += [n for pair in self.pairs for n in (pair.first, pair.second)]
        mentioned += [r.column for r in self.references]
        mentioned += [rule.column for r in self.references for rule in r.not_before]
        unknown = sorted({name for name in mentioned if name not in names})
        if unknown:
            raise ValueError(f"table {self.name!r} declares rules on unknown columns {unknown}")

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def required_columns(self) -> list[str]:
        """Columns a source must have: those that may not be null."""
        return [column.name for column in self.columns if column.required]

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)

    @property
    def depends_on(self) -> set[str]:
        return {reference.table for reference in self.references} - {self.name}


class TableRegistry:
    """The declared tables, in declaration order; validation runs them in dependency order."""

    def __init__(self) -> None:
        self._tables: dict[str, Table] = {}

    def declare(self, table: Table) -> Table:
        if table.name in self._tables:
            raise ValueError(f"a table named {table.name!r} is already declared")
        self._tables[table.name] = table
        return table

    def __iter__(self) -> Iterator[Table]:
        return iter(self._tables.values())

    def __len__(self) -> int:
        return len(self._tables)

    def __contains__(self, name: object) -> bool:
        return name in self._tables

    def __getitem__(self, name: str) -> Table:
        return self._tables[name]

    @property
    def names(self) -> list[str]:
        return list(self._tables)

    def validation_order(self) -> list[Table]:
        """Every table after the tables its references point at (declaration order otherwise)."""
        ordered: list[Table] = []
        done: set[str] = set()
        pending = list(self._tables.values())
        while pending:
            ready = [t for t in pending if t.depends_on <= done]
            if not ready:
                cycle = ", ".join(t.name for t in pending)
                raise ValueError(f"tables reference each other in a cycle: {cycle}")
            table = ready[0]
            ordered.append(table)
            done.add(table.name)
            pending.remove(table)
        return ordered


TABLES = TableRegistry()
declare = TABLES.declare

# Every KPI has a force-wide row under this name, so no district may be called it.
RESERVED_DISTRICT = "All"

RISK_LEVELS = ("standard", "medium", "high")
OUTCOME_CODES = ("1", "1A", "2", "2A", "3", "3A", *(str(code) for code in range(4, 23)))
ORDER_TYPES = ("SPO", "ISPO", "RO", "NMO", "DVPO")
DECISIONS = ("granted", "refused", "withdrawn")
ANSWERS = ("yes", "no", "n/a")

TEXT, TIMESTAMP, BOOLEAN, INTEGER = Kind.TEXT, Kind.TIMESTAMP, Kind.BOOLEAN, Kind.INTEGER


def _before_reported(*columns: str) -> tuple[NotBefore, ...]:
    return tuple(NotBefore(c, "reported_at", f"before_reported:{c}") for c in columns)


def of_valid_crime(*timestamps: str, severity: str = ERROR) -> Reference:
    """``crime_id`` names a valid crime, and these timestamps are not before its report."""
    return Reference(
        "crime_id", "crimes", "crime_id", "unknown_crime", severity, _before_reported(*timestamps)
    )


KNOWN_DISTRICT = Reference("district", "districts", "district", "unknown_district", WARNING)

DISTRICTS = declare(
    Table(
        "districts",
        key="district",
        unique=("district",),
        required=True,
        columns=(
            Column("district", TEXT, required=True),
            Column("population", INTEGER, required=True, minimum=0),
        ),
        description="Local policing areas and their resident population.",
    )
)

CRIMES = declare(
    Table(
        "crimes",
        key="crime_id",
        unique=("crime_id",),
        required=True,
        columns=(
            Column("crime_id", TEXT, required=True),
            Column("district", TEXT, required=True, categorical=True),
            Column("reported_at", TIMESTAMP, required=True),
            Column("recorded_at", TIMESTAMP, required=False),
            Column("classified_at", TIMESTAMP, required=False),
            Column("offence_code", TEXT, required=True, categorical=True),
            Column("stalking_element", BOOLEAN, required=True),
            Column("domestic_abuse", BOOLEAN, required=True),
            Column("risk_level", TEXT, required=False, allowed=RISK_LEVELS, categorical=True),
            Column("breach_of_order_id", TEXT, required=False),
            Column("arrested_at", TIMESTAMP, required=False),
            Column("outcome_code", TEXT, required=False, allowed=OUTCOME_CODES, categorical=True),
            Column("outcome_at", TIMESTAMP, required=False),
            Column("online_element", BOOLEAN, required=False),  # v1.1
        ),
        not_before=_before_reported("recorded_at", "classified_at", "arrested_at", "outcome_at"),
        pairs=(Pair("outcome_code", "outcome_at", "outcome_pair"),),
        references=(
            KNOWN_DISTRICT,
            Reference(
                "breach_of_order_id",
                "protective_orders",
                "order_id",
                "unknown_breach_order",
                WARNING,
            ),
        ),
        description="Crimes and crime-related incident reports.",
    )
)

ALLOCATIONS = declare(
    Table(
        "allocations",
        key="crime_id",
        columns=(
            Column("crime_id", TEXT, required=True),
            Column("unit", TEXT, required=True, categorical=True),
            Column("allocated_at", TIMESTAMP, required=True),
        ),
        references=(of_valid_crime("allocated_at"),),
        description="Every allocation of a crime to a unit for investigation.",
    )
)

VICTIMS = declare(
    Table(
        "victims",
        key="victim_id",
        unique=("victim_id",),
        columns=(
            Column("victim_id", TEXT, required=True),
            Column("crime_id", TEXT, required=True),
            Column("first_contact_at", TIMESTAMP, required=False),
            Column("needs_assessment_at", TIMESTAMP, required=False),
            Column("referred_at", TIMESTAMP, required=False),
            Column("referral_service", TEXT, required=False, categorical=True),
            Column("support_declined", BOOLEAN, required=True),
        ),
        references=(of_valid_crime("first_contact_at", "needs_assessment_at", "referred_at"),),
        description="Victims of crimes, with contact, needs assessment and referral.",
    )
)

PROTECTIVE_ORDERS = declare(
    Table(
        "protective_orders",
        key="order_id",
        unique=("order_id",),
        columns=(
            Column("order_id", TEXT, required=True),
            Column("order_type", TEXT, required=True, allowed=ORDER_TYPES),
            Column("district", TEXT, required=True),
            Column("crime_id", TEXT, required=False),
            Column("applied_at", TIMESTAMP, required=True),
            Column("decision", TEXT, required=False, allowed=DECISIONS),
            Column("decided_at", TIMESTAMP, required=False),
            Column("iom_referred_at", TIMESTAMP, required=False),  # v1.1
        ),
        not_before=(
            NotBefore("decided_at", "applied_at", "decided_before_applied"),
            NotBefore("iom_referred_at", "applied_at", "before_applied:iom_referred_at"),
        ),
        pairs=(Pair("decision", "decided_at", "decision_pair"),),
        references=(KNOWN_DISTRICT,),
        description="Stalking Protection Orders and other protective orders.",
    )
)

# Contract v1.1: optional tables for assurance, workforce and victim voice.

WORKFORCE = declare(
    Table(
        "workforce",
        key="department",
        unique=("department",),
        columns=(
            Column("department", TEXT, required=True),
            Column("headcount", INTEGER, required=True, minimum=1),
        ),
        description="Headcount in post by department.",
    )
)

TRAINING_RECORDS = declare(
    Table(
        "training_records",
        key="staff_ref",
        columns=(
            Column("staff_ref", TEXT, required=True),
            Column("department", TEXT, required=True),
            Column("course", TEXT, required=True),
            Column("completed_at", TIMESTAMP, required=True),
        ),
        references=(
            Reference("department", "workforce", "department", "unknown_department", WARNING),
        ),
        description="Course completions by staff (pseudonymous references).",
    )
)

CASE_REVIEWS = declare(
    Table(
        "case_reviews",
        key="review_id",
        unique=("review_id", "question"),
        columns=(
            Column("review_id", TEXT, required=True),
            Column("crime_id", TEXT, required=True),
            Column("reviewed_at", TIMESTAMP, required=True),
            Column("theme", TEXT, required=True),
            Column("question", TEXT, required=True),
            Column("answer", TEXT, required=True, allowed=ANSWERS),
        ),
        references=(of_valid_crime("reviewed_at"),),
        description="Dip-sample reviews of investigations, one row per question answered.",
    )
)

VICTIM_SURVEY = declare(
    Table(
        "victim_survey",
        key="response_id",
        unique=("response_id", "question"),
        columns=(
            Column("response_id", TEXT, required=True),
            Column("crime_id", TEXT, required=False),
            Column("responded_at", TIMESTAMP, required=True),
            Column("question", TEXT, required=True),
            Column("score", INTEGER, required=True, minimum=1, maximum=5),
        ),
        references=(of_valid_crime(severity=WARNING),),
        description="Victim Voice survey answers, one row per question.",
    )
)

CRIME_DATA_AUDITS = declare(
    Table(
        "crime_data_audits",
        key="audit_id",
        unique=("audit_id",),
        columns=(
            Column("audit_id", TEXT, required=True),
            Column("district", TEXT, required=True),
            Column("audited_at", TIMESTAMP, required=True),
            Column("should_record_sh", BOOLEAN, required=True),
            Column("recorded_sh", BOOLEAN, required=True),
        ),
        references=(KNOWN_DISTRICT,),
        description="Crime data integrity audits of incidents.",
    )
)

TABLES_BY_NAME = {table.name: table for table in TABLES}

# Six fractional digits on MariaDB: its DATETIME keeps whole seconds unless told otherwise.
_TIMESTAMP = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
_SQL_TYPES = {
    Kind.TEXT: sa.String(64),
    Kind.TIMESTAMP: _TIMESTAMP,
    Kind.BOOLEAN: sa.Boolean(create_constraint=False),
    Kind.INTEGER: sa.Integer(),
}


def sqlalchemy_metadata(
    tables: list[str] | None = None, without: dict[str, list[str]] | None = None
) -> sa.MetaData:
    """SQLAlchemy tables of the contract, without constraints, so bad rows can be stored too.

    ``tables`` limits the tables created; ``without`` leaves columns out of some of them
    (for sources that lack an optional column).
    """
    metadata = sa.MetaData()
    without = without or {}
    for table in TABLES:
        if tables is not None and table.name not in tables:
            continue
        sa.Table(
            table.name,
            metadata,
            *(
                sa.Column(column.name, _SQL_TYPES[column.kind])
                for column in table.columns
                if column.name not in without.get(table.name, ())
            ),
        )
    return metadata
