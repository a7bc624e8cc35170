"""What every provider client has in common: a connection, a transport, capabilities."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, ClassVar, Self, TypeVar

import httpx
from pydantic import BaseModel, ConfigDict, ValidationError

from bot.config import Connection
from bot.errors import UnexpectedResponse
from bot.providers.capabilities import CAPABILITIES, Capability, require
from bot.providers.retry import RetryPolicy
from bot.providers.transport import Transport

M = TypeVar("M", bound=BaseModel)


class ProviderModel(BaseModel):
    """A provider's record: known fields typed, unknown extra fields kept, not rejected."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)


class ProviderClient:
    """Base of the four clients; subclasses set ``provider`` and implement ``interpret``."""

    provider: ClassVar[str]

    def __init__(
        self,
        connection: Connection,
        *,
        http: httpx.AsyncClient | None = None,
        retry: RetryPolicy | None = None,
        headers: dict[str, str] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.connection = connection
        self.name = connection.name or self.provider
        self.transport = Transport(
            provider=self.provider,
            connection=self.name,
            base_url=connection.base_url,
            interpret=self.interpret,
            connect_timeout=connection.connect_timeout,
            read_timeout=connection.read_timeout,
            headers=headers,
            rate_limit=connection.rate_limit,
            retry=retry,
            http=http,
            sleep=sleep,
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(connection={self.name!r})"

    @property
    def capabilities(self) -> frozenset[Capability]:
        """What this provider can do for the bot."""
        return CAPABILITIES[self.provider]

    def require(self, capability: Capability) -> None:
        """Raise ``UnsupportedOperation`` naming the providers that can, if this one cannot."""
        require(self.name, self.provider, capability)

    def interpret(self, response: httpx.Response, body: Any) -> Any:
        """Return the payload of a response or raise the error its body describes."""
        raise NotImplementedError

    def parse(self, model: type[M], data: Any) -> M:
        """Validate one record of an answer; ``UnexpectedResponse`` when its shape is unknown."""
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            raise UnexpectedResponse(
                provider=self.provider,
                connection=self.name,
                message=f"{model.__name__} not understood ({exc.error_count()} errors)",
            ) from exc

    def parse_list(self, model: type[M], data: Any) -> list[M]:
        """Validate a list of records (None counts as empty)."""
        if data is None:
            return []
        if not isinstance(data, list):
            raise UnexpectedResponse(
                provider=self.provider,
                connection=self.name,
                message=f"a list of {model.__name__} was expected",
            )
        return [self.parse(model, item) for item in data]

    async def check(self) -> None:
        """Make one cheap authenticated call; raise ``ProviderError`` when it fails."""
        raise NotImplementedError

    async def aclose(self) -> None:
        """Release the connection's HTTP client (if the client opened it)."""
        await self.transport.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
