"""Each scale of a measure is shown in its own unit, or refused when the metric is defined.

A ``Ratio(scale=10)`` used to be shown as a percentage and a ``PerPopulation(per=100000)``
labelled "per 100": the expectations below are written out literally, not derived from the code.
"""

from __future__ import annotations

import pytest

from metrics import REGISTRY, Count, Direction, Median, Metric, PerPopulation, Ratio, Unit
from metrics.definitions import Records
from metrics.record_sets import CRIMES as CRIME_RECORDS
from presentation.formatting import axis_title, format_change, format_value

CRIMES = Records(CRIME_RECORDS, "recorded_at")


def metric(measure) -> Metric:
    return Metric("a_metric", "A metric", "A metric for a test.", Direction.UP, measure)


SHOWN = [
    pytest.param(Count(CRIMES), 1204.0, "count", "1,204", id="count"),
    pytest.param(Ratio(CRIMES, CRIMES), 0.71349, "fraction", "71.3%", id="ratio: a share"),
    pytest.param(Ratio(CRIMES, CRIMES, scale=100), 4.25, "per 100", "4.2 per 100", id="per 100"),
    pytest.param(
        Ratio(CRIMES, CRIMES, scale=1000), 0.4249, "per 1,000", "0.42 per 1,000", id="per 1,000"
    ),
    pytest.param(
        PerPopulation(CRIMES, per=1000),
        0.4249,
        "per 1,000 residents",
        "0.42 per 1,000",
        id="per 1,000 residents",
    ),
    pytest.param(
        PerPopulation(CRIMES, per=100_000),
        12.34,
        "per 100,000 residents",
        "12.3 per 100,000",
        id="per 100,000 residents",
    ),
    pytest.param(
        Median(CRIMES, "reported_at", "recorded_at", unit=Unit.DAYS),
        1.5,
        "days",
        "1.5 days",
        id="median days",
    ),
]


@pytest.mark.parametrize(("measure", "value", "unit", "text"), SHOWN)
def test_each_scale_is_shown_in_its_own_unit(measure, value, unit, text):
    defined = metric(measure)
    assert defined.unit.value == unit
    assert format_value(value, defined.unit) == text


def test_a_rate_per_100000_residents_has_its_own_axis_title_and_change():
    unit = metric(PerPopulation(CRIMES, per=100_000)).unit
    assert axis_title(unit) == "Per 100,000 residents"
    assert format_change(-2.25, unit) == "-2.2 per 100,000"  # half to even at one decimal


def test_a_ratio_of_two_counts_per_1000_is_not_labelled_per_residents():
    unit = metric(Ratio(CRIMES, CRIMES, scale=1000)).unit
    assert axis_title(unit) == "Per 1,000"


@pytest.mark.parametrize(
    ("measure", "message"),
    [
        pytest.param(
            Ratio(CRIMES, CRIMES, scale=10),
            "Ratio scale 10 has no unit; use one of 1, 100, 1000",
            id="ratio × 10",
        ),
        pytest.param(
            PerPopulation(CRIMES, per=100),
            "PerPopulation per 100 has no unit; use one of 1,000, 100,000",
            id="per 100 residents",
        ),
        pytest.param(
            Median(CRIMES, "reported_at", "recorded_at", unit=Unit.COUNT),
            "a median is in days or hours, not count",
            id="median in a count",
        ),
    ],
)
def test_a_scale_without_a_unit_is_refused_when_the_metric_is_defined(measure, message):
    with pytest.raises(ValueError, match=message):
        metric(measure)


@pytest.mark.parametrize("unit", list(Unit))
def test_every_unit_can_be_shown_on_a_card_and_an_axis(unit):
    assert format_value(2.5, unit)
    assert axis_title(unit)


def test_the_catalogue_units_are_as_the_spec_words_them():
    assert REGISTRY.get("sh_crimes_per_1000").unit.value == "per 1,000 residents"
    assert REGISTRY.get("spo_application_rate").unit.value == "per 100"
    assert REGISTRY.get("positive_outcome_rate").unit.value == "fraction"
