"""The districts page's funnel plots: valid Vega-Lite, the districts named, small numbers marked."""

from __future__ import annotations

import datetime as dt
import math

import altair as alt
import polars as pl
import pytest

from dashboard.funnel import funnel_spec, funnel_words
from metrics import ALL_DISTRICTS, REGISTRY
from metrics.compare import Z_998, compare_districts

Q = dt.date(2024, 7, 1)
DISTRICTS = pl.DataFrame({"district": ["North", "South", "West"], "population": [10, 20, 30]})


def rows(values: list[tuple[str, int, int]]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            ("breach_arrest_rate", Q, "2024/25 Q2", name, num, den, num / den if den else None)
            for name, num, den in values
        ],
        schema={
            "metric_id": pl.String,
            "period_start": pl.Date,
            "period_label": pl.String,
            "district": pl.String,
            "numerator": pl.Int64,
            "denominator": pl.Int64,
            "value": pl.Float64,
        },
        orient="row",
    )


# Force 250 of 500 (p0 = 0.5). North: 9 of 9 (small numbers, and above its 99.8% limit
# 0.5 + 3.09 x sqrt(0.25 / 9) = 1.015, clipped to 1: 1.0 is on it, so inside). South: 200 of
# 250 = 0.8, far above 0.5 + 3.09 x sqrt(0.25 / 250) = 0.598. West: 41 of 241 = 0.17, below.
KPIS = rows([(ALL_DISTRICTS, 250, 500), ("North", 9, 9), ("South", 200, 250), ("West", 41, 241)])
METRIC = REGISTRY.get("breach_arrest_rate")


@pytest.fixture(scope="module")
def compared() -> pl.DataFrame:
    return compare_districts(KPIS, DISTRICTS, Q, [METRIC])


def test_the_by_hand_limits_give_higher_lower_and_inside(compared):
    assert 0.5 + Z_998 * math.sqrt(0.25 / 9) > 1
    assert compared["signal"].to_list() == ["none", "higher", "lower"]


def test_the_funnel_plot_is_valid_vega_lite_with_limits_force_line_and_labelled_districts(
    compared,
):
    spec = funnel_spec(compared, METRIC)
    alt.LayerChart.from_dict(spec)  # raises on a spec Vega-Lite would reject
    lines, force, points, labels = spec["layer"]
    assert {row["limit"] for row in lines["data"]["values"]} == {"95% limits", "99.8% limits"}
    assert force["data"]["values"][0]["y"] == pytest.approx(0.5)
    assert [row["label"] for row in labels["data"]["values"]] == [
        "North (small numbers)",
        "South",
        "West",
    ]
    assert [row["signal"] for row in points["data"]["values"]] == ["none", "higher", "lower"]


def test_the_words_name_only_the_districts_beyond_chance(compared):
    words = funnel_words(compared, METRIC)
    assert "higher: South" in words and "lower: West" in words
    assert "North" not in words
