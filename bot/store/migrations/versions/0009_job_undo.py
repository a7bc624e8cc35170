"""jobs.kind and jobs.undo_of: an undo job takes back the pending contacts of an import

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 07:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | None = None
depends_on: str | None = None


# Plain ALTER TABLE, not batch mode (see 0004): a batch would copy ``jobs`` and its drop
# would cascade to every job's rows on SQLite.


def upgrade() -> None:
    op.add_column("jobs", sa.Column("kind", sa.String(16), server_default="import", nullable=False))
    op.add_column("jobs", sa.Column("undo_of", sa.Integer(), nullable=True))
    op.create_index("ix_jobs_undo_of", "jobs", ["undo_of"])


def downgrade() -> None:
    op.drop_index("ix_jobs_undo_of", table_name="jobs")
    op.drop_column("jobs", "undo_of")
    op.drop_column("jobs", "kind")
