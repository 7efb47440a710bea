"""Funnel plots of districts against the force, as plain Vega-Lite dicts (no altair, no Streamlit).

Plain dicts because the districts page draws one per KPI: building altair charts cost most of
the page's time. The limits come from ``metrics.compare``; this module only draws and words them.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from dashboard.formatting import axis_format, format_value
from metrics import Count, Metric, PerPopulation, Unit
from metrics.compare import SMALL_NUMBERS_LABEL, comparison_basis, funnel_curve, is_small

SIGNAL_WORDS: Final = {
    "higher": "Higher than the force beyond chance",
    "lower": "Lower than the force beyond chance",
    "none": "Within chance of the force",
}
# Okabe–Ito: blue and vermillion for the two sides, grey for within chance; shapes differ too.
SIGNAL_COLOURS: Final = {"higher": "#0072B2", "lower": "#D55E00", "none": "#7f7f7f"}
SIGNAL_SHAPES: Final = {"higher": "triangle-up", "lower": "triangle-down", "none": "circle"}
LIMIT_LINES: Final = {"95% limits": [5, 3], "99.8% limits": [1, 0]}


def shown_unit(metric: Metric) -> Unit:
    """The unit a district's compared value is in (counts: per 1,000 residents)."""
    return Unit.PER_1000 if isinstance(metric.measure, Count) else metric.unit


def size_title(metric: Metric) -> str:
    """What the funnel's horizontal axis counts."""
    if isinstance(metric.measure, Count | PerPopulation):
        return "Residents"
    return "Cases (denominator)"


def marked(compared: pl.DataFrame) -> pl.DataFrame:
    """The comparison rows with ``small_numbers`` (a denominator under 10) and words."""
    return compared.with_columns(
        is_small(pl.col("denominator")).alias("small_numbers"),
        pl.col("signal").replace_strict(SIGNAL_WORDS, default="").alias("compared"),
    )


def funnel_spec(rows: pl.DataFrame, metric: Metric, height: int = 240) -> dict | None:
    """A funnel plot of one metric's districts (None when no district can be compared)."""
    drawn = marked(rows).filter(pl.col("value").is_not_null(), pl.col("lower_95").is_not_null())
    if not drawn.height:
        return None
    unit = shown_unit(metric)
    basis, scale = comparison_basis(metric)
    force = drawn["force_value"][0]
    sizes = drawn["denominator"].cast(pl.Float64)
    curve = funnel_curve(force, basis, scale, sizes.min() * 0.8, sizes.max() * 1.15)
    lines = pl.concat(
        [
            curve.select(
                "size",
                pl.col(f"{side}_{level}").alias("y"),
                pl.lit(name).alias("limit"),
                pl.lit(f"{side}_{level}").alias("line"),
            )
            for level, name in (("95", "95% limits"), ("998", "99.8% limits"))
            for side in ("lower", "upper")
        ]
    )
    points = drawn.select(
        "district",
        pl.col("denominator").alias("size"),
        pl.col("value").alias("y"),
        "signal",
        "compared",
        pl.col("value")
        .map_elements(lambda v: format_value(v, unit), return_dtype=pl.String)
        .alias("shown"),
        pl.when(pl.col("small_numbers"))
        .then(pl.format("{} ({})", "district", pl.lit(SMALL_NUMBERS_LABEL)))
        .otherwise(pl.col("district"))
        .alias("label"),
    )
    x = {
        "field": "size",
        "type": "quantitative",
        "title": size_title(metric),
        "scale": {"zero": False, "nice": True},
    }
    y = {
        "field": "y",
        "type": "quantitative",
        "title": None,
        "axis": {"format": axis_format(unit)},
        "scale": {"zero": False, "nice": True},
    }
    signals = [s for s in SIGNAL_WORDS if s in set(points["signal"])]
    return {
        "height": height,
        "description": funnel_words(rows, metric),
        "layer": [
            {
                "data": {"values": lines.to_dicts()},
                "mark": {"type": "line", "color": "#595959", "strokeWidth": 1.2},
                "encoding": {
                    "x": x,
                    "y": y,
                    "detail": {"field": "line", "type": "nominal"},
                    "strokeDash": {
                        "field": "limit",
                        "type": "nominal",
                        "scale": {"domain": list(LIMIT_LINES), "range": list(LIMIT_LINES.values())},
                        "legend": {"title": None, "orient": "bottom"},
                    },
                },
            },
            {
                "data": {"values": [{"y": force, "what": "Force"}]},
                "mark": {"type": "rule", "color": "#000000", "strokeWidth": 1.5},
                "encoding": {"y": {"field": "y", "type": "quantitative"}},
            },
            {
                "data": {"values": points.to_dicts()},
                "mark": {"type": "point", "filled": True, "size": 70, "opacity": 1},
                "encoding": {
                    "x": x,
                    "y": y,
                    "color": {
                        "field": "signal",
                        "type": "nominal",
                        "scale": {
                            "domain": signals,
                            "range": [SIGNAL_COLOURS[s] for s in signals],
                        },
                        "legend": None,
                    },
                    "shape": {
                        "field": "signal",
                        "type": "nominal",
                        "scale": {
                            "domain": signals,
                            "range": [SIGNAL_SHAPES[s] for s in signals],
                        },
                        "legend": None,
                    },
                    "tooltip": [
                        {"field": "label", "title": "District"},
                        {"field": "shown", "title": metric.title},
                        {"field": "size", "title": size_title(metric), "format": ","},
                        {"field": "compared", "title": "Compared with the force"},
                    ],
                },
            },
            {
                "data": {"values": points.to_dicts()},
                "mark": {"type": "text", "align": "left", "dx": 6, "fontSize": 9},
                "encoding": {"x": x, "y": y, "text": {"field": "label"}},
            },
        ],
    }


def funnel_words(rows: pl.DataFrame, metric: Metric) -> str:
    """Which districts differ from the force beyond chance, in one sentence."""
    unit = shown_unit(metric)
    usable = rows.filter(pl.col("force_value").is_not_null())
    if not usable.height:
        return "No comparison: the force has no cases in this period."
    force = format_value(usable["force_value"][0], unit)
    parts = []
    for signal, words in (("higher", "higher"), ("lower", "lower")):
        found = rows.filter(pl.col("signal") == signal)["district"].to_list()
        if found:
            parts.append(f"{words}: {', '.join(found)}")
    if not parts:
        return (
            f"Force {force}. No district differs from the force beyond chance (every one is "
            "within the 99.8% limits)."
        )
    return f"Force {force}. Beyond chance (outside the 99.8% limits), " + "; ".join(parts) + "."
