"""Read-only access to a force's source database, from any SQLAlchemy URL, into polars."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import sqlalchemy as sa

from queries import readers
from queries.contract import TABLES, Table

Progress = Callable[[str, int], None]
"""Called with a table name and the rows read from it so far."""

# Plain engine names map to the drivers this project installs.
_DEFAULT_DRIVERS = {
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
    "mysql": "mysql+pymysql",
    "mariadb": "mariadb+pymysql",
}


class SourceError(Exception):
    """The source cannot be read; the message is one line a user can act on."""


@dataclass(frozen=True)
class DateRange:
    """An optional window on the period dates, pushed down into SQL when the user narrows it."""

    start: dt.date | None = None
    end: dt.date | None = None  # exclusive


def normalise_url(url: str) -> sa.URL:
    """Parse a database URL, choosing this project's driver where the URL names none."""
    if not isinstance(url, str) or not url.strip():
        raise SourceError("no database URL given")
    try:
        parsed = sa.make_url(url.strip())
    except sa.exc.ArgumentError:
        raise SourceError(f"not a database URL: {url!r}") from None
    driver = _DEFAULT_DRIVERS.get(parsed.drivername)
    if driver:
        parsed = parsed.set(drivername=driver)
    return parsed


def sqlite_path(url: sa.URL) -> Path | None:
    """The file behind a SQLite URL, or None for other engines."""
    if url.get_backend_name() != "sqlite":
        return None
    database = url.database or ""
    if database.startswith("file:"):
        database = database.removeprefix("file:").split("?", 1)[0]
    if database in ("", ":memory:"):
        raise SourceError("an in-memory SQLite database has no data to read; give a file path")
    return Path(database)


def describe(url: str | sa.URL) -> str:
    """The URL without its password, for messages and captions."""
    try:
        parsed = url if isinstance(url, sa.URL) else normalise_url(url)
    except SourceError:
        return "<invalid URL>"
    return parsed.render_as_string(hide_password=True)


def connect(url: str) -> sa.Engine:
    """A read-only engine: SQLite opened with mode=ro, other engines in read-only sessions."""
    parsed = normalise_url(url)
    backend = parsed.get_backend_name()
    path = sqlite_path(parsed)
    try:
        if path is not None:
            if not path.is_file():
                raise SourceError(f"SQLite database file not found: {path}")
            uri = sqlite_uri(path)
            engine = sa.create_engine(
                "sqlite://", creator=lambda: _sqlite3_connect(uri), poolclass=sa.pool.NullPool
            )
        elif backend == "postgresql":
            engine = sa.create_engine(
                parsed,
                connect_args={
                    "options": _pg_options(parsed, "-c default_transaction_read_only=on")
                },
                poolclass=sa.pool.NullPool,
            )
        else:
            engine = sa.create_engine(parsed, poolclass=sa.pool.NullPool)
            if backend in ("mysql", "mariadb"):
                sa.event.listen(engine, "connect", _mysql_read_only)
    except SourceError:
        raise
    except (sa.exc.NoSuchModuleError, ImportError) as error:
        raise SourceError(f"no driver for {describe(parsed)}: {error}") from None
    except sa.exc.ArgumentError as error:
        raise SourceError(f"bad database URL {describe(parsed)}: {error}") from None
    return engine


def sqlite_uri(path: Path) -> str:
    """A read-only URI: SQLite itself refuses any write, and never creates the file."""
    return f"file:{path.resolve().as_posix()}?mode=ro"


def _sqlite3_connect(uri: str):
    import sqlite3

    return sqlite3.connect(uri, uri=True, check_same_thread=False)


def _pg_options(url: sa.URL, extra: str) -> str:
    existing = url.query.get("options", "")
    if isinstance(existing, tuple):
        existing = " ".join(existing)
    return f"{existing} {extra}".strip()


def _mysql_read_only(dbapi_connection, _record) -> None:
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET SESSION TRANSACTION READ ONLY")


def check_tables(engine: sa.Engine, label: str) -> None:
    """Fail with one clear line when a contract table or column is missing."""
    try:
        inspector = sa.inspect(engine)
        missing: list[str] = []
        for table in TABLES:
            try:
                present = {column["name"] for column in inspector.get_columns(table.name)}
            except sa.exc.NoSuchTableError:
                missing.append(f"table {table.name}")
                continue
            missing.extend(
                f"column {table.name}.{name}" for name in table.column_names if name not in present
            )
    except sa.exc.SQLAlchemyError as error:
        raise SourceError(f"cannot reach {label}: {_first_line(error)}") from None
    if missing:
        raise SourceError(f"{label} is missing {', '.join(missing)}")


def _first_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def table_select(table: Table, engine: sa.Engine) -> sa.Select:
    """Only the contract's columns; on SQLite, as text, because its columns hold any type."""
    metadata_table = sa.table(table.name, *(sa.column(name) for name in table.column_names))
    if engine.dialect.name == "sqlite":
        columns = [
            sa.cast(metadata_table.c[name], sa.Text).label(name) for name in table.column_names
        ]
    else:
        columns = [metadata_table.c[name] for name in table.column_names]
    return sa.select(*columns)


def read_source(url: str, progress: Progress | None = None) -> dict[str, pl.DataFrame]:
    """Every contract table as a raw polars frame (values as stored, not yet parsed)."""
    engine = connect(url)
    try:
        check_tables(engine, describe(url))
        path = sqlite_path(normalise_url(url))
        uri = sqlite_uri(path) if path else None
        label = describe(url)
        return {table.name: _read_table(engine, table, label, progress, uri) for table in TABLES}
    finally:
        engine.dispose()


def _read_table(
    engine: sa.Engine, table: Table, label: str, progress: Progress | None, uri: str | None
) -> pl.DataFrame:
    query = table_select(table, engine)
    try:
        frame = readers.read(engine, query, table.column_names, table.name, progress, uri)
    except sa.exc.SQLAlchemyError as error:
        raise SourceError(f"cannot read {table.name} from {label}: {_first_line(error)}") from None
    except readers.ReadError as error:
        raise SourceError(f"cannot read {table.name} from {label}: {error}") from None
    return frame
