"""The app database: commentary versions, conflicts, access and actions, on SQLite and PostgreSQL.

Expected values are written out by hand, and stored rows are read back with plain SQL, not
through the store that wrote them.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
import sqlalchemy as sa

from meeting import (
    MAX_TEXT,
    CommentaryKey,
    Conflict,
    Editor,
    NotAllowed,
    Refused,
    Store,
    Unavailable,
    check_key,
)
from metrics import REGISTRY

FORCE = Editor("chief@force.example", None)
BRISTOL = Editor("bristol.lead@force.example", frozenset({"Bristol"}))
METRIC = REGISTRY.ids[0]
KEY = CommentaryKey(METRIC, "quarter", "2024/25 Q1", "Bristol")
HOSTILE = "<script>alert(1)</script> **bold** [link](javascript:x) ünïcödé 🚓 ⚖️ 你好\nline two"


def ticking_clock():
    """A clock that moves one minute per reading, from 1 June 2025 09:00 UTC."""
    counter = itertools.count()
    start = dt.datetime(2025, 6, 1, 9, 0)
    return lambda: start + dt.timedelta(minutes=next(counter))


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'nested' / 'folder' / 'app.sqlite'}"
    return request.getfixturevalue("postgres_app_database")


@pytest.fixture
def store(url):
    opened = Store(url, clock=ticking_clock())
    yield opened
    opened.close()


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$")


def _typed(value: object) -> object:
    """SQLite hands dates and times back as text: parse them as PostgreSQL would give them."""
    if isinstance(value, str) and _DATE.match(value):
        return dt.date.fromisoformat(value)
    if isinstance(value, str) and _TIME.match(value):
        return dt.datetime.fromisoformat(value)
    return value


def rows(url: str, query: str) -> list[tuple]:
    """Rows read with plain SQL, not through the store."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            return [tuple(map(_typed, row)) for row in connection.execute(sa.text(query))]
    finally:
        engine.dispose()


def texts(what: str = "", why: str = "", doing: str = "") -> dict[str, str]:
    return {"what": what, "why": why, "doing": doing}


def test_opening_the_store_applies_the_migrations_and_creates_the_folder(url, store):
    assert rows(url, "SELECT version_num FROM alembic_version") == [("0001",)]
    assert rows(url, "SELECT count(*) FROM commentary") == [(0,)]
    assert rows(url, "SELECT count(*) FROM actions") == [(0,)]
    Store(url).close()  # a second upgrade is a no-op
    assert rows(url, "SELECT version_num FROM alembic_version") == [("0001",)]


def test_each_save_is_a_new_version_and_earlier_versions_stay(url, store):
    store.save_commentary(FORCE, KEY, texts("first"), based_on=0)
    store.save_commentary(BRISTOL, KEY, texts("second", "because"), based_on=1)
    store.save_commentary(FORCE, KEY, texts("third"), based_on=None)
    assert rows(
        url, "SELECT version, author, saved_at, what, why FROM commentary ORDER BY version"
    ) == [
        (1, "chief@force.example", dt.datetime(2025, 6, 1, 9, 0), "first", ""),
        (2, "bristol.lead@force.example", dt.datetime(2025, 6, 1, 9, 1), "second", "because"),
        (3, "chief@force.example", dt.datetime(2025, 6, 1, 9, 2), "third", ""),
    ]
    assert [v.version for v in store.versions(KEY)] == [3, 2, 1]
    assert store.latest(KEY).what == "third"


def test_saving_over_a_newer_version_is_refused_with_both_texts(url, store):
    store.save_commentary(FORCE, KEY, texts("base"), based_on=0)
    store.save_commentary(FORCE, KEY, texts("theirs first"), based_on=1)
    with pytest.raises(Conflict) as refused:
        store.save_commentary(BRISTOL, KEY, texts("mine second", "my reason"), based_on=1)
    assert refused.value.latest.what == "theirs first"
    assert refused.value.latest.version == 2
    assert refused.value.yours == texts("mine second", "my reason")
    assert rows(url, "SELECT count(*) FROM commentary") == [(2,)]


def test_a_first_edit_started_before_anyone_saved_is_refused_once_someone_has(store):
    store.save_commentary(FORCE, KEY, texts("first"), based_on=0)
    with pytest.raises(Conflict):
        store.save_commentary(FORCE, KEY, texts("also first"), based_on=0)


def test_text_is_stored_exactly_as_written(url, store):
    store.save_commentary(FORCE, KEY, texts(HOSTILE, "x" * MAX_TEXT, "  spaces  "), based_on=0)
    assert rows(url, "SELECT what, why, doing FROM commentary") == [
        (HOSTILE, "x" * MAX_TEXT, "  spaces  ")
    ]


@pytest.mark.parametrize(
    ("sections", "words"),
    [
        pytest.param(texts("x" * (MAX_TEXT + 1)), "10,001 characters", id="10,001 characters"),
        pytest.param(texts("a\x00b"), "NUL", id="NUL character"),
        pytest.param(texts("  ", "\n"), "empty", id="blank"),
    ],
)
def test_text_that_cannot_be_stored_is_refused_and_nothing_is_written(url, store, sections, words):
    with pytest.raises(Refused, match=words):
        store.save_commentary(FORCE, KEY, sections, based_on=0)
    assert rows(url, "SELECT count(*) FROM commentary") == [(0,)]


def test_a_district_editor_may_write_only_their_own_district(url, store):
    other = CommentaryKey(METRIC, "quarter", "2024/25 Q1", "Somerset East")
    force = CommentaryKey(METRIC, "quarter", "2024/25 Q1", "All")
    for key in (other, force):
        with pytest.raises(NotAllowed, match="may not write"):
            store.save_commentary(BRISTOL, key, texts("sneaky"), based_on=None)
    with pytest.raises(NotAllowed):
        store.add_action(BRISTOL, title="t", owner="o", due=dt.date(2025, 7, 1), district="Bath")
    store.save_commentary(FORCE, other, texts("allowed"), based_on=0)
    assert rows(url, "SELECT district, what FROM commentary") == [("Somerset East", "allowed")]


def test_a_district_editor_cannot_update_another_districts_action(url, store):
    action = store.add_action(
        FORCE, title="Review", owner="DI", due=dt.date(2025, 7, 1), district="Somerset East"
    )
    with pytest.raises(NotAllowed):
        store.update_action(BRISTOL, action.id, status="done")
    assert rows(url, "SELECT status FROM actions") == [("open",)]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        pytest.param(
            ("nope", "quarter", "2024/25 Q1", "All"), "unknown metric 'nope'", id="metric"
        ),
        pytest.param((METRIC, "week", "2024/25 Q1", "All"), "unknown grain 'week'", id="grain"),
        pytest.param(
            (METRIC, "quarter", "2024 Q5", "All"), "unknown period '2024 Q5'", id="period"
        ),
        pytest.param((METRIC, "quarter", "2024/25 Q1", "Atlantis"), "'Atlantis'", id="district"),
    ],
)
def test_an_unknown_metric_grain_period_or_district_is_refused_naming_it(args, words):
    with pytest.raises(Refused, match=words):
        check_key(*args, known_districts=["Bristol", "Bath"])


def test_a_period_label_is_stored_as_the_app_writes_it():
    assert check_key(METRIC, "month", " 2024-04 ", None).period_label == "2024-04"
    assert check_key(METRIC, "month", "2024-04", None).district == "All"


def test_listing_gives_the_latest_versions_or_all_of_them(store):
    other = CommentaryKey(METRIC, "quarter", "2024/25 Q2", "Bristol")
    store.save_commentary(FORCE, KEY, texts("a1"), based_on=None)
    store.save_commentary(FORCE, KEY, texts("a2"), based_on=None)
    store.save_commentary(FORCE, other, texts("b1"), based_on=None)
    assert [(c.key.period_label, c.what) for c in store.list_commentary()] == [
        ("2024/25 Q1", "a2"),
        ("2024/25 Q2", "b1"),
    ]
    assert [c.what for c in store.list_commentary(all_versions=True)] == ["a1", "a2", "b1"]
    assert [c.what for c in store.list_commentary(period_label="2024/25 Q2")] == ["b1"]


def test_actions_keep_every_state_in_their_history(url, store):
    action = store.add_action(
        FORCE,
        title="Audit contact within 24 hours",
        owner="DCI Example",
        due=dt.date(2025, 7, 1),
        metric_id=METRIC,
        district="Bristol",
        meeting=dt.date(2025, 6, 1),
    )
    store.update_action(BRISTOL, action.id, owner="DI Example")
    store.update_action(BRISTOL, action.id, status="done", due=dt.date(2025, 8, 1))
    assert rows(url, "SELECT title, owner, due, status, district, meeting FROM actions") == [
        (
            "Audit contact within 24 hours",
            "DI Example",
            dt.date(2025, 8, 1),
            "done",
            "Bristol",
            dt.date(2025, 6, 1),
        )
    ]
    assert rows(url, "SELECT changed_by, owner, due, status FROM action_history ORDER BY id") == [
        ("chief@force.example", "DCI Example", dt.date(2025, 7, 1), "open"),
        ("bristol.lead@force.example", "DI Example", dt.date(2025, 7, 1), "open"),
        ("bristol.lead@force.example", "DI Example", dt.date(2025, 8, 1), "done"),
    ]


def test_an_action_is_overdue_only_when_open_and_past_its_due_date(store):
    due = dt.date(2025, 7, 1)
    action = store.add_action(FORCE, title="t", owner="o", due=due)
    assert action.district == "All"
    assert not action.overdue(due)
    assert action.overdue(due + dt.timedelta(days=1))
    done = store.update_action(FORCE, action.id, status="done")
    assert not done.overdue(due + dt.timedelta(days=1))


@pytest.mark.parametrize(
    ("change", "words"),
    [
        pytest.param({"status": "finished"}, "unknown status 'finished'", id="status"),
        pytest.param({}, "nothing to change", id="nothing"),
    ],
)
def test_a_bad_action_update_is_refused(store, change, words):
    action = store.add_action(FORCE, title="t", owner="o", due=dt.date(2025, 7, 1))
    with pytest.raises(Refused, match=words):
        store.update_action(FORCE, action.id, **change)


def test_an_unknown_action_is_refused_naming_it(store):
    with pytest.raises(Refused, match="no action 404"):
        store.update_action(FORCE, 404, status="done")


def test_an_unreachable_app_database_is_one_line_without_the_password():
    with pytest.raises(Unavailable) as failed:
        Store("postgresql+psycopg://kpi:hunter2secret@127.0.0.1:9/app")
    assert "hunter2secret" not in str(failed.value)
    assert "cannot be reached" in str(failed.value)
    assert "\n" not in str(failed.value)
