"""A cheap fingerprint of a source's data: it changes whenever the data may have changed.

For a SQLite file, its size and modification time; for a folder of extract files, each
file's; for a server database, per table, the row count and the latest value of each
timestamp column (one small aggregate query per table, or per query file), so that a
changed source is read again and never served from a stale cache.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import sqlalchemy as sa

from queries.contract import Kind
from queries.folder import is_folder
from queries.source import SourceError, _Database, _first_line, normalise_url, sqlite_path


def source_fingerprint(url: str, queries_dir: str | Path | None = None) -> str:
    """A digest that changes when the source's data (or its query files) change."""
    parts = [f"queries:{_queries_digest(queries_dir)}"]
    if is_folder(url):
        for path in sorted(Path(url).iterdir()):
            stat = path.stat()
            parts.append(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}")
        return _digest(parts)
    path = sqlite_path(normalise_url(url))
    if path is not None:
        try:
            stat = path.stat()
        except OSError as error:
            raise SourceError(f"SQLite database file not found: {path} ({error})") from None
        parts.append(f"file:{stat.st_size}:{stat.st_mtime_ns}")
        return _digest(parts)
    database = _Database(url, queries_dir)
    try:
        found = database.inspect()
        with database.engine.connect() as connection:
            for name, table in sorted(found.items()):
                relation = database.relation(table)
                timestamps = [
                    c.name
                    for c in table.declared.columns
                    if c.kind == Kind.TIMESTAMP and c.name in table.present
                ]
                query = sa.select(
                    sa.func.count(),
                    *(sa.func.max(relation.c[column]) for column in timestamps),
                ).select_from(relation)
                parts.append(f"{name}:{table.how}:{tuple(connection.execute(query).one())}")
    except sa.exc.SQLAlchemyError as error:
        raise SourceError(f"cannot reach {database.label}: {_first_line(error)}") from None
    finally:
        database.engine.dispose()
    return _digest(parts)


def _queries_digest(queries_dir: str | Path | None) -> str:
    if not queries_dir:
        return "none"
    folder = Path(queries_dir)
    files = sorted(folder.glob("*.sql")) if folder.is_dir() else []
    return _digest(f"{p.name}:{hashlib.sha256(p.read_bytes()).hexdigest()}" for p in files)


def _digest(parts) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()
