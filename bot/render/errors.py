"""One sentence per error, from the catalog, naming the connection and the next step."""

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
from bot.messages import Messages
from bot.render import formats

log = logging.getLogger(__name__)


def describe(
    error: CallopsError, msg: Messages, *, usage: str | None = None, check: str | None = None
) -> str:
    """The sentence a user reads for ``error`` (plus the usage line for input mistakes).

    ``check`` is how to find out whether a create the provider failed to confirm went
    through (default: the provider's own lookup, see ``provider_sentence``).
    """
    if isinstance(error, UserInputError):
        text = msg(error.key, **error.params)
        if error.usages:  # the subcommands of a family, and one example
            text += "".join(f"\n• {msg(key)}" for key in error.usages)
            example = next((k + ".example" for k in error.usages if msg.has(k + ".example")), None)
            if example:
                text += "\n" + msg("usage.example", example=msg(example))
        elif usage and msg.has(usage):
            text += "\n" + msg("usage.line", usage=msg(usage))
            if msg.has(usage + ".example"):
                text += "\n" + msg("usage.example", example=msg(usage + ".example"))
        return text
    if isinstance(error, PermissionDenied):
        return msg(error.key, **error.params)
    if isinstance(error, UnsupportedOperation):
        return msg(
            "error.unsupported",
            connection=error.connection,
            provider=error.provider,
            operation=msg(f"capability.{error.operation}"),
            providers=", ".join(error.providers_that_can) or "—",
        )
    if isinstance(error, ProviderError):
        return provider_sentence(error, msg, check=check)
    return msg("error.internal", ref="-")


def provider_sentence(error: ProviderError, msg: Messages, *, check: str | None = None) -> str:
    """The sentence for a provider failure: which connection, what it said, what to do.

    The most precise sentence wins: one for the provider's own code (a permanent refusal
    such as "campaign stopped" says what to do about it), then one for what the request
    named (``NotFoundError`` on a phone is not "check the id"), then the error's class.
    A request that creates something (``error.creates``) reads the ``.creating`` sentence
    where its class has one: after a 5xx or a timeout the thing may exist, so the sentence
    says how to check (``check``, else the provider's lookup) instead of "try again".
    """
    connection = error.connection or error.provider
    params = {
        "connection": connection,
        "said": msg("provider.said", message=error.message) if error.message else "",
        "code": error.code or "",
        "tried": _tried(error, msg),
        "check": check or _check(error.provider, connection, msg),
    }
    # AICallCenter's codes are strings ("01"); the same code may come without its zero.
    code = (error.code or "").lstrip("0")
    keys = [f"provider.code.{error.provider}.{code}"] if code else []
    for cls in type(error).__mro__:
        if error.creates:
            keys.append(f"provider.{cls.__name__}.creating")
        if error.field:
            keys.append(f"provider.{cls.__name__}.{error.field}")
        keys.append(f"provider.{cls.__name__}")
    key = next((k for k in keys if msg.has(k)), "provider.ProviderError")
    return msg(key, **params)


def _check(provider: str, connection: str, msg: Messages) -> str:
    """How to see whether ``provider`` added a contact: its lookup, or its dashboard."""
    key = f"provider.check.{provider}"
    return msg(key if msg.has(key) else "provider.check", connection=connection)


# One try that ended sooner than this, without a timeout, is not worth a "(I waited …)".
QUICK_SECONDS = 1.0


def _tried(error: ProviderError, msg: Messages) -> str:
    """``I tried 4 times over 6.5 s`` (each waiting up to 30 s), or nothing for one quick try."""
    if error.attempts <= 0:
        return ""
    seconds = formats.decimal(msg, error.elapsed, 1)
    if error.attempts == 1:
        # A wait is worth saying after a timeout or a slow answer, not after a quick refusal
        # ("I waited 0.0 s" for a 5xx answered at once).
        quick = error.timeout is None and error.elapsed < QUICK_SECONDS
        return "" if quick else msg("provider.tried.once", seconds=seconds)
    if error.timeout is not None:
        timeout = formats.decimal(msg, error.timeout, 0)
        return msg(
            "provider.tried.timeout", attempts=error.attempts, seconds=seconds, timeout=timeout
        )
    return msg("provider.tried", attempts=error.attempts, seconds=seconds)


def describe_any(error: BaseException, msg: Messages, *, check: str | None = None) -> str:
    """Like ``describe`` for work running after the reply: unknown errors get a log reference."""
    if isinstance(error, CallopsError):
        return describe(error, msg, check=check)
    ref = uuid.uuid4().hex[:8]
    log.error("background work failed (ref %s)", ref, exc_info=error)
    return msg("error.internal", ref=ref)
