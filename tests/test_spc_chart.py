"""The SPC chart builder: what it draws, read from its Vega-Lite spec and from vl-convert's SVG."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import subprocess
import sys

import altair as alt
import polars as pl
import pytest
import vl_convert as vlc

from metrics import REGISTRY, Grain, Rebase, Target
from metrics.kpi_spc import chart_series
from presentation.spc_chart import chart_description, spc_chart
from presentation.spc_words import MDC_COLOURS, POINT_LABELS, POINT_TYPE_COLOURS, POINT_TYPE_SHAPES

QUARTERS = [dt.date(2022 + (m + 3) // 12, (m + 3) % 12 + 1, 1) for m in range(0, 60, 3)]
# 20 quarters from 2022/23 Q1; the last value jumps far above the rest (a special cause).
VALUES = [10.0, 12, 11, 13, 12, 11, 10, 12, 13, 11, 12, 10, 11, 12, 13, 11, 12, 11, 12, 40]


def series(values=VALUES, starts=QUARTERS) -> pl.DataFrame:
    return pl.DataFrame({"period_start": starts, "value": values})


def layers_of(spec: dict) -> list[dict]:
    return spec["layer"]


def layer_with(spec: dict, mark: str) -> list[dict]:
    def kind(layer: dict) -> str:
        return layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]

    return [layer for layer in layers_of(spec) if kind(layer) == mark]


def dataset(spec: dict, layer: dict) -> list[dict]:
    return spec["datasets"][layer["data"]["name"]]


def build(metric_id: str = "stalking_crimes", values=VALUES, **changes) -> tuple[dict, object]:
    metric = dataclasses.replace(REGISTRY.get(metric_id), **changes)
    frame = chart_series(series(values), metric)
    chart = spc_chart(frame, metric, Grain.QUARTER, district="North", width=480, height=200)
    return chart.to_dict(), frame


def test_the_spec_is_valid_vega_lite():
    metric = REGISTRY.get("positive_outcome_rate")
    chart = spc_chart(chart_series(series([v / 50 for v in VALUES]), metric), metric, Grain.MONTH)
    assert isinstance(chart, alt.LayerChart)
    chart.to_dict(validate=True)


def test_points_use_the_mdc_colours_and_a_distinct_shape_for_each_point_type():
    spec, _ = build("positive_outcome_rate", [v / 50 for v in VALUES])
    points = layer_with(spec, "point")[0]["encoding"]
    kinds = ["common_cause", "special_cause_improvement", "special_cause_concern"]
    assert points["color"]["scale"] == {
        "domain": [POINT_LABELS[k] for k in kinds],
        "range": [POINT_TYPE_COLOURS[k] for k in kinds],
    }
    assert points["shape"]["scale"]["range"] == [POINT_TYPE_SHAPES[k] for k in kinds]
    assert len(set(points["shape"]["scale"]["range"])) == 3


def test_a_neutral_metric_shows_neutral_high_and_low_instead_of_improvement_and_concern():
    spec, _ = build("stalking_crimes")
    domain = layer_with(spec, "point")[0]["encoding"]["color"]["scale"]["domain"]
    assert domain == ["Common cause", "Neither (high)", "Neither (low)"]


def test_each_point_carries_its_mdc_point_type():
    spec, frame = build("stalking_crimes")
    points = dataset(spec, layer_with(spec, "point")[0])
    assert [p["point"] for p in points] == [
        POINT_LABELS[t] for t in frame["spc_point_type"].to_list()
    ]
    assert points[-1]["point"] == "Neither (high)"  # 40 is far above the upper limit


def test_limits_are_drawn_per_rebase_group_with_a_labelled_rule_at_the_rebase_date():
    rebase = Rebase(dt.date(2024, 6, 1), "A change in recording practice")
    spec, frame = build("stalking_crimes", rebase=(rebase,))
    lines = dataset(spec, layer_with(spec, "line")[0])
    segments = {row["segment"] for row in lines if row["line"] == "Process limits"}
    assert segments == {"upper-0", "lower-0", "upper-1", "lower-1"}
    assert frame["group"].unique().sort().to_list() == [0, 1]
    rule = layer_with(spec, "rule")[0]
    assert dataset(spec, rule) == [
        {
            "date": "2024-06-01",
            "label": "Limits recalculated from 1 Jun 2024",
            "reason": "A change in recording practice",
        }
    ]
    assert layer_with(spec, "text")[0]["encoding"]["text"]["field"] == "label"


def test_a_rebase_date_outside_the_series_draws_no_rule():
    spec, _ = build("stalking_crimes", rebase=(Rebase(dt.date(2019, 6, 1), "Long ago"),))
    assert layer_with(spec, "rule") == []


def test_the_target_is_a_red_line_only_where_a_target_is_set():
    spec, _ = build("positive_outcome_rate", [v / 50 for v in VALUES])
    lines = dataset(spec, layer_with(spec, "line")[0])
    assert "Target" not in {row["line"] for row in lines}
    target = (Target(0.3, dt.date(2024, 4, 1)),)
    spec, _ = build("positive_outcome_rate", [v / 50 for v in VALUES], targets=target)
    layer = layer_with(spec, "line")[0]
    lines = dataset(spec, layer)
    targets = [row for row in lines if row["line"] == "Target"]
    assert {row["period_start"] for row in targets} == {
        d.isoformat() for d in QUARTERS if d >= dt.date(2024, 4, 1)
    }
    colour = layer["encoding"]["color"]["scale"]
    assert colour["range"][colour["domain"].index("Target")] == MDC_COLOURS["target"]


def test_limits_are_drawn_within_the_values_a_unit_can_take():
    # A share with wild swings: the computed lower limit is below 0 and the upper above 100%.
    values = [0.0, 1.0] * 10
    spec, frame = build("positive_outcome_rate", values)
    assert frame["spc_lower"][0] < 0 and frame["spc_upper"][0] > 1
    lines = dataset(spec, layer_with(spec, "line")[0])
    limits = [row["y"] for row in lines if row["line"] == "Process limits"]
    assert min(limits) == 0 and max(limits) == 1


def test_tooltips_show_the_period_value_point_type_and_limits_as_a_meeting_reads_them():
    spec, _ = build("positive_outcome_rate", [v / 50 for v in VALUES])
    points = layer_with(spec, "point")[0]
    titles = [t["title"] for t in points["encoding"]["tooltip"]]
    assert titles == ["Period", "Positive outcome rate", "Point", "Mean", "Process limits"]
    first = dataset(spec, points)[0]
    assert first["period"] == "2022/23 Q1"
    assert first["shown"] == "20.0%"


def test_the_chart_has_a_title_and_a_description_in_words():
    spec, frame = build("stalking_crimes")
    assert spec["title"] == "Stalking crimes recorded – North"
    assert spec["description"] == chart_description(
        frame, REGISTRY.get("stalking_crimes"), Grain.QUARTER, "North"
    )
    assert spec["description"].startswith(
        "SPC chart of Stalking crimes recorded for North, 2022/23 Q1 to 2026/27 Q4. "
        "Latest value 40 in 2026/27 Q4: Special cause variation"
    )


@pytest.mark.parametrize(
    ("grain", "starts", "labels"),
    [
        pytest.param(
            Grain.QUARTER,
            [dt.date(2024, 1, 1), dt.date(2024, 4, 1), dt.date(2024, 7, 1)],
            ["2023/24 Q4", "2024/25 Q1", "2024/25 Q2"],
            id="grain: quarter",
        ),
        pytest.param(
            Grain.FINANCIAL_YEAR,
            [dt.date(2022, 4, 1), dt.date(2023, 4, 1), dt.date(2024, 4, 1)],
            ["2022/23", "2023/24", "2024/25"],
            id="grain: financial_year",
        ),
        pytest.param(
            Grain.MONTH,
            [dt.date(2024, 1, 1), dt.date(2024, 2, 1), dt.date(2024, 3, 1)],
            ["Jan 2024", "Feb 2024", "Mar 2024"],
            id="grain: month",
        ),
    ],
)
def test_the_time_axis_names_periods_as_the_meeting_does(grain, starts, labels):
    metric = REGISTRY.get("stalking_crimes")
    frame = chart_series(series([1.0, 2.0, 3.0], starts), metric)
    svg = vlc.vegalite_to_svg(
        spc_chart(frame, metric, grain, width=600).to_dict(), allowed_base_urls=[]
    )
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert [t for t in texts if t in labels] == labels


def test_the_builder_does_not_import_streamlit():
    code = "import sys, presentation.spc_chart; print('streamlit' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def partial_labels(spec: dict) -> list[dict]:
    return [
        layer
        for layer in layer_with(spec, "text")
        if layer["encoding"]["text"]["field"] == "partial"
    ]


def test_a_partial_period_is_labelled_on_its_point_and_in_its_tooltip():
    metric = REGISTRY.get("stalking_crimes")
    frame = chart_series(series(), metric)
    spec = spc_chart(frame, metric, Grain.QUARTER, partial=QUARTERS[-1]).to_dict()
    points = dataset(spec, layer_with(spec, "point")[0])
    assert [p["period"] for p in points][-2:] == ["2026/27 Q3", "2026/27 Q4 (partial)"]
    [label] = partial_labels(spec)
    assert dataset(spec, label) == [{**points[-1], "partial": "partial"}]


def test_without_a_partial_period_no_point_is_labelled():
    spec, _ = build("stalking_crimes")
    assert partial_labels(spec) == []
    assert {p["partial"] for p in dataset(spec, layer_with(spec, "point")[0])} == {None}
