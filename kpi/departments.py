"""``kpi departments``: the force-wide stock metrics (training take-up) by department."""

from __future__ import annotations

import argparse

from kpi.output import FORMATS, check_output, emit, kpi_text_values, render
from kpi.progress import Progress
from metrics import REGISTRY, Grain, StockShare, prepare_facts
from metrics.departments import department_kpis


def add_departments_parser(commands, add_source_options) -> None:
    departments = commands.add_parser(
        "departments", help="training take-up by department (the force-wide stock metrics)"
    )
    add_source_options(departments)
    departments.add_argument("--grain", required=True, choices=[grain.value for grain in Grain])
    departments.add_argument("--format", choices=FORMATS, default="csv")
    departments.add_argument("--output", help="file to write (default: standard output)")


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
