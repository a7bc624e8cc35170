"""Import jobs: one line in a list, the card with its progress bar and buttons."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.messages import Messages, mention
from bot.render.blocks import Block, actions, button, context, progress_bar, section

FINAL_STATES = ("done", "failed", "cancelled", "lost")


def state_words(msg: Messages, state: str) -> str:
    """A job state in words, with its emoji."""
    return msg(f"job.state.{state}")


def job_line(msg: Messages, job: Any) -> str:
    """``J12 · done · alohub-main campaign 101 · 4,980 rows`` in the catalog's words."""
    return msg(
        "job.line",
        ref=job.ref,
        state=state_words(msg, job.state),
        connection=job.connection,
        campaign=job.campaign,
        total=f"{job.total:,}",
        creator=mention(job.creator),
    )


def finished_rows(counts: Mapping[str, int]) -> int:
    """Rows that reached an end state."""
    return sum(counts.get(state, 0) for state in ("accepted", "rejected", "duplicate"))


def job_card(msg: Messages, job: Any, counts: Mapping[str, int]) -> list[Block]:
    """The job's state, counts, a progress bar and (while it runs) Refresh/Cancel buttons."""
    total = job.total or sum(counts.values())
    done = finished_rows(counts)
    blocks: list[Block] = [
        section(
            msg(
                "job.card.title",
                ref=job.ref,
                state=state_words(msg, job.state),
                connection=job.connection,
                campaign=job.campaign,
            )
            + "\n`"
            + progress_bar(done, total)
            + "`"
        ),
        section(
            msg(
                "job.card.counts",
                total=f"{total:,}",
                accepted=f"{counts.get('accepted', 0):,}",
                rejected=f"{counts.get('rejected', 0):,}",
                duplicate=f"{counts.get('duplicate', 0):,}",
                pending=f"{counts.get('pending', 0) + counts.get('sent', 0):,}",
            )
        ),
    ]
    if counts.get("unconfirmed"):
        blocks.append(
            section(msg("job.card.unconfirmed", count=f"{counts['unconfirmed']:,}", ref=job.ref))
        )
    if job.reason:
        blocks.append(section(msg("job.card.reason", reason=job.reason)))
    if job.state in FINAL_STATES:
        # Offered only when a retry has rows to send (unconfirmed ones have their own line).
        if counts.get("pending"):
            blocks.append(context(msg("job.card.retry_hint", ref=job.ref)))
        return blocks
    blocks.append(
        actions(
            button(msg("job.button.refresh"), "job_refresh", job.ref),
            button(msg("job.button.cancel"), "job_cancel", job.ref, style="danger"),
            block_id="job_buttons",
        )
    )
    return blocks


def job_list(msg: Messages, jobs: Sequence[Any]) -> list[Block]:
    """The channel's recent jobs."""
    if not jobs:
        return [section(msg("job.list.empty"))]
    blocks: list[Block] = [section(msg("job.list.title"))]
    blocks.extend(section(job_line(msg, job)) for job in jobs)
    blocks.append(context(msg("job.list.hint")))
    return blocks


def cancel_words(
    msg: Messages, job: Any, *, held_back: int, handed_over: Sequence[tuple[int, int]]
) -> str:
    """What a cancel did, said at once: the rows held back, what the provider already has
    and cannot give back, and whether ``/job retry`` has anything to send."""
    lines = [msg("job.cancel.headline", ref=job.ref, held=f"{held_back:,}")]
    if handed_over:
        rows = sum(count for _, count in handed_over)
        chunks = ", ".join(
            msg("job.cancel.chunk", number=number, rows=f"{count:,}")
            for number, count in handed_over
        )
        key = "job.cancel.at_alohub" if job.provider == "alohub" else "job.cancel.in_flight"
        lines.append(msg(key, rows=f"{rows:,}", chunks=chunks, connection=job.connection))
    else:
        lines.append(msg("job.cancel.nothing_handed", connection=job.connection))
    key = "job.cancel.retry" if held_back else "job.cancel.no_retry"
    lines.append(msg(key, ref=job.ref))
    return "\n".join(lines)
