"""Cross-cutting steps every command and interaction passes through, in this order:

audit (who, where, what, outcome, duration) → language (the caller's and the channel's) →
errors (exceptions become sentences, in the caller's language) → access (role and channel
binding, connection resolution) → the handler.
"""

from __future__ import annotations

from bot.middleware.access import access
from bot.middleware.audit import audit
from bot.middleware.base import Call, Middleware, Next
from bot.middleware.errors import errors
from bot.middleware.language import language

# Around everything, the command lookup included (an unknown command is audited and answered).
OUTER: tuple[Middleware, ...] = (audit, language, errors)
# Around the handler, once its declaration (role, capability) is known.
INNER: tuple[Middleware, ...] = (access,)

__all__ = ["INNER", "OUTER", "Call", "Middleware", "Next", "access", "audit", "errors", "language"]
