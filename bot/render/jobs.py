"""Jobs: one line in a list (imports and undos), an import's card with its progress bar and
buttons."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, tzinfo

from bot.hygiene import Markup
from bot.messages import Messages, mention
from bot.render.blocks import Block, actions, button, context, progress_bar, section
from bot.render.formats import number
from bot.render.inputs import JobFacts

FINAL_STATES = ("done", "failed", "cancelled", "lost")
MAIN_REASONS = 3  # rejection reasons named in a job's message, most frequent first

Reasons = Sequence[tuple[str | None, int]]


def state_words(msg: Messages, state: str) -> str:
    """A job state in words, with its emoji."""
    return msg(f"job.state.{state}")


def reason_words(msg: Messages, reason: str | None) -> str:
    """A stored row reason (a catalog key) in words."""
    if not reason:
        return ""
    return msg(reason) if msg.has(reason) else reason


def job_state_words(msg: Messages, job: JobFacts, counts: Mapping[str, int]) -> str:
    """The job's state in words; a job done with rejected rows says so, not a plain ✅."""
    if job.state == "done" and counts.get("rejected"):
        return msg("job.state.done_rejected")
    return state_words(msg, job.state)


def nothing_accepted(job: JobFacts, counts: Mapping[str, int]) -> bool:
    """A failed job that sent every row and had every one refused (nothing to retry)."""
    left = sum(counts.get(state, 0) for state in ("pending", "sent", "unconfirmed"))
    return (
        job.state == "failed" and not counts.get("accepted") and bool(counts.get("rejected"))
    ) and not left


def main_reasons(msg: Messages, reasons: Reasons) -> str:
    """``otp_code must be 6 digits… × 4; no phone number × 1``: the commonest reasons first."""
    return msg("job.reasons.separator").join(
        msg(
            "job.reasons.item",
            reason=reason_words(msg, reason) or msg("job.reasons.unknown"),
            count=number(msg, count),
        )
        for reason, count in reasons[:MAIN_REASONS]
    )


def local_time(
    msg: Messages, moment: datetime, tz: tzinfo, *, since: datetime | None = None
) -> str:
    """A moment in the configured timezone: ``06 Dec 2026, 14:05`` / ``14:05 06/12/2026``.

    With ``since`` on the same local day, only the time (an end time after its start).
    """
    local = moment.astimezone(tz)
    clock = f"{local:%H:%M}"
    if since is not None and since.astimezone(tz).date() == local.date():
        return clock
    date = msg(
        "job.date",
        day=f"{local.day:02d}",
        month=msg(f"job.month.{local.month}"),
        year=str(local.year),
    )
    return msg("job.datetime", date=date, time=clock)


def job_times(msg: Messages, job: JobFacts, tz: tzinfo) -> tuple[str, str]:
    """When the job started, and ``ended 14:07`` (or ``not ended yet``), in words."""
    started = job.created_at or datetime.now(UTC)
    ended = (
        msg("job.ended", time=local_time(msg, job.finished_at, tz, since=started))
        if job.finished_at is not None and job.state in FINAL_STATES
        else msg("job.not_ended")
    )
    return local_time(msg, started, tz), ended


def job_source(msg: Messages, job: JobFacts) -> str:
    """The file the job came from and, on Alohub, the list it makes."""
    source = msg("job.source", source=job.source or msg("job.source_unknown"))
    if job.list_name:
        source += msg("job.list_name", list_name=job.list_name)
    return source


def job_line(
    msg: Messages, job: JobFacts, counts: Mapping[str, int] | None = None, *, tz: tzinfo = UTC
) -> str:
    """``J12 · done · alohub-main campaign 101 · 4,980 rows · who, when, which file`` (an
    undo job: what it took back from which import)."""
    if getattr(job, "kind", "import") == "undo":
        return undo_line(msg, job, counts or {}, tz=tz)
    started, ended = job_times(msg, job, tz)
    return msg(
        "job.line",
        ref=job.ref,
        state=job_state_words(msg, job, counts or {}),
        connection=job.connection,
        campaign=job.campaign,
        total=number(msg, job.total),
        creator=mention(job.creator),
        started=started,
        ended=ended,
        source=job_source(msg, job),
    )


def original_ref(job: JobFacts) -> str:
    """``J12``: the import an undo job takes back."""
    return f"J{getattr(job, 'undo_of', None) or '?'}"


def undo_counts(msg: Messages, counts: Mapping[str, int]) -> dict[str, str]:
    """An undo job's counts in words, for its line and card."""
    return {
        "total": number(msg, sum(counts.values())),
        "removed": number(msg, counts.get("removed", 0)),
        "pending": number(msg, counts.get("pending", 0) + counts.get("sent", 0)),
        "kept": number(msg, counts.get("kept", 0)),
        "gone": number(msg, counts.get("gone", 0)),
    }


def undo_line(msg: Messages, job: JobFacts, counts: Mapping[str, int], *, tz: tzinfo = UTC) -> str:
    """One line of ``/job`` for an undo job: what it took back from which import."""
    started, ended = job_times(msg, job, tz)
    words = undo_counts(msg, counts)
    return msg(
        "job.line.undo",
        ref=job.ref,
        original=original_ref(job),
        state=state_words(msg, job.state),
        connection=job.connection,
        campaign=job.campaign,
        removed=words["removed"],
        kept=words["kept"],
        creator=mention(job.creator),
        started=started,
        ended=ended,
    )


def finished_rows(counts: Mapping[str, int]) -> int:
    """Rows that reached an end state."""
    return sum(counts.get(state, 0) for state in ("accepted", "rejected", "duplicate"))


def job_card(
    msg: Messages,
    job: JobFacts,
    counts: Mapping[str, int],
    *,
    reasons: Reasons = (),
    tz: tzinfo = UTC,
) -> list[Block]:
    """The job's state, who/when/which file, counts, the main rejection reasons, a progress
    bar and (while it runs) Refresh/Cancel buttons."""
    total = job.total or sum(counts.values())
    done = finished_rows(counts)
    started, ended = job_times(msg, job, tz)
    blocks: list[Block] = [
        section(
            msg(
                "job.card.title",
                ref=job.ref,
                state=job_state_words(msg, job, counts),
                connection=job.connection,
                campaign=job.campaign,
            )
            + "\n`"
            + progress_bar(done, total)
            + "`"
        ),
        context(
            msg(
                "job.card.meta",
                creator=mention(job.creator),
                started=started,
                ended=ended,
                source=job_source(msg, job),
            )
        ),
        section(
            msg(
                "job.card.counts",
                total=number(msg, total),
                accepted=number(msg, counts.get("accepted", 0)),
                rejected=number(msg, counts.get("rejected", 0)),
                duplicate=number(msg, counts.get("duplicate", 0)),
                pending=number(msg, counts.get("pending", 0) + counts.get("sent", 0)),
            )
        ),
    ]
    if counts.get("unconfirmed"):
        blocks.append(
            section(
                msg("job.card.unconfirmed", count=number(msg, counts["unconfirmed"]), ref=job.ref)
            )
        )
    if job.reason:
        # The reason is a sentence of the catalog (``JobRun`` stores nothing else), its
        # provider text already made inert: markup, not a value to escape again.
        blocks.append(section(msg("job.card.reason", reason=Markup(job.reason))))
    if reasons and counts.get("rejected"):
        blocks.append(section(msg("job.card.main_reasons", reasons=main_reasons(msg, reasons))))
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


def job_list(
    msg: Messages,
    jobs: Sequence[JobFacts],
    counts: Mapping[int, Mapping[str, int]] | None = None,
    *,
    tz: tzinfo = UTC,
) -> list[Block]:
    """The channel's recent jobs."""
    if not jobs:
        return [section(msg("job.list.empty"))]
    blocks: list[Block] = [section(msg("job.list.title"))]
    blocks.extend(section(job_line(msg, job, (counts or {}).get(job.id), tz=tz)) for job in jobs)
    blocks.append(context(msg("job.list.hint")))
    return blocks


def cancel_words(
    msg: Messages, job: JobFacts, *, held_back: int, handed_over: Sequence[tuple[int, int]]
) -> str:
    """What a cancel did, said at once: the rows held back, what the provider already has
    and cannot give back, and whether ``/job retry`` has anything to send."""
    lines = [msg("job.cancel.headline", ref=job.ref, held=number(msg, held_back))]
    if handed_over:
        rows = sum(count for _, count in handed_over)
        chunks = ", ".join(
            msg("job.cancel.chunk", number=index, rows=number(msg, count))
            for index, count in handed_over
        )
        key = "job.cancel.at_alohub" if job.provider == "alohub" else "job.cancel.in_flight"
        lines.append(msg(key, rows=number(msg, rows), chunks=chunks, connection=job.connection))
    else:
        lines.append(msg("job.cancel.nothing_handed", connection=job.connection))
    key = "job.cancel.retry" if held_back else "job.cancel.no_retry"
    lines.append(msg(key, ref=job.ref))
    return "\n".join(lines)
