"""Data in: the contract, read-only reads (tables, query files, extract folders), validation."""

from __future__ import annotations

from pathlib import Path

from queries.contract import TABLES
from queries.source import (
    Found,
    Progress,
    SourceError,
    SourceRead,
    connect,
    describe,
    read_on_demand,
    read_source,
    read_tables,
)
from queries.validation import Validated, describe_rule, validate


def load_source(
    url: str,
    progress: Progress | None = None,
    queries_dir: str | Path | None = None,
    today=None,
) -> Validated:
    """Read every contract table the source has and validate it, one table at a time.

    Each table is read when validation reaches it, so only the valid rows of the tables
    before it are held beside it.
    """
    order = [table.name for table in TABLES.validation_order()]
    read = read_on_demand(url, progress, queries_dir=queries_dir, order=order)
    try:
        return validate(read.frames, release=True, rows_read=read.rows_counted, today=today)
    finally:
        read.frames.close()


__all__ = [
    "TABLES",
    "Found",
    "SourceError",
    "SourceRead",
    "Validated",
    "connect",
    "describe",
    "describe_rule",
    "load_source",
    "read_source",
    "read_tables",
    "validate",
]
