"""``kpi doctor``: the first command an analyst runs on a new source.

It says, table by table, what was found and how, what is missing or extra, which columns
mostly fail to parse (with examples) and what share of rows validation would leave out;
then, metric by metric, whether the source can give it. It exits 0 when ``crimes`` and
``districts`` can be read with their required columns, however many of their rows fail.
"""

from __future__ import annotations

import argparse
import sys

import polars as pl

from kpi.progress import Progress
from metrics import REGISTRY
from metrics.sources import unavailable_metrics
from queries.contract import TABLES, Kind
from queries.parse import bad, parse_table
from queries.source import inspect_source, read_tables
from queries.validation import validate

# A column is reported when more than this share of its present values do not parse.
MOSTLY = 0.5
EXAMPLES = 3


def add_doctor_parser(commands, add_source_options) -> None:
    doctor = commands.add_parser("doctor", help="check a new source: tables, columns, metrics")
    add_source_options(doctor)


def run_doctor(args: argparse.Namespace, progress: Progress) -> int:
    from kpi.cli import UsageError

    if not args.database_url:
        raise UsageError("--database-url is required (or set $KPI_DATABASE_URL)")
    label, found = inspect_source(args.database_url, args.queries)
    read = read_tables(
        args.database_url, progress.rows, parsed=False, queries_dir=args.queries, check=False
    )
    progress.done()
    out = sys.stdout
    out.write(f"Source: {label}\n\nTables\n")
    for table in TABLES:
        table_found = found.get(table.name)
        need = "required" if table.required else "optional"
        if table_found is None:
            out.write(f"- {table.name} ({need}): NOT FOUND\n")
            continue
        missing_required = [c for c in table_found.missing if c in table.required_columns]
        rows = read.rows_counted.get(table.name)
        counted = f", {rows:,} rows" if rows is not None else ""
        out.write(f"- {table.name} ({need}): found as {table_found.how}{counted}\n")
        if missing_required:
            out.write(
                f"    MISSING required columns: {', '.join(missing_required)}"
                " (the table cannot be used)\n"
            )
        optional_missing = [c for c in table_found.missing if c not in missing_required]
        if optional_missing:
            out.write(f"    missing nullable columns: {', '.join(optional_missing)}\n")
        if table_found.extra:
            out.write(f"    extra columns (ignored): {', '.join(table_found.extra)}\n")
        if table.name in read.frames:
            for line in _unparseable(read.frames[table.name], table, table_found.present):
                out.write(f"    {line}\n")
    validated = validate(dict(read.frames), rows_read=read.rows_counted)
    out.write("\nRows left out by validation (see 'kpi validate' for each row and rule)\n")
    for line in validated.reconciliation.iter_rows(named=True):
        share = line["rows_with_errors"] / line["rows_read"] if line["rows_read"] else 0.0
        out.write(
            f"- {line['table']}: {line['rows_with_errors']:,} of {line['rows_read']:,} "
            f"({share:.1%})\n"
        )
    unavailable = unavailable_metrics(REGISTRY, validated)
    out.write(f"\nMetrics: {len(REGISTRY) - len(unavailable)} of {len(REGISTRY)} available\n")
    for metric in REGISTRY:
        reason = unavailable.get(metric.id)
        out.write(f"- {metric.id}: {'available' if reason is None else reason}\n")
    usable = all(name in read.frames for name in ("districts", "crimes"))
    if not usable:
        out.write("\nThe source cannot be used: districts and crimes need every required column.\n")
    return 0 if usable else 1


def _unparseable(raw: pl.DataFrame, table, present: list[str]) -> list[str]:
    """Columns whose present values mostly do not parse, each with a few examples."""
    checked = [c for c in table.columns if c.name in present and c.kind != Kind.TEXT]
    if not checked or raw.height == 0:
        return []
    parsed = parse_table(raw, table, present)
    lines = []
    for column in checked:
        flags = parsed[bad(column.name)]
        failing = int(flags.sum())
        given = failing + int(parsed[column.name].is_not_null().sum())
        if not given or failing / given <= MOSTLY:
            continue
        examples = raw.filter(flags)[column.name].cast(pl.String).unique(maintain_order=True)
        shown = ", ".join(repr(v) for v in examples.head(EXAMPLES).to_list())
        lines.append(
            f"column {column.name}: {failing:,} of {given:,} values ({failing / given:.0%}) "
            f"do not parse as {column.kind}, e.g. {shown}"
        )
    return lines
