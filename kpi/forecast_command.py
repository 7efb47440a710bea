"""``kpi forecast``: the demand outlook of a count metric, by district, with measured intervals.

``kpi/cli.py`` adds the command with ``add_parser(commands)`` and runs it with
``run(args, progress)``. A metric that is not a count, or too little history, is one line.
"""

from __future__ import annotations

import argparse

import polars as pl

from kpi.as_at_option import as_at_of, note_as_at
from kpi.source_options import add_source_options, load_validated, require_database_url
from metrics import ALL_DISTRICTS, REGISTRY, Grain, compute_kpis, prepare_facts
from metrics.forecast import SEASON, ForecastError, forecast_metrics

FORMATS = ("csv", "json")


def _horizon(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None
    if not 1 <= value <= 60:
        raise argparse.ArgumentTypeError(f"must be between 1 and 60 periods, not {text}")
    return value


def add_parser(commands) -> argparse.ArgumentParser:
    """Add ``forecast`` to the ``kpi`` subcommands."""
    parser = commands.add_parser(
        "forecast",
        help="forecast a count metric by district, with 80%% and 95%% intervals",
        description="Forecast demand (a count metric) for the force and each district. Each "
        "series' model (seasonal naive, ETS or Theta) is chosen by a rolling-origin backtest.",
    )
    add_source_options(parser)
    parser.add_argument("--metric", required=True, metavar="ID", help="a count metric's id")
    parser.add_argument("--grain", required=True, choices=[grain.value for grain in SEASON])
    parser.add_argument(
        "--horizon", required=True, type=_horizon, help="how many periods ahead to forecast"
    )
    parser.add_argument("--district", metavar="NAME", help="only this district (or All)")
    parser.add_argument("--format", choices=FORMATS, default="csv")
    parser.add_argument("--output", help="file to write (default: standard output)")
    parser.add_argument(
        "--backtest",
        action="store_true",
        help="print each candidate's MASE and 80%%/95%% coverage per series, and the choice",
    )
    return parser


def run(args: argparse.Namespace, progress) -> None:
    """Read the source, compute the metric's KPIs at the grain, and write the forecast."""
    from kpi.cli import UsageError, _known
    from kpi.output import check_output, emit, render

    metric_id = _known(args.metric, REGISTRY.ids, "metric")
    metric = REGISTRY.get(metric_id)
    require_database_url(args)
    check_output(args.output)
    if metric.kind not in ("count", "distinctcount"):
        raise UsageError(f"{metric_id} is a {metric.kind}, not a count: only counts are forecast")
    validated = load_validated(args, progress)
    facts = prepare_facts(validated)
    if facts.last_date is None:
        raise UsageError("the database has no valid records: there is nothing to forecast")
    districts = None
    if args.district:
        districts = [
            _known(args.district, [ALL_DISTRICTS, *facts.districts["district"]], "district")
        ]
    grain = Grain(args.grain)
    kpis = compute_kpis(facts, grain, [metric])
    as_at = as_at_of(args, facts)
    try:
        outlook = forecast_metrics(
            kpis,
            [metric],
            grain,
            args.horizon,
            as_at,
            districts=districts,
            first_date=facts.first_date,
        )
    except ForecastError as error:
        raise UsageError(str(error)) from None
    result = outlook.backtest if args.backtest else outlook.forecasts
    if args.format == "csv":
        result = result.with_columns(pl.col(pl.Float64).round(3))
    emit(render(result, args.format), args.output)
    note_as_at(as_at, progress)
    window = outlook.windows[metric_id]
    progress.note(
        f"{metric_id}: models learnt from {window.periods} {grain.value}s, "
        f"{window.first:%b %Y} to {window.last:%b %Y}"
        + (f" ({window.note})" if window.note else "")
    )
