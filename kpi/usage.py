"""The error every ``kpi`` command raises for bad arguments: its own module, imported by all."""

from __future__ import annotations


class UsageError(Exception):
    """Bad arguments: reported in one line, exit status 2."""
