"""Demand forecasts on the demo database: held-out months, and the ``kpi forecast`` command."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sqlite3

import polars as pl
import pytest

from kpi.cli import main
from metrics import ALL_DISTRICTS, REGISTRY, Grain
from metrics.forecast import FORECAST_COLUMNS, forecast_metrics, is_count
from tests.conftest import demo_database, demo_kpis

CUT = dt.date(2025, 10, 1)
COUNTS = [metric for metric in REGISTRY if is_count(metric)]


def test_held_out_months_fall_inside_the_95_percent_band_in_at_least_80_percent_of_cases(
    demo_kpis,
):
    # The database as it stood on 30 September 2025: forecast the next 12 months of every
    # count metric and read them against what the demo then recorded.
    before = demo_kpis.filter(pl.col("period_start") < CUT)
    outlook = forecast_metrics(before, COUNTS, Grain.MONTH, 12, CUT - dt.timedelta(days=1))
    actual = demo_kpis.filter(
        pl.col("period_start") >= CUT, pl.col("district") != ALL_DISTRICTS
    ).select("metric_id", "district", "period_start", pl.col("value").alias("actual"))
    joined = outlook.forecasts.join(actual, on=["metric_id", "district", "period_start"])
    districts = demo_kpis.filter(pl.col("district") != ALL_DISTRICTS)["district"].n_unique()
    assert joined.height == len(COUNTS) * districts * 12
    inside = joined.select(
        pl.col("actual").is_between(pl.col("lower_95"), pl.col("upper_95")).mean()
    ).item()
    assert inside >= 0.8, inside


def _run(capsys, *arguments: str) -> tuple[int, str, str]:
    status = main(list(arguments))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_kpi_forecast_writes_one_row_per_district_and_future_month(demo_database, capsys):
    status, out, _ = _run(
        capsys,
        "forecast",
        "--database-url",
        demo_database,
        "--metric",
        "stalking_crimes",
        "--grain",
        "month",
        "--horizon",
        "3",
    )
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == FORECAST_COLUMNS
    with sqlite3.connect(demo_database.removeprefix("sqlite:///")) as connection:
        districts = {name for (name,) in connection.execute("SELECT district FROM districts")}
    connection.close()
    assert {row["district"] for row in rows} == {ALL_DISTRICTS, *districts}
    assert len(rows) == (len(districts) + 1) * 3
    # The demo's records run to 30 September 2026: the first month forecast is October.
    assert sorted({row["period_label"] for row in rows}) == ["2026-10", "2026-11", "2026-12"]
    force = [row for row in rows if row["district"] == ALL_DISTRICTS]
    assert all(row["model"].startswith("bottom-up") for row in force)


def test_kpi_forecast_refuses_a_rate_in_one_line(demo_database, capsys):
    rate = next(metric for metric in REGISTRY if not is_count(metric))
    status, out, err = _run(
        capsys,
        "forecast",
        "--database-url",
        demo_database,
        "--metric",
        rate.id,
        "--grain",
        "month",
        "--horizon",
        "3",
    )
    assert status != 0
    assert out == ""
    assert err.count("\n") == 1 and "not a count" in err


def test_kpi_forecast_backtest_names_each_candidate_and_the_choice_per_series(
    demo_database, capsys
):
    status, out, _ = _run(
        capsys,
        "forecast",
        "--database-url",
        demo_database,
        "--metric",
        "spo_applications",
        "--grain",
        "quarter",
        "--horizon",
        "4",
        "--district",
        "Bristol",
        "--backtest",
        "--format",
        "json",
    )
    assert status == 0
    rows = json.loads(out)
    assert {row["district"] for row in rows} == {"Bristol"}
    assert [row["candidate"] for row in rows] == ["SeasonalNaive", "AutoETS", "AutoTheta"]
    assert sum(row["chosen"] for row in rows) == 1
    chosen = next(row for row in rows if row["chosen"])
    assert chosen["mase"] == min(row["mase"] for row in rows)
    for row in rows:
        assert 0 <= row["coverage_80"] <= row["coverage_95"] <= 1


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        pytest.param(["--grain", "financial_year"], "invalid choice", id="a grain not forecast"),
        pytest.param(["--horizon", "0"], "between 1 and 60", id="a zero horizon"),
        pytest.param(["--district", "Atlantis"], "unknown district", id="an unknown district"),
    ],
)
def test_kpi_forecast_bad_arguments_are_one_line(demo_database, capsys, arguments, words):
    base = {"--grain": "month", "--horizon": "3"}
    for flag, value in zip(arguments[::2], arguments[1::2], strict=True):
        base[flag] = value
    flags = [item for pair in base.items() for item in pair]
    status, _out, err = _run(
        capsys,
        "forecast",
        "--database-url",
        demo_database,
        "--metric",
        "stalking_crimes",
        *flags,
    )
    assert status == 2
    assert err.count("\n") == 1 and words in err
