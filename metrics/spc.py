"""Statistical process control: Making Data Count XmR charts, signals and icons for one series.

NHS England's Making Data Count (MDC) reads a performance series with an XmR chart instead of
red/amber/green ratings or two-point comparisons. The rules follow ``shared/references/spc.md``
and the R package NHSRplotthedots (nhs-r-community), whose source is cited where a choice is
copied from it:

* ``R/ptd_spc_standard.R``: mean, moving ranges, outlier screening (``mr < 3.267 * amr`` is
  kept), limits ``mean +/- 2.66 * amr`` and near limits ``mean +/- 2 * (2.66 / 3) * amr``.
* ``R/ptd_calculate_point_type.R`` (``ptd_special_cause_type``, ``ptd_point_type``): each rule
  is computed on its own over the whole group, then every point takes the label of the first
  rule, in order of precedence, that flags *that point*; the label's side (above/below the mean,
  or an increasing/decreasing trend) is turned into improvement/concern by the direction.
* ``R/ptd_calculate_assurance_type.R``: assurance from the last point's target and limits.

Decisions where the reference leaves room:

* Precedence is per point. An upward trend that starts with a point below the lower limit gives
  that point ``special_cause_concern`` (rule 1, outside the limits, when up is better) and the
  other six ``special_cause_improvement`` (rule 2, the trend); a falling trend above the mean is
  a concern even though the same points are also a shift above the mean. NHSRplotthedots 0.1.0
  typed every signal by its side of the mean; 0.2.2 fixed that for trends (issues #167, #171).
* A trend's direction: a point shared by a rising and a falling trend (a peak) takes the later
  trend, as NHSRplotthedots does ("if a point is part of a trend either side, use right side").
* Two-in-three: ``two_in_three="mdc"`` (default) counts points beyond 2 sigma including those
  beyond 3 sigma (MDC since November 2023); ``"nhsr"`` counts only points between 2 and 3 sigma
  (NHSRplotthedots' ``close_to_limits``). Either way only the counted points are flagged, and all
  three points must be strictly on the same side of the mean.
* Missing values (null or NaN, e.g. an empty rate) are left out: the moving range joins the
  non-null points either side of a gap, and the rules run on the non-null points in order. The
  row is kept with its group's mean and limits and a null ``spc_point_type``. NHSRplotthedots
  instead takes no moving range across a gap and cannot evaluate trends over one.
* Rebase dates: a group starts at the first point whose ``period_start`` is on or after the
  date (NHSRplotthedots needs the exact date of a point). No moving range crosses a rebase.
* ``trial_limits`` marks a group with fewer than 13 non-null points; a group with fewer than two
  has a mean (if it has one point) but no limits, and its points are common cause.
* The variation icon is the type of the last non-null point; assurance uses the target of the
  chart's last row against the limits of the latest group (None without a target, without limits
  or for a neutral metric). A target exactly on a limit is ``inconsistent``.
* Provisional points (a period that can still change on the as-at date, ``provisional``) are
  left out of the mean, the moving ranges, the limits and every rule, like missing values, but
  keep their value and take the type ``provisional``. The icons read the last mature period.
* When every moving range is zero, screening is skipped (NHSRplotthedots would drop them all and
  divide by zero); the limits then equal the mean and no point is outside them.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Final, Literal, get_args

import polars as pl

Direction = Literal["up", "down", "neutral"]
TwoInThree = Literal["mdc", "nhsr"]
PointType = Literal[
    "common_cause",
    "special_cause_improvement",
    "special_cause_concern",
    "special_cause_neutral_high",
    "special_cause_neutral_low",
]
Assurance = Literal["consistently_pass", "consistently_fail", "inconsistent"]
Side = Literal["high", "low"]

POINT_TYPES: Final[tuple[PointType, ...]] = get_args(PointType)
# Not a type the rules give: a point left out of them because its period is not mature yet.
PROVISIONAL_POINT: Final = "provisional"

# 2.66 = 3 / d2 (d2 = 1.128 for ranges of two points): three sigma from the average moving range.
PROCESS_LIMIT_FACTOR: Final = 2.66
# Two sigma, written as NHSRplotthedots writes it (limitclose <- 2 * (limit / 3)) = 1.77333...
NEAR_LIMIT_FACTOR: Final = 2 * (PROCESS_LIMIT_FACTOR / 3)
# D4 for ranges of two points: a moving range this many times the average is an outlier.
OUTLIER_SCREEN_FACTOR: Final = 3.267
# MDC: limits from fewer points than this are provisional ("trial limits").
TRIAL_LIMIT_POINTS: Final = 13

CHART_SCHEMA: Final = pl.Schema(
    {
        "period_start": pl.Date,
        "value": pl.Float64,
        "group": pl.UInt32,
        "spc_mean": pl.Float64,
        "spc_lower": pl.Float64,
        "spc_upper": pl.Float64,
        "spc_lower_near": pl.Float64,
        "spc_upper_near": pl.Float64,
        "trial_limits": pl.Boolean,
        "target": pl.Float64,
        "spc_point_type": pl.String,
        "provisional": pl.Boolean,
    }
)
TABLE_COLUMNS: Final = (
    "period_start",
    "value",
    "spc_mean",
    "spc_lower",
    "spc_upper",
    "spc_point_type",
)


@dataclass(frozen=True)
class SpcOptions:
    """How to read one metric: which way is better, its target, and which MDC rule variants."""

    direction: Direction = "up"
    # A number, or steps of (effective_from, value); effective_from None means from the start.
    target: float | Sequence[tuple[dt.date | None, float]] | None = None
    screen_outliers: bool = False
    rebase: Sequence[dt.date] = ()
    two_in_three: TwoInThree = "mdc"
    run_length: int = 7

    def __post_init__(self) -> None:
        """Reject unknown settings early and keep targets and rebase dates as sorted tuples."""
        if self.direction not in get_args(Direction):
            raise ValueError(f"direction must be up, down or neutral, not {self.direction!r}")
        object.__setattr__(self, "direction", str(self.direction))
        if self.two_in_three not in get_args(TwoInThree):
            raise ValueError(f"two_in_three must be 'mdc' or 'nhsr', not {self.two_in_three!r}")
        if self.run_length not in (6, 7):
            raise ValueError(f"run_length must be 7 (MDC) or 6, not {self.run_length!r}")
        object.__setattr__(self, "target", _normalise_target(self.target))
        object.__setattr__(self, "rebase", tuple(sorted({_as_date(d) for d in self.rebase})))


@dataclass(frozen=True)
class SpcSummary:
    """The two MDC icons for a chart, as codes (``presentation.spc_words`` words them)."""

    variation: PointType
    side: Side | None  # whether the signal is high or low; None for common cause
    assurance: Assurance | None
    no_assurance: str  # why there is no assurance reading ("" when there is one)


@dataclass(frozen=True)
class _Limits:
    """A group's centre line and average moving range (None: too few points for limits)."""

    mean: float | None
    amr: float | None

    def at(self, factor: float, side: int) -> float | None:
        """The line ``factor`` average moving ranges above (+1) or below (-1) the mean."""
        if self.mean is None or self.amr is None:
            return None
        return self.mean + side * factor * self.amr


def spc_chart(
    period_start: Sequence[dt.date] | pl.Series,
    values: Sequence[float | None] | pl.Series,
    options: SpcOptions | None = None,
    provisional: Sequence[bool] | pl.Series | None = None,
) -> pl.DataFrame:
    """One row per period with the limits and MDC point type, ready to draw or to summarise.

    ``provisional`` flags periods that are not mature: they are charted but left out of the
    limits and the rules.
    """
    options = options or SpcOptions()
    dates = _dates(period_start)
    ys = _values(values)
    if len(dates) != len(ys):
        raise ValueError(f"{len(dates)} period starts but {len(ys)} values")
    flags = [False] * len(dates) if provisional is None else [bool(f) for f in provisional]
    if len(flags) != len(dates):
        raise ValueError(f"{len(dates)} period starts but {len(flags)} provisional flags")
    for earlier, later in pairwise(dates):
        if not earlier < later:
            raise ValueError(f"period_start must be strictly increasing: {earlier} then {later}")

    columns: dict[str, list] = {name: [] for name in CHART_SCHEMA}
    bounds = _group_bounds(dates, options.rebase)
    for group, (start, stop) in enumerate(pairwise(bounds)):
        present = [ys[i] for i in range(start, stop) if ys[i] is not None and not flags[i]]
        limits = _limits(present, options.screen_outliers)
        types = iter(_point_types(present, limits, options))
        trial = len(present) < TRIAL_LIMIT_POINTS
        for i in range(start, stop):
            columns["period_start"].append(dates[i])
            columns["value"].append(ys[i])
            columns["group"].append(group)
            columns["spc_mean"].append(limits.mean)
            columns["spc_lower"].append(limits.at(PROCESS_LIMIT_FACTOR, -1))
            columns["spc_upper"].append(limits.at(PROCESS_LIMIT_FACTOR, +1))
            columns["spc_lower_near"].append(limits.at(NEAR_LIMIT_FACTOR, -1))
            columns["spc_upper_near"].append(limits.at(NEAR_LIMIT_FACTOR, +1))
            columns["trial_limits"].append(trial)
            columns["target"].append(_target_on(dates[i], options.target))
            columns["spc_point_type"].append(
                None if ys[i] is None else PROVISIONAL_POINT if flags[i] else next(types)
            )
            columns["provisional"].append(flags[i])
    return pl.DataFrame(columns, schema=CHART_SCHEMA)


def spc_table(
    period_start: Sequence[dt.date] | pl.Series,
    values: Sequence[float | None] | pl.Series,
    options: SpcOptions | None = None,
) -> pl.DataFrame:
    """The chart's columns a reader needs in a table or CSV export, without the drawing aids."""
    return spc_chart(period_start, values, options).select(TABLE_COLUMNS)


def spc_summary(chart: pl.DataFrame, options: SpcOptions | None = None) -> SpcSummary:
    """The variation and assurance icons of a chart, worded; targets come from the chart."""
    options = options or SpcOptions()
    mature = mature_rows(chart)
    types = mature.get_column("spc_point_type").drop_nulls()
    variation: PointType = types[-1] if len(types) else "common_cause"
    assurance, why_none = _assurance(mature, options)
    if chart.height and not mature.height and options.direction != "neutral":
        assurance, why_none = None, "No assurance: every period is still provisional"
    return SpcSummary(
        variation=variation,
        side=signal_side(variation, options.direction),
        assurance=assurance,
        no_assurance="" if assurance else why_none,
    )


def mature_rows(chart: pl.DataFrame) -> pl.DataFrame:
    """The chart's rows whose period is mature: the ones the icons may read."""
    if "provisional" not in chart.columns:
        return chart
    return chart.filter(~pl.col("provisional").fill_null(False))


def icon_period(chart: pl.DataFrame) -> dt.date | None:
    """The period the icons read: the last mature period (None when there is none)."""
    mature = mature_rows(chart)
    return mature["period_start"][-1] if mature.height else None


# --- inputs -----------------------------------------------------------------------------------


def _as_date(value: dt.date) -> dt.date:
    """A plain date, because a datetime cannot be compared with a date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise TypeError(f"expected a date, got {value!r}")


def _normalise_target(
    target: float | Sequence[tuple[dt.date | None, float]] | None,
) -> float | tuple[tuple[dt.date | None, float], ...] | None:
    """A finite number, or target steps sorted by date with None (from the start) first."""
    if target is None:
        return None
    if isinstance(target, bool):
        raise TypeError("target must be a number or (effective_from, value) pairs, not a bool")
    if isinstance(target, int | float):
        if not math.isfinite(target):
            raise ValueError(f"target must be finite, not {target!r}")
        return float(target)
    steps = [(None if day is None else _as_date(day), float(value)) for day, value in target]
    starts = [day for day, _ in steps]
    if len(set(starts)) != len(starts):
        raise ValueError("two targets take effect on the same date")
    if not all(math.isfinite(value) for _, value in steps):
        raise ValueError("targets must be finite numbers")
    return tuple(sorted(steps, key=lambda step: (step[0] is not None, step[0] or dt.date.min)))


def _target_on(day: dt.date, target: float | tuple | None) -> float | None:
    """The target in force on ``day``: the latest step that took effect on or before it."""
    if target is None or isinstance(target, float):
        return target
    starts = [dt.date.min if start is None else start for start, _ in target]
    position = bisect.bisect_right(starts, day)
    return target[position - 1][1] if position else None


def _dates(period_start: Sequence[dt.date] | pl.Series) -> list[dt.date]:
    """Period starts as dates (a Datetime series is truncated to its date)."""
    if isinstance(period_start, pl.Series):
        return period_start.cast(pl.Date).to_list()
    return [_as_date(day) for day in period_start]


def _values(values: Sequence[float | None] | pl.Series) -> list[float | None]:
    """Values as floats, with NaN (an empty rate, 0 / 0) read as missing."""
    series = values if isinstance(values, pl.Series) else pl.Series(values, dtype=pl.Float64)
    return series.cast(pl.Float64).fill_nan(None).to_list()


def _group_bounds(dates: list[dt.date], rebase: Sequence[dt.date]) -> list[int]:
    """Start indices of the rebase groups plus the end: a group starts on or after a rebase."""
    starts = {bisect.bisect_left(dates, day) for day in rebase}
    return sorted({0, len(dates)} | {i for i in starts if 0 < i < len(dates)})


# --- limits and rules --------------------------------------------------------------------------


def _limits(ys: list[float], screen_outliers: bool) -> _Limits:
    """Mean and average moving range of one group's non-null values (ptd_spc_standard.R)."""
    if not ys:
        return _Limits(None, None)
    mean = math.fsum(ys) / len(ys)
    if len(ys) < 2:
        return _Limits(mean, None)
    ranges = [abs(later - earlier) for earlier, later in pairwise(ys)]
    amr = math.fsum(ranges) / len(ranges)
    if screen_outliers and amr > 0:
        # Screen once: drop moving ranges >= 3.267 x AMR and recompute, as NHSRplotthedots does.
        kept = [r for r in ranges if r < OUTLIER_SCREEN_FACTOR * amr]
        amr = math.fsum(kept) / len(kept)
    return _Limits(mean, amr)


def _sign(x: float) -> int:
    """+1, -1, or 0 for exactly zero."""
    return (x > 0) - (x < 0)


def _point_types(ys: list[float], limits: _Limits, options: SpcOptions) -> list[PointType]:
    """The MDC type of each of one group's non-null points, by per-point rule precedence."""
    if limits.mean is None or limits.amr is None:
        return ["common_cause"] * len(ys)
    mean = limits.mean
    upper, lower = limits.at(PROCESS_LIMIT_FACTOR, +1), limits.at(PROCESS_LIMIT_FACTOR, -1)
    upper_near, lower_near = limits.at(NEAR_LIMIT_FACTOR, +1), limits.at(NEAR_LIMIT_FACTOR, -1)
    side = [_sign(y - mean) for y in ys]
    outside = [y > upper or y < lower for y in ys]
    beyond_two_sigma = [y > upper_near or y < lower_near for y in ys]
    if options.two_in_three == "nhsr":
        # NHSRplotthedots' close_to_limits = !outside_limits & (y < nlpl | y > nupl).
        beyond_two_sigma = [b and not o for b, o in zip(beyond_two_sigma, outside, strict=True)]
    trend = _trend(ys, options.run_length)
    two_in_three = _two_in_three(beyond_two_sigma, side)
    shift = _shift(side, options.run_length)

    types: list[PointType] = []
    for i in range(len(ys)):
        # Precedence (ptd_special_cause_type's case_when): outside, trend, two-in-three, shift.
        if outside[i]:
            signal = side[i]
        elif trend[i]:
            signal = trend[i]
        elif two_in_three[i] or shift[i]:
            signal = side[i]
        else:
            signal = 0
        types.append(_type_of(signal, options.direction))
    return types


def _trend(ys: list[float], run_length: int) -> list[int]:
    """+1/-1 for points in a run of ``run_length`` points each above/below the one before."""
    steps = [_sign(later - earlier) for earlier, later in pairwise(ys)]
    trend = [0] * len(ys)
    # A window of run_length points has run_length - 1 steps; an equal value (step 0) breaks it.
    # Later windows overwrite earlier ones, so a peak shared by a rise and a fall takes the fall
    # (NHSRplotthedots: "if a point is part of a trend either side, use right side").
    for last in range(run_length - 1, len(ys)):
        window = steps[last - run_length + 1 : last]
        if window[0] != 0 and all(step == window[0] for step in window):
            trend[last - run_length + 1 : last + 1] = [window[0]] * run_length
    return trend


def _two_in_three(beyond: list[bool], side: list[int]) -> list[bool]:
    """Points beyond 2 sigma in a window of 3 with 2 or more beyond, all 3 on one side."""
    flagged = [False] * len(beyond)
    # Like ptd_two_in_three: every window of three consecutive points lying wholly in the group.
    for first in range(len(beyond) - 2):
        window = range(first, first + 3)
        same_side = side[first] != 0 and all(side[i] == side[first] for i in window)
        if same_side and sum(beyond[i] for i in window) >= 2:
            for i in window:
                flagged[i] = flagged[i] or beyond[i]
    return flagged


def _shift(side: list[int], run_length: int) -> list[bool]:
    """Points in a run of ``run_length`` on one side of the mean; a point on the mean breaks it."""
    flagged = [False] * len(side)
    for last in range(run_length - 1, len(side)):
        window = side[last - run_length + 1 : last + 1]
        if window[0] != 0 and all(s == window[0] for s in window):
            flagged[last - run_length + 1 : last + 1] = [True] * run_length
    return flagged


def signal_side(point_type: str, direction: str) -> Side | None:
    """High or low: the one place that turns a point type and a direction into a side."""
    if point_type in ("special_cause_neutral_high", "special_cause_neutral_low"):
        return "high" if point_type == "special_cause_neutral_high" else "low"
    if point_type not in ("special_cause_improvement", "special_cause_concern"):
        return None
    if direction == "neutral":
        raise ValueError(f"a metric with no better direction cannot show {point_type!r}")
    improvement_is_high = direction == "up"
    is_improvement = point_type == "special_cause_improvement"
    return "high" if is_improvement == improvement_is_high else "low"


def _type_of(signal: int, direction: str) -> PointType:
    """Turn a high (+1) or low (-1) signal into improvement, concern or neutral high/low."""
    if signal == 0:
        return "common_cause"
    if direction == "neutral":
        return "special_cause_neutral_high" if signal > 0 else "special_cause_neutral_low"
    better = 1 if direction == "up" else -1
    return "special_cause_improvement" if signal == better else "special_cause_concern"


# --- icons ---------------------------------------------------------------------------------------


def _assurance(chart: pl.DataFrame, options: SpcOptions) -> tuple[Assurance | None, str]:
    """Assurance from the last target and latest limits, or None and the reason why not."""
    if options.direction == "neutral":
        return None, "No assurance: the metric has no better direction"
    last = chart.row(-1, named=True) if chart.height else {}
    target, lower, upper = last.get("target"), last.get("spc_lower"), last.get("spc_upper")
    if target is None:
        return None, "No target set"
    if lower is None or upper is None:
        return None, "No assurance: too few points for process limits"
    # ptd_calculate_assurance_type.R: strict comparisons, so a target on a limit is inconsistent.
    if target > upper:
        return ("consistently_fail" if options.direction == "up" else "consistently_pass"), ""
    if target < lower:
        return ("consistently_pass" if options.direction == "up" else "consistently_fail"), ""
    return "inconsistent", ""
