"""When a waiting person was told the wait is long: the replicas claim it here, so that
only one of them tells the person, and a restarted one does not tell them again.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("desk_cases", sa.Column("long_wait_told_at", sa.Float))


def downgrade() -> None:
    op.drop_column("desk_cases", "long_wait_told_at")
