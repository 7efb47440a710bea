"""Typed parsing of raw source values, exactly as the data contract says.

Every parsed column ``x`` comes with a flag ``x__bad``: true where a value was present
but did not parse. An unparseable value still counts as "set" for the validation rules.
"""

from __future__ import annotations

from collections.abc import Collection

import polars as pl

from queries.contract import Column, Kind, Table

BAD = "__bad"

# Padded fields only; a date alone, extra text or a fraction past 6 digits do not parse.
_TIMESTAMP_PATTERN = (
    r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[ T]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?$"
)
_TRUE = ("1", "true", "t")
_FALSE = ("0", "false", "f")
_LARGEST_POPULATION = 2**53


_DTYPES = {
    Kind.TEXT: pl.String,
    Kind.TIMESTAMP: pl.Datetime("us"),
    Kind.BOOLEAN: pl.Boolean,
    Kind.INTEGER: pl.Int64,
}


def dtype_of(column: Column) -> pl.DataType:
    """The polars type a column is parsed into."""
    return pl.Categorical() if column.categorical else _DTYPES[column.kind]


def bad(name: str) -> str:
    """The name of the flag column that marks an unparseable value."""
    return f"{name}{BAD}"


def _as_text(column: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """Text with blanks as null: a blank text value counts as null everywhere."""
    text = column if dtype == pl.String else column.cast(pl.String)
    return pl.when(text.str.strip_chars() == "").then(None).otherwise(text)


def _parse_timestamp(name: str, dtype: pl.DataType) -> tuple[pl.Expr, pl.Expr]:
    column = pl.col(name)
    if isinstance(dtype, pl.Datetime):
        if dtype.time_zone is not None:
            # A zone-aware source is turned back into UK wall-clock time, as the contract reads.
            column = column.dt.convert_time_zone("Europe/London").dt.replace_time_zone(None)
        return column.dt.cast_time_unit("us"), pl.lit(False)
    if dtype == pl.Null:
        return pl.lit(None, dtype=pl.Datetime("us")), pl.lit(False)
    text = _as_text(column, dtype)
    # Year 0000 does not exist in the calendar the contract's wall-clock times are in.
    well_formed = text.str.contains(_TIMESTAMP_PATTERN) & ~text.str.starts_with("0000")
    # The pattern fixes the shape, so the whole seconds parse with a fixed format (several
    # times faster than "%.f") and the fraction, if any, is added as microseconds.
    whole_seconds = (
        pl.when(well_formed)
        .then(text.str.slice(0, 19).str.replace("T", " ", literal=True))
        .str.to_datetime("%Y-%m-%d %H:%M:%S", time_unit="us", strict=False)
    )
    microseconds = text.str.slice(20).str.pad_end(6, "0").cast(pl.Int64, strict=False)
    parsed = whole_seconds + pl.duration(microseconds=microseconds.fill_null(0))
    return parsed, text.is_not_null()


def _parse_boolean(name: str, dtype: pl.DataType) -> tuple[pl.Expr, pl.Expr]:
    column = pl.col(name)
    if dtype == pl.Boolean:
        return column, pl.lit(False)
    if dtype == pl.Null:
        return pl.lit(None, dtype=pl.Boolean), pl.lit(False)
    text = _as_text(column, dtype).str.to_lowercase()
    parsed = pl.when(text.is_in(_TRUE)).then(True).when(text.is_in(_FALSE)).then(False)
    return parsed, text.is_not_null()


def _parse_integer(name: str, dtype: pl.DataType) -> tuple[pl.Expr, pl.Expr]:
    column = pl.col(name)
    if dtype == pl.Null:
        return pl.lit(None, dtype=pl.Int64), pl.lit(False)
    number = (
        column.cast(pl.Float64, strict=False)
        if dtype.is_numeric()
        else (_as_text(column, dtype).str.strip_chars().cast(pl.Float64, strict=False))
    )
    present = column.is_not_null() if dtype.is_numeric() else _as_text(column, dtype).is_not_null()
    whole = (
        number.is_finite() & (number == number.floor()) & number.is_between(0, _LARGEST_POPULATION)
    )
    parsed = pl.when(whole).then(number).otherwise(None).cast(pl.Int64)
    return parsed, present


def _parse_text(name: str, dtype: pl.DataType) -> tuple[pl.Expr, pl.Expr]:
    return _as_text(pl.col(name), dtype), pl.lit(False)


_PARSERS = {
    Kind.TEXT: _parse_text,
    Kind.TIMESTAMP: _parse_timestamp,
    Kind.BOOLEAN: _parse_boolean,
    Kind.INTEGER: _parse_integer,
}


def parse_table(
    raw: pl.DataFrame, table: Table, columns: Collection[str] | None = None
) -> pl.DataFrame:
    """Typed columns plus ``__bad`` flags: each value parsed once, then checked.

    A parser gives the parsed value and whether a value was present; a present value that
    did not parse is bad. Two selects, because an eager select does not share the parse
    between the value and its flag (it would parse every timestamp several times).
    ``columns`` limits the parse to the columns a source has (default: all declared).
    """
    values, flags = [], []
    for column in table.columns:
        if columns is not None and column.name not in columns:
            continue
        value, present = _PARSERS[column.kind](column.name, raw.schema[column.name])
        if column.categorical:
            value = value.cast(pl.Categorical)
        values += [value.alias(column.name), present.alias(bad(column.name))]
        flags += [
            pl.col(column.name),
            (pl.col(bad(column.name)) & pl.col(column.name).is_null()).alias(bad(column.name)),
        ]
    return raw.select(values).select(flags)
