"""Fast column-batch reads: SQLAlchemy builds the query, rows arrive as Arrow where possible.

Each engine has one fast path, chosen by measurement (see ``docs/performance.md``): SQLite
and PostgreSQL through ADBC (PostgreSQL's binary COPY), MySQL and MariaDB through
connectorx. Any other engine, and any failure of a fast path, reads through SQLAlchemy's
streaming rows instead: slower, but it reads whatever the engine holds. A fallback is
logged as a warning, never silent.
"""

from __future__ import annotations

import datetime as dt
import logging
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl
import sqlalchemy as sa
from sqlalchemy.dialects import mysql, postgresql

BATCH_ROWS = 200_000
# ADBC's SQLite driver returns 1,024 rows a batch unless told otherwise; 64 Ki rows a batch
# read a million crimes a sixth faster, and larger batches gain little for the memory they
# hold in flight (docs/performance.md).
SQLITE_BATCH_ROWS = 65_536
CONNECTORX_BATCH_ROWS = 65_536

ADBC_SQLITE = "adbc-sqlite"
ADBC_POSTGRESQL = "adbc-postgresql"
CONNECTORX_MYSQL = "connectorx-mysql"
SQLALCHEMY_ROWS = "sqlalchemy-rows"

Progress = Callable[[str, int], None]
Transform = Callable[[pl.DataFrame], pl.DataFrame]

log = logging.getLogger(__name__)


class ReadError(Exception):
    """A driver failed to read a query; the message is the driver's first line."""


@dataclass(frozen=True)
class FastPath:
    """A driver that returns Arrow column batches, and the connection string it takes."""

    driver: str
    uri: str
    setup: tuple[str, ...] = ()  # statements run first in the driver's session


def fast_path(
    url: sa.URL, sqlite_uri: str | None = None, setup: tuple[str, ...] = ()
) -> FastPath | None:
    """The fast path for an engine, or None where only SQLAlchemy's rows can read it."""
    backend = url.get_backend_name()
    if sqlite_uri is not None:
        return FastPath(ADBC_SQLITE, sqlite_uri)
    if backend == "postgresql":
        return FastPath(ADBC_POSTGRESQL, postgres_uri(url))
    if backend in ("mysql", "mariadb"):
        return FastPath(CONNECTORX_MYSQL, mysql_uri(url), setup)
    return None


def postgres_uri(url: sa.URL) -> str:
    """A libpq URI for the same server, database and options, always in read-only sessions.

    The URL's query parameters are libpq's own (psycopg passes them on unchanged), so they
    carry over; ``options`` keeps what the URL sets (``-csearch_path=...``) and gains
    ``-c default_transaction_read_only=on``.
    """
    from queries.source import statement_timeout_seconds

    query = {key: _joined(value) for key, value in url.query.items()}
    limits = (
        "-c default_transaction_read_only=on "
        f"-c statement_timeout={statement_timeout_seconds() * 1000}"
    )
    query["options"] = f"{query.get('options', '')} {limits}".strip()
    return _uri("postgresql", url, query)


def mysql_uri(url: sa.URL) -> str:
    """A connectorx URI for the same MySQL or MariaDB database (sessions made read-only)."""
    return _uri("mysql", url, {key: _joined(value) for key, value in url.query.items()})


def _joined(value: str | tuple[str, ...]) -> str:
    return " ".join(value) if isinstance(value, tuple) else value


def _uri(scheme: str, url: sa.URL, query: dict[str, str]) -> str:
    # Percent-encoding throughout: libpq decodes %20 but, unlike a form, not "+" as a space.
    def quote(text: str) -> str:
        return urllib.parse.quote(text, safe="")

    credentials = ""
    if url.username is not None:
        credentials = quote(url.username)
        if url.password is not None:
            credentials += ":" + quote(str(url.password))
        credentials += "@"
    host = url.host or ""
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    port = f":{url.port}" if url.port else ""
    database = f"/{quote(url.database)}" if url.database else ""
    parameters = "&".join(f"{quote(key)}={quote(value)}" for key, value in query.items())
    return f"{scheme}://{credentials}{host}{port}{database}" + (
        f"?{parameters}" if parameters else ""
    )


def read(
    engine: sa.Engine,
    query: sa.Select,
    columns: list[str],
    name: str,
    progress: Progress | None = None,
    path: FastPath | None = None,
    transform: Transform | None = None,
) -> tuple[pl.DataFrame, str]:
    """Run a SELECT; return its rows as one polars frame and the driver that read them.

    ``transform``, if given, is applied to each batch as it arrives (its rows must not depend
    on other batches), so that a whole table never has to exist in its raw form.
    """
    if path is not None:
        collector = _Collector(columns, name, progress, transform)
        try:
            if path.setup:
                _FAST_READERS[path.driver](path.uri, query, collector, path.setup)
            else:
                _FAST_READERS[path.driver](path.uri, query, collector)
        except ReadError as error:
            log.warning("%s: %s failed (%s); reading through SQLAlchemy", name, path.driver, error)
        else:
            return collector.result(), path.driver
    collector = _Collector(columns, name, progress, transform)
    _read_rows(engine, query, collector)
    return collector.result(), SQLALCHEMY_ROWS


class _Collector:
    """A table's batches as polars frames: named, transformed and counted as they arrive.

    The chunks are kept as they are: a rechunk would copy the whole table once more.
    """

    def __init__(
        self, columns: list[str], name: str, progress: Progress | None, transform: Transform | None
    ) -> None:
        self.columns, self.name, self.progress, self.transform = columns, name, progress, transform
        self.frames: list[pl.DataFrame] = []
        self.rows = 0
        self.empty: pl.DataFrame | None = None

    def add(self, frame: pl.DataFrame) -> None:
        if frame.width != len(self.columns):
            raise ReadError(f"expected {len(self.columns)} columns, got {frame.width}")
        frame = frame.rename(dict(zip(frame.columns, self.columns, strict=True)))
        if frame.height == 0:
            self.empty = frame
            return
        self.rows += frame.height
        self.frames.append(_owned(self.transform(frame)) if self.transform else frame)
        if self.progress:
            self.progress(self.name, self.rows)

    def result(self) -> pl.DataFrame:
        if not self.frames:
            empty = self.empty if self.empty is not None else _untyped(self.columns)
            return self.transform(empty) if self.transform else empty
        return pl.concat(self.frames, how="vertical_relaxed", rechunk=False)


def _owned(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with its text copied into buffers of its own.

    Polars takes a driver's Arrow text without copying it, and the driver frees a batch as a
    whole: one text column kept from a batch would keep all of it, raw timestamps included,
    in memory (490 MiB instead of 70 for the parsed tables of a million crimes).
    """
    text = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    return frame.with_columns(
        pl.concat_str([pl.col(name), pl.lit("")]).alias(name) for name in text
    )


def _untyped(columns: list[str]) -> pl.DataFrame:
    return pl.DataFrame({column: pl.Series([], dtype=pl.Null) for column in columns})


def _add_batches(batches, schema, collector: _Collector) -> None:
    """Arrow record batches into the collector, each as polars as soon as it arrives, so the
    driver's copy of the whole table never exists next to polars'."""
    for batch in batches:
        collector.add(pl.from_arrow(batch, rechunk=False))
    collector.add(pl.from_arrow(schema.empty_table()))


_SENTINEL = "__sentinel"


def _with_text_first_row(query: sa.Select) -> sa.CompoundSelect:
    """Put a row of empty strings first: ADBC's SQLite driver types each column by its first
    batch, so a column that starts with nulls would be typed as integers and fail on text."""
    data = query.add_columns(sa.literal_column("0").label(_SENTINEL))
    first = sa.select(
        *(sa.literal_column("''").label(column.name) for column in query.selected_columns),
        sa.literal_column("1").label(_SENTINEL),
    )
    return sa.union_all(first, data)


def _read_sqlite_adbc(uri: str, query: sa.Select, collector: _Collector) -> None:
    """SQLite through ADBC: Arrow batches straight from the C driver, no Python row objects."""
    try:
        import adbc_driver_sqlite.dbapi as adbc_sqlite
    except ImportError as error:
        raise ReadError(str(error)) from None
    from sqlalchemy.dialects import sqlite

    compiled = _with_text_first_row(query).compile(dialect=sqlite.dialect())
    parameters = [compiled.params[key] for key in (compiled.positiontup or [])]
    try:
        with adbc_sqlite.connect(uri) as connection, connection.cursor() as cursor:
            cursor.adbc_statement.set_options(
                **{"adbc.sqlite.query.batch_rows": str(SQLITE_BATCH_ROWS)}
            )
            cursor.execute(str(compiled), parameters or None)
            batches = cursor.fetch_record_batch()
            first = True
            for batch in batches:
                frame = pl.from_arrow(batch, rechunk=False)
                sentinel = frame[_SENTINEL]
                if first:
                    if frame.height == 0 or sentinel[0] != 1:
                        raise ReadError("SQLite did not return the typing row first")
                    frame, sentinel, first = frame.slice(1), sentinel.slice(1), False
                if sentinel.sum():
                    raise ReadError("SQLite returned the typing row more than once")
                collector.add(frame.drop(_SENTINEL))
    except ReadError:
        raise
    except Exception as error:  # the ADBC driver raises its own error types
        raise ReadError(_first_line(error)) from None
    if first:
        raise ReadError("SQLite did not return the typing row first")


_POSTGRES_DIALECT = postgresql.dialect(paramstyle="numeric_dollar")


def _read_postgres_adbc(uri: str, query: sa.Select, collector: _Collector) -> None:
    """PostgreSQL through ADBC, which streams a query without parameters by binary COPY."""
    try:
        import adbc_driver_postgresql.dbapi as adbc_postgresql
    except ImportError as error:
        raise ReadError(str(error)) from None
    compiled = query.compile(dialect=_POSTGRES_DIALECT)
    parameters = [compiled.params[key] for key in (compiled.positiontup or [])]
    try:
        with adbc_postgresql.connect(uri) as connection, connection.cursor() as cursor:
            cursor.execute(str(compiled), parameters or None)
            batches = cursor.fetch_record_batch()
            _add_batches(_widened(batches), _widened_schema(batches.schema), collector)
    except ReadError:
        raise
    except Exception as error:  # the ADBC driver raises its own error types
        raise ReadError(_first_line(error)) from None


_MYSQL_DIALECT = mysql.dialect()
_MYSQL_READ_ONLY = "SET SESSION TRANSACTION READ ONLY"


def mysql_timeout_statement(seconds: int, mariadb: bool) -> str:
    """The session's per-statement time limit: MariaDB counts seconds, MySQL milliseconds."""
    if mariadb:
        return f"SET SESSION max_statement_time={int(seconds)}"
    return f"SET SESSION max_execution_time={int(seconds) * 1000}"


def _read_mysql_connectorx(
    uri: str, query: sa.Select, collector: _Collector, setup: tuple[str, ...] = ()
) -> None:
    """MySQL and MariaDB through connectorx (Rust, Arrow out), in a read-only session."""
    try:
        import connectorx
    except ImportError as error:
        raise ReadError(str(error)) from None
    sql = _with_literals(query.compile(dialect=_MYSQL_DIALECT))
    try:
        batches = connectorx.read_sql(
            uri,
            sql,
            return_type="arrow_stream",
            batch_size=CONNECTORX_BATCH_ROWS,
            pre_execution_query=[_MYSQL_READ_ONLY, *setup],
        )
        _add_batches(_widened(batches), _widened_schema(batches.schema), collector)
    except ReadError:
        raise
    except Exception as error:  # connectorx raises RuntimeError with the server's message
        raise ReadError(_first_line(error)) from None


def _with_literals(compiled: sa.sql.compiler.Compiled) -> str:
    """The SQL with each parameter written in as a literal that needs no escaping.

    connectorx takes no parameters. Text goes in as a hex literal, which no quote or
    backslash in it can end early, whatever the server's SQL mode (the column's collation
    then compares it, as it would a bound parameter); dates and times go in as ISO
    literals; anything else is refused (the caller then reads through SQLAlchemy, which
    binds it).
    """
    values = [compiled.params[key] for key in (compiled.positiontup or [])]
    return str(compiled) % tuple(_mysql_literal(value) for value in values)


def _mysql_literal(value: object) -> str:
    if isinstance(value, str):
        return f"X'{value.encode().hex()}'" if value else "''"
    if isinstance(value, dt.datetime):
        return f"TIMESTAMP'{value.isoformat(sep=' ')}'"
    if isinstance(value, dt.date):
        return f"DATE'{value.isoformat()}'"
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise ReadError(f"no safe literal for a parameter of type {type(value).__name__}")


def _widened(batches):
    """Integers as 64-bit, as SQLAlchemy's rows give them (TINYINT booleans, INT populations)."""
    for batch in batches:
        schema = _widened_schema(batch.schema)
        yield batch.cast(schema) if schema != batch.schema else batch


def _widened_schema(schema):
    import pyarrow as pa

    return pa.schema(
        field.with_type(pa.int64()) if pa.types.is_integer(field.type) else field
        for field in schema
    )


_FAST_READERS = {
    ADBC_SQLITE: _read_sqlite_adbc,
    ADBC_POSTGRESQL: _read_postgres_adbc,
    CONNECTORX_MYSQL: _read_mysql_connectorx,
}


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _read_rows(engine: sa.Engine, query: sa.Select, collector: _Collector) -> None:
    """Any other engine: SQLAlchemy's streaming result, built into polars a batch at a time."""
    with engine.connect() as connection:
        result = connection.execution_options(stream_results=True, yield_per=BATCH_ROWS).execute(
            query
        )
        for partition in result.partitions(BATCH_ROWS):
            collector.add(_frame_from_rows(partition, collector.columns))


def _frame_from_rows(rows, columns) -> pl.DataFrame:
    """Columns of one type keep it; a column of mixed Python types arrives as text."""
    data = list(zip(*rows, strict=True)) if rows else [[] for _ in columns]
    series = []
    for column, values in zip(columns, data, strict=True):
        try:
            series.append(pl.Series(column, values))
        except (TypeError, pl.exceptions.PolarsError):
            series.append(pl.Series(column, [None if v is None else str(v) for v in values]))
    return pl.DataFrame(series)
