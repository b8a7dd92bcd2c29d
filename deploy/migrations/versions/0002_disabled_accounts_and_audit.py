"""Counsellor accounts can be disabled; an audit log of who opened which conversation.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("desk_counsellors", sa.Column("disabled_at", sa.Float))
    op.create_table(
        "desk_audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("counsellor_id", sa.Integer, nullable=False, index=True),
        sa.Column("case_id", sa.Integer, nullable=False, index=True),
        sa.Column("sender_id", sa.String(255), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("at", sa.Float, nullable=False, index=True),
    )


def downgrade() -> None:
    op.drop_table("desk_audit")
    op.drop_column("desk_counsellors", "disabled_at")
