"""Metric definitions in code, computed with polars into KPIs by period and district."""

from metrics import catalogue as _catalogue  # noqa: F401  (registers the built-in metrics)
from metrics import catalogue_v11 as _catalogue_v11  # noqa: F401  (and the v1.1 ones)
from metrics.definitions import (
    CRIME_RECORDING_RULE_CHANGE,
    Count,
    Direction,
    DistinctCount,
    Median,
    Metric,
    PerPopulation,
    Ratio,
    Rebase,
    Records,
    RecordSet,
    StockShare,
    Target,
    Unit,
)
from metrics.engine import KPI_SCHEMA, compute_all_grains, compute_kpis
from metrics.periods import Grain
from metrics.registry import REGISTRY, register
from metrics.sources import (
    ALL_DISTRICTS,
    RECORD_SETS,
    DomesticAbuse,
    Facts,
    declare_records,
    prepare_facts,
)

__all__ = [
    "ALL_DISTRICTS",
    "CRIME_RECORDING_RULE_CHANGE",
    "KPI_SCHEMA",
    "RECORD_SETS",
    "REGISTRY",
    "Count",
    "Direction",
    "DistinctCount",
    "DomesticAbuse",
    "Facts",
    "Grain",
    "Median",
    "Metric",
    "PerPopulation",
    "Ratio",
    "Rebase",
    "RecordSet",
    "Records",
    "StockShare",
    "Target",
    "Unit",
    "compute_all_grains",
    "compute_kpis",
    "declare_records",
    "prepare_facts",
    "register",
]
