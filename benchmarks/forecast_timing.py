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


def measure(url: str, repeats: int = 3) -> list[tuple[str, float, float]]:
    """(step, wall seconds, CPU seconds): the import, the first run, the median of later runs.

    CPU time is printed beside the clock: on a shared machine the clock counts other work too.
    """
    from metrics import REGISTRY, Grain, compute_kpis, prepare_facts
    from queries import load_source

    facts = prepare_facts(load_source(url))
    started, cpu = time.perf_counter(), time.process_time()
    from metrics.forecast import _models, forecast_metrics, is_count

    _models(("AutoETS",), 12)  # imports statsforecast's models: part of a command's cost

    imported = (time.perf_counter() - started, time.process_time() - cpu)
    counts = [metric for metric in REGISTRY if is_count(metric)]
    kpis = compute_kpis(facts, Grain.MONTH, counts)
    assert facts.last_date is not None

    def run() -> tuple[float, float]:
        began, cpu = time.perf_counter(), time.process_time()
        forecast_metrics(kpis, counts, Grain.MONTH, 12, facts.last_date)
        return time.perf_counter() - began, time.process_time() - cpu

    first = run()
    later = [run() for _ in range(repeats)]
    series = kpis["district"].n_unique() * len(counts)
    median = [statistics.median(times) for times in zip(*later, strict=True)]
    return [
        ("import statsforecast", *imported),
        (f"first forecast, {len(counts)} count metrics × districts = {series} series", *first),
        (f"median of {repeats} more", *median),
        ("import + first forecast", imported[0] + first[0], imported[1] + first[1]),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print("    wall      CPU  step")
    for step, wall, cpu in measure(args.database_url, args.repeats):
        print(f"{wall:6.2f} s {cpu:6.2f} s  {step}")


if __name__ == "__main__":
    main()
