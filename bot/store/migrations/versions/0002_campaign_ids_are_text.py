"""campaign ids are text: any length, as AICallCenter's and Vbee's String ids may be

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06 04:09:51.247771
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None

# (table, nullable) of every campaign column
_COLUMNS = (("jobs", False), ("staged_uploads", False), ("subscriptions", True))


def upgrade() -> None:
    for table, nullable in _COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                "campaign",
                existing_type=sa.VARCHAR(length=64),
                type_=sa.Text(),
                existing_nullable=nullable,
            )


def downgrade() -> None:
    for table, nullable in reversed(_COLUMNS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                "campaign",
                existing_type=sa.Text(),
                type_=sa.VARCHAR(length=64),
                existing_nullable=nullable,
            )
