"""One contact added by hand (``/contact add``), through the same provider calls as imports."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.providers.alohub import AlohubClient
from bot.providers.base import ProviderClient
from bot.providers.omicall import OmicallClient
from bot.store.jobs import RowData

from .senders import crm_contact, sync_sender


@dataclass(frozen=True, slots=True)
class Added:
    """What the provider did with one contact: its id or message, or the reason it refused."""

    accepted: bool
    provider_id: str | None = None
    note: str | None = None  # what the provider said (Alohub: "Contact added to list 501")
    reason: str | None = None  # catalog key when refused
    crm: bool = False  # an OMICall CRM contact, not a campaign contact


async def add_contact(
    client: ProviderClient,
    campaign: str,
    phone: str,
    name: str | None = None,
    fields: Mapping[str, str] | None = None,
    list_id: int | None = None,
) -> Added:
    """Add one contact to ``campaign`` (OMICall: a CRM contact); provider errors propagate."""
    if isinstance(client, AlohubClient):
        note = await client.add_contact(campaign, phone, name, list_id)
        return Added(True, note=note or None)
    if isinstance(client, OmicallClient):
        created = await client.add(crm_contact(phone, name, fields or {}))
        return Added(True, provider_id=created.id, crm=True)
    # Vbee and AICallCenter: a batch of one through the import sender.
    row = RowData(0, 0, phone, name, dict(fields or {}))
    [outcome] = await sync_sender(client).send(campaign, [row])
    if outcome.state == "accepted":
        return Added(True, provider_id=outcome.provider_id)
    return Added(False, reason=outcome.reason)
