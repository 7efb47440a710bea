"""The demo database generator, checked with plain SQL on the file it writes.

Every check reads the SQLite file with the standard library and the contract's own words
(tables, columns, allowed values), never with the generator's code.
"""

from __future__ import annotations

import sqlite3
import sys
from contextlib import closing
from pathlib import Path

import pytest

from demo.demo_data import DEFAULT_CRIMES, expected_sh_cases_per_month, generate_demo, main
from queries.contract import (
    ANSWERS,
    DECISIONS,
    ORDER_TYPES,
    OUTCOME_CODES,
    RISK_LEVELS,
    TABLES,
    Kind,
    Table,
)

SMALL = 3_000
MEDIUM = 20_000
MONTHS = 66  # April 2021 to September 2026

DISTRICT_NAMES = (
    "Bristol",
    "Bath and North East Somerset",
    "North Somerset",
    "South Gloucestershire",
    "Somerset East",
    "Somerset West",
)
UNITS = ("CID", "patrol", "DIT", "safeguarding")
# The seed's departments (contract v1.1: workforce and training_records).
DEPARTMENTS = (
    "Patrol",
    "Neighbourhood",
    "CID",
    "Safeguarding",
    "Command and control",
    "Offender management",
    "Custody",
    "Contact centre",
)
COURSES = ("stalking_elearning", "spo_training")
THEMES = ("perpetrator_focus", "safety_planning", "victim_unable_to_support", "risk_assessment")
QUESTIONS = ("sdash_completed", "spo_considered", "cid_if_high_risk", "impact_evidenced")
SURVEY_QUESTIONS = ("overall_satisfaction", "kept_informed", "treated_fairly")
SERVICES = ("Lighthouse", "ISAC", "IDVA", "Paladin")
SH_CASE = "(offence_code IN ('8Q', '8L', '8M') OR stalking_element = 1)"


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{value}'" for value in values) + ")"


def _digits(count: int) -> str:
    return "[0-9]" * count


TIMESTAMP_GLOB = "[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-5][0-9]"
CRIME_ID = f"'AS-{_digits(4)}-{_digits(7)}'"
ORDER_ID = f"'PO{_digits(7)}'"
VICTIM_ID = f"'V{_digits(9)}'"
STAFF_REF = f"'SR{_digits(6)}'"
REVIEW_ID = f"'CR{_digits(7)}'"
RESPONSE_ID = f"'VS{_digits(8)}'"
AUDIT_ID = f"'DA{_digits(7)}'"

# What each text column may hold: a closed vocabulary or a synthetic reference, nothing else.
TEXT_VALUES = {
    ("districts", "district"): f"district IN {_in(DISTRICT_NAMES)}",
    ("crimes", "crime_id"): f"crime_id GLOB {CRIME_ID}",
    ("crimes", "district"): f"district IN {_in(DISTRICT_NAMES)}",
    ("crimes", "offence_code"): (
        "length(offence_code) BETWEEN 1 AND 4 AND offence_code GLOB '[0-9]*'"
        " AND offence_code NOT GLOB '*[^0-9A-Z]*'"
    ),
    ("crimes", "risk_level"): f"risk_level IN {_in(RISK_LEVELS)}",
    ("crimes", "breach_of_order_id"): f"breach_of_order_id GLOB {ORDER_ID}",
    ("crimes", "outcome_code"): f"outcome_code IN {_in(OUTCOME_CODES)}",
    ("allocations", "crime_id"): f"crime_id GLOB {CRIME_ID}",
    ("allocations", "unit"): f"unit IN {_in(UNITS)}",
    ("victims", "victim_id"): f"victim_id GLOB {VICTIM_ID}",
    ("victims", "crime_id"): f"crime_id GLOB {CRIME_ID}",
    ("victims", "referral_service"): f"referral_service IN {_in(SERVICES)}",
    ("protective_orders", "order_id"): f"order_id GLOB {ORDER_ID}",
    ("protective_orders", "order_type"): f"order_type IN {_in(ORDER_TYPES)}",
    ("protective_orders", "district"): f"district IN {_in(DISTRICT_NAMES)}",
    ("protective_orders", "crime_id"): f"crime_id GLOB {CRIME_ID}",
    ("protective_orders", "decision"): f"decision IN {_in(DECISIONS)}",
    ("workforce", "department"): f"department IN {_in(DEPARTMENTS)}",
    ("training_records", "staff_ref"): f"staff_ref GLOB {STAFF_REF}",
    ("training_records", "department"): f"department IN {_in(DEPARTMENTS)}",
    # Other courses are allowed: lower-case words only, never free text.
    ("training_records", "course"): "course GLOB '[a-z]*' AND course NOT GLOB '*[^a-z_]*'",
    ("case_reviews", "review_id"): f"review_id GLOB {REVIEW_ID}",
    ("case_reviews", "crime_id"): f"crime_id GLOB {CRIME_ID}",
    ("case_reviews", "theme"): f"theme IN {_in(THEMES)}",
    ("case_reviews", "question"): f"question IN {_in(QUESTIONS)}",
    ("case_reviews", "answer"): f"answer IN {_in(ANSWERS)}",
    ("victim_survey", "response_id"): f"response_id GLOB {RESPONSE_ID}",
    ("victim_survey", "crime_id"): f"crime_id GLOB {CRIME_ID}",
    ("victim_survey", "question"): f"question IN {_in(SURVEY_QUESTIONS)}",
    ("crime_data_audits", "audit_id"): f"audit_id GLOB {AUDIT_ID}",
    ("crime_data_audits", "district"): f"district IN {_in(DISTRICT_NAMES)}",
}


def _bad_timestamp(column: str) -> str:
    """Set but not `YYYY-MM-DD HH:MM:SS`, or an impossible date or time (its julian day rolls
    it over: 30 February is 1 March, 24:00:00 is the next day; datetime() does not)."""
    return (
        f"({column} IS NOT NULL AND ({column} NOT GLOB '{TIMESTAMP_GLOB}'"
        f" OR strftime('%Y-%m-%d %H:%M:%S', julianday({column})) IS NOT {column}))"
    )


def _bad_boolean(column: str) -> str:
    return f"({column} IS NOT NULL AND {column} NOT IN (0, 1, '0', '1'))"


def _missing(column: str) -> str:
    return f"({column} IS NULL OR trim({column}) = '')"


def _duplicated(table: str, key: str) -> str:
    return (
        f"SELECT count(*) FROM {table} WHERE {key} IN"
        f" (SELECT {key} FROM {table} GROUP BY {key} HAVING count(*) > 1)"
    )


def _before_report(table: str, columns: tuple[str, ...]) -> str:
    """Rows of `table` with one of `columns` earlier than their crime's reported_at."""
    earlier = " OR ".join(f"t.{column} < c.reported_at" for column in columns)
    return (
        f"SELECT count(*) FROM {table} AS t JOIN crimes AS c ON c.crime_id = t.crime_id"
        f" WHERE {earlier}"
    )


# NOT IN a list with a null in it is never true: leave the nulls out.
KNOWN_CRIMES = "(SELECT crime_id FROM crimes WHERE crime_id IS NOT NULL)"
KNOWN_DISTRICTS = "(SELECT district FROM districts WHERE district IS NOT NULL)"


# One SQL count per rule of the contract's validation (errors first, then the two warnings).
RULES = {
    "required value missing in districts": (
        f"SELECT count(*) FROM districts WHERE {_missing('district')} OR population IS NULL"
    ),
    "population not a whole number of at least 0": (
        "SELECT count(*) FROM districts WHERE population IS NOT NULL"
        " AND (typeof(population) != 'integer' OR population < 0)"
    ),
    "duplicated district": _duplicated("districts", "district"),
    "required value missing in crimes": "SELECT count(*) FROM crimes WHERE "
    + " OR ".join(
        _missing(name)
        for name in (
            "crime_id",
            "district",
            "reported_at",
            "offence_code",
            "stalking_element",
            "domestic_abuse",
        )
    ),
    "unparseable timestamp in crimes": "SELECT count(*) FROM crimes WHERE "
    + " OR ".join(
        _bad_timestamp(name)
        for name in ("reported_at", "recorded_at", "classified_at", "arrested_at", "outcome_at")
    ),
    "unparseable boolean in crimes": (
        "SELECT count(*) FROM crimes WHERE "
        f"{_bad_boolean('stalking_element')} OR {_bad_boolean('domestic_abuse')}"
    ),
    "risk level outside the set": (
        f"SELECT count(*) FROM crimes WHERE risk_level NOT IN {_in(RISK_LEVELS)}"
    ),
    "outcome code outside the set": (
        f"SELECT count(*) FROM crimes WHERE outcome_code NOT IN {_in(OUTCOME_CODES)}"
    ),
    "duplicated crime_id": _duplicated("crimes", "crime_id"),
    "crime time earlier than reported_at": "SELECT count(*) FROM crimes WHERE "
    + " OR ".join(
        f"{name} < reported_at"
        for name in ("recorded_at", "classified_at", "arrested_at", "outcome_at")
    ),
    "outcome code and outcome time not set together": (
        "SELECT count(*) FROM crimes WHERE (outcome_code IS NULL) != (outcome_at IS NULL)"
    ),
    "required value missing in allocations": (
        "SELECT count(*) FROM allocations WHERE "
        f"{_missing('crime_id')} OR {_missing('unit')} OR {_missing('allocated_at')}"
    ),
    "unparseable timestamp in allocations": (
        f"SELECT count(*) FROM allocations WHERE {_bad_timestamp('allocated_at')}"
    ),
    "allocation of an unknown crime": (
        f"SELECT count(*) FROM allocations WHERE crime_id NOT IN {KNOWN_CRIMES}"
    ),
    "allocation earlier than the crime's report": _before_report("allocations", ("allocated_at",)),
    "required value missing in victims": (
        "SELECT count(*) FROM victims WHERE "
        f"{_missing('victim_id')} OR {_missing('crime_id')} OR {_missing('support_declined')}"
    ),
    "unparseable timestamp or boolean in victims": "SELECT count(*) FROM victims WHERE "
    + " OR ".join(
        [
            *(
                _bad_timestamp(name)
                for name in ("first_contact_at", "needs_assessment_at", "referred_at")
            ),
            _bad_boolean("support_declined"),
        ]
    ),
    "duplicated victim_id": _duplicated("victims", "victim_id"),
    "victim of an unknown crime": (
        f"SELECT count(*) FROM victims WHERE crime_id NOT IN {KNOWN_CRIMES}"
    ),
    "victim care earlier than the crime's report": _before_report(
        "victims", ("first_contact_at", "needs_assessment_at", "referred_at")
    ),
    "required value missing in protective_orders": "SELECT count(*) FROM protective_orders WHERE "
    + " OR ".join(_missing(name) for name in ("order_id", "order_type", "district", "applied_at")),
    "unparseable timestamp in protective_orders": (
        "SELECT count(*) FROM protective_orders WHERE "
        f"{_bad_timestamp('applied_at')} OR {_bad_timestamp('decided_at')}"
    ),
    "order type or decision outside the set": (
        "SELECT count(*) FROM protective_orders WHERE "
        f"order_type NOT IN {_in(ORDER_TYPES)} OR decision NOT IN {_in(DECISIONS)}"
    ),
    "duplicated order_id": _duplicated("protective_orders", "order_id"),
    "order decided before it was applied for": (
        "SELECT count(*) FROM protective_orders WHERE decided_at < applied_at"
    ),
    "decision and decision time not set together": (
        "SELECT count(*) FROM protective_orders WHERE (decision IS NULL) != (decided_at IS NULL)"
    ),
    "warning: crime or order in an unknown district": (
        f"SELECT (SELECT count(*) FROM crimes WHERE district NOT IN {KNOWN_DISTRICTS})"
        f" + (SELECT count(*) FROM protective_orders WHERE district NOT IN {KNOWN_DISTRICTS})"
    ),
    "warning: breach of an order that does not exist": (
        "SELECT count(*) FROM crimes WHERE breach_of_order_id IS NOT NULL"
        " AND breach_of_order_id NOT IN"
        " (SELECT order_id FROM protective_orders WHERE order_id IS NOT NULL)"
    ),
}


def _connect(path: Path) -> closing[sqlite3.Connection]:
    return closing(sqlite3.connect(path))


def _scalar(path: Path, sql: str):
    with _connect(path) as connection:
        return connection.execute(sql).fetchone()[0]


def _rows(path: Path, sql: str) -> list[tuple]:
    with _connect(path) as connection:
        return connection.execute(sql).fetchall()


def _table_contents(path: Path) -> dict[str, list[tuple]]:
    return {table.name: _rows(path, f"SELECT * FROM {table.name}") for table in TABLES}


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("small") / "demo.db"
    generate_demo(path, crimes=SMALL)
    return path


@pytest.fixture(scope="module")
def medium(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("medium") / "demo.db"
    generate_demo(path, crimes=MEDIUM)
    return path


@pytest.fixture(scope="module")
def dirty(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("dirty") / "demo.db"
    generate_demo(path, crimes=MEDIUM, dirty_fraction=0.05)
    return path


def test_the_database_has_every_contract_table_with_its_columns(small: Path) -> None:
    for table in TABLES:
        columns = [row[1] for row in _rows(small, f"PRAGMA table_info({table.name})")]
        assert columns == table.column_names, table.name


def test_the_returned_counts_are_the_rows_in_each_table(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    counts = generate_demo(path, crimes=SMALL)
    assert list(counts) == [table.name for table in TABLES]
    for table, count in counts.items():
        assert _scalar(path, f"SELECT count(*) FROM {table}") == count
    assert counts["crimes"] == SMALL
    assert counts["districts"] == 6


def test_the_text_rule_table_covers_every_text_column_of_the_contract() -> None:
    text_columns = {
        (table.name, column.name)
        for table in TABLES
        for column in table.columns
        if column.kind == Kind.TEXT
    }
    assert set(TEXT_VALUES) == text_columns


@pytest.mark.parametrize(("table", "column"), list(TEXT_VALUES), ids=lambda value: value)
def test_text_columns_hold_only_vocabulary_and_synthetic_references(
    medium: Path, table: str, column: str
) -> None:
    condition = TEXT_VALUES[table, column]
    sql = f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL AND NOT ({condition})"
    assert _rows(medium, sql + " LIMIT 5") == []


def test_districts_have_avon_and_somerset_populations(small: Path) -> None:
    populations = dict(_rows(small, "SELECT district, population FROM districts"))
    assert set(populations) == set(DISTRICT_NAMES)
    assert populations["Bristol"] == pytest.approx(472_400, rel=0.05)
    assert populations["Somerset West"] == pytest.approx(280_300, rel=0.05)
    assert all(isinstance(value, int) for value in populations.values())


@pytest.mark.parametrize("rule", list(RULES))
def test_a_clean_database_breaks_no_rule_of_the_contract(medium: Path, rule: str) -> None:
    assert _scalar(medium, RULES[rule]) == 0


def test_a_clean_database_links_every_breach_to_an_order_granted_before_it(medium: Path) -> None:
    breaches = _rows(
        medium,
        "SELECT o.decision, o.decided_at < c.reported_at FROM crimes AS c"
        " LEFT JOIN protective_orders AS o ON o.order_id = c.breach_of_order_id"
        " WHERE c.breach_of_order_id IS NOT NULL",
    )
    assert len(breaches) >= 10
    assert set(breaches) == {("granted", 1)}


def test_timestamps_stay_inside_the_fixed_span(medium: Path) -> None:
    first, last = _rows(medium, "SELECT min(reported_at), max(reported_at) FROM crimes")[0]
    assert first.startswith("2021-04")
    assert last.startswith("2026-09")
    later = {
        "crimes": ("recorded_at", "classified_at", "arrested_at", "outcome_at"),
        "allocations": ("allocated_at",),
        "victims": ("first_contact_at", "needs_assessment_at", "referred_at"),
        "protective_orders": ("applied_at", "decided_at"),
    }
    for table, columns in later.items():
        for column in columns:
            sql = f"SELECT count(*) FROM {table} WHERE {column} >= '2026-10-01 00:00:00'"
            assert _scalar(medium, sql) == 0, (table, column)


@pytest.mark.parametrize("rule", list(RULES))
def test_a_dirty_database_breaks_every_rule_of_the_contract(dirty: Path, rule: str) -> None:
    assert _scalar(dirty, RULES[rule]) > 0


def test_a_dirty_database_spoils_about_the_fraction_asked_for(dirty: Path) -> None:
    broken = [
        "crime_id IS NULL OR trim(crime_id) = ''",
        "crime_id IN (SELECT crime_id FROM crimes GROUP BY crime_id HAVING count(*) > 1)",
        f"district NOT IN {KNOWN_DISTRICTS}",
        _bad_timestamp("reported_at"),
        _missing("reported_at"),
        "recorded_at < reported_at OR classified_at < reported_at",
        "arrested_at < reported_at OR outcome_at < reported_at",
        "(outcome_code IS NULL) != (outcome_at IS NULL)",
        f"outcome_code NOT IN {_in(OUTCOME_CODES)}",
        f"risk_level NOT IN {_in(RISK_LEVELS)}",
    ]
    count = _scalar(dirty, "SELECT count(*) FROM crimes WHERE " + " OR ".join(broken))
    assert 0.03 * MEDIUM < count < 0.08 * MEDIUM


def test_the_same_seed_gives_the_same_rows(tmp_path: Path) -> None:
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    generate_demo(first, crimes=SMALL, seed=7, dirty_fraction=0.05)
    generate_demo(second, crimes=SMALL, seed=7, dirty_fraction=0.05)
    assert _table_contents(first) == _table_contents(second)


def test_a_different_seed_gives_different_rows(tmp_path: Path, small: Path) -> None:
    other = tmp_path / "other.db"
    generate_demo(other, crimes=SMALL, seed=8)
    mine, theirs = _table_contents(small), _table_contents(other)
    assert mine["districts"] == theirs["districts"]
    for table in ("crimes", "allocations", "victims"):
        assert mine[table] != theirs[table]


def test_it_refuses_to_overwrite_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    path.write_bytes(b"keep me")
    with pytest.raises(FileExistsError):
        generate_demo(path, crimes=100)
    assert path.read_bytes() == b"keep me"
    assert list(tmp_path.iterdir()) == [path]


def test_it_overwrites_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    path.write_bytes(b"replace me")
    generate_demo(path, crimes=100, overwrite=True)
    assert _scalar(path, "SELECT count(*) FROM crimes") == 100
    assert list(tmp_path.iterdir()) == [path]


def test_a_failed_run_leaves_no_file_behind(tmp_path: Path) -> None:
    def fail(stage: str, done: int, total: int) -> None:
        if stage == "crimes":
            raise RuntimeError("stop")

    with pytest.raises(RuntimeError, match="stop"):
        generate_demo(tmp_path / "demo.db", crimes=SMALL, progress=fail)
    assert list(tmp_path.iterdir()) == []


def test_without_adbc_the_sqlite3_fallback_writes_the_same_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_adbc, without = tmp_path / "adbc.db", tmp_path / "sqlite3.db"
    generate_demo(with_adbc, crimes=SMALL, dirty_fraction=0.05)
    monkeypatch.setitem(sys.modules, "adbc_driver_sqlite.dbapi", None)  # import fails
    generate_demo(without, crimes=SMALL, dirty_fraction=0.05)
    assert _table_contents(with_adbc) == _table_contents(without)


def test_the_command_line_writes_a_database_and_shows_progress_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "demo.db"
    assert main([str(path), "--crimes", "500", "--seed", "3"]) == 0
    captured = capsys.readouterr()
    assert "crimes: 500 of 500" in captured.err
    assert "crimes: 500 rows" in captured.out
    assert _scalar(path, "SELECT count(*) FROM crimes") == 500
    assert main([str(path), "--crimes", "500"]) == 1
    assert "exists" in capsys.readouterr().err


def test_progress_reaches_the_total_of_each_stage(tmp_path: Path) -> None:
    calls: list[tuple[str, int, int]] = []
    generate_demo(tmp_path / "demo.db", crimes=SMALL, progress=lambda *call: calls.append(call))
    assert all(0 <= done <= total for _, done, total in calls)
    assert ("crimes", SMALL, SMALL) in calls


@pytest.mark.parametrize("crimes", [0, 100])
def test_tiny_databases_are_valid_too(tmp_path: Path, crimes: int) -> None:
    path = tmp_path / "demo.db"
    assert generate_demo(path, crimes=crimes)["crimes"] == crimes
    for rule, sql in RULES.items():
        assert _scalar(path, sql) == 0, rule


@pytest.mark.parametrize(
    "arguments",
    [
        pytest.param({"crimes": -1}, id="negative crimes"),
        pytest.param({"crimes": 10.5}, id="fractional crimes"),
        pytest.param({"dirty_fraction": 1.5}, id="dirty fraction above 1"),
    ],
)
def test_bad_arguments_are_refused(tmp_path: Path, arguments: dict) -> None:
    with pytest.raises(ValueError):
        generate_demo(tmp_path / "demo.db", **arguments)
    assert list(tmp_path.iterdir()) == []


def _monthly_mean(path: Path, where: str, first: str, last: str) -> float:
    """Mean monthly count of recorded crimes matching `where`, months `first` to `last`."""
    sql = (
        "SELECT count(*) * 1.0 / (SELECT count(DISTINCT substr(recorded_at, 1, 7)) FROM crimes"
        f" WHERE substr(recorded_at, 1, 7) BETWEEN '{first}' AND '{last}')"
        f" FROM crimes WHERE ({where}) AND substr(recorded_at, 1, 7) BETWEEN '{first}' AND '{last}'"
    )
    return _scalar(path, sql)


def test_harassment_drops_visibly_from_june_2023(medium: Path) -> None:
    harassment = "offence_code IN ('8L', '8M')"
    before = _monthly_mean(medium, harassment, "2022-06", "2023-05")
    after = _monthly_mean(medium, harassment, "2023-06", "2024-05")
    assert after < 0.8 * before


def test_other_crimes_with_a_stalking_element_rise_from_june_2023(medium: Path) -> None:
    element = "offence_code NOT IN ('8Q', '8L', '8M') AND stalking_element = 1"
    before = _monthly_mean(medium, element, "2022-06", "2023-05")
    after = _monthly_mean(medium, element, "2023-06", "2024-05")
    assert after > 1.3 * before


def test_the_default_size_gives_about_1500_sh_cases_a_month() -> None:
    assert expected_sh_cases_per_month(DEFAULT_CRIMES) == pytest.approx(1_500, rel=0.02)


def test_the_sh_share_of_a_sample_matches_the_scaling_formula(medium: Path) -> None:
    cases = _scalar(medium, f"SELECT count(*) FROM crimes WHERE {SH_CASE}")
    per_month_at_default = cases * DEFAULT_CRIMES / MEDIUM / MONTHS
    assert per_month_at_default == pytest.approx(1_500, rel=0.05)


def test_the_mix_of_risk_flags_and_delays_is_realistic(medium: Path) -> None:
    shares = _rows(
        medium,
        "SELECT avg(risk_level = 'high'), avg(risk_level IS NULL), avg(domestic_abuse),"
        " avg(recorded_at IS NULL),"
        " avg(julianday(classified_at) - julianday(reported_at) <= 1)"
        f" FROM crimes WHERE {SH_CASE}",
    )[0]
    high, no_risk, domestic, never_recorded, classified_24h = shares
    assert 0.08 <= high <= 0.14
    assert 0.01 <= no_risk <= 0.08
    assert 0.35 <= domestic <= 0.55
    assert 0.04 <= never_recorded <= 0.09
    assert 0.75 <= classified_24h <= 0.90


def test_outcomes_follow_the_home_office_mix_for_stalking_and_harassment(medium: Path) -> None:
    def share(codes: tuple[str, ...]) -> float:
        return _scalar(
            medium,
            f"SELECT avg(outcome_code IN {_in(codes)}) FROM crimes"
            f" WHERE {SH_CASE} AND outcome_code IS NOT NULL",
        )

    assert 0.06 <= share(("1", "1A")) <= 0.12
    assert 0.38 <= share(("14", "16")) <= 0.52
    assert 0.15 <= share(("15",)) <= 0.25
    assert 0.07 <= share(("18",)) <= 0.15


def test_recent_crimes_are_mostly_pending_and_old_ones_mostly_concluded(medium: Path) -> None:
    def pending(first: str, last: str) -> float:
        return _scalar(
            medium,
            "SELECT avg(outcome_code IS NULL) FROM crimes WHERE recorded_at IS NOT NULL"
            f" AND substr(reported_at, 1, 7) BETWEEN '{first}' AND '{last}'",
        )

    assert pending("2021-04", "2024-03") < 0.05
    assert pending("2026-09", "2026-09") > 0.4


def test_victim_care_is_mostly_prompt(medium: Path) -> None:
    contact_24h, assessed, declined, referred = _rows(
        medium,
        "SELECT avg(julianday(first_contact_at) - julianday(c.reported_at) <= 1),"
        " avg(needs_assessment_at IS NOT NULL), avg(support_declined),"
        " sum(referred_at IS NOT NULL AND support_declined = 0) * 1.0"
        " / sum(support_declined = 0)"
        " FROM victims AS v JOIN crimes AS c ON c.crime_id = v.crime_id",
    )[0]
    assert 0.70 <= contact_24h <= 0.90
    assert 0.65 <= assessed <= 0.85
    assert 0.15 <= declined <= 0.25
    assert referred >= 0.7


def test_high_risk_cases_go_to_cid_first_more_often_over_time(medium: Path) -> None:
    def cid_first(year: str) -> float:
        return _scalar(
            medium,
            "WITH first AS (SELECT crime_id, unit, row_number() OVER"
            " (PARTITION BY crime_id ORDER BY allocated_at) AS n FROM allocations)"
            " SELECT avg(f.unit IS 'CID') FROM crimes AS c"
            " LEFT JOIN first AS f ON f.crime_id = c.crime_id AND f.n = 1"
            f" WHERE c.risk_level = 'high' AND {SH_CASE}"
            f" AND substr(c.reported_at, 1, 4) = '{year}'",
        )

    assert 0.45 <= cid_first("2021") <= 0.75
    assert 0.72 <= cid_first("2026") <= 0.95


def test_spo_applications_rise_over_time(medium: Path) -> None:
    def per_100_stalking(year: str) -> float:
        return _scalar(
            medium,
            "SELECT 100.0 * (SELECT count(*) FROM protective_orders"
            f" WHERE order_type IN ('SPO', 'ISPO') AND substr(applied_at, 1, 4) = '{year}')"
            " / (SELECT count(*) FROM crimes"
            f" WHERE offence_code = '8Q' AND substr(recorded_at, 1, 4) = '{year}')",
        )

    assert per_100_stalking("2022") < per_100_stalking("2025")
    assert 1 <= per_100_stalking("2022") <= 7
    assert 4 <= per_100_stalking("2025") <= 12


def test_most_breaches_of_an_order_lead_to_an_arrest(medium: Path) -> None:
    arrested = _scalar(
        medium,
        "SELECT avg(arrested_at IS NOT NULL) FROM crimes WHERE breach_of_order_id IS NOT NULL",
    )
    assert 0.45 <= arrested <= 0.85


# ------------------------------------------------ every rule the declarations imply, in SQL

NOW = "datetime('now', 'localtime')"


def _set(column: str) -> str:
    return f"({column} IS NOT NULL AND trim({column}) != '')"


def _column_rules(table: Table) -> dict[str, str]:
    """The "any table" rules of each column: required, unparseable, ranges, value sets, future."""
    rules = {}
    for column in table.columns:
        name = column.name
        if column.required:
            rules[f"required:{name}"] = _missing(name)
        if column.kind == Kind.TIMESTAMP:
            rules[f"unparseable:{name}"] = _bad_timestamp(name)
            rules[f"future:{name}"] = f"({name} GLOB '{TIMESTAMP_GLOB}*' AND {name} > {NOW})"
        if column.kind == Kind.BOOLEAN:
            rules[f"unparseable:{name}"] = _bad_boolean(name)
        if column.kind == Kind.INTEGER:
            out_of_range = [f"typeof({name}) != 'integer'"]
            if column.minimum is not None:
                out_of_range.append(f"{name} < {column.minimum}")
            if column.maximum is not None:
                out_of_range.append(f"{name} > {column.maximum}")
            rules[f"invalid_{name}:{name}"] = f"({_set(name)} AND ({' OR '.join(out_of_range)}))"
        if column.allowed:
            rules[f"not_allowed:{name}"] = f"({_set(name)} AND {name} NOT IN {_in(column.allowed)})"
    return rules


def _declared_rules() -> dict[str, str]:
    """``"table: rule"`` -> plain SQL counting the rows that break it, for every declared rule."""
    rules: dict[str, str] = {}
    for table in TABLES:
        conditions = _column_rules(table)
        for rule in table.not_before:
            conditions[rule.rule] = f"{rule.column} < {rule.reference}"
        for pair in table.pairs:
            conditions[pair.rule] = f"({pair.first} IS NULL) != ({pair.second} IS NULL)"
        for name, condition in conditions.items():
            rules[f"{table.name}: {name}"] = f"SELECT count(*) FROM {table.name} WHERE {condition}"
        if table.unique:
            key = ", ".join(table.unique)
            rules[f"{table.name}: duplicate:{'+'.join(table.unique)}"] = (
                f"SELECT count(*) FROM (SELECT {key} FROM {table.name}"
                f" WHERE {' AND '.join(_set(c) for c in table.unique)}"
                f" GROUP BY {key} HAVING count(*) > 1)"
            )
        for reference in table.references:
            known = (
                f"(SELECT {reference.target} FROM {reference.table}"
                f" WHERE {reference.target} IS NOT NULL)"
            )
            rules[f"{table.name}: {reference.rule}"] = (
                f"SELECT count(*) FROM {table.name} WHERE {_set(reference.column)}"
                f" AND {reference.column} NOT IN {known}"
            )
            for rule in reference.not_before:
                rules[f"{table.name}: {rule.rule}"] = (
                    f"SELECT count(*) FROM {table.name} AS t JOIN {reference.table} AS r"
                    f" ON r.{reference.target} = t.{reference.column}"
                    f" WHERE t.{rule.column} < r.{rule.reference}"
                )
    return rules


DECLARED_RULES = _declared_rules()


def test_the_declared_rules_include_those_the_v11_contract_names() -> None:
    named = {
        "protective_orders: before_applied:iom_referred_at",
        "protective_orders: future:iom_referred_at",
        "crimes: unparseable:online_element",
        "workforce: duplicate:department",
        "workforce: invalid_headcount:headcount",
        "training_records: unknown_department",
        "training_records: future:completed_at",
        "case_reviews: not_allowed:answer",
        "case_reviews: duplicate:review_id+question",
        "case_reviews: unknown_crime",
        "case_reviews: before_reported:reviewed_at",
        "victim_survey: invalid_score:score",
        "victim_survey: duplicate:response_id+question",
        "victim_survey: unknown_crime",
        "crime_data_audits: unknown_district",
        "crime_data_audits: unparseable:recorded_sh",
    }
    assert named <= set(DECLARED_RULES)


@pytest.mark.parametrize("rule", list(DECLARED_RULES))
def test_a_clean_database_breaks_no_declared_rule(medium: Path, rule: str) -> None:
    assert _scalar(medium, DECLARED_RULES[rule]) == 0


@pytest.mark.parametrize("rule", list(DECLARED_RULES))
def test_a_dirty_database_breaks_every_declared_rule(dirty: Path, rule: str) -> None:
    assert _scalar(dirty, DECLARED_RULES[rule]) > 0


def test_every_table_of_the_contract_has_rows(small: Path) -> None:
    for table in TABLES:
        assert _scalar(small, f"SELECT count(*) FROM {table.name}") > 0, table.name


def test_every_timestamp_is_before_the_extract(medium: Path) -> None:
    for table in TABLES:
        for column in table.columns:
            if column.kind == Kind.TIMESTAMP:
                sql = f"SELECT max({column.name}) FROM {table.name}"
                assert _scalar(medium, sql) < "2026-10-01 00:00:00", (table.name, column.name)


# ----------------------------------------------- contract v1.1: plausible rates, plain SQL

RECORDED_SH = f"recorded_at IS NOT NULL AND {SH_CASE}"


def test_most_recorded_sh_crimes_are_assessed_for_an_online_element(medium: Path) -> None:
    assessed = _scalar(
        medium, f"SELECT avg(online_element IS NOT NULL) FROM crimes WHERE {RECORDED_SH}"
    )
    assert 0.80 <= assessed <= 0.97


def test_the_online_share_of_sh_crimes_rises_from_about_40_to_60_percent(medium: Path) -> None:
    def online(first: str, last: str) -> float:
        return _scalar(
            medium,
            f"SELECT avg(online_element) FROM crimes WHERE {RECORDED_SH}"
            f" AND recorded_at >= '{first}' AND recorded_at < '{last}'",
        )

    early, late = online("2021-04-01", "2022-04-01"), online("2025-04-01", "2026-10-01")
    assert 0.35 <= early <= 0.48
    assert 0.52 <= late <= 0.66
    assert 0.40 <= online("2021-04-01", "2026-10-01") <= 0.60


def test_some_granted_spos_are_referred_to_offender_management_never_before_applied(
    medium: Path,
) -> None:
    granted = "order_type IN ('SPO', 'ISPO') AND decision = 'granted'"
    referred = _scalar(
        medium, f"SELECT avg(iom_referred_at IS NOT NULL) FROM protective_orders WHERE {granted}"
    )
    assert 0.35 <= referred <= 0.75
    others = _scalar(
        medium,
        f"SELECT count(*) FROM protective_orders WHERE NOT ({granted})"
        " AND iom_referred_at IS NOT NULL",
    )
    assert others == 0
    early = _scalar(
        medium, "SELECT count(*) FROM protective_orders WHERE iom_referred_at < applied_at"
    )
    assert early == 0


def test_the_workforce_is_the_seeds_departments_with_plausible_headcounts(small: Path) -> None:
    headcounts = dict(_rows(small, "SELECT department, headcount FROM workforce"))
    assert sorted(headcounts) == sorted(DEPARTMENTS)
    assert all(isinstance(value, int) and 50 <= value <= 2_000 for value in headcounts.values())
    assert max(headcounts, key=headcounts.get) == "Patrol"


def _takeup(path: Path, course: str, before: str) -> dict[str, float]:
    """Share of each department's headcount with a completion of `course` before `before`."""
    return dict(
        _rows(
            path,
            "SELECT w.department, count(DISTINCT t.staff_ref) * 1.0 / w.headcount FROM workforce w"
            " LEFT JOIN training_records t ON t.department = w.department"
            f" AND t.course = '{course}' AND t.completed_at < '{before}'"
            " GROUP BY w.department, w.headcount",
        )
    )


def test_elearning_takeup_starts_from_the_seeds_figures_and_rises(small: Path) -> None:
    start = _takeup(small, "stalking_elearning", "2021-04-01")
    end = _takeup(small, "stalking_elearning", "2026-10-01")
    assert start["Patrol"] == pytest.approx(0.16, abs=0.03)
    assert min(start.values()) == pytest.approx(0.16, abs=0.03)
    assert max(start.values()) == pytest.approx(0.48, abs=0.04)
    for department in DEPARTMENTS:
        assert end[department] > start[department] + 0.2, department
        assert end[department] <= 0.95


def test_spo_training_is_for_cid_and_patrol_and_rises(small: Path) -> None:
    departments = {
        row[0]
        for row in _rows(
            small, "SELECT DISTINCT department FROM training_records WHERE course = 'spo_training'"
        )
    }
    assert departments == {"CID", "Patrol"}
    start = _takeup(small, "spo_training", "2024-10-01")
    end = _takeup(small, "spo_training", "2026-10-01")
    assert start["CID"] < 0.25
    assert 0.45 <= end["CID"] <= 0.80
    assert end["Patrol"] > start["Patrol"] + 0.1


def test_some_staff_are_trained_twice_and_other_courses_appear(small: Path) -> None:
    twice = _scalar(
        small,
        "SELECT count(*) FROM (SELECT staff_ref FROM training_records"
        " WHERE course = 'stalking_elearning' GROUP BY staff_ref HAVING count(*) > 1)",
    )
    trained = _scalar(
        small,
        "SELECT count(DISTINCT staff_ref) FROM training_records"
        " WHERE course = 'stalking_elearning'",
    )
    assert 0.02 * trained <= twice <= 0.15 * trained
    other = _scalar(
        small, f"SELECT count(*) FROM training_records WHERE course NOT IN {_in(COURSES)}"
    )
    assert other > 0


def test_the_dirty_demo_has_completions_in_a_department_missing_from_workforce(
    dirty: Path,
) -> None:
    missing = _scalar(
        dirty,
        "SELECT count(*) FROM training_records WHERE department NOT IN"
        " (SELECT department FROM workforce WHERE department IS NOT NULL)",
    )
    total = _scalar(dirty, "SELECT count(*) FROM training_records")
    assert 0.005 * total <= missing <= 0.05 * total


def test_case_reviews_are_quarterly_dip_samples_of_four_questions_by_theme(medium: Path) -> None:
    quarters = _rows(
        medium,
        "WITH first AS (SELECT review_id, min(reviewed_at) AS at, min(theme) AS theme"
        " FROM case_reviews GROUP BY review_id)"
        " SELECT (CAST(substr(at, 1, 4) AS INT) * 12 + CAST(substr(at, 6, 2) AS INT) - 4) / 3,"
        " count(*), count(DISTINCT theme) FROM first GROUP BY 1",
    )
    assert len(quarters) >= 20  # every quarter of the span but perhaps the first
    assert all(themes == 1 for _, _, themes in quarters)
    per_review = _rows(
        medium,
        "SELECT min(n), max(n) FROM (SELECT count(*) AS n, count(DISTINCT question) AS q"
        " FROM case_reviews GROUP BY review_id HAVING n = q)",
    )[0]
    assert per_review == (len(QUESTIONS), len(QUESTIONS))
    themes = {row[0] for row in _rows(medium, "SELECT DISTINCT theme FROM case_reviews")}
    assert themes == set(THEMES)


def test_some_reviews_span_two_months(medium: Path) -> None:
    spanning = _scalar(
        medium,
        "SELECT count(*) FROM (SELECT review_id FROM case_reviews GROUP BY review_id"
        " HAVING count(DISTINCT substr(reviewed_at, 1, 7)) = 2)",
    )
    reviews = _scalar(medium, "SELECT count(DISTINCT review_id) FROM case_reviews")
    assert 1 <= spanning <= 0.1 * reviews


def test_review_answers_are_mostly_compliant_with_some_not_applicable(medium: Path) -> None:
    compliant, not_applicable = _rows(
        medium,
        "SELECT sum(answer = 'yes') * 1.0 / sum(answer IN ('yes', 'no')), avg(answer = 'n/a')"
        " FROM case_reviews",
    )[0]
    assert 0.55 <= compliant <= 0.85
    assert 0.10 <= not_applicable <= 0.40


def test_survey_scores_are_one_to_five_and_most_victims_are_satisfied(medium: Path) -> None:
    low, high, satisfied, unlinked = _rows(
        medium,
        "SELECT min(score), max(score),"
        " sum(score >= 4 AND question = 'overall_satisfaction') * 1.0"
        " / sum(question = 'overall_satisfaction'), avg(crime_id IS NULL) FROM victim_survey",
    )[0]
    assert (low, high) == (1, 5)
    assert 0.60 <= satisfied <= 0.80
    assert 0.01 <= unlinked <= 0.10


def test_audits_cover_every_district_with_85_to_95_percent_compliance(medium: Path) -> None:
    by_district = _rows(
        medium,
        "SELECT district, sum(should_record_sh AND recorded_sh) * 1.0 / sum(should_record_sh)"
        " FROM crime_data_audits GROUP BY district",
    )
    assert {district for district, _ in by_district} == set(DISTRICT_NAMES)
    overall = _scalar(
        medium,
        "SELECT sum(should_record_sh AND recorded_sh) * 1.0 / sum(should_record_sh)"
        " FROM crime_data_audits",
    )
    assert 0.85 <= overall <= 0.95
