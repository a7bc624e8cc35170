"""``/calls``: call statistics (AICallCenter), campaign progress (Alohub), daily summaries.

``/calls`` answers from two capabilities, so it declares none and picks its connection
with ``resolve_calls_connection`` (``via=``, else the channel's first connection with call
records, else its first with campaign progress); roles are still the middleware's.
"""

from __future__ import annotations

import asyncio
import logging

from bot.access import CALLS_CAPABILITIES, channel_connections, resolve_calls_connection
from bot.args import Args, is_number
from bot.calls import (
    CallsReport,
    Pace,
    ProgressReporter,
    campaign_progress,
    fetch_call_stats,
)
from bot.context import Ctx
from bot.errors import ProviderError, UserInputError
from bot.exports import Export, call_row, export_calls
from bot.messages import mention
from bot.providers.aicallcenter import AICallCenterClient
from bot.providers.alohub import AlohubClient
from bot.providers.capabilities import CAPABILITIES, Capability
from bot.render.calls import calls_blocks, calls_text, progress_blocks, progress_text
from bot.render.errors import provider_sentence
from bot.render.formats import days_label, number
from bot.replies import Message, Reply
from bot.routing import Role, Router
from bot.stats import MAX_DAYS, BadPeriod, Period, parse_period
from bot.store.summaries import Schedule
from bot.summaries.render import schedule_words, subscription_blocks
from bot.summaries.service import SummaryService
from bot.summaries.timing import DAYS, DEFAULT_AT, parse_at

router = Router()
log = logging.getLogger(__name__)

# How often a long fetch may show progress (tests make it immediate).
PACE = Pace()


def _campaign(args: Args, capability: Capability) -> str | None:
    """``campaign=`` as typed: any text for call records, a number for Alohub progress.

    AICallCenter's campaign_id is text (seed aicallcenter-api.txt, export: "Params
    campaign_id Có String"); the provider answers an unknown one with code "01".
    """
    value = args.get("campaign")
    if value is None:
        return None
    value = value.strip()
    if not value:
        raise UserInputError("calls.empty_campaign")
    # seed alohub-campaign-contacts.txt: path "campaignId | 1042" (a number in every example)
    if capability is Capability.CAMPAIGN_PROGRESS and not is_number(value):
        raise UserInputError("calls.bad_campaign", value=value)
    return value


def _period(ctx: Ctx, text: str | None) -> Period:
    config = ctx.services.config
    try:
        return parse_period(text, now=ctx.services.now(), timezone=config.tz)
    except BadPeriod as error:
        raise UserInputError(
            f"calls.bad_period.{error.reason}", value=error.text, max=MAX_DAYS
        ) from error


def _one_word(args: Args) -> str | None:
    if len(args.positional) > 1:
        raise UserInputError("usage.unexpected", word=args.positional[1])
    return args.first()


def _reporter(ctx: Ctx, key: str) -> ProgressReporter:
    msg = ctx.msg

    def sentence(done: int, total: int) -> str:
        return msg(key, done=number(msg, done), total=number(msg, total))

    return ProgressReporter(ctx.request.progress, sentence, pace=PACE)


@router.command("/calls", "", role=Role.OPERATOR, usage="usage.calls", options={"campaign"})
async def calls_command(ctx: Ctx, args: Args) -> Reply:
    """Statistics of a period on AICallCenter, or a campaign's progress on Alohub."""
    text = _one_word(args)
    period = _period(ctx, text)
    name, capability = resolve_calls_connection(
        ctx.services.config, ctx.channel_id, args.get("via")
    )
    ctx.connection = name  # for the audit entry and ctx.client
    campaign = _campaign(args, capability)
    why = [] if args.get("via") else _why_connection(ctx, name, capability)
    if capability is Capability.CAMPAIGN_PROGRESS:
        return await _progress(ctx, campaign, text, why)
    client = ctx.client_as(AICallCenterClient, Capability.CALL_RECORDS.value)
    report = await fetch_call_stats(
        client, period, campaign=campaign, on_progress=_reporter(ctx, "calls.progress.calls")
    )
    return stats_message(ctx, report, why)


def _why_connection(ctx: Ctx, used: str, capability: Capability) -> list[str]:
    """Why ``/calls`` answers from ``used`` when it is not the channel's default connection."""
    config = ctx.services.config
    default = channel_connections(config, ctx.channel_id)[0]
    if used == default:
        return []
    provider = config.connections[default].provider
    if set(CALLS_CAPABILITIES) & CAPABILITIES[provider]:
        # The default shows campaign progress, but call statistics come first.
        key = "calls.why.records_first"
    else:
        key = "calls.why.default_cannot"
    return [
        ctx.msg(
            key,
            default=default,
            provider=provider,
            connection=used,
            what=ctx.msg(f"capability.{capability.value}"),
        )
    ]


def stats_message(ctx: Ctx, report: CallsReport, notes: list[str] | None = None) -> Message:
    """The ephemeral answer with a period's statistics."""
    msg = ctx.msg
    label = days_label(msg, report.period.start, report.period.days)
    title = (
        msg("calls.title.campaign", campaign=report.campaign, label=label)
        if report.campaign
        else msg("calls.title", label=label)
    )
    blocks = calls_blocks(
        msg,
        title=title,
        connection=ctx.client.name,
        current=report.current,
        before=report.before,
        previous_label=days_label(msg, report.previous.start, report.previous.days),
        days=report.period.days,
        timezone=ctx.services.config.timezone,
        notes=notes or (),
    )
    return Message(calls_text(msg, label, report.current), blocks)


async def _progress(
    ctx: Ctx, campaign: str | None, period_text: str | None, why: list[str]
) -> Message:
    client = ctx.client_as(AlohubClient, Capability.CAMPAIGN_PROGRESS.value)
    if campaign is None:
        raise UserInputError("calls.campaign_required", connection=client.name)
    report = await campaign_progress(
        client, campaign, on_progress=_reporter(ctx, "calls.progress.contacts")
    )
    msg = ctx.msg
    notes = [*why]
    if period_text:
        notes.append(msg("calls.progress_view.period_ignored", period=period_text))
    blocks = progress_blocks(
        msg,
        title=msg("calls.progress_view.title", campaign=campaign),
        connection=client.name,
        progress=report.progress,
        notes=notes,
    )
    return Message(progress_text(msg, campaign, report.progress), blocks)


def _summaries(ctx: Ctx) -> SummaryService:
    return ctx.services.summaries


@router.command(
    "/calls",
    "summary on",
    role=Role.ADMIN,
    usage="usage.calls.summary_on",
    options={"day", "campaign"},
)
async def summary_on(ctx: Ctx, args: Args) -> Reply:
    """Subscribe the channel to a daily summary (replacing its current one)."""
    raw = _one_word(args) or DEFAULT_AT
    at = parse_at(raw)
    if at is None:
        raise UserInputError("calls.summary.bad_time", value=raw)
    day = (args.get("day") or "yesterday").lower()
    if day not in DAYS:
        raise UserInputError("calls.summary.bad_day", value=args.get("day"))
    config = ctx.services.config
    name, capability = resolve_calls_connection(config, ctx.channel_id, args.get("via"))
    ctx.connection = name
    campaign = _campaign(args, capability)
    if capability is Capability.CAMPAIGN_PROGRESS and campaign is None:
        raise UserInputError("calls.campaign_required", connection=name)
    schedule = Schedule(ctx.channel_id, name, at, day, campaign)
    subscription, created = await _summaries(ctx).subscribe(schedule, ctx.user_id)
    msg = ctx.channel_msg  # posted for everyone in the channel
    text = msg(
        "summary.on.created" if created else "summary.on.updated",
        user=ctx.user_id,
        at=at,
        timezone=config.timezone,
        connection=name,
        **schedule_words(msg, subscription, config.connections[name].provider),
    )
    return Message(text, ephemeral=False)


@router.command("/calls", "summary off", role=Role.ADMIN, usage="usage.calls.summary_off")
async def summary_off(ctx: Ctx, args: Args) -> Reply:
    """Stop the channel's daily summary."""
    if args.positional:
        raise UserInputError("usage.unexpected", word=args.positional[0])
    if await _summaries(ctx).unsubscribe(ctx.channel_id) is None:
        return Message(ctx.msg("summary.off.none"))
    return Message(ctx.channel_msg("summary.off.done", user=ctx.user_id), ephemeral=False)


@router.command("/calls", "summary", role=Role.OPERATOR, usage="usage.calls.summary")
async def summary_show(ctx: Ctx, args: Args) -> Reply:
    """The channel's subscription, its next post and how the last one went."""
    if args.positional:
        raise UserInputError("usage.unexpected", word=args.positional[0])
    service = _summaries(ctx)
    subscription = await service.store.for_channel(ctx.channel_id)
    if subscription is None:
        return Message(ctx.msg("calls.summary.none"))
    config = ctx.services.config
    connection = config.connections.get(subscription.connection)
    blocks = subscription_blocks(
        ctx.msg,
        subscription,
        provider=connection.provider if connection else None,
        timezone=config.timezone,
        next_when=service.next_post(subscription),
        last=await service.store.last_run(subscription.id),
    )
    return Message(ctx.msg("summary.show.text", at=subscription.at), blocks)


# ---------------------------------------------------------------------------------------
# /calls export: the period's calls as a CSV file in the channel.

CALL_COLUMNS = (
    "time",
    "call_id",
    "campaign",
    "caller",
    "callee",
    "duration",
    "result",
    "state",
    "keys",
    "note",
)
# seed aicallcenter-api.txt: "state: 40 answered, 50 error" (PROVIDERS.md §3)
RESULT_KEYS = {40: "export.result.answered", 50: "export.result.failed"}


@router.command(
    "/calls",
    "export",
    role=Role.OPERATOR,
    usage="usage.calls.export",
    capability=Capability.CALL_RECORDS,
    options={"campaign"},
)
async def calls_export(ctx: Ctx, args: Args) -> Reply:
    """Upload the period's AICallCenter calls as a CSV (UTF-8 with BOM) to the channel."""
    text = _one_word(args)
    period = _period(ctx, text)
    client = ctx.client_as(AICallCenterClient, Capability.CALL_RECORDS.value)
    campaign = _campaign(args, Capability.CALL_RECORDS)
    msg = ctx.msg
    tz = ctx.services.config.tz
    results = {state: msg(key) for state, key in RESULT_KEYS.items()}
    other = msg("export.result.other")
    reporter = _reporter(ctx, "calls.progress.calls")
    done = [0, 0]

    async def progress(count: int, total: int) -> None:
        done[:] = [count, total]
        await reporter(count, total)

    try:
        export = await export_calls(
            client,
            period,
            [msg(f"export.col.{column}") for column in CALL_COLUMNS],
            lambda call: call_row(call, tz, lambda s: results.get(s, other) if s else other),
            campaign=campaign,
            on_progress=progress,
        )
    except ProviderError as error:
        return export_failed(ctx, error, *done)
    label = days_label(msg, period.start, period.days)
    if not export.rows:
        await asyncio.to_thread(export.discard)
        return Message(msg("export.calls.none", label=label, connection=client.name))
    stem = f"calls-{client.name}-{period.first_day.isoformat()}"
    if period.days > 1:
        stem += f"_{period.last_day.isoformat()}"
    if campaign:
        stem += f"-{campaign}"
    words = {
        "user": mention(ctx.user_id),
        "count": number(msg, export.rows),
        "label": label,
        "connection": client.name,
    }
    comment = (
        msg("export.calls.comment_campaign", campaign=campaign, **words)
        if campaign
        else msg("export.calls.comment", **words)
    )
    return await upload_export(
        ctx,
        export,
        filename=f"{_safe_name(stem)}.csv",
        title=msg("export.calls.title", label=label),
        comment=comment,
        done=msg(
            "export.calls.done",
            count=number(msg, export.rows),
            timezone=ctx.services.config.timezone,
        ),
    )


def _safe_name(stem: str) -> str:
    """A file name of letters, digits, dots, dashes and underscores only."""
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in stem)[:120]


def export_failed(ctx: Ctx, error: ProviderError, done: int, total: int) -> Message:
    """The export stopped on a provider error: say how far it got, that nothing was posted."""
    msg = ctx.msg
    ctx.failed("provider_error", str(error))
    return Message(
        msg(
            "export.failed",
            done=number(msg, done),
            total=number(msg, max(total, done)),
            reason=provider_sentence(error, msg),
        )
    )


async def upload_export(
    ctx: Ctx, export: Export, *, filename: str, title: str, comment: str, done: str
) -> Message:
    """Post a finished export in the channel, then tell the caller (the file is deleted)."""
    try:
        await ctx.services.chat.upload(
            ctx.channel_id, filename, export.path, title=title, comment=comment
        )
    except Exception as error:
        log.warning("could not upload the export %s", filename, exc_info=True)
        ctx.failed("error", f"the upload to Slack failed: {type(error).__name__}")
        return Message(ctx.msg("export.upload_failed", count=number(ctx.msg, export.rows)))
    finally:
        await asyncio.to_thread(export.discard)
    return Message(done)
