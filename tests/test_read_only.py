"""The source is opened read-only: a write through the project's own connection fails."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from queries import connect
from tests import fixture_rows

WRITES = [
    pytest.param(
        "INSERT INTO districts (district, population) VALUES ('Intruder', 1)", id="insert"
    ),
    pytest.param("UPDATE crimes SET district = 'Elsewhere'", id="update"),
    pytest.param("DELETE FROM victims", id="delete"),
    pytest.param("DROP TABLE allocations", id="drop"),
    pytest.param("CREATE TABLE intruder (x INTEGER)", id="create"),
]


def _attempt(url: str, statement: str) -> None:
    engine = connect(url)
    try:
        with (
            pytest.raises(sa.exc.DBAPIError, match=r"(?i)read.?only"),
            engine.begin() as connection,
        ):
            connection.execute(sa.text(statement))
    finally:
        engine.dispose()


@pytest.mark.parametrize("statement", WRITES)
def test_a_write_through_the_sqlite_connection_fails(sqlite_database, statement):
    _attempt(sqlite_database(fixture_rows.VALID), statement)


@pytest.mark.postgres
@pytest.mark.parametrize("statement", WRITES)
def test_a_write_through_the_postgresql_connection_fails(postgres_database, statement):
    _attempt(postgres_database(fixture_rows.VALID), statement)


@pytest.mark.mariadb
@pytest.mark.parametrize("statement", WRITES)
def test_a_write_through_the_mariadb_connection_fails(mariadb_database, statement):
    _attempt(mariadb_database(fixture_rows.VALID), statement)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_database_file_is_byte_identical_after_every_command(sqlite_database, tmp_path):
    url = sqlite_database(fixture_rows.ALL_ROWS)
    path = Path(url.removeprefix("sqlite:///"))
    before = _digest(path)
    siblings_before = sorted(p.name for p in path.parent.iterdir())
    for args in (
        ["compute", "--grain", "month", "--spc"],
        ["compute", "--grain", "quarter", "--format", "json"],
        ["validate"],
    ):
        result = subprocess.run(
            [sys.executable, "-m", "kpi", *args, "--database-url", url],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
    assert _digest(path) == before
    # No journal or WAL files left behind either.
    assert sorted(p.name for p in path.parent.iterdir()) == siblings_before
