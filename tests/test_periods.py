"""Periods: months, financial-year quarters and financial years, with their labels."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from metrics.periods import Grain, label_of, parse_label, period_start, period_starts

CASES = [
    # (timestamp, grain, period start, label)
    (dt.datetime(2024, 3, 31, 23, 59, 59), Grain.MONTH, dt.date(2024, 3, 1), "2024-03"),
    (dt.datetime(2024, 3, 31, 23, 59, 59), Grain.QUARTER, dt.date(2024, 1, 1), "2023/24 Q4"),
    (dt.datetime(2024, 3, 31, 23, 59, 59), Grain.FINANCIAL_YEAR, dt.date(2023, 4, 1), "2023/24"),
    (dt.datetime(2024, 4, 1), Grain.QUARTER, dt.date(2024, 4, 1), "2024/25 Q1"),
    (dt.datetime(2024, 4, 1), Grain.FINANCIAL_YEAR, dt.date(2024, 4, 1), "2024/25"),
    (dt.datetime(2024, 9, 30, 12), Grain.QUARTER, dt.date(2024, 7, 1), "2024/25 Q2"),
    (dt.datetime(2024, 12, 31), Grain.QUARTER, dt.date(2024, 10, 1), "2024/25 Q3"),
    (dt.datetime(2025, 1, 1), Grain.QUARTER, dt.date(2025, 1, 1), "2024/25 Q4"),
    (dt.datetime(1999, 6, 1), Grain.FINANCIAL_YEAR, dt.date(1999, 4, 1), "1999/00"),
]


@pytest.mark.parametrize(
    ("timestamp", "grain", "start", "label"),
    [pytest.param(*case, id=f"{case[1]}: {case[3]}") for case in CASES],
)
def test_a_timestamp_falls_in_the_period_with_this_start_and_label(timestamp, grain, start, label):
    frame = pl.DataFrame({"t": [timestamp]})
    assert frame.select(period_start(pl.col("t"), grain)).item() == start
    assert label_of(start, grain) == label
    assert parse_label(label, grain) == start


def test_period_starts_have_no_gaps():
    starts = period_starts(dt.date(2023, 11, 15), dt.date(2024, 4, 2), Grain.QUARTER).to_list()
    assert starts == [dt.date(2023, 10, 1), dt.date(2024, 1, 1), dt.date(2024, 4, 1)]


@pytest.mark.parametrize(
    ("label", "grain"),
    [
        ("2024/26 Q1", Grain.QUARTER),
        ("2024/25 Q5", Grain.QUARTER),
        ("2024-13", Grain.MONTH),
        ("2024/25", Grain.QUARTER),
        ("Q1 2024", Grain.QUARTER),
        ("2024", Grain.FINANCIAL_YEAR),
    ],
)
def test_a_malformed_label_is_refused_with_the_expected_form(label, grain):
    with pytest.raises(ValueError, match=r"label like|consecutive"):
        parse_label(label, grain)


@pytest.mark.parametrize("grain", [pytest.param(g, id=f"grain: {g}") for g in Grain])
def test_the_python_and_polars_labels_agree_for_every_period_of_33_years(grain):
    from metrics.periods import period_label

    starts = period_starts(dt.date(1999, 1, 1), dt.date(2031, 12, 31), grain)
    in_polars = pl.select(period_label(pl.lit(starts), grain)).to_series().to_list()
    assert [label_of(start, grain) for start in starts.to_list()] == in_polars
