"""The benchmark suite runs end to end on a tiny database; its speed targets live in the suite."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import run
from queries.contract import TABLES

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> tuple[subprocess.CompletedProcess, dict]:
    directory = tmp_path_factory.mktemp("bench")
    output = directory / "results.json"
    command = [
        sys.executable, "-m", "benchmarks.run", "--sizes", "2000", "--repeat", "1",
        "--data-dir", str(directory), "--json", str(output),
    ]  # fmt: skip
    finished = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    return finished, json.loads(output.read_text())["results"][0]


def test_the_suite_prints_every_stage_and_the_ratio_to_duckdb(results):
    finished, _ = results
    for heading in ("read s", "validate s", "facts + KPIs s", "ours / DuckDB", "peak MiB"):
        assert heading in finished.stdout
    assert "adbc-sqlite" in finished.stdout


def test_every_measurement_ran_in_its_own_process_on_the_fast_path(results):
    _, result = results
    assert result["stages"]["drivers"] == {table.name: "adbc-sqlite" for table in TABLES}
    assert result["stages"]["rows"]["crimes"] == 2000
    assert len({result[kind]["pid"] for kind in run.KINDS}) == len(run.KINDS)
    for kind in run.KINDS:
        assert result[kind]["peak_memory_bytes"] > 0
    assert result["kpi-compute"]["output_bytes"] > 0
    assert result["duckdb"]["output_bytes"] > 0


def test_the_app_is_timed_cold_and_warm_and_on_every_page(results):
    finished, result = results
    app = result["app"]
    assert app["first_page_cold"] > 0 and app["first_page_warm"] > 0
    pages = {p.stem for p in (ROOT / "dashboard" / "views").glob("*.py")}
    visited = {n.removeprefix("page: ") for n in app["interactions"] if n.startswith("page")}
    assert pages <= visited
    assert app["slowest_seconds"] == max(app["interactions"].values())
    for heading in ("first page cold s", "first page warm s", "slowest interaction"):
        assert heading in finished.stdout


def test_a_measurement_over_the_memory_limit_is_stopped_and_named(tmp_path):
    from demo.demo_data import generate_demo

    generate_demo(tmp_path / "tiny.sqlite", crimes=100, seed=1)
    with pytest.raises(run.OverMemory, match="stages: over"):
        run.run_child("stages", f"sqlite:///{tmp_path / 'tiny.sqlite'}", 1, 10 * 2**20, 600)
