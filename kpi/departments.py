"""``kpi departments``: the force-wide stock metrics (training take-up) by department."""

from __future__ import annotations

import argparse

import polars as pl

from kpi.output import FORMATS, check_output, emit, kpi_text_values, render
from kpi.progress import Progress
from metrics import REGISTRY, Grain, StockShare, prepare_facts
from metrics.engine import stock_counts
from metrics.periods import period_label, period_starts

DEPARTMENT_SCHEMA = {
    "metric_id": pl.String,
    "period_start": pl.Date,
    "period_label": pl.String,
    "department": pl.String,
    "numerator": pl.Int64,
    "denominator": pl.Int64,
    "value": pl.Float64,
}


def add_departments_parser(commands, add_source_options) -> None:
    departments = commands.add_parser(
        "departments", help="training take-up by department (the force-wide stock metrics)"
    )
    add_source_options(departments)
    departments.add_argument("--grain", required=True, choices=[grain.value for grain in Grain])
    departments.add_argument("--format", choices=FORMATS, default="csv")
    departments.add_argument("--output", help="file to write (default: standard output)")


def department_kpis(facts, grain: Grain) -> pl.DataFrame:
    """One row per stock metric, period and department listed in the workforce; no force row."""
    frames = [pl.DataFrame(schema=DEPARTMENT_SCHEMA)]
    if facts.first_date is None:
        return frames[0]
    starts = period_starts(facts.first_date, facts.last_date, grain)
    for metric in facts.available(REGISTRY):
        measure = metric.measure
        if not isinstance(measure, StockShare):
            continue
        counts = stock_counts(facts, measure, starts, grain, group=measure.group)
        frames.append(
            counts.select(
                pl.lit(metric.id).alias("metric_id"),
                "period_start",
                period_label(pl.col("period_start"), grain).alias("period_label"),
                pl.col(measure.group).alias("department"),
                "numerator",
                "denominator",
                pl.when(pl.col("denominator") > 0)
                .then(pl.col("numerator") / pl.col("denominator"))
                .cast(pl.Float64)
                .alias("value"),
            ).cast(DEPARTMENT_SCHEMA)
        )
    return pl.concat(frames)


def run_departments(args: argparse.Namespace, progress: Progress) -> None:
    from kpi.cli import _load, note_unavailable

    check_output(args.output)
    facts = prepare_facts(_load(args, progress))
    stock = {m.id for m in REGISTRY if isinstance(m.measure, StockShare)}
    note_unavailable(facts, progress, stock)
    rows = department_kpis(facts, Grain(args.grain))
    if args.format == "csv":
        rows = kpi_text_values(rows)
    emit(render(rows, args.format), args.output)
