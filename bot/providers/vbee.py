"""Vbee AICall: add contacts to a scripted campaign (one endpoint, synchronous)."""

from __future__ import annotations

import logging
import time
import warnings
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, ClassVar, NamedTuple

import httpx
import jwt
from jwt.warnings import InsecureKeyLengthWarning
from pydantic import Field

from bot.config import VbeeConnection
from bot.errors import (
    AuthError,
    InvalidInputError,
    InvalidStateError,
    ProviderError,
    ProviderFault,
    UnexpectedResponse,
)
from bot.phonefast import match_key
from bot.providers.base import ProviderClient, ProviderModel
from bot.providers.retry import RetryPolicy
from bot.providers.transport import error_for_status

log = logging.getLogger(__name__)

PATH = "/api/v1/public-api/campaign"
MAX_CONTACTS = 1000  # PROVIDERS.md §2: "at most 1000 contacts per request" (assumption)

# Reason code of a rejected row (the catalog explains it): Vbee left it out of ``result``.
INVALID_PHONE = "invalid_phone"

_ERROR_CODES: dict[int, type[ProviderError]] = {
    401: AuthError,  # ACCESS_TOKEN invalid: the API secret is wrong
    1201: AuthError,  # application not found: the API key is wrong
    1402: InvalidStateError,  # import failed (balance, campaign state)
    1403: InvalidInputError,  # every contact invalid
    500: ProviderFault,
}
_NO_FIELDS: Mapping[str, str] = MappingProxyType({})


class ContactInput(NamedTuple):
    """One row to add: a normalized phone and the campaign's personalization fields."""

    phone: str
    fields: Mapping[str, str] = _NO_FIELDS


class VbeeContact(ProviderModel):
    """A contact Vbee added, as it echoes it (phone as ``so_dien_thoai``, often ``+84…``)."""

    contact_id: str
    phone: str = Field(alias="so_dien_thoai")


@dataclass(frozen=True, slots=True)
class ContactOutcome:
    """What became of one input row: added with ``contact_id``, or rejected with ``reason``."""

    phone: str
    contact_id: str | None = None
    reason: str | None = None
    record: VbeeContact | None = None

    @property
    def accepted(self) -> bool:
        """True when Vbee added the row."""
        return self.contact_id is not None


class VbeeClient(ProviderClient):
    """Client of one Vbee AICall application."""

    provider: ClassVar[str] = "vbee"
    connection: VbeeConnection

    def __init__(
        self,
        connection: VbeeConnection,
        *,
        http: httpx.AsyncClient | None = None,
        retry: RetryPolicy | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(connection, http=http, retry=retry)
        self._clock = clock

    def access_token(self) -> str:
        """A fresh HS256 JWT ``{"apiKey", "iat"}`` signed with the API secret."""
        payload = {"apiKey": self.connection.api_key.get_secret_value(), "iat": int(self._clock())}
        secret = self.connection.api_secret.get_secret_value()
        # The secret's length is Vbee's choice, not ours: do not warn on every request.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", InsecureKeyLengthWarning)
            return jwt.encode(payload, secret, algorithm="HS256")

    def interpret(self, response: httpx.Response, body: Any) -> Any:
        """Return a ``status: 1`` body or raise what ``{"status": 0, "code": …}`` means."""
        status = response.status_code
        if isinstance(body, dict) and "status" in body:
            if str(body["status"]) == "1" and status < 400:
                return body
            code = _int_code(body.get("code"))
            cls = _ERROR_CODES.get(code) if code is not None else None
            if cls is None:
                cls = error_for_status(status) if status >= 400 else UnexpectedResponse
            raise cls(
                provider=self.provider,
                status=status,
                code=str(body.get("code")) if body.get("code") is not None else None,
                message=str(body.get("message") or ""),
                retryable=cls is ProviderFault,
            )
        if status >= 400:
            cls = error_for_status(status)
            raise cls(provider=self.provider, status=status, retryable=status >= 500)
        raise UnexpectedResponse(provider=self.provider, status=status, message="no status field")

    async def check(self) -> None:
        """Post an empty contact list to campaign ``""``: nothing can be added by it.

        Assumption (the API has one endpoint): Vbee checks the token and the application
        before the body, so 1403 (no valid contact) or 1402 (no such campaign) prove the
        credentials good, while 401 or 1201 raise ``AuthError``. Any other failure
        propagates.
        """
        try:
            await self._post("", [])
        except (InvalidInputError, InvalidStateError) as error:
            if error.code not in ("1402", "1403"):
                raise

    async def add_contacts(
        self, campaign_id: str, contacts: Sequence[ContactInput]
    ) -> list[ContactOutcome]:
        """Add up to 1000 rows; one outcome per input row, in input order.

        Rows Vbee leaves out of ``result`` are rejected as ``invalid_phone``; so are rows
        whose phone cannot be parsed at all (not sent: their echo could not be matched).
        Raises ``InvalidInputError`` (code "1403") when Vbee finds every row invalid.
        """
        if len(contacts) > MAX_CONTACTS:
            raise ValueError(f"at most {MAX_CONTACTS} contacts per request, got {len(contacts)}")
        keys = [match_key(c.phone) for c in contacts]
        sendable = [c for c, key in zip(contacts, keys, strict=True) if key is not None]
        added = await self._post(campaign_id, sendable) if sendable else []
        outcomes = _match(contacts, keys, added)
        unmatched = len(added) - sum(o.accepted for o in outcomes)
        if unmatched:
            log.warning("%s: %d added contacts match no row sent", self.name, unmatched)
        return outcomes

    async def add_contact(
        self, campaign_id: str, phone: str, fields: Mapping[str, str] = _NO_FIELDS
    ) -> ContactOutcome:
        """Add one row (see ``add_contacts``)."""
        [outcome] = await self.add_contacts(campaign_id, [ContactInput(phone, fields)])
        return outcome

    async def _post(self, campaign_id: str, contacts: Sequence[ContactInput]) -> list[VbeeContact]:
        payload = {
            "campaign_id": campaign_id,
            "contacts": [{**c.fields, "phone_number": c.phone} for c in contacts],
        }
        # Not idempotent: Vbee does not deduplicate, so a repeat after a timeout or a 5xx
        # could add every row twice. The transport's POST default retries only what never
        # reached Vbee (429, connection refused).
        body = await self.transport.call(
            "POST",
            PATH,
            json_body=payload,
            headers={"Authorization": f"Bearer {self.access_token()}"},
        )
        result = body.get("result")
        if not isinstance(result, list):  # a missing list would turn every row "rejected"
            raise UnexpectedResponse(
                provider=self.provider, connection=self.name, message="no result list"
            )
        return self.parse_list(VbeeContact, result)


def _match(
    contacts: Sequence[ContactInput], keys: Sequence[str | None], added: Sequence[VbeeContact]
) -> list[ContactOutcome]:
    """Pair echoed rows with input rows by normalized phone; a repeated phone pairs in order."""
    echoes: dict[str, deque[VbeeContact]] = {}
    for row in added:
        key = match_key(row.phone)
        if key is not None:
            echoes.setdefault(key, deque()).append(row)
    outcomes = []
    for contact, key in zip(contacts, keys, strict=True):
        queue = echoes.get(key) if key is not None else None
        if queue:
            row = queue.popleft()
            outcomes.append(ContactOutcome(contact.phone, row.contact_id, None, row))
        else:
            outcomes.append(ContactOutcome(contact.phone, reason=INVALID_PHONE))
    return outcomes


def _int_code(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
