"""What a board pack says, worked out once and drawn by both the PDF and the PowerPoint writer.

Every figure is text here, formatted as the dashboard formats it (``presentation.formatting``),
so the two formats cannot disagree. With suppression on, a district pack's SPC chart, icons and
comparisons are all worked out from the published (suppressed and rounded) figures: the chart
reveals nothing that the table hides.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import polars as pl

from metrics import (
    ALL_DISTRICTS,
    REGISTRY,
    Direction,
    DomesticAbuse,
    Grain,
    Median,
    Metric,
    PerPopulation,
    Ratio,
    Unit,
)
from metrics.kpi_spc import chart_series, spc_options
from metrics.periods import label_of, parse_label
from metrics.spc import SpcSummary, spc_summary
from packs.meeting_record import PackRecord
from packs.signals import district_notes, maturity_notes
from packs.suppression import (
    RESIDUAL_RISK,
    SUPPRESSED,
    SuppressionRule,
    differencing_exposure,
    suppress_small_counts,
)
from presentation import periods
from presentation.formatting import (
    MISSING,
    assess,
    direction_words,
    format_change,
    format_value,
    rounded_change,
)
from presentation.settings import FORCE_LABEL
from presentation.spc_words import (
    ASSURANCE,
    POINT_LABELS,
    POINTS,
    assurance_code,
    assurance_sentence,
    variation_letter,
    variation_sentence,
    variation_words,
)

FORCE_NAME_ENV = "KPI_FORCE_NAME"
DEFAULT_FORCE_NAME = "Demo Constabulary (synthetic data)"
TITLE = "Stalking and harassment performance pack"

# How many periods the numbers table under each chart shows, ending at the reporting period:
# at least back to the same period last year.
TABLE_PERIODS = {Grain.MONTH: 13, Grain.QUARTER: 8, Grain.FINANCIAL_YEAR: 5}
GRAIN_WORDS = {Grain.MONTH: "month", Grain.QUARTER: "quarter", Grain.FINANCIAL_YEAR: "year"}
DOMESTIC_ABUSE_WORDS = {
    DomesticAbuse.ALL: "All records",
    DomesticAbuse.DA: "Domestic abuse cases only",
    DomesticAbuse.NON_DA: "Cases not flagged as domestic abuse only",
}
# Liberation Sans (the packs' font) has no ▶, so no change is ► here; the meaning is the same.
ARROWS = {1: "▲", -1: "▼", 0: "►"}


class PackError(ValueError):
    """Options that do not fit the data (a period or district it does not have): one line."""


def default_force_name() -> str:
    """The force named on the cover: ``$KPI_FORCE_NAME``, else the demo's name."""
    return os.environ.get(FORCE_NAME_ENV, "").strip() or DEFAULT_FORCE_NAME


@dataclass(frozen=True)
class Icon:
    """An MDC icon as drawn: its colour key (``spc_words.MDC_COLOURS``), letter and words."""

    colour: str
    letter: str
    words: str
    label: str  # the full sentence, e.g. "Special cause variation – concern (low)"


# A series with no value at all (every figure suppressed or empty) has no icons to show.
NO_VALUES = Icon("none", "", "No values", "No values to read: every figure is suppressed or empty")


@dataclass(frozen=True)
class Comparison:
    """A period's figure and how the reporting period's figure differs from it."""

    period: str
    shown: str
    change: str  # "▲ +3.1 pts, better", or "" for the reporting period itself


@dataclass(frozen=True)
class KpiPage:
    """One metric's page or slide."""

    number: int
    metric: Metric
    current: Comparison
    previous: Comparison
    year_ago: Comparison
    variation: Icon
    assurance: Icon
    chart: pl.DataFrame  # ``chart_series`` frame, up to the reporting period
    table_header: tuple[str, ...]
    table_rows: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...]  # definition, direction, rebases, target, trial limits

    @property
    def has_values(self) -> bool:
        """Whether the series has anything to chart (not all suppressed or empty)."""
        return self.chart["value"].is_not_null().any()


@dataclass(frozen=True)
class Pack:
    """Everything a board pack shows, as text and small frames."""

    force_name: str
    district: str  # a district name, or ALL_DISTRICTS
    grain: Grain
    period: str
    period_start: dt.date
    period_end: dt.date
    extract_date: dt.date
    domestic_abuse: DomesticAbuse
    suppression: SuppressionRule | None
    exposed: int  # suppressed figures in this pack that differencing narrows
    pages: tuple[KpiPage, ...]
    record: PackRecord | None = None  # commentary and actions from the app database
    not_collected: tuple[tuple[str, str], ...] = ()  # (KPI title, why) for KPIs left out

    @property
    def district_label(self) -> str:
        return FORCE_LABEL if self.district == ALL_DISTRICTS else self.district

    @property
    def is_complete(self) -> bool:
        return self.extract_date >= self.period_end

    @property
    def subtitle(self) -> str:
        """One line naming the pack: district, period, filter."""
        records = DOMESTIC_ABUSE_WORDS[self.domestic_abuse]
        return f"{self.district_label} · {self.period} · {records}"

    def cover_lines(self) -> list[tuple[str, str]]:
        """The cover's facts as (label, text) pairs."""
        partial = (
            ""
            if self.is_complete
            else f" (partial: the data end on {_long_date(self.extract_date)})"
        )
        return [
            ("Force", self.force_name),
            ("District", self.district_label),
            (
                "Period",
                f"{self.period}: {_long_date(self.period_start)} to "
                f"{_long_date(self.period_end)}{partial}",
            ),
            ("Records", DOMESTIC_ABUSE_WORDS[self.domestic_abuse]),
            ("Data as at", f"{_long_date(self.extract_date)}"),
        ] + (
            [
                (
                    "Not collected",
                    "; ".join(f"{title} ({why})" for title, why in self.not_collected),
                )
            ]
            if self.not_collected
            else []
        )

    def disclosure_lines(self) -> list[str]:
        """The disclosure statement for the cover."""
        if self.suppression is None:
            return [
                "Exact figures: small counts are not suppressed. Not for circulation beyond "
                "the meeting; build the pack with small-count suppression for wider use."
            ]
        lines = [self.suppression.statement(), RESIDUAL_RISK]
        if self.district != ALL_DISTRICTS:
            lines.append(
                f"In this pack, {self.exposed} suppressed figure"
                f"{'' if self.exposed == 1 else 's'} can be narrowed that way."
            )
        return lines


def _long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _count(value: int | None, suppressed: bool) -> str:
    if suppressed:
        return SUPPRESSED
    return MISSING if value is None else f"{value:,}"


def _value(value: float | None, suppressed: bool, unit: Unit) -> str:
    return SUPPRESSED if suppressed else format_value(value, unit)


def _change(current: float | None, earlier: float | None, metric: Metric) -> str:
    """``▲ +3.1 pts, better``: the arrow for the move, the word for its meaning."""
    change = rounded_change(current, earlier, metric.unit)
    if change is None:
        return "no comparison"
    arrow = ARROWS[(change > 0) - (change < 0)]
    return f"{arrow} {format_change(change, metric.unit)}, {assess(change, metric.direction).value}"


def _count_columns(metric: Metric) -> list[tuple[str, str]]:
    """The count columns of the numbers table: (KPI column, heading)."""
    match metric.measure:
        case Ratio():
            return [("numerator", "Numerator"), ("denominator", "Denominator")]
        case PerPopulation():
            return [("numerator", "Crimes"), ("denominator", "Population")]
        case Median():
            return [("denominator", "Cases")]
        case _:
            return []


def _variation_icon(summary: SpcSummary, direction: Direction) -> Icon:
    colour = POINTS[summary.variation].colour_key
    return Icon(
        colour,
        variation_letter(summary.variation, direction),
        variation_words(summary.variation, direction),
        variation_sentence(summary.variation, direction),
    )


def _assurance_icon(summary: SpcSummary, chart: pl.DataFrame) -> Icon:
    target_in_force = chart.height > 0 and chart["target"][-1] is not None
    words = ASSURANCE[assurance_code(summary, target_in_force)]
    # No reading draws an empty disc: no colour to suggest a pass or a fail.
    colour = words.colour_key if summary.assurance else "none"
    return Icon(
        colour, words.letter if summary.assurance else "", words.brief, assurance_sentence(summary)
    )


def _notes(metric: Metric, chart: pl.DataFrame, grain: Grain, period_start: dt.date) -> list[str]:
    """The definition and how to read this metric's chart."""
    notes = [metric.description, f"{direction_words(metric.direction)}. Unit: {metric.unit}."]
    for rebase in metric.rebase:
        notes.append(f"Limits recalculated from {_long_date(rebase.date)}: {rebase.reason}.")
    target = metric.target_on(periods.period_end(period_start, grain))
    if target is not None:
        notes.append(f"Target: {format_value(target, metric.unit)}.")
    present = chart.filter(pl.col("value").is_not_null())
    if present.height and present["trial_limits"][-1]:
        notes.append(
            "Trial limits: fewer than 13 periods since the series began or was rebased, so "
            "the limits may still move."
        )
    return notes


def _quoted(value: str) -> str:
    """A value as an error quotes it: long (or hostile) input cut short."""
    return repr(value if len(value) <= 40 else value[:40] + "…")


def check_options(
    kpis: pl.DataFrame, grain: Grain, period: str, district: str
) -> tuple[dt.date, str]:
    """The period's start and the district, or a one-line PackError listing the valid ones."""
    labels = kpis.sort("period_start")["period_label"].unique(maintain_order=True).to_list()
    if not labels:
        raise PackError("the data have no periods: there is nothing to put in a pack")
    try:
        start = parse_label(period, grain)
    except ValueError:
        start = None
    if start is None or label_of(start, grain) not in labels:
        raise PackError(
            f"unknown period {_quoted(period)} at grain {grain.value}; choose from: "
            f"{', '.join(labels)}"
        )
    districts = kpis["district"].unique(maintain_order=True).to_list()
    wanted = ALL_DISTRICTS if district in ("", ALL_DISTRICTS, FORCE_LABEL) else district
    if wanted not in districts:
        choices = ", ".join(districts)
        raise PackError(f"unknown district {_quoted(district)}; choose from: {choices}")
    return start, wanted


def pack_content(
    kpis: pl.DataFrame,
    *,
    grain: Grain,
    period: str,
    extract_date: dt.date,
    district: str = ALL_DISTRICTS,
    domestic_abuse: DomesticAbuse = DomesticAbuse.ALL,
    suppression: SuppressionRule | None = None,
    force_name: str | None = None,
    metrics: Iterable[Metric] | None = None,
    not_collected: Mapping[str, str] | None = None,
) -> Pack:
    """The pack for one period and district from ``compute_kpis`` rows at ``grain``.

    KPIs the source cannot give (``not_collected``: id to reason, or simply absent from
    ``kpis``) get no page and are named on the cover; a force-wide-only KPI has no page in a
    district's pack.
    """
    metrics = list(REGISTRY if metrics is None else metrics)
    given = set(kpis["metric_id"].unique().to_list())
    reasons = {
        m.id: (not_collected or {}).get(m.id, "no figures in the data")
        for m in metrics
        if m.id not in given or m.id in (not_collected or {})
    }
    missing = tuple((m.title, reasons[m.id]) for m in metrics if m.id in reasons)
    start, district = check_options(kpis, grain, period, district)
    metrics = [
        m
        for m in metrics
        if m.id not in reasons and (district == ALL_DISTRICTS or not m.force_only)
    ]
    # The pack's series end at its period: SPC limits use every period up to and including it.
    # Only the KPIs it has pages for: suppression refuses a KPI it has no definition for (a
    # force-wide-only KPI left out of a district's pack).
    shown = kpis.filter(
        pl.col("period_start") <= start, pl.col("metric_id").is_in([m.id for m in metrics])
    )
    exposed = 0
    if suppression is None:
        published = shown.with_columns(
            pl.lit(False).alias("numerator_suppressed"),
            pl.lit(False).alias("denominator_suppressed"),
            pl.lit(False).alias("value_suppressed"),
        )
    else:
        published = suppress_small_counts(shown, suppression, metrics)
        exposure = differencing_exposure(shown, published, suppression, metrics)
        exposed = exposure.filter(pl.col("district") == district).height
    here = published.filter(pl.col("district") == district)
    previous = periods.shift(start, grain, -1)
    year_ago = periods.shift(start, grain, -periods.PERIODS_PER_YEAR[grain])
    pages = []
    for number, metric in enumerate(metrics, start=1):
        series = here.filter(pl.col("metric_id") == metric.id).sort("period_start")
        page = _page(number, metric, series, grain, start, previous, year_ago)
        # Maturity, small numbers and (exact figures only) districts against the force.
        extra = maturity_notes(metric, series, page.chart, grain, start)
        if suppression is None:
            extra += district_notes(shown, metric, district, start)
        pages.append(replace(page, notes=page.notes + tuple(extra)))
    return Pack(
        force_name=force_name or default_force_name(),
        district=district,
        grain=grain,
        period=label_of(start, grain),
        period_start=start,
        period_end=periods.period_end(start, grain),
        extract_date=extract_date,
        domestic_abuse=domestic_abuse,
        suppression=suppression,
        exposed=exposed,
        pages=tuple(pages),
        not_collected=missing,
    )


def _page(
    number: int,
    metric: Metric,
    series: pl.DataFrame,
    grain: Grain,
    start: dt.date,
    previous: dt.date,
    year_ago: dt.date,
) -> KpiPage:
    unit = metric.unit
    rows = {row["period_start"]: row for row in series.iter_rows(named=True)}

    def comparison(day: dt.date, change: bool) -> Comparison:
        row = rows.get(day)
        label = label_of(day, grain)
        if row is None:
            return Comparison(label, MISSING, "no comparison" if change else "")
        current = rows[start]["value"]
        return Comparison(
            label,
            _value(row["value"], row["value_suppressed"], unit),
            _change(current, row["value"], metric) if change else "",
        )

    chart = chart_series(series, metric)
    summary = spc_summary(chart, spc_options(metric))
    present = chart["value"].is_not_null().any()
    columns = _count_columns(metric)
    header = (
        "Period",
        *(heading for _, heading in columns),
        "Value" if columns else "Count",
        "Mean",
        "Process limits",
        "Point",
    )
    table = []
    by_start = {row["period_start"]: row for row in chart.iter_rows(named=True)}
    for row in series.tail(TABLE_PERIODS[grain]).iter_rows(named=True):
        spc = by_start[row["period_start"]]
        counts = [
            _count(row[name], row[f"{name}_suppressed"])
            if not (isinstance(metric.measure, PerPopulation) and name == "denominator")
            else _count(row[name], False)
            for name, _ in columns
        ]
        lower, upper = spc["spc_lower"], spc["spc_upper"]
        table.append(
            (
                row["period_label"],
                *counts,
                _value(row["value"], row["value_suppressed"], unit),
                format_value(spc["spc_mean"], unit),
                MISSING
                if lower is None or upper is None
                else f"{format_value(lower, unit)} to {format_value(upper, unit)}",
                _point_words(spc["spc_point_type"]),
            )
        )
    return KpiPage(
        number=number,
        metric=metric,
        current=comparison(start, change=False),
        previous=comparison(previous, change=True),
        year_ago=comparison(year_ago, change=True),
        variation=_variation_icon(summary, metric.direction) if present else NO_VALUES,
        assurance=_assurance_icon(summary, chart) if present else NO_VALUES,
        chart=chart,
        table_header=header,
        table_rows=tuple(table),
        notes=tuple(_notes(metric, chart, grain, start)),
    )


def _point_words(point_type: str | None) -> str:
    return MISSING if point_type is None else POINT_LABELS[point_type]
