"""Read-only access to a force's source database, from any SQLAlchemy URL, into polars."""

from __future__ import annotations

import datetime as dt
import operator
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import polars as pl
import sqlalchemy as sa

from queries import readers
from queries.contract import TABLES, Table
from queries.folder import FolderError, columns_of, count_rows, is_folder, read_file, table_file
from queries.parse import parse_table
from queries.query_files import QueryFileError, load_query_files

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
                    "options": _pg_options(
                        parsed,
                        "-c default_transaction_read_only=on "
                        f"-c statement_timeout={statement_timeout_seconds() * 1000}",
                    ),
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
# A server stops any one read that runs longer (a runaway mapping query, say).
STATEMENT_TIMEOUT_SECONDS = 1800
STATEMENT_TIMEOUT_ENV = "KPI_STATEMENT_TIMEOUT_SECONDS"


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
        mariadb = "mariadb" in str(dbapi_connection.get_server_info()).lower()
        cursor.execute(readers.mysql_timeout_statement(statement_timeout_seconds(), mariadb))


@dataclass(frozen=True)
class Found:
    """A contract table the source has: how it is read, and the columns it offers."""

    table: str
    how: str  # "table crimes", "query crimes.sql" or "file crimes.csv"
    columns: tuple[str, ...]

    @property
    def declared(self) -> Table:
        return TABLES[self.table]

    @property
    def missing(self) -> list[str]:
        return [name for name in self.declared.column_names if name not in self.columns]

    @property
    def extra(self) -> list[str]:
        return [name for name in self.columns if name not in self.declared.column_names]

    @property
    def present(self) -> list[str]:
        return [name for name in self.declared.column_names if name in self.columns]


@dataclass(frozen=True)
class SourceRead:
    """What a read found and returned: frames, the source's own row counts, and how."""

    frames: dict[str, pl.DataFrame]
    rows_counted: dict[str, int]
    found: dict[str, Found]


def check_found(found: dict[str, Found], label: str) -> None:
    """Fail with one clear line when a required table, or a non-null column, is missing."""
    problems = [f"table {t.name}" for t in TABLES if t.required and t.name not in found]
    for name, table in found.items():
        required = set(table.declared.required_columns)
        problems += [f"column {name}.{c}" for c in table.missing if c in required]
    if problems:
        raise SourceError(f"{label} is missing {', '.join(problems)}")


def _first_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def statement_timeout_seconds() -> int:
    """How long one read may run on a server before the server stops it."""
    given = os.environ.get(STATEMENT_TIMEOUT_ENV, "").strip()
    return int(given) if given.isdigit() and int(given) > 0 else STATEMENT_TIMEOUT_SECONDS


class _Database:
    """A read-only database source, with the force's query files standing in for tables."""

    def __init__(self, url: str, queries_dir: str | Path | None) -> None:
        try:
            self.queries = load_query_files(queries_dir)
        except QueryFileError as error:
            raise SourceError(str(error)) from None
        self.engine = connect(url)
        self.url = url
        self.label = describe(url)

    def inspect(self) -> dict[str, Found]:
        found = {}
        try:
            inspector = sa.inspect(self.engine)
            names = set(inspector.get_table_names()) | set(inspector.get_view_names())
            for table in TABLES:
                if table.name in self.queries:
                    found[table.name] = self._query_columns(self.queries[table.name])
                elif table.name in names:
                    columns = tuple(c["name"] for c in inspector.get_columns(table.name))
                    found[table.name] = Found(table.name, f"table {table.name}", columns)
        except sa.exc.SQLAlchemyError as error:
            raise SourceError(f"cannot reach {self.label}: {_first_line(error)}") from None
        return found

    def _query_columns(self, query) -> Found:
        probe = sa.text(f"SELECT * FROM ({query.sql}) AS {query.table}_query WHERE 1 = 0")
        try:
            with self.engine.connect() as connection:
                columns = tuple(connection.execute(probe).keys())
        except sa.exc.DBAPIError as error:
            raise SourceError(f"{query.path}: {_first_line(error)}") from None
        return Found(query.table, f"query {query.path.name}", columns)

    def relation(self, found: Found) -> sa.FromClause:
        """What a SELECT reads the table from: the table itself, or the query as a subquery."""
        columns = [sa.column(name) for name in found.present]
        if found.table in self.queries:
            text = sa.text(self.queries[found.table].sql).columns(*columns)
            return text.subquery(found.table)
        return sa.table(found.table, *columns)


def read_tables(
    url: str,
    progress: Progress | None = None,
    date_range: DateRange | None = None,
    districts: Iterable[str] | None = None,
    on_read: Callable[[TableRead], None] | None = None,
    parsed: bool = False,
    queries_dir: str | Path | None = None,
    check: bool = True,
) -> SourceRead:
    """Every contract table the source has, as polars frames, with the source's own row counts.

    ``url`` is a SQLAlchemy URL (opened read-only) or the path of a folder of extract
    files. ``queries_dir`` names a folder of mapping queries, one ``<table>.sql`` per table
    that is not stored under its contract name. Without ``check`` a source that lacks a
    required table or column is read all the same, leaving out the tables it cannot give
    (for ``kpi doctor``). See ``read_source`` for the rest.
    """
    stream = _table_stream(
        url, progress, date_range, districts, on_read, parsed, queries_dir, check, order=None
    )
    found = next(stream)
    frames, counts = {}, {}
    for name, frame, count in stream:
        frames[name], counts[name] = frame, count
    return SourceRead(frames, counts, found)


def read_on_demand(
    url: str,
    progress: Progress | None = None,
    queries_dir: str | Path | None = None,
    order: Iterable[str] = (),
) -> SourceRead:
    """The source's tables, each read (and parsed) only when first taken, in ``order``.

    Validation takes each table in turn and keeps only its valid rows, so the tables it has
    not reached yet need not be in memory: at national scale that is gigabytes less at the
    peak. The row counts fill in as the tables are read.
    """
    stream = _table_stream(
        url, progress, None, None, None, True, queries_dir, True, order=tuple(order)
    )
    found = next(stream)
    counts: dict[str, int] = {}
    return SourceRead(OnDemand(found, stream, counts), counts, found)


class OnDemand(Mapping[str, pl.DataFrame]):
    """Frames read from a stream of tables as they are asked for, each handed over once."""

    def __init__(self, found: dict[str, Found], stream, counts: dict[str, int]) -> None:
        self._names = list(found)
        self._stream, self._counts = stream, counts
        self._waiting: dict[str, pl.DataFrame] = {}

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def __iter__(self):
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __getitem__(self, name: str) -> pl.DataFrame:
        if name not in self._names:
            raise KeyError(name)
        while name not in self._waiting:
            read, frame, count = next(self._stream)
            self._waiting[read], self._counts[read] = frame, count
        return self._waiting[name]

    def close(self) -> None:
        """Stop reading: the source's connections are closed."""
        self._stream.close()
        self._waiting.clear()

    def pop(self, name: str) -> pl.DataFrame:
        """The table, read now if need be, and forgotten here so its memory can be freed."""
        frame = self[name]
        del self._waiting[name]
        self._names.remove(name)
        return frame


def _table_stream(
    url: str,
    progress: Progress | None,
    date_range: DateRange | None,
    districts: Iterable[str] | None,
    on_read: Callable[[TableRead], None] | None,
    parsed: bool,
    queries_dir: str | Path | None,
    check: bool,
    order: tuple[str, ...] | None,
) -> Iterator:
    """What the source has (first), then each table as (name, frame, the source's count)."""
    if is_folder(url):
        if queries_dir:
            raise SourceError("query files map a database; a folder of extract files needs none")
        yield from _folder_stream(Path(url), progress, on_read, parsed, check, order)
        return
    database = _Database(url, queries_dir)
    try:
        found = _in_order(database.inspect(), order)
        if check:
            check_found(found, database.label)
        else:
            found = usable(found)
        yield found
        location = normalise_url(url)
        path = sqlite_path(location)
        setup = ()
        if database.engine.dialect.name in ("mysql", "mariadb"):
            mariadb = bool(getattr(database.engine.dialect, "is_mariadb", False))
            setup = (readers.mysql_timeout_statement(statement_timeout_seconds(), mariadb),)
        fast = readers.fast_path(location, sqlite_uri(path) if path else None, setup)
        relations = {name: database.relation(table) for name, table in found.items()}
        dialect = database.engine.dialect.name
        selects = _scoped_selects(dialect, date_range, districts, relations)
        for name, table in found.items():
            started = time.perf_counter()
            where = f"{table.how} of {database.label}"
            count = _count(database.engine, selects[name], where)
            frame, driver = _read_table(
                database.engine, table, selects[name], where, progress, fast, parsed
            )
            if on_read:
                elapsed = time.perf_counter() - started
                on_read(TableRead(name, frame.height, elapsed, driver))
            yield name, frame, count
            del frame
    finally:
        database.engine.dispose()


def _in_order(found: dict[str, Found], order: tuple[str, ...] | None) -> dict[str, Found]:
    """The tables found, in the order they will be taken (as declared without one)."""
    if not order:
        return found
    return {name: found[name] for name in (*order, *found) if name in found}


def _count(engine: sa.Engine, query: sa.Select, where: str) -> int:
    """The rows a SELECT returns, counted by the database apart from the read itself."""
    counting = sa.select(sa.func.count()).select_from(query.subquery("counted"))
    try:
        with engine.connect() as connection:
            return int(connection.execute(counting).scalar_one())
    except sa.exc.SQLAlchemyError as error:
        raise SourceError(f"cannot read {where}: {_first_line(error)}") from None


def usable(found: dict[str, Found]) -> dict[str, Found]:
    """The tables that have every non-null column (the others cannot be validated)."""
    return {
        name: table
        for name, table in found.items()
        if not set(table.declared.required_columns) & set(table.missing)
    }


def inspect_source(url: str, queries_dir: str | Path | None = None) -> tuple[str, dict[str, Found]]:
    """What the source offers, table by table, without reading any rows."""
    if is_folder(url):
        folder = Path(url)
        found = {}
        try:
            for table in TABLES:
                path = table_file(folder, table.name)
                if path is not None:
                    columns = tuple(columns_of(path))
                    found[table.name] = Found(table.name, f"file {path.name}", columns)
        except FolderError as error:
            raise SourceError(str(error)) from None
        return str(folder), found
    database = _Database(url, queries_dir)
    try:
        return database.label, database.inspect()
    finally:
        database.engine.dispose()


def _folder_stream(
    folder: Path,
    progress: Progress | None,
    on_read,
    parsed: bool,
    check: bool,
    order: tuple[str, ...] | None,
) -> Iterator:
    """Each table's file, if the folder has one; files are only ever read."""
    found = {}
    try:
        for table in TABLES:
            path = table_file(folder, table.name)
            if path is None:
                continue
            found[table.name] = Found(table.name, f"file {path.name}", tuple(columns_of(path)))
        if check:
            check_found(found, str(folder))
        else:
            found = usable(found)
    except FolderError as error:
        raise SourceError(str(error)) from None
    found = _in_order(found, order)
    yield found
    for name, table in found.items():
        started = time.perf_counter()
        path = table_file(folder, name)
        try:
            count = count_rows(path)
            frame = read_file(path, table.present)
        except FolderError as error:
            raise SourceError(str(error)) from None
        if parsed:
            frame = parse_table(frame, table.declared, table.present)
        if progress:
            progress(name, frame.height)
        if on_read:
            elapsed = time.perf_counter() - started
            on_read(TableRead(name, frame.height, elapsed, f"polars-{path.suffix[1:]}"))
        yield name, frame, count
        del frame


def read_source(
    url: str,
    progress: Progress | None = None,
    date_range: DateRange | None = None,
    districts: Iterable[str] | None = None,
    on_read: Callable[[TableRead], None] | None = None,
    parsed: bool = False,
    queries_dir: str | Path | None = None,
) -> dict[str, pl.DataFrame]:
    """Every contract table the source has, as a polars frame: the values as stored, or parsed.

    Parameters
    ----------
    url
        A SQLAlchemy URL (the source is opened read-only), or a folder of extract files.
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
    queries_dir
        A folder of the force's mapping queries (``<table>.sql``).

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
    their own. The v1.1 tables are read whole, and a folder of files is always read whole.
    """
    return read_tables(url, progress, date_range, districts, on_read, parsed, queries_dir).frames


@dataclass(frozen=True)
class TableRead:
    """How one table was read: its rows, the seconds taken and the driver that read it."""

    table: str
    rows: int
    seconds: float
    driver: str


def _read_table(
    engine: sa.Engine,
    table: Found,
    query: sa.Select,
    where: str,
    progress: Progress | None,
    fast: readers.FastPath | None,
    parsed: bool,
) -> tuple[pl.DataFrame, str]:
    transform = (
        partial(parse_table, table=table.declared, columns=table.present) if parsed else None
    )
    try:
        return readers.read(engine, query, table.present, table.table, progress, fast, transform)
    except sa.exc.SQLAlchemyError as error:
        raise SourceError(f"cannot read {where}: {_first_line(error)}") from None
    except readers.ReadError as error:
        raise SourceError(f"cannot read {where}: {error}") from None


def _scoped_selects(
    dialect: str,
    date_range: DateRange | None,
    districts: Iterable[str] | None,
    relations: dict[str, sa.FromClause],
) -> dict[str, sa.Select]:
    """A SELECT per table the source has: its columns, and only the rows a scope needs."""
    text = dialect == "sqlite"

    def value(table: str, column: str) -> sa.ColumnElement:
        # SQLite columns hold any type: compare (and read) the text the parser will see.
        column_clause = relations[table].c[column]
        return sa.cast(column_clause, sa.Text) if text else column_clause

    selects = {
        name: sa.select(*(value(name, column.name).label(column.name) for column in relation.c))
        for name, relation in relations.items()
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

    has_orders = "protective_orders" in relations
    # Each id set is a derived table: MariaDB runs an IN over a bare UNION once per row, but
    # materialises a derived table once and joins it (PostgreSQL and SQLite do either well).
    # Crimes count in a period by their report, recording or outcome date.
    crime_dates = tuple(
        c for c in ("reported_at", "recorded_at", "outcome_at") if c in relations["crimes"].c
    )
    crime_selects = [
        sa.select(value("crimes", "crime_id").label("id")).where(in_scope("crimes", crime_dates))
    ]
    # The v1.1 tables are read whole, so every crime they name is read too: their rows take
    # the district (and for reviews, their validity) from that crime.
    for name in ("case_reviews", "victim_survey"):
        if name in relations and "crime_id" in relations[name].c:
            crime_selects.append(sa.select(value(name, "crime_id").label("id")))
    if has_orders and "crime_id" in relations["protective_orders"].c:
        crime_selects.append(
            sa.select(value("protective_orders", "crime_id").label("id")).where(
                in_scope("protective_orders", ("applied_at", "decided_at"))
            )
        )
    crime_ids = _ids(sa.union_all(*crime_selects), "crime_ids")
    # Whole id sets, not just the rows in scope: every copy of a duplicated id is an error.
    selects["crimes"] = selects["crimes"].where(value("crimes", "crime_id").in_(crime_ids))
    if "allocations" in relations:
        selects["allocations"] = selects["allocations"].where(
            value("allocations", "crime_id").in_(crime_ids)
        )
    if "victims" in relations:
        victim_ids = _ids(
            sa.select(value("victims", "victim_id").label("id")).where(
                value("victims", "crime_id").in_(crime_ids)
            ),
            "victim_ids",
        )
        selects["victims"] = selects["victims"].where(value("victims", "victim_id").in_(victim_ids))
    if has_orders:
        order_ids = _ids(
            sa.select(value("protective_orders", "order_id").label("id")).where(
                in_scope("protective_orders", ("applied_at", "decided_at"))
            ),
            "order_ids",
        )
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
