"""``/job``: the channel's jobs, one job's card, cancel and retry."""

from __future__ import annotations

from typing import Any

from bot.args import Args, is_number
from bot.context import Ctx
from bot.errors import PermissionDenied, UserInputError
from bot.messages import mention
from bot.render.blocks import section
from bot.render.formats import number
from bot.render.jobs import cancel_words, job_card, job_list, job_state_words, state_words
from bot.replies import Message, Reply
from bot.routing import Role, Router
from commands.importing import engine

router = Router()


def job_number(text: str | None) -> int:
    """``J12``, ``j12`` or ``12`` → 12; anything else is a usage error."""
    raw = (text or "").strip().upper().removeprefix("J")
    # ASCII digits: ``str.isdigit`` also takes "²", which ``int`` then refuses.
    if not is_number(raw):
        raise UserInputError("job.bad_id", value=text or "")
    return int(raw)


async def _load(ctx: Ctx, text: str | None) -> Any:
    """The job, if this channel may use its connection (the rule of every operator command)."""
    wanted = job_number(text)
    # Past the database's 64-bit integers no job can exist (and the query would overflow).
    job = await ctx.services.store.job(wanted) if wanted < 2**63 else None
    if job is None:
        raise UserInputError("job.not_found", ref=text)
    if job.connection not in ctx.allowed:
        raise PermissionDenied("job.other_connection", ref=job.ref, connection=job.connection)
    return job


async def card(ctx: Ctx, job: Any, *, replace: bool = False) -> Message:
    """A job's card as a reply."""
    store = ctx.services.store
    counts = await store.job_counts(job.id)
    reasons = await store.rejection_reasons(job.id) if counts.get("rejected") else []
    return Message(
        ctx.msg("job.card.text", ref=job.ref, state=job_state_words(ctx.msg, job, counts)),
        job_card(ctx.msg, job, counts, reasons=reasons, tz=ctx.services.config.tz),
        replace_original=replace,
    )


@router.command("/job", "", role=Role.OPERATOR, usage="usage.job.show")
async def job_default(ctx: Ctx, args: Args) -> Reply:
    """``/job`` lists the channel's recent jobs; ``/job J12`` shows one."""
    if not args.positional:
        store = ctx.services.store
        jobs = await store.recent_jobs(channel=ctx.channel_id, limit=10)
        counts = await store.jobs_counts([job.id for job in jobs])
        blocks = job_list(ctx.msg, jobs, counts, tz=ctx.services.config.tz)
        return Message(ctx.msg("job.list.text", count=len(jobs)), blocks)
    return await card(ctx, await _load(ctx, args.first()))


def _may_change(ctx: Ctx, job: Any) -> None:
    if job.creator != ctx.user_id and ctx.role < Role.ADMIN:
        raise PermissionDenied("job.not_yours", ref=job.ref, creator=mention(job.creator))


async def _cancel(ctx: Ctx, job: Any) -> str:
    """Cancel the job; the sentence says what was held back and what the provider has."""
    cancelled = await engine(ctx).cancel(job.id)
    job = await ctx.services.store.job(job.id)
    if cancelled is None:
        return ctx.msg("job.cancel.finished", ref=job.ref, state=state_words(ctx.msg, job.state))
    return cancel_words(
        ctx.msg, job, held_back=cancelled.held_back, handed_over=cancelled.handed_over
    )


@router.command("/job", "cancel", role=Role.OPERATOR, usage="usage.job.cancel", min_args=1)
async def job_cancel(ctx: Ctx, args: Args) -> Reply:
    """Stop sending the rest of a job (own jobs; admins any)."""
    job = await _load(ctx, args.first())
    _may_change(ctx, job)
    note = await _cancel(ctx, job)
    refreshed = await card(ctx, await ctx.services.store.job(job.id))
    return Message(note, [section(note), *refreshed.blocks])


@router.command("/job", "retry", role=Role.OPERATOR, usage="usage.job.retry", min_args=1)
async def job_retry(ctx: Ctx, args: Args) -> Reply:
    """Re-send the rows not accepted; ``unconfirmed`` also re-sends rows in flight at a crash."""
    job = await _load(ctx, args.first())
    _may_change(ctx, job)
    extra = args.positional[1:]
    if extra and extra != ["unconfirmed"]:
        raise UserInputError("usage.unexpected", word=extra[0])
    count = await engine(ctx).retry(job.id, include_unconfirmed=bool(extra))
    key = "job.retry.started" if count else "job.retry.nothing"
    note = ctx.msg(key, ref=job.ref, count=number(ctx.msg, count))
    refreshed = await card(ctx, await ctx.services.store.job(job.id))
    return Message(note, [section(note), *refreshed.blocks])


@router.action("job_refresh", role=Role.OPERATOR)
async def job_refresh_button(ctx: Ctx, payload: dict[str, Any]) -> Reply:
    """Refresh a job card in place."""
    job = await _load(ctx, payload.get("value"))
    return await card(ctx, job, replace=True)


@router.action("job_cancel", role=Role.OPERATOR)
async def job_cancel_button(ctx: Ctx, payload: dict[str, Any]) -> Reply:
    """Cancel from the card's button; the sentence says what was held back and what was not."""
    job = await _load(ctx, payload.get("value"))
    _may_change(ctx, job)
    return Message(await _cancel(ctx, job), ephemeral=True)
