"""Downloads of what a page shows, as CSV and as an Excel workbook (xlsxwriter)."""

from __future__ import annotations

import io
import re
from functools import partial

import polars as pl
import streamlit as st

CSV_MIME = "text/csv"
EXCEL_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_bytes(frame: pl.DataFrame) -> bytes:
    """UTF-8 with a byte order mark, so that Excel reads ``–`` and ``£`` correctly too."""
    return frame.write_csv(date_format="%Y-%m-%d", null_value="").encode("utf-8-sig")


def excel_bytes(frame: pl.DataFrame, sheet: str) -> bytes:
    """One worksheet with a header row, fitted column widths and ISO dates."""
    buffer = io.BytesIO()
    frame.write_excel(
        buffer,
        worksheet=_sheet_name(sheet),
        autofit=True,
        dtype_formats={pl.Date: "yyyy-mm-dd"},
        header_format={"bold": True},
    )
    return buffer.getvalue()


def _sheet_name(name: str) -> str:
    """Excel allows 31 characters and none of ``[]:*?/\\``."""
    return re.sub(r"[\[\]:*?/\\]", "-", name)[:31] or "Sheet1"


def file_stem(*parts: str) -> str:
    """A file name from words: ``scorecard_bristol_2024-25_q4``."""
    words = "_".join(parts).lower()
    return re.sub(r"[^a-z0-9_-]+", "-", words.replace("/", "-").replace(" ", "_")).strip("-_")


def download_buttons(frame: pl.DataFrame, stem: str, sheet: str, key: str) -> None:
    """CSV and Excel buttons side by side for one frame, each file built only when clicked.

    Building the files on every run cost seconds on a page with a long table (the data
    quality report at a million crimes); Streamlit calls a callable ``data`` on the click.
    """
    frame = frame.select(pl.exclude(pl.List(pl.Float64)))
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(
        "Download CSV",
        partial(csv_bytes, frame),
        file_name=f"{stem}.csv",
        mime=CSV_MIME,
        key=f"{key}_csv",
        on_click="ignore",
        icon=":material/download:",
    )
    right.download_button(
        "Download Excel",
        partial(excel_bytes, frame, sheet),
        file_name=f"{stem}.xlsx",
        mime=EXCEL_MIME,
        key=f"{key}_xlsx",
        on_click="ignore",
        icon=":material/download:",
    )
