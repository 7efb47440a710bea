"""SPC (Making Data Count XmR) charts: published reference values and each rule at its edges.

Reference values come from NHSRplotthedots' test snapshots (shared/references/spc.md). Every
other expected value is worked out by hand in the comment beside it, never copied from output.
Near limits are mean +/- 1.7733 x AMR, process limits mean +/- 2.66 x AMR.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import NamedTuple

import polars as pl
import pytest

from metrics.spc import (
    POINT_TYPES,
    SpcOptions,
    SpcSummary,
    spc_chart,
    spc_summary,
    spc_table,
)

C = "common_cause"
IMP = "special_cause_improvement"
CON = "special_cause_concern"
HIGH = "special_cause_neutral_high"
LOW = "special_cause_neutral_low"

FIRST_DAY = dt.date(2020, 1, 2)

# R: set.seed(123); rnorm(20), charted daily from 2020-01-02 in NHSRplotthedots' tests.
RNORM_20 = [
    -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499, 0.46091621,
    -1.26506123, -0.68685285, -0.44566197, 1.22408180, 0.35981383, 0.40077145, 0.11068272,
    -0.55584113, 1.78691314, 0.49785048, -1.96661716, 0.70135590, -0.47279141,
]  # fmt: skip
RNORM_20_OUTLIER = [*RNORM_20[:14], 10.0, *RNORM_20[15:]]

# Hand-made series. Unless stated, screening is off and run_length is 7.
# 7-point rise 2..8 between swings of 0/10. Sum 30 + 35 + 20 = 85, n = 16, mean 5.3125.
# Moving ranges: 4 x 10, 8, 6 x 1, 8, 3 x 10 = 92 over 15, AMR 6.1333; near limits
# 5.3125 +/- 10.876 = (-5.56, 16.19): every value in [0, 10] is inside. Sides: 10 above,
# 2..5 below (with the -1 before them at most 5 in a row), 6..8 above, then alternating.
RISE_7 = [10, 0, 10, 0, 10, 2, 3, 4, 5, 6, 7, 8, 0, 10, 0, 10]
RISE_7_POINTS = range(5, 12)
# The mirror image (10 - y): mean 4.6875, same AMR, a 7-point fall 8..2.
FALL_7 = [10 - y for y in RISE_7]
# A 6-point rise 2..7. Sum 30 + 27 + 20 = 77, mean 4.8125. Moving ranges 4 x 10, 8, 5 x 1, 7,
# 4 x 10 = 100 over 15, AMR 6.6667, near (-7.01, 16.63). Longest run on one side: 3.
RISE_6 = [10, 0, 10, 0, 10, 2, 3, 4, 5, 6, 7, 0, 10, 0, 10, 0]
RISE_6_POINTS = range(5, 11)
# 2, 3, 4, 4, 5, 6, 7, 8: the repeated 4 splits it into rises of 3 and 5 points. Sum
# 30 + 39 + 10 = 79, mean 4.9375. Moving ranges 4 x 10, 8, 1+1+0+1+1+1+1 = 6, 8, 10, 10
# = 82 over 15, AMR 5.4667, near (-4.76, 14.63). Sides: 2..4,4 below, 5..8 above: 4 each.
RISE_WITH_TIE = [10, 0, 10, 0, 10, 2, 3, 4, 4, 5, 6, 7, 8, 0, 10, 0]


def days(n: int) -> list[dt.date]:
    """Consecutive days from 2 January 2020, as in NHSRplotthedots' tests."""
    return [FIRST_DAY + dt.timedelta(days=i) for i in range(n)]


def chart(values: list[float | None], **options: object) -> pl.DataFrame:
    """The SPC chart of ``values`` on consecutive days."""
    return spc_chart(days(len(values)), values, SpcOptions(**options))


def point_types(values: list[float | None], **options: object) -> list[str | None]:
    """The point types of ``values`` on consecutive days."""
    return chart(values, **options)["spc_point_type"].to_list()


def expected_types(n: int, flagged: dict[range | int, str]) -> list[str]:
    """Common cause everywhere except the given points (or ranges of points)."""
    types = [C] * n
    for where, point_type in flagged.items():
        for i in [where] if isinstance(where, int) else where:
            types[i] = point_type
    return types


def as_published(x: float, published: str) -> str:
    """``x`` rounded to as many decimals as the published figure shows."""
    decimals = len(published.partition(".")[2])
    return f"{x:.{decimals}f}"


SCREENING = [
    pytest.param(True, id="outliers screened"),
    pytest.param(False, id="outliers not screened"),
]


# --- reference values (NHSRplotthedots snapshots) ------------------------------------------------


@pytest.mark.parametrize("screen_outliers", SCREENING)
def test_rnorm_series_has_the_published_mean_and_limits_and_only_common_cause(
    screen_outliers: bool,
) -> None:
    result = chart(RNORM_20, screen_outliers=screen_outliers)
    first = result.row(0, named=True)
    assert as_published(first["spc_mean"], "0.1416238") == "0.1416238"
    assert as_published(first["spc_lower"], "-3.01138") == "-3.01138"
    assert as_published(first["spc_upper"], "3.294627") == "3.294627"
    assert result["spc_point_type"].to_list() == [C] * 20
    assert result["group"].to_list() == [0] * 20
    assert result["trial_limits"].to_list() == [False] * 20


class OutlierCase(NamedTuple):
    screen_outliers: bool
    lower: str
    upper: str


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(OutlierCase(True, "-2.383666", "3.722497"), id="outliers screened"),
        pytest.param(OutlierCase(False, "-4.596625", "5.935457"), id="outliers not screened"),
    ],
)
def test_a_value_of_10_at_point_15_gives_the_published_limits(case: OutlierCase) -> None:
    result = chart(RNORM_20_OUTLIER, screen_outliers=case.screen_outliers)
    first = result.row(0, named=True)
    assert as_published(first["spc_mean"], "0.6694159") == "0.6694159"
    assert as_published(first["spc_lower"], case.lower) == case.lower
    assert as_published(first["spc_upper"], case.upper) == case.upper
    # 10 is above both published upper limits (3.72 and 5.94): improvement when up is better.
    assert result["spc_point_type"][14] == IMP


@pytest.mark.parametrize("screen_outliers", SCREENING)
def test_rebasing_at_the_11th_point_gives_each_half_its_published_limits(
    screen_outliers: bool,
) -> None:
    dates = days(20)
    result = spc_chart(
        dates, RNORM_20, SpcOptions(rebase=(dates[10],), screen_outliers=screen_outliers)
    )
    groups = result.group_by("group", maintain_order=True).agg(
        pl.col("spc_mean", "spc_lower", "spc_upper").first(), pl.len(), pl.col("trial_limits").all()
    )
    published = [(0, "0.0746", "-2.60", "2.75"), (1, "0.209", "-3.28", "3.70")]
    computed = [
        (
            row["group"],
            as_published(row["spc_mean"], mean),
            as_published(row["spc_lower"], lower),
            as_published(row["spc_upper"], upper),
        )
        for row, (_, mean, lower, upper) in zip(
            groups.iter_rows(named=True), published, strict=True
        )
    ]
    assert computed == published
    assert groups["len"].to_list() == [10, 10]
    # Ten points each, fewer than 13: trial limits.
    assert groups["trial_limits"].to_list() == [True, True]
    assert result["spc_point_type"].to_list() == [C] * 20


@pytest.mark.parametrize("screen_outliers", SCREENING)
def test_two_points_near_the_limits_on_opposite_sides_of_the_mean_are_common_cause(
    screen_outliers: bool,
) -> None:
    values = [1.0, -1.0] * 8
    values[14], values[15] = 5.5, -5.5
    result = chart(values, screen_outliers=screen_outliers)
    # Mean (7 x (1 - 1) + 5.5 - 5.5) / 16 = 0. Moving ranges: 13 x 2, |5.5 - -1| = 6.5,
    # |-5.5 - 5.5| = 11. Unscreened AMR 43.5 / 15 = 2.9, upper 7.714, near 5.143: 5.5 is near.
    # Screened: 11 >= 3.267 x 2.9 = 9.47 is dropped, AMR 32.5 / 14 = 2.3214, upper 6.175, near
    # 4.117: 5.5 is near. Either way the two near points are on opposite sides: no signal.
    amr = 32.5 / 14 if screen_outliers else 2.9
    # 1.7733 is 2 sigma = 2 x 2.66 / 3 rounded; NHSRplotthedots uses the unrounded factor.
    assert result["spc_mean"][0] == pytest.approx(0.0)
    assert result["spc_upper"][0] == pytest.approx(2.66 * amr)
    assert result["spc_upper_near"][0] == pytest.approx(2 * 2.66 / 3 * amr)
    assert result["spc_lower_near"][0] == pytest.approx(-2 * 2.66 / 3 * amr)
    assert result["spc_point_type"].to_list()[-2:] == [C, C]
    assert result["spc_point_type"].to_list() == [C] * 16


class AssuranceCase(NamedTuple):
    lower: float
    upper: float
    direction: str
    assurance: str


def alternating_with_limits(lower: float, upper: float, n: int = 20) -> list[float]:
    """An even number of points alternating mean +/- h, so mean = (lower + upper) / 2 and
    every moving range is 2h = AMR = (upper - lower) / 2 / 2.66."""
    mean = (lower + upper) / 2
    half_range = (upper - lower) / 2 / 2.66 / 2
    return [mean + half_range * (-1) ** i for i in range(n)]


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(AssuranceCase(1, 3, "up", "consistently_fail"), id="up: limits 1-3 fail"),
        pytest.param(AssuranceCase(5, 7, "up", "consistently_pass"), id="up: limits 5-7 pass"),
        pytest.param(AssuranceCase(1, 5, "up", "inconsistent"), id="up: limits 1-5 inconsistent"),
        pytest.param(AssuranceCase(1, 3, "down", "consistently_pass"), id="down: limits 1-3 pass"),
        pytest.param(AssuranceCase(5, 7, "down", "consistently_fail"), id="down: limits 5-7 fail"),
        pytest.param(
            AssuranceCase(1, 5, "down", "inconsistent"), id="down: limits 1-5 inconsistent"
        ),
    ],
)
def test_assurance_against_a_target_of_4_matches_the_published_table(case: AssuranceCase) -> None:
    options = SpcOptions(direction=case.direction, target=4)
    result = spc_chart(days(20), alternating_with_limits(case.lower, case.upper), options)
    assert result["spc_lower"][0] == pytest.approx(case.lower)
    assert result["spc_upper"][0] == pytest.approx(case.upper)
    assert result["target"].to_list() == [4.0] * 20
    assert spc_summary(result, options).assurance == case.assurance


# --- rule 2: trends ------------------------------------------------------------------------------


def test_seven_rising_points_are_a_trend_and_all_seven_are_flagged() -> None:
    assert point_types(RISE_7) == expected_types(16, {RISE_7_POINTS: IMP})


def test_a_trend_at_the_very_start_of_the_series_is_flagged() -> None:
    # 2..8 then 0,10 x 4 (ending 10): sum 35 + 40 = 75, n 15, mean 5. Moving ranges 6 x 1,
    # 8, 7 x 10 = 84 over 14, AMR 6, near (-5.64, 15.64): nothing near. Sides: 2,3,4 below,
    # 5 on the mean, 6,7,8 above, then alternating.
    values = [2, 3, 4, 5, 6, 7, 8, 0, 10, 0, 10, 0, 10, 0, 10]
    assert point_types(values) == expected_types(15, {range(0, 7): IMP})


def test_six_rising_points_are_not_a_trend_when_the_run_length_is_7() -> None:
    assert point_types(RISE_6) == [C] * 16


def test_six_rising_points_are_a_trend_when_the_run_length_is_6() -> None:
    # With run_length 6 the shift rule also needs only 6, but no side has more than 3 in a row.
    assert point_types(RISE_6, run_length=6) == expected_types(16, {RISE_6_POINTS: IMP})


def test_an_equal_value_breaks_a_trend() -> None:
    assert point_types(RISE_WITH_TIE) == [C] * 16


def test_a_trend_split_by_a_rebase_date_is_not_flagged() -> None:
    # Rebase at point 8 (value 5): group 0 = 10,0,10,0,10,2,3,4 (mean 39/8 = 4.875, AMR
    # (4 x 10 + 8 + 1 + 1) / 7 = 7.14, near +/- 12.7); group 1 = 5,6,7,8,0,10,0,10 (mean
    # 46/8 = 5.75, AMR (1 + 1 + 1 + 8 + 3 x 10) / 7 = 5.857, near +/- 10.4). Each group has a
    # rise of at most 4 points and at most 3 in a row on one side.
    dates = days(16)
    result = spc_chart(dates, RISE_7, SpcOptions(rebase=(dates[8],)))
    assert result["group"].to_list() == [0] * 8 + [1] * 8
    assert result["spc_mean"].unique(maintain_order=True).to_list() == pytest.approx([4.875, 5.75])
    assert result["spc_point_type"].to_list() == [C] * 16


class DirectionCase(NamedTuple):
    values: list[float]
    direction: str
    point_type: str


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(DirectionCase(RISE_7, "up", IMP), id="rise, up is better: improvement"),
        pytest.param(DirectionCase(RISE_7, "down", CON), id="rise, down is better: concern"),
        pytest.param(DirectionCase(RISE_7, "neutral", HIGH), id="rise, neutral: neutral high"),
        pytest.param(DirectionCase(FALL_7, "up", CON), id="fall, up is better: concern"),
        pytest.param(DirectionCase(FALL_7, "down", IMP), id="fall, down is better: improvement"),
        pytest.param(DirectionCase(FALL_7, "neutral", LOW), id="fall, neutral: neutral low"),
    ],
)
def test_the_direction_of_a_trend_and_of_improvement_decide_its_type(case: DirectionCase) -> None:
    assert point_types(case.values, direction=case.direction) == expected_types(
        16, {RISE_7_POINTS: case.point_type}
    )


# --- rule 4: shifts ------------------------------------------------------------------------------


def test_seven_points_on_one_side_of_the_mean_are_a_shift_and_all_are_flagged() -> None:
    # 1,3,1,3,2,1,3,1,3 then its negative. Sum 0, mean 0. Moving ranges 2,2,2,1,1,2,2,2 = 14,
    # |-1 - 3| = 4, then 14 again: 32 over 17, AMR 1.882, near 3.338: the 3s are not near.
    # Nine points above the mean, then nine below; no rise or fall longer than 2 points.
    values = [1, 3, 1, 3, 2, 1, 3, 1, 3]
    values = values + [-y for y in values]
    assert point_types(values) == expected_types(18, {range(0, 9): IMP, range(9, 18): CON})


def test_a_point_exactly_on_the_mean_breaks_a_shift() -> None:
    # As above with 0 for the middle 2 and -2: still mean 0, and each side is now two runs of 4.
    # Moving ranges 2,2,2,3,1,2,2,2 = 16, 4, 16: 36 over 17, AMR 2.118, near 3.755.
    values = [1, 3, 1, 3, 0, 1, 3, 1, 3]
    values = values + [-y for y in values]
    assert point_types(values) == [C] * 18


@pytest.mark.parametrize(
    ("run_length", "flagged"),
    [
        pytest.param(7, {}, id="run length 7: six points are not a shift"),
        pytest.param(6, {range(0, 6): IMP, range(6, 12): CON}, id="run length 6: they are"),
    ],
)
def test_six_points_on_one_side_are_a_shift_only_with_run_length_6(
    run_length: int, flagged: dict[range, str]
) -> None:
    # 1,3,1,3,1,3 then its negative: mean 0, moving ranges 5 x 2, 4, 5 x 2 = 24 over 11,
    # AMR 2.182, near 3.869: nothing near.
    values = [1, 3, 1, 3, 1, 3, -1, -3, -1, -3, -1, -3]
    assert point_types(values, run_length=run_length) == expected_types(12, flagged)


# --- rule 3: two in three ------------------------------------------------------------------------


def test_two_of_three_points_beyond_two_sigma_on_one_side_flag_only_those_two() -> None:
    # [1,-1] x 8, then 5,1,5, then [-1,1] x 8, then -5,-1,-5. Sum 0 + 11 + 0 - 11 = 0, mean 0.
    # Moving ranges: 15 x 2, |5 - -1| = 6, 4, 4, 6, 15 x 2, |-5 - 1| = 6, 4, 4:
    # 30 + 20 + 30 + 14 = 94 over 37, AMR 2.5405, near 4.505, upper 6.758: each 5 is near.
    # 5,1,5 are all above the mean (the 1 is not flagged); -5,-1,-5 are all below.
    values = [1, -1] * 8 + [5, 1, 5] + [-1, 1] * 8 + [-5, -1, -5]
    assert point_types(values) == expected_types(38, {16: IMP, 18: IMP, 35: CON, 37: CON})


def test_two_of_three_points_beyond_two_sigma_do_not_signal_across_the_mean() -> None:
    # As above with the middle points on the other side: 5,-1,5 and -5,1,-5. Sum 9 - 9 = 0.
    # Moving ranges 30 + 4 x 6 + 30 + 3 x 6 = 102 over 37, AMR 2.7568, near 4.889, upper 7.333:
    # each 5 is near, but no window of three has two near points and all three on one side.
    values = [1, -1] * 8 + [5, -1, 5] + [-1, 1] * 8 + [-5, 1, -5]
    assert point_types(values) == [C] * 38


@pytest.mark.parametrize(
    ("variant", "flagged"),
    [
        pytest.param("mdc", {30: IMP, 32: IMP, 63: CON, 65: CON}, id="mdc counts the 9"),
        pytest.param("nhsr", {30: IMP, 63: CON}, id="nhsr counts only 2-3 sigma"),
    ],
)
def test_a_point_beyond_three_sigma_counts_towards_two_in_three_only_in_the_mdc_variant(
    variant: str, flagged: dict[int, str]
) -> None:
    # [1,-1] x 15, then 9,1,5, then [-1,1] x 15, then -9,-1,-5. Sum 15 - 15 = 0, mean 0.
    # Moving ranges: 29 x 2 = 58, |9 - -1| = 10, 8, 4, |-1 - 5| = 6, 58, |-9 - 1| = 10, 8, 4:
    # 166 over 65, AMR 2.5538, near 4.529, upper 6.793. 9 is outside (rule 1 either way);
    # 5 is near. MDC: 9 and 5 are two of three beyond 2 sigma, so 5 is flagged; NHSR 0.2.2
    # counts only 5, one of three, so 5 stays common cause.
    values = [1, -1] * 15 + [9, 1, 5] + [-1, 1] * 15 + [-9, -1, -5]
    assert point_types(values, two_in_three=variant) == expected_types(66, flagged)


# --- rule 1 and precedence -----------------------------------------------------------------------


def test_a_point_below_the_lower_limit_is_a_concern_even_when_it_starts_a_rising_trend() -> None:
    # [1,-1] x 10, then -12,-3,-2,-1,1,2,3 (a 7-point rise), then [-1,1] x 5. Sum -12, n 37,
    # mean -0.3243. Moving ranges 19 x 2 = 38, |-12 - -1| = 11, 9,1,1,2,1,1 = 15, |-1 - 3| = 4,
    # 9 x 2 = 18: 86 over 36, AMR 2.3889, lower -0.3243 - 6.354 = -6.68: -12 is outside; near
    # (-4.56, 3.91): -3 and 3 are not near. Longest run on one side: -1,-12,-3,-2,-1 = 5 below.
    # Per-point precedence: -12 is rule 1 (low, concern), the other six rule 2 (rise, improvement).
    values = [1, -1] * 10 + [-12, -3, -2, -1, 1, 2, 3] + [-1, 1] * 5
    assert point_types(values) == expected_types(37, {20: CON, range(21, 27): IMP})


def test_a_falling_trend_above_the_mean_is_a_concern_although_it_is_also_a_shift_above() -> None:
    # [10,-10] x 5, then 8,7,6,5,4,3,2, then [10,-10] x 5. Sum 35, n 27, mean 1.2963: the seven
    # falling points and the 10 after them are 8 in a row above it (a shift); -10 before 8 and
    # 10 after 2 end the fall at exactly 7 points. Moving ranges 9 x 20, 18, 6 x 1, 8, 9 x 20
    # = 392 over 26, AMR 15.08, near +/- 26.7: nothing near. Per point, the trend (rule 2)
    # outranks the shift (rule 4): the fall is a concern; the 10 is only in the shift above the
    # mean, so it is an improvement.
    values = [10, -10] * 5 + [8, 7, 6, 5, 4, 3, 2] + [10, -10] * 5
    assert point_types(values) == expected_types(27, {range(10, 17): CON, 17: IMP})


def test_a_point_above_the_upper_limit_is_neutral_high_when_no_direction_is_better() -> None:
    # -1, 1, ..., -1 (ten -1s, nine 1s) then 20: mean (-1 + 20) / 20 = 0.95, so the others
    # alternate either side of it. Moving ranges 18 x 2 + |20 - -1| = 57 over 19, AMR 3, upper
    # 0.95 + 7.98 = 8.93: 20 is outside; near (-4.37, 6.27): no other point is near.
    values = [-1, 1] * 9 + [-1, 20]
    assert point_types(values, direction="neutral") == expected_types(20, {19: HIGH})
    assert point_types(values, direction="down") == expected_types(20, {19: CON})


# --- groups, trial limits, targets and missing values --------------------------------------------


@pytest.mark.parametrize(
    ("n", "trial"),
    [pytest.param(12, True, id="12 points: trial"), pytest.param(13, False, id="13 points")],
)
def test_limits_from_fewer_than_13_points_are_trial_limits(n: int, trial: bool) -> None:
    assert chart([i % 2 for i in range(n)])["trial_limits"].to_list() == [trial] * n


def test_a_group_starts_at_the_first_period_on_or_after_a_rebase_date() -> None:
    months = [dt.date(2023, m, 1) for m in range(1, 13)]
    # 15 June falls between the June and July periods: the new group starts in July.
    options = SpcOptions(rebase=(dt.date(2023, 6, 15),))
    result = spc_chart(months, [float(m) for m in range(12)], options)
    assert result["group"].to_list() == [0] * 6 + [1] * 6
    # Group means: (0 + ... + 5) / 6 = 2.5 and (6 + ... + 11) / 6 = 8.5.
    assert result["spc_mean"].to_list() == [2.5] * 6 + [8.5] * 6


def test_a_group_with_one_point_has_a_mean_but_no_limits() -> None:
    dates = days(5)
    result = spc_chart(dates, [1, 2, 1, 2, 7], SpcOptions(rebase=(dates[4],)))
    last = result.row(4, named=True)
    assert (last["group"], last["spc_mean"], last["spc_upper"], last["spc_lower_near"]) == (
        1,
        7.0,
        None,
        None,
    )
    assert (last["spc_point_type"], last["trial_limits"]) == (C, True)


def test_a_target_that_changes_over_time_is_reported_for_each_period() -> None:
    dates = days(6)
    options = SpcOptions(target=[(dates[4], 2.0), (dates[1], 1.0)])
    # No target before the first step (day 1), 1.0 from day 1, 2.0 from day 4.
    assert spc_chart(dates, [1, 2, 1, 2, 1, 2], options)["target"].to_list() == [
        None,
        1.0,
        1.0,
        1.0,
        2.0,
        2.0,
    ]


def test_assurance_uses_the_target_in_force_at_the_last_period() -> None:
    # Limits (1, 3) as in the published table. The target was 0.5 (below the lower limit: met
    # every period) until day 10, then 4 (above the upper limit: missed every period).
    dates = days(20)
    options = SpcOptions(target=((None, 0.5), (dates[10], 4.0)))
    result = spc_chart(dates, alternating_with_limits(1, 3), options)
    assert result["target"].to_list() == [0.5] * 10 + [4.0] * 10
    summary = spc_summary(result, options)
    assert (summary.assurance, summary.no_assurance) == ("consistently_fail", "")


@pytest.mark.parametrize("missing", [None, math.nan], ids=["null", "NaN"])
def test_missing_values_are_left_out_of_the_limits_and_have_no_point_type(
    missing: float | None,
) -> None:
    # 1, 3, missing, 7, 5: mean (1 + 3 + 7 + 5) / 4 = 4; moving ranges between the present
    # points 2, |7 - 3| = 4, 2: AMR 8 / 3, upper 4 + 2.66 x 8/3 = 11.0933, lower -3.0933.
    result = chart([1, 3, missing, 7, 5])
    missing_row = result.row(2, named=True)
    assert missing_row["value"] is None
    assert missing_row["spc_point_type"] is None
    assert missing_row["spc_mean"] == pytest.approx(4.0)
    assert result["spc_upper"].to_list() == pytest.approx([4 + 2.66 * 8 / 3] * 5)
    assert result["spc_lower"].to_list() == pytest.approx([4 - 2.66 * 8 / 3] * 5)
    assert result["spc_point_type"].to_list() == [C, C, None, C, C]
    # Four present points: trial limits.
    assert result["trial_limits"].all()


def test_the_variation_icon_is_the_type_of_the_last_present_point() -> None:
    options = SpcOptions()
    result = spc_chart(days(17), [*RISE_7, None], options)
    # The rise ends at point 11; the last present point (15) is common cause.
    assert spc_summary(result, options).variation == C
    rising_last = [10, 0, 10, 0, 10, 0, 10, 0, 10, 2, 3, 4, 5, 6, 7, 8, None]
    # Swings then the rise, ending with it: sum 50 + 35 = 85, n 16, mean 5.3125; moving ranges
    # 8 x 10, 8, 6 x 1 = 94 over 15, AMR 6.27, near (-5.8, 16.4): nothing near. The 10 before
    # the rise is above the mean, so at most 4 in a row below (2..5) and 3 above (6, 7, 8).
    result = spc_chart(days(17), rising_last, options)
    summary = spc_summary(result, options)
    assert summary == SpcSummary(
        variation=IMP,
        side="high",
        assurance=None,
        no_assurance="No target set",
    )


@pytest.mark.parametrize(
    ("direction", "variation"),
    [("up", CON), ("down", IMP), ("neutral", LOW)],
)
def test_a_fall_is_a_low_signal_whose_meaning_depends_on_the_direction(direction, variation):
    options = SpcOptions(direction=direction)
    # FALL_7 ends with common cause; cut it after the fall (point 11) so the fall is last.
    # 0,10,0,10,0 then 8..2: sum 20 + 35 = 55, n 12, mean 4.583; moving ranges 4 x 10, 8,
    # 6 x 1 = 54 over 11, AMR 4.909, near (-4.12, 13.29): nothing near. Sides: 8..5 above,
    # 4..2 below, so at most 4 in a row. Only the fall (points 5 to 11) is a signal.
    result = spc_chart(days(12), FALL_7[:12], options)
    summary = spc_summary(result, options)
    assert (summary.variation, summary.side) == (variation, "low")


@pytest.mark.parametrize(
    "target", [0.5 + 2.66, 0.5 - 2.66], ids=["on the upper limit", "on the lower limit"]
)
def test_a_target_exactly_on_a_limit_is_inconsistent(target: float) -> None:
    # 0, 1 x 10: mean 10 / 20 = 0.5 and every moving range 1, so the limits are 0.5 +/- 2.66
    # exactly; the comparisons are strict (NHSRplotthedots: target > upl, target < lpl).
    options = SpcOptions(direction="up", target=target)
    result = spc_chart(days(20), [0.0, 1.0] * 10, options)
    assert spc_summary(result, options).assurance == "inconsistent"


def test_a_neutral_metric_has_no_assurance_even_with_a_target() -> None:
    options = SpcOptions(direction="neutral", target=4)
    summary = spc_summary(spc_chart(days(20), alternating_with_limits(1, 3), options), options)
    assert summary.assurance is None


# --- API shape -----------------------------------------------------------------------------------


def test_the_chart_has_one_typed_row_per_point() -> None:
    result = chart([1.0, 2.0, 3.0])
    assert result.schema == pl.Schema(
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
    assert result["period_start"].to_list() == days(3)


def test_the_table_has_exactly_the_export_columns() -> None:
    table = spc_table(days(3), [1.0, 2.0, 3.0], SpcOptions())
    assert table.columns == [
        "period_start",
        "value",
        "spc_mean",
        "spc_lower",
        "spc_upper",
        "spc_point_type",
    ]


def test_polars_series_are_accepted_as_input() -> None:
    dates = pl.Series(days(3), dtype=pl.Date)
    values = pl.Series([1, 2, 3], dtype=pl.Int64)
    # Mean 2, moving ranges 1, 1: AMR 1, limits 2 -/+ 2.66.
    result = spc_chart(dates, values, SpcOptions())
    assert result["spc_lower"].to_list() == pytest.approx([-0.66] * 3)


def test_an_empty_series_gives_an_empty_chart_and_common_cause() -> None:
    result = chart([])
    assert result.height == 0
    assert spc_summary(result, SpcOptions(target=1)).variation == C


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param({"direction": "sideways"}, "direction", id="unknown direction"),
        pytest.param({"two_in_three": "weco"}, "two_in_three", id="unknown variant"),
        pytest.param({"run_length": 8}, "run_length", id="run length 8"),
        pytest.param({"target": math.inf}, "finite", id="infinite target"),
    ],
)
def test_unknown_options_are_rejected(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        SpcOptions(**kwargs)


def test_periods_out_of_order_are_rejected() -> None:
    with pytest.raises(ValueError, match="strictly increasing"):
        spc_chart([FIRST_DAY, FIRST_DAY], [1.0, 2.0])
