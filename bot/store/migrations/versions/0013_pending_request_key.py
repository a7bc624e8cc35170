"""pending_commands.request_key: a Slack retry of a recorded command is found by its record

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 10:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("pending_commands", schema=None) as batch_op:
        batch_op.add_column(sa.Column("request_key", sa.String(length=255), nullable=True))
        batch_op.create_index(
            batch_op.f("ux_pending_commands_request_key"), ["request_key"], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table("pending_commands", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ux_pending_commands_request_key"))
        batch_op.drop_column("request_key")
