"""Typed parsing of raw source values, exactly as the data contract says.

Every parsed column ``x`` comes with a flag ``x__bad``: true where a value was present
but did not parse. An unparseable value still counts as "set" for the validation rules.
"""

from __future__ import annotations

import polars as pl

from queries.contract import Kind, Table

BAD = "__bad"

# Padded fields only; a date alone, extra text or a fraction past 6 digits do not parse.
_TIMESTAMP_PATTERN = (
    r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[ T]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?$"
)
_TRUE = ("1", "true", "t")
_FALSE = ("0", "false", "f")
_LARGEST_POPULATION = 2**53


def bad(name: str) -> str:
    """The name of the flag column that marks an unparseable value."""
    return f"{name}{BAD}"


def _as_text(column: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """Text with blanks as null: a blank text value counts as null everywhere."""
    text = column if dtype == pl.String else column.cast(pl.String)
    return pl.when(text.str.strip_chars() == "").then(None).otherwise(text)


def _parse_timestamp(name: str, dtype: pl.DataType) -> list[pl.Expr]:
    column = pl.col(name)
    if isinstance(dtype, pl.Datetime):
        if dtype.time_zone is not None:
            # A zone-aware source is turned back into UK wall-clock time, as the contract reads.
            column = column.dt.convert_time_zone("Europe/London").dt.replace_time_zone(None)
        return [column.dt.cast_time_unit("us").alias(name), pl.lit(False).alias(bad(name))]
    if dtype == pl.Null:
        return [
            pl.lit(None, dtype=pl.Datetime("us")).alias(name),
            pl.lit(False).alias(bad(name)),
        ]
    text = _as_text(column, dtype)
    well_formed = text.str.contains(_TIMESTAMP_PATTERN)
    parsed = (
        pl.when(well_formed)
        .then(text.str.replace("T", " ", literal=True))
        .otherwise(None)
        .str.to_datetime("%Y-%m-%d %H:%M:%S%.f", time_unit="us", strict=False)
    )
    # Year 0000 does not exist in the calendar the contract's wall-clock times are in.
    parsed = pl.when(parsed.dt.year() >= 1).then(parsed)
    return [parsed.alias(name), (text.is_not_null() & parsed.is_null()).alias(bad(name))]


def _parse_boolean(name: str, dtype: pl.DataType) -> list[pl.Expr]:
    column = pl.col(name)
    if dtype == pl.Boolean:
        return [column, pl.lit(False).alias(bad(name))]
    if dtype == pl.Null:
        return [pl.lit(None, dtype=pl.Boolean).alias(name), pl.lit(False).alias(bad(name))]
    text = _as_text(column, dtype).str.to_lowercase()
    parsed = pl.when(text.is_in(_TRUE)).then(True).when(text.is_in(_FALSE)).then(False)
    return [parsed.alias(name), (text.is_not_null() & parsed.is_null()).alias(bad(name))]


def _parse_integer(name: str, dtype: pl.DataType) -> list[pl.Expr]:
    column = pl.col(name)
    if dtype == pl.Null:
        return [pl.lit(None, dtype=pl.Int64).alias(name), pl.lit(False).alias(bad(name))]
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
    return [parsed.alias(name), (present & parsed.is_null()).alias(bad(name))]


def _parse_text(name: str, dtype: pl.DataType) -> list[pl.Expr]:
    return [_as_text(pl.col(name), dtype).alias(name), pl.lit(False).alias(bad(name))]


_PARSERS = {
    Kind.TEXT: _parse_text,
    Kind.TIMESTAMP: _parse_timestamp,
    Kind.BOOLEAN: _parse_boolean,
    Kind.INTEGER: _parse_integer,
}


def parse_table(raw: pl.DataFrame, table: Table) -> pl.DataFrame:
    """Typed columns plus ``__bad`` flags, in one pass of polars expressions."""
    expressions = []
    for column in table.columns:
        expressions.extend(_PARSERS[column.kind](column.name, raw.schema[column.name]))
    return raw.select(expressions)
