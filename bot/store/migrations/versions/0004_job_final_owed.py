"""jobs.final_owed: a finished job whose totals are not posted yet

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 05:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


# Plain ALTER TABLE, not batch mode: on SQLite a batch copies ``jobs`` into a new table and
# drops the old one, and with foreign keys on that drop deletes every job's rows (cascade).


def upgrade() -> None:
    op.add_column(
        "jobs", sa.Column("final_owed", sa.Boolean(), server_default=sa.false(), nullable=False)
    )


def downgrade() -> None:
    op.drop_column("jobs", "final_owed")
