"""The app database's tables, declared once: the migrations create them, the store reads them."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

# One row per saved version; a version is never updated or deleted.
commentary = sa.Table(
    "commentary",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("metric_id", sa.String(100), nullable=False),
    sa.Column("grain", sa.String(20), nullable=False),
    sa.Column("period_label", sa.String(20), nullable=False),
    sa.Column("district", sa.String(200), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("author", sa.String(320), nullable=False),
    sa.Column("saved_at", sa.DateTime, nullable=False),  # UTC
    sa.Column("what", sa.Text, nullable=False),
    sa.Column("why", sa.Text, nullable=False),
    sa.Column("doing", sa.Text, nullable=False),
    # Two saves from the same version cannot both land: the second breaks this constraint.
    sa.UniqueConstraint(
        "metric_id", "grain", "period_label", "district", "version", name="uq_commentary_version"
    ),
)

actions = sa.Table(
    "actions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("owner", sa.String(320), nullable=False),
    sa.Column("due", sa.Date, nullable=False),
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("metric_id", sa.String(100), nullable=True),
    sa.Column("district", sa.String(200), nullable=True),
    sa.Column("meeting", sa.Date, nullable=True),
    sa.Column("created_by", sa.String(320), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),  # UTC
    sa.Column("updated_at", sa.DateTime, nullable=False),  # UTC
)

# Every state an action has been in, written with each change (the first row is its creation).
action_history = sa.Table(
    "action_history",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("action_id", sa.Integer, sa.ForeignKey("actions.id"), nullable=False),
    sa.Column("changed_by", sa.String(320), nullable=False),
    sa.Column("changed_at", sa.DateTime, nullable=False),  # UTC
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("owner", sa.String(320), nullable=False),
    sa.Column("due", sa.Date, nullable=False),
    sa.Column("status", sa.String(10), nullable=False),
)
