"""``kpi pack --app-database-url``: the commentary and actions a command-line pack prints."""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path

import polars as pl
import sqlalchemy as sa

from meeting import APP_DATABASE_URL_ENV, DEFAULT_APP_DATABASE_URL, Store, Unavailable
from metrics import Grain
from packs.content import check_options
from packs.meeting_record import PackRecord, pack_record


def _url(args: argparse.Namespace) -> str | None:
    """The app database asked for; the default file only when it exists (no file is created)."""
    if args.app_database_url:
        return args.app_database_url
    if os.environ.get(APP_DATABASE_URL_ENV):
        return os.environ[APP_DATABASE_URL_ENV]
    default = Path(sa.engine.make_url(DEFAULT_APP_DATABASE_URL).database or "")
    return DEFAULT_APP_DATABASE_URL if default.is_file() else None


def pack_meeting_record(
    args: argparse.Namespace, kpis: pl.DataFrame, grain: Grain, district: str
) -> PackRecord | None:
    """The record for the pack, or None without an app database.

    A database that was asked for but cannot be read is an error (a pack without the meeting's
    commentary should not pass for one with it); ``PackError`` for a bad period or district
    comes from ``check_options``, as ``build_pack`` would raise it.
    """
    from queries import SourceError

    url = _url(args)
    if url is None:
        return None
    start, place = check_options(kpis, grain, args.period, district)
    try:
        store = Store(url)
    except Unavailable as error:
        raise SourceError(str(error)) from None
    try:
        return pack_record(
            store,
            grain=grain,
            period_label=kpis.filter(pl.col("period_start") == start)["period_label"][0],
            period_start=start,
            district=place,
            as_of=dt.date.today(),
        )
    finally:
        store.close()
