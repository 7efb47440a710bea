"""SPC from the command line: ``kpi spc`` on any series, and ``kpi compute --spc``."""

from __future__ import annotations

import csv
import io

import pytest

from tests.test_cli import _assert_one_line_error, kpi

# R: set.seed(123); rnorm(20) -- NHSRplotthedots' own test series (shared/references/spc.md).
RNORM = [
    -0.56047565,
    -0.23017749,
    1.55870831,
    0.07050839,
    0.12928774,
    1.71506499,
    0.46091621,
    -1.26506123,
    -0.68685285,
    -0.44566197,
    1.22408180,
    0.35981383,
    0.40077145,
    0.11068272,
    -0.55584113,
    1.78691314,
    0.49785048,
    -1.96661716,
    0.70135590,
    -0.47279141,
]


def series_file(tmp_path, values, start_day=2):
    import datetime as dt

    path = tmp_path / "series.csv"
    first = dt.date(2020, 1, start_day)
    lines = ["period_start,value"] + [
        f"{first + dt.timedelta(days=i)},{'' if v is None else v}" for i, v in enumerate(values)
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def spc_rows(*args):
    result = kpi("spc", *args)
    assert result.returncode == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_spc_prints_the_exact_header_and_one_row_per_point(tmp_path):
    result = kpi("spc", "--input", str(series_file(tmp_path, RNORM)))
    assert result.stdout.splitlines()[0] == (
        "period_start,value,spc_mean,spc_lower,spc_upper,spc_point_type"
    )
    assert len(result.stdout.splitlines()) == 21


@pytest.mark.parametrize("screen", [[], ["--screen-outliers"]], ids=["unscreened", "screened"])
def test_spc_reproduces_the_nhsrplotthedots_reference_limits(tmp_path, screen):
    rows = spc_rows("--input", str(series_file(tmp_path, RNORM)), *screen)
    assert float(rows[0]["spc_mean"]) == pytest.approx(0.1416238, abs=5e-8)
    assert float(rows[0]["spc_lower"]) == pytest.approx(-3.01138, abs=5e-6)
    assert float(rows[0]["spc_upper"]) == pytest.approx(3.294627, abs=5e-7)
    assert {row["spc_point_type"] for row in rows} == {"common_cause"}


@pytest.mark.parametrize(
    ("screen", "lower", "upper"),
    [([], -4.596625, 5.935457), (["--screen-outliers"], -2.383666, 3.722497)],
    ids=["unscreened", "screened"],
)
def test_spc_screens_the_outlier_of_the_reference_series(tmp_path, screen, lower, upper):
    values = RNORM.copy()
    values[14] = 10
    rows = spc_rows("--input", str(series_file(tmp_path, values)), *screen)
    assert float(rows[0]["spc_mean"]) == pytest.approx(0.6694159, abs=5e-8)
    assert (float(rows[0]["spc_lower"]), float(rows[0]["spc_upper"])) == (
        pytest.approx(lower, abs=5e-7),
        pytest.approx(upper, abs=5e-7),
    )


def test_spc_rebase_recalculates_limits_from_the_date(tmp_path):
    # The 11th point is 2020-01-12.
    rows = spc_rows("--input", str(series_file(tmp_path, RNORM)), "--rebase", "2020-01-12")
    assert float(rows[0]["spc_mean"]) == pytest.approx(0.0746, abs=5e-5)
    assert (round(float(rows[0]["spc_lower"]), 2), round(float(rows[0]["spc_upper"]), 2)) == (
        -2.60,
        2.75,
    )
    assert float(rows[10]["spc_mean"]) == pytest.approx(0.209, abs=5e-4)
    assert (round(float(rows[10]["spc_lower"]), 2), round(float(rows[10]["spc_upper"]), 2)) == (
        -3.28,
        3.70,
    )


@pytest.mark.parametrize(
    ("direction", "assurance"),
    [("up", "consistently_fail"), ("down", "consistently_pass")],
)
def test_spc_summary_gives_the_variation_and_assurance_icons(tmp_path, direction, assurance):
    # Seven rising points: a trend, so the last point is a special cause in that direction.
    path = series_file(tmp_path, [1, 2, 3, 4, 5, 6, 7])
    result = kpi(
        "spc", "--input", str(path), "--summary", "--direction", direction, "--target", "100"
    )
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    variation = "special_cause_improvement" if direction == "up" else "special_cause_concern"
    assert (rows[0]["variation"], rows[0]["assurance"]) == (variation, assurance)
    # A rise is high whichever way is better: an improvement when up is better, else a concern.
    kind = "improvement" if direction == "up" else "concern"
    assert rows[0]["side"] == "high"
    assert rows[0]["variation_label"] == f"Special cause variation \u2013 {kind} (high)"


def test_spc_reports_bad_rows_by_line_number(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("period_start,value\n2024-01-01,1\n2024-02-01,lots\n2024-03-01,3\n")
    _assert_one_line_error(kpi("spc", "--input", str(path)), "value is not a number", "line 3")


def test_spc_rejects_a_file_without_the_columns(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("month,count\n2024-01-01,1\n")
    _assert_one_line_error(kpi("spc", "--input", str(path)), "missing period_start, value")


def test_compute_spc_adds_limits_over_each_series(fixture_source):
    # As at the end of July, so July (data to 10 July) is complete and every point counts.
    result = kpi(
        "compute",
        "--database-url",
        fixture_source,
        "--grain",
        "month",
        "--spc",
        "--as-at",
        "2024-07-31",
    )
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == [
        "metric_id",
        "period_start",
        "period_label",
        "district",
        "numerator",
        "denominator",
        "value",
        "spc_mean",
        "spc_lower",
        "spc_upper",
        "spc_point_type",
        "provisional",
    ]
    series = [r for r in rows if r["metric_id"] == "stalking_crimes" and r["district"] == "All"]
    # Jan-Jul 2024: 1, 0, 0, 1, 0, 2, 0 (C01; C04; C10 and C20). Mean 4/7; moving ranges
    # 1, 0, 1, 1, 2, 2: average 7/6; limits 4/7 -/+ 2.66 x 7/6.
    assert [r["value"] for r in series] == ["1", "0", "0", "1", "0", "2", "0"]
    assert float(series[0]["spc_mean"]) == pytest.approx(4 / 7)
    assert float(series[0]["spc_upper"]) == pytest.approx(4 / 7 + 2.66 * 7 / 6)
    assert float(series[0]["spc_lower"]) == pytest.approx(4 / 7 - 2.66 * 7 / 6)
    assert {r["spc_point_type"] for r in series} == {"common_cause"}


def test_compute_spc_leaves_the_unfinished_month_out_of_the_limits(fixture_source):
    # The data end on 10 July 2024, so July has not ended: provisional, out of the limits.
    result = kpi("compute", "--database-url", fixture_source, "--grain", "month", "--spc")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    series = [r for r in rows if r["metric_id"] == "stalking_crimes" and r["district"] == "All"]
    assert [r["provisional"] for r in series] == ["false"] * 6 + ["true"]
    # Jan-Jun: 1, 0, 0, 1, 0, 2. Mean 4/6; moving ranges 1, 0, 1, 1, 2: average 1.
    assert float(series[0]["spc_mean"]) == pytest.approx(4 / 6)
    assert float(series[0]["spc_upper"]) == pytest.approx(4 / 6 + 2.66)
    assert series[-1]["spc_point_type"] == "provisional"
    assert "data as at 2024-07-10" in result.stderr
