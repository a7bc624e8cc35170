"""Exceptions become sentences: the user sees what happened and what to do, never a trace."""

from __future__ import annotations

import logging
import uuid

from bot.errors import (
    CallopsError,
    PermissionDenied,
    ProviderError,
    UnsupportedOperation,
    UserInputError,
)
from bot.middleware.base import Call, Next
from bot.render.errors import describe
from bot.replies import Message, ModalErrors, Reply

log = logging.getLogger(__name__)

_OUTCOMES: list[tuple[type[Exception], str]] = [
    (UserInputError, "invalid"),
    (PermissionDenied, "refused"),
    (UnsupportedOperation, "unsupported"),
    (ProviderError, "provider_error"),
]


async def errors(call: Call, next: Next) -> Reply:
    """Run the rest of the chain; turn any exception into an ephemeral sentence."""
    try:
        return await next()
    except Exception as error:
        if isinstance(error, UserInputError) and error.field and call.extra.get("modal"):
            call.outcome, call.detail = next_outcome(error), str(error)
            return ModalErrors({error.field: describe(error, call.ctx.msg)})
        return Message(sentence(call, error, usage=call.usage))


def sentence(call: Call, error: Exception, *, usage: str | None = None) -> str:
    """What the user reads for ``error``; records the outcome and detail on ``call``.

    Shared by the middleware (errors of the reply) and ``bot.middleware.audit`` (errors
    of the work after it), so both say and audit a failure the same way.
    """
    if isinstance(error, CallopsError):
        call.outcome = next_outcome(error)
        call.detail = str(error)
        return describe(error, call.ctx.msg, usage=usage)
    ref = uuid.uuid4().hex[:8]
    call.outcome = "crash"
    call.detail = f"{type(error).__name__} (ref {ref})"
    log.error("%s failed (ref %s)", call.name, ref, exc_info=error)
    return call.ctx.msg("error.internal", ref=ref)


def next_outcome(error: CallopsError) -> str:
    """The audit outcome of an error."""
    for cls, outcome in _OUTCOMES:
        if isinstance(error, cls):
            return outcome
    return "error"
