"""Access by district: the roles file, and what each role may see."""

from __future__ import annotations

import polars as pl
import pytest

from dashboard.access import OPEN, RolesError, load_roles, parse_roles, resolve

ROLES = """
[force]
users = ["Chief@Force.example"]

[districts]
"bristol.lead@force.example" = ["Bristol"]
"somerset.lead@force.example" = ["Somerset East", "Somerset West"]
"""

KPIS = pl.DataFrame(
    {
        "district": ["All", "Bristol", "Somerset East", "Somerset West", "Mars"],
        "value": [10, 4, 3, 2, 1],
    }
)


def test_a_force_wide_user_sees_every_row_matched_without_regard_to_case():
    access = resolve({"email": "chief@force.EXAMPLE"}, parse_roles(ROLES))
    assert access.force_wide
    assert access.narrow(KPIS)["district"].to_list() == KPIS["district"].to_list()


def test_a_district_manager_sees_only_their_districts_and_not_the_force():
    access = resolve({"email": "somerset.lead@force.example"}, parse_roles(ROLES))
    assert not access.force_wide
    assert access.narrow(KPIS)["value"].to_list() == [3, 2]
    assert access.visible(["All", "Bristol", "Somerset East", "Somerset West"]) == [
        "Somerset East",
        "Somerset West",
    ]


def test_a_user_without_a_role_is_refused():
    with pytest.raises(PermissionError, match="no role"):
        resolve({"email": "someone@elsewhere.example"}, parse_roles(ROLES))


def test_a_user_without_an_email_is_refused():
    with pytest.raises(PermissionError, match="no email"):
        resolve({}, parse_roles(ROLES))


def test_without_sign_in_the_app_is_open_and_says_so():
    assert OPEN.force_wide and not OPEN.sign_in_configured and OPEN.signed_in_as is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("[force]\nusers = 'x'", "list of email", id="users not a list"),
        pytest.param('[districts]\n"a@b" = []', "non-empty list", id="no districts"),
        pytest.param('[districts]\n"a@b" = ["All"]', "under \\[force\\]", id="All as a district"),
        pytest.param('[admins]\nusers = ["a@b"]', "unknown section", id="unknown section"),
        pytest.param(
            '[force]\nusers = ["a@b"]\n[districts]\n"a@b" = ["X"]', "in both", id="two roles"
        ),
        pytest.param("[force\n", "not valid TOML", id="bad toml"),
    ],
)
def test_a_malformed_roles_file_is_refused_with_the_reason(text, message):
    with pytest.raises(RolesError, match=message):
        parse_roles(text)


def test_a_missing_roles_file_is_refused(tmp_path):
    with pytest.raises(RolesError, match="cannot read the roles file"):
        load_roles(tmp_path / "roles.toml")


@pytest.mark.parametrize("verified", [False, "false", "FALSE"])
def test_an_email_the_provider_marks_unverified_is_refused_even_with_a_role(verified):
    claims = {"email": "chief@force.example", "email_verified": verified}
    with pytest.raises(PermissionError, match="not verified"):
        resolve(claims, parse_roles(ROLES))


@pytest.mark.parametrize("verified", [True, "true"])
def test_an_email_the_provider_marks_verified_is_matched(verified):
    claims = {"email": "chief@force.example", "email_verified": verified}
    assert resolve(claims, parse_roles(ROLES)).force_wide


SUB_ROLES = """
claim = "sub"

[force]
users = ["00u1Chief"]

[districts]
"00u2Bristol" = ["Bristol"]
"""


def test_roles_matched_on_sub_ignore_the_email_address():
    roles = parse_roles(SUB_ROLES)
    # The email belongs to no one in the file, and is even unverified: only sub counts.
    claims = {"sub": "00u2Bristol", "email": "x@elsewhere.example", "email_verified": False}
    access = resolve(claims, roles)
    assert access.districts == frozenset({"Bristol"})
    assert access.signed_in_as == "x@elsewhere.example"


def test_roles_matched_on_sub_refuse_an_email_that_is_listed_but_a_sub_that_is_not():
    roles = parse_roles(SUB_ROLES)
    with pytest.raises(PermissionError, match="no role"):
        resolve({"sub": "00u9Other", "email": "00u1Chief"}, roles)
    with pytest.raises(PermissionError, match="no role"):
        resolve({"sub": "00U1CHIEF"}, roles)  # ids are matched exactly, not by case
    with pytest.raises(PermissionError, match="no 'sub' claim"):
        resolve({"email": "chief@force.example"}, roles)


def test_roles_matched_on_entras_oid():
    roles = parse_roles('claim = "oid"\n[force]\nusers = ["9f1c2d3e-0000-4a5b-8c7d-112233445566"]')
    claims = {"oid": "9f1c2d3e-0000-4a5b-8c7d-112233445566", "name": "A. Chief"}
    access = resolve(claims, roles)
    assert access.force_wide and access.signed_in_as == "A. Chief"


def test_a_roles_file_naming_an_unknown_claim_is_refused():
    with pytest.raises(RolesError, match="claim must be one of email, sub, oid"):
        parse_roles('claim = "upn"\n[force]\nusers = ["a@b"]')
