"""Who may see which districts: a roles file maps signed-in users to the force or to districts.

Pure logic, no Streamlit: the app resolves an ``Access`` once per run from ``st.user`` and
narrows every frame with it before any page, download or pack sees the data. It fails closed:
with sign-in configured, a user without a role, or a roles file that cannot be read, sees no
figures at all.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from metrics import ALL_DISTRICTS


class RolesError(Exception):
    """The roles file is missing or malformed; the message says what to fix."""


# The identity claims a roles file may match users on. ``email`` is only trusted when the
# provider does not say it is unverified; ``sub`` (any OIDC provider) and ``oid`` (Microsoft
# Entra ID's object id) are stable ids the user cannot change.
CLAIMS = ("email", "sub", "oid")


@dataclass(frozen=True)
class Roles:
    """Force-wide users, and district managers with the districts each may see."""

    force: frozenset[str]
    districts: Mapping[str, frozenset[str]]
    claim: str = "email"  # which identity claim the names in the file are


@dataclass(frozen=True)
class Access:
    """What this session may see: every district and the force, or only some districts."""

    signed_in_as: str | None
    districts: frozenset[str] | None  # None: force-wide
    sign_in_configured: bool

    @property
    def force_wide(self) -> bool:
        return self.districts is None

    def visible(self, names: Iterable[str]) -> list[str]:
        """The names this session may see, in the given order (``All`` only when force-wide)."""
        if self.districts is None:
            return list(names)
        return [name for name in names if name in self.districts]

    def narrow(self, frame: pl.DataFrame, column: str = "district") -> pl.DataFrame:
        """Only the rows of districts this session may see."""
        if self.districts is None:
            return frame
        return frame.filter(pl.col(column).is_in(sorted(self.districts)))


OPEN = Access(signed_in_as=None, districts=None, sign_in_configured=False)


def _key(value: str, claim: str) -> str:
    """How a name is compared: email addresses without regard to case, ids exactly."""
    return value.strip().lower() if claim == "email" else value.strip()


def _users(values: object, where: str, claim: str) -> frozenset[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        noun = "email addresses" if claim == "email" else f"{claim} values"
        raise RolesError(f"{where} must be a list of {noun}")
    return frozenset(_key(value, claim) for value in values)


def parse_roles(text: str) -> Roles:
    """Roles from TOML: ``claim = "email"``, ``[force] users = [...]``, ``[districts]``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RolesError(f"the roles file is not valid TOML: {error}") from None
    unknown = set(data) - {"force", "districts", "claim"}
    if unknown:
        raise RolesError(f"unknown section(s) in the roles file: {', '.join(sorted(unknown))}")
    claim = data.get("claim", "email")
    if claim not in CLAIMS:
        raise RolesError(f"claim must be one of {', '.join(CLAIMS)}, not {claim!r}")
    force = _users(data.get("force", {}).get("users", []), "[force] users", claim)
    districts: dict[str, frozenset[str]] = {}
    for user, names in data.get("districts", {}).items():
        if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
            raise RolesError(f"[districts] {user!r} must be a non-empty list of district names")
        if ALL_DISTRICTS in names:
            raise RolesError(f"[districts] {user!r}: put force-wide users under [force]")
        districts[_key(user, claim)] = frozenset(names)
    both = force & set(districts)
    if both:
        raise RolesError(f"in both [force] and [districts]: {', '.join(sorted(both))}")
    return Roles(force=force, districts=districts, claim=claim)


def load_roles(path: str | Path) -> Roles:
    """Read and check the roles file."""
    file = Path(path)
    try:
        return parse_roles(file.read_text(encoding="utf-8"))
    except OSError as error:
        raise RolesError(f"cannot read the roles file {file}: {error.strerror}") from None


def _unverified(claims: Mapping[str, object]) -> bool:
    """The provider says the email address is not verified (absent: it says nothing)."""
    verified = claims.get("email_verified")
    return verified is not None and verified is not True and str(verified).lower() != "true"


def resolve(claims: Mapping[str, object], roles: Roles) -> Access:
    """A signed-in user's access, matched on the roles file's claim; PermissionError otherwise.

    Matching on ``email`` refuses an address the provider marks ``email_verified: false``:
    at some providers anyone can set any address on their own account.
    """
    value = claims.get(roles.claim)
    if not isinstance(value, str) or not value.strip():
        noun = "email address" if roles.claim == "email" else f"{roles.claim!r} claim"
        raise PermissionError(f"your identity provider gave no {noun} to match a role")
    if roles.claim == "email" and _unverified(claims):
        raise PermissionError(
            f"your identity provider says {value} is not verified, so it cannot be matched to "
            "a role"
        )
    shown = str(claims.get("email") or claims.get("name") or value)
    key = _key(value, roles.claim)
    if key in roles.force:
        return Access(signed_in_as=shown, districts=None, sign_in_configured=True)
    if key in roles.districts:
        return Access(signed_in_as=shown, districts=roles.districts[key], sign_in_configured=True)
    raise PermissionError(f"{shown} has no role in this dashboard; ask its administrator")
