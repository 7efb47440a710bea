"""The Demand page's chart and accuracy sentence, from small hand-made frames."""

from __future__ import annotations

import datetime as dt

import polars as pl

from dashboard.demand_chart import accuracy_words, demand_chart
from metrics import Grain


def test_the_accuracy_sentence_says_how_far_off_and_how_often_the_80_percent_range_held():
    chosen = {"candidate": "AutoETS", "mae": 11.94, "coverage_80": 0.75, "points": 12}
    assert accuracy_words(chosen, Grain.MONTH) == (
        "Over the last 12 months this method (AutoETS) was off by 11.9 a month on average; "
        "its 80% range held the recorded value in 9 of 12 months."
    )
    quarters = {"candidate": "SeasonalNaive", "mae": 1234.0, "coverage_80": 0.5, "points": 8}
    assert accuracy_words(quarters, Grain.QUARTER).startswith(
        "Over the last 8 quarters this method (SeasonalNaive) was off by 1,234.0 a quarter"
    )
    assert "Too little history" in accuracy_words(None, Grain.MONTH)


def test_the_chart_draws_the_recorded_values_the_forecast_and_both_bands():
    months = [dt.date(2026, month, 1) for month in range(1, 7)]
    history = pl.DataFrame({"period_start": months[:4], "value": [10.0, 12.0, 11.0, 13.0]})
    forecast = pl.DataFrame(
        {
            "period_start": months[4:],
            "period_label": ["2026-05", "2026-06"],
            "forecast": [12.0, 12.5],
            "lower_80": [9.0, 9.2],
            "upper_80": [15.0, 15.8],
            "lower_95": [7.0, 7.1],
            "upper_95": [17.0, 17.9],
        }
    )
    spec = demand_chart(history, forecast, Grain.MONTH).to_dict()
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["area", "area", "line", "point"]
    datasets = list(spec["datasets"].values())
    lines = next(rows for rows in datasets if rows and "series" in rows[0])
    # Four recorded months, then the forecast from the last recorded value on.
    assert [(row["series"], row["count"]) for row in lines] == [
        ("Recorded", 10.0),
        ("Recorded", 12.0),
        ("Recorded", 11.0),
        ("Recorded", 13.0),
        ("Forecast", 13.0),
        ("Forecast", 12.0),
        ("Forecast", 12.5),
    ]
