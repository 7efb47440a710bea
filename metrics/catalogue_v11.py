"""Catalogue v1.1: online stalking, offender management, training, dip samples, victim voice
and crime data integrity, over the optional tables and columns of contract v1.1.

A source without one of those tables or columns still gets every other metric; these are
then unavailable (named, never zero).
"""

from __future__ import annotations

import polars as pl

from metrics.catalogue import RECORDED_SH, SPO_OR_ISPO
from metrics.definitions import Direction, DistinctCount, Metric, Ratio, Records, StockShare
from metrics.record_sets import (
    CASE_REVIEWS,
    CRIME_DATA_AUDITS,
    CRIMES,
    PROTECTIVE_ORDERS,
    TRAINING_RECORDS,
    VICTIM_SURVEY,
    WORKFORCE,
)
from metrics.registry import register
from metrics.terms import is_set

ONLINE_ASSESSED = RECORDED_SH & is_set("online_element")
GRANTED_SPO = SPO_OR_ISPO & (pl.col("decision") == "granted")
ANSWERED = pl.col("answer").is_in(("yes", "no"))
YES = pl.col("answer") == "yes"
SATISFACTION = pl.col("question") == "overall_satisfaction"
SHOULD_RECORD = pl.col("should_record_sh")

register(
    Metric(
        id="online_element_rate",
        title="Recorded S&H crimes with an online element",
        description="Share of recorded S&H crimes assessed for an online element (messages, "
        "social media, tracking apps) in which there was one, by recording date. Crimes not "
        "assessed are left out of both parts.",
        direction=Direction.NEUTRAL,
        measure=Ratio(
            Records(CRIMES, "recorded_at", ONLINE_ASSESSED & pl.col("online_element")),
            Records(CRIMES, "recorded_at", ONLINE_ASSESSED),
        ),
    )
)

register(
    Metric(
        id="spo_iom_referral_rate",
        title="Granted SPOs whose subject was referred to offender management",
        description="Share of SPOs and interim SPOs granted (by decision date) whose subject "
        "was referred to Integrated Offender Management or MAPPA.",
        direction=Direction.UP,
        measure=Ratio(
            Records(PROTECTIVE_ORDERS, "decided_at", GRANTED_SPO & is_set("iom_referred_at")),
            Records(PROTECTIVE_ORDERS, "decided_at", GRANTED_SPO),
        ),
    )
)

for course, metric_id, title in (
    (
        "stalking_elearning",
        "stalking_elearning_takeup",
        "Staff who have completed stalking e-learning",
    ),
    ("spo_training", "spo_training_takeup", "Staff trained in Stalking Protection Orders"),
):
    register(
        Metric(
            id=metric_id,
            title=title,
            description=f"Staff with a {course} completion on or before the period's last day, "
            "in a department listed in the workforce, as a share of the total headcount. Read "
            "at each period's end; force-wide, with a breakdown by department.",
            direction=Direction.UP,
            measure=StockShare(
                Records(TRAINING_RECORDS, "completed_at", pl.col("course") == course),
                key="staff_ref",
                group="department",
                total=WORKFORCE,
                total_column="headcount",
            ),
        )
    )

register(
    Metric(
        id="case_reviews_completed",
        title="Case reviews (dip samples) completed",
        description="Reviews of investigations by the stalking specialists, each counted once: "
        "in the period and district of its earliest answer (on a tie, the smallest crime_id).",
        direction=Direction.UP,
        measure=DistinctCount(
            Records(CASE_REVIEWS, "reviewed_at"), key="review_id", tie="crime_id"
        ),
    )
)

register(
    Metric(
        id="review_compliance_rate",
        title="Dip-sample answers meeting the standard",
        description="Share of dip-sample answers that are yes, over the answers yes or no "
        "(n/a is left out), by review date.",
        direction=Direction.UP,
        measure=Ratio(
            Records(CASE_REVIEWS, "reviewed_at", YES),
            Records(CASE_REVIEWS, "reviewed_at", ANSWERED),
        ),
    )
)

SPO_CONSIDERED = pl.col("question") == "spo_considered"
register(
    Metric(
        id="spo_considered_rate",
        title="Reviewed cases where an SPO was considered",
        description="Share of reviewed cases whose answer to 'spo_considered' is yes, over the "
        "answers yes or no, by review date.",
        direction=Direction.UP,
        measure=Ratio(
            Records(CASE_REVIEWS, "reviewed_at", SPO_CONSIDERED & YES),
            Records(CASE_REVIEWS, "reviewed_at", SPO_CONSIDERED & ANSWERED),
        ),
    )
)

register(
    Metric(
        id="victim_satisfaction_rate",
        title="Victims satisfied with the service",
        description="Share of answers to the Victim Voice question on overall satisfaction that "
        "score 4 or 5, by response date; answers not linked to a valid crime count force-wide.",
        direction=Direction.UP,
        measure=Ratio(
            Records(VICTIM_SURVEY, "responded_at", SATISFACTION & (pl.col("score") >= 4)),
            Records(VICTIM_SURVEY, "responded_at", SATISFACTION),
        ),
    )
)

register(
    Metric(
        id="sh_recording_compliance",
        title="S&H crimes recorded when they should be (crime data integrity audits)",
        description="Share of audited incidents that should have been recorded as a stalking or "
        "harassment crime and were, by audit date and the incident's district.",
        direction=Direction.UP,
        measure=Ratio(
            Records(CRIME_DATA_AUDITS, "audited_at", SHOULD_RECORD & pl.col("recorded_sh")),
            Records(CRIME_DATA_AUDITS, "audited_at", SHOULD_RECORD),
        ),
    )
)
