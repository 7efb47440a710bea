"""A hand-built source for contract and catalogue v1.1, every edge case worked out by hand.

It is the v1 fixture (``tests/fixture_rows.py``) with the two optional columns filled in, two
more orders, and the five optional tables. ``VALID`` rows pass validation (some with
warnings); ``INVALID`` rows break the rules named beside them. ``EXPECTED`` and
``EXPECTED_DEPARTMENTS`` hold cells worked out by hand (the working is in the comments).

Span: the earliest period date is still C01's report (2024-01-15); the latest is now audit
A6 (2024-08-20), an audit in a district that is nowhere else (Atlantis). Training dates do
not set the span. Months January to August 2024 (8), quarters 2023/24 Q4 to 2024/25 Q2 (3),
financial years 2023/24 and 2024/25 (2). Places: All; Empty, North, South (known); Atlantis,
Dup, Mars (unknown).

Recorded S&H crimes of the v1 fixture, with their district, recorded month and the
``online_element`` given here (T true, F false, - null = not assessed):

    C01 North Jan T | C02 North Mar - | C03 North Apr F | C04 South Apr T | C11 North Apr T
    C05 South May T | C08 Dup   Jun F | C10 North Jun - | C20 South Jun F | C09 Mars  Jul T

C06 (never recorded) and C07 (not an S&H case) have ``online_element`` true and never count.
"""

from __future__ import annotations

from datetime import datetime as t

from tests import fixture_rows as v1

# --------------------------------------------------------------------- crimes.online_element

ONLINE_ELEMENT = {
    "C01": True,
    "C02": None,  # not assessed: left out of the denominator
    "C03": False,
    "C04": True,
    "C05": True,
    "C06": True,  # never recorded
    "C07": True,  # not an S&H case
    "C08": False,
    "C09": True,
    "C10": None,
    "C11": True,
    "C20": False,
}
CRIMES = [row | {"online_element": ONLINE_ELEMENT[row["crime_id"]]} for row in v1.CRIMES]
CRIMES_INVALID = [row | {"online_element": None} for row in v1.CRIMES_INVALID]

# ---------------------------------------------------------- protective_orders.iom_referred_at

IOM_REFERRED = {
    "O1": t(2024, 4, 15),  # granted SPO (decided 10 March), referred a month later
    "O2": None,  # granted ISPO (decided 3 April), never referred
    "O3": t(2024, 5, 25),  # a restraining order: not an SPO, ignored
    "O4": t(2024, 6, 5),  # refused SPO: not in the denominator, so its referral is ignored
    "O5": None,  # pending
}
ORDERS = [row | {"iom_referred_at": IOM_REFERRED[row["order_id"]]} for row in v1.ORDERS] + [
    # Granted SPO referred at the very instant of its application (not before it: valid).
    v1.order(
        "O6",
        "SPO",
        "South",
        t(2024, 6, 1),
        crime_id="C20",
        decision="granted",
        decided_at=t(2024, 6, 20),
        iom_referred_at=t(2024, 6, 1),
    ),
    # Granted SPO, not referred.
    v1.order(
        "O7",
        "SPO",
        "North",
        t(2024, 6, 3),
        crime_id="C10",
        decision="granted",
        decided_at=t(2024, 6, 25),
        iom_referred_at=None,
    ),
]
ORDERS_INVALID = [row | {"iom_referred_at": None} for row in v1.ORDERS_INVALID] + [
    # Referred one second before the application: before_applied:iom_referred_at.
    v1.order(
        "O95",
        "SPO",
        "North",
        t(2024, 5, 1),
        decision="granted",
        decided_at=t(2024, 5, 10),
        iom_referred_at=t(2024, 4, 30, 23, 59, 59),
    ),
]

# ---------------------------------------------------------------------------------- workforce

WORKFORCE = [
    {"department": "Patrol", "headcount": 100},
    {"department": "CID", "headcount": 40},
    {"department": "Safeguarding", "headcount": 20},
    {"department": "Custody", "headcount": 10},  # nobody trained: 0 of 10
]
HEADCOUNT = 170  # 100 + 40 + 20 + 10
WORKFORCE_INVALID = [
    # A headcount of 0 is not a whole number of at least 1: the department is not valid, so
    # completions in it draw the unknown_department warning.
    {"department": "Contact centre", "headcount": 0},
]

# --------------------------------------------------------------------------- training_records


def completion(staff_ref, department, course, completed_at):
    return {
        "staff_ref": staff_ref,
        "department": department,
        "course": course,
        "completed_at": completed_at,
    }


TRAINING = [
    # stalking_elearning
    completion("S001", "Patrol", "stalking_elearning", t(2023, 11, 10, 14)),  # before the span
    completion("S002", "Patrol", "stalking_elearning", t(2024, 1, 31, 23, 59, 59)),  # January
    completion("S003", "Patrol", "stalking_elearning", t(2024, 2, 1)),  # February, not January
    completion("S003", "Patrol", "stalking_elearning", t(2024, 5, 1, 10)),  # trained twice
    completion("S004", "CID", "stalking_elearning", t(2024, 3, 15, 9)),
    # S006 moves from Patrol to Safeguarding and completes the course in both: once in each
    # department, once in the force.
    completion("S006", "Patrol", "stalking_elearning", t(2024, 6, 30, 12)),
    completion("S006", "Safeguarding", "stalking_elearning", t(2024, 7, 2, 9)),
    completion("S011", "Safeguarding", "stalking_elearning", t(2024, 8, 15, 11)),
    # After the last month and quarter of the span, but on or before 31 March 2025, the last
    # day of financial year 2024/25: counts at that grain only.
    completion("S012", "Patrol", "stalking_elearning", t(2024, 10, 1, 9)),
    # Warnings (unknown_department): departments not among the valid workforce rows.
    completion("S007", "Contact centre", "stalking_elearning", t(2024, 2, 10, 9)),
    completion("S008", "Neighbourhood", "stalking_elearning", t(2024, 3, 1, 9)),
    # spo_training
    completion("S004", "CID", "spo_training", t(2024, 4, 10, 9)),
    # The very same completion twice: not an error, counts once.
    completion("S005", "CID", "spo_training", t(2024, 4, 10, 9)),
    completion("S005", "CID", "spo_training", t(2024, 4, 10, 9)),
    completion("S010", "Patrol", "spo_training", t(2024, 7, 31, 23)),
    completion("S007", "Contact centre", "spo_training", t(2024, 4, 20, 9)),  # warning
    # Another course: ignored by the v1.1 metrics.
    completion("S009", "Safeguarding", "first_aid", t(2024, 1, 5, 9)),
]
TRAINING_INVALID = [
    completion("S090", "Patrol", "stalking_elearning", None),  # required:completed_at
    completion(" ", "Patrol", "stalking_elearning", t(2024, 1, 10)),  # required:staff_ref
]

# ------------------------------------------------------------------------------- case_reviews


def answer(review_id, crime_id, reviewed_at, theme, question, answer_):
    return {
        "review_id": review_id,
        "crime_id": crime_id,
        "reviewed_at": reviewed_at,
        "theme": theme,
        "question": question,
        "answer": answer_,
    }


REVIEWS = [
    # R1 (C01, North) spans March and April, so two quarters and two financial years: one
    # review, counted in March 2024 (its earliest row) only.
    answer("R1", "C01", t(2024, 3, 28, 10), "risk_assessment", "sdash_completed", "yes"),
    answer("R1", "C01", t(2024, 3, 28, 10), "risk_assessment", "spo_considered", "yes"),
    answer("R1", "C01", t(2024, 4, 2, 10), "risk_assessment", "cid_if_high_risk", "yes"),
    answer("R1", "C01", t(2024, 4, 2, 10), "risk_assessment", "impact_evidenced", "no"),
    # R2 (C04, South): its earliest row (30 March) is invalid (before the report), so it
    # counts in April, from its earliest valid row.
    answer("R2", "C04", t(2024, 4, 20, 10), "perpetrator_focus", "sdash_completed", "no"),
    answer("R2", "C04", t(2024, 4, 20, 10), "perpetrator_focus", "spo_considered", "no"),
    answer("R2", "C04", t(2024, 4, 20, 10), "perpetrator_focus", "impact_evidenced", "yes"),
    answer("R2", "C04", t(2024, 4, 20, 10), "perpetrator_focus", "cid_if_high_risk", "yes"),
    # R3 (C05, South, standard risk): two n/a answers, out of every compliance denominator.
    answer("R3", "C05", t(2024, 6, 10, 10), "safety_planning", "cid_if_high_risk", "n/a"),
    answer("R3", "C05", t(2024, 6, 10, 10), "safety_planning", "spo_considered", "n/a"),
    answer("R3", "C05", t(2024, 6, 10, 10), "safety_planning", "sdash_completed", "yes"),
    # R4 names two crimes at the same earliest time: the smallest crime_id (C03, North) gives
    # the review its district. Each answer keeps its own crime's district.
    answer("R4", "C08", t(2024, 6, 15, 10), "safety_planning", "sdash_completed", "yes"),
    answer("R4", "C03", t(2024, 6, 15, 10), "safety_planning", "spo_considered", "yes"),
    # R5 (C09, Mars: an unknown district).
    answer("R5", "C09", t(2024, 7, 20, 10), "victim_unable_to_support", "spo_considered", "no"),
    answer("R5", "C09", t(2024, 7, 20, 10), "victim_unable_to_support", "sdash_completed", "yes"),
]
REVIEWS_INVALID = [
    # before_reported:reviewed_at (C04 was reported on 31 March at 12:00).
    answer("R2", "C04", t(2024, 3, 30, 10), "perpetrator_focus", "victim_voice", "yes"),
    answer("R7", "C12", t(2024, 5, 10), "risk_assessment", "spo_considered", "yes"),  # C12 invalid
    answer("R8", "C99", t(2024, 5, 10), "risk_assessment", "spo_considered", "yes"),  # no crime
    answer("R9", "C10", t(2024, 6, 25), "risk_assessment", "sdash_completed", "N/A"),  # not_allowed
    # The same (review_id, question) twice: both copies are errors.
    answer("R10", "C10", t(2024, 6, 25), "risk_assessment", "spo_considered", "yes"),
    answer("R10", "C10", t(2024, 6, 26), "risk_assessment", "spo_considered", "no"),
]

# ----------------------------------------------------------------------------- victim_survey


def response(response_id, crime_id, responded_at, question, score):
    return {
        "response_id": response_id,
        "crime_id": crime_id,
        "responded_at": responded_at,
        "question": question,
        "score": score,
    }


SURVEY = [
    response("P1", "C01", t(2024, 2, 10, 12), "overall_satisfaction", 5),  # North
    response("P1", "C01", t(2024, 2, 10, 12), "kept_informed", 3),
    response("P1", "C01", t(2024, 2, 10, 12), "treated_fairly", 4),
    response("P2", "C04", t(2024, 4, 25, 12), "overall_satisfaction", 3),  # South, not satisfied
    response("P2", "C04", t(2024, 4, 25, 12), "kept_informed", 2),
    response("P3", None, t(2024, 5, 5, 12), "overall_satisfaction", 4),  # no crime: force only
    response("P4", "C99", t(2024, 5, 6, 12), "overall_satisfaction", 5),  # warning: force only
    response("P5", "C12", t(2024, 5, 7, 12), "overall_satisfaction", 1),  # C12 invalid: force only
    response("P6", "C11", t(2024, 5, 20, 12), "overall_satisfaction", 4),  # North
    response("P6", "C11", t(2024, 5, 20, 12), "treated_fairly", 5),
    response("P7", "C10", t(2024, 7, 1, 12), "overall_satisfaction", 2),  # North, July
    response("P8", "C20", t(2024, 6, 30, 23, 59, 59), "overall_satisfaction", 5),  # South, June
    response("P8", "C20", t(2024, 6, 30, 23, 59, 59), "would_recommend", 5),  # other question
]
SURVEY_INVALID = [
    response("P9", "C01", t(2024, 3, 1), "overall_satisfaction", 6),  # invalid_score
    response("P10", "C01", t(2024, 3, 2), "overall_satisfaction", 5),  # duplicate, both copies
    response("P10", "C01", t(2024, 3, 3), "overall_satisfaction", 4),
    response("P11", "C01", t(2024, 3, 4), "overall_satisfaction", None),  # required:score
]

# ------------------------------------------------------------------------- crime_data_audits


def audit(audit_id, district, audited_at, should, recorded):
    return {
        "audit_id": audit_id,
        "district": district,
        "audited_at": audited_at,
        "should_record_sh": should,
        "recorded_sh": recorded,
    }


AUDITS = [
    audit("A1", "North", t(2024, 1, 20, 10), True, True),
    audit("A2", "North", t(2024, 1, 25, 10), True, False),
    audit("A3", "North", t(2024, 3, 1, 10), False, False),  # out of the denominator
    audit("A4", "South", t(2024, 4, 10, 10), True, True),
    audit("A5", "South", t(2024, 5, 10, 10), False, True),  # recorded though not needed: out
    # Atlantis is in no other table: an unknown district (warning) with rows for every metric;
    # the latest date of the fixture, so August 2024 joins the span.
    audit("A6", "Atlantis", t(2024, 8, 20, 10), True, True),
]
AUDITS_INVALID = [
    audit(None, "North", t(2024, 2, 1), True, True),  # required:audit_id
    audit("A8", "South", t(2024, 2, 2), True, True),  # duplicate:audit_id, both copies
    audit("A8", "South", t(2024, 2, 3), True, False),
    audit("A9", "South", t(2024, 2, 4), None, True),  # required:should_record_sh
]

VALID = {
    "districts": v1.DISTRICTS,
    "crimes": CRIMES,
    "allocations": v1.ALLOCATIONS,
    "victims": v1.VICTIMS,
    "protective_orders": ORDERS,
    "workforce": WORKFORCE,
    "training_records": TRAINING,
    "case_reviews": REVIEWS,
    "victim_survey": SURVEY,
    "crime_data_audits": AUDITS,
}
INVALID = {
    "districts": v1.DISTRICTS_INVALID,
    "crimes": CRIMES_INVALID,
    "allocations": v1.ALLOCATIONS_INVALID,
    "victims": v1.VICTIMS_INVALID,
    "protective_orders": ORDERS_INVALID,
    "workforce": WORKFORCE_INVALID,
    "training_records": TRAINING_INVALID,
    "case_reviews": REVIEWS_INVALID,
    "victim_survey": SURVEY_INVALID,
    "crime_data_audits": AUDITS_INVALID,
}
ALL_ROWS = {name: VALID[name] + INVALID[name] for name in VALID}

# The rules the v1.1 rows above break or warn about (the v1 rows' rules are in
# fixture_rows.EXPECTED_REPORT), as (table, key, severity, rule), in row order.
EXPECTED_V11_REPORT = [
    ("protective_orders", "O95", "error", "before_applied:iom_referred_at"),
    ("workforce", "Contact centre", "error", "invalid_headcount:headcount"),
    ("training_records", "S007", "warning", "unknown_department"),
    ("training_records", "S008", "warning", "unknown_department"),
    ("training_records", "S007", "warning", "unknown_department"),
    ("training_records", "S090", "error", "required:completed_at"),
    ("training_records", "", "error", "required:staff_ref"),
    ("case_reviews", "R2", "error", "before_reported:reviewed_at"),
    ("case_reviews", "R7", "error", "unknown_crime"),
    ("case_reviews", "R8", "error", "unknown_crime"),
    ("case_reviews", "R9", "error", "not_allowed:answer"),
    ("case_reviews", "R10", "error", "duplicate:review_id+question"),
    ("case_reviews", "R10", "error", "duplicate:review_id+question"),
    ("victim_survey", "P4", "warning", "unknown_crime"),
    ("victim_survey", "P5", "warning", "unknown_crime"),
    ("victim_survey", "P9", "error", "invalid_score:score"),
    ("victim_survey", "P10", "error", "duplicate:response_id+question"),
    ("victim_survey", "P10", "error", "duplicate:response_id+question"),
    ("victim_survey", "P11", "error", "required:score"),
    ("crime_data_audits", "A6", "warning", "unknown_district"),
    ("crime_data_audits", "", "error", "required:audit_id"),
    ("crime_data_audits", "A8", "error", "duplicate:audit_id"),
    ("crime_data_audits", "A8", "error", "duplicate:audit_id"),
    ("crime_data_audits", "A9", "error", "required:should_record_sh"),
]

# A value of an optional column that does not parse leaves the whole row out (SQLite only).
SQLITE_ONLY = [
    (
        "crimes",
        v1.crime("S30", "North", "2024-03-01 10:00:00", "8Q", online_element="maybe"),
        "unparseable:online_element",
    ),
]

MONTHS = [f"2024-{month:02}" for month in range(1, 9)]
QUARTERS = ["2023/24 Q4", "2024/25 Q1", "2024/25 Q2"]
YEARS = ["2023/24", "2024/25"]
KNOWN_DISTRICTS = ["Empty", "North", "South"]
UNKNOWN_DISTRICTS = ["Atlantis", "Dup", "Mars"]
DEPARTMENTS = ["CID", "Custody", "Patrol", "Safeguarding"]

M, Q, Y = "month", "quarter", "financial_year"
_ = None  # an empty cell

# (grain, metric_id, period_label, district): (numerator, denominator, value), by hand.
EXPECTED: dict[tuple[str, str, str, str], tuple[int | None, int | None, float | None]] = {
    # online_element_rate: recorded S&H crimes with online_element true / not null.
    (M, "online_element_rate", "2024-01", "All"): (1, 1, 1.0),  # C01 T
    (M, "online_element_rate", "2024-02", "All"): (0, 0, _),  # nothing recorded
    (M, "online_element_rate", "2024-03", "North"): (0, 0, _),  # C02 recorded, not assessed
    (M, "online_element_rate", "2024-04", "All"): (2, 3, 2 / 3),  # C03 F, C04 T, C11 T
    (M, "online_element_rate", "2024-04", "North"): (1, 2, 0.5),  # C03 F, C11 T
    (M, "online_element_rate", "2024-06", "All"): (0, 2, 0.0),  # C08 F, C20 F; C10 null
    (M, "online_element_rate", "2024-06", "Dup"): (0, 1, 0.0),
    (M, "online_element_rate", "2024-07", "Mars"): (1, 1, 1.0),  # C09 T
    (M, "online_element_rate", "2024-08", "Atlantis"): (0, 0, _),
    (Q, "online_element_rate", "2023/24 Q4", "All"): (1, 1, 1.0),  # C01 T; C02 null
    (Q, "online_element_rate", "2024/25 Q1", "All"): (3, 6, 0.5),  # C03 C04 C05 C08 C11 C20
    (Q, "online_element_rate", "2024/25 Q1", "South"): (2, 3, 2 / 3),  # C04 T, C05 T, C20 F
    (Q, "online_element_rate", "2024/25 Q1", "North"): (1, 2, 0.5),  # C03 F, C11 T; C10 null
    (Y, "online_element_rate", "2023/24", "All"): (1, 1, 1.0),
    (Y, "online_element_rate", "2024/25", "All"): (4, 7, 4 / 7),  # Q1's six and C09 T
    (Y, "online_element_rate", "2024/25", "Empty"): (0, 0, _),
    # spo_iom_referral_rate: granted SPO/ISPO with iom_referred_at / granted SPO/ISPO.
    (M, "spo_iom_referral_rate", "2024-03", "North"): (1, 1, 1.0),  # O1, referred in April
    (M, "spo_iom_referral_rate", "2024-04", "All"): (0, 1, 0.0),  # O2 not referred
    (M, "spo_iom_referral_rate", "2024-05", "All"): (0, 0, _),  # O3 is a restraining order
    (M, "spo_iom_referral_rate", "2024-06", "All"): (1, 2, 0.5),  # O6 yes, O7 no
    (M, "spo_iom_referral_rate", "2024-06", "South"): (1, 1, 1.0),  # O6 at its applied_at
    (M, "spo_iom_referral_rate", "2024-07", "Mars"): (0, 0, _),  # O4 refused
    (Q, "spo_iom_referral_rate", "2023/24 Q4", "All"): (1, 1, 1.0),
    (Q, "spo_iom_referral_rate", "2024/25 Q1", "All"): (1, 3, 1 / 3),  # O2, O6, O7
    (Q, "spo_iom_referral_rate", "2024/25 Q1", "North"): (0, 1, 0.0),  # O7
    (Y, "spo_iom_referral_rate", "2023/24", "All"): (1, 1, 1.0),
    (Y, "spo_iom_referral_rate", "2024/25", "All"): (1, 3, 1 / 3),
    (Y, "spo_iom_referral_rate", "2024/25", "South"): (1, 2, 0.5),  # O2, O6
    # stalking_elearning_takeup: distinct staff in a workforce department with a completion on
    # or before the period's last day, over 170. S007 and S008 are never counted.
    (M, "stalking_elearning_takeup", "2024-01", "All"): (2, HEADCOUNT, 2 / 170),  # S001, S002
    (M, "stalking_elearning_takeup", "2024-02", "All"): (3, HEADCOUNT, 3 / 170),  # + S003
    (M, "stalking_elearning_takeup", "2024-03", "All"): (4, HEADCOUNT, 4 / 170),  # + S004
    (M, "stalking_elearning_takeup", "2024-05", "All"): (4, HEADCOUNT, 4 / 170),  # S003 again
    (M, "stalking_elearning_takeup", "2024-06", "All"): (5, HEADCOUNT, 5 / 170),  # + S006
    (M, "stalking_elearning_takeup", "2024-07", "All"): (5, HEADCOUNT, 5 / 170),  # S006 again
    (M, "stalking_elearning_takeup", "2024-08", "All"): (6, HEADCOUNT, 6 / 170),  # + S011
    (Q, "stalking_elearning_takeup", "2023/24 Q4", "All"): (4, HEADCOUNT, 4 / 170),
    (Q, "stalking_elearning_takeup", "2024/25 Q1", "All"): (5, HEADCOUNT, 5 / 170),
    (Q, "stalking_elearning_takeup", "2024/25 Q2", "All"): (6, HEADCOUNT, 6 / 170),
    (Y, "stalking_elearning_takeup", "2023/24", "All"): (4, HEADCOUNT, 4 / 170),
    (Y, "stalking_elearning_takeup", "2024/25", "All"): (7, HEADCOUNT, 7 / 170),  # + S012
    # spo_training_takeup: S004 and S005 (twice, same instant) in April; S010 on 31 July.
    (M, "spo_training_takeup", "2024-03", "All"): (0, HEADCOUNT, 0.0),
    (M, "spo_training_takeup", "2024-04", "All"): (2, HEADCOUNT, 2 / 170),
    (M, "spo_training_takeup", "2024-07", "All"): (3, HEADCOUNT, 3 / 170),
    (Q, "spo_training_takeup", "2023/24 Q4", "All"): (0, HEADCOUNT, 0.0),
    (Q, "spo_training_takeup", "2024/25 Q1", "All"): (2, HEADCOUNT, 2 / 170),
    (Q, "spo_training_takeup", "2024/25 Q2", "All"): (3, HEADCOUNT, 3 / 170),
    (Y, "spo_training_takeup", "2024/25", "All"): (3, HEADCOUNT, 3 / 170),
    # case_reviews_completed: R1 March North, R2 April South, R3 June South, R4 June North
    # (tie: C03 before C08), R5 July Mars. Five reviews in all, never six.
    (M, "case_reviews_completed", "2024-03", "All"): (1, _, 1.0),
    (M, "case_reviews_completed", "2024-03", "North"): (1, _, 1.0),
    (M, "case_reviews_completed", "2024-04", "All"): (1, _, 1.0),  # R2; not R1 again
    (M, "case_reviews_completed", "2024-04", "North"): (0, _, 0.0),
    (M, "case_reviews_completed", "2024-06", "All"): (2, _, 2.0),
    (M, "case_reviews_completed", "2024-06", "North"): (1, _, 1.0),  # R4 by the tie rule
    (M, "case_reviews_completed", "2024-06", "Dup"): (0, _, 0.0),
    (M, "case_reviews_completed", "2024-07", "Mars"): (1, _, 1.0),
    (Q, "case_reviews_completed", "2023/24 Q4", "All"): (1, _, 1.0),
    (Q, "case_reviews_completed", "2024/25 Q1", "All"): (3, _, 3.0),  # R2, R3, R4
    (Q, "case_reviews_completed", "2024/25 Q1", "South"): (2, _, 2.0),
    (Q, "case_reviews_completed", "2024/25 Q1", "North"): (1, _, 1.0),
    (Q, "case_reviews_completed", "2024/25 Q2", "All"): (1, _, 1.0),
    (Y, "case_reviews_completed", "2023/24", "All"): (1, _, 1.0),
    (Y, "case_reviews_completed", "2024/25", "All"): (4, _, 4.0),
    # review_compliance_rate: rows answered yes / rows answered yes or no (n/a left out).
    (M, "review_compliance_rate", "2024-03", "All"): (2, 2, 1.0),  # R1 x2
    (M, "review_compliance_rate", "2024-04", "All"): (3, 6, 0.5),  # R1 yes no, R2 no no yes yes
    (M, "review_compliance_rate", "2024-04", "North"): (1, 2, 0.5),
    (M, "review_compliance_rate", "2024-04", "South"): (2, 4, 0.5),
    (M, "review_compliance_rate", "2024-06", "All"): (3, 3, 1.0),  # R3 yes (2 n/a), R4 yes yes
    (M, "review_compliance_rate", "2024-06", "South"): (1, 1, 1.0),
    (M, "review_compliance_rate", "2024-06", "Dup"): (1, 1, 1.0),  # R4's C08 answer
    (M, "review_compliance_rate", "2024-07", "Mars"): (1, 2, 0.5),
    (Q, "review_compliance_rate", "2023/24 Q4", "All"): (2, 2, 1.0),
    (Q, "review_compliance_rate", "2024/25 Q1", "All"): (6, 9, 2 / 3),
    (Q, "review_compliance_rate", "2024/25 Q1", "North"): (2, 3, 2 / 3),
    (Q, "review_compliance_rate", "2024/25 Q1", "South"): (3, 5, 0.6),
    (Y, "review_compliance_rate", "2023/24", "All"): (2, 2, 1.0),
    (Y, "review_compliance_rate", "2024/25", "All"): (7, 11, 7 / 11),
    (Y, "review_compliance_rate", "2024/25", "North"): (2, 3, 2 / 3),
    # spo_considered_rate: R1 yes (Mar), R2 no (Apr), R3 n/a (Jun), R4 yes (Jun, North),
    # R5 no (Jul).
    (M, "spo_considered_rate", "2024-03", "All"): (1, 1, 1.0),
    (M, "spo_considered_rate", "2024-04", "All"): (0, 1, 0.0),
    (M, "spo_considered_rate", "2024-06", "All"): (1, 1, 1.0),
    (M, "spo_considered_rate", "2024-06", "South"): (0, 0, _),  # only an n/a
    (M, "spo_considered_rate", "2024-07", "Mars"): (0, 1, 0.0),
    (Q, "spo_considered_rate", "2024/25 Q1", "All"): (1, 2, 0.5),
    (Q, "spo_considered_rate", "2024/25 Q1", "South"): (0, 1, 0.0),
    (Y, "spo_considered_rate", "2023/24", "All"): (1, 1, 1.0),
    (Y, "spo_considered_rate", "2024/25", "All"): (1, 3, 1 / 3),
    # victim_satisfaction_rate: overall_satisfaction 4 or 5 / overall_satisfaction answers.
    (M, "victim_satisfaction_rate", "2024-02", "All"): (1, 1, 1.0),  # P1 5
    (M, "victim_satisfaction_rate", "2024-02", "North"): (1, 1, 1.0),
    (M, "victim_satisfaction_rate", "2024-04", "South"): (0, 1, 0.0),  # P2 3
    (M, "victim_satisfaction_rate", "2024-05", "All"): (3, 4, 0.75),  # P3 4, P4 5, P5 1, P6 4
    (M, "victim_satisfaction_rate", "2024-05", "North"): (1, 1, 1.0),  # P6 only
    (M, "victim_satisfaction_rate", "2024-05", "South"): (0, 0, _),
    (M, "victim_satisfaction_rate", "2024-06", "South"): (1, 1, 1.0),  # P8 at 23:59:59
    (M, "victim_satisfaction_rate", "2024-07", "North"): (0, 1, 0.0),  # P7 2
    (Q, "victim_satisfaction_rate", "2023/24 Q4", "All"): (1, 1, 1.0),
    (Q, "victim_satisfaction_rate", "2024/25 Q1", "All"): (4, 6, 2 / 3),
    (Q, "victim_satisfaction_rate", "2024/25 Q1", "North"): (1, 1, 1.0),
    (Q, "victim_satisfaction_rate", "2024/25 Q1", "South"): (1, 2, 0.5),
    (Y, "victim_satisfaction_rate", "2024/25", "All"): (4, 7, 4 / 7),
    (Y, "victim_satisfaction_rate", "2024/25", "North"): (1, 2, 0.5),  # P6, P7
    # sh_recording_compliance: both true / should_record_sh true.
    (M, "sh_recording_compliance", "2024-01", "North"): (1, 2, 0.5),  # A1 yes, A2 no
    (M, "sh_recording_compliance", "2024-03", "All"): (0, 0, _),  # A3 not needed
    (M, "sh_recording_compliance", "2024-04", "South"): (1, 1, 1.0),  # A4
    (M, "sh_recording_compliance", "2024-05", "South"): (0, 0, _),  # A5 not needed
    (M, "sh_recording_compliance", "2024-08", "Atlantis"): (1, 1, 1.0),  # A6
    (M, "sh_recording_compliance", "2024-08", "All"): (1, 1, 1.0),
    (Q, "sh_recording_compliance", "2023/24 Q4", "All"): (1, 2, 0.5),
    (Q, "sh_recording_compliance", "2024/25 Q2", "Atlantis"): (1, 1, 1.0),
    (Y, "sh_recording_compliance", "2023/24", "All"): (1, 2, 0.5),
    (Y, "sh_recording_compliance", "2024/25", "All"): (2, 2, 1.0),
    # v1 metrics get rows for Atlantis and for August too.
    (M, "stalking_crimes", "2024-08", "All"): (0, _, 0.0),
    (Y, "stalking_crimes", "2024/25", "Atlantis"): (0, _, 0.0),
    (Y, "sh_crimes_per_1000", "2024/25", "Atlantis"): (0, _, _),
}

# (grain, metric_id, period_label, department): (numerator, denominator, value), by hand.
# Each department counts its own staff once; S006 counts in Patrol (June) and Safeguarding.
EXPECTED_DEPARTMENTS: dict[tuple[str, str, str, str], tuple[int, int, float | None]] = {
    (M, "stalking_elearning_takeup", "2024-01", "Patrol"): (2, 100, 0.02),  # S001, S002
    (M, "stalking_elearning_takeup", "2024-02", "Patrol"): (3, 100, 0.03),  # + S003
    (M, "stalking_elearning_takeup", "2024-06", "Patrol"): (4, 100, 0.04),  # + S006
    (M, "stalking_elearning_takeup", "2024-02", "CID"): (0, 40, 0.0),
    (M, "stalking_elearning_takeup", "2024-03", "CID"): (1, 40, 0.025),  # S004
    (M, "stalking_elearning_takeup", "2024-06", "Safeguarding"): (0, 20, 0.0),
    (M, "stalking_elearning_takeup", "2024-07", "Safeguarding"): (1, 20, 0.05),  # S006
    (M, "stalking_elearning_takeup", "2024-08", "Safeguarding"): (2, 20, 0.1),  # + S011
    (M, "stalking_elearning_takeup", "2024-08", "Custody"): (0, 10, 0.0),
    (Q, "stalking_elearning_takeup", "2023/24 Q4", "Patrol"): (3, 100, 0.03),
    (Q, "stalking_elearning_takeup", "2024/25 Q2", "Patrol"): (4, 100, 0.04),
    (Q, "stalking_elearning_takeup", "2024/25 Q2", "Safeguarding"): (2, 20, 0.1),
    (Y, "stalking_elearning_takeup", "2023/24", "Patrol"): (3, 100, 0.03),
    (Y, "stalking_elearning_takeup", "2024/25", "Patrol"): (5, 100, 0.05),  # + S012
    (Y, "stalking_elearning_takeup", "2024/25", "CID"): (1, 40, 0.025),
    (M, "spo_training_takeup", "2024-04", "CID"): (2, 40, 0.05),  # S004, S005 (once)
    (M, "spo_training_takeup", "2024-07", "Patrol"): (1, 100, 0.01),  # S010
    (M, "spo_training_takeup", "2024-06", "Patrol"): (0, 100, 0.0),
    (Q, "spo_training_takeup", "2024/25 Q1", "CID"): (2, 40, 0.05),
    (Q, "spo_training_takeup", "2024/25 Q2", "Patrol"): (1, 100, 0.01),
    (Y, "spo_training_takeup", "2023/24", "CID"): (0, 40, 0.0),
    (Y, "spo_training_takeup", "2024/25", "Safeguarding"): (0, 20, 0.0),
}

PERIODS = {M: MONTHS, Q: QUARTERS, Y: YEARS}
