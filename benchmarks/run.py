"""The benchmark suite: demo databases of each size, our engine against the DuckDB peer.

    python -m benchmarks.run --sizes 100000 1000000 10000000 [--engine sqlite]

For each size it generates (once, cached under ``benchmarks/.data``) a demo database and
measures, each kind in a process of its own (see ``benchmarks.measure``): reading the
source per table and in total, validation, every KPI at all three grains, ``kpi compute``
end to end with its peak memory, and the DuckDB peer on the same validated Arrow tables,
compute alone and end to end. It prints one table with the ratio to DuckDB. Speed targets
live here, not in timed unit tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks import data

ENGINES = ("sqlite", "postgresql", "mariadb")
KINDS = ("stages", "kpi-compute", "duckdb", "app")
GIB = 2**30
MIB = 2**20


class OverMemory(Exception):
    """A measured process went over the memory limit and was stopped."""


def source_url(engine: str, crimes: int, args: argparse.Namespace) -> str:
    """The cached demo database of this size, or its copy on a server, as a URL."""

    def show(stage: str, done: int, total: int) -> None:
        print(f"\r  generating {crimes:,} crimes: {stage} {done:,}/{total:,}", end="", flush=True)

    path, seconds = data.demo_database(
        crimes, args.seed, args.dirty_fraction, args.data_dir, progress=show
    )
    if seconds is not None:
        print(
            f"\r  generated {path.name} in {seconds:.1f} s ({path.stat().st_size / MIB:,.0f} MiB)"
        )
    if engine == "sqlite":
        return f"sqlite:///{path}"
    print(f"  loading the valid rows into {engine} (once per dataset)…", flush=True)
    if engine == "postgresql":
        return data.postgres_copy(path)
    return data.mariadb_copy(path)


def run_child(kind: str, url: str, repeat: int, memory_limit: int, timeout: float) -> dict:
    """Run one measurement in a fresh process; stop it if it goes over the memory limit."""
    with tempfile.TemporaryDirectory() as directory:
        result = Path(directory) / "result.json"
        command = [
            sys.executable, "-m", "benchmarks.measure", kind,
            "--url", url, "--repeat", str(repeat), "--result", str(result),
        ]  # fmt: skip
        errors = Path(directory) / "stderr.txt"
        started = time.perf_counter()
        with errors.open("wb") as stderr:
            process = subprocess.Popen(command, start_new_session=True, stderr=stderr)
            while process.poll() is None:
                if _resident_bytes(process.pid) > memory_limit:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
                    raise OverMemory(f"{kind}: over {memory_limit / GIB:.1f} GiB, stopped")
                if time.perf_counter() - started > timeout:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
                    raise TimeoutError(f"{kind}: over {timeout:.0f} s, stopped")
                time.sleep(0.05)
        if process.returncode != 0:
            message = errors.read_text(errors="replace").strip()
            last = message.splitlines()[-1] if message else "no message"
            raise RuntimeError(f"{kind} failed with status {process.returncode}: {last}")
        return json.loads(result.read_text())


def _resident_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def measure_size(engine: str, crimes: int, args: argparse.Namespace) -> dict:
    """Every measurement of one size; a kind that fails is recorded with its reason."""
    url = source_url(engine, crimes, args)
    repeat = args.repeat if args.repeat else (3 if crimes <= 1_000_000 else 1)
    results: dict = {"engine": engine, "crimes": crimes, "url": url, "repeat": repeat}
    for kind in KINDS:
        print(f"  {kind}…", end="", flush=True)
        try:
            results[kind] = run_child(kind, url, repeat, args.memory_limit_gib * GIB, args.timeout)
            print(" done", flush=True)
        except (OverMemory, TimeoutError, RuntimeError) as error:
            results[kind] = {"error": str(error)}
            print(f" {error}", flush=True)
    return results


def _seconds(result: dict, kind: str, stage: str) -> float | None:
    return result.get(kind, {}).get("seconds", {}).get(stage)


def _peak(result: dict, kind: str) -> float | None:
    peak = result.get(kind, {}).get("peak_memory_bytes")
    return None if peak is None else peak / MIB


def summary_rows(results: list[dict]) -> list[dict[str, str]]:
    """One row per size: the headline numbers and the ratios to DuckDB."""
    rows = []
    for result in results:
        stages = result.get("stages", {})
        ours = _seconds(result, "stages", "facts_and_compute")
        peer = _seconds(result, "stages", "duckdb_compute")
        end_to_end = _seconds(result, "kpi-compute", "end_to_end")
        peer_end_to_end = _seconds(result, "duckdb", "end_to_end")
        read = _seconds(result, "stages", "read")
        rows.append(
            {
                "crimes": f"{result['crimes']:,}",
                "rows read": f"{sum(stages.get('rows', {}).values()):,}" if stages else "–",
                "read s": _format(read),
                "validate s": _format(_seconds(result, "stages", "validate")),
                "facts s": _format(_seconds(result, "stages", "facts")),
                "KPIs, 3 grains s": _format(_seconds(result, "stages", "compute")),
                "facts + KPIs s": _format(ours),
                "DuckDB KPIs s": _format(peer),
                "ours / DuckDB": _ratio(ours, peer),
                "kpi compute s": _format(end_to_end),
                "read share": _ratio(read, end_to_end, percent=True),
                "peak MiB": _format(_peak(result, "kpi-compute"), 0),
                "DuckDB end to end s": _format(peer_end_to_end),
                "DuckDB peak MiB": _format(_peak(result, "duckdb"), 0),
                "read 1 FY s": _format(_seconds(result, "stages", "read_one_year")),
                "read + parse s": _format(_seconds(result, "stages", "read_parsed")),
                "kpi compute / DuckDB end to end": _ratio(end_to_end, peer_end_to_end),
                "first page cold s": _format(result.get("app", {}).get("first_page_cold")),
                "first page warm s": _format(result.get("app", {}).get("first_page_warm")),
                "app peak MiB": _format(_peak(result, "app"), 0),
                "slowest interaction": _slowest(result.get("app", {})),
            }
        )
    return rows


def _slowest(app: dict) -> str:
    if "slowest" not in app:
        return "–"
    return f"{app['slowest']} {app['slowest_seconds'] * 1000:,.0f} ms"


def interaction_rows(results: list[dict]) -> list[dict[str, str]]:
    """Per size: the server time of each interaction in the app, warm disk cache."""
    rows = []
    for result in results:
        for name, seconds in result.get("app", {}).get("interactions", {}).items():
            rows.append(
                {
                    "crimes": f"{result['crimes']:,}",
                    "interaction": name,
                    "ms": f"{seconds * 1000:,.0f}",
                }
            )
    return rows


def table_rows(results: list[dict]) -> list[dict[str, str]]:
    """Per size and table: rows read, best seconds and the driver that read them."""
    rows = []
    for result in results:
        stages = result.get("stages", {})
        for table, seconds in stages.get("table_seconds", {}).items():
            rows.append(
                {
                    "crimes": f"{result['crimes']:,}",
                    "table": table,
                    "rows": f"{stages['rows'][table]:,}",
                    "read s": _format(seconds),
                    "rows/s": f"{stages['rows'][table] / seconds:,.0f}" if seconds else "–",
                    "driver": stages["drivers"][table],
                }
            )
    return rows


def _format(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def _ratio(top: float | None, bottom: float | None, percent: bool = False) -> str:
    if top is None or not bottom:
        return "–"
    return f"{top / bottom:.0%}" if percent else f"{top / bottom:.2f}"


def render(rows: list[dict[str, str]], markdown: bool) -> str:
    """A plain or Markdown table with right-aligned numbers."""
    if not rows:
        return "(nothing measured)"
    columns = list(rows[0])
    widths = {c: max(len(c), *(len(row[c]) for row in rows)) for c in columns}
    if markdown:
        head = "| " + " | ".join(columns) + " |"
        text = ("table", "driver", "interaction", "slowest interaction")
        rule = "|" + "|".join("---" if c in text else "---:" for c in columns)
        body = ["| " + " | ".join(row[c] for c in columns) + " |" for row in rows]
        return "\n".join([head, rule + "|", *body])
    head = "  ".join(c.rjust(widths[c]) for c in columns)
    body = ["  ".join(row[c].rjust(widths[c]) for c in columns) for row in rows]
    return "\n".join([head, "-" * len(head), *body])


def machine() -> str:
    """The machine the numbers belong to."""
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / GIB:.0f} GiB, "
        f"Python {platform.python_version()}, load average {load}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[100_000, 1_000_000], help="crimes per database"
    )
    parser.add_argument("--engine", choices=ENGINES, default="sqlite")
    parser.add_argument(
        "--repeat", type=int, default=0, help="runs of each stage, best kept (0: 3, or 1 above 1M)"
    )
    parser.add_argument("--seed", type=int, default=data.DEFAULT_SEED)
    parser.add_argument("--dirty-fraction", type=float, default=data.DEFAULT_DIRTY_FRACTION)
    parser.add_argument("--data-dir", type=Path, default=data.DATA_DIRECTORY)
    parser.add_argument(
        "--memory-limit-gib", type=float, default=16.0, help="stop a measurement above this"
    )
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds per measurement")
    parser.add_argument("--json", type=Path, help="also write every result to this file")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    args = parser.parse_args(argv)

    results = []
    for crimes in args.sizes:
        print(f"{args.engine}, {crimes:,} crimes", flush=True)
        results.append(measure_size(args.engine, crimes, args))
    print()
    print(machine())
    print()
    print(render(summary_rows(results), args.markdown))
    print()
    print(render(table_rows(results), args.markdown))
    print()
    print(render(interaction_rows(results), args.markdown))
    errors = [
        f"{result['crimes']:,} crimes, {kind}: {result[kind]['error']}"
        for result in results
        for kind in KINDS
        if "error" in result.get(kind, {})
    ]
    for line in errors:
        print(line)
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "results": results}, indent=2))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
