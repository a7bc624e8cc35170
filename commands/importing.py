"""``/import``: the *Import contacts* modal, its preview, and the confirmation that starts a job.

Modal submissions are answered in Slack's ack, so both views answer at once: the form is
checked; a pasted list (small: Slack caps the box) is read at once and the ack carries its
preview; a file is downloaded and read in the background while the modal says so, and the
preview (or a refusal) then replaces that view.
"""

from __future__ import annotations

from typing import Any

from bot.access import resolve_connection
from bot.args import Args, is_number
from bot.context import Ctx
from bot.errors import PermissionDenied, UnsupportedOperation, UserInputError
from bot.hygiene import NAME_MAX, check_length
from bot.imports import ParseRefused, staging
from bot.jobs.engine import JobEngine
from bot.providers.capabilities import CAPABILITIES, Capability, providers_that_can
from bot.render.errors import describe
from bot.render.imports import (
    import_modal,
    preview_view,
    reading_view,
    refusal_sentence,
    refused_view,
)
from bot.replies import CloseModal, ModalErrors, OpenModal, Reply, UpdateModal
from bot.routing import Role, Router
from bot.store.models import StagedUpload

router = Router()
BULK = Capability.BULK_IMPORT


def engine(ctx: Ctx) -> JobEngine:
    """The job engine."""
    return ctx.services.jobs


def able_connections(ctx: Ctx, capability: Capability) -> list[tuple[str, str]]:
    """``(name, provider)`` of the channel's connections that offer ``capability``."""
    connections = ctx.services.config.connections
    return [
        (name, connections[name].provider)
        for name in ctx.allowed
        if capability in CAPABILITIES[connections[name].provider]
    ]


def chosen_connection(ctx: Ctx, chosen: str | None, capability: Capability | None) -> str:
    """The connection picked in a modal, checked against the channel's bindings."""
    try:
        return resolve_connection(ctx.services.config, ctx.channel_id, chosen or None, capability)
    except (PermissionDenied, UnsupportedOperation) as error:
        raise UserInputError(
            "import.connection_refused", field="connection", sentence=describe(error, ctx.msg)
        ) from error


def campaign_of(ctx: Ctx, raw: str | None, provider: str) -> str:
    """The campaign id typed in a form: required (except for OMICall), a number on Alohub.

    Vbee and AICallCenter take any text (seed vbee-aicall-campaign.txt: "campaign_id*
    String"; seed aicallcenter-api.txt: "Params campaign_id Có String"): the provider
    judges it, and answers an unknown one with its own code (1402, "01").
    """
    campaign = (raw or "").strip()
    if provider == "omicall":
        return campaign
    # required: Alohub path campaignId "Có", Vbee "campaign_id*", AICallCenter "campaign_id Có"
    if not campaign:
        raise UserInputError("import.need_campaign", field="campaign")
    # seed alohub-campaign-contacts.txt: path "campaignId | 1042" (a number in every example)
    if provider == "alohub" and not is_number(campaign):
        raise UserInputError("import.bad_campaign", field="campaign", value=campaign)
    return campaign


@router.command(
    "/import",
    "",
    role=Role.OPERATOR,
    usage="usage.import",
    capability=BULK,
    options={"campaign"},
    # OMICall imports CRM contacts, which belong to no campaign.
    provider_options={"campaign": providers_that_can(Capability.ADD_CAMPAIGN_CONTACT)},
)
async def import_command(ctx: Ctx, args: Args) -> Reply:
    """Open the *Import contacts* modal on the channel's importing connection."""
    if args.positional:
        raise UserInputError("usage.unexpected", word=args.positional[0])
    limits = ctx.services.config.imports
    able = able_connections(ctx, BULK)
    return OpenModal(
        import_modal(
            ctx.msg,
            ctx.channel_id,
            able,
            default=ctx.connection,
            campaign=args.get("campaign"),
            max_bytes=limits.max_bytes,
            max_rows=limits.max_rows,
            recent=await recent_campaigns(ctx, [name for name, _ in able]),
        )
    )


async def recent_campaigns(ctx: Ctx, connections: list[str]) -> list[tuple[str, str]]:
    """``(connection, campaign)`` this channel used lately on one of ``connections``."""
    used = await ctx.services.store.recent_campaigns(ctx.channel_id)
    return [(name, campaign) for name, campaign in used if name in connections]


@router.view("import_submit", role=Role.OPERATOR)
async def import_submit(ctx: Ctx, payload: dict[str, Any]) -> Reply:
    """Check the form; read a pasted list at once, a file in the background, then preview."""
    values = payload.get("values") or {}
    connection = chosen_connection(ctx, values.get("connection"), BULK)
    settings = ctx.services.config.connections[connection]
    campaign = campaign_of(ctx, values.get("campaign"), settings.provider)
    files = [f for f in values.get("file") or [] if isinstance(f, dict)]
    paste = (values.get("paste") or "").strip()
    if not files and not paste:
        raise UserInputError("import.need_file", field="file")
    if files and paste:
        raise UserInputError("import.file_and_paste", field="paste")
    list_name = (values.get("list_name") or "").strip() or None
    check_length(list_name, NAME_MAX, "import.list_name_too_long", field="list_name")
    target = staging.Target(
        user_id=ctx.user_id,
        channel=ctx.channel_id,
        connection=connection,
        campaign=campaign,
        list_name=list_name if settings.provider == "alohub" else None,
        phone_format=settings.phone_format,
    )
    if not files:
        return await _stage_paste(ctx, target, paste)
    source = str(files[0].get("name") or "upload")
    view_id = str(payload.get("view_id") or "")
    services = ctx.services

    async def stage() -> None:
        # The modal shows "Reading…" from the ack; this replaces it once the file is read.
        staged = await staging.stage_file(
            services.chat, engine(ctx).store, target, files[0], services.config, services.now()
        )
        await services.chat.update_view(view_id, _preview(ctx, staged, source))

    async def refused(error: Exception, sentence: str) -> None:
        if isinstance(error, ParseRefused):
            sentence = refusal_sentence(ctx.msg, error.reason, error.params)
        await services.chat.update_view(view_id, refused_view(ctx.msg, sentence))

    ctx.after_reply(stage, name=f"import preview {view_id}", tell_failure=refused)
    return UpdateModal(reading_view(ctx.msg, source))


async def _stage_paste(ctx: Ctx, target: staging.Target, paste: str) -> Reply:
    """A pasted list is small (Slack caps the box): read it now and answer with the preview."""
    source = ctx.msg("import.pasted_list")
    services = ctx.services
    try:
        staged = await staging.stage_paste(
            engine(ctx).store, target, paste, services.config, services.now(), source
        )
    except ParseRefused as refusal:
        sentence = refusal_sentence(ctx.msg, refusal.reason, refusal.params)
        return ModalErrors({"paste": sentence})
    return UpdateModal(_preview(ctx, staged, source))


def _preview(ctx: Ctx, staged: StagedUpload, source: str) -> dict[str, Any]:
    provider = ctx.services.config.connections[staged.connection].provider
    return preview_view(
        ctx.msg,
        staged_id=staged.id,
        channel=staged.channel,
        source=source,
        connection=staged.connection,
        provider=provider,
        campaign=staged.campaign,
        list_name=staged.list_name,
        summary=staged.summary,
    )


@router.view("import_confirm", role=Role.OPERATOR, capability=BULK)
async def import_confirm(ctx: Ctx, payload: dict[str, Any]) -> Reply:
    """Start the job of a preview; it posts its own progress message in the channel."""
    jobs = engine(ctx)
    staged = await jobs.staged(str(payload.get("staged") or ""))
    if staged is None or staged.user_id != ctx.user_id:
        return UpdateModal(refused_view(ctx.msg, ctx.msg("import.staged_gone")))

    async def start() -> None:
        # The job posts its own progress message; a second confirmation of the same
        # preview raises StagedGone, whose sentence says the preview is used.
        await jobs.create(staged)

    ctx.after_reply(start, name=f"import confirm {staged.id}")
    return CloseModal()
