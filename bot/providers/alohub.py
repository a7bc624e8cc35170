"""Alohub xapi: campaign contacts, bulk imports (provider jobs) and inbound queues."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any, ClassVar, Literal

import httpx
from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.config import AlohubConnection
from bot.errors import (
    AuthError,
    InvalidInputError,
    InvalidStateError,
    JobLostError,
    NotFoundError,
    ProviderError,
    ProviderFault,
    RateLimitedError,
    ScopeError,
    UnexpectedResponse,
)
from bot.providers.alohub_enums import QueueStrategy
from bot.providers.base import ProviderClient, ProviderModel
from bot.providers.pagination import Page, iterate
from bot.providers.retry import RetryPolicy
from bot.providers.transport import error_for_status, segment

STRATEGIES = frozenset(int(strategy) for strategy in QueueStrategy)
PROCESS_STATUSES = {0: "pending", 1: "in_call", 2: "processed"}

_ERROR_CODES: dict[str, type[ProviderError]] = {
    "UNAUTHORIZED": AuthError,
    "INSUFFICIENT_SCOPE": ScopeError,
    "INVALID_INPUT": InvalidInputError,
    "INVALID_STATE": InvalidStateError,
    "NOT_FOUND": NotFoundError,
    "RATE_LIMIT_EXCEEDED": RateLimitedError,
    "FAIL": ProviderFault,
}
_SUCCESS = ("1", 1)  # "1" as documented; 1 (or true) tolerated
_DIGITS = re.compile(r"[0-9]+")


class ContactList(ProviderModel):
    """A contact list of a campaign."""

    list_id: int = Field(alias="listId")
    list_name: str = Field(alias="listName")
    contact_count: int = Field(default=0, alias="contactCount")


class CampaignContact(ProviderModel):
    """A contact of a campaign list, with its process status (0 pending, 1 in call, 2 done)."""

    contact_id: int = Field(alias="contactId")
    customer_id: int | None = Field(default=None, alias="customerId")
    phone_number: str = Field(alias="phoneNumber")
    name: str | None = None
    process_status: int = Field(default=0, alias="processStatus")
    call_status: str | None = Field(default=None, alias="callStatus")


class BulkContact(ProviderModel):
    """One row of a bulk import."""

    phone_number: str = Field(serialization_alias="phoneNumber")
    name: str | None = None


class BulkImportStarted(ProviderModel):
    """The provider accepted a bulk import and started a job."""

    job_id: int
    total_rows: int = 0
    message: str = Field(default="", alias="error_message")


class ImportJob(ProviderModel):
    """The state of a provider import job."""

    job_id: int = Field(alias="jobId")
    status: Literal["pending", "processing", "done", "failed"]
    total_rows: int = Field(default=0, alias="totalRows")
    processed_rows: int = Field(default=0, alias="processedRows")
    failed_rows: int = Field(default=0, alias="failedRows")
    duplicate_rows: int = Field(default=0, alias="duplicateRows")
    error_message: str | None = Field(default=None, alias="errorMessage")

    @property
    def finished(self) -> bool:
        """True once the job is done or failed."""
        return self.status in ("done", "failed")


class Queue(ProviderModel):
    """An inbound queue."""

    callin_id: int = Field(alias="callinId")
    callin_name: str = Field(default="", alias="callinName")
    strategy: int | None = None
    music_in_queue: str | None = Field(default=None, alias="musicinQueue")
    time_wait: str | None = Field(default=None, alias="timeWait")
    agent_selector: str | int | None = Field(default=None, alias="agentSelector")
    announce_position: str | int | None = Field(default=None, alias="nguongRanhRoi")
    callin_number: str | None = Field(default=None, alias="callinNumber")

    @field_validator("time_wait", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value


class QueueUpdate(BaseModel):
    """The fields a queue update may set; at least one, validated before sending.

    Fields take what a form or a command line produces (``strategy="2"``,
    ``max_wait_sec=30``, ``announce_position=True``); ``validate_for_send`` turns them
    into the provider's types or raises ``InvalidInputError`` naming the field.
    """

    model_config = ConfigDict(extra="forbid")

    # ``bool`` is listed so that True stays True (and is refused) instead of becoming 1.
    strategy: bool | int | str | None = None
    max_wait_sec: bool | int | str | None = None
    moh_file_id: str | None = None
    announce_position: bool | int | str | None = None

    def validate_for_send(self) -> dict[str, Any]:
        """Return the body to send, or raise ``InvalidInputError`` naming the field."""
        body: dict[str, Any] = {}
        if self.strategy is not None:
            strategy = _as_int(self.strategy)
            # seed alohub-inbound-queues.txt, "strategy phải là số nguyên trong tập {1,2,3,4,99}"
            if strategy not in STRATEGIES:
                raise _local_error("strategy must be one of 1, 2, 3, 4, 99", "strategy")
            body["strategy"] = strategy
        if self.max_wait_sec is not None:
            wait = self.max_wait_sec
            text = str(wait) if isinstance(wait, int) and not isinstance(wait, bool) else wait
            # seed alohub-inbound-queues.txt, PUT: "max_wait_sec … (string số, đơn vị giây)"
            if not isinstance(text, str) or not _DIGITS.fullmatch(text):
                raise _local_error("max_wait_sec must be a number of seconds", "max_wait_sec")
            body["max_wait_sec"] = text
        if self.moh_file_id is not None:
            body["moh_file_id"] = self.moh_file_id
        if self.announce_position is not None:
            announce = self.announce_position
            if isinstance(announce, bool | int):
                announce = str(int(announce))
            # seed alohub-inbound-queues.txt, PUT: "announce_position … "0" = tắt …, "1" = bật"
            if announce not in ("0", "1"):
                raise _local_error('announce_position must be "0" or "1"', "announce_position")
            body["announce_position"] = announce
        if not body:  # seed alohub-inbound-queues.txt, PUT: "cần ít nhất 1 field"
            raise _local_error("at least one field must be given", None)
        return body


def _as_int(value: bool | int | str) -> int | None:
    if isinstance(value, bool):
        return None  # True == 1 in Python, but "strategy=True" is a mistake, not "normal"
    if isinstance(value, int):
        return value
    return int(value) if _DIGITS.fullmatch(value.strip()) else None


def _local_error(message: str, field: str | None) -> InvalidInputError:
    return InvalidInputError(provider="alohub", code="INVALID_INPUT", message=message, field=field)


class AlohubClient(ProviderClient):
    """Client of one Alohub xapi connection."""

    provider: ClassVar[str] = "alohub"
    connection: AlohubConnection

    def __init__(
        self,
        connection: AlohubConnection,
        *,
        http: httpx.AsyncClient | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        key = connection.api_key.get_secret_value()
        headers = {"Authorization": key, "X-Api-Key": key}
        if connection.tenant_id:
            headers["X-Tenant-ID"] = connection.tenant_id
        super().__init__(connection, http=http, retry=retry, headers=headers, sleep=sleep)

    def interpret(self, response: httpx.Response, body: Any) -> Any:
        """Unwrap the ``success``/``error_code`` envelope (or a bare object) or raise."""
        status = response.status_code
        if isinstance(body, dict) and "success" in body:
            if body["success"] in _SUCCESS and status < 400:
                return body
            code = str(body.get("error_code") or "")
            cls = _ERROR_CODES.get(code) or error_for_status(status)
            raise cls(
                provider=self.provider,
                status=status,
                code=code or None,
                message=str(body.get("error_message") or ""),
                # FAIL is a provider fault even when it comes with HTTP 200.
                retryable=status >= 500 or cls in (ProviderFault, RateLimitedError),
            )
        if status >= 400:
            cls = error_for_status(status)
            raise cls(provider=self.provider, status=status, retryable=status >= 500)
        if not isinstance(body, dict):
            raise UnexpectedResponse(
                provider=self.provider, status=status, message="no JSON object"
            )
        return body

    async def check(self) -> None:
        """List the first queue page, the cheapest authenticated call.

        A key with only the ``campaign`` scope answers INSUFFICIENT_SCOPE here: that still
        proves the key is valid, so it counts as a pass.
        """
        try:
            await self.queues_page(0, size=1)
        except ScopeError:
            return

    # Campaign contacts (scope campaign)

    async def contact_lists(self, campaign_id: int | str) -> list[ContactList]:
        """Every contact list of a campaign."""
        try:
            body = await self.transport.call(
                "GET", f"/v1/campaigns/{segment(campaign_id)}/contact-lists"
            )
        except NotFoundError as error:
            error.field = "campaign_id"  # the only object the request named
            raise
        return self.parse_list(ContactList, body.get("data"))

    async def contacts_page(
        self, campaign_id: int | str, list_id: int | str, page: int = 0, size: int = 20
    ) -> Page[CampaignContact]:
        """One page of a list's contacts (pages from 0, as Alohub counts)."""
        body = await self.transport.call(
            "GET",
            f"/v1/campaigns/{segment(campaign_id)}/contact-lists/{segment(list_id)}/contacts",
            params={"page": page, "size": size},
        )
        items = self.parse_list(CampaignContact, body.get("data"))
        return Page(items, page, size, self._total(body))

    def contacts(
        self, campaign_id: int | str, list_id: int | str, size: int = 100
    ) -> AsyncIterator[CampaignContact]:
        """Every contact of a list."""
        return iterate(lambda page: self.contacts_page(campaign_id, list_id, page, size))

    async def add_contact(
        self,
        campaign_id: int | str,
        phone_number: str,
        name: str | None = None,
        list_id: int | None = None,
    ) -> str:
        """Add one contact; returns the provider's message (e.g. "Contact added to list 501")."""
        payload: dict[str, Any] = {"phoneNumber": phone_number}
        if name:
            payload["name"] = name
        if list_id is not None:
            payload["listId"] = list_id
        # Not retried after a timeout/5xx: nothing says a single add skips duplicates.
        try:
            body = await self.transport.call(
                "POST", f"/v1/campaigns/{segment(campaign_id)}/contacts", json_body=payload
            )
        except NotFoundError as error:
            if list_id is None:
                error.field = "campaign_id"  # the only object the request named
            raise
        return str(body.get("error_message") or "")

    async def bulk_import(
        self,
        campaign_id: int | str,
        contacts: Sequence[BulkContact],
        list_name: str | None = None,
    ) -> BulkImportStarted:
        """Start an asynchronous import of ``contacts``; returns the provider job id."""
        payload: dict[str, Any] = {
            "contacts": [c.model_dump(by_alias=True, exclude_none=True) for c in contacts]
        }
        if list_name:
            payload["listName"] = list_name
        # Retried after a timeout/5xx: the provider skips phones already in the campaign,
        # so a repeated bulk call cannot add a contact twice (PROVIDERS.md §1.4).
        try:
            body = await self.transport.call(
                "POST",
                f"/v1/campaigns/{segment(campaign_id)}/contacts/bulk",
                json_body=payload,
                idempotent=True,
            )
        except NotFoundError as error:
            error.field = "campaign_id"  # the only object the request named
            raise
        return self.parse(BulkImportStarted, body)

    async def import_job(self, campaign_id: int | str, job_id: int) -> ImportJob:
        """The state of an import job; ``JobLostError`` when the provider forgot it."""
        try:
            body = await self.transport.call(
                "GET", f"/v1/campaigns/{segment(campaign_id)}/contacts/import/{segment(job_id)}"
            )
        except NotFoundError as exc:
            raise JobLostError(
                provider=exc.provider,
                connection=exc.connection,
                status=exc.status,
                code=exc.code,
                message=exc.message or f"import job {job_id} is unknown to the provider",
            ) from exc
        return self.parse(ImportJob, _bare(body))

    async def delete_contact(self, campaign_id: int | str, contact_id: int | str) -> str:
        """Delete a pending contact; ``InvalidStateError`` when it is not pending."""
        body = await self.transport.call(
            "DELETE", f"/v1/campaigns/{segment(campaign_id)}/contacts/{segment(contact_id)}"
        )
        return str(body.get("error_message") or "")

    # Inbound queues (scope queue)

    async def queues_page(self, page: int = 0, size: int = 20) -> Page[Queue]:
        """One page of inbound queues (pages from 0)."""
        body = await self.transport.call(
            "GET", "/v1/queues/inbound", params={"page": page, "size": size}
        )
        items = self.parse_list(Queue, body.get("data"))
        return Page(items, page, size, self._total(body))

    def queues(self, size: int = 50) -> AsyncIterator[Queue]:
        """Every inbound queue."""
        return iterate(lambda page: self.queues_page(page, size))

    async def queue(self, callin_id: int | str) -> Queue:
        """One inbound queue (a bare object; another tenant's queue is not found)."""
        body = await self.transport.call("GET", f"/v1/queues/inbound/{segment(callin_id)}")
        return self.parse(Queue, _bare(body))

    async def update_queue(self, callin_id: int | str, update: QueueUpdate) -> str:
        """Update a queue after validating the fields locally; returns the provider message."""
        try:
            payload = update.validate_for_send()
        except InvalidInputError as error:
            error.connection = self.name
            raise
        body = await self.transport.call(
            "PUT", f"/v1/queues/inbound/{segment(callin_id)}", json_body=payload
        )
        return str(body.get("error_message") or "")

    def _total(self, body: dict[str, Any]) -> int | None:
        total = body.get("totalRecord")
        if total is None:
            return None
        try:
            return int(total)
        except (TypeError, ValueError):
            raise UnexpectedResponse(
                provider=self.provider, connection=self.name, message="totalRecord is not a number"
            ) from None


def _bare(body: dict[str, Any]) -> Any:
    # Documented as a bare object; tolerate the object wrapped in the usual envelope.
    if "success" in body and isinstance(body.get("data"), dict):
        return body["data"]
    return body
