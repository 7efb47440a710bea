"""Extract files as a source: a folder with one CSV, Parquet or Excel file per contract table.

Files are read with polars' own readers (Excel through fastexcel) and never written to. CSV
values are all text, parsed by the contract's text rules exactly like text in SQLite;
Parquet and Excel columns may be typed.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

SUFFIXES = (".csv", ".parquet", ".xlsx")


class FolderError(Exception):
    """An extract file that cannot be used; the message names the file."""


def is_folder(location: str) -> bool:
    """Whether a database URL is instead the path of a folder of extract files."""
    return isinstance(location, str) and "://" not in location and Path(location).is_dir()


def table_file(folder: Path, table: str) -> Path | None:
    """The one file that holds a table, or None; two files for one table are refused."""
    found = [
        folder / f"{table}{suffix}"
        for suffix in SUFFIXES
        if (folder / f"{table}{suffix}").is_file()
    ]
    if len(found) > 1:
        names = ", ".join(path.name for path in found)
        raise FolderError(f"{folder}: {names} both hold {table}; keep one")
    return found[0] if found else None


def columns_of(path: Path) -> list[str]:
    """The file's column names, without reading its rows."""
    try:
        if path.suffix == ".csv":
            return pl.scan_csv(path, infer_schema=False).collect_schema().names()
        if path.suffix == ".parquet":
            return pl.scan_parquet(path).collect_schema().names()
        return read_file(path, None).columns
    except FolderError:
        raise
    except Exception as error:  # each reader raises its own error types
        raise FolderError(f"{path}: cannot be read ({_first_line(error)})") from None


def read_file(path: Path, columns: list[str] | None) -> pl.DataFrame:
    """The file's rows (only ``columns``, if given), as the reader types them."""
    try:
        if path.suffix == ".csv":
            return pl.read_csv(path, infer_schema=False, columns=columns, encoding="utf8")
        if path.suffix == ".parquet":
            return pl.read_parquet(path, columns=columns)
        frame = pl.read_excel(path, sheet_id=1, engine="calamine")
        return frame.select(columns) if columns is not None else frame
    except Exception as error:  # each reader raises its own error types
        raise FolderError(f"{path}: cannot be read ({_first_line(error)})") from None


def count_rows(path: Path) -> int:
    """The file's row count, taken apart from the read that parses it (for the reconciliation)."""
    try:
        if path.suffix == ".csv":
            return pl.scan_csv(path, infer_schema=False).select(pl.len()).collect().item()
        if path.suffix == ".parquet":
            return pl.scan_parquet(path).select(pl.len()).collect().item()
        import fastexcel

        return fastexcel.read_excel(str(path)).load_sheet(0).height
    except Exception as error:  # each reader raises its own error types
        raise FolderError(f"{path}: cannot be read ({_first_line(error)})") from None


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
