"""Disclosure control for packs leaving the meeting: small district counts hidden, others rounded.

Pure polars, so the dashboard's downloads can apply exactly what the packs apply. The rule
(defaults as the issue states them):

- counts of 1 to 7 are suppressed (shown ``*``); 0 is shown as 0;
- counts of 8 or more are rounded to the nearest 5, half-way up (12 -> 10, 13 -> 15; a count is
  a whole number, so with a base of 5 no count is ever half-way);
- a rate or median whose count is suppressed is suppressed too (a median's count is its
  denominator, the number of cases);
- a figure per 1,000 residents is recomputed from the rounded count: the population is
  published, so the exact rate would give the exact count back;
- other rates are computed from the exact counts (rounding both sides would distort them);
- only district rows change: the force row (``All``) is exact.

Residual risk, stated on every pack's cover: the force figures are exact, so subtracting every
other district's published figure from the force figure narrows a suppressed figure (and
gives it exactly when every other district's figure is 0); an exact rate beside rounded counts
can narrow a small count. ``differencing_exposure`` counts the suppressed figures that the
first of these narrows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

from metrics import ALL_DISTRICTS, REGISTRY, Metric, PerPopulation

SUPPRESSED = "*"
FLAGS = ("numerator_suppressed", "denominator_suppressed", "value_suppressed")

# Which counts of each kind of measure are counts of records (and so are rounded). The
# denominator of a per-population rate is the population, and of a stock share the
# headcount: published, never suppressed. A kind missing here is refused, never published.
_NUMERATOR_IS_A_COUNT = {"count", "distinctcount", "ratio", "perpopulation", "stockshare"}
_DENOMINATOR_IS_A_COUNT = {"ratio", "median"}
_VALUE_IS_THE_COUNT = {"count", "distinctcount"}
KNOWN_KINDS = frozenset(
    {"count", "distinctcount", "ratio", "perpopulation", "median", "stockshare"}
)


@dataclass(frozen=True)
class SuppressionRule:
    """Counts from 1 to ``largest_suppressed`` hidden; larger ones rounded to ``base``."""

    largest_suppressed: int = 7
    base: int = 5

    def __post_init__(self) -> None:
        if self.largest_suppressed < 1 or self.base < 1:
            raise ValueError("largest_suppressed and base must be whole numbers of at least 1")

    def is_suppressed(self, count: pl.Expr) -> pl.Expr:
        """Whether a count is hidden: 1 to ``largest_suppressed`` (0 is shown)."""
        return count.is_between(1, self.largest_suppressed)

    def rounded(self, count: pl.Expr) -> pl.Expr:
        """The count to the nearest multiple of ``base``, half-way up (integer arithmetic)."""
        return (count + self.base // 2) // self.base * self.base

    def statement(self) -> str:
        """The rule in words, for a pack's cover."""
        return (
            f"Small counts are suppressed for districts: a count from 1 to "
            f"{self.largest_suppressed} is shown as {SUPPRESSED}, a count of "
            f"{self.largest_suppressed + 1} or more is rounded to the nearest {self.base} "
            f"(half-way rounds up), and 0 is shown as 0. A rate or median whose count is "
            f"suppressed is suppressed too; a rate per 1,000 residents is worked out from the "
            f"rounded count; other rates are worked out from the exact counts. Force-wide "
            f"figures are exact."
        )


DEFAULT_RULE = SuppressionRule()

RESIDUAL_RISK = (
    "Residual risk: the force-wide figures are exact, so subtracting the other districts' "
    "published figures from a force figure narrows a suppressed district figure, and reveals "
    "it when every other district's figure is 0; a rate shown beside rounded counts can also "
    "narrow a small count. Circulate the force pack and the district packs together only to "
    "readers entitled to the exact figures."
)


def _kinds(metrics: Iterable[Metric]) -> tuple[dict[str, str], dict[str, int]]:
    """Each metric's kind of measure, and the ``per`` of per-population rates."""
    kinds, per = {}, {}
    for metric in metrics:
        if metric.kind not in KNOWN_KINDS:
            raise ValueError(
                f"small-count suppression does not know the measure kind {metric.kind!r} of "
                f"{metric.id}: it cannot be published until packs/suppression.py does"
            )
        kinds[metric.id] = metric.kind
        if isinstance(metric.measure, PerPopulation):
            per[metric.id] = metric.measure.per
    return kinds, per


def suppress_small_counts(
    kpis: pl.DataFrame,
    rule: SuppressionRule = DEFAULT_RULE,
    metrics: Iterable[Metric] | None = None,
) -> pl.DataFrame:
    """KPI rows as published: district counts suppressed or rounded, the force row exact.

    Returns the ``compute_kpis`` columns (a suppressed count or value is null) plus boolean
    ``numerator_suppressed``, ``denominator_suppressed`` and ``value_suppressed``, which tell a
    suppressed figure (shown ``*``) from one that is empty anyway (shown ``–``).

    >>> import datetime as dt
    >>> rows = pl.DataFrame({
    ...     "metric_id": ["stalking_crimes"] * 4, "period_start": [dt.date(2024, 4, 1)] * 4,
    ...     "period_label": ["2024/25 Q1"] * 4, "district": ["All", "North", "South", "West"],
    ...     "numerator": [15, 3, 12, 0], "denominator": [None] * 4,
    ...     "value": [15.0, 3.0, 12.0, 0.0]})
    >>> suppress_small_counts(rows)["value"].to_list()
    [15.0, None, 10.0, 0.0]
    """
    kinds, per = _kinds(REGISTRY if metrics is None else metrics)
    unknown = set(kpis["metric_id"].unique().to_list()) - set(kinds)
    if unknown:
        raise KeyError(f"no metric definition for {', '.join(sorted(unknown))}")
    kind = pl.col("metric_id").replace_strict(kinds, return_dtype=pl.String)
    district = pl.col("district") != ALL_DISTRICTS
    numerator_counted = district & kind.is_in(_NUMERATOR_IS_A_COUNT)
    denominator_counted = district & kind.is_in(_DENOMINATOR_IS_A_COUNT)
    numerator_hidden = (numerator_counted & rule.is_suppressed(pl.col("numerator"))).fill_null(
        False
    )
    denominator_hidden = (
        denominator_counted & rule.is_suppressed(pl.col("denominator"))
    ).fill_null(False)
    numerator = (
        pl.when(numerator_hidden)
        .then(None)
        .when(numerator_counted)
        .then(rule.rounded(pl.col("numerator")))
        .otherwise(pl.col("numerator"))
    )
    denominator = (
        pl.when(denominator_hidden)
        .then(None)
        .when(denominator_counted)
        .then(rule.rounded(pl.col("denominator")))
        .otherwise(pl.col("denominator"))
    )
    hidden = numerator_hidden | denominator_hidden
    per_population = pl.col("metric_id").replace_strict(per, default=None, return_dtype=pl.Int64)
    value = (
        pl.when(~district)
        .then(pl.col("value"))
        .when(hidden)
        .then(None)
        .when(kind.is_in(_VALUE_IS_THE_COUNT))
        .then(pl.col("__numerator").cast(pl.Float64))
        .when(kind == "perpopulation")
        .then(
            pl.when(pl.col("denominator") > 0).then(
                pl.col("__numerator") / pl.col("denominator") * per_population
            )
        )
        .otherwise(pl.col("value"))
    )
    return (
        kpis.with_columns(
            numerator.cast(pl.Int64).alias("__numerator"),
            denominator.cast(pl.Int64).alias("__denominator"),
            numerator_hidden.alias("numerator_suppressed"),
            denominator_hidden.alias("denominator_suppressed"),
            (hidden & pl.col("value").is_not_null()).alias("value_suppressed"),
        )
        .with_columns(value.cast(pl.Float64).alias("value"))
        .with_columns(
            pl.col("__numerator").alias("numerator"), pl.col("__denominator").alias("denominator")
        )
        .drop("__numerator", "__denominator")
    )


def marked(published: pl.DataFrame) -> pl.DataFrame:
    """Numerator, denominator and value as text, ``*`` where suppressed and empty where null.

    For CSV downloads of ``suppress_small_counts`` output: the flags are folded into the cells.
    """
    columns = []
    for name, flag in zip(("numerator", "denominator", "value"), FLAGS, strict=True):
        columns.append(
            pl.when(pl.col(flag))
            .then(pl.lit(SUPPRESSED))
            .otherwise(pl.col(name).cast(pl.String).fill_null(""))
            .alias(name)
        )
    return published.with_columns(columns).drop(FLAGS)


def differencing_exposure(
    kpis: pl.DataFrame,
    published: pl.DataFrame,
    rule: SuppressionRule = DEFAULT_RULE,
    metrics: Iterable[Metric] | None = None,
) -> pl.DataFrame:
    """Suppressed district counts that the exact force count and the other districts narrow.

    Every district count is bounded by what is published: ``*`` is 1 to
    ``largest_suppressed``, a rounded count ``r`` is whatever rounds to it (``r - 2`` to
    ``r + 2`` with a base of 5, never below ``largest_suppressed + 1``), 0 is 0. The
    districts add up to the force (``All``), which is exact. A suppressed count is then at
    least the force count minus the others' upper bounds and at most the force count minus
    their lower bounds. Returns one row per suppressed count whose range is narrower than 1 to
    ``largest_suppressed``: ``metric_id, period_start, district, column, low, high``
    (``low == high``: revealed).
    """
    schema = {
        "metric_id": pl.String,
        "period_start": pl.Date,
        "district": pl.String,
        "column": pl.String,
        "low": pl.Int64,
        "high": pl.Int64,
    }
    keys = ["metric_id", "period_start"]
    below, above = rule.base // 2, rule.base - 1 - rule.base // 2
    kinds, _ = _kinds(REGISTRY if metrics is None else metrics)
    kind = pl.col("metric_id").replace_strict(kinds, return_dtype=pl.String)
    frames = []
    for column, flag, counted in (
        ("numerator", FLAGS[0], _NUMERATOR_IS_A_COUNT),
        ("denominator", FLAGS[1], _DENOMINATOR_IS_A_COUNT),
    ):
        force = kpis.filter(pl.col("district") == ALL_DISTRICTS).select(
            *keys, pl.col(column).alias("force")
        )
        bounds = (
            published.filter(
                (pl.col("district") != ALL_DISTRICTS)
                & kind.is_in(counted)
                & (pl.col(flag) | pl.col(column).is_not_null())
            )
            .select(
                *keys,
                "district",
                pl.col(flag).alias("hidden"),
                pl.when(pl.col(flag))
                .then(1)
                .when(pl.col(column) == 0)
                .then(0)
                .otherwise(pl.max_horizontal(pl.col(column) - below, rule.largest_suppressed + 1))
                .alias("lo"),
                pl.when(pl.col(flag))
                .then(rule.largest_suppressed)
                .otherwise(pl.col(column) + above * (pl.col(column) > 0))
                .alias("hi"),
            )
            .join(force, on=keys, how="inner")
            .filter(pl.col("force").is_not_null())
        )
        totals = bounds.group_by(keys).agg(
            pl.col("lo").sum().alias("sum_lo"), pl.col("hi").sum().alias("sum_hi")
        )
        frames.append(
            bounds.filter("hidden")
            .join(totals, on=keys)
            .select(
                *keys,
                "district",
                pl.lit(column).alias("column"),
                pl.max_horizontal(
                    pl.col("lo"), pl.col("force") - (pl.col("sum_hi") - pl.col("hi"))
                ).alias("low"),
                pl.min_horizontal(
                    pl.col("hi"), pl.col("force") - (pl.col("sum_lo") - pl.col("lo"))
                ).alias("high"),
            )
            .filter((pl.col("low") > 1) | (pl.col("high") < rule.largest_suppressed))
        )
    return (
        pl.concat(frames)
        .select(pl.col(n).cast(t) for n, t in schema.items())
        .sort("metric_id", "period_start", "district", "column")
    )
