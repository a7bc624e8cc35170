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
    msg = call.ctx.msg
    try:
        return await next()
    except CallopsError as error:
        call.outcome = next_outcome(error)
        call.detail = str(error)
        if isinstance(error, UserInputError) and error.field and call.extra.get("modal"):
            return ModalErrors({error.field: describe(error, msg)})
        return Message(describe(error, msg, usage=call.usage))
    except Exception as error:
        ref = uuid.uuid4().hex[:8]
        call.outcome = "crash"
        call.detail = f"{type(error).__name__} (ref {ref})"
        log.exception("%s failed (ref %s)", call.name, ref)
        return Message(msg("error.internal", ref=ref))


def next_outcome(error: CallopsError) -> str:
    """The audit outcome of an error."""
    for cls, outcome in _OUTCOMES:
        if isinstance(error, cls):
            return outcome
    return "error"
