"""Names shared by the app, the packs and the command line, defined once."""

from __future__ import annotations

DATABASE_URL_ENV = "KPI_DATABASE_URL"
# How the force as a whole is named wherever a district could be shown.
FORCE_LABEL = "All districts (force)"
