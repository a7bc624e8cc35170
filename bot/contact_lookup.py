"""Is this contact already there? Lookups made before a delete or an add changes anything.

Alohub answers no "get one contact" call: a contact is found by reading the campaign's
lists (alohub-campaign-contacts.txt:3) and their contacts page by page (:68). OMICall
finds a CRM contact by phone (omicall-contacts-v1.txt:287-291).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import NotFoundError
from bot.phones import same_number
from bot.providers.alohub import AlohubClient, CampaignContact, ContactList
from bot.providers.omicall import Contact, OmicallClient


@dataclass(frozen=True, slots=True)
class InList:
    """A campaign contact and the list it is in."""

    contact: CampaignContact
    list: ContactList


async def campaign_contact(client: AlohubClient, campaign: str, contact_id: int) -> InList | None:
    """The contact with ``contact_id`` in ``campaign``, or None."""
    for contact_list in await client.contact_lists(campaign):
        async for contact in client.contacts(campaign, contact_list.list_id):
            if contact.contact_id == contact_id:
                return InList(contact, contact_list)
    return None


async def phone_in_target_list(
    client: AlohubClient, campaign: str, phone: str, list_id: int | None
) -> InList | None:
    """The contact with ``phone`` already in the list an add to ``campaign`` would go to."""
    lists = await client.contact_lists(campaign)
    if list_id is None:
        # Without listId the contact goes to the campaign's first list; with no list yet a
        # new Default List is made, where nothing can be a duplicate (…contacts.txt:144).
        target = lists[0] if lists else None
    else:
        # An unknown list is the provider's to refuse (404) when the add is sent.
        target = next((item for item in lists if item.list_id == list_id), None)
    if target is None:
        return None
    async for contact in client.contacts(campaign, target.list_id):
        if same_number(contact.phone_number, phone):
            return InList(contact, target)
    return None


async def crm_contact_with_phone(client: OmicallClient, phone: str) -> Contact | None:
    """The CRM contact with ``phone``, or None when the CRM has none."""
    try:
        found = await client.get(phone=phone)
    except NotFoundError:
        return None
    # An empty payload names nobody; only a contact with an id or a phone is a duplicate.
    return found if found.id or found.phones else None
