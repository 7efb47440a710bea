"""Small-count suppression: the stated rule, worked by hand on small frames."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from metrics import KPI_SCHEMA
from packs.suppression import (
    SuppressionRule,
    differencing_exposure,
    marked,
    suppress_small_counts,
)

Q1 = dt.date(2024, 4, 1)


def kpi_rows(metric_id: str, rows: list[tuple[str, int | None, int | None, float | None]]):
    """KPI rows of one metric in 2024/25 Q1: (district, numerator, denominator, value)."""
    return pl.DataFrame(
        [
            {
                "metric_id": metric_id,
                "period_start": Q1,
                "period_label": "2024/25 Q1",
                "district": district,
                "numerator": numerator,
                "denominator": denominator,
                "value": value,
            }
            for district, numerator, denominator, value in rows
        ],
        schema=KPI_SCHEMA,
    )


@pytest.mark.parametrize(
    ("count", "shown"),
    [
        pytest.param(0, 0, id="0 stays 0"),
        pytest.param(1, None, id="1 is suppressed"),
        pytest.param(7, None, id="7 is suppressed"),
        pytest.param(8, 10, id="8 rounds up to 10"),
        pytest.param(10, 10, id="10 stays 10"),
        pytest.param(12, 10, id="12 rounds down to 10"),
        pytest.param(13, 15, id="13 rounds up to 15"),
        pytest.param(17, 15, id="17 rounds down to 15"),
        pytest.param(18, 20, id="18 rounds up to 20"),
        pytest.param(1_234, 1_235, id="1,234 rounds up to 1,235"),
    ],
)
def test_a_district_count_is_suppressed_or_rounded_to_the_nearest_5(count, shown):
    rows = kpi_rows("stalking_crimes", [("North", count, None, float(count))])
    published = suppress_small_counts(rows)
    assert published["numerator"].to_list() == [shown]
    assert published["value"].to_list() == [None if shown is None else float(shown)]
    assert published["numerator_suppressed"].to_list() == [shown is None]


def test_the_force_row_is_never_suppressed_or_rounded():
    rows = kpi_rows("stalking_crimes", [("All", 3, None, 3.0), ("North", 3, None, 3.0)])
    published = suppress_small_counts(rows)
    assert published["numerator"].to_list() == [3, None]
    assert published["value_suppressed"].to_list() == [False, True]


def test_a_rate_is_suppressed_when_its_numerator_or_denominator_is():
    rows = kpi_rows(
        "positive_outcome_rate",
        [
            ("North", 9, 12, 0.75),  # 9 -> 10, 12 -> 10: shown, at the exact 75%
            ("South", 3, 20, 0.15),  # numerator suppressed
            ("East", 0, 5, 0.0),  # denominator suppressed
            ("West", 0, 0, None),  # nothing to suppress: empty anyway
        ],
    )
    published = suppress_small_counts(rows)
    expected = pl.DataFrame(
        {
            "district": ["North", "South", "East", "West"],
            "numerator": [10, None, 0, 0],
            "denominator": [10, 20, None, 0],
            "value": [0.75, None, None, None],
            "numerator_suppressed": [False, True, False, False],
            "denominator_suppressed": [False, False, True, False],
            "value_suppressed": [False, True, True, False],
        },
        schema_overrides={"numerator": pl.Int64, "denominator": pl.Int64},
    )
    assert_frame_equal(published.select(expected.columns), expected)


def test_a_median_is_suppressed_when_its_case_count_is():
    rows = kpi_rows(
        "victim_contact_median_hours",
        [("North", None, 4, 6.5), ("South", None, 13, 3.25)],
    )
    published = suppress_small_counts(rows)
    assert published["denominator"].to_list() == [None, 15]
    assert published["value"].to_list() == [None, 3.25]
    assert published["value_suppressed"].to_list() == [True, False]


def test_a_rate_per_1000_residents_is_worked_out_from_the_rounded_count():
    # 12 crimes in 100,000 residents: exact 0.12 per 1,000 would give the 12 back.
    rows = kpi_rows(
        "sh_crimes_per_1000",
        [("North", 12, 100_000, 0.12), ("South", 5, 50_000, 0.1), ("All", 17, 150_000, 0.1133)],
    )
    published = suppress_small_counts(rows)
    assert published["numerator"].to_list() == [10, None, 17]
    assert published["denominator"].to_list() == [100_000, 50_000, 150_000]  # not a count
    assert published["value"].to_list() == [pytest.approx(0.10), None, 0.1133]


def test_a_rule_with_other_settings_rounds_half_way_up():
    rule = SuppressionRule(largest_suppressed=9, base=10)
    rows = kpi_rows("stalking_crimes", [("A", 9, None, 9.0), ("B", 15, None, 15.0)])
    published = suppress_small_counts(rows, rule)
    assert published["numerator"].to_list() == [None, 20]
    assert "1 to 9" in rule.statement() and "nearest 10" in rule.statement()


def test_marked_text_shows_a_star_for_suppressed_and_nothing_for_empty():
    rows = kpi_rows("positive_outcome_rate", [("North", 3, 20, 0.15), ("West", 0, 0, None)])
    text = marked(suppress_small_counts(rows))
    assert text.select("numerator", "denominator", "value").rows() == [
        ("*", "20", "*"),
        ("0", "0", ""),
    ]


def test_the_default_rule_is_stated_in_words_for_the_cover():
    statement = SuppressionRule().statement()
    assert "from 1 to 7 is shown as *" in statement
    assert "8 or more is rounded to the nearest 5" in statement
    assert "0 is shown as 0" in statement


def test_differencing_the_exact_force_count_narrows_a_lone_suppressed_district():
    # All 15 = North 12 (shown 10: 8 to 12) + South 3 (*) + East 0: South is 15 - 12 - 0 = 3
    # at least and 15 - 8 - 0 = 7 at most, so 3 to 7 instead of 1 to 7.
    exact = kpi_rows(
        "stalking_crimes",
        [
            ("All", 15, None, 15.0),
            ("North", 12, None, 12.0),
            ("South", 3, None, 3.0),
            ("East", 0, None, 0.0),
        ],
    )
    exposure = differencing_exposure(exact, suppress_small_counts(exact))
    assert exposure.rows() == [("stalking_crimes", Q1, "South", "numerator", 3, 7)]


def test_differencing_reveals_a_suppressed_count_when_every_other_district_is_0():
    exact = kpi_rows(
        "stalking_crimes",
        [("All", 3, None, 3.0), ("North", 3, None, 3.0), ("South", 0, None, 0.0)],
    )
    exposure = differencing_exposure(exact, suppress_small_counts(exact))
    assert exposure.rows() == [("stalking_crimes", Q1, "North", "numerator", 3, 3)]


def test_two_suppressed_districts_are_each_narrowed_a_little_when_the_rest_is_large():
    # All 50 = 3 + 4 + 43 (shown 45: 43 to 47): each * is between 50 - 47 - 7 < 1 and
    # 50 - 43 - 1 = 6 -> 1 to 6 is still narrower than 1 to 7, so both are listed.
    exact = kpi_rows(
        "stalking_crimes",
        [
            ("All", 50, None, 50.0),
            ("A", 3, None, 3.0),
            ("B", 4, None, 4.0),
            ("C", 43, None, 43.0),
        ],
    )
    exposure = differencing_exposure(exact, suppress_small_counts(exact))
    assert exposure.select("district", "low", "high").rows() == [("A", 1, 6), ("B", 1, 6)]


def test_a_distinct_count_of_reviews_is_suppressed_and_rounded_like_a_count():
    rows = kpi_rows("case_reviews_completed", [("North", 3, None, 3.0), ("South", 12, None, 12.0)])
    published = suppress_small_counts(rows)
    assert published["numerator"].to_list() == [None, 10]
    assert published["value"].to_list() == [None, 10.0]


def test_a_kind_that_suppression_does_not_know_is_refused_never_published():
    from dataclasses import dataclass

    from metrics import Direction, Metric

    @dataclass(frozen=True, eq=False)
    class Mode:  # a kind of measure suppression has never heard of
        records: object

    metric = Metric.__new__(Metric)
    for name, value in {
        "id": "mode_of_something",
        "title": "A new kind",
        "description": "A measure kind added without a suppression rule.",
        "direction": Direction.UP,
        "measure": Mode(None),
        "targets": (),
        "rebase": (),
        "maturity_days": 0,
    }.items():
        object.__setattr__(metric, name, value)
    rows = kpi_rows("mode_of_something", [("North", 3, None, 3.0)])
    with pytest.raises(ValueError, match="does not know the measure kind 'mode'"):
        suppress_small_counts(rows, metrics=[metric])


def test_a_district_pack_with_suppression_builds_when_the_source_has_force_only_kpis(
    demo_kpis,
):
    """Found in chromium: suppression was handed the force-only KPIs the pack leaves out."""
    from metrics import REGISTRY, Grain
    from packs.content import pack_content

    force_only = [m.id for m in REGISTRY if m.force_only]
    assert force_only, "the catalogue has force-wide-only KPIs"
    assert set(force_only) <= set(demo_kpis["metric_id"])  # the demo gives them figures
    district = next(d for d in demo_kpis["district"].unique().sort() if d != "All")
    pack = pack_content(
        demo_kpis,
        grain=Grain.MONTH,
        period="2026-03",
        extract_date=dt.date(2026, 4, 30),
        district=district,
        suppression=SuppressionRule(),
    )
    pages = [page.metric.id for page in pack.pages]
    assert pages == [m.id for m in REGISTRY if not m.force_only]
