"""Board packs print the meeting's record: the latest commentary, and the action log at the end."""

from __future__ import annotations

import datetime as dt
import io

import pypdf
import pytest
from pptx import Presentation

from kpi.cli import main
from meeting import CommentaryKey, Editor, Store
from metrics import REGISTRY
from tests import fixture_rows
from tests.conftest import write_sqlite

PERIOD = "2024/25 Q1"  # starts on 1 April 2024
CHIEF = Editor("chief@force.example", None)
WITH_NOTE, WITHOUT_NOTE = REGISTRY.ids[0], REGISTRY.ids[1]
HOSTILE = "<script>alert(1)</script> ünïcödé 🚓"
TODAY = dt.date.today()


@pytest.fixture
def source(tmp_path) -> str:
    return write_sqlite(tmp_path / "source.sqlite", fixture_rows.ALL_ROWS)


@pytest.fixture
def record(app_database) -> dict[str, int]:
    """Commentary on one KPI and actions of every kind; returns the actions' ids by name."""
    store = Store(app_database)
    store.save_commentary(
        CHIEF,
        CommentaryKey(WITH_NOTE, "quarter", PERIOD, "All"),
        {"what": "An older version", "why": "", "doing": ""},
        based_on=0,
    )
    store.save_commentary(
        CHIEF,
        CommentaryKey(WITH_NOTE, "quarter", PERIOD, "All"),
        {"what": HOSTILE, "why": "Fewer reports in spring", "doing": "Review with partners"},
        based_on=1,
    )
    store.save_commentary(
        CHIEF,
        CommentaryKey(WITH_NOTE, "quarter", PERIOD, "North"),
        {"what": "North only", "why": "", "doing": ""},
        based_on=0,
    )
    past, future = TODAY - dt.timedelta(days=3), TODAY + dt.timedelta(days=30)
    ids = {
        "overdue": store.add_action(CHIEF, title="Overdue audit", owner="DI A", due=past).id,
        "open": store.add_action(
            CHIEF, title="Open review", owner="DI B", due=future, district="North"
        ).id,
        "done": store.add_action(CHIEF, title="Done training", owner="DI C", due=past).id,
        "dropped": store.add_action(CHIEF, title="Dropped idea", owner="DI D", due=past).id,
        "south": store.add_action(
            CHIEF, title="South visit", owner="DI E", due=future, district="South"
        ).id,
    }
    store.update_action(CHIEF, ids["done"], status="done")
    store.update_action(CHIEF, ids["dropped"], status="dropped")
    store.close()
    # Done before the period began: not "done since the last period".
    early = Store(app_database, clock=lambda: dt.datetime(2024, 3, 1, 12, 0))
    ids["done_early"] = early.add_action(CHIEF, title="Done long ago", owner="DI F", due=past).id
    early.update_action(CHIEF, ids["done_early"], status="done")
    early.close()
    return ids


def pack(source: str, output, *extra: str) -> None:
    args = ["pack", "--database-url", source, "--grain", "quarter", "--period", PERIOD]
    assert main([*args, "--output", str(output), *extra]) == 0


def pdf_pages(path) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(path).pages]


def kpi_page(texts: list[str], metric_id: str) -> str:
    number = REGISTRY.ids.index(metric_id) + 1
    [page] = [t for t in texts if t.startswith(f"{number}. {REGISTRY.get(metric_id).title}\n")]
    return page


def test_a_force_pack_prints_the_latest_commentary_in_its_kpis_box(source, record, tmp_path):
    pack(source, tmp_path / "force.pdf")
    texts = pdf_pages(tmp_path / "force.pdf")
    page = kpi_page(texts, WITH_NOTE)
    # The emoji is not in the pack's font: it is printed as "?", not dropped.
    assert "<script>alert(1)</script> ünïcödé ?" in page
    assert "Fewer reports in spring" in page and "Review with partners" in page
    assert "Version 2, chief@force.example" in page
    assert "An older version" not in "".join(texts)
    assert "North only" not in "".join(texts)
    assert "Fewer reports" not in kpi_page(texts, WITHOUT_NOTE)


def test_a_pack_ends_with_the_action_log_for_its_districts(source, record, tmp_path):
    pack(source, tmp_path / "force.pdf")
    last = pdf_pages(tmp_path / "force.pdf")[-1]
    assert last.startswith("Action log\n")
    assert "printed as written" in last
    assert f"{record['overdue']}. Overdue audit (owner DI A" in last
    assert f"{record['open']}. Open review (owner DI B" in last
    assert f"{record['done']}. Done training" in last
    assert "Overdue (open, past the due date" in last and "Open: 2" in last
    assert "Done since 01 Apr 2024: 1" in last
    for absent in ("Dropped idea", "Done long ago"):
        assert absent not in last
    pack(source, tmp_path / "north.pdf", "--district", "North")
    north = pdf_pages(tmp_path / "north.pdf")
    assert "North only" in kpi_page(north, WITH_NOTE)
    assert "Open review" in north[-1]
    for other in ("Overdue audit", "South visit", "Done training"):
        assert other not in north[-1]


def test_commentary_too_long_for_its_box_is_printed_in_full_at_the_end(
    source, app_database, tmp_path
):
    store = Store(app_database)
    long_text = {name: f"{name} " + "word " * 1_900 + f"END-{name}" for name in ("what", "why")}
    store.save_commentary(
        CHIEF,
        CommentaryKey(WITH_NOTE, "quarter", PERIOD, "All"),
        {**long_text, "doing": ""},
        based_on=0,
    )
    store.close()
    pack(source, tmp_path / "long.pdf")
    texts = pdf_pages(tmp_path / "long.pdf")
    assert "printed in full" in kpi_page(texts, WITH_NOTE)
    rest = "".join(t for t in texts if "Commentary in full" in t or "word word" in t)
    assert "END-what" in rest and "END-why" in rest


def test_the_powerpoint_pack_prints_commentary_and_ends_with_the_action_log(
    source, record, tmp_path
):
    pack(source, tmp_path / "force.pptx")
    deck = Presentation(tmp_path / "force.pptx")
    number = REGISTRY.ids.index(WITH_NOTE)
    slide = deck.slides[2 + number]  # after the title and summary slides
    [box] = [s for s in slide.shapes if s.name == "Commentary"]
    assert HOSTILE in box.text_frame.text
    assert "Review with partners" in slide.notes_slide.notes_text_frame.text
    last = {s.name: s.text_frame.text for s in deck.slides[-1].shapes if s.has_text_frame}
    assert last["Title"].startswith("Action log")
    assert "Overdue audit" in last["Actions"] and "Dropped idea" not in last["Actions"]


def test_without_an_app_database_the_pack_keeps_its_blank_commentary_boxes(
    source, tmp_path, monkeypatch
):
    monkeypatch.delenv("KPI_APP_DATABASE_URL")
    monkeypatch.chdir(tmp_path)  # no data/app.sqlite here
    pack(source, tmp_path / "plain.pdf")
    texts = pdf_pages(tmp_path / "plain.pdf")
    assert not any(t.startswith("Action log") for t in texts)
    assert not (tmp_path / "data").exists()


def test_an_app_database_that_was_asked_for_but_cannot_be_reached_is_an_error(
    source, tmp_path, capsys
):
    url = "postgresql+psycopg://kpi:pw2secret@127.0.0.1:9/app"
    args = ["pack", "--database-url", source, "--grain", "quarter", "--period", PERIOD]
    status = main([*args, "--output", str(tmp_path / "x.pdf"), "--app-database-url", url])
    err = capsys.readouterr().err
    assert status == 1
    assert "cannot be reached" in err and "pw2secret" not in err
    assert not (tmp_path / "x.pdf").exists()
