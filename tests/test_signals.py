"""Honest signals: provisional periods, the as-at date, and SPC icons read from mature periods."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from metrics import REGISTRY, Grain
from metrics.as_at import AsAtError, resolve_as_at
from metrics.kpi_spc import chart_series, spc_options
from metrics.provisional import with_provisional
from metrics.sources import Facts
from metrics.spc import SpcOptions, icon_period, spc_chart, spc_summary

# kpi-definitions.md v1.1: these four mature after 90 days; every other metric at once.
OUTCOME_RATES = (
    "positive_outcome_rate",
    "charge_summons_rate",
    "victim_not_supporting_rate",
    "outcome_pending_rate",
)


def months(first: dt.date, n: int) -> list[dt.date]:
    index = first.year * 12 + first.month - 1
    return [dt.date((index + i) // 12, (index + i) % 12 + 1, 1) for i in range(n)]


def test_the_four_outcome_rates_mature_after_90_days_and_every_other_metric_at_once():
    assert {metric.id: metric.maturity_days for metric in REGISTRY} == {
        metric.id: 90 if metric.id in OUTCOME_RATES else 0 for metric in REGISTRY
    }


def test_a_period_is_provisional_until_its_last_day_plus_the_maturity_reaches_the_as_at_date():
    # The example: as at 31 March 2025, December 2024 (31 Dec + 90 days = 31 Mar) is
    # mature and January 2025 provisional; with maturity 0 March 2025 itself has ended.
    starts = months(dt.date(2024, 11, 1), 5)  # Nov 2024 .. Mar 2025
    kpis = pl.DataFrame(
        {
            "metric_id": ["positive_outcome_rate"] * 5 + ["stalking_crimes"] * 5,
            "period_start": starts * 2,
        }
    )
    flagged = with_provisional(kpis, Grain.MONTH, dt.date(2025, 3, 31))
    assert flagged.columns[-1] == "provisional"
    assert flagged["provisional"].to_list() == [False, False, True, True, True] + [False] * 5
    # A day earlier, March has not ended and December is one day short of 90.
    earlier = with_provisional(kpis, Grain.MONTH, dt.date(2025, 3, 30))
    assert earlier["provisional"].to_list() == [False, True, True, True, True] + [False] * 4 + [
        True
    ]


def test_quarters_and_financial_years_end_on_their_last_day():
    kpis = pl.DataFrame(
        {
            "metric_id": ["stalking_crimes", "stalking_crimes"],
            "period_start": [dt.date(2024, 10, 1), dt.date(2025, 1, 1)],
        }
    )
    # Q3 2024/25 ends 31 December; Q4 ends 31 March.
    assert with_provisional(kpis, Grain.QUARTER, dt.date(2024, 12, 31))[
        "provisional"
    ].to_list() == [False, True]
    year = kpis.head(1).with_columns(pl.lit(dt.date(2024, 4, 1)).alias("period_start"))
    assert with_provisional(year, Grain.FINANCIAL_YEAR, dt.date(2025, 3, 30))["provisional"][0]
    assert not with_provisional(year, Grain.FINANCIAL_YEAR, dt.date(2025, 3, 31))["provisional"][0]


def facts_ending(day: dt.date | None) -> Facts:
    return Facts({}, pl.DataFrame(), None if day is None else dt.date(2020, 1, 1), day)


def test_the_as_at_date_defaults_to_the_latest_record_and_may_be_later_but_never_earlier():
    latest = dt.date(2025, 3, 30)
    assert resolve_as_at(facts_ending(latest)) == latest
    assert resolve_as_at(facts_ending(latest), dt.date(2025, 3, 31)) == dt.date(2025, 3, 31)
    assert resolve_as_at(facts_ending(latest), latest) == latest
    with pytest.raises(AsAtError, match="earlier than the latest valid record"):
        resolve_as_at(facts_ending(latest), dt.date(2025, 3, 29))


# A steady series around 10 (moving ranges 1), then three immature months far below it.
STEADY = [10.0, 11.0] * 9 + [10.0, 11.0, 10.0]  # 21 mature months
IMMATURE = [4.0, 3.0, 1.0]


def test_provisional_points_are_left_out_of_the_mean_the_limits_and_every_rule():
    dates = months(dt.date(2023, 1, 1), len(STEADY) + len(IMMATURE))
    flags = [False] * len(STEADY) + [True] * len(IMMATURE)
    result = spc_chart(dates, STEADY + IMMATURE, SpcOptions(direction="up"), provisional=flags)
    # By hand over the 21 mature values: mean (10 x 11 + 11 x 10) / 21 = 220 / 21; every
    # moving range is 1, so the limits are the mean +/- 2.66.
    assert result["spc_mean"][0] == pytest.approx(220 / 21)
    assert result["spc_upper"][0] == pytest.approx(220 / 21 + 2.66)
    assert result["spc_lower"][0] == pytest.approx(220 / 21 - 2.66)
    assert result["spc_point_type"].to_list() == ["common_cause"] * 21 + ["provisional"] * 3
    assert result["provisional"].to_list() == flags
    assert result["value"].to_list()[-3:] == IMMATURE  # still charted


def test_a_series_whose_last_3_months_are_immature_reads_its_icons_from_the_last_mature_month():
    metric = REGISTRY.get("positive_outcome_rate")
    dates = months(dt.date(2023, 1, 1), len(STEADY) + len(IMMATURE))
    values = [v / 100 for v in STEADY + IMMATURE]
    series = pl.DataFrame(
        {"metric_id": metric.id, "period_start": dates, "value": values}
    ).with_columns(pl.col("period_start").cast(pl.Date))
    # As at the last day of the final month: its 90-day maturity leaves the last 3 provisional.
    as_at = dt.date(2024, 12, 31)
    flagged = with_provisional(series, Grain.MONTH, as_at)
    assert flagged["provisional"].to_list() == [False] * 21 + [True] * 3
    chart = chart_series(flagged, metric)
    summary = spc_summary(chart, spc_options(metric))
    assert icon_period(chart) == dt.date(2024, 9, 1)  # September 2024, the last mature month
    assert summary.variation == "common_cause"
    # The same values without the flags: the immature drop reads as a concern.
    naive = chart_series(series, metric)
    assert spc_summary(naive, spc_options(metric)).variation == "special_cause_concern"


def test_assurance_reads_the_target_and_limits_of_the_last_mature_period():
    dates = months(dt.date(2023, 1, 1), 24)
    # The target moves to 100 for the last three (provisional) months only.
    options = SpcOptions(direction="up", target=((None, 5.0), (dates[-3], 100.0)))
    flags = [False] * 21 + [True] * 3
    result = spc_chart(dates, STEADY + IMMATURE, options, provisional=flags)
    # Mature limits 220/21 +/- 2.66 are both above 5: the target is consistently met.
    assert spc_summary(result, options).assurance == "consistently_pass"


def test_with_every_period_provisional_there_is_no_signal_and_no_assurance():
    options = SpcOptions(direction="up", target=5.0)
    result = spc_chart(months(dt.date(2024, 1, 1), 3), [1.0, 2.0, 30.0], options, [True] * 3)
    summary = spc_summary(result, options)
    assert summary.variation == "common_cause"
    assert summary.assurance is None
    assert "provisional" in summary.no_assurance
    assert icon_period(result) is None


@pytest.mark.parametrize(("denominator", "small"), [(9, True), (10, False)])
def test_a_card_value_on_fewer_than_10_cases_is_marked_small_numbers(denominator, small):
    from dashboard.filters import Filters
    from dashboard.scorecard import scorecard
    from metrics import DomesticAbuse

    metric = REGISTRY.get("breach_arrest_rate")
    starts = months(dt.date(2024, 1, 1), 3)
    kpis = pl.DataFrame(
        {
            "metric_id": metric.id,
            "period_start": starts,
            "district": "All",
            "numerator": [5, 5, 5],
            "denominator": [20, 20, denominator],
            "value": [0.25, 0.25, 5 / denominator],
        }
    )
    filters = Filters(
        Grain.MONTH, starts[0], starts[-1], "All", DomesticAbuse.ALL, dt.date(2024, 3, 31)
    )
    [row] = scorecard(kpis, filters, [metric]).to_dicts()
    assert row["small_numbers"] is small


def test_provisional_points_are_drawn_hollow_and_grey_and_named_in_the_legend():
    from presentation.spc_chart import spc_chart as draw

    metric = REGISTRY.get("positive_outcome_rate")
    dates = months(dt.date(2023, 1, 1), len(STEADY) + len(IMMATURE))
    flags = [False] * len(STEADY) + [True] * len(IMMATURE)
    values = [v / 100 for v in STEADY + IMMATURE]
    chart = spc_chart(dates, values, spc_options(metric), provisional=flags)
    spec = draw(chart, metric, Grain.MONTH).to_dict()
    points = [layer for layer in spec["layer"] if layer["mark"]["type"] == "point"]
    mature, provisional = points
    assert provisional["mark"]["filled"] is False
    assert provisional["encoding"]["color"]["scale"] == {
        "domain": ["Provisional"],
        "range": ["#a6a6a6"],  # MDC grey, written out here
    }
    assert provisional["encoding"]["color"]["legend"] is not None
    drawn = spec["datasets"][provisional["data"]["name"]]
    assert [row["period_start"] for row in drawn] == [d.isoformat() for d in dates[-3:]]
    assert len(spec["datasets"][mature["data"]["name"]]) == len(STEADY)
