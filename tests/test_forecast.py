"""Demand forecasts on series of known behaviour: the window, the choice, the intervals."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import numpy as np
import polars as pl
import pytest

from metrics import ALL_DISTRICTS, REGISTRY, Count, Grain, Metric, Rebase, Records
from metrics.definitions import Direction
from metrics.forecast import (
    FORECAST_COLUMNS,
    ForecastError,
    forecast_metrics,
    is_count,
    training_window,
)
from metrics.record_sets import CRIMES

START = dt.date(2020, 4, 1)
MONTHS = 66  # April 2020 to September 2025
AS_AT = dt.date(2025, 9, 30)
REBASE = dt.date(2023, 6, 1)  # month 38 of the series
DISTRICTS = ("North", "South", "East")


def _metric(metric_id: str, rebase: dt.date | None = None) -> Metric:
    return Metric(
        id=metric_id,
        title=metric_id.replace("_", " "),
        description="A synthetic count for the tests.",
        direction=Direction.NEUTRAL,
        measure=Count(Records(CRIMES, "recorded_at")),
        rebase=(Rebase(rebase, "a synthetic break"),) if rebase else (),
    )


def _months(count: int, first: dt.date = START) -> list[dt.date]:
    return [
        dt.date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1)
        for i in range(count)
    ]


def _mean(behaviour: str, t: np.ndarray) -> np.ndarray:
    """The expected count in month ``t`` (0 = April 2020) of each behaviour."""
    match behaviour:
        case "flat":
            return np.full(t.shape, 40.0)
        case "trend":
            return 20.0 + 0.8 * t
        case "seasonal":
            return 40.0 + 15.0 * np.sin(2 * np.pi * t / 12)
        case "level_shift":
            return np.where(t >= 38, 35.0, 70.0)
    raise AssertionError(behaviour)


def _kpis(behaviour: str, seed: int) -> pl.DataFrame:
    """KPI rows of one synthetic metric: three Poisson districts and the force, their sum."""
    rng = np.random.default_rng(seed)
    t = np.arange(MONTHS)
    counts = {name: rng.poisson(_mean(behaviour, t)) for name in DISTRICTS}
    counts[ALL_DISTRICTS] = sum(counts.values())
    return pl.DataFrame(
        [
            {
                "metric_id": behaviour,
                "period_start": month,
                "district": name,
                "value": float(values[i]),
            }
            for name, values in counts.items()
            for i, month in enumerate(_months(MONTHS))
        ]
    )


BEHAVIOURS = {
    "flat": None,
    "trend": None,
    "seasonal": None,
    "level_shift": REBASE,
}


@pytest.fixture(scope="module")
def backtests() -> dict[str, tuple[pl.DataFrame, pl.DataFrame]]:
    """Each behaviour's backtest and its KPI rows."""
    results = {}
    for seed, (behaviour, rebase) in enumerate(BEHAVIOURS.items()):
        kpis = _kpis(behaviour, seed)
        outlook = forecast_metrics(kpis, [_metric(behaviour, rebase)], Grain.MONTH, 12, AS_AT)
        results[behaviour] = (outlook.backtest, kpis)
    return results


@pytest.mark.parametrize("behaviour", list(BEHAVIOURS))
def test_the_chosen_models_mase_is_within_five_percent_of_the_seasonal_naives(backtests, behaviour):
    backtest, _ = backtests[behaviour]
    for district in backtest["district"].unique():
        rows = backtest.filter(pl.col("district") == district)
        chosen = rows.filter("chosen")["mase"].item()
        naive = rows.filter(pl.col("candidate") == "SeasonalNaive")["mase"].item()
        assert chosen <= naive * 1.05, (behaviour, district)


@pytest.mark.parametrize("behaviour", list(BEHAVIOURS))
def test_the_chosen_models_80_percent_intervals_cover_between_65_and_95_percent(
    backtests, behaviour
):
    backtest, _ = backtests[behaviour]
    chosen = backtest.filter("chosen")
    # Pooled over the series of one behaviour: 12 months each is too few to read alone.
    coverage = (chosen["coverage_80"] * chosen["points"]).sum() / chosen["points"].sum()
    assert 0.65 <= coverage <= 0.95, (behaviour, coverage)


def test_the_seasonal_naives_backtest_mase_matches_a_hand_computation(backtests):
    # Forecast 1 to 3 months ahead, the seasonal naive says "the same month last year", so its
    # errors over the last 12 months and its in-sample scale are plain lag-12 differences.
    backtest, kpis = backtests["seasonal"]
    values = kpis.filter(pl.col("district") == "North").sort("period_start")["value"].to_numpy()
    lag12 = np.abs(values[12:] - values[:-12])
    expected_mae = lag12[-12:].mean()
    expected_mase = expected_mae / lag12.mean()
    row = backtest.filter(pl.col("district") == "North", pl.col("candidate") == "SeasonalNaive")
    assert row["mae"].item() == pytest.approx(expected_mae)
    assert row["mase"].item() == pytest.approx(expected_mase)
    assert row["points"].item() == 12


@pytest.mark.parametrize("behaviour", ["flat", "trend", "level_shift"])
def test_on_held_out_months_the_chosen_model_is_no_worse_than_last_years_value(behaviour):
    # Learn from April 2020 to September 2024, forecast the next 12 months and score them
    # against the actual counts, beside "the same month last year" worked out by hand. One
    # draw of 12 Poisson months is too noisy to judge alone: the errors are pooled over the
    # districts of two draws.
    cut = dt.date(2024, 10, 1)
    metric = _metric(behaviour, BEHAVIOURS[behaviour])
    model_errors, naive_errors = [], []
    for seed in (100, 101):
        kpis = _kpis(behaviour, seed)
        outlook = forecast_metrics(
            kpis.filter(pl.col("period_start") < cut),
            [metric],
            Grain.MONTH,
            12,
            dt.date(2024, 9, 30),
        )
        for district in DISTRICTS:
            actual = kpis.filter(pl.col("district") == district).sort("period_start")
            held_out = actual.filter(pl.col("period_start") >= cut)["value"].to_numpy()
            last_year = actual.filter(
                pl.col("period_start").is_between(dt.date(2023, 10, 1), dt.date(2024, 9, 1))
            )["value"].to_numpy()
            predicted = outlook.forecasts.filter(pl.col("district") == district)
            assert predicted["period_start"].to_list() == _months(12, cut)
            model_errors.extend(np.abs(predicted["forecast"].to_numpy() - held_out))
            naive_errors.extend(np.abs(last_year - held_out))
    assert np.mean(model_errors) <= np.mean(naive_errors) * 1.05, (
        behaviour,
        np.mean(model_errors),
        np.mean(naive_errors),
    )


def test_a_series_cut_by_a_rebase_learns_its_level_only_from_after_it():
    kpis = _kpis("level_shift", 3)
    outlook = forecast_metrics(kpis, [_metric("level_shift", REBASE)], Grain.MONTH, 6, AS_AT)
    districts = outlook.forecasts.filter(pl.col("district") != ALL_DISTRICTS)
    # The level after the rebase is 35 a month (70 before it).
    assert districts["forecast"].is_between(25, 45).all()
    assert outlook.windows["level_shift"].first == REBASE


def test_the_force_forecast_is_the_sum_of_the_districts_and_says_so():
    outlook = forecast_metrics(_kpis("seasonal", 4), [_metric("seasonal")], Grain.MONTH, 12, AS_AT)
    table = outlook.forecasts
    assert table.columns == FORECAST_COLUMNS
    force = table.filter(pl.col("district") == ALL_DISTRICTS).sort("period_start")
    by_hand = (
        table.filter(pl.col("district") != ALL_DISTRICTS)
        .group_by("period_start")
        .agg(pl.col("forecast").sum())
        .sort("period_start")
    )
    assert force.height == 12
    assert force["forecast"].to_list() == pytest.approx(by_hand["forecast"].to_list())
    assert force["model"].str.starts_with("bottom-up: sum of 3 district forecasts").all()
    assert (force["lower_95"] <= force["lower_80"]).all()
    assert (force["lower_80"] <= force["forecast"]).all()
    assert (force["forecast"] <= force["upper_80"]).all()
    assert (force["upper_80"] <= force["upper_95"]).all()


def test_under_two_years_after_the_rebase_the_model_is_non_seasonal_and_says_so():
    kpis = _kpis("seasonal", 5)
    outlook = forecast_metrics(
        kpis, [_metric("seasonal", dt.date(2024, 1, 1))], Grain.MONTH, 3, AS_AT
    )
    # January 2024 to September 2025: 21 months.
    assert outlook.windows["seasonal"].periods == 21
    models = outlook.backtest["candidate"].unique().to_list()
    assert "SeasonalNaive" not in models
    districts = outlook.forecasts.filter(pl.col("district") != ALL_DISTRICTS)
    assert districts["model"].str.contains("non-seasonal: only 21 months since").all()


@pytest.mark.parametrize(
    ("as_at", "maturity", "last"),
    [
        pytest.param(dt.date(2025, 9, 30), 0, dt.date(2025, 9, 1), id="complete month"),
        pytest.param(dt.date(2025, 9, 29), 0, dt.date(2025, 8, 1), id="partial month"),
        pytest.param(dt.date(2025, 9, 30), 30, dt.date(2025, 8, 1), id="30 days to mature"),
        pytest.param(dt.date(2025, 9, 30), 31, dt.date(2025, 7, 1), id="31 days to mature"),
    ],
)
def test_the_last_period_learnt_from_is_complete_and_mature(as_at, maturity, last):
    metric = SimpleNamespace(id="m", rebase=(), maturity_days=maturity)
    window = training_window(metric, Grain.MONTH, START, as_at)  # type: ignore[arg-type]
    assert window.last == last


@pytest.mark.parametrize(
    ("grain", "first"),
    [
        pytest.param(Grain.MONTH, dt.date(2023, 6, 1), id="month: June 2023"),
        pytest.param(Grain.QUARTER, dt.date(2023, 7, 1), id="quarter: the next one, July"),
    ],
)
def test_the_first_period_learnt_from_starts_on_or_after_the_rebase(grain, first):
    window = training_window(_metric("m", REBASE), grain, START, AS_AT)
    assert window.first == first


def test_a_first_month_the_data_start_part_way_through_is_left_out():
    window = training_window(_metric("m"), Grain.MONTH, dt.date(2020, 4, 15), AS_AT)
    assert window.first == dt.date(2020, 5, 1)


def test_a_rate_is_refused_with_a_one_line_reason():
    rate = next(metric for metric in REGISTRY if not is_count(metric))
    with pytest.raises(ForecastError, match="not a count"):
        forecast_metrics(_kpis("flat", 0), [rate], Grain.MONTH, 3, AS_AT)


def test_too_little_history_is_refused_with_a_one_line_reason():
    with pytest.raises(ForecastError, match="too few complete, mature months"):
        forecast_metrics(
            _kpis("flat", 0), [_metric("flat", dt.date(2025, 9, 1))], Grain.MONTH, 3, AS_AT
        )
