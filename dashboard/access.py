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


@dataclass(frozen=True)
class Roles:
    """Force-wide users, and district managers with the districts each may see."""

    force: frozenset[str]
    districts: Mapping[str, frozenset[str]]


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


def _emails(values: object, where: str) -> frozenset[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise RolesError(f"{where} must be a list of email addresses")
    return frozenset(value.strip().lower() for value in values)


def parse_roles(text: str) -> Roles:
    """Roles from TOML: ``[force] users = [...]`` and ``[districts] "email" = ["District"]``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RolesError(f"the roles file is not valid TOML: {error}") from None
    unknown = set(data) - {"force", "districts"}
    if unknown:
        raise RolesError(f"unknown section(s) in the roles file: {', '.join(sorted(unknown))}")
    force = _emails(data.get("force", {}).get("users", []), "[force] users")
    districts: dict[str, frozenset[str]] = {}
    for email, names in data.get("districts", {}).items():
        if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
            raise RolesError(f"[districts] {email!r} must be a non-empty list of district names")
        if ALL_DISTRICTS in names:
            raise RolesError(f"[districts] {email!r}: put force-wide users under [force]")
        districts[email.strip().lower()] = frozenset(names)
    both = force & set(districts)
    if both:
        raise RolesError(f"in both [force] and [districts]: {', '.join(sorted(both))}")
    return Roles(force=force, districts=districts)


def load_roles(path: str | Path) -> Roles:
    """Read and check the roles file."""
    file = Path(path)
    try:
        return parse_roles(file.read_text(encoding="utf-8"))
    except OSError as error:
        raise RolesError(f"cannot read the roles file {file}: {error.strerror}") from None


def resolve(email: str | None, roles: Roles) -> Access:
    """A signed-in user's access; PermissionError when the user has no role."""
    if not email:
        raise PermissionError("your identity provider gave no email address to match a role")
    key = email.strip().lower()
    if key in roles.force:
        return Access(signed_in_as=email, districts=None, sign_in_configured=True)
    if key in roles.districts:
        return Access(signed_in_as=email, districts=roles.districts[key], sign_in_configured=True)
    raise PermissionError(f"{email} has no role in this dashboard; ask its administrator")
