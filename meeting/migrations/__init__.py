"""Alembic migrations of the app database (shipped in the package, run by ``meeting.upgrade``)."""
