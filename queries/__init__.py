"""Data in: the source contract, read-only SQLAlchemy reads into polars, and validation."""

from queries.contract import TABLES
from queries.source import Progress, SourceError, connect, describe, read_source
from queries.validation import Validated, describe_rule, validate


def load_source(url: str, progress: Progress | None = None) -> Validated:
    """Read every contract table from the source and validate it."""
    return validate(read_source(url, progress, parsed=True), release=True)


__all__ = [
    "TABLES",
    "SourceError",
    "Validated",
    "connect",
    "describe",
    "describe_rule",
    "load_source",
    "read_source",
    "validate",
]
