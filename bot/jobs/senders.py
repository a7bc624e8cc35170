"""One sender per provider: how a batch of rows reaches it and what came of each row.

Vbee, AICallCenter and OMICall answer synchronously (``send``); Alohub starts a provider
job per chunk (``submit``) that is polled (``poll``). ``fate_of`` says what a failed request
means for its rows: sent again safely, or unconfirmed because the provider may have acted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from bot.errors import (
    AuthError,
    InvalidInputError,
    InvalidStateError,
    NotFoundError,
    ProviderConnectionError,
    RateLimitedError,
    ScopeError,
)
from bot.providers import aicallcenter, vbee
from bot.providers.aicallcenter import AICallCenterClient
from bot.providers.alohub import AlohubClient, BulkContact, ImportJob
from bot.providers.base import ProviderClient
from bot.providers.omicall import Contact, OmicallClient
from bot.providers.vbee import VbeeClient
from bot.store.jobs import RowData, RowOutcome

# Refusals that prove the provider did nothing with the request.
_NOT_APPLIED = (
    AuthError,
    ScopeError,
    NotFoundError,
    InvalidInputError,
    InvalidStateError,
    RateLimitedError,
)
VBEE_ALL_INVALID = "1403"


def reason_key(code: str) -> str:
    """The catalog key explaining a provider's row reason code."""
    return f"import.reason.{code}"


def fate_of(error: BaseException, *, dedupes: bool) -> str:
    """``pending`` when the rows may simply be sent again, ``unconfirmed`` when not.

    Re-sending is safe when the provider skips phones it already has (Alohub bulk) or
    when the error proves the request was not acted on; after a timeout, a 5xx or an
    answer we could not read, the provider may have added the rows.
    """
    if dedupes or isinstance(error, _NOT_APPLIED):
        return "pending"
    if isinstance(error, ProviderConnectionError) and error.retryable:
        return "pending"  # the transport says the request never left
    return "unconfirmed"


def personal_fields(row: RowData) -> dict[str, str]:
    """A row's personalization fields; the name travels as ``ho_ten`` unless a column says."""
    fields = {key: str(value) for key, value in row.fields.items() if value not in ("", None)}
    if row.name and "ho_ten" not in fields:
        fields["ho_ten"] = row.name
    return fields


class SyncSender(Protocol):
    """A provider that answers a batch at once, row by row."""

    dedupes: bool

    async def send(self, campaign: str, rows: Sequence[RowData]) -> list[RowOutcome]:
        """Send ``rows``; one outcome per row."""
        ...


class VbeeSender:
    """Vbee: accepted rows come back with a ``contact_id``; missing ones were refused."""

    dedupes = False

    def __init__(self, client: VbeeClient) -> None:
        self.client = client

    async def send(self, campaign: str, rows: Sequence[RowData]) -> list[RowOutcome]:
        """Add ``rows`` to the campaign."""
        inputs = [vbee.ContactInput(row.phone, personal_fields(row)) for row in rows]
        try:
            outcomes = await self.client.add_contacts(campaign, inputs)
        except InvalidInputError as error:
            if error.code != VBEE_ALL_INVALID:
                raise
            # 1403 is about the rows, not the campaign: every row of the batch is refused.
            return [RowOutcome(r.id, "rejected", reason=reason_key("all_invalid")) for r in rows]
        return [
            RowOutcome(row.id, "accepted", provider_id=o.contact_id)
            if o.accepted
            else RowOutcome(row.id, "rejected", reason=reason_key(o.reason or "rejected"))
            for row, o in zip(rows, outcomes, strict=True)
        ]


class AICallCenterSender:
    """AICallCenter: accepted rows come back with a ``call_id``."""

    dedupes = False

    def __init__(self, client: AICallCenterClient) -> None:
        self.client = client

    async def send(self, campaign: str, rows: Sequence[RowData]) -> list[RowOutcome]:
        """Import ``rows`` into the campaign."""
        inputs = [aicallcenter.ContactInput(row.phone, personal_fields(row)) for row in rows]
        outcome = await self.client.import_contacts(campaign, inputs)
        results = []
        for row, o in zip(rows, outcome.rows, strict=True):
            if o.accepted:
                results.append(RowOutcome(row.id, "accepted", provider_id=str(o.call_id)))
            elif o.reason == aicallcenter.DUPLICATE_IN_REQUEST:
                results.append(RowOutcome(row.id, "duplicate", reason=reason_key(o.reason)))
            else:
                results.append(
                    RowOutcome(row.id, "rejected", reason=reason_key(o.reason or "rejected"))
                )
        return results


class OmicallSender:
    """OMICall: ``add-more`` takes the batch for later creation and returns no ids."""

    dedupes = False

    def __init__(self, client: OmicallClient) -> None:
        self.client = client

    async def send(self, campaign: str, rows: Sequence[RowData]) -> list[RowOutcome]:
        """Hand ``rows`` to the CRM (``campaign`` is not used by a CRM)."""
        contacts = [crm_contact(row.phone, row.name, row.fields) for row in rows]
        await self.client.add_more(contacts)
        return [RowOutcome(row.id, "accepted") for row in rows]


def crm_contact(phone: str, name: str | None, fields: Mapping[str, Any]) -> Contact:
    """An OMICall contact for one row."""
    return Contact.from_row(phone, name, {k: str(v) for k, v in fields.items() if v})


class AlohubSender:
    """Alohub: one bulk call per chunk starts a provider job, polled until done or failed."""

    dedupes = True

    def __init__(self, client: AlohubClient) -> None:
        self.client = client

    async def submit(self, campaign: str, rows: Sequence[RowData], list_name: str | None) -> str:
        """Start the bulk import of ``rows``; returns the provider job id."""
        contacts = [BulkContact(phone_number=row.phone, name=row.name) for row in rows]
        started = await self.client.bulk_import(campaign, contacts, list_name)
        return str(started.job_id)

    async def poll(self, campaign: str, provider_job: str) -> ImportJob:
        """The provider job's state; ``JobLostError`` when Alohub forgot it."""
        return await self.client.import_job(campaign, int(provider_job))

    async def lists(self, campaign: str) -> list[tuple[int, str]]:
        """``(listId, listName)`` of every list of the campaign (a chunk's list is found by
        them: the bulk answer names no list, alohub-campaign-contacts.txt:224-330)."""
        return [
            (found.list_id, found.list_name) for found in await self.client.contact_lists(campaign)
        ]


def alohub_sender(client: ProviderClient) -> AlohubSender:
    """The sender of an Alohub client."""
    if not isinstance(client, AlohubClient):
        raise TypeError(f"{type(client).__name__} is not an Alohub client")
    return AlohubSender(client)


def sync_sender(client: ProviderClient) -> SyncSender:
    """The synchronous sender of a Vbee, AICallCenter or OMICall client."""
    if isinstance(client, VbeeClient):
        return VbeeSender(client)
    if isinstance(client, AICallCenterClient):
        return AICallCenterSender(client)
    if isinstance(client, OmicallClient):
        return OmicallSender(client)
    raise TypeError(f"no batch sender for {type(client).__name__}")
