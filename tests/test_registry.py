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
    Source,
    Unit,
    compute_kpis,
    prepare_facts,
)
from metrics.registry import MetricRegistry
from queries import load_source
from tests import fixture_rows

SPEC_IDS = [
    "stalking_crimes",
    "harassment_crimes",
    "malicious_communications_crimes",
    "stalking_element_crimes",
    "sh_crimes_per_1000",
    "positive_outcome_rate",
    "charge_summons_rate",
    "victim_not_supporting_rate",
    "outcome_pending_rate",
    "order_breaches",
    "breach_arrest_rate",
    "spo_applications",
    "spo_granted",
    "spo_application_rate",
    "high_risk_cid_rate",
    "high_risk_days_to_cid",
    "victim_contact_24h_rate",
    "victim_contact_median_hours",
    "needs_assessment_rate",
    "referral_rate",
    "classified_24h_rate",
    # v1.1: outcomes assigned in the period
    "positive_outcomes_assigned",
    "charges_assigned",
]
SPEC_DIRECTIONS = {
    "positive_outcomes_assigned": "up",
    "charges_assigned": "up",
    "positive_outcome_rate": "up",
    "charge_summons_rate": "up",
    "victim_not_supporting_rate": "down",
    "breach_arrest_rate": "up",
    "spo_applications": "up",
    "spo_granted": "up",
    "spo_application_rate": "up",
    "high_risk_cid_rate": "up",
    "high_risk_days_to_cid": "down",
    "victim_contact_24h_rate": "up",
    "victim_contact_median_hours": "down",
    "needs_assessment_rate": "up",
    "referral_rate": "up",
    "classified_24h_rate": "up",
}
EVERY_METRIC = [pytest.param(metric, id=metric.id) for metric in REGISTRY]


def test_the_registry_holds_the_v1_catalogue_in_its_order():
    assert REGISTRY.ids == SPEC_IDS


@pytest.mark.parametrize("metric", EVERY_METRIC)
def test_metric_has_an_id_title_description_unit_and_direction(metric):
    assert metric.id and metric.title.strip() and metric.description.strip()
    assert isinstance(metric.unit, Unit)
    assert metric.direction.value == SPEC_DIRECTIONS.get(metric.id, "neutral")


@pytest.mark.parametrize("metric", EVERY_METRIC)
def test_metric_computes_on_the_demo_database(metric, demo_kpis):
    rows = demo_kpis.filter(pl.col("metric_id") == metric.id)
    assert rows.height > 0
    # On realistic data every metric has some non-empty force-wide value.
    assert rows.filter(pl.col("district") == "All")["value"].drop_nulls().len() > 0


def test_an_id_can_be_registered_once_only():
    registry = MetricRegistry()
    metric = Metric(
        "a_metric", "A", "A metric.", Direction.UP, Count(Records(Source.CRIMES, "reported_at"))
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
        "measure": Count(Records(Source.CRIMES, "reported_at")),
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
                Source.CRIMES,
                "recorded_at",
                (pl.col("offence_group") == "stalking")
                & pl.col("domestic_abuse")
                & pl.col("recorded_at").is_not_null(),
            ),
            Records(
                Source.CRIMES,
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
            "Source",
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
