"""One SPC vocabulary: each (point type, direction) worded once; no words parsed back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from metrics import Direction
from metrics.spc import POINT_TYPES, signal_side
from presentation.spc_words import (
    MDC_COLOURS,
    POINT_LABELS,
    POINT_TYPE_COLOURS,
    POINT_TYPE_SHAPES,
    variation_letter,
    variation_sentence,
    variation_words,
)

ROOT = Path(__file__).resolve().parents[1]
C, IMP, CON = "common_cause", "special_cause_improvement", "special_cause_concern"
HIGH, LOW = "special_cause_neutral_high", "special_cause_neutral_low"

# Written out by hand from Making Data Count: improvement is high when up is better and low
# when down is better; a concern is the other side; neutral signals are just high or low.
WORDED = [
    (C, "up", None, "Common cause", "", "Common cause variation: no significant change"),
    (C, "neutral", None, "Common cause", "", "Common cause variation: no significant change"),
    (IMP, "up", "high", "Improvement (high)", "H", "Special cause variation – improvement (high)"),
    (IMP, "down", "low", "Improvement (low)", "L", "Special cause variation – improvement (low)"),
    (CON, "up", "low", "Concern (low)", "L", "Special cause variation – concern (low)"),
    (CON, "down", "high", "Concern (high)", "H", "Special cause variation – concern (high)"),
    (
        HIGH,
        "neutral",
        "high",
        "Neither (high)",
        "H",
        "Special cause variation – neither improvement nor concern (high)",
    ),
    (
        LOW,
        "neutral",
        "low",
        "Neither (low)",
        "L",
        "Special cause variation – neither improvement nor concern (low)",
    ),
]


@pytest.mark.parametrize(
    ("point_type", "direction", "side", "words", "letter", "sentence"),
    WORDED,
    ids=[f"{row[0]}-{row[1]}" for row in WORDED],
)
def test_each_point_type_and_direction_has_one_side_and_one_set_of_words(
    point_type, direction, side, words, letter, sentence
):
    assert signal_side(point_type, direction) == side
    assert variation_words(point_type, Direction(direction)) == words
    assert variation_letter(point_type, Direction(direction)) == letter
    assert variation_sentence(point_type, Direction(direction)) == sentence


def test_an_improvement_or_concern_on_a_metric_with_no_better_direction_is_refused():
    with pytest.raises(ValueError, match="no better direction"):
        signal_side(IMP, "neutral")


def test_every_point_type_has_an_mdc_colour_its_own_shape_and_a_chart_label():
    assert MDC_COLOURS == {
        "common_cause": "#a6a6a6",
        "improvement": "#00b0f0",
        "concern": "#e46c0a",
        "neutral": "#490092",
        "target": "#de1b1b",
    }
    assert POINT_TYPE_COLOURS == {
        C: "#a6a6a6",
        IMP: "#00b0f0",
        CON: "#e46c0a",
        HIGH: "#490092",
        LOW: "#490092",
    }
    assert set(POINT_TYPE_SHAPES) == set(POINT_TYPES)
    assert len(set(POINT_TYPE_SHAPES.values())) == len(POINT_TYPES)
    assert POINT_LABELS == {
        C: "Common cause",
        IMP: "Improvement",
        CON: "Concern",
        HIGH: "Neither (high)",
        LOW: "Neither (low)",
        "provisional": "Provisional",
    }


# A quoted "(high)" or "(low)", or a test of a string's end against one: display words read back.
PARSED_WORDS = re.compile(r"""(endswith|startswith|in)\s*\(?\s*["'][^"']*\((high|low)\)""")


def test_no_module_recovers_high_or_low_by_parsing_display_words():
    sources = [
        path
        for package in ("metrics", "presentation", "dashboard", "packs", "kpi")
        for path in (ROOT / package).rglob("*.py")
    ]
    parsing = [str(p.relative_to(ROOT)) for p in sources if PARSED_WORDS.search(p.read_text())]
    assert parsing == []


@pytest.mark.parametrize(
    "line",
    [
        'high = summary.variation_label.endswith("(high)")',
        "return 'high' if words.endswith('(high)') else 'low'",
    ],
)
def test_the_parsing_check_catches_the_old_ways_of_reading_words_back(line):
    assert PARSED_WORDS.search(line)
