"""Server time of the dashboard at scale: the first page cold and warm, then every interaction.

    python -m benchmarks.app_timing --database-url sqlite:///benchmarks/.data/demo_1000000_….sqlite

Runs the app headless with Streamlit's AppTest (the script's own time on the server, which is
what an interaction costs before the browser draws). The first page is timed twice, each in a
fresh process as a restart or a new worker would be: *cold*, with an empty disk cache (read,
validate, compute, write the cache), then *warm*, with the cache the cold run left. The warm
process then times each filter change and each page, and names the slowest.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.measure import peak_memory_bytes

APP = Path(__file__).resolve().parents[1] / "dashboard" / "app.py"
FIRST_PAGE = "first page"
PEAK = "peak_memory_bytes"
# The pages a meeting moves between, after the overview (the app's own page files).
PAGES = ("metric", "districts", "workforce", "data_quality", "catalogue", "actions", "demand")


def _timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def measure(url: str, repeats: int = 3, interactions: bool = True) -> list[tuple[str, float]]:
    """(interaction, median seconds): the first page, then, if asked, each change after it."""
    os.environ["KPI_DATABASE_URL"] = url
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=3600)
    results = [(FIRST_PAGE, _timed(at.run))]
    if at.exception:
        raise SystemExit(f"the app failed: {at.exception[0].message}")
    if not interactions:
        return results
    districts = list(at.sidebar.selectbox(key="district").options[1:3])

    def district(name: str):
        return lambda: at.sidebar.selectbox(key="district").set_value(name).run()

    def grain(label: str):
        return lambda: at.sidebar.button_group(key="grain").set_value(label).run()

    def domestic_abuse(label: str):
        return lambda: at.sidebar.selectbox(key="da").set_value(label).run()

    def page(name: str):
        return lambda: at.switch_page(f"views/{name}.py").run()

    changes = [
        ("overview: district", district(districts[0])),
        ("overview: another district", district(districts[1])),
        ("overview: grain month", grain("Month")),
        ("overview: grain quarter", grain("Quarter")),
        ("overview: domestic abuse only", domestic_abuse("Domestic abuse only")),
        ("overview: all crimes", domestic_abuse("All crimes")),
    ]
    for name in PAGES:
        changes.append((f"page: {name}", page(name)))
        if name == "demand":
            # The forecast is computed on a page's first view and cached: time both.
            changes.append(("page: demand again", lambda: at.run()))
    changes.append(("page: overview", page("overview")))
    for name, change in changes:
        times = [_timed(change) for _ in range(1 if name == "page: demand" else repeats)]
        if at.exception:
            raise SystemExit(f"{name} failed: {at.exception[0].message}")
        results.append((name, statistics.median(times)))
    return results


def in_fresh_process(url: str, cache_dir: Path, repeats: int, interactions: bool) -> dict:
    """``measure`` in a new Python process (a restart), with the given disk cache folder."""
    with tempfile.TemporaryDirectory() as directory:
        result = Path(directory) / "result.json"
        command = [
            sys.executable, "-m", "benchmarks.app_timing", "--database-url", url,
            "--repeats", str(repeats), "--child", str(result),
        ]  # fmt: skip
        if not interactions:
            command.append("--first-page-only")
        env = {**os.environ, "KPI_CACHE_DIR": str(cache_dir)}
        subprocess.run(command, check=True, env=env)
        return json.loads(result.read_text())


def cold_and_warm(url: str, repeats: int = 3, cache_dir: Path | None = None) -> dict:
    """The first page with an empty disk cache, then a restart's first page and interactions."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = cache_dir or Path(scratch) / "cache"
        cold = in_fresh_process(url, folder, repeats, interactions=False)
        warm = in_fresh_process(url, folder, repeats, interactions=True)
    interactions = {
        name: seconds for name, seconds in warm.items() if name not in (FIRST_PAGE, PEAK)
    }
    slowest = max(interactions, key=interactions.get)
    return {
        "first_page_cold": cold[FIRST_PAGE],
        "first_page_warm": warm[FIRST_PAGE],
        "peak_memory_bytes": max(cold[PEAK], warm[PEAK]),
        "interactions": interactions,
        "slowest": slowest,
        "slowest_seconds": interactions[slowest],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--first-page-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        results = dict(measure(args.database_url, args.repeats, not args.first_page_only))
        results[PEAK] = peak_memory_bytes()
        args.child.write_text(json.dumps(results))
        return
    result = cold_and_warm(args.database_url, args.repeats)
    print(f"{'first page, cold disk cache':<40} {result['first_page_cold'] * 1000:>9.0f} ms")
    print(f"{'first page, warm disk cache':<40} {result['first_page_warm'] * 1000:>9.0f} ms")
    for name, seconds in result["interactions"].items():
        print(f"{name:<40} {seconds * 1000:>9.0f} ms")
    print(f"slowest interaction: {result['slowest']}")


if __name__ == "__main__":
    main()
