"""What each provider can do for the bot (the table at the end of PROVIDERS.md)."""

from __future__ import annotations

from enum import StrEnum

from bot.errors import UnsupportedOperation


class Capability(StrEnum):
    """An operation the bot may ask of a connection; values are catalog keys."""

    ADD_CAMPAIGN_CONTACT = "add_campaign_contact"
    CRM_CONTACTS = "crm_contacts"
    BULK_IMPORT = "bulk_import"
    CONTACT_LISTS = "contact_lists"
    DELETE_CAMPAIGN_CONTACT = "delete_campaign_contact"
    QUEUES = "queues"
    CALL_RECORDS = "call_records"
    CAMPAIGN_PROGRESS = "campaign_progress"


CAPABILITIES: dict[str, frozenset[Capability]] = {
    "alohub": frozenset(
        {
            Capability.ADD_CAMPAIGN_CONTACT,
            Capability.BULK_IMPORT,
            Capability.CONTACT_LISTS,
            Capability.DELETE_CAMPAIGN_CONTACT,
            Capability.QUEUES,
            Capability.CAMPAIGN_PROGRESS,
        }
    ),
    "vbee": frozenset({Capability.ADD_CAMPAIGN_CONTACT, Capability.BULK_IMPORT}),
    "aicallcenter": frozenset(
        {Capability.ADD_CAMPAIGN_CONTACT, Capability.BULK_IMPORT, Capability.CALL_RECORDS}
    ),
    "omicall": frozenset({Capability.CRM_CONTACTS, Capability.BULK_IMPORT}),
}


def providers_that_can(capability: Capability) -> tuple[str, ...]:
    """The providers offering ``capability``, in a stable order."""
    return tuple(p for p, caps in CAPABILITIES.items() if capability in caps)


def require(connection: str, provider: str, capability: Capability) -> None:
    """Raise ``UnsupportedOperation`` unless ``provider`` offers ``capability``."""
    if capability not in CAPABILITIES.get(provider, frozenset()):
        raise UnsupportedOperation(
            capability.value, connection, provider, providers_that_can(capability)
        )
