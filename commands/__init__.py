"""Every slash command family, one module each; ``ROUTER`` holds all their declarations."""

from __future__ import annotations

from bot.routing import Router
from commands import alerts, callops, calls, contact, contact_add, home, importing, job, queue

ROUTER = Router()
ROUTER.include(callops.help_router(ROUTER))  # first: /callops is the first family listed
for module in (callops, contact, contact_add, importing, job, queue, calls, alerts, home):
    ROUTER.include(module.router)

__all__ = ["ROUTER"]
