"""Who may write what: checked in the store itself, so no page or crafted call gets round it."""

from __future__ import annotations

from dataclasses import dataclass

from meeting.checks import quoted
from metrics import ALL_DISTRICTS

NOT_SIGNED_IN = "not signed in"


class NotAllowed(PermissionError):
    """This editor may not write there; the message says why in one line."""


@dataclass(frozen=True)
class Editor:
    """Who is writing: the name recorded as author, and the districts they may write for."""

    name: str
    districts: frozenset[str] | None  # None: force-wide, may write anything

    @property
    def force_wide(self) -> bool:
        return self.districts is None

    def may_write(self, district: str) -> bool:
        """Force-wide editors write anything; district editors only their own districts."""
        if self.districts is None:
            return True
        return district != ALL_DISTRICTS and district in self.districts

    def check(self, district: str) -> None:
        if not self.may_write(district):
            where = "the force as a whole" if district == ALL_DISTRICTS else quoted(district)
            raise NotAllowed(f"{self.name} may not write for {where}: not one of their districts")
