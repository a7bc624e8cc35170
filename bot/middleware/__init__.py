"""Cross-cutting steps every command and interaction passes through, in this order:

audit (who, where, what, outcome, duration) → errors (exceptions become sentences) →
access (role and channel binding, connection resolution) → the handler.
"""

from __future__ import annotations

from bot.middleware.access import access
from bot.middleware.audit import audit
from bot.middleware.base import Call, Middleware, Next
from bot.middleware.errors import errors

DEFAULT_CHAIN: tuple[Middleware, ...] = (audit, errors, access)

__all__ = ["DEFAULT_CHAIN", "Call", "Middleware", "Next", "access", "audit", "errors"]
