"""Commentary and actions in the app, run headless with AppTest on a small demo database.

Stored rows are read back with ``sqlite3``; what the page shows is read from its elements.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import sqlite3

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import data
from dashboard.access import Access
from dashboard.meeting_panel import save_commentary
from meeting import Editor, NotAllowed, Store, check_key
from metrics import REGISTRY
from tests.test_dashboard import APP, PAGES, clean_path, downloads, latest_complete_quarter
from tests.test_dashboard_trust import signed_in_app

METRIC_PAGE = PAGES["metric"]
ACTIONS_PAGE = "views/actions.py"
HOSTILE = "<script>alert(1)</script> **not bold** [x](javascript:alert(1)) ünïcödé 🚓 你好"
FIRST_METRIC = REGISTRY.ids[0]


@pytest.fixture(scope="module", autouse=True)
def source_untouched(clean_path):
    """The source database is byte-identical after every test in this module."""
    before = hashlib.sha256(clean_path.read_bytes()).hexdigest()
    yield
    assert hashlib.sha256(clean_path.read_bytes()).hexdigest() == before


@pytest.fixture
def open_page(monkeypatch, clean_path):
    """Open a page of the app, open (no sign-in), with or without open edits."""

    def open_(page: str, *, edits: bool = True, params: dict | None = None) -> AppTest:
        monkeypatch.setenv(data.DATABASE_URL_ENV, f"sqlite:///{clean_path}")
        if edits:
            monkeypatch.setenv("KPI_ALLOW_OPEN_EDITS", "1")
        at = AppTest.from_file(str(APP), default_timeout=120)
        for key, value in (params or {}).items():
            at.query_params[key] = value
        at.run()
        at.switch_page(page).run()
        assert not at.exception, [e.message for e in at.exception]
        return at

    return open_


def stored(app_database: str, query: str) -> list[tuple]:
    with sqlite3.connect(app_database.removeprefix("sqlite:///")) as connection:
        return connection.execute(query).fetchall()


def write(at: AppTest, what: str, why: str = "", doing: str = "") -> AppTest:
    for area, text in zip(at.text_area, (what, why, doing), strict=True):
        area.set_value(text)
    return next(b for b in at.button if b.label == "Save commentary").click().run()


def shown_as_markdown(at: AppTest) -> list[str]:
    """Everything the page rendered as Markdown (where HTML or links could come alive)."""
    elements = [*at.markdown, *at.caption, *at.error, *at.warning, *at.success, *at.info]
    return [element.value for element in elements]


def test_without_sign_in_editing_is_off_unless_an_administrator_allows_it(open_page):
    at = open_page(METRIC_PAGE, edits=False)
    assert len(at.text_area) == 0
    assert any("Editing is off" in caption.value for caption in at.caption)


def test_commentary_saved_on_the_metric_page_is_stored_and_shown_as_text(
    open_page, app_database, clean_path
):
    at = open_page(METRIC_PAGE)
    at = write(at, HOSTILE, "why\nsecond line", "x" * 10_000)
    assert not at.exception
    period = latest_complete_quarter(clean_path)
    assert stored(app_database, "SELECT * FROM commentary") == [
        (
            1,
            FIRST_METRIC,
            "quarter",
            period,
            "All",
            1,
            "not signed in",
            stored(app_database, "SELECT saved_at FROM commentary")[0][0],
            HOSTILE,
            "why\nsecond line",
            "x" * 10_000,
        )
    ]
    texts = [element.value for element in at.text]
    assert HOSTILE in texts and "why\nsecond line" in texts
    assert not any("<script>" in value for value in shown_as_markdown(at))
    # A fresh session (a reload) shows it too.
    again = open_page(METRIC_PAGE)
    assert HOSTILE in [element.value for element in again.text]


def test_a_section_over_10000_characters_is_refused_with_a_message(open_page, app_database):
    at = write(open_page(METRIC_PAGE), "x" * 10_001)
    assert any("10,001 characters" in error.value for error in at.error)
    assert stored(app_database, "SELECT count(*) FROM commentary") == [(0,)]


def test_the_second_of_two_sessions_saving_the_same_version_is_refused_with_both_texts(
    open_page, app_database
):
    first = open_page(METRIC_PAGE)
    second = open_page(METRIC_PAGE)
    write(first, "saved first")
    second = write(second, "saved second")
    assert not second.exception
    assert any("Not saved" in error.value for error in second.error)
    texts = [element.value for element in second.text]
    assert "saved first" in texts and "saved second" in texts
    assert stored(app_database, "SELECT version, what FROM commentary") == [(1, "saved first")]
    # Starting again from the newest version, the second session's text is saved as version 2.
    next(b for b in second.button if b.label.startswith("Edit from version 1")).click().run()
    second = next(b for b in second.button if b.label == "Save commentary").click().run()
    assert stored(app_database, "SELECT version, what FROM commentary ORDER BY version") == [
        (1, "saved first"),
        (2, "saved second"),
    ]


def test_a_district_manager_writes_commentary_for_their_own_district(signed_in_app, app_database):
    at = signed_in_app("bristol.lead@force.example")
    at.switch_page(METRIC_PAGE).run()
    assert not at.exception
    write(at, "Bristol's view")
    assert stored(app_database, "SELECT district, author, what FROM commentary") == [
        ("Bristol", "bristol.lead@force.example", "Bristol's view")
    ]


@pytest.mark.parametrize("district", ["Somerset East", "All"])
def test_a_crafted_save_for_another_district_is_refused_on_the_server(
    app_database, clean_path, district
):
    bristol = Access("bristol.lead@force.example", frozenset({"Bristol"}), True)
    store = Store(app_database)
    key = check_key(FIRST_METRIC, "quarter", latest_complete_quarter(clean_path), district)
    with pytest.raises(NotAllowed):
        save_commentary(bristol, store, key, {"what": "not mine"}, based_on=0)
    store.close()
    assert stored(app_database, "SELECT count(*) FROM commentary") == [(0,)]


def test_a_hand_edited_url_does_not_let_a_district_manager_write_elsewhere(
    signed_in_app, app_database
):
    at = signed_in_app("bristol.lead@force.example", {"district": "Somerset East"})
    at.switch_page(METRIC_PAGE).run()
    write(at, "attempt")
    assert stored(app_database, "SELECT district FROM commentary") == [("Bristol",)]


def test_an_unreachable_app_database_leaves_the_figures_and_turns_editing_off(
    open_page, monkeypatch
):
    monkeypatch.setenv("KPI_APP_DATABASE_URL", "postgresql+psycopg://kpi:pw1secret@127.0.0.1:9/a")
    at = open_page(METRIC_PAGE)
    assert any(s.value.startswith("Trend by") for s in at.subheader)
    assert len(at.get("vega_lite_chart")) > 0
    assert any("app database cannot be reached" in w.value for w in at.warning)
    assert len(at.text_area) == 0
    everything = shown_as_markdown(at) + [t.value for t in at.text]
    assert not any("pw1secret" in value for value in everything)


def test_an_action_is_added_marked_done_and_the_log_and_downloads_follow(
    open_page, app_database, downloads
):
    at = open_page(ACTIONS_PAGE)
    at.text_area(key="action_title").set_value(HOSTILE)
    at.text_input(key="action_owner").set_value("DI Example")
    at.date_input(key="action_due").set_value(dt.date(2030, 1, 31))
    at.selectbox(key="action_place").set_value("Bristol")
    at.selectbox(key="action_metric").set_value(FIRST_METRIC)
    next(b for b in at.button if b.label == "Add action").click().run()
    assert not at.exception
    assert any("Added action 1" in s.value for s in at.success)
    at.selectbox(key="update_status").set_value("done")
    next(b for b in at.button if b.label == "Update action").click().run()
    assert stored(app_database, "SELECT id, title, owner, due, status, district FROM actions") == [
        (1, HOSTILE, "DI Example", "2030-01-31", "done", "Bristol")
    ]
    assert stored(app_database, "SELECT status FROM action_history ORDER BY id") == [
        ("open",),
        ("done",),
    ]
    log = at.dataframe[0].value
    assert log["status"].tolist() == ["done"] and log["title"].tolist() == [HOSTILE]
    [name] = [n for n in downloads if n.endswith(".csv") and n.startswith("actions")]
    rows = list(csv.DictReader(io.StringIO(downloads[name].decode("utf-8-sig"))))
    assert [(r["action_id"], r["title"], r["status"], r["district"]) for r in rows] == [
        ("1", HOSTILE, "done", "Bristol")
    ]


def test_a_district_manager_adds_actions_only_for_their_districts(signed_in_app):
    at = signed_in_app("bristol.lead@force.example")
    at.switch_page(ACTIONS_PAGE).run()
    assert not at.exception
    assert list(at.selectbox(key="action_place").options) == ["Bristol"]


def test_the_overview_shows_overdue_open_actions_for_the_districts_in_view(open_page, app_database):
    store = Store(app_database)
    chief = Editor("chief", None)
    yesterday = dt.date.today() - dt.timedelta(days=1)
    late = store.add_action(chief, title="Late one", owner="A", due=yesterday, district="Bristol")
    store.add_action(chief, title="Not yet due", owner="B", due=dt.date.today(), district="Bristol")
    done = store.add_action(chief, title="Done late", owner="C", due=yesterday, district="Bath")
    store.update_action(chief, done.id, status="done")
    store.add_action(chief, title="Bath late", owner="D", due=yesterday, district="Somerset East")
    store.close()
    force = open_page("views/overview.py")
    assert any("2 overdue actions" in w.value for w in force.warning)
    assert force.dataframe[0].value["title"].tolist() == [
        "Late one",
        "Bath late",
    ]
    bristol = open_page("views/overview.py", params={"district": "Bristol"})
    assert any("1 overdue action" in w.value for w in bristol.warning)
    assert bristol.dataframe[0].value["action_id"].tolist() == [late.id]
