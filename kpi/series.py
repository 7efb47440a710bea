"""Reading a series an analyst brings (a ``period_start,value`` CSV), strictly."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

MAX_LISTED = 5


class InputError(Exception):
    """A file that cannot be used as it is; the message names the rows at fault."""


def _rows(frame: pl.DataFrame, mask: pl.Series) -> str:
    # Row numbers as a spreadsheet shows them: the header is line 1.
    lines = (frame.with_row_index("line", offset=2).filter(mask)["line"]).to_list()
    shown = ", ".join(str(line) for line in lines[:MAX_LISTED])
    more = f" and {len(lines) - MAX_LISTED} more" if len(lines) > MAX_LISTED else ""
    return f"line {shown}{more}" if len(lines) == 1 else f"lines {shown}{more}"


def read_series_csv(path: str | Path) -> tuple[list[dt.date], list[float | None]]:
    """Dates and values sorted by date; an empty value is a gap; anything else bad is an error."""
    source = Path(path)
    if not source.is_file():
        raise InputError(f"no such file: {source}")
    try:
        frame = pl.read_csv(source, infer_schema=False)
    except (pl.exceptions.PolarsError, UnicodeDecodeError) as error:
        raise InputError(f"{source} is not a readable CSV file: {error}") from None
    missing = [name for name in ("period_start", "value") if name not in frame.columns]
    if missing:
        raise InputError(f"{source} needs columns period_start,value; missing {', '.join(missing)}")
    text_dates = frame["period_start"].str.strip_chars()
    dates = text_dates.str.to_date("%Y-%m-%d", strict=False)
    # Python dates run from year 1 to 9999; polars would accept year 0 and beyond.
    bad_dates = dates.is_null() | ~dates.dt.year().is_between(1, 9999)
    if bad_dates.any():
        raise InputError(
            f"{source}: period_start is not a date like 2024-04-01 on {_rows(frame, bad_dates)}"
        )
    text_values = frame["value"].str.strip_chars()
    values = text_values.cast(pl.Float64, strict=False)
    bad_values = (text_values.is_not_null() & (text_values != "")) & (
        values.is_null() | values.is_nan() | values.is_infinite()
    )
    if bad_values.any():
        raise InputError(f"{source}: value is not a number on {_rows(frame, bad_values)}")
    repeated = dates.is_duplicated()
    if repeated.any():
        raise InputError(
            f"{source}: period_start appears more than once on {_rows(frame, repeated)}"
        )
    ordered = pl.DataFrame({"period_start": dates, "value": values}).sort("period_start")
    return ordered["period_start"].to_list(), ordered["value"].to_list()
