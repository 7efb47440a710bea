"""Unexpected errors from ``kpi``: one line with a reference, the detail in a private log file.

A traceback on a terminal (or in a scheduler's mail) may carry a connection string; the
reference finds the full detail, passwords hidden, in a log only the user can read.
"""

from __future__ import annotations

import logging
import os
import tempfile
import uuid
from collections.abc import Iterable
from pathlib import Path

from queries.redact import RedactingFilter

LOG_ENV = "KPI_ERROR_LOG"


def error_log() -> Path:
    """``$KPI_ERROR_LOG``, else ``kpi-errors-<user id>.log`` in the temporary folder."""
    configured = os.environ.get(LOG_ENV)
    if configured:
        return Path(configured)
    return Path(tempfile.gettempdir()) / f"kpi-errors-{os.getuid()}.log"


def log_unexpected(urls: Iterable[object]) -> tuple[str, Path | None]:
    """Log the exception being handled under a new reference; the reference and the log file."""
    reference = uuid.uuid4().hex[:8].upper()
    logger = logging.getLogger("kpi.errors")
    logger.addFilter(RedactingFilter(*urls))
    path: Path | None = error_log()
    try:
        # Created readable by this user only: the detail is for whoever ran the command.
        os.close(os.open(path, os.O_CREAT | os.O_APPEND | os.O_WRONLY, 0o600))
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        path, handler = None, logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    try:
        logger.error("unexpected error (reference %s)", reference, exc_info=True)
    finally:
        logger.removeHandler(handler)
        handler.close()
        for old in list(logger.filters):
            logger.removeFilter(old)
    return reference, path
