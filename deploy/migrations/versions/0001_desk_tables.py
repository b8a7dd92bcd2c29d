"""The desk's tables: counsellors, their sessions, cases and internal notes.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "desk_counsellors",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("login", sa.String(100), nullable=False, unique=True),
        sa.Column("display_name", sa.String(100), nullable=False),
        sa.Column("password_hash", sa.String(300), nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
    )
    op.create_table(
        "desk_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("counsellor_id", sa.Integer, sa.ForeignKey("desk_counsellors.id"),
                  nullable=False),
        sa.Column("expires_at", sa.Float, nullable=False),
    )
    op.create_table(
        "desk_cases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sender_id", sa.String(255), nullable=False, index=True),
        sa.Column("channel", sa.String(50)),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("priority", sa.String(20), nullable=False),
        sa.Column("language", sa.String(5)),
        sa.Column("topic", sa.String(100)),
        sa.Column("county", sa.String(100)),
        sa.Column("tags", sa.Text, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("question", sa.Text),
        sa.Column("contact", sa.Text),
        sa.Column("assignee_id", sa.Integer, sa.ForeignKey("desk_counsellors.id")),
        sa.Column("waiting_since", sa.Float, nullable=False),
        sa.Column("first_reply_at", sa.Float),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("resolved_at", sa.Float),
    )
    op.create_table(
        "desk_notes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("desk_cases.id"), nullable=False,
                  index=True),
        sa.Column("counsellor_id", sa.Integer, sa.ForeignKey("desk_counsellors.id"),
                  nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
    )


def downgrade() -> None:
    for table in ("desk_notes", "desk_cases", "desk_sessions", "desk_counsellors"):
        op.drop_table(table)
