"""Dirty data at scale: on a demo database with invalid rows injected, nothing goes missing."""

from __future__ import annotations

import csv
import io
import re
import sqlite3
import subprocess
import sys

import pytest

from queries import load_source
from queries.contract import TABLES


@pytest.fixture(scope="module")
def dirty_database(tmp_path_factory):
    from demo.demo_data import generate_demo

    path = tmp_path_factory.mktemp("dirty") / "dirty.sqlite"
    generate_demo(path, crimes=30_000, seed=11, dirty_fraction=0.05)
    return path


def rows_in(path, table: str) -> int:
    with sqlite3.connect(path) as connection:
        return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_every_row_is_used_or_reported_and_the_cli_says_so(dirty_database):
    result = subprocess.run(
        [sys.executable, "-m", "kpi", "validate", "--database-url", f"sqlite:///{dirty_database}"],
        capture_output=True,
        text=True,
        check=True,
    )
    summary = {
        match[1]: tuple(int(n.replace(",", "")) for n in match.groups()[1:])
        for match in re.finditer(
            r"^(\w+): ([\d,]+) read = ([\d,]+) used \+ ([\d,]+) with errors",
            result.stderr,
            re.MULTILINE,
        )
    }
    assert set(summary) == {table.name for table in TABLES}
    report = list(csv.DictReader(io.StringIO(result.stdout)))
    for table in TABLES:
        read, used, errors = summary[table.name]
        assert read == rows_in(dirty_database, table.name)  # counted by plain SQL
        assert used + errors == read
        assert errors > 0, f"the generator injected invalid {table.name} rows"
        lines = [line for line in report if line["table"] == table.name]
        assert sum(line["severity"] == "error" for line in lines) >= errors


def test_every_rule_of_the_contract_is_seen_in_the_dirty_demo(dirty_database):
    report = load_source(f"sqlite:///{dirty_database}").report
    rules = {rule.split(":")[0] for rule in report["rule"]}
    assert rules >= {
        "required",
        "unparseable",
        "not_allowed",
        "duplicate",
        "invalid_population",
        "before_reported",
        "outcome_pair",
        "unknown_crime",
        "decided_before_applied",
        "decision_pair",
        "unknown_district",
        "unknown_breach_order",
    }


def test_the_valid_rows_are_exactly_those_without_an_error_line(dirty_database):
    validated = load_source(f"sqlite:///{dirty_database}")
    errors = validated.report.filter(validated.report["severity"] == "error")
    victims_with_errors = set(errors.filter(errors["table"] == "victims")["key"])
    assert not victims_with_errors & set(validated.victims["victim_id"])
    orders_with_errors = set(errors.filter(errors["table"] == "protective_orders")["key"])
    assert not orders_with_errors & set(validated.protective_orders["order_id"])
