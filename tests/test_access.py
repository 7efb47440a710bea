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
    access = resolve("chief@force.EXAMPLE", parse_roles(ROLES))
    assert access.force_wide
    assert access.narrow(KPIS)["district"].to_list() == KPIS["district"].to_list()


def test_a_district_manager_sees_only_their_districts_and_not_the_force():
    access = resolve("somerset.lead@force.example", parse_roles(ROLES))
    assert not access.force_wide
    assert access.narrow(KPIS)["value"].to_list() == [3, 2]
    assert access.visible(["All", "Bristol", "Somerset East", "Somerset West"]) == [
        "Somerset East",
        "Somerset West",
    ]


def test_a_user_without_a_role_is_refused():
    with pytest.raises(PermissionError, match="no role"):
        resolve("someone@elsewhere.example", parse_roles(ROLES))


def test_a_user_without_an_email_is_refused():
    with pytest.raises(PermissionError, match="no email"):
        resolve(None, parse_roles(ROLES))


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
