"""One vocabulary for SPC point types and icons, keyed by (point type, direction).

The app, the board packs and the command line all word a signal from here, so "Concern (low)"
on a card, a slide and a chart's description can never disagree. Whether a signal is high or
low comes from ``metrics.spc.signal_side``, never from parsing these words back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from metrics import Direction
from metrics.spc import POINT_TYPES, PROVISIONAL_POINT, SpcSummary, signal_side

# Codes for a series the SPC rules could not read, beside the rules' own point types.
NO_VALUES: Final = "no_values"
NO_TARGET: Final = "no_target"
NO_ASSURANCE: Final = "no_assurance"  # a target, but too few periods for limits

# NHS England Making Data Count colours.
MDC_COLOURS: Final[dict[str, str]] = {
    "common_cause": "#a6a6a6",
    "improvement": "#00b0f0",
    "concern": "#e46c0a",
    "neutral": "#490092",
    "target": "#de1b1b",
}
PROVISIONAL_COLOUR: Final = "#a6a6a6"


@dataclass(frozen=True)
class PointWords:
    """How one point type is drawn and said: its colour, chart shape and words."""

    colour_key: str  # a key of MDC_COLOURS
    shape: str  # a Vega-Lite shape name, so a chart does not rely on colour alone
    word: str  # short, before "(high)"/"(low)": "Improvement"
    phrase: str  # within a sentence: "improvement"
    meaning: str  # what a point of this type on a chart says


# Improvement and concern get shapes with no up/down meaning because improvement is low when
# down is better; only the neutral signals, which are just high or low, get pointing triangles.
POINTS: Final[dict[str, PointWords]] = {
    "common_cause": PointWords(
        "common_cause", "circle", "Common cause", "", "within the normal ups and downs"
    ),
    "special_cause_improvement": PointWords(
        "improvement",
        "diamond",
        "Improvement",
        "improvement",
        "part of a signal of change for the better",
    ),
    "special_cause_concern": PointWords(
        "concern", "square", "Concern", "concern", "part of a signal of change for the worse"
    ),
    "special_cause_neutral_high": PointWords(
        "neutral",
        "triangle-up",
        "Neither",
        "neither improvement nor concern",
        "part of a signal of unusually high values",
    ),
    "special_cause_neutral_low": PointWords(
        "neutral",
        "triangle-down",
        "Neither",
        "neither improvement nor concern",
        "part of a signal of unusually low values",
    ),
}
POINT_TYPE_COLOURS: Final[dict[str, str]] = {
    point_type: MDC_COLOURS[words.colour_key] for point_type, words in POINTS.items()
}
POINT_TYPE_SHAPES: Final[dict[str, str]] = {
    point_type: words.shape for point_type, words in POINTS.items()
}


@dataclass(frozen=True)
class AssuranceWords:
    """How one assurance reading is said: a word for a card, a letter, a sentence."""

    colour_key: str
    letter: str
    words: str  # beside the icon on a page: "Target met consistently"
    brief: str  # beside the icon on a slide, where room is short: "Pass"
    sentence: str  # for tooltips, screen readers and the chart's description


ASSURANCE: Final[dict[str, AssuranceWords]] = {
    "consistently_pass": AssuranceWords(
        "improvement", "P", "Target met consistently", "Pass", "Target consistently met"
    ),
    "consistently_fail": AssuranceWords(
        "concern", "F", "Target missed consistently", "Fail", "Target consistently missed"
    ),
    "inconsistent": AssuranceWords(
        "common_cause",
        "?",
        "Hit and miss",
        "Hit and miss",
        "Target met inconsistently: hit and miss from period to period",
    ),
    NO_TARGET: AssuranceWords("common_cause", "\u2013", "No target", "No target", "No target set"),
    NO_ASSURANCE: AssuranceWords(
        "common_cause",
        "\u2013",
        "No assurance",
        "No assurance",
        "No assurance: too few points for process limits",
    ),
}


def variation_words(point_type: str, direction: Direction | str) -> str:
    """Short words for a variation icon: ``Concern (low)``, ``Neither (high)``, ``Common cause``."""
    if point_type == NO_VALUES:
        return "No values"
    side = signal_side(point_type, str(direction))
    word = POINTS[point_type].word
    return f"{word} ({side})" if side else word


def variation_letter(point_type: str, direction: Direction | str) -> str:
    """The letter inside a variation icon: H or L for a signal, none for common cause."""
    side = signal_side(point_type, str(direction)) if point_type in POINTS else None
    return {"high": "H", "low": "L", None: ""}[side]


def variation_sentence(point_type: str, direction: Direction | str) -> str:
    """A variation icon as a sentence, for tooltips, screen readers and chart descriptions."""
    if point_type == "common_cause":
        return "Common cause variation: no significant change"
    side = signal_side(point_type, str(direction))
    return f"Special cause variation \u2013 {POINTS[point_type].phrase} ({side})"


def point_label(point_type: str) -> str:
    """A point type as a chart's legend names it; neutral signals say high or low."""
    if point_type == PROVISIONAL_POINT:
        return "Provisional"
    words = POINTS[point_type]
    side = signal_side(point_type, Direction.NEUTRAL) if words.colour_key == "neutral" else None
    return f"{words.word} ({side})" if side else words.word


POINT_LABELS: Final[dict[str, str]] = {
    point_type: point_label(point_type) for point_type in (*POINT_TYPES, PROVISIONAL_POINT)
}


def assurance_code(summary: SpcSummary, target_in_force: bool) -> str:
    """The assurance icon to show: the reading, else no target or too few points to judge."""
    if summary.assurance:
        return summary.assurance
    return NO_ASSURANCE if target_in_force else NO_TARGET


def assurance_sentence(summary: SpcSummary) -> str:
    """The assurance reading in a sentence, or why there is none."""
    return ASSURANCE[summary.assurance].sentence if summary.assurance else summary.no_assurance
