"""The domain's terms as polars expressions: offence groups, S&H cases, positive outcomes.

Kept in code so that a force's analysts can change a mapping in one reviewed place.
"""

from __future__ import annotations

import polars as pl

# Home Office classification codes by offence group; any other code is in group "other".
OFFENCE_GROUPS: dict[str, tuple[str, ...]] = {
    "stalking": ("8Q",),
    "harassment": ("8L", "8M"),
    "malicious_communications": ("8R",),
    "controlling_coercive_behaviour": ("8U",),
}
OTHER_GROUP = "other"

# Outcome 22 (diversionary activity) and 4 (taken into consideration) are left out by default.
POSITIVE_OUTCOMES = ("1", "1A", "2", "2A", "3", "3A", "6", "7", "8")
CHARGE_OR_SUMMONS = ("1", "1A")
VICTIM_DOES_NOT_SUPPORT = ("14", "16")

SH_GROUPS = ("stalking", "harassment")


def offence_group(code: pl.Expr) -> pl.Expr:
    """The offence group of a Home Office code."""
    mapping = {code: group for group, codes in OFFENCE_GROUPS.items() for code in codes}
    # Categorical: a handful of groups over millions of crimes.
    return code.replace_strict(mapping, default=OTHER_GROUP, return_dtype=pl.Categorical)


def in_group(*groups: str) -> pl.Expr:
    """Crimes whose offence group is one of ``groups``."""
    return pl.col("offence_group").is_in(groups)


def is_sh_case() -> pl.Expr:
    """A stalking and harassment case: in group stalking or harassment, or flagged as such."""
    return in_group(*SH_GROUPS) | pl.col("stalking_element")


def is_set(column: str) -> pl.Expr:
    """A timestamp or value that is present."""
    return pl.col(column).is_not_null()


def within_24_hours(earlier: str, later: str) -> pl.Expr:
    """The later time minus the earlier is at most 24:00:00 (false when either is missing)."""
    return ((pl.col(later) - pl.col(earlier)) <= pl.duration(hours=24)).fill_null(False)


def outcome_in(codes: tuple[str, ...]) -> pl.Expr:
    """Crimes whose outcome type is one of ``codes``."""
    return pl.col("outcome_code").is_in(codes)
