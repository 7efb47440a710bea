"""Write contract-shaped rows into a database shaped like a crime recording system's export.

The worked example of "bring your own data": the same synthetic rows a test writes into the
contract's five tables are written here the way a records management system (RMS) holds
them, and ``examples/rms/queries/*.sql`` map them back. Every value the contract's
validation sees survives the trip, invalid ones included, so the two sources give the same
validation report and the same KPIs.

How the RMS holds things (synthetic: no names, no free text):

- ``occurrences``: one row per occurrence, keyed by a surrogate ``occurrence_id``, with the
  crime reference as ``crime_ref``; dates and times in separate text columns
  (``reported_date`` ``2024-01-15``, ``reported_time`` ``09:00:00``); districts as
  ``lpa_code`` codes; risk as ``H``/``M``/``S``; ``record_status`` ``ACTIVE`` or ``DELETED``
  (deleted occurrences stay in the table, and their child records still point at them).
- ``offences``: several per occurrence, the principal one flagged ``principal = 'Y'``.
- ``occurrence_flags``: flags as rows (``DA`` domestic abuse, ``SE`` stalking element,
  ``OL`` online element).
- ``arrests``, ``occurrence_outcomes``, ``unit_allocations``: child records of occurrences.
- ``persons`` and ``person_occurrence``: people in a role on an occurrence (``VICTIM``,
  ``SUSPECT``, ``WITNESS``); ``victim_care`` holds contact, needs assessment and referral.
- ``court_orders``: protective orders with their own type and status codes.
- ``qa_reviews`` and ``qa_review_answers``: dip-sample reviews of occurrences and the
  answers to their questions (``Y``/``N``/``NA``); ``survey_responses`` and
  ``survey_answers``: victim survey responses about an occurrence and their scores.
- Lookup tables ``ref_lpa``, ``ref_unit``, ``ref_outcome``, ``ref_order_type``,
  ``ref_order_status``, ``ref_agency``, ``ref_qa_theme``, ``ref_qa_question``,
  ``ref_survey_question``.

Where a value does not fit the RMS's own shapes (a timestamp that is not a date and a time,
a flag or risk value outside its codes) it is kept verbatim in a ``*_legacy`` column, as
forces keep the values of records migrated from an older system. The other v1.1 tables
(``workforce``, ``training_records``, ``crime_data_audits``) come from other systems (HR,
learning, audit); they are written under their contract names, which the source reads
when no query file names them.

One limit: the contract's SQLite tables give timestamp and boolean columns numeric
affinity, so SQLite itself turns a text ``' 1'`` or ``'1.0'`` stored there into the number
1. The RMS's legacy columns are text and keep such a value as it is. The demo data and
the test fixture hold no such value.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sqlite3
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import sqlalchemy as sa

from queries.contract import TABLES, sqlalchemy_metadata

# The contract tables these query files map; the others are written under their own names.
MAPPED_TABLES = (
    "districts",
    "crimes",
    "allocations",
    "victims",
    "protective_orders",
    "case_reviews",
    "victim_survey",
)

ACTIVE, DELETED = "ACTIVE", "DELETED"
VICTIM, SUSPECT, WITNESS = "VICTIM", "SUSPECT", "WITNESS"
DOMESTIC_ABUSE, STALKING_ELEMENT, ONLINE_ELEMENT = "DA", "SE", "OL"
RISK_CODES = {"high": "H", "medium": "M", "standard": "S"}
ORDER_TYPE_CODES = {"SPO": "SPOF", "ISPO": "SPOI", "RO": "REST", "NMO": "NMOL", "DVPO": "DVPO"}
ORDER_STATUS_CODES = {"granted": "GR", "refused": "RF", "withdrawn": "WD"}
REVIEW_ANSWER_CODES = {"yes": "Y", "no": "N", "n/a": "NA"}
PENDING = "PE"  # an order awaiting its decision: the status with no decision
SECONDARY_OFFENCE = "105A"  # common assault, recorded alongside some principal offences

# A timestamp the RMS can hold as a date and a time: the date, one space, the rest.
_DATE_AND_TIME = re.compile(r"(\d{4}-\d{2}-\d{2}) (.+)", re.DOTALL)
_WHOLE_SECONDS = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")


def _text_column(name: str) -> sa.Column:
    return sa.Column(name, sa.Text)


def _integer_column(name: str) -> sa.Column:
    return sa.Column(name, sa.Integer)


def _moment_columns(prefix: str) -> list[sa.Column]:
    """A date, a time, and the verbatim value of a record that had no such split."""
    return [_text_column(f"{prefix}_{part}") for part in ("date", "time", "legacy")]


def rms_metadata() -> sa.MetaData:
    """The RMS export's tables: text and integer columns only, so both engines hold the same."""
    metadata = sa.MetaData()
    t, i, moment = _text_column, _integer_column, _moment_columns
    sa.Table(
        "ref_lpa", metadata, t("lpa_code"), t("lpa_name"), t("lpa_type"), i("resident_population")
    )
    sa.Table("ref_unit", metadata, t("unit_code"), t("unit_name"))
    sa.Table("ref_outcome", metadata, t("outcome_code"), t("ho_outcome_type"))
    sa.Table("ref_order_type", metadata, t("order_type_code"), t("order_type"))
    sa.Table("ref_order_status", metadata, t("status_code"), t("decision"))
    sa.Table("ref_agency", metadata, t("agency_code"), t("agency_name"))
    sa.Table(
        "occurrences",
        metadata,
        i("occurrence_id"),
        t("crime_ref"),
        t("record_status"),
        t("lpa_code"),
        *moment("reported"),
        *moment("recorded"),
        *moment("classified"),
        t("risk_code"),
        t("risk_legacy"),
        t("breached_order_ref"),
    )
    sa.Table(
        "offences",
        metadata,
        i("occurrence_id"),
        i("offence_seq"),
        t("ho_offence_code"),
        t("principal"),
    )
    sa.Table(
        "occurrence_flags",
        metadata,
        i("occurrence_id"),
        t("flag_code"),
        t("flag_value"),
        t("legacy_value"),
    )
    sa.Table("arrests", metadata, i("arrest_id"), i("occurrence_id"), *moment("arrest"))
    sa.Table(
        "occurrence_outcomes", metadata, i("occurrence_id"), t("outcome_code"), *moment("outcome")
    )
    sa.Table(
        "unit_allocations",
        metadata,
        i("allocation_id"),
        i("occurrence_id"),
        t("unit_code"),
        *moment("allocated"),
    )
    sa.Table("persons", metadata, i("person_id"), t("person_type"))
    sa.Table(
        "person_occurrence",
        metadata,
        i("link_id"),
        i("person_id"),
        i("occurrence_id"),
        t("role_code"),
        t("victim_ref"),
    )
    sa.Table(
        "victim_care",
        metadata,
        i("link_id"),
        *moment("first_contact"),
        *moment("vna"),
        *moment("referral"),
        t("agency_code"),
        t("support_declined"),
        t("support_declined_legacy"),
    )
    sa.Table(
        "court_orders",
        metadata,
        i("order_pk"),
        t("order_ref"),
        t("order_type_code"),
        t("lpa_code"),
        i("occurrence_id"),
        *moment("applied"),
        t("status_code"),
        *moment("decision"),
        *moment("iom_referral"),
    )
    # Assurance and victim voice, keyed on occurrences like everything else in the RMS.
    sa.Table(
        "qa_reviews",
        metadata,
        i("review_pk"),
        t("review_ref"),
        i("occurrence_id"),
        *moment("reviewed"),
        t("theme_code"),
    )
    sa.Table(
        "qa_review_answers",
        metadata,
        i("answer_pk"),
        i("review_pk"),
        t("question_code"),
        t("answer_code"),
        t("answer_legacy"),
    )
    sa.Table("ref_qa_theme", metadata, t("theme_code"), t("theme"))
    sa.Table("ref_qa_question", metadata, t("question_code"), t("question"))
    sa.Table(
        "survey_responses",
        metadata,
        i("response_pk"),
        t("response_ref"),
        i("occurrence_id"),
        *moment("responded"),
    )
    sa.Table(
        "survey_answers",
        metadata,
        i("answer_pk"),
        i("response_pk"),
        t("question_code"),
        i("score"),
    )
    sa.Table("ref_survey_question", metadata, t("question_code"), t("question"))
    return metadata


def _text(value: object) -> str | None:
    """A raw value as the text SQLite's CAST would give it (text stays exactly as it is)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return str(value)


def _moment(prefix: str, value: object) -> dict[str, str | None]:
    """A timestamp as date and time columns, or verbatim in the legacy column."""
    columns: dict[str, str | None] = dict.fromkeys(
        (f"{prefix}_date", f"{prefix}_time", f"{prefix}_legacy")
    )
    text = _text(value)
    if text is None:
        return columns
    split = _DATE_AND_TIME.fullmatch(text)
    if split:
        columns[f"{prefix}_date"], columns[f"{prefix}_time"] = split.groups()
    else:
        columns[f"{prefix}_legacy"] = text
    return columns


def _yes_no(value: object) -> tuple[str | None, str | None]:
    """A contract boolean as an RMS answer ``Y``/``N`` and, if it is neither, its raw text."""
    if value is None:
        return None, None
    if value is True or value == "1" or (not isinstance(value, str) and value == 1):
        return "Y", None
    if value is False or value == "0" or (not isinstance(value, str) and value == 0):
        return "N", None
    return None, _text(value)


class _Codes:
    """A lookup table built as values are met: each distinct text value gets one code."""

    def __init__(self, prefix: str, known: Mapping[str, str] | None = None) -> None:
        self.prefix, self.known = prefix, dict(known or {})
        self.codes: dict[str, str] = {}
        self.made = 0  # codes made up for values the RMS has no code of its own for

    def code(self, value: object) -> str | None:
        text = _text(value)
        if text is None:
            return None
        if text not in self.codes:
            if text in self.known:
                self.codes[text] = self.known[text]
            else:
                self.made += 1
                self.codes[text] = f"{self.prefix}{self.made:03d}"
        return self.codes[text]

    def rows(self, code: str, name: str) -> list[dict]:
        return [{code: value_code, name: value} for value, value_code in self.codes.items()]


class _Areas:
    """``ref_lpa``: one code per row of ``districts`` (duplicated names included), and one
    ``OTHER`` code per district name that records use but ``districts`` does not hold."""

    def __init__(self, districts: Sequence[Mapping]) -> None:
        self.rows: list[dict] = []
        self.by_name: dict[str, str] = {}
        for row in districts:
            code = self._add(row.get("district"), "LPA", row.get("population"))
            name = _text(row.get("district"))
            if name is not None:
                self.by_name.setdefault(name, code)

    def _add(self, name: object, kind: str, population: object) -> str:
        code = f"L{len(self.rows) + 1:03d}"
        self.rows.append(
            {
                "lpa_code": code,
                "lpa_name": _text(name),
                "lpa_type": kind,
                "resident_population": population,
            }
        )
        return code

    def code(self, name: object) -> str | None:
        text = _text(name)
        if text is None:
            return None
        if text not in self.by_name:
            self.by_name[text] = self._add(text, "OTHER", None)
        return self.by_name[text]


def _later(value: object, days: int) -> dt.datetime | None:
    """A moment some days after a well-formed timestamp (for a second arrest), else None."""
    text = _text(value)
    if text is None or not _WHOLE_SECONDS.fullmatch(text[:19]):
        return None
    try:
        return dt.datetime.fromisoformat(text) + dt.timedelta(days=days)
    except ValueError:
        return None


def rms_rows(contract_rows: Mapping[str, Sequence[Mapping]]) -> dict[str, list[dict]]:
    """The RMS tables' rows for these contract rows (``MAPPED_TABLES``; others are not read)."""
    rows: dict[str, list[dict]] = {table: [] for table in rms_metadata().tables}
    areas = _Areas(contract_rows.get("districts", []))
    units, outcomes, agencies = _Codes("U"), _Codes("OC"), _Codes("AG")
    order_types = _Codes("OT", ORDER_TYPE_CODES)
    statuses = _Codes("ST", ORDER_STATUS_CODES)
    crimes = list(contract_rows.get("crimes", []))
    occurrences = rows["occurrences"]
    by_reference: dict[str, int] = {}
    empty = dict.fromkeys(c.name for c in rms_metadata().tables["occurrences"].columns)

    def occurrence(values: Mapping) -> dict:
        return {**empty, **values}

    for number, crime in enumerate(crimes, start=1):
        reference = _text(crime.get("crime_id"))
        risk = _text(crime.get("risk_level"))
        risk_code = RISK_CODES.get(risk) if risk is not None else None
        occurrences.append(
            occurrence(
                {
                    "occurrence_id": number,
                    "crime_ref": reference,
                    "record_status": ACTIVE,
                    "lpa_code": areas.code(crime.get("district")),
                    **_moment("reported", crime.get("reported_at")),
                    **_moment("recorded", crime.get("recorded_at")),
                    **_moment("classified", crime.get("classified_at")),
                    "risk_code": risk_code,
                    "risk_legacy": None if risk_code else risk,
                    "breached_order_ref": _text(crime.get("breach_of_order_id")),
                }
            )
        )
        if reference is not None:
            by_reference.setdefault(reference, number)
        _offences(rows["offences"], number, crime.get("offence_code"))
        _flags(rows["occurrence_flags"], number, crime)
        _arrests(rows["arrests"], number, crime.get("arrested_at"))
        if crime.get("outcome_code") is not None or crime.get("outcome_at") is not None:
            rows["occurrence_outcomes"].append(
                {
                    "occurrence_id": number,
                    "outcome_code": outcomes.code(crime.get("outcome_code")),
                    **_moment("outcome", crime.get("outcome_at")),
                }
            )

    def occurrence_of(crime_id: object) -> int | None:
        """The first active occurrence with this reference; else a deleted one that has it."""
        reference = _text(crime_id)
        if reference is None:
            return None
        if reference not in by_reference:
            number = len(occurrences) + 1
            occurrences.append(
                occurrence(
                    {"occurrence_id": number, "crime_ref": reference, "record_status": DELETED}
                )
            )
            by_reference[reference] = number
        return by_reference[reference]

    for number, allocation in enumerate(contract_rows.get("allocations", []), start=1):
        rows["unit_allocations"].append(
            {
                "allocation_id": number,
                "occurrence_id": occurrence_of(allocation.get("crime_id")),
                "unit_code": units.code(allocation.get("unit")),
                **_moment("allocated", allocation.get("allocated_at")),
            }
        )

    people = rows["person_occurrence"]

    def person(occurrence_id: int | None, role: str, victim_ref: str | None) -> int:
        number = len(people) + 1
        rows["persons"].append({"person_id": number, "person_type": "INDIVIDUAL"})
        people.append(
            {
                "link_id": number,
                "person_id": number,
                "occurrence_id": occurrence_id,
                "role_code": role,
                "victim_ref": victim_ref,
            }
        )
        return number

    for victim in contract_rows.get("victims", []):
        link = person(occurrence_of(victim.get("crime_id")), VICTIM, _text(victim.get("victim_id")))
        declined, declined_legacy = _yes_no(victim.get("support_declined"))
        rows["victim_care"].append(
            {
                "link_id": link,
                **_moment("first_contact", victim.get("first_contact_at")),
                **_moment("vna", victim.get("needs_assessment_at")),
                **_moment("referral", victim.get("referred_at")),
                "agency_code": agencies.code(victim.get("referral_service")),
                "support_declined": declined,
                "support_declined_legacy": declined_legacy,
            }
        )
    # Other people on the same occurrences: the victims query must leave them out.
    for number, crime in enumerate(crimes, start=1):
        if crime.get("arrested_at") is not None:
            person(number, SUSPECT, None)
        if number % 5 == 0:
            person(number, WITNESS, None)

    for number, order in enumerate(contract_rows.get("protective_orders", []), start=1):
        decision = order.get("decision")
        rows["court_orders"].append(
            {
                "order_pk": number,
                "order_ref": _text(order.get("order_id")),
                "order_type_code": order_types.code(order.get("order_type")),
                "lpa_code": areas.code(order.get("district")),
                "occurrence_id": occurrence_of(order.get("crime_id")),
                **_moment("applied", order.get("applied_at")),
                "status_code": PENDING if decision is None else statuses.code(decision),
                **_moment("decision", order.get("decided_at")),
                **_moment("iom_referral", order.get("iom_referred_at")),
            }
        )

    _reviews(rows, contract_rows.get("case_reviews", []), occurrence_of)
    _survey(rows, contract_rows.get("victim_survey", []), occurrence_of)

    rows["ref_lpa"] = areas.rows
    rows["ref_unit"] = units.rows("unit_code", "unit_name")
    rows["ref_outcome"] = outcomes.rows("outcome_code", "ho_outcome_type")
    rows["ref_agency"] = agencies.rows("agency_code", "agency_name")
    rows["ref_order_type"] = order_types.rows("order_type_code", "order_type")
    rows["ref_order_status"] = [
        {"status_code": PENDING, "decision": None},
        *statuses.rows("status_code", "decision"),
    ]
    return rows


def _reviews(rows: dict[str, list[dict]], reviews: Sequence[Mapping], occurrence_of) -> None:
    """Dip-sample reviews: one row per review (its crime, date and theme), then its answers.

    The contract repeats a review's crime, date and theme on every answer; rows of one
    review that disagree on them are held as separate reviews with the same reference.
    """
    themes, questions = _Codes("TH"), _Codes("QQ")
    by_review: dict[tuple, int] = {}
    for number, review in enumerate(reviews, start=1):
        columns = ("review_id", "crime_id", "reviewed_at", "theme")
        key = tuple(_text(review.get(column)) for column in columns)
        if key not in by_review:
            by_review[key] = len(by_review) + 1
            rows["qa_reviews"].append(
                {
                    "review_pk": by_review[key],
                    "review_ref": key[0],
                    "occurrence_id": occurrence_of(review.get("crime_id")),
                    **_moment("reviewed", review.get("reviewed_at")),
                    "theme_code": themes.code(review.get("theme")),
                }
            )
        answer = _text(review.get("answer"))
        code = REVIEW_ANSWER_CODES.get(answer) if answer is not None else None
        rows["qa_review_answers"].append(
            {
                "answer_pk": number,
                "review_pk": by_review[key],
                "question_code": questions.code(review.get("question")),
                "answer_code": code,
                "answer_legacy": None if code else answer,
            }
        )
    rows["ref_qa_theme"] = themes.rows("theme_code", "theme")
    rows["ref_qa_question"] = questions.rows("question_code", "question")


def _survey(rows: dict[str, list[dict]], answers: Sequence[Mapping], occurrence_of) -> None:
    """Victim survey: one row per response (its crime and date), then its scored answers."""
    questions = _Codes("SQ")
    by_response: dict[tuple, int] = {}
    for number, answer in enumerate(answers, start=1):
        columns = ("response_id", "crime_id", "responded_at")
        key = tuple(_text(answer.get(column)) for column in columns)
        if key not in by_response:
            by_response[key] = len(by_response) + 1
            rows["survey_responses"].append(
                {
                    "response_pk": by_response[key],
                    "response_ref": key[0],
                    "occurrence_id": occurrence_of(answer.get("crime_id")),
                    **_moment("responded", answer.get("responded_at")),
                }
            )
        rows["survey_answers"].append(
            {
                "answer_pk": number,
                "response_pk": by_response[key],
                "question_code": questions.code(answer.get("question")),
                "score": answer.get("score"),
            }
        )
    rows["ref_survey_question"] = questions.rows("question_code", "question")


def _offences(offences: list[dict], occurrence_id: int, offence_code: object) -> None:
    """The principal offence; every third occurrence also has a secondary one, listed first."""
    if offence_code is None:
        return
    sequence = 1
    if occurrence_id % 3 == 0:
        offences.append(
            {
                "occurrence_id": occurrence_id,
                "offence_seq": sequence,
                "ho_offence_code": SECONDARY_OFFENCE,
                "principal": "N",
            }
        )
        sequence += 1
    offences.append(
        {
            "occurrence_id": occurrence_id,
            "offence_seq": sequence,
            "ho_offence_code": _text(offence_code),
            "principal": "Y",
        }
    )


def _flags(flags: list[dict], occurrence_id: int, crime: Mapping) -> None:
    """DA and SE: a row when raised (no row is "no"); OL: a row once assessed, yes or no.

    A DA or SE flag that is raised but unanswered (the contract's null) is a row without a
    value; a value outside Y/N is kept in ``legacy_value``.
    """
    for code, column, absent_means_no in (
        (DOMESTIC_ABUSE, "domestic_abuse", True),
        (STALKING_ELEMENT, "stalking_element", True),
        (ONLINE_ELEMENT, "online_element", False),
    ):
        value = crime.get(column)
        answer, legacy = _yes_no(value)
        if absent_means_no and answer == "N":
            continue
        if not absent_means_no and value is None:
            continue
        flags.append(
            {
                "occurrence_id": occurrence_id,
                "flag_code": code,
                "flag_value": answer,
                "legacy_value": legacy,
            }
        )


def _arrests(arrests: list[dict], occurrence_id: int, arrested_at: object) -> None:
    """The first arrest; every fourth arrested suspect is arrested again two days later."""
    if arrested_at is None:
        return
    moments = [arrested_at]
    again = _later(arrested_at, days=2) if occurrence_id % 4 == 0 else None
    if again is not None:
        moments.append(again)
    for moment in moments:
        arrests.append(
            {
                "arrest_id": len(arrests) + 1,
                "occurrence_id": occurrence_id,
                **_moment("arrest", moment),
            }
        )


def _passthrough_tables() -> list[str]:
    return [table.name for table in TABLES if table.name not in MAPPED_TABLES]


def build_rms(
    contract_rows: Mapping[str, Sequence[Mapping]], engine_or_path: sa.Engine | str | Path
) -> None:
    """Write the RMS export for these contract rows into an engine, or a new SQLite file.

    The engine's database (or schema) should hold none of these tables yet. The contract
    tables that are not mapped are written under their own names (empty where the rows
    have none).
    """
    if isinstance(engine_or_path, sa.Engine):
        engine, owned = engine_or_path, False
    else:
        path = Path(engine_or_path)
        if path.exists():
            raise FileExistsError(f"{path} exists; the RMS example is only written to a new file")
        engine, owned = sa.create_engine(f"sqlite:///{path}", poolclass=sa.pool.NullPool), True
    try:
        metadata = rms_metadata()
        passthrough = sqlalchemy_metadata(tables=_passthrough_tables())
        rows = rms_rows(contract_rows)
        with engine.begin() as connection:
            metadata.create_all(connection)
            passthrough.create_all(connection)
            for table in metadata.sorted_tables:
                if rows[table.name]:
                    connection.execute(table.insert(), rows[table.name])
            sqlite = connection.dialect.name == "sqlite"
            for table in passthrough.sorted_tables:
                table_rows = contract_rows.get(table.name, [])
                if table_rows:
                    connection.execute(*_untyped_insert(table, table_rows, sqlite))
    finally:
        if owned:
            engine.dispose()


def _untyped_insert(table: sa.Table, rows: Sequence[Mapping], sqlite: bool) -> tuple:
    """An insert that stores values as they are, invalid ones too, as the contract tables do.

    SQLAlchemy's typed columns refuse a boolean column's ``'maybe'``; an untyped insert does
    not. On SQLite, timestamps go in as ISO text and booleans as 1/0, as ``write_sqlite``
    stores them.
    """
    names = [column.name for column in table.columns]
    untyped = sa.table(table.name, *(sa.column(name) for name in names))

    def stored(value: object) -> object:
        if sqlite and isinstance(value, dt.datetime):
            return value.isoformat(sep=" ")
        if sqlite and isinstance(value, bool):
            return int(value)
        return value

    return untyped.insert(), [{n: stored(row.get(n)) for n in names} for row in rows]


def read_contract_rows(path: str | Path) -> dict[str, list[dict]]:
    """Every row of a contract-shaped SQLite file (such as the demo), values as stored."""
    connection = sqlite3.connect(f"file:{Path(path).resolve().as_posix()}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    try:
        present = {name for (name,) in connection.execute("SELECT name FROM sqlite_master")}
        return {
            table.name: [dict(row) for row in connection.execute(f"SELECT * FROM {table.name}")]
            for table in TABLES
            if table.name in present
        }
    finally:
        connection.close()


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m examples.rms.build --output rms.sqlite``: a demo written as an RMS export."""
    parser = argparse.ArgumentParser(
        prog="python -m examples.rms.build",
        description="Write the synthetic demo data as a crime recording system's export.",
    )
    parser.add_argument("--output", required=True, help="a new SQLite file, or a database URL")
    parser.add_argument("--crimes", type=int, default=20_000, help="rows of crimes (20,000)")
    parser.add_argument("--seed", type=int, default=7, help="same seed, same rows (7)")
    parser.add_argument(
        "--dirty-fraction",
        type=float,
        default=0.02,
        help="share of rows made invalid, as in kpi demo-data (0.02)",
    )
    parser.add_argument(
        "--from-contract", metavar="SQLITE", help="read these contract tables instead of a demo"
    )
    args = parser.parse_args(argv)
    try:
        if args.from_contract:
            rows = read_contract_rows(args.from_contract)
        else:
            from queries.demo_data import generate_demo

            with tempfile.TemporaryDirectory() as folder:
                demo = Path(folder) / "demo.sqlite"
                generate_demo(
                    demo, crimes=args.crimes, seed=args.seed, dirty_fraction=args.dirty_fraction
                )
                rows = read_contract_rows(demo)
        target: sa.Engine | Path
        if "://" in args.output:
            target = sa.create_engine(args.output, poolclass=sa.pool.NullPool)
        else:
            target = Path(args.output)
            target.parent.mkdir(parents=True, exist_ok=True)
        build_rms(rows, target)
    except (OSError, ValueError, sqlite3.Error, sa.exc.SQLAlchemyError) as error:
        message = str(getattr(error, "orig", None) or error).strip().splitlines()
        print(f"error: {message[0] if message else type(error).__name__}", file=sys.stderr)
        return 1
    counts = ", ".join(f"{len(rows.get(name, []))} {name}" for name in MAPPED_TABLES[:5])
    print(f"wrote the RMS example to {_shown(args.output)}: {counts}")
    return 0


def _shown(output: str) -> str:
    """The output without a password, if it is a URL."""
    if "://" not in output:
        return output
    try:
        return sa.make_url(output).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "<database URL>"


if __name__ == "__main__":
    sys.exit(main())
