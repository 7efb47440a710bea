"""The options every command that reads a source shares, and reading it: one place for both."""

from __future__ import annotations

import argparse
import os

from kpi.as_at_option import add_as_at
from kpi.usage import UsageError
from presentation.settings import DATABASE_URL_ENV
from queries import SourceError, Validated, load_source
from queries.query_files import QUERIES_DIR_ENV
from queries.validation import unreconciled


def add_source_options(parser: argparse.ArgumentParser) -> None:
    """``--database-url``, ``--queries`` and ``--as-at``."""
    parser.add_argument(
        "--database-url",
        default=os.environ.get(DATABASE_URL_ENV),
        help="SQLAlchemy URL of the source database, or a folder of extract files "
        f"(default: ${DATABASE_URL_ENV})",
    )
    parser.add_argument(
        "--queries",
        metavar="DIR",
        default=os.environ.get(QUERIES_DIR_ENV) or None,
        help="folder of mapping queries, one <table>.sql per contract table "
        f"(default: ${QUERIES_DIR_ENV})",
    )
    add_as_at(parser)


def require_database_url(args: argparse.Namespace) -> str:
    """The source's URL, or a usage error naming the option and the variable."""
    if not args.database_url:
        raise UsageError(f"--database-url is required (or set ${DATABASE_URL_ENV})")
    return args.database_url


def load_validated(args: argparse.Namespace, progress) -> Validated:
    """The source read and validated; refused when a row went missing on the way."""
    validated = load_source(
        args.database_url, progress=progress.rows, queries_dir=getattr(args, "queries", None)
    )
    progress.done()
    lost = unreconciled(validated.reconciliation)
    if lost:
        raise SourceError(
            f"rows do not reconcile in {', '.join(lost)}: read ≠ used + with errors; "
            "a row was lost between the source and the metrics (please report this)"
        )
    return validated
