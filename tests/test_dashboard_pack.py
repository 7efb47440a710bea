"""The board pack from the app: built on request for the view, read back as a reader gets it.

The packs are read with pypdf and python-pptx and compared with what the same AppTest run shows
on screen, and with small counts suppressed by hand (1 to 7 as *, 8 or more to the nearest 5).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pypdf
import pytest
from pptx import Presentation
from streamlit.testing.v1 import AppTest

import dashboard.pack_download
from metrics import REGISTRY
from packs import PackError
from tests.test_dashboard import APP, Downloads, no_exception
from tests.test_dashboard import downloads as downloads  # a fixture
from tests.test_dashboard_spc import (
    LAST_QUARTER,
    NORTH,
    SOUTH,
    build_signals,
    card_icons,
    signals_cards,
)

PDF_NAME = "board-pack_2026-27-Q2_{}.pdf"
PPTX_NAME = "board-pack_2026-27-Q2_{}.pptx"


@pytest.fixture(scope="module")
def signals_path(tmp_path_factory) -> Path:
    return build_signals(tmp_path_factory.mktemp("pack") / "signals.sqlite")


@pytest.fixture
def overview(monkeypatch, signals_path):
    """The overview of a district of the hand-made database, in AppTest."""

    def open_(district: str) -> AppTest:
        monkeypatch.setenv("KPI_DATABASE_URL", f"sqlite:///{signals_path}")
        at = AppTest.from_file(str(APP), default_timeout=180)
        at.query_params["district"] = district
        return at.run()

    return open_


def prepare(at: AppTest, fmt: str = "PDF", suppress: bool | None = None) -> AppTest:
    """Choose the format (and suppression), then press "Prepare pack"."""
    place = at.query_params.get("district") or "force"
    at.radio(key="pack_format").set_value(fmt)
    if suppress is not None:
        at.checkbox(key=f"pack_suppress_{place}").set_value(suppress)
    at.button(key="pack_prepare").click().run()
    no_exception(at)
    return at


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def slides(data: bytes) -> list[dict[str, str]]:
    """Each slide's text boxes by shape name."""
    deck = Presentation(io.BytesIO(data))
    return [
        {shape.name: shape.text_frame.text for shape in slide.shapes if shape.has_text_frame}
        for slide in deck.slides
    ]


def kpi_page(pages: list[str], number: int, title: str) -> str:
    """The PDF page of the KPI numbered ``number`` (its place in the catalogue)."""
    [page] = [p for p in pages if p.startswith(f"{number}. {title}\n")]
    return page


def on_screen(at: AppTest) -> dict[str, str]:
    """Every card's value as the overview shows it, by KPI title."""
    return {metric.label: metric.value for metric in at.metric}


def download_labels(at: AppTest) -> list[str]:
    return [element.proto.label for element in at.get("download_button")]


def suppressed(count: int) -> str:
    """The published figure by the stated rule: 1 to 7 hidden, else to the nearest 5."""
    if 1 <= count <= 7:
        return "*"
    return str((count + 2) // 5 * 5)


def test_the_pdf_pack_holds_every_figure_the_overview_shows(overview, downloads: Downloads):
    at = prepare(overview("North"), "PDF", suppress=False)
    pages = pdf_pages(downloads[PDF_NAME.format("North")])
    assert "North" in pages[0] and LAST_QUARTER in pages[0]
    shown = on_screen(at)
    assert len(shown) == len(signals_cards("North"))
    for number, (title, value) in enumerate(shown.items(), start=1):
        page = kpi_page(pages, number, title)
        assert f"This period ({LAST_QUARTER})\n{value}\n" in page, title
    stalking = kpi_page(pages, 1, "Stalking crimes recorded")
    assert f"This period ({LAST_QUARTER})\n{NORTH[-1]}\n" in stalking


def test_the_powerpoint_pack_holds_every_figure_the_overview_shows(overview, downloads):
    at = prepare(overview("North"), "PowerPoint", suppress=False)
    deck = slides(downloads[PPTX_NAME.format("North")])
    icons = card_icons(at)
    for number, (title, value) in enumerate(on_screen(at).items(), start=1):
        [slide] = [s for s in deck if s.get("Title", "").startswith(f"{number}. {title}\n")]
        assert slide["Key figures"].splitlines()[1] == value, title
        if value != "–":  # the SPC icons read alike on the slide and on the card
            labels = re.findall(
                r'aria-label="([^"]+)"', icons[signals_cards("North")[number - 1].id]
            )
            assert [slide["Variation"], slide["Assurance"]] == labels, title


def test_small_count_suppression_starts_ticked_for_a_district_and_unticked_for_the_force(
    overview,
):
    assert overview("North").checkbox(key="pack_suppress_North").value is True
    assert overview("All districts (force)").checkbox(key="pack_suppress_force").value is False


@pytest.mark.parametrize(
    ("district", "count"),
    [
        pytest.param("North", NORTH[-1], id="North: 16 is rounded to 15"),
        pytest.param("South", SOUTH[-1], id="South: 3 is hidden"),
    ],
)
def test_ticking_suppression_changes_the_pack_as_its_cover_states(
    overview, downloads, district, count
):
    at = prepare(overview(district), "PDF", suppress=False)
    exact = pdf_pages(downloads[PDF_NAME.format(district)])
    prepare(at, "PDF", suppress=True)
    hidden = pdf_pages(downloads[PDF_NAME.format(district)])

    def stalking(pages: list[str]) -> str:
        return kpi_page(pages, 1, "Stalking crimes recorded")

    assert f"This period ({LAST_QUARTER})\n{count}\n" in stalking(exact)
    assert f"This period ({LAST_QUARTER})\n{suppressed(count)}\n" in stalking(hidden)
    assert "is shown as *" not in exact[0].replace("\n", " ")
    assert "a count from 1 to 7 is shown as *" in hidden[0].replace("\n", " ")


def test_a_pack_is_built_once_for_the_same_options_and_offered_again(overview, monkeypatch):
    built = []
    real = dashboard.pack_download.build_pack

    def counting(*args, **options):
        built.append(options["fmt"])
        return real(*args, **options)

    monkeypatch.setattr(dashboard.pack_download, "build_pack", counting)
    at = overview("North")
    assert download_labels(at) == ["Download CSV", "Download Excel"]  # nothing built yet
    prepare(at, "PDF")
    at.run()
    at.run()
    assert built == ["pdf"]
    assert download_labels(at)[0].startswith("Download PDF (")
    at.radio(key="pack_format").set_value("PowerPoint").run()
    assert not any(label.startswith("Download PowerPoint") for label in download_labels(at))
    at.radio(key="pack_format").set_value("PDF").run()
    assert download_labels(at)[0].startswith("Download PDF (")
    assert built == ["pdf"]


def test_a_pack_that_cannot_be_built_is_one_line_on_the_page(overview, monkeypatch):
    def failing(*args, **options):
        raise PackError("unknown period '2099/00 Q1' at grain quarter; choose from: 2024/25 Q1")

    monkeypatch.setattr(dashboard.pack_download, "build_pack", failing)
    at = prepare(overview("North"))
    [error] = at.error
    assert error.value == (
        "The board pack cannot be built: unknown period '2099/00 Q1' at grain quarter; "
        "choose from: 2024/25 Q1"
    )
    assert "\n" not in error.value
    assert download_labels(at) == ["Download CSV", "Download Excel"]
