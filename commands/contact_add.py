"""``/contact add``: one contact to a campaign (OMICall: a CRM contact), typed or in a modal."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.args import Args, is_number
from bot.contact_lookup import crm_contact_with_phone, phone_in_target_list
from bot.context import Ctx
from bot.errors import UserInputError
from bot.hygiene import NAME_MAX, check_length
from bot.jobs.contact import add_contact
from bot.phones import InvalidPhone, normalize
from bot.providers.alohub import AlohubClient
from bot.providers.capabilities import Capability, providers_that_can
from bot.providers.omicall import Contact, OmicallClient
from bot.render.contacts import already_in_list, crm_duplicate
from bot.render.imports import contact_add_modal, contact_added
from bot.replies import CloseModal, Message, OpenModal, Reply
from bot.routing import Role, Router
from commands.importing import able_connections, campaign_of, chosen_connection, recent_campaigns

router = Router()
_PHONE_PART = re.compile(r"[+0-9().\-]+")
ADD = Capability.ADD_CAMPAIGN_CONTACT
CRM = Capability.CRM_CONTACTS
# OMICall adds CRM contacts, which belong to no campaign; only Alohub has lists.
CAMPAIGN_OPTIONS = {
    "campaign": providers_that_can(ADD),
    "list": providers_that_can(Capability.CONTACT_LISTS),
}


@dataclass(frozen=True, slots=True)
class NewContact:
    """A checked request to add one contact."""

    connection: str
    campaign: str
    phone: str
    name: str | None
    list_id: int | None


def read_contact(
    ctx: Ctx,
    connection: str,
    campaign: str | None,
    phone: str | None,
    name: str | None,
    list_id: str | None,
) -> NewContact:
    """Check what the user typed; each mistake names its field (the modal shows it there)."""
    settings = ctx.services.config.connections[connection]
    raw = (phone or "").strip()
    # Required by every seed: Alohub "phoneNumber … Có", Vbee "phone_number String Có",
    # AICallCenter "Trường ‘phone_number’ … là bắt buộc"; normalized as PRODUCT.md says
    # ("Phones are normalized with phonenumbers (region VN)").
    if not raw:
        raise UserInputError("contact.add.need_phone", field="phone")
    try:
        normalized = normalize(raw, settings.phone_format)
    except InvalidPhone as error:
        raise UserInputError(
            "contact.add.bad_phone",
            field="phone",
            value=raw,
            reason=ctx.msg(f"phone.{error.reason}"),
        ) from error
    if (campaign or "").strip() and settings.provider not in CAMPAIGN_OPTIONS["campaign"]:
        # Never dropped in silence: the operator may have picked the wrong connection.
        raise UserInputError(
            "contact.add.campaign_not_used",
            field="campaign",
            connection=connection,
            provider=settings.provider,
        )
    name = (name or "").strip() or None
    check_length(name, NAME_MAX, "contact.add.name_too_long", field="name")
    chosen_list = (list_id or "").strip()
    # Lists are Alohub's alone (PROVIDERS.md, "contact lists": alohub only)
    if chosen_list and settings.provider != "alohub":
        raise UserInputError("contact.add.list_alohub_only", field="list", connection=connection)
    # seed alohub-campaign-contacts.txt: body "listId": 501 (PROVIDERS.md §1: listId:int?)
    if chosen_list and not is_number(chosen_list):
        raise UserInputError("contact.add.bad_list", field="list", value=chosen_list)
    return NewContact(
        connection=connection,
        campaign=campaign_of(ctx, campaign, settings.provider),
        phone=normalized,
        name=name,
        list_id=int(chosen_list) if chosen_list else None,
    )


async def already_there(ctx: Ctx, contact: NewContact) -> Message | None:
    """What to say instead of adding when the phone is already in the list or the CRM."""
    client = ctx.services.clients[contact.connection]
    if isinstance(client, OmicallClient):
        existing = await crm_contact_with_phone(client, contact.phone)
        if existing is None:
            return None
        return Message(
            ctx.msg("contact.add.crm_exists.text", phone=contact.phone),
            crm_duplicate(ctx.msg, client.name, existing, contact.phone, contact.name),
        )
    if isinstance(client, AlohubClient):
        found = await phone_in_target_list(client, contact.campaign, contact.phone, contact.list_id)
        if found is None:
            return None
        return Message(
            already_in_list(ctx.msg, client.name, contact.campaign, found.contact, found.list)
        )
    return None  # Vbee and AICallCenter offer no lookup of a campaign's contacts


async def add(ctx: Ctx, contact: NewContact) -> Message:
    """Add the contact unless it is already there; the sentence says what the provider did."""
    if (instead := await already_there(ctx, contact)) is not None:
        return instead
    client = ctx.services.clients[contact.connection]
    added = await add_contact(
        client, contact.campaign, contact.phone, contact.name, list_id=contact.list_id
    )
    return Message(
        contact_added(
            ctx.msg,
            added,
            connection=contact.connection,
            campaign=contact.campaign,
            phone=contact.phone,
            name=contact.name,
        )
    )


def split_phone(words: list[str]) -> tuple[str, str]:
    """``["091", "234", "5678", "Nguyễn", "An"]`` → ``("091 234 5678", "Nguyễn An")``."""
    # Phones are often typed in groups; the name starts at the first word that is not digits.
    count = next((i for i, w in enumerate(words) if not _PHONE_PART.fullmatch(w)), len(words))
    count = max(count, 1)
    return " ".join(words[:count]), " ".join(words[count:])


def _addable(ctx: Ctx) -> list[tuple[str, str]]:
    able = able_connections(ctx, ADD) + able_connections(ctx, CRM)
    return sorted(set(able), key=lambda pair: ctx.allowed.index(pair[0]))


@router.command(
    "/contact",
    "add",
    role=Role.OPERATOR,
    usage="usage.contact.add",
    needs_connection=True,
    options={"campaign", "list"},
    provider_options=CAMPAIGN_OPTIONS,
)
async def contact_add_command(ctx: Ctx, args: Args) -> Reply:
    """``/contact add <phone> [name…] campaign=<id>`` adds at once; without a phone, the modal."""
    connection = ctx.connection or ""
    if not args.positional:
        addable = _addable(ctx)
        return OpenModal(
            contact_add_modal(
                ctx.msg,
                ctx.channel_id,
                addable,
                default=connection,
                campaign=args.get("campaign"),
                recent=await recent_campaigns(ctx, [name for name, _ in addable]),
            )
        )
    phone, name = split_phone(args.positional)
    contact = read_contact(ctx, connection, args.get("campaign"), phone, name, args.get("list"))
    return await add(ctx, contact)


@router.view("contact_add", role=Role.OPERATOR)
async def contact_add_submit(ctx: Ctx, payload: dict[str, Any]) -> Reply:
    """Check the form at once; add after closing the modal and tell the user."""
    values = payload.get("values") or {}
    connection = chosen_connection(ctx, values.get("connection"), None)
    contact = read_contact(
        ctx,
        connection,
        values.get("campaign"),
        values.get("phone"),
        values.get("name"),
        values.get("list"),
    )

    async def work() -> Message:
        return await add(ctx, contact)

    ctx.after_reply(work, name=f"contact add {contact.phone}")
    return CloseModal()


@router.action("contact_crm_update", role=Role.OPERATOR, capability=CRM)
async def contact_crm_update(ctx: Ctx, payload: dict[str, Any]) -> Reply:
    """Update the CRM contact that already has the phone, instead of creating a second one."""
    client = ctx.client_as(OmicallClient, CRM.value)
    ref_id, name = str(payload.get("refId") or ""), str(payload.get("name") or "")
    # The update call finds the contact by refId (omicall-contacts-v1.txt:217-219).
    await client.update(Contact.model_validate({"refId": ref_id, "fullName": name}))
    text = ctx.msg(
        "contact.add.crm_updated",
        phone=payload.get("phone") or "—",
        id=payload.get("id") or "—",
        name=name,
        connection=client.name,
    )
    return Message(text, replace_original=True)
