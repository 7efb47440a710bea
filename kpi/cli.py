"""The ``kpi`` command: demo data, KPIs, validation and the metric catalogue from a terminal."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import polars as pl

from kpi import compare_command, dashboard_command, forecast_command
from kpi.as_at_option import as_at_of, note_as_at
from kpi.departments import add_departments_parser, run_departments
from kpi.doctor import add_doctor_parser, run_doctor
from kpi.errors import log_unexpected
from kpi.meeting_commands import MEETING_COMMANDS, add_meeting_parsers
from kpi.output import FORMATS, check_output, emit, kpi_text_values, render
from kpi.pack_command import add_pack_parser, run_pack
from kpi.progress import Progress
from kpi.series import InputError, read_series_csv
from kpi.source_options import add_source_options, load_validated, require_database_url
from kpi.usage import UsageError
from metrics import ALL_DISTRICTS, REGISTRY, DomesticAbuse, Grain, compute_kpis, prepare_facts
from metrics.as_at import AsAtError
from metrics.kpi_spc import add_spc
from metrics.provisional import provisional_last, with_provisional
from metrics.spc import TABLE_COLUMNS, SpcOptions, spc_chart, spc_summary
from presentation.settings import DATABASE_URL_ENV
from presentation.spc_words import assurance_sentence, variation_sentence
from queries import SourceError
from queries.redact import redact


class _Parser(argparse.ArgumentParser):
    """argparse, but a bad argument is one line on stderr rather than usage text."""

    def error(self, message: str):  # type: ignore[override]
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _fraction(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, not {text}")
    return value


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date like 2023-06-01: {text!r}") from None


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text}")
    return value


def _add_database_url(parser: argparse.ArgumentParser) -> None:
    add_source_options(parser)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="kpi", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    demo = commands.add_parser("demo-data", help="generate the synthetic demo database (SQLite)")
    demo.add_argument("--output", required=True, help="path of the SQLite file to create")
    demo.add_argument("--crimes", type=_positive, default=None, help="number of crime rows")
    demo.add_argument("--seed", type=int, default=None, help="random seed (same seed, same data)")
    demo.add_argument(
        "--dirty-fraction", type=_fraction, default=0.0, help="share of invalid rows to inject"
    )
    demo.add_argument("--overwrite", action="store_true", help="replace an existing file")

    compute = commands.add_parser("compute", help="compute every KPI at one grain")
    _add_database_url(compute)
    compute.add_argument("--grain", required=True, choices=[grain.value for grain in Grain])
    compute.add_argument("--format", choices=FORMATS, default="csv")
    compute.add_argument("--output", help="file to write (default: standard output)")
    compute.add_argument(
        "--domestic-abuse",
        choices=[choice.value for choice in DomesticAbuse],
        default=DomesticAbuse.ALL.value,
        help="all records, only domestic abuse (da) or only non-domestic abuse (non_da)",
    )
    compute.add_argument(
        "--metric", action="append", metavar="ID", help="only this metric (repeatable)"
    )
    compute.add_argument(
        "--district", action="append", metavar="NAME", help="only this district (repeatable)"
    )
    compute.add_argument(
        "--spc",
        action="store_true",
        help="add spc_mean, spc_lower, spc_upper, spc_point_type over each metric's series",
    )

    spc = commands.add_parser("spc", help="SPC (XmR) chart of any series: period_start,value CSV")
    spc.add_argument("--input", required=True, help="CSV with columns period_start,value")
    spc.add_argument("--direction", choices=("up", "down", "neutral"), default="neutral")
    spc.add_argument("--target", type=float, help="target value (for the assurance icon)")
    spc.add_argument("--screen-outliers", action="store_true", help="screen moving-range outliers")
    spc.add_argument(
        "--rebase", nargs="+", default=(), type=_date, metavar="DATE", help="recalculate limits"
    )
    spc.add_argument("--two-in-three", choices=("mdc", "nhsr"), default="mdc")
    spc.add_argument("--run-length", type=int, choices=(6, 7), default=7)
    spc.add_argument("--summary", action="store_true", help="print the variation and assurance")
    spc.add_argument("--output", help="file to write (default: standard output)")

    validate = commands.add_parser("validate", help="the data-quality report: rows left out")
    _add_database_url(validate)
    validate.add_argument("--format", choices=FORMATS, default="csv")
    validate.add_argument("--output", help="file to write (default: standard output)")

    add_pack_parser(commands)
    add_doctor_parser(commands, _add_database_url)
    add_departments_parser(commands, _add_database_url)
    compare_command.add_parser(commands)
    forecast_command.add_parser(commands)
    dashboard_command.add_parser(commands)
    add_meeting_parsers(commands)

    catalogue = commands.add_parser("metrics", help="the metric catalogue, from the registry")
    catalogue.add_argument("--format", choices=(*FORMATS, "table"), default="table")
    return parser


def _known(value: str, known: Sequence[str], what: str) -> str:
    """The value if it is one of ``known``; otherwise a usage error naming the valid ones."""
    if value in known:
        return value
    shown = value if len(value) <= 40 else value[:40] + "…"
    raise UsageError(f"unknown {what} {shown!r}; choose from: {', '.join(known)}")


def _load(args: argparse.Namespace, progress: Progress):
    require_database_url(args)
    return load_validated(args, progress)


def note_unavailable(facts, progress: Progress, metric_ids=None) -> None:
    """Name each metric the source cannot give, and why, on stderr (never a row of zeros)."""
    for metric_id, reason in facts.unavailable.items():
        if metric_ids is None or metric_id in metric_ids:
            progress.note(f"{metric_id} is unavailable: {reason}")


def _note_rows_left_out(validated, progress: Progress) -> None:
    for row in validated.reconciliation.iter_rows(named=True):
        if row["rows_with_errors"]:
            progress.note(
                f"{row['table']}: {row['rows_with_errors']:,} of {row['rows_read']:,} rows left "
                "out with errors (see 'kpi validate')"
            )


def run_demo_data(args: argparse.Namespace, progress: Progress) -> None:
    from demo.demo_data import DEFAULT_CRIMES, generate_demo

    # The demo is a file this command creates, so it may create the folder for it too.
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    options = {"crimes": args.crimes or DEFAULT_CRIMES, "dirty_fraction": args.dirty_fraction}
    if args.seed is not None:
        options["seed"] = args.seed
    written = generate_demo(
        args.output, overwrite=args.overwrite, progress=progress.stage, **options
    )
    progress.done()
    summary = ", ".join(f"{rows:,} {table}" for table, rows in written.items())
    progress.note(f"wrote {args.output}: {summary}")


def run_compute(args: argparse.Namespace, progress: Progress) -> None:
    check_output(args.output)
    chosen = [_known(metric_id, REGISTRY.ids, "metric") for metric_id in args.metric or []]
    validated = _load(args, progress)
    facts = prepare_facts(validated).filtered(DomesticAbuse(args.domestic_abuse))
    as_at = as_at_of(args, facts)
    districts = [ALL_DISTRICTS, *facts.districts["district"]]
    wanted = [_known(name, districts, "district") for name in args.district or []]
    kpis = compute_kpis(facts, Grain(args.grain), [REGISTRY.get(m) for m in chosen] or None)
    note_unavailable(facts, progress, set(chosen) or None)
    kpis = with_provisional(kpis, Grain(args.grain), as_at)
    if args.spc:
        kpis = add_spc(kpis)
    kpis = provisional_last(kpis)
    if wanted:
        kpis = kpis.filter(pl.col("district").is_in(wanted))
    if args.format == "csv":
        kpis = kpi_text_values(kpis)
    emit(render(kpis, args.format), args.output)
    note_as_at(as_at, progress)
    _note_rows_left_out(validated, progress)


def run_spc(args: argparse.Namespace, progress: Progress) -> None:
    check_output(args.output)
    dates, values = read_series_csv(args.input)
    options = SpcOptions(
        direction=args.direction,
        target=args.target,
        screen_outliers=args.screen_outliers,
        rebase=tuple(args.rebase),
        two_in_three=args.two_in_three,
        run_length=args.run_length,
    )
    chart = spc_chart(dates, values, options)
    if args.summary:
        summary = spc_summary(chart, options)
        result = pl.DataFrame(
            [
                {
                    "variation": summary.variation,
                    "side": summary.side,
                    "assurance": summary.assurance,
                    "variation_label": variation_sentence(summary.variation, options.direction),
                    "assurance_label": assurance_sentence(summary),
                }
            ]
        )
    else:
        result = chart.select(TABLE_COLUMNS)
    emit(render(result, "csv"), args.output)


def run_validate(args: argparse.Namespace, progress: Progress) -> None:
    check_output(args.output)
    validated = _load(args, progress)
    as_at = as_at_of(args, prepare_facts(validated))
    emit(render(validated.report, args.format), args.output)
    note_as_at(as_at, progress)
    for row in validated.reconciliation.iter_rows(named=True):
        progress.note(
            f"{row['table']}: {row['rows_read']:,} read = {row['rows_used']:,} used + "
            f"{row['rows_with_errors']:,} with errors; {row['rows_with_warnings']:,} with warnings"
        )


def run_metrics(args: argparse.Namespace, progress: Progress) -> None:
    catalogue = pl.DataFrame(
        [
            {
                "id": metric.id,
                "title": metric.title,
                "unit": metric.unit.value,
                "direction": metric.direction.value,
                "definition": metric.description,
                "inputs": " ".join(metric.inputs),
            }
            for metric in REGISTRY
        ]
    )
    if args.format == "table":
        for row in catalogue.iter_rows(named=True):
            sys.stdout.write(
                f"{row['id']}\n  {row['title']} [{row['unit']}, {row['direction']} is better]"
                f"\n  {row['definition']}\n  inputs: {row['inputs']}\n"
            )
        return
    emit(render(catalogue, args.format), None)


COMMANDS: dict[str, Callable[[argparse.Namespace, Progress], None]] = {
    "demo-data": run_demo_data,
    "compute": run_compute,
    "spc": run_spc,
    "pack": run_pack,
    "compare": compare_command.run,
    "forecast": forecast_command.run,
    "dashboard": dashboard_command.run,
    "validate": run_validate,
    "metrics": run_metrics,
    "doctor": run_doctor,
    "departments": run_departments,
    **MEETING_COMMANDS,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every failure is one line on stderr and a non-zero exit status."""
    progress = Progress(sys.stderr)
    try:
        args = build_parser().parse_args(argv)
        status = COMMANDS[args.command](args, progress)
    except (UsageError, AsAtError) as error:
        return _fail(progress, str(error), 2, argv)
    except SourceError as error:
        return _fail(progress, str(error), 1, argv)
    except (FileExistsError, FileNotFoundError, PermissionError, IsADirectoryError) as error:
        return _fail(progress, str(error), 1, argv)
    except InputError as error:
        return _fail(progress, str(error), 1, argv)
    except KeyboardInterrupt:
        return _fail(progress, "interrupted", 130, argv)
    except BrokenPipeError:
        return 0
    except Exception:  # the promise is no traceback, ever; KPI_DEBUG=1 shows one
        if os.environ.get("KPI_DEBUG"):
            raise
        reference, log = log_unexpected(_urls(argv))
        where = f"the details are in {log}" if log else "KPI_DEBUG=1 shows the details"
        return _fail(progress, f"unexpected error (reference {reference}); {where}", 1, argv)
    return int(status or 0)


def _urls(argv: Sequence[str] | None) -> list[str]:
    """Everything that may hold a password: the arguments and the URL in the environment."""
    return [*(sys.argv[1:] if argv is None else argv), os.environ.get(DATABASE_URL_ENV, "")]


def _fail(progress: Progress, message: str, status: int, argv: Sequence[str] | None = None) -> int:
    progress.done()
    first_line = message.strip().splitlines()[0] if message.strip() else "failed"
    sys.stderr.write(f"kpi: error: {redact(first_line, *_urls(argv))}\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
