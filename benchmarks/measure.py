"""One measurement, in a process of its own, written as JSON (the runner starts one per size).

Kinds:

- ``stages``: reading (per table and in total), validation, preparing the facts, every KPI
  at all three grains, and the DuckDB peer on the same validated Arrow tables, repeated
  and interleaved so both engines see the same machine; plus a read narrowed to one
  financial year, and a read that parses each batch as it arrives.
- ``kpi-compute``: ``kpi compute --grain month`` end to end, through the command itself.
- ``duckdb``: the same job with the DuckDB peer in place of the engine: the same read and
  validation, then DuckDB's SQL on Arrow tables, and its CSV.
- ``app``: the dashboard's first page with a cold and a warm disk cache, each in a fresh
  process, and every interaction after it (``benchmarks.app_timing``).

Every kind reports the process's peak resident memory (``VmHWM``): Arrow and polars
allocate outside Python's heap, where tracemalloc cannot see.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

NARROWED_RANGE = (dt.date(2024, 4, 1), dt.date(2025, 4, 1))  # financial year 2024/25


def peak_memory_bytes() -> int:
    """The peak resident set size of this process so far (Linux ``VmHWM``)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def _timed(function: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def present_arrow(validated) -> dict:
    """The tables and columns the source has, as Arrow: what it lacks, DuckDB lacks too."""
    return {
        name: frame.drop(validated.missing.get(name, ())).to_arrow()
        for name, frame in validated.tables.items()
        if validated.has_table(name)
    }


def measure_stages(url: str, repeat: int) -> dict:
    """Each stage's best time of ``repeat`` runs, ours and DuckDB's alternating."""
    from benchmarks.duckdb_kpis import duckdb_kpis
    from metrics import REGISTRY, Grain, compute_all_grains, prepare_facts
    from queries.source import DateRange, read_source
    from queries.validation import validate

    times: dict[str, list[float]] = {}
    tables: dict[str, list[float]] = {}
    drivers: dict[str, str] = {}
    rows: dict[str, int] = {}

    def note(stage: str, seconds: float) -> None:
        times.setdefault(stage, []).append(seconds)

    def read() -> dict:
        reads: list = []
        seconds, frames = _timed(lambda: read_source(url, on_read=reads.append))
        note("read", seconds)
        for table_read in reads:
            tables.setdefault(table_read.table, []).append(table_read.seconds)
            drivers[table_read.table] = table_read.driver
            rows[table_read.table] = table_read.rows
        return frames

    def validated_once(raw: dict):
        seconds, validated = _timed(lambda: validate(raw))
        note("validate", seconds)
        return validated

    _load_drivers()
    for _ in range(repeat - 1):
        read()
        gc.collect()
    raw = read()
    for _ in range(repeat - 1):
        validated_once(raw)
    validated = validated_once(raw)
    del raw
    gc.collect()
    valid_rows = {name: frame.height for name, frame in validated.tables.items()}
    arrow = present_arrow(validated)
    ids = [metric.id for metric in REGISTRY]  # the same metrics as ours, no more
    for _ in range(repeat):
        seconds, facts = _timed(lambda validated=validated: prepare_facts(validated))
        note("facts", seconds)
        seconds, _ = _timed(lambda facts=facts: compute_all_grains(facts))
        note("compute", seconds)
        note("facts_and_compute", times["facts"][-1] + seconds)
        del facts
        seconds, _ = _timed(
            lambda arrow=arrow: [duckdb_kpis(arrow, grain.value, metric_ids=ids) for grain in Grain]
        )
        note("duckdb_compute", seconds)
    del validated, arrow
    gc.collect()
    narrowed = DateRange(*NARROWED_RANGE)
    for _ in range(repeat):
        seconds, _ = _timed(lambda: read_source(url, date_range=narrowed))
        note("read_one_year", seconds)
    for _ in range(repeat):
        seconds, _ = _timed(lambda: read_source(url, parsed=True))
        note("read_parsed", seconds)
    return {
        "kind": "stages",
        "seconds": {stage: min(values) for stage, values in times.items()},
        "runs": times,
        "table_seconds": {table: min(values) for table, values in tables.items()},
        "drivers": drivers,
        "rows": rows,
        "valid_rows": valid_rows,
        "peak_memory_bytes": peak_memory_bytes(),
    }


def _load_drivers() -> None:
    """Import the drivers before timing: loading a shared library is not reading."""
    import adbc_driver_postgresql.dbapi  # noqa: F401
    import adbc_driver_sqlite.dbapi  # noqa: F401
    import connectorx  # noqa: F401
    import pyarrow  # noqa: F401


def measure_kpi_compute(url: str) -> dict:
    """``kpi compute --grain month`` end to end, in this process, output to a file."""
    from kpi.cli import main

    with tempfile.TemporaryDirectory() as directory:
        output = Path(directory) / "kpis.csv"
        seconds, status = _timed(
            lambda: main(
                ["compute", "--database-url", url, "--grain", "month", "--output", str(output)]
            )
        )
        if status != 0:
            raise RuntimeError(f"kpi compute failed with status {status}")
        written = output.stat().st_size
    return {
        "kind": "kpi-compute",
        "seconds": {"end_to_end": seconds},
        "output_bytes": written,
        "peak_memory_bytes": peak_memory_bytes(),
    }


def measure_duckdb(url: str) -> dict:
    """The same job with the DuckDB peer: read, validate, Arrow, DuckDB SQL, CSV."""
    from benchmarks.duckdb_kpis import duckdb_kpis
    from metrics import REGISTRY
    from queries import load_source

    def job() -> int:
        validated = load_source(url)
        arrow = present_arrow(validated)
        del validated
        kpis = duckdb_kpis(arrow, "month", metric_ids=[metric.id for metric in REGISTRY])
        with tempfile.TemporaryDirectory() as directory:
            output = Path(directory) / "kpis.csv"
            kpis.write_csv(output)
            return output.stat().st_size

    seconds, written = _timed(job)
    return {
        "kind": "duckdb",
        "seconds": {"end_to_end": seconds},
        "output_bytes": written,
        "peak_memory_bytes": peak_memory_bytes(),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=("stages", "kpi-compute", "duckdb", "app"))
    parser.add_argument("--url", required=True, help="SQLAlchemy URL of the source")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each stage (best kept)")
    parser.add_argument("--result", required=True, help="file to write the JSON result to")
    args = parser.parse_args(argv)
    if args.kind == "stages":
        result = measure_stages(args.url, args.repeat)
    elif args.kind == "kpi-compute":
        result = measure_kpi_compute(args.url)
    elif args.kind == "app":
        from benchmarks.app_timing import cold_and_warm

        result = {"kind": "app", **cold_and_warm(args.url, repeats=3)}
    else:
        result = measure_duckdb(args.url)
    result["pid"] = os.getpid()
    Path(args.result).write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
