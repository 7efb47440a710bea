"""Alembic environment: runs on the connection ``meeting.store.upgrade`` hands over."""

from alembic import context

from meeting.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()
