"""Commentary and actions as frames, with the columns of `kpi notes list` and the actions list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import polars as pl

from meeting.store import Action, Commentary

NOTES_COLUMNS = (
    "metric_id",
    "grain",
    "period_label",
    "district",
    "version",
    "author",
    "saved_at",
    "what",
    "why",
    "doing",
)
ACTIONS_COLUMNS = (
    "action_id",
    "title",
    "owner",
    "due",
    "status",
    "metric_id",
    "district",
    "meeting",
    "created_at",
    "updated_at",
)


def timestamp(value: dt.datetime) -> str:
    """A stored UTC time as ISO 8601 text with its zone."""
    return f"{value:%Y-%m-%dT%H:%M:%S}Z"


def commentary_frame(rows: Iterable[Commentary]) -> pl.DataFrame:
    records = [
        {
            "metric_id": row.key.metric_id,
            "grain": row.key.grain,
            "period_label": row.key.period_label,
            "district": row.key.district,
            "version": row.version,
            "author": row.author,
            "saved_at": timestamp(row.saved_at),
            "what": row.what,
            "why": row.why,
            "doing": row.doing,
        }
        for row in rows
    ]
    schema = dict.fromkeys(NOTES_COLUMNS, pl.String) | {"version": pl.Int64}
    return pl.DataFrame(records, schema=schema)


def actions_frame(rows: Iterable[Action]) -> pl.DataFrame:
    records = [
        {
            "action_id": row.id,
            "title": row.title,
            "owner": row.owner,
            "due": row.due,
            "status": row.status,
            "metric_id": row.metric_id,
            "district": row.district,
            "meeting": row.meeting,
            "created_at": timestamp(row.created_at),
            "updated_at": timestamp(row.updated_at),
        }
        for row in rows
    ]
    schema = dict.fromkeys(ACTIONS_COLUMNS, pl.String) | {
        "action_id": pl.Int64,
        "due": pl.Date,
        "meeting": pl.Date,
    }
    return pl.DataFrame(records, schema=schema)
