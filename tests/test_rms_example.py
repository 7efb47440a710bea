"""The RMS worked example (examples/rms): its export, read through its query files, is the
contract's rows again, value for value, invalid rows included, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import inspect
import sqlite3
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from polars.testing import assert_frame_equal

from examples.rms import QUERIES_DIR
from examples.rms.build import MAPPED_TABLES, build_rms
from queries.contract import TABLES
from tests import fixture_rows
from tests.conftest import POSTGRES_SERVER, _server_or_skip, postgres_database, write_sqlite

COLUMNS = {name: TABLES[name].column_names for name in MAPPED_TABLES}


def review(review_id, crime_id, reviewed_at, question, answer, theme="risk_assessment"):
    return {
        "review_id": review_id,
        "crime_id": crime_id,
        "reviewed_at": reviewed_at,
        "theme": theme,
        "question": question,
        "answer": answer,
    }


def answer(response_id, crime_id, responded_at, question, score):
    return {
        "response_id": response_id,
        "crime_id": crime_id,
        "responded_at": responded_at,
        "question": question,
        "score": score,
    }


T = dt.datetime
# Contract v1.1 rows, valid and invalid, for the tables the RMS holds (case reviews and the
# victim survey) and for those other systems give in the contract's shape.
V11_ROWS = {
    "case_reviews": [
        review("R1", "C01", T(2024, 3, 1), "sdash_completed", "yes"),
        review("R1", "C01", T(2024, 3, 1), "cid_if_high_risk", "n/a"),
        review("R1", "C01", T(2024, 3, 1), "spo_considered", "no"),
        review("R2", "C04", T(2024, 4, 10), "sdash_completed", "no", theme="safety_planning"),
        review("R3", "C03", T(2024, 4, 20), "spo_considered", "maybe"),  # not an answer
        review("R4", "C02", T(2024, 5, 1), "impact_evidenced", "yes"),  # duplicated question
        review("R4", "C02", T(2024, 5, 1), "impact_evidenced", "no"),
        review("R5", "C99", T(2024, 5, 1), "sdash_completed", "yes"),  # unknown crime
        review("R6", "C12", T(2024, 5, 3), "sdash_completed", "yes"),  # its crime is invalid
        review("R7", "C05", T(2024, 5, 9), "sdash_completed", "yes"),  # before the report
        review("R8", "C06", T(2024, 6, 1), None, "yes"),  # no question
        review("R9", "C06", T(2024, 6, 1), "sdash_completed", "Yes"),  # not an answer
        review("R1", "C05", T(2024, 6, 2), "sdash_completed", "yes"),  # same id, other crime
    ],
    "victim_survey": [
        answer("Q1", "C01", T(2024, 2, 1, 12), "overall_satisfaction", 4),
        answer("Q1", "C01", T(2024, 2, 1, 12), "kept_informed", 5),
        answer("Q2", None, T(2024, 4, 1, 12), "treated_fairly", 3),  # linked to no crime
        answer("Q3", "C77", T(2024, 4, 2), "overall_satisfaction", 2),  # unknown crime
        answer("Q4", "C04", T(2024, 4, 3), "overall_satisfaction", 6),  # score out of range
        answer("Q5", "C04", T(2024, 4, 3), "kept_informed", 0),
        answer("Q6", "C11", T(2024, 5, 1), "treated_fairly", 1),  # duplicated question
        answer("Q6", "C11", T(2024, 5, 1), "treated_fairly", 2),
        answer("Q7", "C11", None, "treated_fairly", 2),  # no date
        answer("Q8", "C11", T(2024, 5, 1), "recommend", 5),  # a question the KPIs ignore
    ],
    "workforce": [
        {"department": "Patrol", "headcount": 400},
        {"department": "Offender management", "headcount": 0},  # at least 1
    ],
    "training_records": [
        {
            "staff_ref": "S001",
            "department": "Patrol",
            "course": "stalking_elearning",
            "completed_at": T(2024, 5, 1, 9),
        },
        {"staff_ref": "S002", "department": None, "course": "spo_training", "completed_at": None},
    ],
    "crime_data_audits": [
        {
            "audit_id": "A1",
            "district": "Mars",
            "audited_at": T(2024, 4, 2),
            "should_record_sh": True,
            "recorded_sh": False,
        }
    ],
}
# Values only SQLite can hold.
V11_SQLITE_ONLY = {
    "case_reviews": [review("R20", "C01", "2024-03-01", "sdash_completed", "yes")],
    "victim_survey": [
        answer("Q20", "C01", "2024-02-01T12:00:00", "kept_informed", 2.5),
        answer("Q21", "C01", "2024-02-01 12:00:00", "kept_informed", "many"),
    ],
    "training_records": [
        {"staff_ref": "S003", "department": "Patrol", "course": "x", "completed_at": "soon"}
    ],
    "crime_data_audits": [
        {
            "audit_id": "A2",
            "district": "North",
            "audited_at": T(2024, 4, 2),
            "should_record_sh": "maybe",
            "recorded_sh": 1,
        }
    ],
}
V11_PASSED_THROUGH = [name for name in V11_ROWS if name not in MAPPED_TABLES]


def _fixture(sqlite: bool) -> dict[str, list[dict]]:
    """The hand-built rows, v1.1 ones included; on SQLite also the rows only it can hold."""
    rows = {name: list(table_rows) for name, table_rows in fixture_rows.ALL_ROWS.items()}
    for name, table_rows in V11_ROWS.items():
        rows[name] = list(table_rows)
    if sqlite:
        for table, row, _rule in fixture_rows.SQLITE_ONLY:
            rows[table].append(row)
        for name, table_rows in V11_SQLITE_ONLY.items():
            rows[name] += table_rows
    # Every declared column, null where a row does not set it: the RMS has them all.
    return {
        name: [{c: row.get(c) for c in TABLES[name].column_names} for row in table_rows]
        for name, table_rows in rows.items()
    }


def _query(table: str) -> str:
    """A query file's SELECT, without its trailing semicolon, to use as a subquery."""
    return (QUERIES_DIR / f"{table}.sql").read_text().strip().removesuffix(";")


def _sqlite_texts(path: Path, source: str, columns: list[str]) -> Counter:
    """Each row as the text SQLite gives for its values (what the contract parser reads)."""
    listed = ", ".join(f"CAST({c} AS TEXT)" for c in columns)
    with sqlite3.connect(path) as connection:
        rows = connection.execute(f"SELECT {listed} FROM {source}").fetchall()
    connection.close()
    return Counter(rows)


def _read_rows(path: Path) -> dict[str, list[dict]]:
    """The contract tables of a SQLite file, values exactly as stored."""
    connection = sqlite3.connect(path)
    connection.row_factory = sqlite3.Row
    stored = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    rows = {
        table.name: [dict(row) for row in connection.execute(f"SELECT * FROM {table.name}")]
        for table in TABLES
        if table.name in stored
    }
    connection.close()
    return rows


@pytest.fixture(scope="module")
def dirty_demo(tmp_path_factory) -> Path:
    """A small generated demo with a tenth of its rows spoiled: every rule broken."""
    from demo.demo_data import generate_demo

    path = tmp_path_factory.mktemp("rms_demo") / "demo.sqlite"
    generate_demo(path, crimes=3_000, seed=11, dirty_fraction=0.1)
    return path


def _assert_round_trip_sqlite(contract: Path, rms: Path) -> None:
    for table in MAPPED_TABLES:
        expected = _sqlite_texts(contract, table, COLUMNS[table])
        actual = _sqlite_texts(rms, f"({_query(table)}) AS mapped", COLUMNS[table])
        assert actual == expected, table


def test_each_query_file_returns_exactly_the_contract_columns(tmp_path):
    rms = tmp_path / "rms.sqlite"
    build_rms(fixture_rows.ALL_ROWS, rms)
    with sqlite3.connect(rms) as connection:
        for table in MAPPED_TABLES:
            cursor = connection.execute((QUERIES_DIR / f"{table}.sql").read_text())
            assert [d[0] for d in cursor.description] == COLUMNS[table], table
    connection.close()


def test_the_query_folder_holds_one_select_per_mapped_table_and_nothing_else():
    assert sorted(path.name for path in QUERIES_DIR.iterdir()) == sorted(
        f"{name}.sql" for name in MAPPED_TABLES
    )
    for table in MAPPED_TABLES:
        code = "\n".join(line.split("--", 1)[0] for line in _query(table).splitlines()).strip()
        assert code.split(None, 1)[0].upper() in ("SELECT", "WITH"), table
        assert ";" not in code, table


def test_the_fixture_rows_come_back_from_the_rms_queries_unchanged_on_sqlite(tmp_path):
    rows = _fixture(sqlite=True)
    contract = tmp_path / "contract.sqlite"
    write_sqlite(contract, rows)
    rms = tmp_path / "rms.sqlite"
    build_rms(rows, rms)
    _assert_round_trip_sqlite(contract, rms)
    for table in MAPPED_TABLES:
        rows_read = sum(_sqlite_texts(contract, table, COLUMNS[table]).values())
        assert rows_read == len(rows[table]) > 0, table


def test_the_tables_the_rms_lacks_are_written_under_their_contract_names_unchanged(tmp_path):
    rows = _fixture(sqlite=True)
    contract = tmp_path / "contract.sqlite"
    write_sqlite(contract, rows)
    rms = tmp_path / "rms.sqlite"
    build_rms(rows, rms)
    assert V11_PASSED_THROUGH
    for table in V11_PASSED_THROUGH:
        columns = TABLES[table].column_names
        expected = _sqlite_texts(contract, table, columns)
        assert sum(expected.values()) == len(rows[table])
        assert _sqlite_texts(rms, table, columns) == expected, table


def test_a_dirty_generated_demo_comes_back_from_the_rms_queries_unchanged_on_sqlite(
    dirty_demo, tmp_path
):
    rms = tmp_path / "rms.sqlite"
    build_rms(_read_rows(dirty_demo), rms)
    _assert_round_trip_sqlite(dirty_demo, rms)


def test_the_export_holds_what_the_queries_must_leave_out(tmp_path):
    """Suspects, witnesses, secondary offences and deleted occurrences are in the export."""
    rms = tmp_path / "rms.sqlite"
    build_rms(fixture_rows.ALL_ROWS, rms)
    crimes = fixture_rows.ALL_ROWS["crimes"]
    arrested = sum(crime["arrested_at"] is not None for crime in crimes)
    with sqlite3.connect(rms) as connection:

        def count(sql: str) -> int:
            return connection.execute(sql).fetchone()[0]

        assert count("SELECT COUNT(*) FROM person_occurrence WHERE role_code = 'SUSPECT'") == (
            arrested
        )
        assert count("SELECT COUNT(*) FROM person_occurrence WHERE role_code = 'WITNESS'") > 0
        assert count("SELECT COUNT(*) FROM offences WHERE principal = 'N'") > 0
        # C99 is named by an allocation, a victim and an order but is no crime.
        assert connection.execute(
            "SELECT crime_ref FROM occurrences WHERE record_status = 'DELETED'"
        ).fetchall() == [("C99",)]
        # No contract-named v1 table: the queries are the only way to read the export.
        names = {n for (n,) in connection.execute("SELECT name FROM sqlite_master")}
        assert not names & set(MAPPED_TABLES)
    connection.close()


def test_a_second_build_into_the_same_file_is_refused(tmp_path):
    rms = tmp_path / "rms.sqlite"
    build_rms(fixture_rows.ALL_ROWS, rms)
    with pytest.raises(FileExistsError):
        build_rms(fixture_rows.ALL_ROWS, rms)


def test_the_builder_command_writes_an_export_the_queries_read(tmp_path, capsys):
    from examples.rms.build import main

    contract = tmp_path / "contract.sqlite"
    write_sqlite(contract, _fixture(sqlite=False))
    rms = tmp_path / "out" / "rms.sqlite"
    assert main(["--from-contract", str(contract), "--output", str(rms)]) == 0
    assert str(rms) in capsys.readouterr().out
    _assert_round_trip_sqlite(contract, rms)
    assert main(["--from-contract", str(contract), "--output", str(rms)]) == 1
    assert "exists" in capsys.readouterr().err


def test_the_builder_command_writes_a_generated_demo_as_an_rms_export(tmp_path, capsys):
    from examples.rms.build import main

    rms = tmp_path / "rms.sqlite"
    assert main(["--output", str(rms), "--crimes", "300", "--seed", "5"]) == 0
    assert "300 crimes" in capsys.readouterr().out
    with sqlite3.connect(rms) as connection:
        live = connection.execute(
            "SELECT COUNT(*) FROM occurrences WHERE record_status = 'ACTIVE'"
        ).fetchone()
        mapped = connection.execute(f"SELECT COUNT(*) FROM ({_query('crimes')}) AS q").fetchone()
    connection.close()
    assert live == mapped == (300,)


# ------------------------------------------------------------------------------ PostgreSQL


@pytest.fixture
def postgres_schema() -> Iterator:
    """A factory: a fresh empty schema; returns an engine whose search_path is that schema."""
    server = _server_or_skip(POSTGRES_SERVER, "PostgreSQL")
    schemas: list[str] = []

    def create() -> tuple[sa.Engine, str]:
        schema = f"kpi_rms_{uuid.uuid4().hex[:12]}"
        schemas.append(schema)
        with server.begin() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        engine = sa.create_engine(
            POSTGRES_SERVER,
            connect_args={"options": f"-csearch_path={schema}"},
            poolclass=sa.pool.NullPool,
        )
        return engine, f"{POSTGRES_SERVER}?options=-csearch_path%3D{schema}"

    yield create
    with server.begin() as connection:
        for schema in schemas:
            connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    server.dispose()


def _contract_text(value: object) -> str | None:
    """A typed PostgreSQL value as the contract's text: ISO timestamps, 1/0 booleans."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return str(value)


def _postgres_texts(url: str, sql: str) -> Counter:
    """Rows of a query run by psycopg itself (no SQLAlchemy), values as contract text."""
    import psycopg

    conninfo = url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(conninfo) as connection:
        rows = connection.execute(sql).fetchall()
    return Counter(tuple(_contract_text(value) for value in row) for row in rows)


@pytest.mark.postgres
def test_the_fixture_rows_come_back_from_the_rms_queries_unchanged_on_postgres(
    postgres_database, postgres_schema
):
    contract_url = postgres_database(_fixture(sqlite=False))
    engine, rms_url = postgres_schema()
    build_rms(_fixture(sqlite=False), engine)
    engine.dispose()
    for table in MAPPED_TABLES:
        listed = ", ".join(COLUMNS[table])
        expected = _postgres_texts(contract_url, f"SELECT {listed} FROM {table}")
        # The query file exactly as written, run by psycopg.
        actual = _postgres_texts(rms_url, (QUERIES_DIR / f"{table}.sql").read_text())
        assert actual == expected, table


@pytest.mark.postgres
def test_the_builder_command_writes_into_a_postgres_url(tmp_path, postgres_schema, capsys):
    from examples.rms.build import main

    contract = tmp_path / "contract.sqlite"
    every_column = {
        t.name: [
            {c: r.get(c) for c in t.column_names} for r in fixture_rows.ALL_ROWS.get(t.name, [])
        ]
        for t in TABLES
    }
    write_sqlite(contract, every_column)
    engine, rms_url = postgres_schema()
    engine.dispose()
    assert main(["--from-contract", str(contract), "--output", rms_url]) == 0
    capsys.readouterr()
    districts = _postgres_texts(rms_url, (QUERIES_DIR / "districts.sql").read_text())
    expected = Counter(
        (row["district"], str(row["population"])) for row in fixture_rows.ALL_ROWS["districts"]
    )
    assert districts == expected


# -------------------------------------------------------- through the product (issue 11)


def _assert_same_results(contract_url: str, rms_url: str) -> None:
    """Same validation report (line for line) and the same KPIs at every grain."""
    from metrics import Grain, compute_kpis, prepare_facts
    from queries import load_source

    contract = load_source(contract_url)
    rms = load_source(rms_url, queries_dir=QUERIES_DIR)
    assert rms.report.height > 0
    assert_frame_equal(rms.report, contract.report)
    contract_facts, rms_facts = prepare_facts(contract), prepare_facts(rms)
    for grain in Grain:
        kpis = compute_kpis(rms_facts, grain)
        assert kpis.height > 0
        assert_frame_equal(kpis, compute_kpis(contract_facts, grain))


def test_the_product_reads_the_rms_export_as_it_reads_the_contract_tables_on_sqlite(tmp_path):
    rows = _fixture(sqlite=True)
    contract = write_sqlite(tmp_path / "contract.sqlite", rows)
    build_rms(rows, tmp_path / "rms.sqlite")
    _assert_same_results(contract, f"sqlite:///{tmp_path / 'rms.sqlite'}")


def test_the_product_reads_a_dirty_demo_from_the_rms_export_as_from_the_contract_tables(
    dirty_demo, tmp_path
):
    build_rms(_read_rows(dirty_demo), tmp_path / "rms.sqlite")
    _assert_same_results(f"sqlite:///{dirty_demo}", f"sqlite:///{tmp_path / 'rms.sqlite'}")


@pytest.mark.postgres
def test_the_product_reads_the_rms_export_as_it_reads_the_contract_tables_on_postgres(
    postgres_database, postgres_schema
):
    contract_url = postgres_database(_fixture(sqlite=False))
    engine, rms_url = postgres_schema()
    build_rms(_fixture(sqlite=False), engine)
    engine.dispose()
    _assert_same_results(contract_url, rms_url)
