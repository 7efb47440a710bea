"""Server time of the dashboard at scale: the first load, then filter and page changes.

    python -m benchmarks.app_timing --database-url sqlite:///benchmarks/.data/demo_1000000_….sqlite

Runs the app headless with Streamlit's AppTest (the script's own time on the server, which is
what a filter change costs before the browser draws) and prints one line per interaction.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "dashboard" / "app.py"


def _timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def measure(url: str, repeats: int = 3) -> list[tuple[str, float]]:
    """(interaction, median seconds) for the first load and each change after it."""
    os.environ["KPI_DATABASE_URL"] = url
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=1800)
    results = [("first load (read, validate, every KPI at every grain)", _timed(at.run))]
    if at.exception:
        raise SystemExit(f"the app failed: {at.exception[0].message}")
    districts = [d for d in at.sidebar.selectbox(key="district").options[1:3]]
    changes = [
        (
            "district",
            lambda d=districts[0]: at.sidebar.selectbox(key="district").set_value(d).run(),
        ),
        (
            "district again",
            lambda d=districts[1]: at.sidebar.selectbox(key="district").set_value(d).run(),
        ),
        ("grain: month", lambda: at.sidebar.button_group(key="grain").set_value("Month").run()),
        ("grain: quarter", lambda: at.sidebar.button_group(key="grain").set_value("Quarter").run()),
        (
            "domestic abuse only",
            lambda: at.sidebar.selectbox(key="da").set_value("Domestic abuse only").run(),
        ),
        ("all crimes", lambda: at.sidebar.selectbox(key="da").set_value("All crimes").run()),
        ("page: metric", lambda: at.switch_page("views/metric.py").run()),
        ("page: districts", lambda: at.switch_page("views/districts.py").run()),
        ("page: overview", lambda: at.switch_page("views/overview.py").run()),
    ]
    for name, change in changes:
        times = []
        for _ in range(repeats):
            times.append(_timed(change))
            if at.exception:
                raise SystemExit(f"{name} failed: {at.exception[0].message}")
        results.append((name, statistics.median(times)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    for name, seconds in measure(args.database_url, args.repeats):
        print(f"{name:<55} {seconds * 1000:>9.0f} ms")


if __name__ == "__main__":
    main()
