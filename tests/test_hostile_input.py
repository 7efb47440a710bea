"""Hostile and malformed input on the command line: a clear one-line message, nothing changed."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.test_cli import _assert_one_line_error, kpi

HOSTILE = [
    pytest.param("North'; DROP TABLE crimes; --", id="sql injection"),
    pytest.param("' OR '1'='1", id="sql tautology"),
    pytest.param("x" * 100_000, id="huge string"),
    pytest.param("Nörth 🚓 ڤ", id="unicode"),
    pytest.param("North\nSouth", id="newline"),
    pytest.param("%s %(x)s ? :name", id="placeholders"),
]


def _digest(url: str) -> str:
    return hashlib.sha256(Path(url.removeprefix("sqlite:///")).read_bytes()).hexdigest()


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_district_is_refused_by_name_and_the_database_is_untouched(fixture_source, value):
    before = _digest(fixture_source)
    result = kpi(
        "compute", "--database-url", fixture_source, "--grain", "month", "--district", value
    )
    _assert_one_line_error(result, "unknown district", "choose from: All, Empty, North, South")
    assert _digest(fixture_source) == before


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_metric_is_refused_by_name(fixture_source, value):
    result = kpi("compute", "--database-url", fixture_source, "--grain", "month", "--metric", value)
    _assert_one_line_error(result, "unknown metric", "stalking_crimes")


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(v, id=v)
        for v in ("0000-01-01", "99999-01-01", "2024-02-30", "2024-1-1", "yesterday", "")
    ],
)
def test_an_impossible_rebase_date_is_refused(tmp_path, value):
    series = tmp_path / "series.csv"
    series.write_text("period_start,value\n2024-01-01,1\n2024-02-01,2\n")
    _assert_one_line_error(
        kpi("spc", "--input", str(series), "--rebase", value), "not a date like 2023-06-01"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param("period_start,value\n0000-01-01,1\n", "not a date", id="year zero"),
        pytest.param("period_start,value\n2024-01-01,1e400\n", "not a number", id="overflow"),
        pytest.param("period_start,value\n2024-01-01,NaN\n", "not a number", id="nan"),
        pytest.param(
            "period_start,value\n2024-01-01,1\n2024-01-01,2\n",
            "more than once",
            id="duplicate period",
        ),
        pytest.param("\x00\x01\x02", "period_start,value", id="binary"),
    ],
)
def test_a_malformed_series_file_is_refused_with_the_reason(tmp_path, content, message):
    series = tmp_path / "series.csv"
    series.write_text(content)
    _assert_one_line_error(kpi("spc", "--input", str(series)), message)


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("sqlite:///" + "x" * 5000, id="huge path"),
        pytest.param("mysql://root@127.0.0.1:1/x'; DROP DATABASE test; --", id="injection"),
        pytest.param("oracle+nodriver://x", id="unknown driver"),
        pytest.param("sqlite://", id="in memory"),
        pytest.param("http://example.org/data.csv", id="not a database"),
    ],
)
def test_a_bad_database_url_is_a_one_line_error(url):
    _assert_one_line_error(kpi("validate", "--database-url", url))
