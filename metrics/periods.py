"""Reporting periods: calendar months, financial-year quarters and financial years."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum

import polars as pl


class Grain(StrEnum):
    """How finely a KPI series is cut."""

    MONTH = "month"
    QUARTER = "quarter"
    FINANCIAL_YEAR = "financial_year"


_INTERVAL = {Grain.MONTH: "1mo", Grain.QUARTER: "3mo", Grain.FINANCIAL_YEAR: "1y"}
_MONTH_LABEL = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_QUARTER_LABEL = re.compile(r"^(\d{4})/(\d{2}) Q([1-4])$")
_YEAR_LABEL = re.compile(r"^(\d{4})/(\d{2})$")


def _financial_year(date: pl.Expr) -> pl.Expr:
    """The calendar year in which the financial year containing ``date`` starts."""
    return date.dt.year() - (date.dt.month() < 4).cast(pl.Int32)


def period_start(date: pl.Expr, grain: Grain) -> pl.Expr:
    """The first day of the period containing each timestamp."""
    if grain == Grain.FINANCIAL_YEAR:
        return pl.date(_financial_year(date), 4, 1)
    # Quarters from 1970-01-01 in steps of three months start on 1 Jan, Apr, Jul and Oct.
    return date.dt.truncate(_INTERVAL[grain]).cast(pl.Date)


def period_label(start: pl.Expr, grain: Grain) -> pl.Expr:
    """Labels as a meeting says them: ``2024-04``, ``2024/25 Q1``, ``2024/25``."""
    if grain == Grain.MONTH:
        return start.dt.strftime("%Y-%m")
    year = _financial_year(start)
    years = pl.format(
        "{}/{}", year.cast(pl.String).str.zfill(4), ((year + 1) % 100).cast(pl.String).str.zfill(2)
    )
    if grain == Grain.FINANCIAL_YEAR:
        return years
    quarter = ((start.dt.month() + 8) % 12) // 3 + 1
    return pl.format("{} Q{}", years, quarter)


def period_starts(first: dt.date, last: dt.date, grain: Grain) -> pl.Series:
    """Every period start from the period of ``first`` to that of ``last``, with no gaps."""
    # In polars throughout: the financial year of a date in early year 1 starts in year 0,
    # which Python's dates cannot hold.
    bounds = pl.DataFrame({"date": [first, last]}).select(period_start(pl.col("date"), grain))
    column = bounds.to_series().name
    return bounds.select(
        pl.date_range(pl.col(column).first(), pl.col(column).last(), _INTERVAL[grain])
        .explode()
        .alias("period_start")
    ).to_series()


def label_of(start: dt.date, grain: Grain) -> str:
    """The label of one period start (plain Python: pages ask for many, one at a time)."""
    if grain == Grain.MONTH:
        return f"{start.year:04d}-{start.month:02d}"
    year = start.year - (start.month < 4)
    years = f"{year:04d}/{(year + 1) % 100:02d}"
    if grain == Grain.FINANCIAL_YEAR:
        return years
    return f"{years} Q{(start.month + 8) % 12 // 3 + 1}"


def parse_label(label: str, grain: Grain) -> dt.date:
    """The start of the period a label names; ValueError with the expected form otherwise."""
    text = label.strip()
    if grain == Grain.MONTH and (match := _MONTH_LABEL.match(text)):
        return dt.date(int(match[1]), int(match[2]), 1)
    if grain == Grain.QUARTER and (match := _QUARTER_LABEL.match(text)):
        year, quarter = _checked_year(match), int(match[3])
        month = 3 * quarter + 1
        return dt.date(year + (month > 12), (month - 1) % 12 + 1, 1)
    if grain == Grain.FINANCIAL_YEAR and (match := _YEAR_LABEL.match(text)):
        return dt.date(_checked_year(match), 4, 1)
    examples = {
        Grain.MONTH: "2024-04",
        Grain.QUARTER: "2024/25 Q1",
        Grain.FINANCIAL_YEAR: "2024/25",
    }
    raise ValueError(f"{label!r} is not a {grain} label like {examples[grain]!r}")


def _checked_year(match: re.Match[str]) -> int:
    year = int(match[1])
    if (year + 1) % 100 != int(match[2]):
        raise ValueError(f"{match[0]!r}: the years of a financial year must be consecutive")
    return year
