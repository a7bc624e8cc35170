"""The shape of a middleware step and of the call it wraps."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bot.access import Role
from bot.context import Ctx
from bot.providers.capabilities import Capability
from bot.replies import Reply


@dataclass
class Call:
    """One request on its way through the middleware to its handler."""

    ctx: Ctx
    name: str  # "/queue set", "action job_refresh", "view import_submit"
    role: Role
    capability: Capability | None
    needs_connection: bool
    via: str | None = None
    admin_action: bool = False
    audit_text: str = ""
    outcome: str = "ok"
    detail: str | None = None
    usage: str | None = None
    extra: dict[str, object] = field(default_factory=dict)


Next = Callable[[], Awaitable[Reply]]
Middleware = Callable[[Call, Next], Awaitable[Reply]]
