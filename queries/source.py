"""Read-only access to a force's source database, from any SQLAlchemy URL, into polars."""

from __future__ import annotations

import datetime as dt
import operator
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import polars as pl
import sqlalchemy as sa

from queries import readers
from queries.contract import TABLES, Table
from queries.parse import parse_table

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

    def __post_init__(self) -> None:
        for bound in (self.start, self.end):
            if isinstance(bound, dt.datetime) or not isinstance(bound, dt.date | None):
                raise TypeError(f"a date range is bounded by dates, not {bound!r}")
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise ValueError(f"the range must end after it starts: {self.start} to {self.end}")

    @property
    def is_everything(self) -> bool:
        return self.start is None and self.end is None


def normalise_url(url: str) -> sa.URL:
    """Parse a database URL, choosing this project's driver where the URL names none."""
    if not isinstance(url, str) or not url.strip():
        raise SourceError("no database URL given")
    try:
        parsed = sa.make_url(url.strip())
    except (sa.exc.ArgumentError, ValueError):  # ValueError: a port that is not a number
        from queries.redact import redact  # never echo a password, even from a typo

        raise SourceError(
            f"not a database URL (like postgresql://user@host/database): {redact(url, url)!r}"
        ) from None
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
                    "options": _pg_options(parsed, "-c default_transaction_read_only=on"),
                    "connect_timeout": _timeout(parsed),
                },
                poolclass=sa.pool.NullPool,
            )
        else:
            mysql = backend in ("mysql", "mariadb")
            engine = sa.create_engine(
                parsed,
                connect_args={"connect_timeout": _timeout(parsed)} if mysql else {},
                poolclass=sa.pool.NullPool,
            )
            if mysql:
                sa.event.listen(engine, "connect", _mysql_read_only)
    except SourceError:
        raise
    except (sa.exc.NoSuchModuleError, ImportError) as error:
        raise SourceError(f"no driver for {describe(parsed)}: {error}") from None
    except sa.exc.ArgumentError as error:
        raise SourceError(f"bad database URL {describe(parsed)}: {error}") from None
    return engine


CONNECT_TIMEOUT_SECONDS = 10


def _timeout(url: sa.URL) -> int:
    """A server that drops packets gives a clear error in seconds, not after minutes."""
    given = url.query.get("connect_timeout")
    return int(given) if isinstance(given, str) and given.isdigit() else CONNECT_TIMEOUT_SECONDS


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


def read_source(
    url: str,
    progress: Progress | None = None,
    date_range: DateRange | None = None,
    districts: Iterable[str] | None = None,
    on_read: Callable[[TableRead], None] | None = None,
    parsed: bool = False,
) -> dict[str, pl.DataFrame]:
    """Every contract table as a polars frame: the values as stored, or parsed on the way in.

    Parameters
    ----------
    url
        A SQLAlchemy URL; the source is opened read-only.
    progress
        Called with a table name and the rows read from it so far.
    date_range
        Read only what the KPIs of periods inside ``[start, end)`` need, filtered in SQL:
        the crimes reported or recorded in the range, the protective orders applied for or
        decided in it, the crimes those orders name, and the allocations and victims of
        all those crimes.
    districts
        Read only what the KPIs of these districts need, filtered in SQL the same way:
        their crimes and orders, the crimes their orders name, and those crimes'
        allocations and victims.
    on_read
        Called once a table is read, with its rows, the seconds taken and the driver used.
    parsed
        Parse each batch as it arrives (``queries.parse.parse_table``: typed columns and
        their ``__bad`` flags) instead of returning raw values, so the raw text of a whole
        table is never held at once. Parsing is value by value, so the result is exactly
        ``parse_table`` of the raw frame.

    Notes
    -----
    A narrowed read is exact for what it promises, and only that: every KPI of a period
    inside the range, for a district inside the filter, equals the full read's. Each
    filter keeps every copy of an id it selects (all the crimes sharing a selected
    ``crime_id``, all the victims sharing a ``victim_id`` of a selected crime, all the
    orders sharing a selected ``order_id``), so validation still sees the duplicates that
    make those rows errors. What it can no longer see: the rows left out are not
    validated or reported; rows without an id in a narrowed table are left out (they are
    errors in a full read, so no KPI changes); a breach whose order was left out, or a
    victim kept as a duplicate whose crime was left out, draws a warning or error line a
    full read would not; periods partly outside the range, the force-wide ``All`` row of a
    district filter, and the span of the series cover only the rows read. Timestamp
    filters are widened by a day on engines with typed timestamps, so a zone-aware column
    (read as UK wall-clock time) never loses a row at the edges; district names are
    compared by the engine, and a case-insensitive collation (MariaDB's default) reads
    more rows, never fewer. Rows read beyond the promise only add periods or districts of
    their own.
    """
    engine = connect(url)
    try:
        label = describe(url)
        check_tables(engine, label)
        location = normalise_url(url)
        path = sqlite_path(location)
        fast = readers.fast_path(location, sqlite_uri(path) if path else None)
        selects = _scoped_selects(engine.dialect.name, date_range, districts)
        frames = {}
        for table in TABLES:
            started = time.perf_counter()
            frames[table.name], driver = _read_table(
                engine, table, selects[table.name], label, progress, fast, parsed
            )
            if on_read:
                elapsed = time.perf_counter() - started
                on_read(TableRead(table.name, frames[table.name].height, elapsed, driver))
        return frames
    finally:
        engine.dispose()


@dataclass(frozen=True)
class TableRead:
    """How one table was read: its rows, the seconds taken and the driver that read it."""

    table: str
    rows: int
    seconds: float
    driver: str


def _read_table(
    engine: sa.Engine,
    table: Table,
    query: sa.Select,
    label: str,
    progress: Progress | None,
    fast: readers.FastPath | None,
    parsed: bool,
) -> tuple[pl.DataFrame, str]:
    transform = partial(parse_table, table=table) if parsed else None
    try:
        return readers.read(
            engine, query, table.column_names, table.name, progress, fast, transform
        )
    except sa.exc.SQLAlchemyError as error:
        raise SourceError(f"cannot read {table.name} from {label}: {_first_line(error)}") from None
    except readers.ReadError as error:
        raise SourceError(f"cannot read {table.name} from {label}: {error}") from None


def _scoped_selects(
    dialect: str, date_range: DateRange | None, districts: Iterable[str] | None
) -> dict[str, sa.Select]:
    """A SELECT per contract table: only its columns, and only the rows a scope needs."""
    text = dialect == "sqlite"
    tables = {
        table.name: sa.table(table.name, *(sa.column(name) for name in table.column_names))
        for table in TABLES
    }

    def value(table: str, column: str) -> sa.ColumnElement:
        # SQLite columns hold any type: compare (and read) the text the parser will see.
        column_clause = tables[table].c[column]
        return sa.cast(column_clause, sa.Text) if text else column_clause

    selects = {
        table.name: sa.select(*(value(table.name, name).label(name) for name in table.column_names))
        for table in TABLES
    }
    if isinstance(districts, str):
        raise TypeError(f"districts is a list of names, not one name: {districts!r}")
    districts = None if districts is None else list(dict.fromkeys(districts))
    if (date_range is None or date_range.is_everything) and districts is None:
        return selects

    def in_scope(table: str, dates: tuple[str, str]) -> sa.ColumnElement:
        conditions = []
        if date_range is not None and not date_range.is_everything:
            conditions.append(
                sa.or_(*(_in_range(value(table, date), date_range, text) for date in dates))
            )
        if districts is not None:
            conditions.append(value(table, "district").in_([sa.literal(d) for d in districts]))
        return sa.and_(*conditions)

    # Each id set is a derived table: MariaDB runs an IN over a bare UNION once per row, but
    # materialises a derived table once and joins it (PostgreSQL and SQLite do either well).
    crime_ids = _ids(
        sa.union_all(
            sa.select(value("crimes", "crime_id").label("id")).where(
                in_scope("crimes", ("reported_at", "recorded_at"))
            ),
            sa.select(value("protective_orders", "crime_id").label("id")).where(
                in_scope("protective_orders", ("applied_at", "decided_at"))
            ),
        ),
        "crime_ids",
    )
    order_ids = _ids(
        sa.select(value("protective_orders", "order_id").label("id")).where(
            in_scope("protective_orders", ("applied_at", "decided_at"))
        ),
        "order_ids",
    )
    victim_ids = _ids(
        sa.select(value("victims", "victim_id").label("id")).where(
            value("victims", "crime_id").in_(crime_ids)
        ),
        "victim_ids",
    )
    # Whole id sets, not just the rows in scope: every copy of a duplicated id is an error.
    selects["crimes"] = selects["crimes"].where(value("crimes", "crime_id").in_(crime_ids))
    selects["allocations"] = selects["allocations"].where(
        value("allocations", "crime_id").in_(crime_ids)
    )
    selects["victims"] = selects["victims"].where(value("victims", "victim_id").in_(victim_ids))
    selects["protective_orders"] = selects["protective_orders"].where(
        value("protective_orders", "order_id").in_(order_ids)
    )
    return selects


def _ids(query: sa.Select | sa.CompoundSelect, name: str) -> sa.Select:
    """``SELECT id FROM (query) AS name``, for use in an IN."""
    derived = query.subquery(name)
    return sa.select(derived.c.id)


def _in_range(column: sa.ColumnElement, date_range: DateRange, text: bool) -> sa.ColumnElement:
    """The timestamp falls in the range; as ISO text on SQLite, where text sorts as time."""
    conditions = []
    for bound, compare in ((date_range.start, operator.ge), (date_range.end, operator.lt)):
        if bound is None:
            continue
        if text:
            conditions.append(compare(column, sa.literal(bound.isoformat())))
        else:
            widened = bound - _DAY if compare is operator.ge else bound + _DAY
            moment = dt.datetime.combine(widened, dt.time())
            conditions.append(compare(column, sa.literal(moment, sa.DateTime())))
    return sa.and_(*conditions)


_DAY = dt.timedelta(days=1)
