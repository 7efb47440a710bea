"""Commentary versions, actions and their history."""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "commentary",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("metric_id", sa.String(100), nullable=False),
        sa.Column("grain", sa.String(20), nullable=False),
        sa.Column("period_label", sa.String(20), nullable=False),
        sa.Column("district", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("author", sa.String(320), nullable=False),
        sa.Column("saved_at", sa.DateTime, nullable=False),
        sa.Column("what", sa.Text, nullable=False),
        sa.Column("why", sa.Text, nullable=False),
        sa.Column("doing", sa.Text, nullable=False),
        sa.UniqueConstraint(
            "metric_id",
            "grain",
            "period_label",
            "district",
            "version",
            name="uq_commentary_version",
        ),
    )
    op.create_table(
        "actions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("owner", sa.String(320), nullable=False),
        sa.Column("due", sa.Date, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("metric_id", sa.String(100), nullable=True),
        sa.Column("district", sa.String(200), nullable=True),
        sa.Column("meeting", sa.Date, nullable=True),
        sa.Column("created_by", sa.String(320), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "action_history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("action_id", sa.Integer, sa.ForeignKey("actions.id"), nullable=False),
        sa.Column("changed_by", sa.String(320), nullable=False),
        sa.Column("changed_at", sa.DateTime, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("owner", sa.String(320), nullable=False),
        sa.Column("due", sa.Date, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("action_history")
    op.drop_table("actions")
    op.drop_table("commentary")
