"""Insights and the learning loop: counsellor roles, why a case came to the desk, an
anonymous summary per conversation, satisfaction answers, unanswered messages to label.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("desk_counsellors", sa.Column("role", sa.String(20)))
    op.add_column("desk_cases", sa.Column("reason", sa.String(30)))
    op.add_column("desk_cases", sa.Column("rated_at", sa.Float))
    op.create_table(
        "conversation_summaries",
        sa.Column("sender_id", sa.String(255), primary_key=True),
        sa.Column("started_at", sa.Float, nullable=False),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("last_at", sa.Float, nullable=False),
        sa.Column("hour", sa.Integer, nullable=False),
        sa.Column("channel", sa.String(50)),
        sa.Column("language", sa.String(5)),
        sa.Column("topic", sa.String(100)),
        sa.Column("county", sa.String(100)),
        sa.Column("messages", sa.Integer, nullable=False),
        sa.Column("unanswered", sa.Integer, nullable=False),
        sa.Column("handed_over", sa.Boolean, nullable=False),
        sa.Column("callback", sa.Boolean, nullable=False),
    )
    op.create_index("ix_conversation_summaries_period", "conversation_summaries",
                    ["started_at", "day", "hour", "channel", "language", "topic", "county",
                     "handed_over", "callback", "messages"])
    op.create_table(
        "satisfaction",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("comment", sa.Text),
        sa.Column("channel", sa.String(50)),
        sa.Column("language", sa.String(5)),
        sa.Column("created_at", sa.Float, nullable=False, index=True),
    )
    op.create_table(
        "unanswered_messages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sender_id", sa.String(255), nullable=False, index=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("why", sa.String(30), nullable=False),
        sa.Column("guess", sa.String(100)),
        sa.Column("language", sa.String(5)),
        sa.Column("created_at", sa.Float, nullable=False, index=True),
        sa.Column("label", sa.String(20)),
        sa.Column("intent", sa.String(100)),
        sa.Column("labelled_at", sa.Float),
    )


def downgrade() -> None:
    op.drop_table("unanswered_messages")
    op.drop_table("satisfaction")
    op.drop_table("conversation_summaries")
    op.drop_column("desk_cases", "rated_at")
    op.drop_column("desk_cases", "reason")
    op.drop_column("desk_counsellors", "role")
