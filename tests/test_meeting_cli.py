"""``kpi notes``, ``kpi actions`` and ``kpi app-db``: exact headers, hostile text, short errors."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kpi.cli import main
from metrics import REGISTRY
from tests import fixture_rows

METRIC = REGISTRY.ids[0]
HOSTILE = '<script>alert(1)</script>, "quoted", ünïcödé 🚓 你好\nsecond line'
NOTES_HEADER = "metric_id,grain,period_label,district,version,author,saved_at,what,why,doing"
ACTIONS_HEADER = "action_id,title,owner,due,status,metric_id,district,meeting,created_at,updated_at"


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def sql(url: str, query: str) -> list[tuple]:
    with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
        return connection.execute(query).fetchall()


def note(*extra: str) -> list[str]:
    return [
        "notes", "add", "--metric", METRIC, "--grain", "quarter", "--period", "2024/25 Q1",
        "--author", "Analyst", *extra,
    ]  # fmt: skip


def test_notes_add_stores_hostile_text_exactly_and_list_gives_it_back(capsys, app_database):
    status, _, err = run(
        capsys, *note("--district", "North", "--what", HOSTILE, "--why", "x" * 10_000)
    )
    assert status == 0, err
    assert sql(
        app_database, "SELECT district, version, author, what, why, doing FROM commentary"
    ) == [("North", 1, "Analyst", HOSTILE, "x" * 10_000, "")]
    status, out, _ = run(capsys, "notes", "list", "--format", "csv")
    assert out.splitlines()[0] == NOTES_HEADER
    listed = list(csv.DictReader(io.StringIO(out)))
    assert len(listed) == 1
    assert listed[0]["what"] == HOSTILE
    assert listed[0]["district"] == "North"
    assert listed[0]["period_label"] == "2024/25 Q1"
    assert listed[0]["saved_at"].endswith("Z")


def test_notes_add_always_appends_and_list_can_show_every_version(capsys, app_database):
    for text in ("first", "second"):
        assert run(capsys, *note("--what", text))[0] == 0
    _, latest, _ = run(capsys, "notes", "list")
    _, every, _ = run(capsys, "notes", "list", "--all-versions", "--district", "All")
    assert [
        (r["version"], r["what"], r["district"]) for r in csv.DictReader(io.StringIO(latest))
    ] == [("2", "second", "All")]
    assert [r["what"] for r in csv.DictReader(io.StringIO(every))] == ["first", "second"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        pytest.param(["--what", "x" * 10_001], "10,001 characters; the limit is 10,000", id="long"),
        pytest.param(
            ["--period", "2024/25 Q7", "--what", "x"], "unknown period '2024/25 Q7'", id="period"
        ),
    ],
)
def test_notes_add_refuses_bad_input_in_one_line_and_stores_nothing(
    capsys, app_database, args, words
):
    status, _, err = run(capsys, *note(*args))
    assert status == 2
    assert words in err and err.count("\n") == 1 and "Traceback" not in err
    stored = Path(app_database.removeprefix("sqlite:///"))
    assert not stored.exists() or sql(app_database, "SELECT count(*) FROM commentary") == [(0,)]


def test_an_unknown_metric_is_refused_naming_it(capsys):
    status, _, err = run(
        capsys, "notes", "add", "--metric", "<b>nope</b>", "--grain", "month", "--period",
        "2024-04", "--author", "A", "--what", "x",
    )  # fmt: skip
    assert status == 2
    assert "unknown metric '<b>nope</b>'" in err


def test_a_district_is_checked_against_the_source_when_one_is_given(
    capsys, app_database, sqlite_database
):
    source = sqlite_database(fixture_rows.VALID)
    path = Path(source.removeprefix("sqlite:///"))
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    status, _, err = run(
        capsys, *note("--district", "Atlantis", "--database-url", source, "--what", "x")
    )
    assert status == 2
    # The source's districts: the districts table and any other name its crimes carry.
    names = {row["district"] for row in fixture_rows.VALID["districts"]}
    names |= {row["district"] for row in fixture_rows.VALID["crimes"]}
    assert f"unknown district 'Atlantis'; choose from: All, {', '.join(sorted(names))}\n" in err
    assert (
        run(capsys, *note("--district", "South", "--database-url", source, "--what", "x"))[0] == 0
    )
    assert sql(app_database, "SELECT district FROM commentary") == [("South",)]
    # The source is only read: the same bytes, and no journal beside it.
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in path.parent.iterdir() if p.name.startswith("source")) == [
        "source.sqlite"
    ]


def test_without_a_source_any_plausible_district_is_accepted(capsys, app_database):
    assert run(capsys, *note("--district", "Not Checked", "--what", "x"))[0] == 0
    assert sql(app_database, "SELECT district FROM commentary") == [("Not Checked",)]


def test_actions_add_prints_the_id_and_update_and_list_keep_the_log(capsys, app_database):
    status, out, err = run(
        capsys, "actions", "add", "--title", HOSTILE, "--owner", "DI Example", "--due",
        "2025-07-01", "--metric", METRIC, "--district", "North", "--meeting", "2025-06-01",
    )  # fmt: skip
    assert status == 0, err
    assert out == "1\n"
    assert (
        run(
            capsys,
            "actions",
            "add",
            "--title",
            "Force-wide",
            "--owner",
            "DCI",
            "--due",
            "2025-08-01",
        )[1]
        == "2\n"
    )
    assert (
        run(capsys, "actions", "update", "1", "--status", "done", "--owner", "DS Example")[0] == 0
    )
    status, out, _ = run(capsys, "actions", "list", "--format", "csv")
    assert out.splitlines()[0] == ACTIONS_HEADER
    listed = list(csv.DictReader(io.StringIO(out)))
    assert [
        (
            r["action_id"],
            r["title"],
            r["owner"],
            r["due"],
            r["status"],
            r["metric_id"],
            r["district"],
            r["meeting"],
        )
        for r in listed
    ] == [
        ("1", HOSTILE, "DS Example", "2025-07-01", "done", METRIC, "North", "2025-06-01"),
        ("2", "Force-wide", "DCI", "2025-08-01", "open", "", "All", ""),
    ]
    assert sql(app_database, "SELECT action_id, owner, status FROM action_history ORDER BY id") == [
        (1, "DI Example", "open"),
        (2, "DCI", "open"),
        (1, "DS Example", "done"),
    ]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        pytest.param(
            ["actions", "add", "--title", "t", "--owner", "o", "--due", "July"],
            "not a date like",
            id="due",
        ),
        pytest.param(
            ["actions", "update", "9", "--status", "done"], "no action 9", id="unknown id"
        ),
        pytest.param(
            ["actions", "update", "1", "--status", "finished"], "invalid choice", id="status"
        ),
    ],
)
def test_bad_action_input_is_one_line(capsys, args, words):
    status, _, err = run(capsys, *args)
    assert status == 2
    assert words in err and err.count("\n") == 1


def test_app_db_upgrade_creates_data_app_sqlite_in_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("KPI_APP_DATABASE_URL")
    monkeypatch.chdir(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "KPI_APP_DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-m", "kpi", "app-db", "upgrade"],
        capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    created = tmp_path / "data" / "app.sqlite"
    assert sql(f"sqlite:///{created}", "SELECT version_num FROM alembic_version") == [("0001",)]


def test_an_unreachable_app_database_is_one_line_without_the_password(capsys):
    status, _, err = run(
        capsys, "notes", "list", "--app-database-url",
        "postgresql+psycopg://kpi:hunter2secret@127.0.0.1:9/app",
    )  # fmt: skip
    assert status == 1
    assert "cannot be reached" in err and "hunter2secret" not in err
    assert err.count("\n") == 1
