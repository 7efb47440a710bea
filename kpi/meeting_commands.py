"""``kpi notes``, ``kpi actions`` and ``kpi app-db``: the meeting's record from a terminal.

``kpi/cli.py`` adds the commands with ``add_meeting_parsers(commands)`` and runs them through
``MEETING_COMMANDS``. The command line is the operator's own tool, so it writes force-wide; the
author of a note is whatever ``--author`` says. A district named in ``kpi notes add`` or
``kpi actions add`` is checked against the source database when ``--database-url`` (or
``$KPI_DATABASE_URL``) is set; without one, any plausible name (one line, at most 200
characters) is accepted, since the app database does not know the force's districts.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from meeting import (
    APP_DATABASE_URL_ENV,
    SECTIONS,
    STATUSES,
    Editor,
    NotAllowed,
    Refused,
    Store,
    Unavailable,
    actions_frame,
    app_database_url,
    check_key,
    commentary_frame,
)
from meeting.checks import check_district, check_grain, check_metric, check_period, parse_date
from metrics import ALL_DISTRICTS, Grain
from presentation.settings import DATABASE_URL_ENV
from queries.query_files import QUERIES_DIR_ENV


def _add_app_database_url(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--app-database-url",
        default=None,
        help=f"SQLAlchemy URL of the app database (default: ${APP_DATABASE_URL_ENV}, else "
        "data/app.sqlite in the current folder, created on first use)",
    )


def _add_source_url(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database-url",
        default=os.environ.get(DATABASE_URL_ENV),
        help=f"source database, to check district names (default: ${DATABASE_URL_ENV}; "
        "without one, district names are not checked against the data)",
    )
    parser.add_argument(
        "--queries",
        metavar="DIR",
        default=os.environ.get(QUERIES_DIR_ENV) or None,
        help=f"folder of mapping queries for the source (default: ${QUERIES_DIR_ENV})",
    )


def add_meeting_parsers(subparsers) -> None:
    """Add ``notes``, ``actions`` and ``app-db`` to the ``kpi`` subcommands."""
    notes = subparsers.add_parser("notes", help="commentary on a KPI for one period and district")
    notes_commands = notes.add_subparsers(dest="notes_command", required=True)
    add = notes_commands.add_parser("add", help="save a new version of a commentary")
    _add_app_database_url(add)
    _add_source_url(add)
    add.add_argument("--metric", required=True, metavar="ID")
    add.add_argument("--grain", required=True, choices=[grain.value for grain in Grain])
    add.add_argument("--period", required=True, metavar="LABEL", help="e.g. '2024/25 Q1'")
    add.add_argument("--district", default=ALL_DISTRICTS, help="a district (default: All)")
    add.add_argument("--author", required=True, metavar="NAME")
    for name, words in SECTIONS.items():
        add.add_argument(f"--{name}", default="", metavar="TEXT", help=words)
    listing = notes_commands.add_parser("list", help="saved commentary as CSV")
    _add_app_database_url(listing)
    listing.add_argument("--metric", metavar="ID")
    listing.add_argument("--grain", choices=[grain.value for grain in Grain])
    listing.add_argument("--period", metavar="LABEL")
    listing.add_argument("--district")
    listing.add_argument("--all-versions", action="store_true", help="every saved version")
    listing.add_argument("--format", choices=("csv",), default="csv")

    actions = subparsers.add_parser("actions", help="the action log")
    action_commands = actions.add_subparsers(dest="actions_command", required=True)
    new = action_commands.add_parser("add", help="record an action; prints its id")
    _add_app_database_url(new)
    _add_source_url(new)
    new.add_argument("--title", required=True)
    new.add_argument("--owner", required=True)
    new.add_argument("--due", required=True, metavar="YYYY-MM-DD")
    new.add_argument("--metric", metavar="ID")
    new.add_argument("--district", help="a district (default: the force, All)")
    new.add_argument("--meeting", metavar="YYYY-MM-DD", help="the meeting that agreed it")
    new.add_argument("--author", default="command line", help="who records it")
    update = action_commands.add_parser("update", help="change an action's status, due or owner")
    _add_app_database_url(update)
    update.add_argument("id", type=int)
    update.add_argument("--status", choices=STATUSES)
    update.add_argument("--due", metavar="YYYY-MM-DD")
    update.add_argument("--owner")
    update.add_argument("--author", default="command line", help="who records the change")
    log = action_commands.add_parser("list", help="the action log as CSV")
    _add_app_database_url(log)
    log.add_argument("--status", choices=STATUSES)
    log.add_argument("--district")
    log.add_argument("--metric", metavar="ID")
    log.add_argument("--format", choices=("csv",), default="csv")

    app_db = subparsers.add_parser("app-db", help="the app database's schema")
    app_db_commands = app_db.add_subparsers(dest="app_db_command", required=True)
    _add_app_database_url(app_db_commands.add_parser("upgrade", help="apply the migrations"))


def _store(args: argparse.Namespace) -> Store:
    url, _origin = app_database_url(args.app_database_url)
    return Store(url)


def _known_districts(args: argparse.Namespace, progress) -> list[str] | None:
    """The source's districts when a source database is given; None otherwise."""
    if not args.database_url:
        return None
    from kpi.source_options import load_validated
    from metrics import prepare_facts

    return prepare_facts(load_validated(args, progress)).districts["district"].to_list()


def _notes(args: argparse.Namespace, progress) -> None:
    if args.notes_command == "add":
        check_key(args.metric, args.grain, args.period, args.district)  # before a slow read
        known = _known_districts(args, progress)
        key = check_key(args.metric, args.grain, args.period, args.district, known)
        texts = {name: getattr(args, name) for name in SECTIONS}
        store = _store(args)
        saved = store.save_commentary(Editor(args.author, None), key, texts, based_on=None)
        store.close()
        progress.note(
            f"saved version {saved.version} of {key.metric_id}, {key.period_label}, {key.district}"
        )
        return
    metric_id = check_metric(args.metric) if args.metric else None
    period = args.period
    if period is not None:
        period = _any_grain_label(period, args.grain)
    district = check_district(args.district, None) if args.district else None
    store = _store(args)
    rows = store.list_commentary(
        metric_id=metric_id,
        grain=args.grain,
        period_label=period,
        districts=None if district is None else [district],
        all_versions=args.all_versions,
    )
    store.close()
    sys.stdout.write(commentary_frame(rows).write_csv())


def _any_grain_label(label: str, grain: str | None) -> str:
    """The label checked at its grain, or at whichever grain it names when none is given."""
    if grain:
        return check_period(label, check_grain(grain))
    for each in Grain:
        try:
            return check_period(label, each)
        except Refused:
            continue
    raise Refused(f"unknown period {label!r}: not a label like 2024-04, 2024/25 Q1 or 2024/25")


def _actions(args: argparse.Namespace, progress) -> None:
    if args.actions_command == "add":
        due = parse_date(args.due, "due date")
        meeting = parse_date(args.meeting, "meeting date") if args.meeting else None
        if args.metric:
            check_metric(args.metric)
        known = _known_districts(args, progress)
        store = _store(args)
        action = store.add_action(
            Editor(args.author, None),
            title=args.title,
            owner=args.owner,
            due=due,
            metric_id=args.metric,
            district=args.district,
            meeting=meeting,
            known_districts=known,
        )
        store.close()
        sys.stdout.write(f"{action.id}\n")
        return
    if args.actions_command == "update":
        due = parse_date(args.due, "due date") if args.due else None
        store = _store(args)
        store.update_action(
            Editor(args.author, None), args.id, status=args.status, due=due, owner=args.owner
        )
        store.close()
        return
    metric_id = check_metric(args.metric) if args.metric else None
    district = check_district(args.district, None) if args.district else None
    store = _store(args)
    rows = store.list_actions(
        districts=None if district is None else [district], status=args.status, metric_id=metric_id
    )
    store.close()
    sys.stdout.write(actions_frame(rows).write_csv(date_format="%Y-%m-%d", null_value=""))


def _app_db(args: argparse.Namespace, progress) -> None:
    store = _store(args)
    store.close()
    progress.note(f"the app database {store.label} is up to date")


def _guarded(run: Callable[[argparse.Namespace, object], None]):
    """Meeting errors as the ``kpi`` command reports them: one line, a usage or a data error."""

    def guarded(args: argparse.Namespace, progress) -> None:
        from kpi.cli import UsageError
        from queries import SourceError

        try:
            run(args, progress)
        except (Refused, NotAllowed) as error:
            raise UsageError(str(error)) from None
        except Unavailable as error:
            raise SourceError(str(error)) from None

    return guarded


MEETING_COMMANDS = {
    "notes": _guarded(_notes),
    "actions": _guarded(_actions),
    "app-db": _guarded(_app_db),
}
