"""The KPI catalogue as the specification writes it: ids, directions and kinds, read from
``kpi-definitions.md`` so that tests follow the spec, not a hand-kept list."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

SPEC_FILE = Path(__file__).resolve().parents[2] / "shared" / "kpi-definitions.md"


@dataclass(frozen=True)
class SpecMetric:
    id: str
    title: str
    value: str
    direction: str


def spec_metrics() -> list[SpecMetric]:
    """Every metric row of the spec's tables, in the order written."""
    if not SPEC_FILE.is_file():
        pytest.skip(
            f"the specification is not beside the project: {SPEC_FILE}",
            allow_module_level=True,
        )
    found = []
    for line in SPEC_FILE.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 7 and re.fullmatch(r"[a-z][a-z0-9_]*", cells[0]) and cells[0] != "id":
            found.append(SpecMetric(cells[0], cells[1], cells[5], cells[6]))
    return found
