"""The board pack's optional Demand outlook section, in PDF and PowerPoint."""

from __future__ import annotations

import datetime as dt
import io

import polars as pl
import pypdf
import pytest
from pptx import Presentation

from kpi.cli import main
from metrics import ALL_DISTRICTS, REGISTRY
from metrics.forecast import is_count
from packs.demand import outlook_tables
from tests.conftest import demo_database

COUNTS = [metric for metric in REGISTRY if is_count(metric)]


def _row(district: str, start: dt.date, label: str, values: tuple[float, ...]) -> dict:
    names = ("forecast", "lower_80", "upper_80", "lower_95", "upper_95")
    return {
        "metric_id": "stalking_crimes",
        "district": district,
        "period_start": start,
        "period_label": label,
        **dict(zip(names, values, strict=True)),
        "model": "AutoETS",
    }


def test_an_outlook_table_shows_each_quarters_forecast_with_its_80_and_95_percent_ranges():
    forecasts = pl.DataFrame(
        [
            _row(ALL_DISTRICTS, dt.date(2026, 10, 1), "2026/27 Q3", (75.0, 64.6, 85.4, 59.1, 90.9)),
            _row(
                ALL_DISTRICTS, dt.date(2027, 1, 1), "2026/27 Q4", (1234.4, 1100, 1300, 1000, 1400)
            ),
            _row("Bristol", dt.date(2026, 10, 1), "2026/27 Q3", (25.5, 16.0, 35.4, 11.0, 38.5)),
            _row("Bristol", dt.date(2027, 1, 1), "2026/27 Q4", (26.0, 17.1, 34.5, 13.6, 41.2)),
            _row("Bath", dt.date(2026, 10, 1), "2026/27 Q3", (8.1, 5.0, 11.4, 3.3, 12.4)),
            _row("Bath", dt.date(2027, 1, 1), "2026/27 Q4", (8.4, 5.4, 11.3, 4.3, 13.4)),
        ]
    )
    header = ["District", "2026/27 Q3 (80%)", "95% range", "2026/27 Q4 (80%)", "95% range"]
    assert outlook_tables(forecasts) == [
        (
            "Stalking crimes recorded",
            header,
            [
                [
                    "All districts (force)",
                    "75 (65–85)",
                    "59–91",
                    "1,234 (1,100–1,300)",
                    "1,000–1,400",
                ],
                ["Bristol", "26 (16–35)", "11–38", "26 (17–34)", "14–41"],
                ["Bath", "8 (5–11)", "3–12", "8 (5–11)", "4–13"],
            ],
        )
    ]
    # A district's pack shows that district and the force.
    ((_, _, rows),) = outlook_tables(forecasts, "Bath")
    assert [row[0] for row in rows] == ["All districts (force)", "Bath"]


def _pack(url: str, path, *extra: str) -> int:
    return main(
        [
            "pack",
            "--database-url",
            url,
            "--grain",
            "quarter",
            "--period",
            "2026/27 Q2",
            "--output",
            str(path),
            *extra,
        ]
    )


@pytest.fixture(scope="module")
def pdfs(demo_database, tmp_path_factory) -> tuple[pypdf.PdfReader, pypdf.PdfReader]:
    folder = tmp_path_factory.mktemp("packs")
    assert _pack(demo_database, folder / "plain.pdf") == 0
    assert _pack(demo_database, folder / "outlook.pdf", "--demand-outlook") == 0
    return pypdf.PdfReader(folder / "plain.pdf"), pypdf.PdfReader(folder / "outlook.pdf")


def test_the_demand_outlook_is_appended_to_the_pdf_and_leaves_the_pack_as_it_was(pdfs):
    plain, outlook = pdfs
    added = outlook.pages[len(plain.pages) :]
    assert added, "no pages were added"
    for before, after in zip(plain.pages, outlook.pages, strict=False):
        assert before.extract_text() == after.extract_text()
    text = "\n".join(page.extract_text() for page in added)
    assert "Demand outlook" in text
    for metric in COUNTS:
        assert metric.title in text
    # The demo runs to September 2026: the next four quarters, by financial year.
    for label in ("2026/27 Q3", "2026/27 Q4", "2027/28 Q1", "2027/28 Q2"):
        assert f"{label} (80%)" in text
    assert "Demand outlook" in [item.title for item in outlook.outline]


def test_the_demand_outlook_adds_one_slide_per_count_to_the_powerpoint(demo_database, tmp_path):
    assert _pack(demo_database, tmp_path / "plain.pptx") == 0
    assert _pack(demo_database, tmp_path / "outlook.pptx", "--demand-outlook") == 0
    plain = Presentation(tmp_path / "plain.pptx")
    outlook = Presentation(io.BytesIO((tmp_path / "outlook.pptx").read_bytes()))
    assert len(outlook.slides) == len(plain.slides) + len(COUNTS)
    tables = [
        shape.name
        for slide in list(outlook.slides)[len(plain.slides) :]
        for shape in slide.shapes
        if shape.has_table
    ]
    assert tables == [f"Demand outlook: {metric.title}" for metric in COUNTS]
