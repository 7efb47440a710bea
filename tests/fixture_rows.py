"""A small hand-built source, every row chosen to sit on a boundary of the specification.

``VALID`` rows pass validation (some with warnings); ``INVALID`` rows break exactly the
rules listed in ``EXPECTED_REPORT``. Both can be stored in SQLite, PostgreSQL and MariaDB.
``SQLITE_ONLY`` rows hold text that typed engines cannot store (unparseable values).

Span: the earliest period date is C01's report (2024-01-15), the latest O4's decision
(2024-07-10). February 2024 has no period date at all: an empty month.
"""

from __future__ import annotations

from datetime import datetime as t

DISTRICTS = [
    {"district": "North", "population": 120_000},
    {"district": "South", "population": 80_000},
    {"district": "Empty", "population": 1_000},  # a district with no records at all
]
DISTRICTS_INVALID = [
    {"district": "Dup", "population": 10},  # duplicated: both copies are errors
    {"district": "Dup", "population": 20},
    {"district": " ", "population": 100},  # blank name: required
    {"district": "Neg", "population": -5},  # not a whole number >= 0
]


def crime(crime_id, district, reported, code, **columns):
    row = {
        "crime_id": crime_id,
        "district": district,
        "reported_at": reported,
        "recorded_at": None,
        "classified_at": None,
        "offence_code": code,
        "stalking_element": False,
        "domestic_abuse": False,
        "risk_level": None,
        "breach_of_order_id": None,
        "arrested_at": None,
        "outcome_code": None,
        "outcome_at": None,
    }
    row.update(columns)
    return row


CRIMES = [
    # Classified exactly 24:00:00 after the report: within 24 hours.
    crime(
        "C01",
        "North",
        t(2024, 1, 15, 9),
        "8Q",
        recorded_at=t(2024, 1, 15, 10),
        classified_at=t(2024, 1, 16, 9),
        domestic_abuse=True,
        risk_level="high",
        outcome_code="1",
        outcome_at=t(2024, 2, 20),
    ),
    # Recorded one second before 1 April (financial year 2023/24); classified 24h + 1s later.
    crime(
        "C02",
        "North",
        t(2024, 3, 31, 23, 30),
        "8L",
        recorded_at=t(2024, 3, 31, 23, 59, 59),
        classified_at=t(2024, 4, 1, 23, 30, 1),
        risk_level="high",
        outcome_code="14",
        outcome_at=t(2024, 5, 1),
    ),
    # Reported and recorded at the first instant of 2024/25.
    crime(
        "C03",
        "North",
        t(2024, 4, 1),
        "8M",
        recorded_at=t(2024, 4, 1),
        domestic_abuse=True,
        risk_level="medium",
    ),
    # Reported in March (2023/24) but recorded in April (2024/25).
    crime(
        "C04",
        "South",
        t(2024, 3, 31, 12),
        "8Q",
        recorded_at=t(2024, 4, 1, 8),
        classified_at=t(2024, 3, 31, 13),
        risk_level="high",
        arrested_at=t(2024, 4, 2),
        outcome_code="16",
        outcome_at=t(2024, 6, 1),
    ),
    # Malicious communications with a stalking element: an S&H case outside the S&H groups.
    crime(
        "C05",
        "South",
        t(2024, 5, 10, 10),
        "8R",
        recorded_at=t(2024, 5, 10, 11),
        classified_at=t(2024, 5, 11, 10),
        stalking_element=True,
        risk_level="standard",
        outcome_code="3A",
        outcome_at=t(2024, 6, 1),
    ),
    # Never recorded: counts by report date only.
    crime(
        "C06",
        "South",
        t(2024, 5, 20),
        "8Q",
        classified_at=t(2024, 5, 20, 12),
        domestic_abuse=True,
        risk_level="high",
    ),
    # A breach of order O1 with an arrest; not an S&H case.
    crime(
        "C07",
        "North",
        t(2024, 6, 5, 8),
        "105A",
        recorded_at=t(2024, 6, 5, 9),
        classified_at=t(2024, 6, 5, 9),
        domestic_abuse=True,
        breach_of_order_id="O1",
        arrested_at=t(2024, 6, 5, 10),
        outcome_code="22",
        outcome_at=t(2024, 6, 30),
    ),
    # District Dup is invalid in districts (duplicated), so unknown here; breach of no order.
    crime(
        "C08",
        "Dup",
        t(2024, 6, 10, 10),
        "8L",
        recorded_at=t(2024, 6, 10, 11),
        classified_at=t(2024, 6, 10, 12),
        risk_level="standard",
        breach_of_order_id="O_MISSING",
        outcome_code="8",
        outcome_at=t(2024, 7, 1),
    ),
    # An unknown district; coercive control with a stalking element, high risk.
    crime(
        "C09",
        "Mars",
        t(2024, 7, 5, 10),
        "8U",
        recorded_at=t(2024, 7, 5, 11),
        stalking_element=True,
        domestic_abuse=True,
        risk_level="high",
    ),
    # Outcome 4 is not positive; first allocated to "cid", which is not "CID".
    crime(
        "C10",
        "North",
        t(2024, 6, 20, 10),
        "8Q",
        recorded_at=t(2024, 6, 21, 10),
        classified_at=t(2024, 6, 20, 10, 30),
        risk_level="high",
        outcome_code="4",
        outcome_at=t(2024, 7, 1),
    ),
    # Harassment with a stalking element: counted once.
    crime(
        "C11",
        "North",
        t(2024, 4, 15, 10),
        "8L",
        recorded_at=t(2024, 4, 15, 11),
        stalking_element=True,
        risk_level="high",
        outcome_code="1A",
        outcome_at=t(2024, 5, 15),
    ),
    # A breach of an order that is itself invalid: still a breach, with a warning.
    crime(
        "C20",
        "South",
        t(2024, 6, 12, 9),
        "8Q",
        recorded_at=t(2024, 6, 12, 9),
        breach_of_order_id="O90",
        risk_level="medium",
    ),
]

CRIMES_INVALID = [
    crime("C12", "North", t(2024, 5, 1), "8Q", recorded_at=t(2024, 5, 1)),  # duplicated id
    crime("C12", "South", t(2024, 5, 2), "8L"),
    crime("C13", "North", t(2024, 5, 3), "8Q", recorded_at=t(2024, 5, 2)),  # recorded before
    crime("C14", "North", t(2024, 5, 4), "8Q", outcome_code="1"),  # outcome without a date
    crime("C15", "North", t(2024, 5, 5), "8Q", risk_level="High"),  # not a risk level
    crime("C16", "North", t(2024, 5, 6), "8Q", outcome_code="0", outcome_at=t(2024, 5, 7)),
    crime(None, "North", t(2024, 5, 7), "8Q"),  # no crime_id
    crime("C17", None, t(2024, 5, 8), "8Q"),  # no district
    crime("C18", "North", t(2024, 5, 9), "8Q", stalking_element=None),  # no boolean
    # Two errors on one row, and a warning (unknown district) that is not listed.
    crime(
        "C19", "Mars", t(2024, 5, 10), "8Q", classified_at=t(2024, 5, 9), arrested_at=t(2024, 5, 9)
    ),
]

ALLOCATIONS = [
    {"crime_id": "C01", "unit": "CID", "allocated_at": t(2024, 1, 15, 12)},  # 3 hours
    {"crime_id": "C02", "unit": "patrol", "allocated_at": t(2024, 4, 1)},
    {"crime_id": "C02", "unit": "CID", "allocated_at": t(2024, 4, 2, 23, 30)},  # 48 hours
    {"crime_id": "C04", "unit": "patrol", "allocated_at": t(2024, 3, 31, 13)},  # a tie
    {"crime_id": "C04", "unit": "CID", "allocated_at": t(2024, 3, 31, 13)},  # 1 hour
    {"crime_id": "C09", "unit": "DIT", "allocated_at": t(2024, 7, 5, 12)},
    {"crime_id": "C10", "unit": "cid", "allocated_at": t(2024, 6, 20, 11)},
    {"crime_id": "C10", "unit": "CID", "allocated_at": t(2024, 6, 22, 10)},  # 48 hours
    {"crime_id": "C11", "unit": "CID", "allocated_at": t(2024, 4, 16, 10)},  # 24 hours
]
ALLOCATIONS_INVALID = [
    {"crime_id": "C99", "unit": "CID", "allocated_at": t(2024, 5, 1)},  # orphan
    {"crime_id": "C12", "unit": "CID", "allocated_at": t(2024, 5, 1)},  # its crime is invalid
    {"crime_id": "C01", "unit": "CID", "allocated_at": t(2024, 1, 15, 8)},  # before the report
    {"crime_id": "C01", "unit": None, "allocated_at": t(2024, 1, 16)},  # no unit
    {"crime_id": None, "unit": "CID", "allocated_at": t(2024, 1, 16)},  # no crime
]


def victim(victim_id, crime_id, **columns):
    row = {
        "victim_id": victim_id,
        "crime_id": crime_id,
        "first_contact_at": None,
        "needs_assessment_at": None,
        "referred_at": None,
        "referral_service": None,
        "support_declined": False,
    }
    row.update(columns)
    return row


VICTIMS = [
    victim(
        "V01",
        "C01",
        first_contact_at=t(2024, 1, 16, 9),
        needs_assessment_at=t(2024, 1, 20),
        referred_at=t(2024, 1, 22),
        referral_service="Lighthouse",
    ),  # exactly 24 hours
    victim("V02", "C01", first_contact_at=t(2024, 1, 16, 9, 0, 1), support_declined=True),
    victim("V03", "C02"),  # never contacted
    victim(
        "V04",
        "C04",
        first_contact_at=t(2024, 3, 31, 14),
        needs_assessment_at=t(2024, 4, 2),
        referred_at=t(2024, 4, 3),
        referral_service="ISAC",
    ),  # 2 hours
    victim("V05", "C05", first_contact_at=t(2024, 5, 10, 16)),  # 6 hours
    victim("V06", "C07", first_contact_at=t(2024, 6, 5, 9)),  # not an S&H case
    victim(
        "V07",
        "C09",
        first_contact_at=t(2024, 7, 6, 9),
        referred_at=t(2024, 7, 7),
        referral_service="IDVA",
    ),  # 23 hours
    victim(
        "V08",
        "C11",
        first_contact_at=t(2024, 4, 17, 10),
        needs_assessment_at=t(2024, 4, 20),
        support_declined=True,
    ),  # 48 hours
]
VICTIMS_INVALID = [
    victim("V90", "C99"),  # orphan
    victim("V92", "C03"),  # duplicated id
    victim("V92", "C03"),
    victim("V93", "C03", first_contact_at=t(2024, 3, 31, 23)),  # before the report
    victim("V94", "C03", support_declined=None),  # no boolean
]


def order(order_id, order_type, district, applied, **columns):
    row = {
        "order_id": order_id,
        "order_type": order_type,
        "district": district,
        "crime_id": None,
        "applied_at": applied,
        "decision": None,
        "decided_at": None,
    }
    row.update(columns)
    return row


ORDERS = [
    order(
        "O1",
        "SPO",
        "North",
        t(2024, 1, 20),
        crime_id="C01",
        decision="granted",
        decided_at=t(2024, 3, 10),
    ),
    order(
        "O2",
        "ISPO",
        "South",
        t(2024, 4, 2),
        crime_id="C04",
        decision="granted",
        decided_at=t(2024, 4, 3),
    ),
    order("O3", "RO", "North", t(2024, 5, 1), decision="granted", decided_at=t(2024, 5, 20)),
    order(
        "O4",
        "SPO",
        "Mars",
        t(2024, 6, 1),
        crime_id="C99",
        decision="refused",
        decided_at=t(2024, 7, 10),
    ),  # unknown district; its crime_id is not checked
    order("O5", "SPO", "North", t(2024, 6, 15)),  # pending
]
ORDERS_INVALID = [
    order("O90", "spo", "North", t(2024, 5, 1)),  # not an order type
    order("O91", "SPO", "North", t(2024, 5, 1), decision="granted", decided_at=t(2024, 4, 30)),
    order("O92", "SPO", "North", t(2024, 5, 1), decision="granted"),  # no decision date
    order("O93", "SPO", "North", None),  # no application date
    order("O94", "NMO", "South", t(2024, 5, 1)),  # duplicated id
    order("O94", "NMO", "South", t(2024, 5, 2)),
]

VALID = {
    "districts": DISTRICTS,
    "crimes": CRIMES,
    "allocations": ALLOCATIONS,
    "victims": VICTIMS,
    "protective_orders": ORDERS,
}
INVALID = {
    "districts": DISTRICTS_INVALID,
    "crimes": CRIMES_INVALID,
    "allocations": ALLOCATIONS_INVALID,
    "victims": VICTIMS_INVALID,
    "protective_orders": ORDERS_INVALID,
}
ALL_ROWS = {name: VALID[name] + INVALID[name] for name in VALID}

# Every line of the data-quality report, in table order then row order (valid rows first).
EXPECTED_REPORT = [
    ("districts", "Dup", "error", "duplicate:district"),
    ("districts", "Dup", "error", "duplicate:district"),
    ("districts", "", "error", "required:district"),
    ("districts", "Neg", "error", "invalid_population:population"),
    ("crimes", "C08", "warning", "unknown_district"),
    ("crimes", "C08", "warning", "unknown_breach_order"),
    ("crimes", "C09", "warning", "unknown_district"),
    ("crimes", "C20", "warning", "unknown_breach_order"),
    ("crimes", "C12", "error", "duplicate:crime_id"),
    ("crimes", "C12", "error", "duplicate:crime_id"),
    ("crimes", "C13", "error", "before_reported:recorded_at"),
    ("crimes", "C14", "error", "outcome_pair"),
    ("crimes", "C15", "error", "not_allowed:risk_level"),
    ("crimes", "C16", "error", "not_allowed:outcome_code"),
    ("crimes", "", "error", "required:crime_id"),
    ("crimes", "C17", "error", "required:district"),
    ("crimes", "C18", "error", "required:stalking_element"),
    ("crimes", "C19", "error", "before_reported:classified_at"),
    ("crimes", "C19", "error", "before_reported:arrested_at"),
    ("allocations", "C99", "error", "unknown_crime"),
    ("allocations", "C12", "error", "unknown_crime"),
    ("allocations", "C01", "error", "before_reported:allocated_at"),
    ("allocations", "C01", "error", "required:unit"),
    ("allocations", "", "error", "required:crime_id"),
    ("victims", "V90", "error", "unknown_crime"),
    ("victims", "V92", "error", "duplicate:victim_id"),
    ("victims", "V92", "error", "duplicate:victim_id"),
    ("victims", "V93", "error", "before_reported:first_contact_at"),
    ("victims", "V94", "error", "required:support_declined"),
    ("protective_orders", "O4", "warning", "unknown_district"),
    ("protective_orders", "O90", "error", "not_allowed:order_type"),
    ("protective_orders", "O91", "error", "decided_before_applied"),
    ("protective_orders", "O92", "error", "decision_pair"),
    ("protective_orders", "O93", "error", "required:applied_at"),
    ("protective_orders", "O94", "error", "duplicate:order_id"),
    ("protective_orders", "O94", "error", "duplicate:order_id"),
]

# Rows SQLite can hold but typed engines cannot: each line is (table, row, expected rule or None).
SQLITE_ONLY = [
    ("crimes", crime("S01", "North", "2024-02-30 10:00:00", "8Q"), "unparseable:reported_at"),
    ("crimes", crime("S02", "North", "2024-03-01", "8Q"), "unparseable:reported_at"),
    ("crimes", crime("S03", "North", "2024-3-01 10:00:00", "8Q"), "unparseable:reported_at"),
    ("crimes", crime("S04", "North", "2024-03-01 10:00:00 UTC", "8Q"), "unparseable:reported_at"),
    ("crimes", crime("S05", "North", "2024-03-01 24:00:00", "8Q"), "unparseable:reported_at"),
    (
        "crimes",
        crime("S06", "North", "2024-03-01 10:00:00.1234567", "8Q"),
        "unparseable:reported_at",
    ),
    ("crimes", crime("S07", "North", "   ", "8Q"), "required:reported_at"),
    (
        "crimes",
        crime("S08", "North", "2024-03-01 10:00:00", "8Q", domestic_abuse="yes"),
        "unparseable:domestic_abuse",
    ),
    (
        "crimes",
        crime("S09", "North", "2024-03-01 10:00:00", "8Q", stalking_element=2),
        "unparseable:stalking_element",
    ),
    # Unparseable but set: the outcome pair rule sees the date as present, so only one error.
    (
        "crimes",
        crime("S10", "North", "2024-03-01 10:00:00", "8Q", outcome_code="1", outcome_at="soon"),
        "unparseable:outcome_at",
    ),
    (
        "crimes",
        crime("S11", "North", "2024-03-01 10:00:00", "8Q", risk_level=" high"),
        "not_allowed:risk_level",
    ),
    (
        "crimes",
        crime("S12", "North", "2024-03-01 10:00:00", "8Q", offence_code=""),
        "required:offence_code",
    ),
    # The name of the force-wide row cannot be a district's (the contract is silent on this).
    ("districts", {"district": "All", "population": 5}, "reserved:district"),
    ("crimes", crime("S13", "All", "2024-03-01 10:00:00", "8Q"), "reserved:district"),
    ("districts", {"district": "Frac", "population": 12.5}, "invalid_population:population"),
    ("districts", {"district": "Text", "population": "many"}, "invalid_population:population"),
    # Valid spellings: T separator, fractions up to 6 digits, booleans in any case.
    (
        "crimes",
        crime(
            "S20",
            "North",
            "2024-03-01T10:00:00.123456",
            "8Q",
            recorded_at="2024-03-01 10:00:00.5",
            stalking_element="TRUE",
            domestic_abuse="f",
        ),
        None,
    ),
    (
        "crimes",
        crime(
            "S21",
            "North",
            "2024-03-02 10:00:00",
            "8Q",
            stalking_element="T",
            domestic_abuse="0",
            risk_level="",
        ),
        None,
    ),
]
