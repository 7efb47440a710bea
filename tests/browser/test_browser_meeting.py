"""The meeting's record in a real browser: commentary saved and reloaded, two editors at once,
and an action added and marked done. Marked ``browser``, like the other browser tests."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from metrics import REGISTRY
from tests.browser.processes import free_port, running, streamlit_app
from tests.browser.test_browser import REPO, browser, database, page, wait_until_ready

pytestmark = pytest.mark.browser

HOSTILE = "<script>alert(1)</script> ünïcödé 🚓"


@pytest.fixture(scope="module", autouse=True)
def source_untouched(database):
    """The source is byte-identical after every edit these tests make through the app."""
    before = hashlib.sha256(database.read_bytes()).hexdigest()
    yield
    assert hashlib.sha256(database.read_bytes()).hexdigest() == before


@pytest.fixture(scope="module")
def browser_app_database(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("browser_app") / "app.sqlite"


@pytest.fixture(scope="module")
def server(database, browser_app_database, tmp_path_factory) -> Iterator[str]:
    """``streamlit run`` with open edits allowed and an app database of this module's own."""
    log = tmp_path_factory.mktemp("browser_meeting") / "streamlit.log"
    env = {
        **os.environ,
        "KPI_DATABASE_URL": f"sqlite:///{database}",
        "KPI_APP_DATABASE_URL": f"sqlite:///{browser_app_database}",
        "KPI_ALLOW_OPEN_EDITS": "1",
    }
    with streamlit_app(env, log) as base:
        yield base


def stored(path: Path, query: str) -> list[tuple]:
    with sqlite3.connect(path) as connection:
        return connection.execute(query).fetchall()


def open_metric(tab, server: str, metric_id: str) -> None:
    tab.goto(f"{server}/metric?metric={metric_id}")
    wait_until_ready(tab, REGISTRY.get(metric_id).title)


def save(tab, what: str) -> None:
    tab.get_by_label("What the chart tells us").fill(what)
    tab.get_by_role("button", name="Save commentary").click()


def test_commentary_saved_on_the_metric_page_is_there_after_a_reload(
    page, server, browser_app_database
):
    alerts = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    metric_id = REGISTRY.ids[0]
    open_metric(page, server, metric_id)
    save(page, HOSTILE)
    page.get_by_text("Saved as version 1.").wait_for()
    page.reload()
    open_metric(page, server, metric_id)
    page.get_by_text(HOSTILE, exact=True).first.wait_for()
    assert HOSTILE in page.evaluate("document.body.innerText")
    assert alerts == []  # the script was shown, never run
    assert stored(
        browser_app_database,
        "SELECT version, what FROM commentary WHERE metric_id = " + repr(metric_id),
    ) == [(1, HOSTILE)]


def test_two_sessions_editing_at_once_the_second_save_is_refused_with_both_texts(
    browser, server, browser_app_database
):
    metric_id = REGISTRY.ids[1]
    tabs = []
    for _ in range(2):
        context = browser.new_context(viewport={"width": 1600, "height": 1400})
        tab = context.new_page()
        tab.set_default_timeout(90_000)
        open_metric(tab, server, metric_id)
        tabs.append(tab)
    first, second = tabs
    save(first, "First editor's text")
    first.get_by_text("Saved as version 1.").wait_for()
    save(second, "Second editor's text")
    second.get_by_text("Not saved.", exact=False).wait_for()
    text = second.evaluate("document.body.innerText")
    assert "First editor's text" in text and "Second editor's text" in text
    assert stored(
        browser_app_database, "SELECT what FROM commentary WHERE metric_id = " + repr(metric_id)
    ) == [("First editor's text",)]
    for tab in tabs:
        tab.context.close()


def test_an_action_added_and_marked_done_updates_the_log(page, server, browser_app_database):
    page.goto(f"{server}/actions")
    wait_until_ready(page, "Actions")
    page.get_by_label("What will be done").fill("Audit victim contact times")
    page.get_by_role("textbox", name="Owner", exact=True).fill("DI Example")
    page.get_by_role("button", name="Add action").click()
    page.get_by_text("Added action 1.").wait_for()
    wait_until_ready(page, "Actions")
    page.get_by_text("1 action shown, 0 overdue", exact=False).wait_for()
    page.get_by_role("combobox", name="New status").click()
    page.get_by_role("option", name="done", exact=True).click()
    page.get_by_role("button", name="Update action").click()
    page.get_by_text("Action 1 is now done.").wait_for()
    wait_until_ready(page, "Actions")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert [(r["action_id"], r["title"], r["owner"], r["status"]) for r in rows] == [
        ("1", "Audit victim contact times", "DI Example", "done")
    ]
    assert stored(browser_app_database, "SELECT status FROM action_history ORDER BY id") == [
        ("open",),
        ("done",),
    ]
