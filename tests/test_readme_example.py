"""The README's "Adding a source table" example, run exactly as written, end to end."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FILES = {
    "queries/contract.py": "queries.contract",
    "metrics/record_sets.py": "metrics.record_sets",
    "metrics/catalogue.py": "metrics.catalogue",
}


def readme_blocks() -> dict[str, str]:
    """The README's python blocks for adding a table, by the file each one goes in."""
    section = (ROOT / "README.md").read_text().split("## Adding a source table", 1)[1]
    section = section.split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n# (\S+)\n(.*?)```", section, flags=re.DOTALL)
    return dict(blocks)


def referral(referral_id, crime_id, when, agency="MARAC"):
    return {"referral_id": referral_id, "crime_id": crime_id, "referred_at": when, "agency": agency}


# Worked out by hand from tests/fixture_rows.py: C01 (North, 8Q) and C05 (South, 8R with a
# stalking element) and C09 (Mars, unknown district, 8U with a stalking element) are S&H
# cases; C07 (105A) is not; C10 was reported 2024-06-20 10:00.
REFERRALS = [
    referral("R1", "C01", "2024-01-20 10:00:00"),  # North, 2024-01
    referral("R2", "C01", "2024-01-21 10:00:00", "MASH"),  # not MARAC
    referral("R3", "C07", "2024-06-06 10:00:00"),  # not an S&H case
    referral("R4", "C05", "2024-05-11 10:00:00"),  # South, 2024-05
    referral("R5", "C09", "2024-07-06 10:00:00"),  # Mars, 2024-07
    referral("R6", "NOPE", "2024-05-01 10:00:00"),  # no such crime: error
    referral("R7", "C10", "2024-06-19 10:00:00"),  # before the report: error
    referral("R9", "C04", "2024-04-02 10:00:00"),  # duplicated id: both copies are errors
    referral("R9", "C04", "2024-04-03 10:00:00"),
]
EXPECTED_NONZERO = {
    ("2024-01", "North"): 1,
    ("2024-05", "South"): 1,
    ("2024-07", "Mars"): 1,
    ("2024-01", "All"): 1,
    ("2024-05", "All"): 1,
    ("2024-07", "All"): 1,
}
EXPECTED_REPORT = [
    ["safeguarding_referrals", "R6", "error", "unknown_crime"],
    ["safeguarding_referrals", "R7", "error", "before_reported:referred_at"],
    ["safeguarding_referrals", "R9", "error", "duplicate:referral_id"],
    ["safeguarding_referrals", "R9", "error", "duplicate:referral_id"],
]

SCRIPT = """
import importlib, json, sys
import polars as pl
blocks = json.loads(sys.argv[1])
modules = json.loads(sys.argv[2])
for path, code in blocks.items():
    exec(code, vars(importlib.import_module(modules[path])))
from metrics import Grain, compute_kpis, prepare_facts
from queries import load_source
from tests import fixture_rows
from tests.conftest import write_sqlite
rows = {**fixture_rows.ALL_ROWS, "safeguarding_referrals": json.loads(sys.argv[3])}
with_table = write_sqlite(sys.argv[4] + "/with.sqlite", rows)
without = write_sqlite(sys.argv[4] + "/without.sqlite", fixture_rows.ALL_ROWS)
validated = load_source(with_table)
kpis = compute_kpis(prepare_facts(validated), Grain.MONTH).filter(
    pl.col("metric_id") == "marac_referrals")
print(json.dumps({
    "report": validated.report.filter(pl.col("table") == "safeguarding_referrals").rows(),
    "cells": kpis.select("period_label", "district", "numerator").rows(),
    "unavailable": prepare_facts(load_source(without)).unavailable.get("marac_referrals"),
}))
"""


def test_the_readme_example_adds_a_table_and_a_metric_that_compute_end_to_end(tmp_path):
    blocks = readme_blocks()
    assert set(blocks) == set(FILES)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            textwrap.dedent(SCRIPT),
            json.dumps(blocks),
            json.dumps(FILES),
            json.dumps(REFERRALS),
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["report"] == EXPECTED_REPORT
    nonzero = {(label, district): n for label, district, n in found["cells"] if n}
    assert nonzero == EXPECTED_NONZERO
    months = {label for label, _district, _n in found["cells"]}
    assert months == {f"2024-{month:02d}" for month in range(1, 8)}
    assert found["unavailable"] == ("not collected: the source has no table safeguarding_referrals")
