"""Demand forecasts of count metrics, each series' model chosen by a rolling-origin backtest.

The models come from Nixtla's ``statsforecast``: seasonal naive, automatic ETS and automatic
Theta. Every series is backtested by refitting at each of its last origins; the candidate with
the lowest MASE (scaled by the seasonal naive's in-sample error) is chosen. Models learn only
from mature, complete periods after the metric's latest rebase. The force's point forecast is
the sum of the districts' (bottom-up); its intervals come from the force series itself.
"""

from __future__ import annotations

import datetime as dt
import os
import warnings
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import polars as pl

from metrics.definitions import Count, Metric
from metrics.periods import Grain, label_of
from metrics.sources import ALL_DISTRICTS

# Compiled numba code is cached on disk, so only the first run on a machine pays for it.
os.environ.setdefault("NIXTLA_NUMBA_CACHE", "1")

LEVELS = (80, 95)
SEASON = {Grain.MONTH: 12, Grain.QUARTER: 4}
STEP_MONTHS = {Grain.MONTH: 1, Grain.QUARTER: 3}
# The backtest scores forecasts of the last periods of the window, each from a few origins.
BACKTEST_SPAN = {Grain.MONTH: 12, Grain.QUARTER: 8}
BACKTEST_HORIZON = {Grain.MONTH: 3, Grain.QUARTER: 2}
# Fewest periods a model is fitted to in the backtest.
MIN_TRAIN = 6
FORECAST_COLUMNS = [
    "metric_id",
    "district",
    "period_start",
    "period_label",
    "forecast",
    "lower_80",
    "upper_80",
    "lower_95",
    "upper_95",
    "model",
]
BACKTEST_SCHEMA = {
    "metric_id": pl.String,
    "district": pl.String,
    "candidate": pl.String,
    "mase": pl.Float64,
    "mae": pl.Float64,
    "coverage_80": pl.Float64,
    "coverage_95": pl.Float64,
    "points": pl.Int64,
    "chosen": pl.Boolean,
}
SEASONAL_CANDIDATES = ("SeasonalNaive", "AutoETS", "AutoTheta")
# Under two years of history: no seasonal pattern can be learnt, so the mean of the periods
# since the rebase stands in for the seasonal naive (errors still scaled by the naive's).
SHORT_CANDIDATES = ("HistoricAverage", "AutoETS", "AutoTheta")


class ForecastError(ValueError):
    """A forecast that cannot be made, said in one line (a rate, or too little history)."""


def is_count(metric: Metric) -> bool:
    """Only counts are demand: rates and medians are not forecast."""
    return isinstance(metric.measure, Count)


def shift(start: dt.date, grain: Grain, periods: int) -> dt.date:
    """The start of the period ``periods`` periods after (or before) ``start``."""
    months = start.year * 12 + start.month - 1 + periods * STEP_MONTHS[grain]
    return dt.date(months // 12, months % 12 + 1, 1)


def period_of(day: dt.date, grain: Grain) -> dt.date:
    """The start of the month or quarter (January, April, July, October) holding ``day``."""
    month = day.month - (day.month - 1) % STEP_MONTHS[grain]
    return dt.date(day.year, month, 1)


def first_on_or_after(day: dt.date, grain: Grain) -> dt.date:
    """The first period that starts on or after ``day``."""
    start = period_of(day, grain)
    return start if start == day else shift(start, grain, 1)


@dataclass(frozen=True)
class Window:
    """The periods a metric's models learn from, and whether they may be seasonal."""

    metric_id: str
    grain: Grain
    first: dt.date
    last: dt.date
    rebase: dt.date | None

    @property
    def periods(self) -> int:
        return _months_between(self.first, self.last) // STEP_MONTHS[self.grain] + 1

    @property
    def seasonal(self) -> bool:
        """Two full years of history at least: enough to learn a seasonal pattern."""
        return self.periods >= 2 * SEASON[self.grain]

    @property
    def candidates(self) -> tuple[str, ...]:
        return SEASONAL_CANDIDATES if self.seasonal else SHORT_CANDIDATES

    @property
    def note(self) -> str:
        """Why the models are not seasonal, if they are not; empty otherwise."""
        if self.seasonal:
            return ""
        since = f"since the {self.rebase:%d %b %Y} rebase" if self.rebase else "of history"
        return f"non-seasonal: only {self.periods} {self.grain.value}s {since}"


def _months_between(first: dt.date, last: dt.date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month


def training_window(
    metric: Metric,
    grain: Grain,
    first_date: dt.date,
    as_at: dt.date,
) -> Window:
    """Complete, mature periods after the latest rebase, up to the as-at date.

    A period is provisional while its end plus the metric's maturity days is after ``as_at``;
    the first period is left out when the data start part of the way through it.
    """
    if grain not in SEASON:
        raise ForecastError(f"forecasts are by month or quarter, not {grain.value}")
    maturity = dt.timedelta(days=getattr(metric, "maturity_days", 0) or 0)
    last = period_of(as_at, grain)
    while shift(last, grain, 1) - dt.timedelta(days=1) + maturity > as_at:
        last = shift(last, grain, -1)
    first = first_on_or_after(first_date, grain)
    rebase = max((r.date for r in metric.rebase), default=None)
    if rebase is not None:
        first = max(first, first_on_or_after(rebase, grain))
    window = Window(metric.id, grain, first, last, rebase)
    if last < first or window.periods < 2:
        raise ForecastError(
            f"{metric.id}: too few complete, mature {grain.value}s to forecast from "
            f"(need 2 from {first:%d %b %Y} to the as-at date {as_at:%d %b %Y})"
        )
    return window


def _models(names: Sequence[str], season: int) -> list:
    from statsforecast.models import AutoETS, AutoTheta, HistoricAverage, SeasonalNaive

    made = {
        "SeasonalNaive": lambda: SeasonalNaive(season_length=season, alias="SeasonalNaive"),
        "HistoricAverage": lambda: HistoricAverage(alias="HistoricAverage"),
        "AutoETS": lambda: AutoETS(season_length=season, model="AZZ", alias="AutoETS"),
        "AutoTheta": lambda: AutoTheta(season_length=season, alias="AutoTheta"),
    }
    return [made[name]() for name in names]


def _reuse_frozen_normals() -> None:
    """Build each scipy distribution statsforecast asks for once, not once per series.

    statsforecast 2.1 freezes a new ``scipy.stats.norm`` for the quantiles of every interval
    it draws, and scipy writes a docstring for each one (17 ms): most of the backtest's time.
    The same arguments give the same distribution, so one built for them is kept and reused.
    """
    from statsforecast import distributions

    build = distributions.frozen_error_distribution
    if getattr(build, "_reused", False):
        return
    kept: dict[tuple, object] = {}

    def reused(sigma: float, distribution: str, params=None):
        if params:
            return build(sigma, distribution, params)
        key = (float(sigma), distribution)
        if key not in kept:
            kept[key] = build(sigma, distribution, params)
        return kept[key]

    reused._reused = True  # type: ignore[attr-defined]
    distributions.frozen_error_distribution = reused


def _engine(window: Window):
    from statsforecast import StatsForecast

    _reuse_frozen_normals()

    season = SEASON[window.grain] if window.seasonal else 1
    return StatsForecast(models=_models(window.candidates, season), freq=1, n_jobs=1)


@contextmanager
def _quiet():
    """statsforecast's fits warn on short or flat series (division by zero degrees of
    freedom) and then rule those fits out themselves: the warnings are not for the reader."""
    import numpy as np

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


@dataclass(frozen=True)
class Outlook:
    """Forecasts (``FORECAST_COLUMNS``), the backtest per series and candidate, the history."""

    forecasts: pl.DataFrame
    backtest: pl.DataFrame
    history: pl.DataFrame  # metric_id, district, period_start, value, trained (bool)
    windows: dict[str, Window]


def _series(kpis: pl.DataFrame, window: Window) -> pl.DataFrame:
    """The window's periods of one metric, as statsforecast's long frame (``ds`` an index)."""
    step = STEP_MONTHS[window.grain]
    months = (pl.col("period_start").dt.year() - window.first.year) * 12 + (
        pl.col("period_start").dt.month() - window.first.month
    )
    return (
        kpis.filter(
            pl.col("metric_id") == window.metric_id,
            pl.col("period_start").is_between(window.first, window.last),
        )
        .select(
            pl.col("district").alias("unique_id"),
            (months // step).cast(pl.Int64).alias("ds"),
            pl.col("value").fill_null(0).cast(pl.Float64).alias("y"),
        )
        .sort("unique_id", "ds")
    )


def _scale(series: pl.DataFrame, lag: int) -> pl.DataFrame:
    """The in-sample mean absolute error of the (seasonal) naive: the MASE denominator."""
    error = (pl.col("y") - pl.col("y").shift(lag)).abs()
    return series.group_by("unique_id").agg(
        error.mean().fill_null(0).alias("__scale"),
    )


def _backtest(series: pl.DataFrame, window: Window) -> tuple[pl.DataFrame, int]:
    """Each candidate's MASE, MAE and interval coverage over rolling origins; and the span."""
    horizon = BACKTEST_HORIZON[window.grain]
    span = min(BACKTEST_SPAN[window.grain], window.periods - MIN_TRAIN)
    names = window.candidates
    if span < 1:
        return pl.DataFrame(schema=BACKTEST_SCHEMA), 0
    horizon = min(horizon, span)
    # Origins ``horizon`` apart, so each of the last ``span`` periods is forecast once, one to
    # ``horizon`` periods ahead. Seasonal models are fitted at the first origin and carried
    # forward through the later ones with their parameters fixed (far faster than refitting).
    windows = span // horizon
    with _quiet():
        cv = _engine(window).cross_validation(
            df=series,
            h=horizon,
            n_windows=windows,
            step_size=horizon,
            level=list(LEVELS),
            # The historic average cannot be carried forward: short windows refit (cheaply).
            refit=not window.seasonal,
        )
    cv = pl.from_pandas(cv) if not isinstance(cv, pl.DataFrame) else cv
    lag = SEASON[window.grain] if window.seasonal else 1
    scale = _scale(series, lag)
    long = pl.concat(
        [
            cv.select(
                "unique_id",
                "y",
                pl.lit(name).alias("candidate"),
                pl.col(name).clip(0).alias("point"),
                *(pl.col(f"{name}-lo-{lv}").clip(0).alias(f"lo_{lv}") for lv in LEVELS),
                *(pl.col(f"{name}-hi-{lv}").clip(0).alias(f"hi_{lv}") for lv in LEVELS),
            )
            for name in names
        ]
    )
    inside = {lv: pl.col("y").is_between(pl.col(f"lo_{lv}"), pl.col(f"hi_{lv}")) for lv in LEVELS}
    scored = (
        long.join(scale, on="unique_id")
        .group_by("unique_id", "candidate")
        .agg(
            (pl.col("y") - pl.col("point")).abs().mean().alias("mae"),
            pl.col("__scale").first(),
            *(inside[lv].mean().alias(f"coverage_{lv}") for lv in LEVELS),
            pl.len().cast(pl.Int64).alias("points"),
        )
        .with_columns(
            # A constant series has no in-sample error: its errors are then read unscaled.
            (pl.col("mae") / pl.when(pl.col("__scale") > 0).then("__scale").otherwise(1.0)).alias(
                "mase"
            ),
            pl.col("candidate")
            .replace_strict({name: order for order, name in enumerate(names)})
            .alias("__order"),
        )
    )
    best = (
        scored.sort("unique_id", "mase", "__order")
        .group_by("unique_id", maintain_order=True)
        .first()
        .select("unique_id", pl.col("candidate").alias("__best"))
    )
    table = (
        scored.join(best, on="unique_id")
        .with_columns((pl.col("candidate") == pl.col("__best")).alias("chosen"))
        .sort("unique_id", "__order")
        .select(
            pl.lit(window.metric_id).alias("metric_id"),
            pl.col("unique_id").alias("district"),
            *(name for name in BACKTEST_SCHEMA if name not in ("metric_id", "district")),
        )
    )
    return table.cast(BACKTEST_SCHEMA), windows * horizon


def _future(series: pl.DataFrame, window: Window, horizon: int) -> pl.DataFrame:
    """Every candidate's forecast for every series, with intervals, never below zero."""
    with _quiet():
        predicted = _engine(window).forecast(df=series, h=horizon, level=list(LEVELS))
    predicted = pl.from_pandas(predicted) if not isinstance(predicted, pl.DataFrame) else predicted
    step = pl.col("ds") - window.periods  # 0 for the first period after the window
    return pl.concat(
        [
            predicted.select(
                "unique_id",
                step.alias("step"),
                pl.lit(name).alias("candidate"),
                pl.col(name).clip(0).alias("forecast"),
                *(pl.col(f"{name}-lo-{lv}").clip(0).alias(f"lower_{lv}") for lv in LEVELS),
                *(pl.col(f"{name}-hi-{lv}").clip(0).alias(f"upper_{lv}") for lv in LEVELS),
            )
            for name in window.candidates
        ]
    )


BOUNDS = [f"{side}_{lv}" for lv in LEVELS for side in ("lower", "upper")]


def _coherent(chosen: pl.DataFrame) -> pl.DataFrame:
    """The force's point is the districts' sum; its intervals keep the force model's widths."""
    districts = chosen.filter(pl.col("unique_id") != ALL_DISTRICTS)
    force = chosen.filter(pl.col("unique_id") == ALL_DISTRICTS)
    if force.is_empty() or districts.is_empty():
        return chosen
    count = districts["unique_id"].n_unique()
    summed = districts.group_by("step").agg(pl.col("forecast").sum().alias("__sum"))
    force = force.join(summed, on="step").with_columns(
        *(
            (pl.col("__sum") + pl.col(bound) - pl.col("forecast")).clip(0).alias(bound)
            for bound in BOUNDS
        ),
        pl.col("__sum").alias("forecast"),
        pl.format(
            "bottom-up: sum of {} district forecasts; intervals from {} on the force series",
            pl.lit(count),
            pl.col("model"),
        ).alias("model"),
    )
    return pl.concat([force.drop("__sum"), districts])


def _labels(window: Window, horizon: int) -> pl.DataFrame:
    starts = [shift(window.last, window.grain, step + 1) for step in range(horizon)]
    return pl.DataFrame(
        {
            "step": list(range(horizon)),
            "period_start": starts,
            "period_label": [label_of(start, window.grain) for start in starts],
        },
        schema={"step": pl.Int64, "period_start": pl.Date, "period_label": pl.String},
    )


def _forecast_one(
    kpis: pl.DataFrame, window: Window, horizon: int
) -> tuple[pl.DataFrame, pl.DataFrame]:
    series = _series(kpis, window)
    backtest, _span = _backtest(series, window)
    future = _future(series, window, horizon)
    if backtest.is_empty():
        # Too short to backtest: the simplest candidate, and the model column says why.
        fallback = window.candidates[0]
        choice = series.select(pl.col("unique_id").unique()).with_columns(
            pl.lit(fallback).alias("candidate"),
            pl.lit(f"{fallback} (too little history to backtest)").alias("model"),
        )
    else:
        note = f" ({window.note})" if window.note else ""
        choice = backtest.filter("chosen").select(
            pl.col("district").alias("unique_id"),
            "candidate",
            (pl.col("candidate") + pl.lit(note)).alias("model"),
        )
    chosen = future.join(choice, on=["unique_id", "candidate"])
    table = (
        _coherent(chosen)
        .join(_labels(window, horizon), on="step")
        .select(
            pl.lit(window.metric_id).alias("metric_id"),
            pl.col("unique_id").alias("district"),
            "period_start",
            "period_label",
            "forecast",
            *BOUNDS,
            "model",
        )
        .select(FORECAST_COLUMNS)
    )
    return table, backtest


def _order(kpis: pl.DataFrame, metrics: list[Metric]) -> pl.DataFrame:
    """Registry order of the metrics, and the districts as in ``kpis`` (``All`` first)."""
    districts = kpis["district"].unique(maintain_order=True).to_list()
    ranked = [ALL_DISTRICTS, *(name for name in districts if name != ALL_DISTRICTS)]
    return (
        pl.DataFrame({"district": ranked})
        .with_row_index("__district")
        .join(
            pl.DataFrame({"metric_id": [m.id for m in metrics]}).with_row_index("__metric"),
            how="cross",
        )
    )


def _sorted(frame: pl.DataFrame, order: pl.DataFrame, *then: str) -> pl.DataFrame:
    return (
        frame.join(order, on=["metric_id", "district"], how="left", maintain_order="left")
        .sort("__metric", "__district", *then, maintain_order=True)
        .drop("__metric", "__district")
    )


def forecast_metrics(
    kpis: pl.DataFrame,
    metrics: Iterable[Metric],
    grain: Grain,
    horizon: int,
    as_at: dt.date,
    districts: Sequence[str] | None = None,
    first_date: dt.date | None = None,
) -> Outlook:
    """Forecasts of count metrics from ``compute_kpis`` rows at ``grain`` (all districts).

    ``first_date`` is the date of the first record (a period it starts part way through is
    left out). ``districts`` keeps only those series in the result (``All``, the force, is
    bottom-up from every district in ``kpis`` either way). Raises ``ForecastError`` for a
    metric that is not a count, or one with fewer than two mature periods.
    """
    if horizon < 1:
        raise ForecastError(f"the horizon must be at least 1 period, not {horizon}")
    metrics = list(metrics)
    for metric in metrics:
        if not is_count(metric):
            raise ForecastError(
                f"{metric.id} is a {metric.kind}, not a count: only counts are forecast"
            )
    if kpis.is_empty():
        raise ForecastError("there are no KPI rows to forecast from")
    first_date = first_date or kpis["period_start"].min()
    forecasts, backtests, windows = [], [], {}
    for metric in metrics:
        window = training_window(metric, grain, first_date, as_at)
        windows[metric.id] = window
        table, backtest = _forecast_one(kpis, window, horizon)
        forecasts.append(table)
        backtests.append(backtest)
    spans = pl.DataFrame(
        {
            "metric_id": list(windows),
            "__first": [w.first for w in windows.values()],
            "__last": [w.last for w in windows.values()],
        },
        schema={"metric_id": pl.String, "__first": pl.Date, "__last": pl.Date},
    )
    history = kpis.join(spans, on="metric_id").select(
        "metric_id",
        "district",
        "period_start",
        "value",
        pl.col("period_start").is_between("__first", "__last").alias("trained"),
    )
    order = _order(kpis, metrics)
    outlook = Outlook(
        _sorted(pl.concat(forecasts), order, "period_start"),
        _sorted(pl.concat(backtests).cast(BACKTEST_SCHEMA), order),
        history,
        windows,
    )
    if districts is not None:
        keep = pl.col("district").is_in(list(districts))
        return Outlook(
            outlook.forecasts.filter(keep),
            outlook.backtest.filter(keep),
            outlook.history.filter(keep),
            windows,
        )
    return outlook
