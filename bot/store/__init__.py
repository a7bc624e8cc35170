"""The database: one ``Store`` per process, SQLite by default, PostgreSQL by URL.

Commands and the job engine use the store's methods, never SQLAlchemy directly. Those
methods are ``async`` and run on the store's own threads, never on the event loop; why
this boundary and not SQLAlchemy's asyncio extension: see ``Store`` in ``bot.store.db``.
"""

from __future__ import annotations

from bot.store.db import Store, open_store
from bot.store.models import (
    AlertEvent,
    AlertRule,
    AuditEntry,
    ConnectionCheck,
    Job,
    JobRow,
    ProviderBatch,
    StagedUpload,
    Subscription,
    SummaryRun,
)

__all__ = [
    "AlertEvent",
    "AlertRule",
    "AuditEntry",
    "ConnectionCheck",
    "Job",
    "JobRow",
    "ProviderBatch",
    "StagedUpload",
    "Store",
    "Subscription",
    "SummaryRun",
    "open_store",
]
