"""Contacts as Block Kit: OMICall search results and cards, Alohub lists and list contacts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TypeVar

from bot.hygiene import NOTE_MAX, SHOWN_MAX, cut, shown
from bot.messages import Messages
from bot.providers.pagination import Page
from bot.render import formats
from bot.render.blocks import (
    MESSAGE_BLOCKS,
    Block,
    actions,
    button,
    confirm_dialog,
    context,
    header,
    line_sections,
    section,
)
from bot.render.calls import outcome_words
from bot.render.formats import number
from bot.render.inputs import (
    CampaignContactFacts,
    ContactListFacts,
    CrmContactFacts,
)
from bot.render.pager import page_footer, past_the_end

CRM = TypeVar("CRM", bound=CrmContactFacts)
InCampaign = TypeVar("InCampaign", bound=CampaignContactFacts)
PROCESS_KEYS = {
    0: "contact.process.pending",
    1: "contact.process.in_call",
    2: "contact.process.processed",
}


def _phones(contact: CrmContactFacts) -> str:
    return ", ".join(p.data for p in contact.phones if p.data) or "—"


def _emails(contact: CrmContactFacts) -> str:
    return ", ".join(e.data for e in contact.emails if e.data) or "—"


def search_results(
    msg: Messages,
    connection: str,
    query: str,
    page: Page[CRM],
) -> list[Block]:
    """One page of CRM search results, each with its id for ``/contact show``."""
    contacts = page.items
    if (beyond := past_the_end(msg, "/contact", f"find {query}", page, connection)) is not None:
        return beyond
    if not contacts:
        return [section(msg("contact.find.none", query=query, connection=connection))]
    blocks: list[Block] = [section(msg("contact.find.title", query=query, connection=connection))]
    for contact in contacts:
        blocks.append(
            section(
                msg(
                    "contact.find.row",
                    name=cut(contact.full_name or "—", SHOWN_MAX),
                    id=cut(contact.id or "—", SHOWN_MAX),
                    phones=cut(_phones(contact), SHOWN_MAX),
                    emails=cut(_emails(contact), SHOWN_MAX),
                )
            )
        )
    blocks.extend(page_footer(msg, "/contact", f"find {query}", page, connection))
    blocks.append(context(msg("contact.find.hint")))
    return blocks


def _birthday(msg: Messages, value: str | None) -> str:
    """OMICall's ``dd/MM/yyyy`` (omicall-contacts-v1.txt) as the language writes dates."""
    if not value:
        return "—"
    try:
        return formats.day(msg, datetime.strptime(value, "%d/%m/%Y").date())
    except ValueError:
        return value  # shown as the CRM holds it


def contact_card(msg: Messages, contact: CrmContactFacts) -> list[Block]:
    """A CRM contact's card."""
    facts = {
        msg("contact.field.phones"): _phones(contact),
        msg("contact.field.emails"): _emails(contact),
        msg("contact.field.owner"): contact.user_owner_email or "—",
        msg("contact.field.ref"): " / ".join(x for x in (contact.ref_id, contact.ref_code) if x)
        or "—",
        msg("contact.field.birthday"): _birthday(msg, contact.birthday),
        msg("contact.field.gender"): msg(f"contact.gender.{contact.gender}")
        if contact.gender in ("male", "female", "other")
        else "—",
        msg("contact.field.address"): contact.address or "—",
        msg("contact.field.tags"): ", ".join(contact.tags) or "—",
    }
    blocks: list[Block] = [
        header(contact.full_name or msg("contact.no_name")),
        section(
            msg("contact.show.id", id=contact.id or "—"),
            fields=[f"*{label}*\n{shown(value)}" for label, value in facts.items()],
        ),
    ]
    extra = [
        f"*{shown(item.value_type)}*: {shown(item.display_value)}"
        for item in contact.more_information
        if item.display_value
    ]
    if contact.note:
        extra.insert(0, f"*{msg('contact.field.note')}*: {shown(contact.note, NOTE_MAX)}")
    if extra:
        sections, _ = line_sections(extra[:20], MESSAGE_BLOCKS - len(blocks) - 1)
        blocks.extend(sections)
    blocks.append(
        context(msg("contact.show.hint", phone=(contact.phones[0].data if contact.phones else "…")))
    )
    return blocks


def contact_lists(
    msg: Messages, connection: str, campaign: str, lists: Sequence[ContactListFacts]
) -> list[Block]:
    """The contact lists of an Alohub campaign."""
    if not lists:
        return [section(msg("contact.lists.none", campaign=campaign, connection=connection))]
    lines = [
        msg(
            "contact.lists.row",
            name=cut(item.list_name, SHOWN_MAX),
            id=item.list_id,
            count=number(msg, item.contact_count),
        )
        for item in lists
    ]
    blocks: list[Block] = [
        section(msg("contact.lists.title", campaign=campaign, connection=connection))
    ]
    sections, shown = line_sections(lines, MESSAGE_BLOCKS - 3)
    blocks.extend(sections)
    if shown < len(lines):
        blocks.append(context(msg("contact.lists.more", count=len(lines) - shown)))
    blocks.append(context(msg("contact.lists.hint", campaign=campaign)))
    return blocks


def list_contacts(
    msg: Messages,
    connection: str,
    campaign: str,
    list_id: str,
    page: Page[InCampaign],
) -> list[Block]:
    """One page of a list's contacts with their process status."""
    contacts = page.items
    text = f"list campaign={campaign} list={list_id}"
    if (beyond := past_the_end(msg, "/contact", text, page, connection)) is not None:
        return beyond
    if not contacts:
        return [section(msg("contact.list.none", list=list_id, campaign=campaign))]
    lines = [
        msg(
            "contact.list.row",
            id=c.contact_id,
            phone=cut(c.phone_number, SHOWN_MAX),
            # Each row's own fields are cut, so one long name never hides the other rows.
            name=cut(c.name or "—", SHOWN_MAX),
            status=msg(PROCESS_KEYS.get(c.process_status, "contact.process.unknown")),
            call=outcome_words(msg, cut(c.call_status, SHOWN_MAX)) if c.call_status else "—",
        )
        for c in contacts
    ]
    footer = page_footer(msg, "/contact", text, page, connection)
    rows, _ = line_sections(lines, MESSAGE_BLOCKS - 1 - len(footer))
    title = msg("contact.list.title", list=list_id, campaign=campaign, connection=connection)
    return [section(title), *rows, *footer]


def _who(msg: Messages, contact: CampaignContactFacts) -> dict[str, str]:
    """The words that tell an admin which contact this is."""
    return {
        "id": str(contact.contact_id),
        "phone": contact.phone_number,
        "name": contact.name or msg("contact.no_name"),
        "status": msg(PROCESS_KEYS.get(contact.process_status, "contact.process.unknown")),
    }


def not_deletable(msg: Messages, contact: CampaignContactFacts) -> str:
    """Why a contact that is no longer pending cannot be deleted."""
    return msg("contact.delete.refused", **_who(msg, contact))


def delete_confirmation(
    msg: Messages,
    connection: str,
    campaign: str,
    contact: CampaignContactFacts,
    contact_list: ContactListFacts,
) -> list[Block]:
    """The contact (phone, name, status) and the button that deletes it from the campaign."""
    who = _who(msg, contact)
    value = {"connection": connection, "campaign": campaign, "contact": who["id"]}
    return [
        section(
            msg(
                "contact.delete.question",
                campaign=campaign,
                connection=connection,
                list=contact_list.list_name,
                **who,
            )
        ),
        actions(
            button(
                msg("contact.delete.button"),
                "contact_delete_confirm",
                value,
                style="danger",
                confirm=confirm_dialog(
                    msg("contact.delete.confirm_title"),
                    msg("contact.delete.confirm_text", campaign=campaign, **who),
                    msg("contact.delete.button"),
                    msg("modal.cancel"),
                ),
            ),
        ),
    ]


def already_in_list(
    msg: Messages,
    connection: str,
    campaign: str,
    contact: CampaignContactFacts,
    contact_list: ContactListFacts,
) -> str:
    """The sentence when the phone is already in the list an add would go to."""
    return msg(
        "contact.add.already_in_list",
        connection=connection,
        campaign=campaign,
        list=contact_list.list_name,
        **_who(msg, contact),
    )


def crm_duplicate(
    msg: Messages, connection: str, existing: CrmContactFacts, phone: str, name: str | None
) -> list[Block]:
    """The CRM contact that already has the phone, and (when it helps) *Update the existing*."""
    facts = {"connection": connection, "phone": phone, "id": existing.id or "—"}
    existing_name = existing.full_name or msg("contact.no_name")
    blocks: list[Block] = [section(msg("contact.add.crm_exists", existing=existing_name, **facts))]
    if not name or name == existing.full_name:
        blocks.append(context(msg("contact.add.crm_same", **facts)))
    elif not existing.ref_id:
        blocks.append(context(msg("contact.add.crm_no_ref", **facts)))
    else:
        value = {**facts, "refId": existing.ref_id, "name": name}
        blocks.append(section(msg("contact.add.crm_offer", name=name, existing=existing_name)))
        blocks.append(
            actions(button(msg("contact.add.crm_update_button"), "contact_crm_update", value))
        )
    return blocks
