"""The v1 KPI catalogue of the stalking and harassment performance framework.

To add a metric, write one ``register(Metric(...))`` here (or in any module of ``metrics``
imported by ``metrics/__init__.py``); the engine, the ``kpi`` command, the dashboard and the
exports pick it up from the registry with no other change.
"""

from __future__ import annotations

import polars as pl

from metrics.definitions import (
    CRIME_RECORDING_RULE_CHANGE,
    Count,
    Direction,
    Median,
    Metric,
    PerPopulation,
    Ratio,
    Records,
    Unit,
)
from metrics.record_sets import CRIMES, VICTIMS
from metrics.record_sets import PROTECTIVE_ORDERS as ORDERS
from metrics.registry import register
from metrics.terms import (
    CHARGE_OR_SUMMONS,
    POSITIVE_OUTCOMES,
    SH_GROUPS,
    VICTIM_DOES_NOT_SUPPORT,
    in_group,
    is_set,
    is_sh_case,
    outcome_in,
    within_24_hours,
)

RECORDED = is_set("recorded_at")
RECORDED_SH = is_sh_case() & RECORDED
HIGH_RISK_SH = is_sh_case() & (pl.col("risk_level") == "high")
BREACHES = is_set("breach_of_order_id") & RECORDED
SPO_OR_ISPO = pl.col("order_type").is_in(("SPO", "ISPO"))
VICTIM_OF_SH = pl.col("crime_is_sh_case")
WILLING_VICTIM_OF_SH = VICTIM_OF_SH & ~pl.col("support_declined")
# Outcome rates by recording date keep rising for months as investigations conclude: a period
# is provisional until this many days after it ends (kpi-definitions.md v1.1).
OUTCOME_MATURITY_DAYS = 90


def recorded_crimes(where: pl.Expr) -> Records:
    """Crimes matching ``where`` that are recorded, in the period of their recording."""
    return Records(CRIMES, "recorded_at", where & RECORDED)


def recorded_sh_crimes(where: pl.Expr | None = None) -> Records:
    """Recorded S&H crimes (matching ``where``, if given)."""
    return Records(CRIMES, "recorded_at", RECORDED_SH if where is None else RECORDED_SH & where)


def victims_of_sh_cases(where: pl.Expr | None = None) -> Records:
    """Victims of S&H cases (matching ``where``), in the period of their crime's report."""
    condition = VICTIM_OF_SH if where is None else VICTIM_OF_SH & where
    return Records(VICTIMS, "reported_at", condition)


# Crime levels: counts break at the 2023 recording rule change, so SPC limits restart there.
for group, noun in (
    ("stalking", "Stalking"),
    ("harassment", "Harassment"),
    ("malicious_communications", "Malicious communications"),
):
    register(
        Metric(
            id=f"{group}_crimes",
            title=f"{noun} crimes recorded",
            description=f"Crimes in offence group {group} recorded as notifiable crimes, "
            "by the date they were recorded.",
            direction=Direction.NEUTRAL,
            measure=Count(recorded_crimes(in_group(group))),
            rebase=(CRIME_RECORDING_RULE_CHANGE,),
        )
    )

register(
    Metric(
        id="stalking_element_crimes",
        title="Other crimes with a stalking or harassment element",
        description="Recorded crimes outside the stalking and harassment groups that the "
        "classifier flagged as having a stalking or harassment element.",
        direction=Direction.NEUTRAL,
        measure=Count(recorded_crimes(~in_group(*SH_GROUPS) & pl.col("stalking_element"))),
        rebase=(CRIME_RECORDING_RULE_CHANGE,),
    )
)

register(
    Metric(
        id="sh_crimes_per_1000",
        title="Stalking and harassment crimes per 1,000 residents",
        description="Recorded crimes in the stalking or harassment groups per 1,000 residents "
        "of the district (the force: all districts' population).",
        direction=Direction.NEUTRAL,
        measure=PerPopulation(recorded_crimes(in_group(*SH_GROUPS)), per=1000),
        rebase=(CRIME_RECORDING_RULE_CHANGE,),
    )
)

# Positive outcomes.
for metric_id, title, description, codes, direction in (
    (
        "positive_outcome_rate",
        "Positive outcome rate",
        "Share of recorded S&H crimes with a positive outcome "
        "(types 1, 1A, 2, 2A, 3, 3A, 6, 7, 8).",
        POSITIVE_OUTCOMES,
        Direction.UP,
    ),
    (
        "charge_summons_rate",
        "Charge or summons rate",
        "Share of recorded S&H crimes charged or summonsed (outcome 1 or 1A).",
        CHARGE_OR_SUMMONS,
        Direction.UP,
    ),
    (
        "victim_not_supporting_rate",
        "Victim does not support action (outcomes 14, 16)",
        "Share of recorded S&H crimes closed because the victim does not support (further) "
        "action (outcome 14 or 16).",
        VICTIM_DOES_NOT_SUPPORT,
        Direction.DOWN,
    ),
):
    register(
        Metric(
            id=metric_id,
            title=title,
            description=description,
            direction=direction,
            measure=Ratio(recorded_sh_crimes(outcome_in(codes)), recorded_sh_crimes()),
            maturity_days=OUTCOME_MATURITY_DAYS,
        )
    )

register(
    Metric(
        id="outcome_pending_rate",
        title="Investigations with no outcome yet",
        description="Share of recorded S&H crimes that have no outcome assigned yet.",
        direction=Direction.NEUTRAL,
        measure=Ratio(recorded_sh_crimes(~is_set("outcome_code")), recorded_sh_crimes()),
        maturity_days=OUTCOME_MATURITY_DAYS,
    )
)

# Breaches.
register(
    Metric(
        id="order_breaches",
        title="Breaches of protective orders recorded",
        description="Recorded crimes that are a breach of a protective order.",
        direction=Direction.NEUTRAL,
        measure=Count(Records(CRIMES, "recorded_at", BREACHES)),
    )
)

register(
    Metric(
        id="breach_arrest_rate",
        title="Breaches with an arrest",
        description="Share of recorded breaches of protective orders in which a suspect "
        "was arrested.",
        direction=Direction.UP,
        measure=Ratio(
            Records(CRIMES, "recorded_at", BREACHES & is_set("arrested_at")),
            Records(CRIMES, "recorded_at", BREACHES),
        ),
    )
)

# Stalking Protection Orders.
register(
    Metric(
        id="spo_applications",
        title="SPO applications (full and interim)",
        description="Applications for Stalking Protection Orders, full (SPO) or interim "
        "(ISPO), by the date of application and the applying district.",
        direction=Direction.UP,
        measure=Count(Records(ORDERS, "applied_at", SPO_OR_ISPO)),
    )
)

register(
    Metric(
        id="spo_granted",
        title="SPOs granted (full and interim)",
        description="Stalking Protection Orders, full or interim, granted by the court, by "
        "the date of the decision.",
        direction=Direction.UP,
        measure=Count(
            Records(ORDERS, "decided_at", SPO_OR_ISPO & (pl.col("decision") == "granted"))
        ),
    )
)

register(
    Metric(
        id="spo_application_rate",
        title="SPO applications per 100 stalking crimes",
        description="SPO and ISPO applications (by application date) per 100 stalking crimes "
        "recorded in the same period (by recording date).",
        direction=Direction.UP,
        measure=Ratio(
            Records(ORDERS, "applied_at", SPO_OR_ISPO),
            recorded_crimes(in_group("stalking")),
            scale=100,
        ),
    )
)

# High-risk cases to CID.
register(
    Metric(
        id="high_risk_cid_rate",
        title="High-risk cases first allocated to CID",
        description="Share of high-risk S&H cases whose earliest allocation is to CID (a tie "
        "for earliest counts if one of them is CID), by report date; unallocated cases count "
        "in the denominator.",
        direction=Direction.UP,
        measure=Ratio(
            Records(CRIMES, "reported_at", HIGH_RISK_SH & pl.col("first_allocation_is_cid")),
            Records(CRIMES, "reported_at", HIGH_RISK_SH),
        ),
    )
)

register(
    Metric(
        id="high_risk_days_to_cid",
        title="Median days from report to CID ownership (high risk)",
        description="Median days from report to the earliest CID allocation, over high-risk "
        "S&H cases that have a CID allocation, by report date.",
        direction=Direction.DOWN,
        measure=Median(
            Records(CRIMES, "reported_at", HIGH_RISK_SH & is_set("first_cid_allocated_at")),
            start="reported_at",
            end="first_cid_allocated_at",
            unit=Unit.DAYS,
        ),
    )
)

# Victim care.
register(
    Metric(
        id="victim_contact_24h_rate",
        title="Victims contacted within 24 hours",
        description="Share of victims of S&H cases first contacted within 24 hours of the "
        "report, by the crime's report date.",
        direction=Direction.UP,
        measure=Ratio(
            victims_of_sh_cases(within_24_hours("reported_at", "first_contact_at")),
            victims_of_sh_cases(),
        ),
    )
)

register(
    Metric(
        id="victim_contact_median_hours",
        title="Median hours to first victim contact",
        description="Median hours from the report to the first contact with the victim, over "
        "victims of S&H cases who have been contacted, by the crime's report date.",
        direction=Direction.DOWN,
        measure=Median(
            victims_of_sh_cases(is_set("first_contact_at")),
            start="reported_at",
            end="first_contact_at",
            unit=Unit.HOURS,
        ),
    )
)

register(
    Metric(
        id="needs_assessment_rate",
        title="Victim needs assessments completed",
        description="Share of victims of S&H cases with a completed needs assessment, by the "
        "crime's report date.",
        direction=Direction.UP,
        measure=Ratio(victims_of_sh_cases(is_set("needs_assessment_at")), victims_of_sh_cases()),
    )
)

register(
    Metric(
        id="referral_rate",
        title="Victims referred to specialist support",
        description="Share of victims of S&H cases who did not decline support and were "
        "referred to a specialist support service, by the crime's report date.",
        direction=Direction.UP,
        measure=Ratio(
            Records(VICTIMS, "reported_at", WILLING_VICTIM_OF_SH & is_set("referred_at")),
            Records(VICTIMS, "reported_at", WILLING_VICTIM_OF_SH),
        ),
    )
)

register(
    Metric(
        id="classified_24h_rate",
        title="S&H cases classified within 24 hours (early screening)",
        description="Share of S&H cases whose classification by the Incident Assessment Unit "
        "finished within 24 hours of the report, by report date.",
        direction=Direction.UP,
        measure=Ratio(
            Records(
                CRIMES,
                "reported_at",
                is_sh_case() & within_24_hours("reported_at", "classified_at"),
            ),
            Records(CRIMES, "reported_at", is_sh_case()),
        ),
    )
)

# Outcomes assigned in the period (the Home Office's other basis), by the outcome's date.
for metric_id, title, words, codes in (
    (
        "positive_outcomes_assigned",
        "Positive outcomes assigned",
        "a positive outcome (types 1, 1A, 2, 2A, 3, 3A, 6, 7, 8)",
        POSITIVE_OUTCOMES,
    ),
    (
        "charges_assigned",
        "Charges or summonses assigned",
        "a charge or summons (outcome 1 or 1A)",
        CHARGE_OR_SUMMONS,
    ),
):
    register(
        Metric(
            id=metric_id,
            title=title,
            description=f"Recorded S&H crimes given {words} in the period, by the date the "
            "outcome was assigned, whenever the crime was recorded. The outcome rates count "
            "crimes by their recording date, so their recent periods rise for months as "
            "investigations finish (they are provisional for 90 days); this count is final "
            "once the period ends, but mixes crimes recorded in different periods.",
            direction=Direction.UP,
            measure=Count(Records(CRIMES, "outcome_at", RECORDED_SH & outcome_in(codes))),
        )
    )
