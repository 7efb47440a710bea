"""Compute KPIs from prepared facts: counts once by month, rolled up; medians per grain.

Metrics that count the same source by the same period date share one ``group_by`` by month
and district. Counts add up exactly, so quarters and financial years are the months'
sums; medians are taken again from the records at each grain. The force-wide row
(``All``) sums the districts' counts and takes its own medians. Every metric gets a row for
every period and district, so series have no gaps.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import polars as pl

from metrics.definitions import (
    Count,
    DistinctCount,
    Median,
    Metric,
    PerPopulation,
    Ratio,
    Records,
    StockShare,
    Unit,
)
from metrics.periods import Grain, period_label, period_start, period_starts
from metrics.registry import REGISTRY
from metrics.sources import ALL_DISTRICTS, Facts

KPI_SCHEMA = {
    "metric_id": pl.String,
    "period_start": pl.Date,
    "period_label": pl.String,
    "district": pl.String,
    "numerator": pl.Int64,
    "denominator": pl.Int64,
    "value": pl.Float64,
}
KEYS = ["period_start", "district"]
MONTH = "__month"


def compute_kpis(
    facts: Facts, grain: Grain, metrics: Iterable[Metric] | None = None
) -> pl.DataFrame:
    """One row per metric, period and district (plus ``All``), in registry order."""
    return _compute(facts, (grain,), metrics)[grain]


def compute_all_grains(
    facts: Facts, metrics: Iterable[Metric] | None = None
) -> dict[Grain, pl.DataFrame]:
    """KPIs at every grain, each computed from the records (never by adding up rates)."""
    return _compute(facts, tuple(Grain), metrics)


def _compute(
    facts: Facts, grains: Sequence[Grain], metrics: Iterable[Metric] | None
) -> dict[Grain, pl.DataFrame]:
    metrics = facts.available(REGISTRY if metrics is None else metrics)
    if facts.first_date is None or not metrics:
        return {grain: pl.DataFrame(schema=KPI_SCHEMA) for grain in grains}
    record_sets = _RecordSets(metrics)
    medians = [metric for metric in metrics if isinstance(metric.measure, Median)]
    monthly = _monthly_counts(facts, record_sets)
    cases = _median_cases(facts, medians)
    median_frames = _medians(cases, grains)
    results = {}
    for grain in grains:
        wide = (
            _grid(facts, grain)
            .join(_counts(monthly, grain, record_sets), on=KEYS, how="left")
            .with_columns(pl.col(record_sets.names).fill_null(0))
            .join(median_frames[grain], on=KEYS, how="left")
        )
        rows = pl.concat(
            [
                _rows(facts, wide, metric, record_sets, grain).with_columns(
                    pl.lit(order).alias("__metric")
                )
                for order, metric in enumerate(metrics)
            ]
        )
        results[grain] = (
            rows.with_columns(period_label(pl.col("period_start"), grain).alias("period_label"))
            .sort("__metric", "period_start", "__district")
            .select(pl.col(name).cast(dtype) for name, dtype in KPI_SCHEMA.items())
        )
    return results


def _grid(facts: Facts, grain: Grain) -> pl.DataFrame:
    """Every period × every district (``All`` first), with the denominator population."""
    assert facts.first_date is not None and facts.last_date is not None
    periods = period_starts(facts.first_date, facts.last_date, grain).to_frame()
    force = pl.DataFrame(
        {"district": [ALL_DISTRICTS], "population": [facts.districts["population"].sum()]},
        schema={"district": pl.String, "population": pl.Int64},
    )
    districts = pl.concat(
        [force, facts.districts.select("district", pl.col("population").cast(pl.Int64))]
    ).with_row_index("__district")
    return periods.join(districts, how="cross")


class _RecordSets:
    """Every distinct record set (by identity) the metrics count, each with a column name.

    A distinct count keeps each key's first record only, so it is counted on its own.
    """

    def __init__(self, metrics: list[Metric]) -> None:
        self._names: dict[int, str] = {}
        self.by_source_and_date: dict[tuple[str, str], list[tuple[str, Records]]] = {}
        self.distinct: list[tuple[str, DistinctCount]] = []
        for metric in metrics:
            if isinstance(metric.measure, StockShare):
                continue
            for records in metric.records:
                if id(records) in self._names:
                    continue
                name = f"__records_{len(self._names)}"
                self._names[id(records)] = name
                if isinstance(metric.measure, DistinctCount):
                    self.distinct.append((name, metric.measure))
                    continue
                key = (records.source.name, records.period_date)
                self.by_source_and_date.setdefault(key, []).append((name, records))

    def name(self, records: Records) -> str:
        return self._names[id(records)]

    @property
    def names(self) -> list[str]:
        return list(self._names.values())


def _by_month(frame: pl.DataFrame, date: str) -> pl.LazyFrame:
    """Records with their period date set, keyed by the month that contains it."""
    return (
        frame.lazy()
        .filter(pl.col(date).is_not_null())
        .with_columns(period_start(pl.col(date), Grain.MONTH).alias(MONTH))
    )


def _monthly_counts(facts: Facts, record_sets: _RecordSets) -> pl.DataFrame:
    """Counts of every record set by month and district, each source and date in one pass."""
    queries = [
        _by_month(facts.records[source], date)
        .group_by(MONTH, "district")
        .agg(
            records.where.fill_null(False).sum().cast(pl.Int64).alias(name)
            for name, records in sets
        )
        for (source, date), sets in record_sets.by_source_and_date.items()
    ]
    queries += [
        _first_records(facts, measure)
        .group_by(MONTH, "district")
        .agg(pl.len().cast(pl.Int64).alias(name))
        for name, measure in record_sets.distinct
    ]
    # A categorical district (``queries.contract``) becomes text once counted: a few rows.
    queries = [query.with_columns(pl.col("district").cast(pl.String)) for query in queries]
    if not queries:
        return pl.DataFrame(schema={MONTH: pl.Date, "district": pl.String})
    by_district = pl.collect_all(queries)
    counts = by_district[0]
    for frame in by_district[1:]:
        counts = counts.join(frame, on=[MONTH, "district"], how="full", coalesce=True)
    return counts.with_columns(pl.col(record_sets.names).fill_null(0))


def _first_records(facts: Facts, measure: DistinctCount) -> pl.LazyFrame:
    """Each key's first matching record (earliest period date, then smallest ``tie``)."""
    records = measure.records
    return (
        _by_month(facts.records[records.source.name], records.period_date)
        .filter(records.where.fill_null(False) & pl.col(measure.key).is_not_null())
        .sort(records.period_date, measure.tie, nulls_last=True, maintain_order=True)
        .unique(measure.key, keep="first", maintain_order=True)
    )


def _counts(monthly: pl.DataFrame, grain: Grain, record_sets: _RecordSets) -> pl.DataFrame:
    """The months' counts summed into the grain's periods; ``All`` is the districts' sum."""
    by_district = (
        monthly.lazy()
        .group_by(period_start(pl.col(MONTH), grain).alias("period_start"), "district")
        .agg(pl.col(record_sets.names).sum())
    )
    force = (
        by_district.group_by("period_start")
        .agg(pl.col(record_sets.names).sum())
        .with_columns(pl.lit(ALL_DISTRICTS).alias("district"))
    )
    return pl.concat(
        [by_district, force.select("period_start", "district", *record_sets.names)]
    ).collect()


def _median_name(metric: Metric) -> str:
    return f"__median_{metric.id}"


def _median_cases(facts: Facts, metrics: list[Metric]) -> list[pl.DataFrame]:
    """Each median metric's cases: month, district and elapsed time, taken once for all grains."""
    queries = []
    for metric in metrics:
        measure = metric.measure
        assert isinstance(measure, Median)
        elapsed = (pl.col(measure.end) - pl.col(measure.start)).dt.total_microseconds() / (
            _MICROSECONDS[measure.unit]
        )
        queries.append(
            _by_month(facts.records[measure.records.source.name], measure.records.period_date)
            .filter(measure.records.where.fill_null(False))
            .select(MONTH, pl.col("district").cast(pl.String), elapsed.alias(_median_name(metric)))
        )
    return pl.collect_all(queries) if queries else []


def _medians(cases: list[pl.DataFrame], grains: Sequence[Grain]) -> dict[Grain, pl.DataFrame]:
    """Each median by period and district, and over the force, from the cases at each grain."""
    queries: dict[Grain, list[pl.LazyFrame]] = {grain: [] for grain in grains}
    for frame in cases:
        name = frame.columns[-1]
        for grain in grains:
            keyed = frame.lazy().with_columns(
                period_start(pl.col(MONTH), grain).alias("period_start")
            )
            by_district = keyed.group_by(KEYS).agg(pl.col(name).median())
            force = (
                keyed.group_by("period_start")
                .agg(pl.col(name).median())
                .with_columns(pl.lit(ALL_DISTRICTS).alias("district"))
            )
            queries[grain].append(pl.concat([by_district, force.select(*KEYS, name)]))
    collected = pl.collect_all([query for grain in grains for query in queries[grain]])
    results = {}
    for index, grain in enumerate(grains):
        result = pl.DataFrame(schema={"period_start": pl.Date, "district": pl.String})
        for frame in collected[index * len(cases) : (index + 1) * len(cases)]:
            result = result.join(frame, on=KEYS, how="full", coalesce=True)
        results[grain] = result
    return results


_MICROSECONDS = {Unit.HOURS: 3_600_000_000, Unit.DAYS: 86_400_000_000}


def _rows(
    facts: Facts, wide: pl.DataFrame, metric: Metric, record_sets: _RecordSets, grain: Grain
) -> pl.DataFrame:
    """The metric's rows: every period and district, or the force row alone for a stock."""
    if isinstance(metric.measure, StockShare):
        force = wide.filter(pl.col("district") == ALL_DISTRICTS).select(
            "period_start", "district", "__district"
        )
        stock = stock_counts(facts, metric.measure, force["period_start"], grain, group=None)
        return force.join(stock, on="period_start", how="left").select(
            pl.lit(metric.id).alias("metric_id"),
            "period_start",
            "district",
            "__district",
            pl.col("numerator").fill_null(0),
            "denominator",
            pl.when(pl.col("denominator") > 0)
            .then(pl.col("numerator").fill_null(0) / pl.col("denominator"))
            .cast(pl.Float64)
            .alias("value"),
        )
    return _metric_rows(wide, metric, record_sets)


def stock_counts(
    facts: Facts, measure: StockShare, starts: pl.Series, grain: Grain, group: str | None
) -> pl.DataFrame:
    """Distinct keys with a record on or before each period's last day, and the total.

    With ``group``, one row per group and period (a key counts once in each group it has a
    record in); without, the force: each key once. Each key's first record date is found
    once; an as-of join then counts the keys whose first date falls before each period ends.
    """
    records = measure.records
    keys = [group] if group else []
    first = (
        facts.records[records.source.name]
        .lazy()
        .filter(records.where.fill_null(False) & pl.col(records.period_date).is_not_null())
        .group_by([*keys, measure.key])
        .agg(pl.col(records.period_date).min().alias("__first"))
        .group_by([*keys, "__first"])
        .agg(pl.len().alias("__new"))
        .sort("__first")
        .with_columns(
            (pl.col("__new").cum_sum().over(keys) if keys else pl.col("__new").cum_sum()).alias(
                "numerator"
            )
        )
        .select(*keys, "__first", "numerator")
        .collect()
    )
    totals = facts.records[measure.total.name]
    periods = pl.DataFrame({"period_start": starts}).with_columns(
        pl.col("period_start").dt.offset_by(_STEP[grain]).cast(pl.Datetime("us")).alias("__end")
    )
    if group:
        groups = totals.select(pl.col(group).unique().sort())
        periods = groups.join(periods, how="cross")
        total = totals.group_by(group).agg(
            pl.col(measure.total_column).sum().cast(pl.Int64).alias("denominator")
        )
    else:
        total = pl.DataFrame(
            {"denominator": [int(totals[measure.total_column].sum() or 0)]},
            schema={"denominator": pl.Int64},
        )
    # The count on or before the last day is the count of first dates before the next period.
    before_end = first.with_columns(pl.col("__first") + pl.duration(microseconds=1))
    counted = periods.sort("__end").join_asof(
        before_end.sort("__first"),
        left_on="__end",
        right_on="__first",
        by=keys or None,
        strategy="backward",
        allow_exact_matches=True,
        check_sortedness=False,  # sorted by __end above, so within every group too
    )
    counted = counted.with_columns(pl.col("numerator").fill_null(0).cast(pl.Int64))
    if group:
        counted = counted.join(total, on=keys, how="left")
    else:
        counted = counted.join(total, how="cross")
    return counted.select(*keys, "period_start", "numerator", "denominator").sort(
        *keys, "period_start"
    )


_STEP = {Grain.MONTH: "1mo", Grain.QUARTER: "3mo", Grain.FINANCIAL_YEAR: "1y"}


def _metric_rows(wide: pl.DataFrame, metric: Metric, record_sets: _RecordSets) -> pl.DataFrame:
    """The metric's numerator, denominator and value for every period and district."""
    none = pl.lit(None, dtype=pl.Int64)
    match metric.measure:
        case Count(records=records) | DistinctCount(records=records):
            numerator, denominator = pl.col(record_sets.name(records)), none
            value = numerator.cast(pl.Float64)
        case Ratio(numerator=top, denominator=bottom, scale=scale):
            numerator, denominator = pl.col(record_sets.name(top)), pl.col(record_sets.name(bottom))
            value = pl.when(denominator > 0).then(numerator / denominator * scale)
        case PerPopulation(records=records, per=per):
            numerator, denominator = pl.col(record_sets.name(records)), pl.col("population")
            value = pl.when(denominator > 0).then(numerator / denominator * per)
        case Median(records=records):
            numerator, denominator = none, pl.col(record_sets.name(records))
            value = pl.when(denominator > 0).then(pl.col(_median_name(metric)))
    return wide.select(
        pl.lit(metric.id).alias("metric_id"),
        "period_start",
        "district",
        "__district",
        numerator.alias("numerator"),
        denominator.alias("denominator"),
        value.cast(pl.Float64).alias("value"),
    )
