"""Metric definitions in code, computed with polars into KPIs by period and district."""

from metrics import catalogue as _catalogue  # noqa: F401  (registers the built-in metrics)
from metrics.definitions import (
    CRIME_RECORDING_RULE_CHANGE,
    Count,
    Direction,
    Median,
    Metric,
    PerPopulation,
    Ratio,
    Rebase,
    Records,
    Source,
    Target,
    Unit,
)
from metrics.engine import KPI_SCHEMA, compute_all_grains, compute_kpis
from metrics.periods import Grain
from metrics.registry import REGISTRY, register
from metrics.sources import ALL_DISTRICTS, DomesticAbuse, Facts, prepare_facts

__all__ = [
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
