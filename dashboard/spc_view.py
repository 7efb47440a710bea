"""SPC as the dashboard shows it: the series up to the reporting period, icons, words, legends.

Pure functions (no Streamlit), so the overview, the metric page and the tests share them. The
statistics come from ``metrics.spc`` through ``metrics.kpi_spc``; this module only selects the
series and draws the Making Data Count icons as small inline SVGs. Every icon carries a letter
or a pattern and sits beside its words, so nothing rests on colour alone.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
from dataclasses import dataclass
from typing import Final

import polars as pl

from metrics import Direction, Grain, Metric
from metrics.kpi_spc import chart_series, spc_options
from metrics.periods import label_of
from metrics.spc import PROVISIONAL_POINT, icon_period, signal_side, spc_summary
from presentation.spc_chart import point_types_for
from presentation.spc_words import (
    ASSURANCE,
    MDC_COLOURS,
    NO_ASSURANCE,
    NO_TARGET,
    NO_VALUES,
    POINT_LABELS,
    POINT_TYPE_COLOURS,
    POINT_TYPE_SHAPES,
    POINTS,
    assurance_code,
    assurance_sentence,
    variation_letter,
    variation_sentence,
    variation_words,
)

# Five dots of a small run chart inside the variation icon: level, ending high or ending low.
_DOT_X: Final = (8.0, 12.0, 16.0, 20.0, 24.0)
_DOTS_LEVEL: Final = (19.0, 16.0, 20.0, 17.0, 19.0)
_DOTS_HIGH: Final = (25.5, 25.5, 24.5, 22.5, 19.5)
_DOTS_LOW: Final = (19.5, 19.5, 20.5, 22.5, 25.5)

LEGEND_VARIATION: Final[tuple[tuple[str, str], ...]] = (
    (
        "common_cause",
        "**Common cause**: no real change. The latest value is within the normal ups and downs "
        "of the series.",
    ),
    (
        "special_cause_improvement",
        "**Improvement**: real change for the better (H: higher, L: lower). The latest value is "
        "part of a signal: outside the limits, 7 rising or falling in a row, 7 on one side of "
        "the average, or 2 of 3 close to a limit.",
    ),
    ("special_cause_concern", "**Concern**: real change for the worse (H: higher, L: lower)."),
    (
        "special_cause_neutral_high",
        "**Neither (high or low)**: real change in a measure of demand, where neither "
        "direction is better.",
    ),
)
LEGEND_ASSURANCE: Final[tuple[tuple[str, str], ...]] = (
    (
        "consistently_pass",
        "**Target met consistently**: the target lies beyond the limits on the good side, so "
        "it will be met unless something changes.",
    ),
    (
        "consistently_fail",
        "**Target missed consistently**: the target lies beyond the limits on the wrong side; "
        "it will not be met without a change in how the work is done.",
    ),
    (
        "inconsistent",
        "**Hit and miss**: the target lies within the limits, so it will be met in some periods "
        "and missed in others by chance alone.",
    ),
    (
        NO_TARGET,
        "**No target**: none is set for this KPI (measures of demand have none). With a target "
        "but too few periods to judge, the icon reads **No assurance**.",
    ),
)
_SHAPE_WORDS: Final = {
    "circle": "circle",
    "diamond": "diamond",
    "square": "square",
    "triangle-up": "triangle pointing up",
    "triangle-down": "triangle pointing down",
}


@dataclass(frozen=True)
class Icons:
    """The two MDC icons of one series, as codes and as words."""

    variation: str  # a point type, or NO_VALUES
    assurance: str  # an assurance code, NO_TARGET or NO_ASSURANCE
    variation_words: str  # short: "Improvement (high)"
    assurance_words: str  # short: "Hit and miss"
    variation_label: str  # a sentence, for tooltips and screen readers
    assurance_label: str

    @classmethod
    def from_row(cls, row: dict) -> Icons:
        """The icons of a scorecard row (``dashboard.scorecard`` keeps them as columns)."""
        return cls(**{field.name: row[field.name] for field in dataclasses.fields(cls)})


def spc_series(kpis: pl.DataFrame, metric: Metric, district: str, end: dt.date) -> pl.DataFrame:
    """The SPC chart of one metric and district over every period up to and including ``end``.

    Periods after the reporting period are left out, so the limits and signals are those the
    meeting would have seen at the time (as in the board packs).
    """
    series = kpis.filter(
        pl.col("metric_id") == metric.id,
        pl.col("district") == district,
        pl.col("period_start") <= end,
    )
    return chart_series(series, metric)


def icons(chart: pl.DataFrame, metric: Metric) -> Icons:
    """The variation and assurance icons of a chart from ``spc_series``."""
    if not chart.height or chart["value"].is_null().all():
        return Icons(
            NO_VALUES,
            NO_TARGET,
            variation_words(NO_VALUES, metric.direction),
            ASSURANCE[NO_TARGET].words,
            "No values to read in the periods up to this one",
            "No assurance without values",
        )
    summary = spc_summary(chart, spc_options(metric))
    # Without assurance: say "no target" only when none is in force at the reporting period.
    assurance = assurance_code(summary, target_in_force=chart["target"][-1] is not None)
    return Icons(
        summary.variation,
        assurance,
        variation_words(summary.variation, metric.direction),
        ASSURANCE[assurance].words,
        variation_sentence(summary.variation, metric.direction),
        assurance_sentence(summary),
    )


# --- icons as inline SVG -------------------------------------------------------------------------


def _svg(body: str, label: str, size: int) -> str:
    """One icon: a labelled image for screen readers, on one line (markdown keeps it as HTML)."""
    text = html.escape(label, quote=True)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 32 32" role="img" aria-label="{text}" class="spc-icon" '
        f'style="vertical-align:middle;flex:none"><title>{text}</title>{body}</svg>'
    )


def _ring(colour: str, dashed: bool = False) -> str:
    dash = ' stroke-dasharray="4 3"' if dashed else ""
    return (
        f'<circle cx="16" cy="16" r="14" fill="#ffffff" stroke="{colour}" '
        f'stroke-width="2.5"{dash}/>'
    )


def _letter(letter: str, colour: str, y: float, size: float) -> str:
    return (
        f'<text x="16" y="{y}" text-anchor="middle" font-family="Arial, Helvetica, sans-serif" '
        f'font-weight="bold" font-size="{size}" fill="{colour}">{html.escape(letter)}</text>'
    )


def _dots(ys: tuple[float, ...], colour: str) -> str:
    points = " ".join(f"{x},{y}" for x, y in zip(_DOT_X, ys, strict=True))
    circles = "".join(
        f'<circle cx="{x}" cy="{y}" r="1.9" fill="{colour}"/>'
        for x, y in zip(_DOT_X, ys, strict=True)
    )
    return f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="1"/>{circles}'


def variation_svg(
    variation: str, label: str, size: int = 28, direction: Direction = Direction.UP
) -> str:
    """The MDC variation icon: a ring in the type's colour, a small run chart, H or L."""
    if variation == NO_VALUES:
        return _svg(_ring(MDC_COLOURS["common_cause"], dashed=True), label, size)
    colour = POINT_TYPE_COLOURS[variation]
    if variation == "common_cause":
        return _svg(_ring(colour) + _dots(_DOTS_LEVEL, colour), label, size)
    high = signal_side(variation, direction) == "high"
    dots = _dots(_DOTS_HIGH if high else _DOTS_LOW, colour)
    letter = _letter(variation_letter(variation, direction), colour, 14, 13)
    return _svg(_ring(colour) + dots + letter, label, size)


def assurance_svg(assurance: str, label: str, size: int = 28) -> str:
    """The MDC assurance icon: P, F or ? in a ring; a dashed ring with a dash for no target."""
    words = ASSURANCE[assurance]
    colour = MDC_COLOURS[words.colour_key]
    body = _ring(colour, dashed=assurance in (NO_TARGET, NO_ASSURANCE))
    body += _letter(words.letter, colour, 21.5, 16)
    return _svg(body, label, size)


def marker_svg(point_type: str, size: int = 16) -> str:
    """A point of the SPC chart as drawn there: the type's colour and shape."""
    colour = POINT_TYPE_COLOURS[point_type]
    shape = POINT_TYPE_SHAPES[point_type]
    paths = {
        "circle": '<circle cx="16" cy="16" r="10"',
        "square": '<rect x="7" y="7" width="18" height="18"',
        "diamond": '<polygon points="16,3 29,16 16,29 3,16"',
        "triangle-up": '<polygon points="16,4 29,27 3,27"',
        "triangle-down": '<polygon points="3,5 29,5 16,28"',
    }
    body = f'{paths[shape]} fill="{colour}" stroke="#ffffff" stroke-width="1"/>'
    words = f"{POINT_LABELS[point_type]}: {POINT_TYPE_COLOURS[point_type]} {_SHAPE_WORDS[shape]}"
    return _svg(body, words, size)


# --- HTML for the pages ---------------------------------------------------------------------------


def _item(svg: str, words: str) -> str:
    return (
        '<span style="display:inline-flex;align-items:center;gap:0.3rem;margin-right:0.9rem">'
        f"{svg}<span>{html.escape(words)}</span></span>"
    )


def icons_html(icons: Icons, direction: Direction, size: int = 32, name: str = "") -> str:
    """Both icons of a series with their short words, on one line.

    ``name`` (a metric id, say) is kept in a ``data-name`` attribute, for tests and styling.
    """
    named = f' data-name="{html.escape(name, quote=True)}"' if name else ""
    return (
        f'<div class="spc-icons"{named} style="display:flex;flex-wrap:wrap;align-items:center;'
        'row-gap:0.2rem">'
        + _item(
            variation_svg(icons.variation, icons.variation_label, size, direction),
            icons.variation_words,
        )
        + _item(assurance_svg(icons.assurance, icons.assurance_label, size), icons.assurance_words)
        + "</div>"
    )


def _legend_row(svg: str, text: str) -> str:
    # Markdown inside HTML is not parsed: bold is written as <b>.
    words = html.escape(text).replace("**", "\x00")
    parts = words.split("\x00")
    bolded = "".join(f"<b>{p}</b>" if i % 2 else p for i, p in enumerate(parts))
    return (
        '<div style="display:flex;align-items:flex-start;gap:0.5rem;margin:0.25rem 0">'
        f"{svg}<span>{bolded}</span></div>"
    )


def legend_html(size: int = 24) -> str:
    """What the variation and assurance icons mean, in plain words, icon by icon."""
    variation = "".join(
        _legend_row(
            variation_svg(code, POINT_LABELS[code], size)
            + (
                variation_svg("special_cause_neutral_low", "Neither (low)", size)
                if code == "special_cause_neutral_high"
                else ""
            ),
            text,
        )
        for code, text in LEGEND_VARIATION
    )
    assurance = "".join(
        _legend_row(assurance_svg(code, ASSURANCE[code].words, size), text)
        for code, text in LEGEND_ASSURANCE
    )
    return (
        '<div class="spc-legend" style="display:flex;flex-wrap:wrap;gap:0.5rem 2rem">'
        '<div style="flex:1 1 22rem"><b>Variation</b>: is there real change?'
        f"{variation}</div>"
        '<div style="flex:1 1 22rem"><b>Assurance</b>: will the target be met?'
        f"{assurance}</div></div>"
    )


def point_legend_html(direction: Direction) -> str:
    """The SPC chart's point types in plain words, each with its marker."""
    rows = []
    for point_type in point_types_for(direction):
        shape = _SHAPE_WORDS[POINT_TYPE_SHAPES[point_type]]
        rows.append(
            _legend_row(
                marker_svg(point_type),
                f"**{POINT_LABELS[point_type]}** ({shape}): {POINTS[point_type].meaning}.",
            )
        )
    return '<div class="spc-point-legend">' + "".join(rows) + "</div>"


def real_change(card: pl.DataFrame) -> str:
    """Markdown naming the KPIs whose latest value shows real change, grouped by kind."""
    period = card["period"][0] if card.height else "this period"
    signals = card.filter(pl.col("variation").str.starts_with("special_cause"))
    if not signals.height:
        return (
            f"**No KPI shows real change in {period}**: every one is within its normal ups and "
            "downs (common cause variation)."
        )
    count, total = signals.height, card.height
    lines = [
        f"**{count} of {total} {'KPI shows' if count == 1 else 'KPIs show'} real change in "
        f"{period}** (special cause variation); the other {total - count} are within their "
        "normal ups and downs."
    ]
    for kind, words in (
        ("special_cause_improvement", "Improvement"),
        ("special_cause_concern", "Concern"),
        ("special_cause_neutral", "Neither better nor worse"),
    ):
        found = signals.filter(pl.col("variation").str.starts_with(kind))
        if found.height:
            named = ", ".join(
                f"{row['title']} ({signal_side(row['variation'], row['direction'])})"
                for row in found.iter_rows(named=True)
            )
            lines.append(f"- **{words}:** {named}")
    return "\n".join(lines)


def icons_period_note(chart: pl.DataFrame, metric: Metric, grain: Grain) -> str | None:
    """Which period the icons read, when provisional periods come after it (else None)."""
    provisional = chart.filter(pl.col("spc_point_type") == PROVISIONAL_POINT)
    if not provisional.height:
        return None
    read = icon_period(chart)
    shown = ", ".join(label_of(day, grain) for day in provisional["period_start"])
    settle = (
        f"until {metric.maturity_days} days after the period ends (outcomes are still being "
        "assigned)"
        if metric.maturity_days
        else "until the period ends"
    )
    where = (
        f"the icons read {label_of(read, grain)}, the last mature period"
        if read
        else ("no period is mature yet, so the icons read none")
    )
    return (
        f"Provisional (hollow grey points): {shown} can still change {settle}. They are left "
        f"out of the average, the limits and the signals; {where}."
    )
