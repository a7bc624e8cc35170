"""Undo jobs (``/job undo``): the confirmation, the card and progress, the totals in words."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, tzinfo
from typing import Any

from bot.messages import Messages, mention
from bot.render.blocks import Block, actions, button, context, progress_bar, section
from bot.render.formats import number
from bot.render.inputs import JobFacts
from bot.render.jobs import FINAL_STATES, job_times, original_ref, state_words, undo_counts


def undo_confirmation(
    msg: Messages, job: JobFacts, count: int, removed_before: int, value: dict[str, Any]
) -> list[Block]:
    """What the undo will try, and the two buttons (only the first deletes anything)."""
    lines = [
        msg(
            "job.undo.confirm.body",
            ref=job.ref,
            connection=job.connection,
            campaign=job.campaign,
            count=number(msg, count),
        )
    ]
    if removed_before:
        lines.append(
            msg("job.undo.confirm.earlier", ref=job.ref, removed=number(msg, removed_before))
        )
    return [
        section("\n".join(lines)),
        actions(
            button(
                msg("job.undo.button.confirm", ref=job.ref),
                "job_undo_confirm",
                value,
                style="danger",
            ),
            button(msg("job.undo.button.keep", ref=job.ref), "job_undo_keep", value),
            block_id="job_undo_buttons",
        ),
    ]


def undo_text(msg: Messages, job: JobFacts) -> str:
    """The notification text of an undo job's message."""
    return msg(
        "job.undo.card.text",
        ref=job.ref,
        original=original_ref(job),
        state=state_words(msg, job.state),
    )


def undo_card(
    msg: Messages,
    job: JobFacts,
    counts: Mapping[str, int],
    *,
    planned: bool = True,
    tz: tzinfo = UTC,
) -> list[Block]:
    """The undo's state, who/when, its counts and progress bar, Refresh/Cancel while it runs."""
    original = original_ref(job)
    done = sum(counts.get(state, 0) for state in ("removed", "kept", "gone"))
    started, ended = job_times(msg, job, tz)
    title = msg(
        "job.undo.card.title",
        ref=job.ref,
        original=original,
        state=state_words(msg, job.state),
        connection=job.connection,
        campaign=job.campaign,
    )
    blocks: list[Block] = [
        section(title + "\n`" + progress_bar(done, sum(counts.values())) + "`"),
        context(
            msg("job.undo.card.meta", creator=mention(job.creator), started=started, ended=ended)
        ),
    ]
    if planned:
        blocks.append(section(msg("job.undo.card.counts", **undo_counts(msg, counts))))
    else:
        blocks.append(section(msg("job.undo.card.looking", original=original)))
    if job.reason:
        blocks.append(section(msg("job.card.reason", reason=job.reason)))
    if job.state not in FINAL_STATES:
        blocks.append(
            actions(
                button(msg("job.button.refresh"), "job_refresh", job.ref),
                button(msg("job.button.cancel_undo"), "job_cancel", job.ref, style="danger"),
                block_id="job_buttons",
            )
        )
    return blocks


def undo_summary(
    msg: Messages, job: JobFacts, counts: Mapping[str, int], plan: Mapping[str, Any]
) -> str:
    """The totals of a finished undo in words: removed, kept and why, what was not looked at."""
    original = original_ref(job)
    removed, kept = counts.get("removed", 0), counts.get("kept", 0)
    left = counts.get("pending", 0)
    common = {
        "ref": job.ref,
        "original": original,
        "campaign": job.campaign,
        "removed": number(msg, removed),
        "kept": number(msg, kept),
        "left": number(msg, left),
    }
    if job.state == "failed":
        lines = [msg("job.undo.final.failed", reason=job.reason or "", **common)]
    elif job.state == "cancelled":
        lines = [msg("job.undo.final.cancelled", **common)]
    elif removed:
        lines = [msg("job.undo.final.done" if kept else "job.undo.final.done_all", **common)]
    else:
        lines = [msg("job.undo.final.nothing_removed", **common)]
    if kept:
        lines.append(msg("job.undo.final.csv", kept=number(msg, kept)))
    if counts.get("gone"):
        lines.append(msg("job.undo.final.gone", count=number(msg, counts["gone"])))
    if plan.get("not_found"):
        lines.append(
            msg("job.undo.final.not_found", count=number(msg, plan["not_found"]), original=original)
        )
    if plan.get("unlisted_chunks"):
        lines.append(
            msg(
                "job.undo.final.unlisted",
                count=number(msg, plan["unlisted_chunks"]),
                rows=number(msg, plan.get("unlisted_rows", 0)),
                original=original,
                campaign=job.campaign,
            )
        )
    if counts.get("sent"):
        lines.append(msg("job.undo.final.unknown", count=number(msg, counts["sent"]), ref=job.ref))
    return "\n".join(lines)


def undo_final_blocks(
    msg: Messages,
    job: JobFacts,
    counts: Mapping[str, int],
    plan: Mapping[str, Any],
    *,
    tz: tzinfo = UTC,
) -> list[Block]:
    """The undo message's last state: the totals in words above the card."""
    return [section(undo_summary(msg, job, counts, plan)), *undo_card(msg, job, counts, tz=tz)]
