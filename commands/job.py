"""``/job``: the channel's jobs, one job's card, cancel, retry and undo."""

from __future__ import annotations

from typing import Any

from bot.args import Args, is_number
from bot.context import Ctx
from bot.errors import PermissionDenied, UserInputError
from bot.messages import mention
from bot.render.blocks import section
from bot.render.formats import number
from bot.render.jobs import cancel_words, job_card, job_list, job_state_words, state_words
from bot.render.undo import undo_card, undo_confirmation, undo_text
from bot.replies import Message, Reply
from bot.routing import Role, Router
from bot.store.jobs import UNFINISHED
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
    if job.kind == "undo":
        planned = await engine(ctx).undos.planned(job.id)
        blocks = undo_card(ctx.msg, job, counts, planned=planned, tz=ctx.services.config.tz)
        return Message(undo_text(ctx.msg, job), blocks, replace_original=replace)
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
    if job.kind == "undo":
        return ctx.msg(
            "job.undo.cancelled",
            ref=job.ref,
            original=f"J{job.undo_of}",
            left=number(ctx.msg, cancelled.held_back),
        )
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
    if job.kind == "undo":
        raise UserInputError("job.undo.no_retry", ref=job.ref, original=f"J{job.undo_of}")
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


# Undo (Alohub): the seed deletes one contact at a time, only while it is pending
# (alohub-campaign-contacts.txt:390); listing a list's contacts gives their processStatus
# (:68, :107, :127). No other provider's seed deletes what an import added: see
# ``NO_DELETE`` for what each says to do instead.
NO_DELETE = {
    "vbee": "job.undo.no_delete.vbee",  # vbee-aicall-campaign.txt: one POST, no delete
    "aicallcenter": "job.undo.no_delete.aicallcenter",  # aicallcenter-api.txt: import, export
    # omicall-contacts-v1.txt:261 deletes a CRM contact by id, but add-more (:194) returns
    # no ids: nothing tells this job's contacts from customers already there.
    "omicall": "job.undo.no_delete.omicall",
}


async def _undo_refusal(ctx: Ctx, job: Any) -> str | None:
    """Why ``job`` cannot be undone now, in words; None when it can."""
    if job.kind == "undo":
        return ctx.msg("job.undo.of_undo", ref=job.ref)
    if job.provider in NO_DELETE:
        return ctx.msg(
            NO_DELETE[job.provider], ref=job.ref, connection=job.connection, campaign=job.campaign
        )
    if job.state in UNFINISHED:
        return ctx.msg("job.undo.not_finished", ref=job.ref, state=state_words(ctx.msg, job.state))
    running = [u for u in await engine(ctx).undos.undos_of(job.id) if u.state in UNFINISHED]
    if running:
        return ctx.msg("job.undo.running", ref=job.ref, undo=running[0].ref)
    accepted, removed = await _undo_counts(ctx, job)
    if not accepted:
        return ctx.msg("job.undo.nothing", ref=job.ref, connection=job.connection)
    if removed >= accepted:
        return ctx.msg("job.undo.nothing_left", ref=job.ref, removed=number(ctx.msg, removed))
    return None


async def _undo_counts(ctx: Ctx, job: Any) -> tuple[int, int]:
    """The rows Alohub took from ``job``, and the contacts of it earlier undos removed."""
    accepted = (await ctx.services.store.job_counts(job.id)).get("accepted", 0)
    return accepted, await engine(ctx).undos.removed_by_undos(job.id)


@router.command("/job", "undo", role=Role.OPERATOR, usage="usage.job.undo", min_args=1)
async def job_undo(ctx: Ctx, args: Args) -> Reply:
    """Ask before taking back an Alohub import's contacts nobody has called yet."""
    job = await _load(ctx, args.first())
    if len(args.positional) > 1:
        raise UserInputError("usage.unexpected", word=args.positional[1])
    _may_change(ctx, job)
    refusal = await _undo_refusal(ctx, job)
    if refusal is not None:
        return Message(refusal)
    accepted, removed = await _undo_counts(ctx, job)
    # The button is for this caller in this channel: pressed by anyone else, or from
    # anywhere else, it is refused (``_pressed_by_asker``).
    value = {"job": job.ref, "user": ctx.user_id, "channel": ctx.channel_id}
    return Message(
        ctx.msg("job.undo.confirm.text", ref=job.ref),
        undo_confirmation(ctx.msg, job, accepted - removed, removed, value),
    )


async def _pressed_by_asker(ctx: Ctx, payload: dict[str, Any]) -> Any:
    """The job of an undo button pressed by the one it was shown to, where it was shown."""
    job = await _load(ctx, payload.get("job"))
    if payload.get("user") != ctx.user_id or payload.get("channel") != ctx.channel_id:
        raise PermissionDenied("job.undo.not_your_button", ref=job.ref)
    _may_change(ctx, job)
    return job


@router.action("job_undo_confirm", role=Role.OPERATOR)
async def job_undo_confirm(ctx: Ctx, payload: dict[str, Any]) -> Reply:
    """Start the undo job (checked again: the import may have changed since the question)."""
    job = await _pressed_by_asker(ctx, payload)
    refusal = await _undo_refusal(ctx, job)
    if refusal is not None:
        return Message(refusal, replace_original=True)
    undo_id = await engine(ctx).undo(job, creator=ctx.user_id, channel=ctx.channel_id)
    return Message(
        ctx.msg("job.undo.started", ref=job.ref, undo=f"J{undo_id}"), replace_original=True
    )


@router.action("job_undo_keep", role=Role.OPERATOR)
async def job_undo_keep(ctx: Ctx, payload: dict[str, Any]) -> Reply:
    """Leave the import as it is; nothing is asked of Alohub."""
    ref = f"J{job_number(str(payload.get('job') or ''))}"
    return Message(ctx.msg("job.undo.kept_as_is", ref=ref), replace_original=True)
