"""``kpi compare``: every district against the force for one period, with funnel plot limits.

``kpi/cli.py`` adds the command with ``add_parser(commands)`` and runs it with
``run(args, progress)``. The maths is in ``metrics.compare``; this module reads the source,
checks the options and writes the rows.
"""

from __future__ import annotations

import argparse

import polars as pl

from kpi.as_at_option import as_at_of, note_as_at
from kpi.output import FORMATS, check_output, emit, render
from kpi.source_options import add_source_options, load_validated, require_database_url
from kpi.usage import UsageError
from metrics import REGISTRY, DomesticAbuse, Grain, compute_kpis, prepare_facts
from metrics.compare import comparable, compare_districts
from metrics.periods import label_of, parse_label
from metrics.provisional import with_provisional


def add_parser(commands) -> argparse.ArgumentParser:
    """Add ``compare`` to the ``kpi`` subcommands."""
    compare = commands.add_parser(
        "compare",
        help="every district against the force for one period, with 95%% and 99.8%% limits",
        description="Funnel plot limits around the force value for a district of each size; "
        "signal is higher or lower when a district is outside the 99.8%% limits.",
    )
    add_source_options(compare)
    compare.add_argument("--grain", required=True, choices=[grain.value for grain in Grain])
    compare.add_argument("--period", required=True, help="the period's label, e.g. '2024/25 Q1'")
    compare.add_argument(
        "--metric", action="append", metavar="ID", help="only this metric (repeatable)"
    )
    compare.add_argument(
        "--domestic-abuse",
        choices=[choice.value for choice in DomesticAbuse],
        default=DomesticAbuse.ALL.value,
        help="all records, only domestic abuse (da) or only non-domestic abuse (non_da)",
    )
    compare.add_argument("--format", choices=FORMATS, default="csv")
    compare.add_argument("--output", help="file to write (default: standard output)")
    return compare


def run(args: argparse.Namespace, progress) -> None:
    """Read the source, compute the KPIs at the grain and compare the districts in the period."""
    require_database_url(args)
    grain = Grain(args.grain)
    try:
        start = parse_label(args.period, grain)
    except ValueError as error:
        raise UsageError(str(error)) from None
    metrics = []
    for metric_id in args.metric or []:
        if metric_id not in REGISTRY:
            shown = metric_id if len(metric_id) <= 40 else metric_id[:40] + "…"
            choices = ", ".join(m.id for m in REGISTRY if comparable(m))
            raise UsageError(f"unknown metric {shown!r}; choose from: {choices}")
        metric = REGISTRY.get(metric_id)
        if not comparable(metric):
            raise UsageError(f"{metric_id} is a median: medians are not compared across districts")
        metrics.append(metric)
    check_output(args.output)
    validated = load_validated(args, progress)
    progress.done()
    facts = prepare_facts(validated).filtered(DomesticAbuse(args.domestic_abuse))
    as_at = as_at_of(args, facts)
    kpis = with_provisional(compute_kpis(facts, grain, metrics or None), grain, as_at)
    if not kpis.filter(pl.col("period_start") == start).height:
        if kpis.height == 0:
            raise UsageError("the database has no valid records: there is no period to compare")
        first, last = kpis["period_start"].min(), kpis["period_start"].max()
        raise UsageError(
            f"no period {args.period.strip()!r} in the data; they run from "
            f"{label_of(first, grain)} to {label_of(last, grain)}"
        )
    compared = compare_districts(kpis, facts.districts, start, metrics or None)
    provisional = (
        kpis.filter(pl.col("period_start") == start, pl.col("provisional"))["metric_id"]
        .unique(maintain_order=True)
        .to_list()
    )
    emit(render(compared, args.format), args.output)
    note_as_at(as_at, progress)
    if provisional:
        progress.note(
            f"{label_of(start, grain)} is provisional for {', '.join(provisional)}: "
            "its figures may still change"
        )
