"""Where the app database is, and whether open (not signed-in) editing is allowed."""

from __future__ import annotations

import os

APP_DATABASE_URL_ENV = "KPI_APP_DATABASE_URL"
ALLOW_OPEN_EDITS_ENV = "KPI_ALLOW_OPEN_EDITS"
# Relative to the working directory, like the demo database: the product's own file.
DEFAULT_APP_DATABASE_URL = "sqlite:///data/app.sqlite"


def app_database_url(explicit: str | None = None, secret: object = None) -> tuple[str, str]:
    """The app database URL and where it was set: option, environment, secrets or default."""
    if explicit:
        return explicit, "--app-database-url"
    if os.environ.get(APP_DATABASE_URL_ENV):
        return os.environ[APP_DATABASE_URL_ENV], f"${APP_DATABASE_URL_ENV}"
    if isinstance(secret, str) and secret:
        return secret, "app_database_url in the secrets"
    return DEFAULT_APP_DATABASE_URL, "the default"


def open_edits_allowed(secret: object = None) -> bool:
    """Without sign-in, editing is off unless the environment or the secrets turn it on."""
    if os.environ.get(ALLOW_OPEN_EDITS_ENV, "").strip() == "1":
        return True
    return secret is True or (isinstance(secret, str) and secret.strip().lower() in ("1", "true"))
