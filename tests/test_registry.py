"""The registry is the one way in: every metric is complete, documented and computes."""

from __future__ import annotations

import polars as pl
import pytest

import metrics
from metrics import (
    REGISTRY,
    Count,
    Direction,
    Grain,
    Metric,
    Ratio,
    Records,
    Unit,
    compute_kpis,
    prepare_facts,
)
from metrics.record_sets import CRIMES
from metrics.registry import MetricRegistry
from queries import load_source
from tests import fixture_rows
from tests.spec import spec_metrics

SPEC = {metric.id: metric for metric in spec_metrics()}
EVERY_METRIC = [pytest.param(metric, id=metric.id) for metric in REGISTRY]


def test_the_registry_holds_the_specs_catalogue_in_its_order():
    assert REGISTRY.ids == list(SPEC)


@pytest.mark.parametrize("metric", EVERY_METRIC)
def test_metric_has_an_id_title_description_unit_and_direction(metric):
    assert metric.id and metric.title.strip() and metric.description.strip()
    assert isinstance(metric.unit, Unit)
    assert metric.direction.value == SPEC[metric.id].direction


@pytest.mark.parametrize("metric", EVERY_METRIC)
def test_metric_computes_on_the_demo_database(metric, demo_kpis):
    rows = demo_kpis.filter(pl.col("metric_id") == metric.id)
    assert rows.height > 0
    # On realistic data every metric has some non-empty force-wide value.
    assert rows.filter(pl.col("district") == "All")["value"].drop_nulls().len() > 0


def test_an_id_can_be_registered_once_only():
    registry = MetricRegistry()
    metric = Metric(
        "a_metric", "A", "A metric.", Direction.UP, Count(Records(CRIMES, "reported_at"))
    )
    registry.register(metric)
    with pytest.raises(ValueError, match="already registered"):
        registry.register(metric)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id", "Bad Id", "snake_case"),
        ("title", " ", "needs a title"),
        ("description", "", "needs a description"),
    ],
)
def test_an_incomplete_definition_is_refused(field, value, message):
    settings = {
        "id": "ok",
        "title": "T",
        "description": "D.",
        "direction": Direction.UP,
        "measure": Count(Records(CRIMES, "reported_at")),
    }
    settings[field] = value
    with pytest.raises(ValueError, match=message):
        Metric(**settings)


def test_an_analysts_new_metric_computes_with_no_other_change(fixture_source):
    # Recorded stalking crimes flagged as domestic abuse, as in the README.
    new = Metric(
        id="stalking_domestic_abuse_rate",
        title="Stalking crimes flagged as domestic abuse",
        description="Share of recorded stalking crimes with the domestic abuse flag.",
        direction=Direction.NEUTRAL,
        measure=Ratio(
            Records(
                CRIMES,
                "recorded_at",
                (pl.col("offence_group") == "stalking")
                & pl.col("domestic_abuse")
                & pl.col("recorded_at").is_not_null(),
            ),
            Records(
                CRIMES,
                "recorded_at",
                (pl.col("offence_group") == "stalking") & pl.col("recorded_at").is_not_null(),
            ),
        ),
    )
    kpis = compute_kpis(prepare_facts(load_source(fixture_source)), Grain.FINANCIAL_YEAR, [new])
    force = kpis.filter(pl.col("district") == "All")
    # Stalking recorded: 2023/24 C01 (DA); 2024/25 C04, C10, C20 (none DA).
    assert force.select("period_label", "numerator", "denominator", "value").rows() == [
        ("2023/24", 1, 1, 1.0),
        ("2024/25", 0, 3, 0.0),
    ]


def test_the_package_exports_exactly_the_public_names():
    assert sorted(metrics.__all__) == sorted(
        [
            "ALL_DISTRICTS",
            "CRIME_RECORDING_RULE_CHANGE",
            "KPI_SCHEMA",
            "REGISTRY",
            "Count",
            "Direction",
            "DomesticAbuse",
            "Facts",
            "Grain",
            "Median",
            "Metric",
            "PerPopulation",
            "Ratio",
            "Rebase",
            "Records",
            "RecordSet",
            "DistinctCount",
            "StockShare",
            "RECORD_SETS",
            "declare_records",
            "Target",
            "Unit",
            "compute_all_grains",
            "compute_kpis",
            "prepare_facts",
            "register",
        ]
    )


def test_the_fixture_covers_every_metric_with_a_non_empty_value(fixture_source):
    kpis = compute_kpis(prepare_facts(load_source(fixture_source)), Grain.FINANCIAL_YEAR)
    covered = kpis.filter(pl.col("value").is_not_null() & (pl.col("value") != 0))
    assert set(covered["metric_id"]) == set(REGISTRY.ids)
    assert fixture_rows.VALID  # the fixture is the one the SQL comparison uses
