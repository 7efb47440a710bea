"""SPC in the dashboard: the metric page's charts and the overview's icons, run with AppTest.

Expected limits are worked out here with numpy from the figures the page's own table shows
(mean, and the average moving range times 2.66), never through ``metrics.spc``. The overview's
icons are checked on a hand-made database whose series were chosen so that the answer can be
read off them: a count whose last seven quarters each rise, a rate whose last seven each fall.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import itertools
import json
import re
from datetime import datetime as t
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import spc_view
from dashboard.filters import Filters
from dashboard.scorecard import scorecard
from metrics import REGISTRY, Direction, DomesticAbuse, Grain, Target
from tests.conftest import collected_metrics, write_sqlite
from tests.fixture_rows import crime
from tests.test_dashboard import FORCE, no_exception
from tests.test_dashboard import clean_path as clean_path  # a fixture (open_app's database)
from tests.test_dashboard import open_app as open_app  # a fixture

REBASE = dt.date(2023, 6, 1)
# The Making Data Count colours and Vega-Lite shapes, written out here rather than imported.
GREY, BLUE, ORANGE, PURPLE = "#a6a6a6", "#00b0f0", "#e46c0a", "#490092"


# ---------------------------------------------------------------------------------------------
# A hand-made database: 13 quarters from 2023/24 Q2 (after the 2023 rebase) to 2026/27 Q2


QUARTERS = [dt.date(2023 + (m + 6) // 12, (m + 6) % 12 + 1, 1) for m in range(0, 39, 3)]
LAST_QUARTER = "2026/27 Q2"
# Stalking crimes recorded in North: level, then seven quarters each higher than the one before
# (9 < 11 < ... < 16, after a 14 that breaks the run).
NORTH = [10, 12, 9, 11, 10, 14, 9, 11, 12, 13, 14, 15, 16]
# Of them charged (outcome 1): the rate 8/9, 9/11, 9/12, ..., 9/16 falls seven quarters running.
CHARGED = [5, 6, 4, 6, 5, 7, 8, 9, 9, 9, 9, 9, 9]
# South: small counts, never charged.
SOUTH = [2, 3, 1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3]


def build_signals(path: Path) -> Path:
    """The hand-made database; the data run to 10 October 2026, so 2026/27 Q3 is partial."""
    crimes = []
    for q, start in enumerate(QUARTERS):
        day = t(start.year, start.month, 15, 10)
        for i in range(NORTH[q]):
            outcome = (
                {"outcome_code": "1", "outcome_at": day + dt.timedelta(days=20)}
                if i < CHARGED[q]
                else {}
            )
            crimes.append(
                crime(f"N{q:02d}-{i:02d}", "North", day, "8Q", recorded_at=day, **outcome)
            )
        for i in range(SOUTH[q]):
            crimes.append(crime(f"S{q:02d}-{i:02d}", "South", day, "8Q", recorded_at=day))
    # Malicious communications (not an S&H crime) on 30 September and 10 October.
    for crime_id, day in (("END", t(2026, 9, 30, 12)), ("PARTIAL", t(2026, 10, 10, 12))):
        crimes.append(crime(crime_id, "South", day, "8R", recorded_at=day))
    districts = [
        {"district": "North", "population": 100_000},
        {"district": "South", "population": 50_000},
    ]
    write_sqlite(path, {"districts": districts, "crimes": crimes})
    return path


def signals_cards(district: str) -> list:
    """The KPIs a district's overview of the signals database shows: those its tables and
    columns can give (v1 crimes and districts), without the force-only stocks."""
    shape = {
        "districts": [{"district": "North", "population": 1}],
        "crimes": [crime("X", "North", t(2026, 1, 1), "8Q")],
    }
    return collected_metrics(shape, district)


# The outcome rates of 2026/27 Q2 mature 90 days after 30 September: as at 29 December 2026
# every quarter up to the reporting period (Q2) is mature, so the rules read all 13 of them.
SIGNALS_AS_AT = "2026-12-29"


@pytest.fixture(autouse=True)
def _signals_as_at(request, monkeypatch):
    """The hand-made database is read as at SIGNALS_AS_AT (its extract, taken later)."""
    if "signals_path" in request.fixturenames:
        monkeypatch.setenv("KPI_AS_AT", SIGNALS_AS_AT)


@pytest.fixture(scope="module")
def signals_path(tmp_path_factory) -> Path:
    return build_signals(tmp_path_factory.mktemp("signals") / "signals.sqlite")


def xmr_limits(values: list[float]) -> tuple[float, float, float]:
    """Mean and process limits of an XmR chart, by hand: mean -/+ 2.66 x average moving range."""
    y = np.asarray(values, dtype=float)
    mean = y.mean()
    amr = np.abs(np.diff(y)).mean()
    return mean - 2.66 * amr, mean, mean + 2.66 * amr


def level(line: pl.DataFrame) -> float:
    """The one height of a horizontal line segment of the chart."""
    ys = line["y"].to_list()
    assert ys and max(ys) - min(ys) < 1e-9, ys
    return ys[0]


def quarter_start(label: str) -> dt.date:
    """``2024/25 Q1`` as the date it starts (1 April 2024), by hand."""
    year, quarter = re.fullmatch(r"(\d{4})/\d{2} Q([1-4])", label).groups()
    month = 3 * int(quarter) + 1
    return dt.date(int(year) + (month > 12), (month - 1) % 12 + 1, 1)


# ---------------------------------------------------------------------------------------------
# Reading the charts AppTest holds (Streamlit moves each dataset out of the spec, as Arrow)


@dataclasses.dataclass
class Chart:
    spec: dict
    data: dict[str, pl.DataFrame]

    def layers(self, mark: str) -> list[dict]:
        def kind(layer: dict) -> str:
            return layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]

        return [layer for layer in self.spec.get("layer", []) if kind(layer) == mark]

    def rows(self, layer: dict) -> pl.DataFrame:
        return self.data[layer["data"]["name"]]

    @property
    def points(self) -> pl.DataFrame:
        """Every drawn point, in period order (provisional ones are a layer of their own)."""
        return pl.concat([self.rows(layer) for layer in self.layers("point")]).sort("period_start")

    @property
    def lines(self) -> pl.DataFrame:
        return self.rows(self.layers("line")[0])

    def line(self, segment: str) -> pl.DataFrame:
        return self.lines.filter(pl.col("segment") == segment)


def spc_charts(at: AppTest) -> list[Chart]:
    """The SPC charts on the page, in order (the district's, then the force's)."""
    charts = []
    for element in at.get("vega_lite_chart"):
        spec = json.loads(element.proto.spec)
        if spec.get("description", "").startswith("SPC chart of"):
            data = {
                d.name: pl.read_ipc_stream(io.BytesIO(d.data.data)) for d in element.proto.datasets
            }
            charts.append(Chart(spec, data))
    return charts


def table_series(at: AppTest, district: str) -> pl.DataFrame:
    """The page's numerator and denominator table for one district: period start and value."""
    table = pl.from_pandas(at.dataframe[0].value).filter(pl.col("District") == district)
    return table.select(
        pl.col("Period").map_elements(quarter_start, return_dtype=pl.Date).alias("period_start"),
        pl.col("Numerator").cast(pl.Float64).alias("value"),
    ).sort("period_start")


# ---------------------------------------------------------------------------------------------
# The metric page


def test_the_metric_pages_spc_limits_are_the_mean_and_moving_range_worked_out_by_hand(open_app):
    at = open_app("metric", {"metric": "stalking_crimes"})
    no_exception(at)
    [chart] = spc_charts(at)
    counts = table_series(at, FORCE)
    before = counts.filter(pl.col("period_start") < REBASE)["value"].to_list()
    after = counts.filter(pl.col("period_start") >= REBASE)["value"].to_list()
    assert len(before) >= 2 and len(after) >= 2
    for group, values in enumerate((before, after)):
        lower, mean, upper = xmr_limits(values)
        assert level(chart.line(f"mean-{group}")) == pytest.approx(mean)
        assert level(chart.line(f"upper-{group}")) == pytest.approx(upper)
        assert level(chart.line(f"lower-{group}")) == pytest.approx(max(lower, 0.0))
        assert chart.line(f"mean-{group}").height == len(values)


def test_crime_count_limits_restart_at_the_june_2023_rule_change_with_a_labelled_rule(open_app):
    at = open_app("metric", {"metric": "stalking_crimes"})
    [chart] = spc_charts(at)
    [rule] = chart.layers("rule")
    assert chart.rows(rule).to_dicts() == [
        {
            "date": "2023-06-01",
            "label": "Limits recalculated from 1 Jun 2023",
            "reason": "Home Office crime recording rule change (principal crime rule)",
        }
    ]
    first_after = chart.line("mean-1")["period_start"].min()
    last_before = chart.line("mean-0")["period_start"].max()
    assert last_before < "2023-06-01" <= first_after
    assert any("recalculated from 1 June 2023" in caption.value for caption in at.caption)


def test_a_rate_with_no_rebase_has_one_set_of_limits_and_no_rule(open_app):
    at = open_app("metric", {"metric": "victim_contact_24h_rate"})
    [chart] = spc_charts(at)
    assert chart.layers("rule") == []
    assert set(chart.lines["segment"]) == {"mean-0", "upper-0", "lower-0"}


def test_points_outside_the_hand_worked_limits_are_special_cause_on_their_side(open_app):
    at = open_app("metric", {"metric": "stalking_crimes"})
    [chart] = spc_charts(at)
    counts = table_series(at, FORCE)
    points = chart.points.with_columns(pl.col("period_start").str.to_date())
    for group in (
        counts.filter(pl.col("period_start") < REBASE),
        counts.filter(pl.col("period_start") >= REBASE),
    ):
        lower, _, upper = xmr_limits(group["value"].to_list())
        shown = points.filter(pl.col("period_start").is_in(group["period_start"].implode()))
        assert shown["value"].to_list() == group["value"].to_list()
        for row in shown.iter_rows(named=True):
            if row["value"] > upper:
                assert row["point"] == "Neither (high)"
            elif row["value"] < lower:
                assert row["point"] == "Neither (low)"


def test_special_cause_points_have_the_mdc_colour_and_a_shape_of_their_own(open_app, signals_path):
    """North's charged rate: 8/9 and 9/11 are above the upper limit, then it keeps falling."""
    at = open_app("metric", {"metric": "positive_outcome_rate", "district": "North"}, signals_path)
    no_exception(at)
    north, force = spc_charts(at)
    assert north.spec["description"].startswith("SPC chart of Positive outcome rate for North")
    assert force.spec["description"].startswith(f"SPC chart of Positive outcome rate for {FORCE}")
    rates = [c / n for c, n in zip(CHARGED, NORTH, strict=True)]
    # By hand: mean 0.6111, average moving range 0.0764, limits 0.4078 to 0.8145. 8/9 = 0.889
    # and 9/11 = 0.818 are above the upper limit: improvement (higher is better), which takes
    # precedence over the falling run of seven they start; the other five of the run are concern.
    # The first six (0.44 to 0.55) are below the mean but only six in a row: common cause.
    lower, mean, upper = xmr_limits(rates)
    assert [r > upper for r in rates] == [False] * 6 + [True, True] + [False] * 5
    assert all(r > lower for r in rates)
    assert all(a > b for a, b in itertools.pairwise(rates[6:]))
    assert north.points["point"].to_list() == [
        *(["Common cause"] * 6),
        "Improvement",
        "Improvement",
        *(["Concern"] * 5),
    ]
    encoding = north.layers("point")[0]["encoding"]
    colours = dict(
        zip(encoding["color"]["scale"]["domain"], encoding["color"]["scale"]["range"], strict=True)
    )
    shapes = dict(
        zip(encoding["shape"]["scale"]["domain"], encoding["shape"]["scale"]["range"], strict=True)
    )
    assert colours == {"Common cause": GREY, "Improvement": BLUE, "Concern": ORANGE}
    assert shapes == {"Common cause": "circle", "Improvement": "diamond", "Concern": "square"}
    assert level(north.line("mean-0")) == pytest.approx(mean)


def test_the_district_chart_comes_first_then_the_force_with_their_icons(open_app, signals_path):
    at = open_app("metric", {"metric": "stalking_crimes", "district": "North"}, signals_path)
    headings = [m.value for m in at.markdown if m.value.startswith("##### ")]
    assert headings == ["##### North", f"##### {FORCE}"]
    icons = [m.value for m in at.markdown if 'class="spc-icons"' in m.value]
    assert len(icons) == 2
    assert "Neither (high)" in icons[0]  # North's last seven quarters each rise
    legend = next(m.value for m in at.markdown if 'class="spc-point-legend"' in m.value)
    assert [w for w in ("Common cause", "Neither (high)", "Neither (low)") if w in legend] == [
        "Common cause",
        "Neither (high)",
        "Neither (low)",
    ]
    assert "Improvement" not in legend  # a measure of demand is neither better nor worse


def test_the_spc_series_ends_at_the_reporting_period(open_app, signals_path):
    """With the range ending at 2025/26 Q1, no later quarter moves the limits."""
    at = open_app(
        "metric",
        {"metric": "stalking_crimes", "district": "North", "period": ["2023/24 Q2", "2025/26 Q1"]},
        signals_path,
    )
    north, _ = spc_charts(at)
    shown = QUARTERS.index(dt.date(2025, 4, 1)) + 1
    _, mean, upper = xmr_limits(NORTH[:shown])
    assert north.points["period"].to_list()[-1] == "2025/26 Q1"
    assert north.points.height == shown
    assert level(north.line("mean-0")) == pytest.approx(mean)
    assert level(north.line("upper-0")) == pytest.approx(upper)


def test_a_narrower_range_shows_fewer_periods_but_keeps_the_limits_of_the_whole_series(
    open_app, signals_path
):
    at = open_app(
        "metric",
        {"metric": "stalking_crimes", "district": "North", "period": ["2025/26 Q1", LAST_QUARTER]},
        signals_path,
    )
    north, _ = spc_charts(at)
    _, mean, upper = xmr_limits(NORTH)
    assert north.points["period"].to_list()[0] == "2025/26 Q1"
    assert level(north.line("mean-0")) == pytest.approx(mean)
    assert level(north.line("upper-0")) == pytest.approx(upper)


def test_a_partial_latest_period_is_labelled_on_the_chart_and_in_a_note(open_app, signals_path):
    at = open_app(
        "metric",
        {"metric": "stalking_crimes", "district": "North", "period": ["2023/24 Q2", "2026/27 Q3"]},
        signals_path,
    )
    no_exception(at)
    north, _ = spc_charts(at)
    last = north.points.row(-1, named=True)
    assert (last["period"], last["partial"]) == ("2026/27 Q3 (partial)", "partial")
    assert north.points["partial"].drop_nulls().to_list() == ["partial"]
    assert any("2026/27 Q3 is partial" in caption.value for caption in at.caption)


# ---------------------------------------------------------------------------------------------
# The overview


def card_icons(at: AppTest) -> dict[str, str]:
    """Each card's icon line (HTML), by metric id."""
    found = {}
    for element in at.markdown:
        match = re.search(r'class="spc-icons" data-name="([a-z0-9_]+)"', element.value)
        if match:
            found[match[1]] = element.value
    return found


def words(icon_line: str) -> list[str]:
    """The words shown beside the icons (the text outside the SVGs)."""
    text = re.sub(r"<svg.*?</svg>", "", icon_line)
    return [w for w in re.sub(r"<[^>]+>", "\n", text).split("\n") if w.strip()]


def test_every_card_carries_a_variation_and_an_assurance_icon_with_words(open_app):
    at = open_app()
    icons = card_icons(at)
    assert list(icons) == REGISTRY.ids
    for line in icons.values():
        assert line.count("<svg") == 2
        assert len(re.findall(r'role="img" aria-label="[^"]+"', line)) == 2
        assert len(words(line)) == 2


def test_the_overview_reads_the_hand_made_series_as_real_change(open_app, signals_path):
    """North's counts rise 7 quarters running, its charged rate falls 7: both are signals."""
    rates = [c / n for c, n in zip(CHARGED, NORTH, strict=True)]
    assert all(a < b for a, b in itertools.pairwise(NORTH[-7:]))
    assert all(a > b for a, b in itertools.pairwise(rates[-7:]))
    at = open_app(params={"district": "North"}, database=signals_path)
    no_exception(at)
    shown = {metric_id: words(line) for metric_id, line in card_icons(at).items()}
    # A count with no better direction: neither improvement nor concern; rising, so high.
    assert shown["stalking_crimes"] == ["Neither (high)", "No target"]
    assert shown["sh_crimes_per_1000"] == ["Neither (high)", "No target"]
    # Higher is better, and it falls: concern, low.
    assert shown["positive_outcome_rate"] == ["Concern (low)", "No target"]
    assert shown["charge_summons_rate"] == ["Concern (low)", "No target"]
    # Its complement (no outcome yet) rises: neutral, high.
    assert shown["outcome_pending_rate"] == ["Neither (high)", "No target"]
    # No harassment in North at all: a flat 0 is common cause.
    assert shown["harassment_crimes"] == ["Common cause", "No target"]
    # No victims in the data: nothing to read.
    assert shown["victim_contact_24h_rate"] == ["No values", "No target"]
    table = pl.from_pandas(at.dataframe[0].value)
    assert dict(zip(table["KPI"], table["Variation (SPC)"], strict=True))[
        "Positive outcome rate"
    ] == ("Concern (low)")


def test_the_overview_names_the_kpis_that_show_real_change(open_app, signals_path):
    at = open_app(params={"district": "North"}, database=signals_path)
    [summary] = [m.value for m in at.markdown if "KPIs show real change" in m.value]
    assert summary.splitlines() == [
        f"**7 of {len(signals_cards('North'))} KPIs show real change in {LAST_QUARTER}** "
        f"(special cause variation); the other {len(signals_cards('North')) - 7} are within "
        "their normal ups and downs.",
        # Charges by outcome date: 8 then six 9s, seven above the mean 95/13 (a shift).
        "- **Improvement:** Positive outcomes assigned (high), Charges or summonses assigned "
        "(high)",
        "- **Concern:** Positive outcome rate (low), Charge or summons rate (low)",
        "- **Neither better nor worse:** Stalking crimes recorded (high), Stalking and "
        "harassment crimes per 1,000 residents (high), Investigations with no outcome yet (high)",
    ]


def test_south_whose_small_counts_only_wobble_shows_common_cause(open_app, signals_path):
    # By hand: mean 27/13 = 2.08, average moving range 13/12 = 1.08, limits -0.80 to 4.96;
    # no run of 7 on one side, no 7 rising or falling, nothing beyond 2 sigma (0.16 to 4.00).
    at = open_app(params={"district": "South"}, database=signals_path)
    assert words(card_icons(at)["stalking_crimes"]) == ["Common cause", "No target"]


def test_the_overview_explains_every_icon_in_a_legend(open_app):
    at = open_app()
    [legend] = [m.value for m in at.markdown if 'class="spc-legend"' in m.value]
    for phrase in (
        "Common cause",
        "Improvement",
        "Concern",
        "Neither (high or low)",
        "Target met consistently",
        "Target missed consistently",
        "Hit and miss",
        "No target",
    ):
        assert f"<b>{phrase}</b>" in legend
    assert legend.count("<svg") == 9  # two for neither: high and low


def with_target(monkeypatch, metric_id: str, value: float) -> None:
    """Give a registered metric a target for this test only."""
    metrics: dict = REGISTRY._metrics  # the registry's own store, restored after the test
    monkeypatch.setitem(
        metrics, metric_id, dataclasses.replace(metrics[metric_id], targets=(Target(value),))
    )


@pytest.mark.parametrize(
    ("where", "words_shown"),
    [
        pytest.param("above the upper limit", "Target missed consistently", id="target above"),
        pytest.param("below the lower limit", "Target met consistently", id="target below"),
        pytest.param("at the mean", "Hit and miss", id="target within the limits"),
    ],
)
def test_the_assurance_icon_compares_an_injected_target_with_the_hand_worked_limits(
    open_app, signals_path, monkeypatch, where, words_shown
):
    rates = [c / n for c, n in zip(CHARGED, NORTH, strict=True)]
    lower, mean, upper = xmr_limits(rates)
    target = {"above the upper limit": upper + 0.02, "below the lower limit": lower - 0.02}.get(
        where, mean
    )
    with_target(monkeypatch, "positive_outcome_rate", target)
    at = open_app(params={"district": "North"}, database=signals_path)
    no_exception(at)
    assert words(card_icons(at)["positive_outcome_rate"]) == ["Concern (low)", words_shown]
    table = pl.from_pandas(at.dataframe[0].value)
    assert dict(zip(table["KPI"], table["Assurance (SPC)"], strict=True))[
        "Positive outcome rate"
    ] == (words_shown)


# ---------------------------------------------------------------------------------------------
# The pure parts


def test_the_scorecard_reads_the_series_only_up_to_the_reporting_period():
    """Eight rising quarters up to the reporting period, then a collapse after it."""
    metric = REGISTRY.get("victim_contact_24h_rate")  # higher is better
    quarters = [dt.date(2021 + (m + 3) // 12, (m + 3) % 12 + 1, 1) for m in range(0, 51, 3)]
    values = [50, 52, 49, 51, 50, 53, 48, 50, 51, 52, 53, 54, 55, 56, 20, 20, 20]
    kpis = pl.DataFrame(
        {
            "metric_id": metric.id,
            "period_start": quarters,
            "district": "All",
            "value": [v / 100 for v in values],
        }
    )
    filters = Filters(
        grain=Grain.QUARTER,
        start=quarters[0],
        end=quarters[13],  # 56%: the last of 48, 50, ..., 56, each higher than the one before
        district="All",
        domestic_abuse=DomesticAbuse.ALL,
        last_date=dt.date(2026, 3, 31),
    )
    [row] = scorecard(kpis, filters, [metric]).to_dicts()
    assert (row["variation"], row["variation_words"]) == (
        "special_cause_improvement",
        "Improvement (high)",
    )
    # Up to the last 20%: mean 834/17 = 49.1, average moving range 60/16 = 3.75, lower limit
    # 49.1 - 2.66 x 3.75 = 39.1; 20 is far below it: concern, low.
    later = dataclasses.replace(filters, end=quarters[16])
    [row] = scorecard(kpis, later, [metric]).to_dicts()
    assert row["variation_words"] == "Concern (low)"


def test_an_improvement_is_high_when_up_is_better_and_low_when_down_is_better():
    up = spc_view.variation_svg("special_cause_improvement", "x", direction=Direction.UP)
    down = spc_view.variation_svg("special_cause_improvement", "x", direction=Direction.DOWN)
    assert ">H</text>" in up and ">L</text>" in down
    assert spc_view.variation_words("special_cause_improvement", Direction.DOWN) == (
        "Improvement (low)"
    )
    assert spc_view.variation_words("special_cause_concern", Direction.DOWN) == "Concern (high)"


def test_an_icons_label_is_escaped_for_html():
    svg = spc_view.assurance_svg("inconsistent", 'Hit <and> "miss"')
    assert 'aria-label="Hit &lt;and&gt; &quot;miss&quot;"' in svg
    assert "<title>Hit &lt;and&gt; &quot;miss&quot;</title>" in svg


def test_a_scorecard_with_no_signals_says_so_in_words():
    card = pl.DataFrame(
        {"title": ["A", "B"], "period": ["2024/25 Q1"] * 2, "variation": ["common_cause"] * 2}
    )
    assert spc_view.real_change(card).startswith("**No KPI shows real change in 2024/25 Q1**")


def test_the_pages_work_on_data_narrowed_to_one_district_without_the_force(
    open_app, signals_path, monkeypatch
):
    """Access by district will hand the pages frames holding only the districts a user may see."""
    from dashboard.data import Dataset

    whole = Dataset.kpis_for
    monkeypatch.setattr(
        Dataset,
        "kpis_for",
        lambda self, grain, da: whole(self, grain, da).filter(pl.col("district") == "North"),
    )
    at = open_app("metric", {"metric": "stalking_crimes", "district": "North"}, signals_path)
    no_exception(at)
    [north] = spc_charts(at)
    assert north.points["value"].to_list() == [float(n) for n in NORTH]
    at = open_app(params={"district": "North"}, database=signals_path)
    no_exception(at)
    assert words(card_icons(at)["stalking_crimes"]) == ["Neither (high)", "No target"]


def test_a_target_with_too_few_periods_for_limits_reads_no_assurance_not_no_target():
    metric = dataclasses.replace(REGISTRY.get("referral_rate"), targets=(Target(0.6),))
    one = pl.DataFrame(
        {"metric_id": metric.id, "district": "All", "period_start": [QUARTERS[0]], "value": [0.5]}
    )
    found = spc_view.icons(spc_view.spc_series(one, metric, "All", QUARTERS[0]), metric)
    assert (found.assurance, found.assurance_words) == ("no_assurance", "No assurance")
    assert found.assurance_label == "No assurance: too few points for process limits"
    plain = spc_view.icons(
        spc_view.spc_series(one, REGISTRY.get("referral_rate"), "All", QUARTERS[0]),
        REGISTRY.get("referral_rate"),
    )
    assert (plain.assurance, plain.assurance_words) == ("no_target", "No target")
