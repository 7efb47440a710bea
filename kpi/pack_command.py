"""``kpi pack``: the board pack for one period and district, as a PDF or PowerPoint file.

``kpi/cli.py`` adds the command with ``add_pack_parser(commands)`` and runs it with
``run_pack(args, progress)``. Options that do not fit the data (a period or district it does
not have) raise ``kpi.usage.UsageError`` with the valid choices, so they are one line, exit 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kpi.as_at_option import as_at_of, note_as_at
from kpi.output import check_output
from kpi.source_options import add_source_options, load_validated, require_database_url
from kpi.usage import UsageError
from metrics import ALL_DISTRICTS, DomesticAbuse, Grain, compute_kpis, prepare_facts
from metrics.provisional import with_provisional
from packs import FORMATS, PackError, build_pack
from packs.content import FORCE_NAME_ENV, default_force_name
from packs.meeting_command import pack_meeting_record
from presentation.settings import FORCE_LABEL


def add_pack_parser(subparsers) -> argparse.ArgumentParser:
    """Add ``pack`` to the ``kpi`` subcommands (a ``_Parser``, so bad arguments are one line)."""
    pack = subparsers.add_parser(
        "pack",
        help="the board pack (PDF or PowerPoint) for one period and district",
        description="Cover, summary of every KPI and one page (or slide) per KPI with its SPC "
        "chart, for one period of a grain, for the force or one district.",
    )
    add_source_options(pack)
    pack.add_argument("--grain", required=True, choices=[grain.value for grain in Grain])
    pack.add_argument(
        "--period", required=True, help="the reporting period's label, e.g. '2024/25 Q1'"
    )
    pack.add_argument("--district", help="a district name (default: the force as a whole)")
    pack.add_argument(
        "--format",
        choices=FORMATS,
        help="pdf or pptx (default: from the --output file's extension, else pdf)",
    )
    pack.add_argument("--output", required=True, help="file to write ('-': standard output)")
    pack.add_argument(
        "--suppress-small-counts",
        action="store_true",
        help="district counts 1 to 7 shown as *, others rounded to the nearest 5 (for packs "
        "that leave the meeting)",
    )
    pack.add_argument(
        "--force-name",
        default=default_force_name(),
        help=f"the force named on the cover (default: ${FORCE_NAME_ENV}, else the demo's name)",
    )
    pack.add_argument(
        "--domestic-abuse",
        choices=[choice.value for choice in DomesticAbuse],
        default=DomesticAbuse.ALL.value,
        help="all records, only domestic abuse (da) or only non-domestic abuse (non_da)",
    )
    pack.add_argument(
        "--demand-outlook",
        action="store_true",
        help="add the Demand outlook: the next four quarters of each count, by district",
    )
    pack.add_argument(
        "--app-database-url",
        default=None,
        help="app database with commentary and actions (default: $KPI_APP_DATABASE_URL, else "
        "data/app.sqlite when that file exists; none: blank commentary boxes)",
    )
    return pack


def pack_format(output: str, chosen: str | None) -> str:
    """The format: as chosen, else from the output's extension, else PDF; never contradictory."""
    suffix = Path(output).suffix.lower().lstrip(".")
    if chosen is None:
        return suffix if suffix in FORMATS else "pdf"
    if suffix in FORMATS and suffix != chosen:
        raise ValueError(f"--format {chosen} does not match the --output file {output!r}")
    return chosen


def run_pack(args: argparse.Namespace, progress) -> None:
    """Read the source, compute the KPIs at the grain, and write the pack."""
    require_database_url(args)
    try:
        fmt = pack_format(args.output, args.format)
    except ValueError as error:
        raise UsageError(str(error)) from None
    check_output(args.output)
    validated = load_validated(args, progress)
    progress.done()
    facts = prepare_facts(validated).filtered(DomesticAbuse(args.domestic_abuse))
    if facts.last_date is None:
        raise UsageError("the database has no valid records: there is nothing to put in a pack")
    as_at = as_at_of(args, facts)
    grain = Grain(args.grain)
    district = args.district or ALL_DISTRICTS
    kpis = with_provisional(compute_kpis(facts, grain), grain, as_at)
    try:
        record = pack_meeting_record(args, kpis, grain, district)
        data = build_pack(
            kpis,
            grain=grain,
            period=args.period,
            extract_date=as_at,
            district=district,
            fmt=fmt,
            suppress_small_counts=args.suppress_small_counts,
            force_name=args.force_name,
            domestic_abuse=DomesticAbuse(args.domestic_abuse),
            progress=progress.stage,
            record=record,
            not_collected=facts.unavailable,
        )
    except PackError as error:
        raise UsageError(str(error)) from None
    if args.demand_outlook:
        from packs.demand import add_demand_outlook, demand_outlook

        outlook = demand_outlook(facts)
        data = add_demand_outlook(data, fmt, outlook, district, facts.last_date)
    progress.done()
    note_as_at(as_at, progress)
    if args.output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    Path(args.output).write_bytes(data)
    where = FORCE_LABEL if district == ALL_DISTRICTS else district
    progress.note(f"wrote {args.output}: {fmt} board pack, {where}, {args.period.strip()}")
