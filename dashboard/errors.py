"""Unexpected errors on the page: a short message and a reference, the detail in the server log.

A traceback on the page tells a visitor about the server and may carry a connection string;
the reference lets an administrator find the full detail (passwords hidden) in the log.
"""

from __future__ import annotations

import logging
import sys
import uuid

import streamlit as st

from queries.redact import RedactingFilter

LOGGER = logging.getLogger("dashboard.errors")
# On the logger, so every handler (the server's stderr, any the operator adds) sees redacted text.
_REDACT = RedactingFilter()
LOGGER.addFilter(_REDACT)
if not LOGGER.handlers:
    _handler = logging.StreamHandler(sys.stderr)
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    LOGGER.addHandler(_handler)


def report_unexpected(what: str, *urls: object) -> str:
    """Log the exception being handled with a new reference, show the reference; return it."""
    reference = uuid.uuid4().hex[:8].upper()
    _REDACT.urls = (*_REDACT.urls, *(url for url in urls if url not in _REDACT.urls))
    LOGGER.error("%s failed (reference %s)", what, reference, exc_info=True)
    st.error(
        f"**Something went wrong {what}** (reference {reference}). Nothing was changed; the "
        "details are in the server's log under that reference.",
        icon=":material/error:",
    )
    return reference
