"""Time to forecast every count metric for every district at month grain (target: under 10 s).

    python -m benchmarks.forecast_timing --database-url sqlite:///data/demo.sqlite

Reads and computes the monthly KPIs first (not timed), then times, in a fresh process:
importing statsforecast (paid once per process), the first forecast of every count metric
(with any one-off compilation), and the median of further runs. Prints one line per step.
"""

from __future__ import annotations

import argparse
import statistics
import time


def measure(url: str, repeats: int = 3) -> list[tuple[str, float]]:
    """(step, seconds): the import, the first full run and the median of later runs."""
    from metrics import REGISTRY, Grain, compute_kpis, prepare_facts
    from queries import load_source

    facts = prepare_facts(load_source(url))
    started = time.perf_counter()
    from metrics.forecast import _models, forecast_metrics, is_count

    _models(("AutoETS",), 12)  # imports statsforecast's models: part of a command's cost

    imported = time.perf_counter() - started
    counts = [metric for metric in REGISTRY if is_count(metric)]
    kpis = compute_kpis(facts, Grain.MONTH, counts)
    assert facts.last_date is not None

    def run() -> float:
        began = time.perf_counter()
        forecast_metrics(kpis, counts, Grain.MONTH, 12, facts.last_date)
        return time.perf_counter() - began

    first = run()
    later = [run() for _ in range(repeats)]
    series = kpis["district"].n_unique() * len(counts)
    return [
        ("import statsforecast", imported),
        (f"first forecast, {len(counts)} count metrics × districts = {series} series", first),
        (f"median of {repeats} more", statistics.median(later)),
        ("import + first forecast", imported + first),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    for step, seconds in measure(args.database_url, args.repeats):
        print(f"{seconds:8.2f} s  {step}")


if __name__ == "__main__":
    main()
