"""Validation exactly as the data contract says: errors leave a row out, warnings keep it.

Every rule follows from the table declarations in ``queries.contract``: required values,
parseable timestamps and booleans, closed value sets, whole-number ranges, unique keys,
same-table order and pairing rules, references to other tables, and timestamps in the
future. A rule that reads a column the source does not have is not checked (the metrics
that need that column are unavailable instead).

The reconciliation counts ``rows_read`` apart from validation (the reader's own count of
the source), so a row lost anywhere between the source and the metrics shows as a gap:
``rows_used + rows_with_errors != rows_read``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import polars as pl

from queries.contract import (
    ERROR,
    RESERVED_DISTRICT,
    TABLES,
    WARNING,
    Kind,
    NotBefore,
    Table,
)
from queries.parse import bad, dtype_of, parse_table

ROW = "__row"
TODAY_ENV = "KPI_TODAY"
UK = ZoneInfo("Europe/London")

REPORT_SCHEMA = {"table": pl.String, "key": pl.String, "severity": pl.String, "rule": pl.String}

RULE_DESCRIPTIONS = {
    "required": "a required value is null or blank",
    "unparseable": "a timestamp or boolean that does not parse",
    "not_allowed": "a value outside the listed set",
    "duplicate": "a unique id that appears more than once (every copy is listed)",
    "invalid_population": "a population that is not a whole number of at least 0",
    "invalid_headcount": "a headcount that is not a whole number of at least 1",
    "invalid_score": "a score that is not a whole number from 1 to 5",
    "before_reported": "earlier than the crime's reported_at",
    "before_applied": "earlier than the order's applied_at",
    "outcome_pair": "outcome_code and outcome_at are not both set or both null",
    "unknown_crime": "crime_id is not among the crimes that passed validation",
    "decided_before_applied": "decided_at is earlier than applied_at",
    "decision_pair": "decision and decided_at are not both set or both null",
    "reserved": "the district name 'All' is reserved for the force as a whole",
    "future": "a timestamp later than the end of today (UK time)",
    "unknown_district": "district is not in the districts table (counted under its own name)",
    "unknown_breach_order": "breach_of_order_id matches no valid order (still counted as a breach)",
    "unknown_department": "department is not in workforce (left out of the training numerators)",
}


def describe_rule(rule: str) -> str:
    """Plain words for a rule code such as ``required:crime_id``."""
    code, _, column = rule.partition(":")
    words = RULE_DESCRIPTIONS.get(code, code)
    return f"{words} ({column})" if column else words


def today_in_uk() -> dt.date:
    """Today in the UK, or ``KPI_TODAY`` (YYYY-MM-DD) where a run must be reproducible."""
    given = os.environ.get(TODAY_ENV, "").strip()
    if given:
        try:
            return dt.date.fromisoformat(given)
        except ValueError:
            raise ValueError(f"{TODAY_ENV} is not a date like 2025-03-31") from None
    return dt.datetime.now(UK).date()


@dataclass(frozen=True)
class Rule:
    """One named check: a row for which ``broken`` is true is listed with ``name``."""

    name: str
    broken: pl.Expr
    severity: str = ERROR


@dataclass(frozen=True)
class Validated:
    """Typed, valid rows of every declared table, the report, and its reconciliation.

    A table the source lacks is an empty frame with the declared columns; a nullable
    column it lacks is all null. ``missing`` names what was absent, so the metrics that
    need it are reported unavailable rather than zero.
    """

    tables: dict[str, pl.DataFrame]
    report: pl.DataFrame
    reconciliation: pl.DataFrame
    missing: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Absent tables map to ``()``; present tables with absent columns map to those names."""
    today: dt.date | None = None

    def __getattr__(self, name: str) -> pl.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    def has_table(self, name: str) -> bool:
        return not (name in self.missing and self.missing[name] == ())

    def has_column(self, table: str, column: str) -> bool:
        return self.has_table(table) and column not in self.missing.get(table, ())


def _is_set(name: str) -> pl.Expr:
    """Present, parsed or not: an unparseable value still counts as set."""
    return pl.col(name).is_not_null() | pl.col(bad(name))


def _integer_rule(column) -> str:
    return f"invalid_{column.name}:{column.name}"


def _column_rules(table: Table, present: set[str], end_of_today: dt.datetime) -> list[Rule]:
    """Rules on each row's own values: required, parseable, allowed, ranges, future, unique."""
    rules = []
    for column in table.columns:
        if column.name not in present:
            continue
        if column.required:
            rules.append(Rule(f"required:{column.name}", ~_is_set(column.name)))
        if column.kind in (Kind.TIMESTAMP, Kind.BOOLEAN):
            rules.append(Rule(f"unparseable:{column.name}", pl.col(bad(column.name))))
        if column.kind == Kind.INTEGER:
            rules.append(Rule(_integer_rule(column), _out_of_range(column)))
        if column.allowed:
            rules.append(
                Rule(
                    f"not_allowed:{column.name}",
                    pl.col(column.name).is_not_null() & ~pl.col(column.name).is_in(column.allowed),
                )
            )
        if column.kind == Kind.TIMESTAMP:
            rules.append(Rule(f"future:{column.name}", pl.col(column.name) >= end_of_today))
    if "district" in present:
        rules.append(Rule("reserved:district", pl.col("district") == RESERVED_DISTRICT))
    if table.unique and set(table.unique) <= present:
        keys = [pl.col(name) for name in table.unique]
        all_set = pl.all_horizontal(key.is_not_null() for key in keys)
        duplicated = keys[0].is_duplicated() if len(keys) == 1 else pl.struct(keys).is_duplicated()
        rules.append(Rule(f"duplicate:{'+'.join(table.unique)}", all_set & duplicated))
    return rules


def _out_of_range(column) -> pl.Expr:
    """A present value that is not a whole number within the column's bounds."""
    value = pl.col(column.name)
    outside = pl.lit(False)
    if column.minimum is not None:
        outside = outside | (value < column.minimum)
    if column.maximum is not None:
        outside = outside | (value > column.maximum)
    return pl.col(bad(column.name)) | outside.fill_null(False)


def _not_before(rule: NotBefore, reference: str | None = None) -> Rule:
    return Rule(
        rule.rule, (pl.col(rule.column) < pl.col(reference or rule.reference)).fill_null(False)
    )


def _same_table_rules(table: Table, present: set[str]) -> list[Rule]:
    rules = [
        _not_before(rule) for rule in table.not_before if {rule.column, rule.reference} <= present
    ]
    rules += [
        Rule(pair.rule, _is_set(pair.first) != _is_set(pair.second))
        for pair in table.pairs
        if {pair.first, pair.second} <= present
    ]
    return rules


def _referenced(name: str, column: str) -> str:
    return f"__{name}__{column}"


def _reference_rules(
    table: Table,
    frame: pl.DataFrame,
    present: set[str],
    valid: dict[str, pl.DataFrame],
    validated_present: dict[str, set[str]],
) -> tuple[pl.DataFrame, list[Rule]]:
    """Each reference checked against the valid rows of the table it names.

    A reference to an absent table is not checked: there is nothing to compare with.
    Timestamps compared with the referenced row are joined on the key only (a join of the
    whole table would copy every column).
    """
    rules: list[Rule] = []
    for reference in table.references:
        if reference.column not in present or reference.table not in validated_present:
            continue
        target = valid[reference.table]
        compared = [
            rule
            for rule in reference.not_before
            if rule.column in present and rule.reference in validated_present[reference.table]
        ]
        value = pl.col(reference.column)
        if not compared:
            missing = value.is_not_null() & ~value.is_in(target[reference.target].implode())
            rules.append(Rule(reference.rule, missing, reference.severity))
            continue
        found = _referenced(reference.table, "__found")
        lookup = target.select(
            pl.col(reference.target).alias(reference.column),
            pl.lit(True).alias(found),
            *(
                pl.col(name).alias(_referenced(reference.table, name))
                for name in dict.fromkeys(rule.reference for rule in compared)
            ),
        )
        joined = frame.select(reference.column).join(
            lookup, on=reference.column, how="left", maintain_order="left"
        )
        frame = frame.with_columns(joined.drop(reference.column))
        missing = value.is_not_null() & pl.col(found).is_null()
        rules.append(Rule(reference.rule, missing, reference.severity))
        rules += [
            _not_before(rule, _referenced(reference.table, rule.reference)) for rule in compared
        ]
    return frame, rules


def _check(table: Table, frame: pl.DataFrame, rules: list[Rule]) -> tuple[pl.Series, pl.DataFrame]:
    """Which rows have errors, and the report lines: a row with errors lists only its errors.

    The key is looked up for the listed rows alone, not copied for every row.
    """
    flags = frame.select(
        pl.col(ROW), *(rule.broken.fill_null(False).alias(rule.name) for rule in rules)
    )
    errors = [rule.name for rule in rules if rule.severity == ERROR]
    error = pl.any_horizontal(errors) if errors else pl.lit(False)
    flags = flags.with_columns(error.alias("__error"))
    lines = [
        flags.filter(
            pl.col(rule.name) & (pl.lit(rule.severity == ERROR) | ~pl.col("__error"))
        ).select(
            pl.col(ROW),
            pl.lit(order, dtype=pl.UInt32).alias("__rule_order"),
            pl.lit(table.name).alias("table"),
            pl.lit(rule.severity).alias("severity"),
            pl.lit(rule.name).alias("rule"),
        )
        for order, rule in enumerate(rules)
    ]
    empty = pl.DataFrame(
        schema={ROW: pl.UInt32, "__rule_order": pl.UInt32}
        | {name: dtype for name, dtype in REPORT_SCHEMA.items() if name != "key"}
    )
    report = pl.concat([empty, *lines]).sort(ROW, "__rule_order").drop("__rule_order")
    keys = frame.get_column(table.key).gather(report[ROW]).cast(pl.String).fill_null("")
    report = report.with_columns(keys.alias("key")).select(ROW, *REPORT_SCHEMA)
    return flags.get_column("__error"), report


def _keep_valid(columns: dict[str, pl.Series], errors: pl.Series) -> pl.DataFrame:
    """The rows without errors, taken column by column.

    Each column is handed over (popped) and its valid rows copied, so the full column can be
    freed at once: a table is never held twice over, which at national scale is a gigabyte.
    """
    if not errors.any():
        return pl.DataFrame(list(columns.values()))
    keep = ~errors
    kept = []
    for name in list(columns):
        kept.append(columns.pop(name).filter(keep))
    return pl.DataFrame(kept)


def _prepare(raw: pl.DataFrame, table: Table, present: set[str]) -> pl.DataFrame:
    """Parsed rows, numbered, with every declared column (an absent one is all null)."""
    if not all(bad(name) in raw.columns for name in present):
        raw = parse_table(raw, table, present)
    raw = raw.select(
        name for c in table.columns if c.name in present for name in (c.name, bad(c.name))
    )
    absent = [c for c in table.columns if c.name not in present]
    if absent:
        raw = raw.with_columns(
            *(pl.lit(None, dtype=dtype_of(c)).alias(c.name) for c in absent),
            *(pl.lit(False).alias(bad(c.name)) for c in absent),
        )
    return raw.with_row_index(ROW)


def empty_table(table: Table) -> pl.DataFrame:
    """A table with the declared columns and no rows: what an absent optional table gives."""
    return pl.DataFrame(schema={c.name: dtype_of(c) for c in table.columns})


def validate(
    raw: dict[str, pl.DataFrame],
    *,
    release: bool = False,
    rows_read: Mapping[str, int] | None = None,
    today: dt.date | None = None,
) -> Validated:
    """Check every row of every table; keep the valid ones typed, list the rest with their rule.

    ``raw`` holds the tables the source has (raw values, or parsed by ``read_source``);
    a declared table it lacks is absent, and a nullable column it lacks is absent too.
    ``rows_read`` is the source's own count of rows per table (by default the frames'
    heights), read once every table has been taken. With ``release``, each table is taken
    out of ``raw`` as it is checked, so that the rows read and the rows kept are not both
    held in memory. ``today`` (default: today
    in the UK) sets the end of the day after which a timestamp is in the future.
    """
    today = today or today_in_uk()
    end_of_today = dt.datetime.combine(today + dt.timedelta(days=1), dt.time())
    heights: dict[str, int] = {}
    reports: dict[str, pl.DataFrame] = {}
    valid: dict[str, pl.DataFrame] = {}
    present_columns: dict[str, set[str]] = {}
    missing: dict[str, tuple[str, ...]] = {}
    for table in TABLES.validation_order():
        if table.name not in raw:
            missing[table.name] = ()
            valid[table.name] = empty_table(table)
            continue
        source = raw.pop(table.name) if release else raw[table.name]
        heights[table.name] = source.height
        present = {name for name in table.column_names if name in source.columns}
        absent = [name for name in table.required_columns if name not in present]
        if absent:
            raise ValueError(f"{table.name} has no column {', '.join(absent)}")
        if len(present) < len(table.columns):
            missing[table.name] = tuple(n for n in table.column_names if n not in present)
        frame = _prepare(source, table, present)
        del source
        frame, references = _reference_rules(table, frame, present, valid, present_columns)
        rules = [
            *_column_rules(table, present, end_of_today),
            *_same_table_rules(table, present),
            *references,
        ]
        errors, reports[table.name] = _check(table, frame, rules)
        columns = {name: frame.get_column(name) for name in table.column_names}
        del frame
        valid[table.name] = _keep_valid(columns, errors)
        present_columns[table.name] = present
    tables = {table.name: valid[table.name] for table in TABLES}
    # Read at the end: a source read on demand counts each table as it reads it.
    counted = dict(rows_read) if rows_read is not None else heights
    reconciliation = _reconcile(counted, tables, reports)
    report = pl.concat(
        [pl.DataFrame(schema=REPORT_SCHEMA)]
        + [reports[t.name].drop(ROW) for t in TABLES if t.name in reports]
    )
    return Validated(tables, report, reconciliation, missing, today)


def _reconcile(
    rows_read: Mapping[str, int], tables: dict[str, pl.DataFrame], reports: dict[str, pl.DataFrame]
) -> pl.DataFrame:
    """Rows read (the source's count), used (rows kept) and with errors (rows listed), per table.

    Tables the source does not have are left out.
    """
    rows = []
    for table in TABLES:
        if table.name not in reports:
            continue
        listed = reports[table.name]
        errors = listed.filter(pl.col("severity") == ERROR)
        warnings = listed.filter(pl.col("severity") == WARNING)
        rows.append(
            {
                "table": table.name,
                "rows_read": rows_read.get(table.name, 0),
                "rows_used": tables[table.name].height,
                "rows_with_errors": errors[ROW].n_unique(),
                "rows_with_warnings": warnings[ROW].n_unique(),
                "error_lines": errors.height,
                "warning_lines": warnings.height,
            }
        )
    schema = {
        "table": pl.String,
        "rows_read": pl.Int64,
        "rows_used": pl.Int64,
        "rows_with_errors": pl.Int64,
        "rows_with_warnings": pl.Int64,
        "error_lines": pl.Int64,
        "warning_lines": pl.Int64,
    }
    return pl.DataFrame(rows, schema=schema)


def unreconciled(reconciliation: pl.DataFrame) -> list[str]:
    """Tables whose rows do not add up: a row was lost (or invented) between source and metrics."""
    gaps = reconciliation.filter(
        pl.col("rows_read") != pl.col("rows_used") + pl.col("rows_with_errors")
    )
    return gaps["table"].to_list()
