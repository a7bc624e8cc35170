"""Runs a request through the middleware chain to its declared handler.

Shared by the Slack app and the console: both build a ``Request``, call the dispatcher,
and deliver the ``Reply`` it returns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from bot.args import Args, parse_args
from bot.context import Ctx, Request
from bot.errors import UserInputError
from bot.hygiene import Markup, clean, clean_deep, code
from bot.middleware import INNER, OUTER, Call, Middleware, Next
from bot.replies import Message, Reply
from bot.routing import CommandSpec, Role, Router
from bot.services import Services


class Dispatcher:
    """Finds the handler of a command, button or modal and runs it behind the middleware."""

    def __init__(self, services: Services, router: Router) -> None:
        self.services = services
        self.router = router

    async def command(self, request: Request) -> Reply:
        """Answer a slash command."""
        # The edge where typed text enters, for Slack and the console alike: cleaned once
        # here, before it is parsed, audited, stored, sent to a provider or echoed.
        request = replace(request, text=clean(request.text))
        ctx = Ctx(self.services, request)
        args = parse_args(request.text)
        call = Call(
            ctx=ctx,
            name=request.command,
            role=Role.STRANGER,
            capability=None,
            needs_connection=False,
            via=args.get("via"),
            audit_text=f"{request.command} {request.text}".strip(),
        )

        async def handler() -> Reply:
            spec, rest = self.router.find(request.command, args)
            call.name, call.usage = spec.name, spec.usage
            unknown = sorted(set(rest.options) - spec.options)
            if unknown and not spec.free_text:
                raise UserInputError("usage.unknown_option", option=unknown[0])
            if (repeated := spec.repeated_option(rest)) is not None:
                values = Markup(", ").join(code(f"{repeated}={v}") for v in rest.repeated[repeated])
                raise UserInputError("usage.repeated_option", option=repeated, values=values)
            if len(rest.positional) + (len(rest.options) if spec.free_text else 0) < spec.min_args:
                raise UserInputError("usage.missing_argument")
            call.role, call.capability = spec.role, spec.capability
            call.needs_connection, call.admin_action = spec.needs_connection, spec.admin_action

            async def run() -> Reply:
                self._refuse_unused_options(ctx, spec, rest)
                return await spec.handler(ctx, rest)

            return await self._run(call, run, INNER)

        return await self._run(call, handler, OUTER)

    async def interaction(self, kind: str, id: str, request: Request) -> Reply:
        """Answer a button press (``kind`` "action") or a modal submission ("view")."""
        # Modal values and button values are user text too: cleaned here, once.
        request = replace(request, payload=clean_deep(request.payload))
        spec = self.router.interaction(kind, id, request.payload)
        ctx = Ctx(self.services, request)
        if spec is None:
            return Message(self.services.messages("error.unknown_action"))
        payload = request.payload
        call = Call(
            ctx=ctx,
            name=f"{kind} {id}",
            role=spec.role,
            capability=spec.capability,
            needs_connection=bool(payload.get("connection")) or spec.capability is not None,
            via=payload.get("connection") or None,
            admin_action=spec.admin_action,
            audit_text=f"{kind} {id} {_brief(payload)}".strip(),
            extra={"modal": kind == "view"},
        )
        return await self._run(call, lambda: spec.handler(ctx, payload), OUTER + INNER)

    def _refuse_unused_options(self, ctx: Ctx, spec: CommandSpec, args: Args) -> None:
        """Refuse an option the resolved connection's provider would silently ignore."""
        if ctx.connection is None:
            return
        connections = self.services.config.connections
        provider = connections[ctx.connection].provider
        option = spec.unused_option(args, provider)
        if option is None:
            return
        users = spec.provider_options[option]
        able = [name for name in ctx.allowed if connections[name].provider in users]
        raise UserInputError(
            "usage.option_not_used",
            option=option,
            connection=ctx.connection,
            provider=provider,
            able=Markup(", ").join(code(f"via={name}") for name in able) or "—",
        )

    async def _run(self, call: Call, handler: Next, steps: Sequence[Middleware]) -> Reply:
        async def step(index: int) -> Reply:
            if index == len(steps):
                return await handler()
            return await steps[index](call, lambda: step(index + 1))

        return await step(0)


def _brief(payload: dict[str, Any]) -> str:
    shown = {k: v for k, v in payload.items() if k in ("value", "connection", "campaign", "job")}
    return " ".join(f"{k}={v}" for k, v in shown.items())
