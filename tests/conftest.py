"""Shared fixtures: source databases built from hand-written rows on SQLite, PostgreSQL, MariaDB."""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from queries.contract import TABLES, sqlalchemy_metadata
from tests import fixture_rows

POSTGRES_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
MARIADB_SERVER = "mysql+pymysql://root@127.0.0.1:3306/test"


def _sqlite_value(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, bool):
        return int(value)
    return value


# The tables of contract v1: every fixture source has them; the v1.1 tables only when given rows.
V1_TABLES = ("districts", "crimes", "allocations", "victims", "protective_orders")


def source_tables(rows: dict[str, list[dict]]) -> list:
    """The declared tables a fixture source holds: the v1 ones and any others given rows."""
    return [table for table in TABLES if table.name in V1_TABLES or table.name in rows]


def absent_columns(rows: dict[str, list[dict]]) -> dict[str, list[str]]:
    """Declared columns no given row has: a fixture source holds only the columns its rows use
    (so the v1 fixture has no v1.1 columns, and their KPIs are not collected)."""
    absent = {}
    for table in TABLES:
        given = rows.get(table.name) or []
        if given:
            used = {key for row in given for key in row}
            absent[table.name] = [name for name in table.column_names if name not in used]
    return absent


def collected_metrics(rows: dict[str, list[dict]], district: str = "All") -> list:
    """The registry's metrics a fixture source with these rows can give (for a district: not
    the force-only ones), worked out from each metric's inputs and the rows' tables and keys."""
    from metrics import REGISTRY

    absent = absent_columns(rows)
    present = {
        f"{table.name}.{name}"
        for table in source_tables(rows)
        for name in table.column_names
        if name not in absent.get(table.name, [])
    }
    return [
        metric
        for metric in REGISTRY
        if set(metric.inputs) <= present and (district == "All" or not metric.force_only)
    ]


def write_sqlite(
    path: Path,
    rows: dict[str, list[dict]],
    omit: tuple[str, ...] = (),
    without: dict[str, list[str]] | None = None,
) -> str:
    """A SQLite source holding exactly these rows (timestamps as ISO text); returns its URL.

    ``omit`` leaves tables out of the source, ``without`` leaves columns out of tables.
    """
    engine = sa.create_engine(f"sqlite:///{path}")
    tables = [table for table in source_tables(rows) if table.name not in omit]
    without = {**absent_columns(rows), **(without or {})}
    sqlalchemy_metadata([table.name for table in tables], without).create_all(engine)
    engine.dispose()
    with sqlite3.connect(path) as connection:
        for table in tables:
            names = [n for n in table.column_names if n not in (without or {}).get(table.name, ())]
            connection.executemany(
                f"INSERT INTO {table.name} ({', '.join(names)}) "
                f"VALUES ({', '.join('?' for _ in names)})",
                [
                    [_sqlite_value(row.get(name)) for name in names]
                    for row in rows.get(table.name, [])
                ],
            )
    connection.close()
    return f"sqlite:///{path}"


def write_engine(engine: sa.Engine, rows: dict[str, list[dict]]) -> None:
    """Create the contract tables on a server database and insert these rows."""
    tables = source_tables(rows)
    absent = absent_columns(rows)
    metadata = sqlalchemy_metadata([table.name for table in tables], absent)
    metadata.drop_all(engine)
    metadata.create_all(engine)
    with engine.begin() as connection:
        for table in tables:
            table_rows = rows.get(table.name, [])
            if table_rows:
                connection.execute(
                    metadata.tables[table.name].insert(),
                    [
                        {c.name: row.get(c.name) for c in metadata.tables[table.name].c}
                        for row in table_rows
                    ],
                )


def _server_or_skip(url: str, name: str) -> sa.Engine:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect():
            pass
    except sa.exc.OperationalError as error:
        pytest.skip(f"{name} is not running at {url}: {str(error.orig).splitlines()[0]}")
    return engine


@pytest.fixture
def sqlite_database(tmp_path: Path):
    """A factory: SQLite source URL from rows."""

    def build(rows: dict[str, list[dict]], name: str = "source.sqlite") -> str:
        return write_sqlite(tmp_path / name, rows)

    return build


@pytest.fixture
def postgres_database() -> Iterator:
    """A factory: a fresh PostgreSQL schema holding the rows; its URL selects that schema."""
    server = _server_or_skip(POSTGRES_SERVER, "PostgreSQL")
    schemas = []

    def build(rows: dict[str, list[dict]]) -> str:
        schema = f"kpi_test_{uuid.uuid4().hex[:12]}"
        schemas.append(schema)
        with server.begin() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        write_engine(
            sa.create_engine(
                POSTGRES_SERVER,
                connect_args={"options": f"-csearch_path={schema}"},
                poolclass=sa.pool.NullPool,
            ),
            rows,
        )
        return f"{POSTGRES_SERVER}?options=-csearch_path%3D{schema}"

    yield build
    with server.begin() as connection:
        for schema in schemas:
            connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    server.dispose()


@pytest.fixture
def mariadb_database() -> Iterator:
    """A factory: a fresh MariaDB database holding the rows; returns its URL."""
    server = _server_or_skip(MARIADB_SERVER, "MariaDB")
    databases = []

    def build(rows: dict[str, list[dict]]) -> str:
        database = f"kpi_test_{uuid.uuid4().hex[:12]}"
        databases.append(database)
        with server.begin() as connection:
            connection.execute(sa.text(f"CREATE DATABASE `{database}`"))
        url = MARIADB_SERVER.rsplit("/", 1)[0] + f"/{database}"
        write_engine(sa.create_engine(url, poolclass=sa.pool.NullPool), rows)
        return url

    yield build
    with server.begin() as connection:
        for database in databases:
            connection.execute(sa.text(f"DROP DATABASE IF EXISTS `{database}`"))
    server.dispose()


@pytest.fixture
def fixture_source(sqlite_database) -> str:
    """The hand-built fixture, valid and invalid rows, in SQLite."""
    return sqlite_database(fixture_rows.ALL_ROWS)


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory) -> str:
    """A small synthetic demo database (the generator's own defaults, fewer crimes)."""
    from demo.demo_data import generate_demo

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    generate_demo(path, crimes=20_000, seed=7)
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def demo_kpis(demo_database):
    """Monthly KPIs of the demo database."""
    from metrics import Grain, compute_kpis, prepare_facts
    from queries import load_source

    return compute_kpis(prepare_facts(load_source(demo_database)), Grain.MONTH)


def pytest_configure(config) -> None:
    """Keep the app's dataset cache inside this test session, never in the checkout."""
    import os
    import tempfile

    os.environ["KPI_CACHE_DIR"] = tempfile.mkdtemp(prefix="kpi-cache-")


@pytest.fixture(autouse=True)
def app_database(tmp_path, monkeypatch) -> str:
    """Every test's own app database (commentary, actions), never data/app.sqlite in the repo."""
    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    monkeypatch.setenv("KPI_APP_DATABASE_URL", url)
    monkeypatch.delenv("KPI_ALLOW_OPEN_EDITS", raising=False)
    return url


@pytest.fixture
def postgres_app_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL schema for an app database; its URL selects that schema."""
    server = _server_or_skip(POSTGRES_SERVER, "PostgreSQL")
    schema = f"kpi_app_{uuid.uuid4().hex[:12]}"
    with server.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    yield f"{POSTGRES_SERVER}?options=-csearch_path%3D{schema}"
    with server.begin() as connection:
        connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    server.dispose()
