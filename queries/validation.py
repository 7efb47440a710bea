"""Validation exactly as the data contract says: errors leave a row out, warnings keep it.

Every row read is either used or listed with the rule it broke, so that
``rows_used + rows_with_errors == rows_read`` for every table.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from queries.contract import (
    ALLOCATIONS,
    CRIMES,
    DISTRICTS,
    PROTECTIVE_ORDERS,
    RESERVED_DISTRICT,
    TABLES,
    VICTIMS,
    Kind,
    Table,
)
from queries.parse import bad, parse_table

ERROR = "error"
WARNING = "warning"
ROW = "__row"

REPORT_SCHEMA = {"table": pl.String, "key": pl.String, "severity": pl.String, "rule": pl.String}

RULE_DESCRIPTIONS = {
    "required": "a required value is null or blank",
    "unparseable": "a timestamp or boolean that does not parse",
    "not_allowed": "a value outside the listed set",
    "duplicate": "a unique id that appears more than once (every copy is listed)",
    "invalid_population": "a population that is not a whole number of at least 0",
    "before_reported": "earlier than the crime's reported_at",
    "outcome_pair": "outcome_code and outcome_at are not both set or both null",
    "unknown_crime": "crime_id is not among the crimes that passed validation",
    "decided_before_applied": "decided_at is earlier than applied_at",
    "decision_pair": "decision and decided_at are not both set or both null",
    "reserved": "the district name 'All' is reserved for the force as a whole",
    "unknown_district": "district is not in the districts table (counted under its own name)",
    "unknown_breach_order": "breach_of_order_id matches no valid order (still counted as a breach)",
}


def describe_rule(rule: str) -> str:
    """Plain words for a rule code such as ``required:crime_id``."""
    code, _, column = rule.partition(":")
    words = RULE_DESCRIPTIONS.get(code, code)
    return f"{words} ({column})" if column else words


@dataclass(frozen=True)
class Rule:
    """One named check: a row for which ``broken`` is true is listed with ``name``."""

    name: str
    broken: pl.Expr
    severity: str = ERROR


@dataclass(frozen=True)
class Validated:
    """Typed, valid rows of every table, the data-quality report and its reconciliation."""

    tables: dict[str, pl.DataFrame]
    report: pl.DataFrame
    reconciliation: pl.DataFrame

    @property
    def districts(self) -> pl.DataFrame:
        return self.tables[DISTRICTS.name]

    @property
    def crimes(self) -> pl.DataFrame:
        return self.tables[CRIMES.name]

    @property
    def allocations(self) -> pl.DataFrame:
        return self.tables[ALLOCATIONS.name]

    @property
    def victims(self) -> pl.DataFrame:
        return self.tables[VICTIMS.name]

    @property
    def protective_orders(self) -> pl.DataFrame:
        return self.tables[PROTECTIVE_ORDERS.name]


def _is_set(name: str) -> pl.Expr:
    """Present, parsed or not: an unparseable value still counts as set."""
    return pl.col(name).is_not_null() | pl.col(bad(name))


def _column_rules(table: Table) -> list[Rule]:
    """Rules every table shares: required, parseable, allowed values, unique ids."""
    rules = []
    for column in table.columns:
        if column.required:
            rules.append(Rule(f"required:{column.name}", ~_is_set(column.name)))
        if column.kind in (Kind.TIMESTAMP, Kind.BOOLEAN):
            rules.append(Rule(f"unparseable:{column.name}", pl.col(bad(column.name))))
        if column.kind == Kind.INTEGER:
            rules.append(Rule(f"invalid_population:{column.name}", pl.col(bad(column.name))))
        if column.allowed:
            rules.append(
                Rule(
                    f"not_allowed:{column.name}",
                    pl.col(column.name).is_not_null() & ~pl.col(column.name).is_in(column.allowed),
                )
            )
    if "district" in table.column_names:
        rules.append(Rule("reserved:district", pl.col("district") == RESERVED_DISTRICT))
    if table.unique_key:
        key = pl.col(table.key)
        rules.append(Rule(f"duplicate:{table.key}", key.is_not_null() & key.is_duplicated()))
    return rules


def _not_before(column: str, reference: str, rule: str) -> Rule:
    return Rule(rule, (pl.col(column) < pl.col(reference)).fill_null(False))


def _outside(column: pl.Expr, known: pl.Series) -> pl.Expr:
    """Set, and not one of the known values."""
    return column.is_not_null() & ~column.is_in(known.implode())


def _pair(first: str, second: str, name: str) -> Rule:
    return Rule(name, _is_set(first) != _is_set(second))


def _apply(
    table: Table, frame: pl.DataFrame, rules: list[Rule]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The valid rows, and the report lines: a row with errors lists only its errors."""
    flags = frame.select(
        pl.col(ROW),
        pl.col(table.key).fill_null("").alias("key"),
        *(rule.broken.fill_null(False).alias(rule.name) for rule in rules),
    )
    errors = [rule.name for rule in rules if rule.severity == ERROR]
    flags = flags.with_columns(pl.any_horizontal(errors).alias("__error"))
    lines = [
        flags.filter(
            pl.col(rule.name) & (pl.lit(rule.severity == ERROR) | ~pl.col("__error"))
        ).select(
            pl.col(ROW),
            pl.lit(order, dtype=pl.UInt32).alias("__rule_order"),
            pl.lit(table.name).alias("table"),
            pl.col("key"),
            pl.lit(rule.severity).alias("severity"),
            pl.lit(rule.name).alias("rule"),
        )
        for order, rule in enumerate(rules)
    ]
    report = pl.concat(lines).sort(ROW, "__rule_order").drop("__rule_order")
    kept = frame.select(table.column_names)  # shares the columns' memory, no copy
    if flags["__error"].any():
        kept = kept.filter(~flags["__error"])
    return kept, report


def _prepare(raw: pl.DataFrame, table: Table) -> pl.DataFrame:
    """Parsed rows, numbered; frames read with ``read_source(parsed=True)`` are parsed already."""
    parsed = raw if bad(table.columns[0].name) in raw.columns else parse_table(raw, table)
    return parsed.with_row_index(ROW)


def validate(raw: dict[str, pl.DataFrame], *, release: bool = False) -> Validated:
    """Check every row of every table; keep the valid ones typed, list the rest with their rule.

    With ``release``, each table is taken out of ``raw`` as it is checked, so that at national
    scale the rows read and the rows kept are not both held in memory.
    """
    reports: dict[str, pl.DataFrame] = {}
    valid: dict[str, pl.DataFrame] = {}
    rows_read = {name: frame.height for name, frame in raw.items()}

    def take(table: Table) -> pl.DataFrame:
        return _prepare(raw.pop(table.name) if release else raw[table.name], table)

    districts = take(DISTRICTS)
    valid["districts"], reports["districts"] = _apply(
        DISTRICTS, districts, _column_rules(DISTRICTS)
    )
    known_districts = valid["districts"]["district"]

    orders = take(PROTECTIVE_ORDERS)
    valid["protective_orders"], reports["protective_orders"] = _apply(
        PROTECTIVE_ORDERS,
        orders,
        [
            *_column_rules(PROTECTIVE_ORDERS),
            _not_before("decided_at", "applied_at", "decided_before_applied"),
            _pair("decision", "decided_at", "decision_pair"),
            Rule(
                "unknown_district",
                _outside(pl.col("district"), known_districts),
                WARNING,
            ),
        ],
    )
    valid_orders = valid["protective_orders"]["order_id"]
    del districts, orders

    crimes = take(CRIMES)
    valid["crimes"], reports["crimes"] = _apply(
        CRIMES,
        crimes,
        [
            *_column_rules(CRIMES),
            *(
                _not_before(column, "reported_at", f"before_reported:{column}")
                for column in ("recorded_at", "classified_at", "arrested_at", "outcome_at")
            ),
            _pair("outcome_code", "outcome_at", "outcome_pair"),
            Rule(
                "unknown_district",
                _outside(pl.col("district"), known_districts),
                WARNING,
            ),
            Rule(
                "unknown_breach_order",
                _outside(pl.col("breach_of_order_id"), valid_orders),
                WARNING,
            ),
        ],
    )
    del crimes
    crime_reported = valid["crimes"].select(
        pl.col("crime_id"), pl.col("reported_at").alias("__crime_reported_at")
    )

    for table, timestamps in (
        (ALLOCATIONS, ("allocated_at",)),
        (VICTIMS, ("first_contact_at", "needs_assessment_at", "referred_at")),
    ):
        prepared = take(table)
        # Only the key is joined: a join gathers every column, a copy of the whole table.
        reported = prepared.select("crime_id").join(
            crime_reported, on="crime_id", how="left", maintain_order="left"
        )
        frame = prepared.with_columns(reported["__crime_reported_at"])
        valid[table.name], reports[table.name] = _apply(
            table,
            frame,
            [
                *_column_rules(table),
                Rule(
                    "unknown_crime",
                    pl.col("crime_id").is_not_null() & pl.col("__crime_reported_at").is_null(),
                ),
                *(
                    _not_before(column, "__crime_reported_at", f"before_reported:{column}")
                    for column in timestamps
                ),
            ],
        )
        del prepared, frame

    tables = {table.name: valid[table.name] for table in TABLES}
    reconciliation = _reconcile(rows_read, tables, reports)
    report = pl.concat([reports[table.name].drop(ROW) for table in TABLES])
    return Validated(tables=tables, report=report, reconciliation=reconciliation)


def _reconcile(
    rows_read: dict[str, int], tables: dict[str, pl.DataFrame], reports: dict[str, pl.DataFrame]
) -> pl.DataFrame:
    """Rows read, used, with errors and with warnings, per table, counted independently."""
    rows = []
    for table in TABLES:
        listed = reports[table.name]
        rows.append(
            {
                "table": table.name,
                "rows_read": rows_read[table.name],
                "rows_used": tables[table.name].height,
                "rows_with_errors": listed.filter(pl.col("severity") == ERROR)[ROW].n_unique(),
                "rows_with_warnings": listed.filter(pl.col("severity") == WARNING)[ROW].n_unique(),
                "error_lines": listed.filter(pl.col("severity") == ERROR).height,
                "warning_lines": listed.filter(pl.col("severity") == WARNING).height,
            }
        )
    return pl.DataFrame(rows)
