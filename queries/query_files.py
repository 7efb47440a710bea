"""A force's own mapping queries: one SELECT per contract table, kept in a folder of SQL files.

Each file ``<table>.sql`` maps the force's schema onto the contract's columns. Only a
single ``SELECT`` (or ``WITH … SELECT``) is accepted: comments and one trailing semicolon
are allowed, anything else is refused before it reaches the database. The queries run on
the same read-only connections as the tables, so even a statement that slipped through
could not write.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlparse

from queries.contract import TABLES

QUERIES_DIR_ENV = "KPI_QUERIES_DIR"


class QueryFileError(Exception):
    """A query file that cannot be used; the message names the file."""


@dataclass(frozen=True)
class QueryFile:
    """One mapping query: the contract table it stands for, its file and its SELECT."""

    table: str
    path: Path
    sql: str


def load_query_files(folder: str | Path | None) -> dict[str, QueryFile]:
    """The folder's query files by table; tables without a file are read by name."""
    if folder is None or str(folder).strip() == "":
        return {}
    directory = Path(folder)
    if not directory.is_dir():
        raise QueryFileError(f"queries folder not found: {directory}")
    known = set(TABLES.names)
    unknown = sorted(p.name for p in directory.glob("*.sql") if p.stem not in known)
    if unknown:
        raise QueryFileError(
            f"{directory}: {', '.join(unknown)} name no contract table "
            f"(expected one of: {', '.join(f'{n}.sql' for n in TABLES.names)})"
        )
    files = {}
    for table in TABLES:
        path = directory / f"{table.name}.sql"
        if path.is_file():
            files[table.name] = QueryFile(table.name, path, checked_select(path))
    return files


def checked_select(path: Path) -> str:
    """The file's one SELECT, without comments or trailing semicolon; QueryFileError otherwise."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise QueryFileError(f"{path}: cannot be read ({error})") from None
    statements = [s for s in sqlparse.parse(text) if s.token_first(skip_cm=True) is not None]
    if not statements:
        raise QueryFileError(f"{path}: holds no query")
    if len(statements) > 1:
        raise QueryFileError(
            f"{path}: holds {len(statements)} statements; only one SELECT is allowed"
        )
    statement = statements[0]
    kind = statement.get_type()
    if kind != "SELECT":
        shown = "an unknown statement" if kind == "UNKNOWN" else f"a {kind} statement"
        raise QueryFileError(f"{path}: {shown}; only a SELECT or WITH … SELECT is allowed")
    sql = sqlparse.format(str(statement), strip_comments=True).strip().rstrip(";").strip()
    if ";" in _outside_literals(sql):
        raise QueryFileError(f"{path}: only one statement is allowed")
    return sql


def _outside_literals(sql: str) -> str:
    """The SQL with its string literals and quoted names taken out."""
    return "".join(
        token.value
        for token in sqlparse.parse(sql)[0].flatten()
        if token.ttype not in sqlparse.tokens.Literal.String.Single
        and token.ttype not in sqlparse.tokens.Literal.String.Symbol
    )
