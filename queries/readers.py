"""Fast column-batch reads: SQLAlchemy builds the query, rows arrive as Arrow where possible."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import sqlalchemy as sa

BATCH_ROWS = 200_000


class ReadError(Exception):
    """A driver failed to read a query; the message is the driver's first line."""


def read(
    engine: sa.Engine,
    query: sa.Select,
    columns: list[str],
    name: str,
    progress: Callable[[str, int], None] | None = None,
    sqlite_uri: str | None = None,
) -> pl.DataFrame:
    """Run a SELECT and return its rows as one polars frame with the given column names."""
    if sqlite_uri is not None:
        try:
            frame = _read_sqlite_adbc(engine, query, name, progress, sqlite_uri)
        except ReadError:
            frame = None  # the row-by-row path below reads anything SQLite holds, more slowly
        if frame is not None:
            return frame.rename(dict(zip(frame.columns, columns, strict=True)))
    return _read_rows(engine, query, columns, name, progress)


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


def _read_sqlite_adbc(engine, query, name, progress, uri) -> pl.DataFrame | None:
    """SQLite through ADBC: Arrow batches straight from the C driver, no Python row objects."""
    try:
        import adbc_driver_sqlite.dbapi as adbc_sqlite
    except ImportError:
        return None
    compiled = _with_text_first_row(query).compile(dialect=engine.dialect)
    parameters = [compiled.params[key] for key in (compiled.positiontup or [])]
    try:
        with adbc_sqlite.connect(uri) as connection, connection.cursor() as cursor:
            cursor.execute(str(compiled), parameters or None)
            reader = cursor.fetch_record_batch()
            batches, rows = [], 0
            for batch in reader:
                batches.append(pl.from_arrow(batch))
                rows += batch.num_rows
                if progress:
                    progress(name, rows - 1)
    except Exception as error:  # the ADBC driver raises its own error types
        raise ReadError(str(error).strip().splitlines()[0]) from None
    frame = pl.concat(batches, how="vertical_relaxed")
    if frame.height == 0 or frame[_SENTINEL][0] != 1 or frame[_SENTINEL].sum() != 1:
        raise ReadError("SQLite did not return the typing row first")
    return frame.slice(1).drop(_SENTINEL)


def _read_rows(engine, query, columns, name, progress) -> pl.DataFrame:
    """Any other engine: SQLAlchemy's streaming result, built into polars a batch at a time."""
    frames = []
    rows = 0
    with engine.connect() as connection:
        result = connection.execution_options(stream_results=True, yield_per=BATCH_ROWS).execute(
            query
        )
        for partition in result.partitions(BATCH_ROWS):
            frames.append(_frame_from_rows(partition, columns))
            rows += len(partition)
            if progress:
                progress(name, rows)
    if not frames:
        return pl.DataFrame({column: pl.Series([], dtype=pl.Null) for column in columns})
    return pl.concat(frames, how="vertical_relaxed")


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
