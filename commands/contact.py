"""``/contact``: find, show and note CRM contacts (OMICall); lists, list and delete (Alohub).

``/contact add`` and the *Add contact* modal live in ``commands.contact_add`` with the
import engine, because they use the same provider calls.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

import commands.calls as calls_commands
from bot.args import Args, is_number, page_option
from bot.calls import ProgressReporter
from bot.contact_lookup import campaign_contact
from bot.context import Ctx
from bot.errors import InvalidStateError, ProviderError, UserInputError
from bot.exports import contact_row, export_list
from bot.hygiene import NAME_MAX, NOTE_MAX, check_length
from bot.messages import mention
from bot.providers.alohub import AlohubClient
from bot.providers.capabilities import Capability
from bot.providers.omicall import OmicallClient
from bot.render.contacts import (
    contact_card,
    contact_lists,
    delete_confirmation,
    list_contacts,
    not_deletable,
    search_results,
)
from bot.render.formats import number
from bot.replies import Message, Reply
from bot.routing import Role, Router

router = Router()
CRM = Capability.CRM_CONTACTS
LISTS = Capability.CONTACT_LISTS
PAGE_SIZE = 10
SEARCH_MAX = NAME_MAX  # a phone, an email or a name: a name is the longest of them


def _crm(ctx: Ctx) -> OmicallClient:
    return ctx.client_as(OmicallClient, CRM.value)


def _alohub(ctx: Ctx, capability: Capability = LISTS) -> AlohubClient:
    return ctx.client_as(AlohubClient, capability.value)


def _campaign(args: Args) -> str:
    """An Alohub campaign id: lists, list contents and deletes are Alohub's alone."""
    campaign = args.get("campaign")
    if not campaign:
        raise UserInputError("contact.need_campaign")
    # seed alohub-campaign-contacts.txt: path "campaignId | 1042" (a number in every example)
    if not is_number(campaign):
        raise UserInputError("contact.bad_campaign", value=campaign)
    return campaign


@router.command(
    "/contact",
    "find",
    role=Role.OPERATOR,
    usage="usage.contact.find",
    capability=CRM,
    options={"page"},
    min_args=1,
)
async def contact_find(ctx: Ctx, args: Args) -> Reply:
    """Search CRM contacts by phone, email or name."""
    return await find_page(ctx, args, page_option(args))


@router.paged("/contact", "find")
async def find_page(ctx: Ctx, args: Args, page: int) -> Message:
    """Page ``page`` of a CRM search."""
    query = args.rest()
    # The query rides in the Next/Previous buttons, whose value Slack caps at 2000.
    check_length(query, SEARCH_MAX, "contact.find.too_long")
    result = await _crm(ctx).search_page(query, page, PAGE_SIZE)
    blocks = search_results(ctx.msg, ctx.client.name, query, result)
    return Message(
        ctx.msg("contact.find.text", query=query, count=number(ctx.msg, result.total or 0)), blocks
    )


@router.command(
    "/contact", "show", role=Role.OPERATOR, usage="usage.contact.show", capability=CRM, min_args=1
)
async def contact_show(ctx: Ctx, args: Args) -> Reply:
    """One CRM contact's card."""
    contact = await _crm(ctx).details(args.first() or "")
    return Message(
        ctx.msg("contact.show.text", name=contact.full_name or contact.id),
        contact_card(ctx.msg, contact),
    )


@router.command(
    "/contact",
    "note",
    role=Role.OPERATOR,
    usage="usage.contact.note",
    capability=CRM,
    min_args=2,
    free_text=True,
)
async def contact_note(ctx: Ctx, args: Args) -> Reply:
    """Add a note to the CRM contact of a phone; signed with the caller's email when known."""
    from bot.phones import InvalidPhone, normalize

    raw_phone = args.first() or ""
    # seed omicall-contacts-v1.txt, add-note: "phone* string Số điện thoại khách hàng";
    # normalized as PRODUCT.md says ("Phones are normalized with phonenumbers (region VN)")
    try:
        phone = normalize(raw_phone)
    except InvalidPhone as error:
        raise UserInputError(
            "contact.bad_phone", value=raw_phone, reason=ctx.msg(f"phone.{error.reason}")
        ) from None
    # The note is the rest of the text as typed, '=' and quotes included.
    content = re.sub(r"(?:^|\s)via=\S+", "", args.shift(1).raw).strip()
    check_length(content, NOTE_MAX, "contact.note.too_long")
    email = await ctx.services.chat.user_email(ctx.user_id)
    await _crm(ctx).add_note(phone, content, note_by=email)
    return Message(
        ctx.msg("contact.note.done", phone=phone, by=email or ctx.msg("contact.note.by_unknown"))
    )


@router.command(
    "/contact",
    "lists",
    role=Role.OPERATOR,
    usage="usage.contact.lists",
    capability=LISTS,
    options={"campaign"},
)
async def contact_lists_command(ctx: Ctx, args: Args) -> Reply:
    """The contact lists of an Alohub campaign."""
    campaign = _campaign(args)
    lists = await _alohub(ctx).contact_lists(campaign)
    return Message(
        ctx.msg("contact.lists.text", campaign=campaign, count=len(lists)),
        contact_lists(ctx.msg, ctx.client.name, campaign, lists),
    )


@router.command(
    "/contact",
    "list",
    role=Role.OPERATOR,
    usage="usage.contact.list",
    capability=LISTS,
    options={"campaign", "list", "page"},
)
async def contact_list(ctx: Ctx, args: Args) -> Reply:
    """The contacts of one list, paged, with their process status (``export``: as a CSV)."""
    if args.first() == "export":
        return await _list_export(ctx, args)
    return await list_page(ctx, args, page_option(args))


@router.paged("/contact", "list")
async def list_page(ctx: Ctx, args: Args, page: int) -> Message:
    """Page ``page`` of a list's contacts."""
    campaign, list_id = _campaign(args), _list_id(args)
    result = await _alohub(ctx).contacts_page(campaign, list_id, page, PAGE_SIZE)
    blocks = list_contacts(ctx.msg, ctx.client.name, campaign, list_id, result)
    return Message(
        ctx.msg("contact.list.text", list=list_id, count=number(ctx.msg, result.total or 0)), blocks
    )


@router.command(
    "/contact",
    "delete",
    role=Role.ADMIN,
    usage="usage.contact.delete",
    capability=Capability.DELETE_CAMPAIGN_CONTACT,
    options={"campaign"},
    min_args=1,
)
async def contact_delete(ctx: Ctx, args: Args) -> Reply:
    """Ask for confirmation before deleting a campaign contact."""
    campaign = _campaign(args)
    contact_id = args.first() or ""
    # seed alohub-campaign-contacts.txt: "contactId": 88001 (PROVIDERS.md §1: contactId:int)
    if not is_number(contact_id):
        raise UserInputError("contact.bad_contact_id", value=contact_id)
    client = _alohub(ctx, Capability.DELETE_CAMPAIGN_CONTACT)
    found = await campaign_contact(client, campaign, int(contact_id))
    if found is None:
        return Message(ctx.msg("contact.delete.not_found", id=contact_id, campaign=campaign))
    # Only processStatus=0 (pending) may be deleted (alohub-campaign-contacts.txt:390): say
    # so now, with the contact's state, rather than after the admin pressed Delete.
    if found.contact.process_status != 0:
        return Message(not_deletable(ctx.msg, found.contact))
    return Message(
        ctx.msg("contact.delete.text", id=contact_id),
        delete_confirmation(ctx.msg, client.name, campaign, found.contact, found.list),
    )


@router.action(
    "contact_delete_confirm", role=Role.ADMIN, capability=Capability.DELETE_CAMPAIGN_CONTACT
)
async def contact_delete_confirm(ctx: Ctx, payload: dict[str, Any]) -> Reply:
    """Delete after the confirm button; a contact no longer pending is refused with why."""
    campaign, contact_id = str(payload.get("campaign", "")), str(payload.get("contact", ""))
    try:
        await _alohub(ctx, Capability.DELETE_CAMPAIGN_CONTACT).delete_contact(campaign, contact_id)
    except InvalidStateError:
        return Message(ctx.msg("contact.delete.not_pending", id=contact_id), replace_original=True)
    return Message(
        ctx.msg("contact.delete.done", id=contact_id, campaign=campaign), replace_original=True
    )


def _list_id(args: Args) -> str:
    list_id = args.get("list")
    # seed alohub-campaign-contacts.txt: "listId": 501 (PROVIDERS.md §1: listId:int)
    if not list_id or not is_number(list_id):
        raise UserInputError("contact.need_list", campaign=_campaign(args))
    return list_id


LIST_COLUMNS = (
    "contact_id",
    "customer_id",
    "phone",
    "name",
    "process",
    "process_code",
    "call_status",
)


async def _list_export(ctx: Ctx, args: Args) -> Message:
    """Every contact of an Alohub list (all pages) as a CSV posted in the channel."""
    if len(args.positional) > 1:
        raise UserInputError("usage.unexpected", word=args.positional[1])
    campaign, list_id = _campaign(args), _list_id(args)
    client = _alohub(ctx)
    msg = ctx.msg
    # seed alohub-campaign-contacts.txt:390 — processStatus 0 pending, 1 in call, 2 processed
    words = {code: msg(f"export.process.{code}") for code in (0, 1, 2)}
    other = msg("export.process.other")
    reporter = ProgressReporter(
        ctx.request.progress,
        lambda done, total: msg(
            "calls.progress.contacts", done=number(msg, done), total=number(msg, total)
        ),
        pace=calls_commands.PACE,
    )
    done = [0, 0]

    async def progress(count: int, total: int) -> None:
        done[:] = [count, total]
        await reporter(count, total)

    try:
        export = await export_list(
            client,
            campaign,
            list_id,
            [msg(f"export.col.{column}") for column in LIST_COLUMNS],
            lambda contact: contact_row(contact, lambda code: words.get(code, other)),
            on_progress=progress,
        )
    except ProviderError as error:
        return calls_commands.export_failed(ctx, error, *done)
    if not export.rows:
        await asyncio.to_thread(export.discard)
        return Message(msg("export.list.none", list=list_id, campaign=campaign))
    return await calls_commands.upload_export(
        ctx,
        export,
        filename=f"contacts-{client.name}-{campaign}-{list_id}.csv",
        title=msg("export.list.title", list=list_id, campaign=campaign),
        comment=msg(
            "export.list.comment",
            user=mention(ctx.user_id),
            count=number(msg, export.rows),
            list=list_id,
            campaign=campaign,
            connection=client.name,
        ),
        done=msg("export.list.done", count=number(msg, export.rows)),
    )
