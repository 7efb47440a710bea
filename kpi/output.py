"""Writing frames as CSV or JSON for the command line: exact headers, empty cells for null."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polars as pl

from metrics import REGISTRY, Unit

FORMATS = ("csv", "json")


def kpi_text_values(kpis: pl.DataFrame) -> pl.DataFrame:
    """Counts' values written as whole numbers (``12``, not ``12.0``); rates at full precision."""
    count_ids = [metric.id for metric in REGISTRY if metric.unit == Unit.COUNT]
    return kpis.with_columns(
        pl.when(pl.col("metric_id").is_in(count_ids))
        .then(pl.col("value").cast(pl.Int64).cast(pl.String))
        .otherwise(pl.col("value").cast(pl.String))
        .alias("value")
    )


def render(frame: pl.DataFrame, fmt: str) -> str:
    """The frame as CSV (dates ``YYYY-MM-DD``, null as an empty cell) or as a JSON array."""
    if fmt == "csv":
        return frame.write_csv(date_format="%Y-%m-%d", null_value="")
    records = frame.with_columns(pl.col(pl.Date).dt.strftime("%Y-%m-%d")).to_dicts()
    return json.dumps(records, indent=1, ensure_ascii=False) + "\n"


def check_output(output: str | None) -> None:
    """Fail before any long work when the output file could not be written."""
    if output is None or output == "-":
        return
    path = Path(output)
    if not path.parent.is_dir():
        raise FileNotFoundError(f"the folder for --output does not exist: {path.parent}")
    if path.is_dir():
        raise IsADirectoryError(f"--output is a folder, not a file: {path}")


def emit(text: str, output: str | None) -> None:
    """Write to the output file, or to standard output."""
    if output is None or output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    check_output(output)
    Path(output).write_text(text, encoding="utf-8")
