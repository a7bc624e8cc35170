"""The one error tree of callops.

Every failure a user can meet is one of these classes. Foreign errors (httpx,
pydantic, SQLAlchemy) are translated once, at the edge, with ``raise … from exc``;
past a provider client nobody sees an ``httpx`` error or a raw dict. The Slack
layer turns each class into a sentence of the message catalog (``bot.messages``),
so this module holds data, never user-facing text.

    CallopsError
    ├── ConfigError                  callops.yml is wrong: file, key path, fix
    ├── DatabaseUnusable             the database setting cannot be used (reason code)
    ├── UserInputError               a command or form the user can correct
    ├── PermissionDenied             role or channel binding refuses the caller
    ├── UnsupportedOperation         the connection's provider cannot do that
    └── ProviderError                anything a provider call ended with
        ├── ProviderConnectionError  no TCP/TLS connection (retryable)
        ├── ProviderTimeout          connect/read timeout (retryable)
        ├── AuthError                credentials rejected (401, vbee 1201, bad secret)
        ├── ScopeError               key lacks a scope (alohub 403)
        ├── NotFoundError            unknown or not-owned object (404, aicc "01")
        │   └── JobLostError         alohub import job forgotten by the provider
        ├── InvalidInputError        provider refused the request body (400)
        ├── InvalidStateError        state machine forbids it (INVALID_STATE, aicc "03", vbee 1402)
        ├── RateLimitedError         429 after the retry budget (retry_after)
        ├── ProviderFault            5xx / "system error" (retryable)
        └── UnexpectedResponse       malformed JSON or a shape we do not know
"""

from __future__ import annotations

from dataclasses import dataclass


class CallopsError(Exception):
    """Base of every error callops raises on purpose."""


class ConfigError(CallopsError):
    """The configuration cannot be used; names the file, the key path and the fix."""

    def __init__(self, file: str, key_path: str, problem: str, fix: str) -> None:
        self.file = file
        self.key_path = key_path
        self.problem = problem
        self.fix = fix
        super().__init__(f"{file}: {key_path}: {problem} — {fix}")


class DatabaseUnusable(CallopsError):
    """The database URL cannot be used; ``reason`` names a ``database.<reason>`` sentence."""

    def __init__(self, reason: str, /, **params: object) -> None:
        self.reason = reason
        self.params = params
        super().__init__(reason)


class UserInputError(CallopsError):
    """A command or form value the user can correct; ``key`` names a catalog message."""

    usages: tuple[str, ...] = ()  # usage keys to list instead of the command's own

    def __init__(self, key: str, /, *, field: str | None = None, **params: object) -> None:
        self.key = key
        self.field = field
        self.params = params
        super().__init__(key)


class NoSuchSubcommand(UserInputError):
    """A command family called without a subcommand it has; lists the ones it has."""

    def __init__(
        self, key: str, /, *, usages: tuple[str, ...], command: str, word: str = ""
    ) -> None:
        super().__init__(key, command=command, word=word)
        self.usages = usages


class PermissionDenied(CallopsError):
    """The caller's role or the channel's bindings refuse the operation."""

    def __init__(self, key: str, /, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(key)


class UnsupportedOperation(CallopsError):
    """A connection was asked for something its provider cannot do."""

    def __init__(
        self, operation: str, connection: str, provider: str, providers_that_can: tuple[str, ...]
    ) -> None:
        self.operation = operation
        self.connection = connection
        self.provider = provider
        self.providers_that_can = providers_that_can
        super().__init__(
            f"{connection} ({provider}) cannot {operation}; "
            f"providers that can: {', '.join(providers_that_can) or 'none'}"
        )


@dataclass(eq=False)
class ProviderError(CallopsError):
    """A provider call failed; carries what the provider said and whether retrying helps."""

    provider: str
    connection: str = ""
    status: int | None = None
    code: str | None = None
    message: str = ""
    retryable: bool = False
    field: str | None = None
    attempts: int = 0  # tries made before giving up (set by the transport)
    elapsed: float = 0.0  # seconds from the first try to giving up, waits included
    timeout: float | None = None  # seconds the last try waited for an answer (timeouts)
    # The request creates something when the provider acts on it and is not safe to repeat
    # (a POST the provider does not deduplicate; set by the transport). After a 5xx, a
    # timeout or an unreadable answer the thing may exist: "try again" could make a second.
    creates: bool = False

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        parts = [f"{type(self).__name__} from {self.connection or self.provider}"]
        if self.status is not None:
            parts.append(f"HTTP {self.status}")
        if self.code:
            parts.append(f"code {self.code}")
        if self.message:
            parts.append(self.message)
        return ": ".join([parts[0], ", ".join(parts[1:])]) if len(parts) > 1 else parts[0]


class ProviderConnectionError(ProviderError):
    """The provider could not be reached."""


class ProviderTimeout(ProviderError):
    """The provider did not answer in time."""


class AuthError(ProviderError):
    """The provider rejected the connection's credentials."""


class ScopeError(ProviderError):
    """The credentials lack the scope the operation needs."""


class NotFoundError(ProviderError):
    """The object is unknown to the provider or belongs to another tenant."""


class JobLostError(NotFoundError):
    """The provider no longer knows an import job it started (restarted)."""


class InvalidInputError(ProviderError):
    """The provider refused the request's content."""


class InvalidStateError(ProviderError):
    """The provider's state machine forbids the operation now."""


class RateLimitedError(ProviderError):
    """The provider kept answering 429 past the retry budget."""

    retry_after: float | None = None


class ProviderFault(ProviderError):
    """The provider failed on its side (5xx or a 'system error' body)."""


class UnexpectedResponse(ProviderError):
    """The answer was not JSON or not of a shape we know."""
