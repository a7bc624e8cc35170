"""Imports as Block Kit: the import modal and its preview, job progress, the Add contact modal.

Pure functions from plain data (summaries are the JSON ``bot.imports.staging`` stores) to
views and blocks; the field ids are the Slack contract of PRODUCT.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, tzinfo
from typing import Any

from bot.hygiene import NAME_MAX, Markup, code
from bot.imports import SPREADSHEETS
from bot.imports.rules import problem_key
from bot.messages import Messages
from bot.render.blocks import (
    Block,
    context,
    fit_message,
    modal,
    option,
    section,
    select_input,
    text_input,
)
from bot.render.formats import number, size
from bot.render.inputs import JobFacts
from bot.render.jobs import Reasons, job_card, main_reasons, nothing_accepted, reason_words

PREVIEW_SAMPLES = 10
FILE_TYPES = ("csv", "xlsx", "xls", "ods", "txt")


def megabytes(msg: Messages, nbytes: int) -> str:
    """``10 MB`` style size, as the language writes numbers."""
    return size(msg, nbytes)


def refusal_sentence(msg: Messages, reason: str, params: Mapping[str, Any]) -> str:
    """The sentence for a parser refusal (``import.<reason>``), its numbers made readable."""
    shown = dict(params)
    if reason == "too_large":
        shown["limit"] = megabytes(msg, int(params.get("limit", 0)))
        shown["size"] = megabytes(msg, int(params.get("size", 0)))
    elif reason == "too_many_rows":
        shown["limit"] = number(msg, int(params.get("limit", 0)))
    elif reason == "no_phone_column":
        headers = params.get("headers") or []
        shown["headers"] = ", ".join(f"“{h}”" for h in headers[:8]) or "—"
    elif reason == "empty" and params.get("header_only"):
        return msg("import.empty_header_only")
    return msg(f"import.{reason}", **shown)


def import_modal(
    msg: Messages,
    channel: str,
    connections: Sequence[tuple[str, str]],
    *,
    default: str | None,
    campaign: str | None = None,
    max_bytes: int,
    max_rows: int,
    recent: Sequence[tuple[str, str]] = (),
) -> Block:
    """The *Import contacts* modal (``import_submit``)."""
    file_block = {
        "type": "input",
        "block_id": "file",
        "optional": True,
        "label": {"type": "plain_text", "text": msg("import.field.file")},
        "hint": {
            "type": "plain_text",
            "text": msg(
                "import.field.file_hint", size=megabytes(msg, max_bytes), rows=number(msg, max_rows)
            ),
        },
        "element": {
            "type": "file_input",
            "action_id": "value",
            "filetypes": list(FILE_TYPES),
            "max_files": 1,
        },
    }
    return modal(
        "import_submit",
        msg("import.modal.title"),
        [
            *_connection_and_campaign(msg, connections, default, campaign, recent),
            text_input(
                "list_name", msg("import.field.list_name"), optional=True, max_length=NAME_MAX
            ),
            file_block,
            text_input(
                "paste",
                msg("import.field.paste"),
                optional=True,
                multiline=True,
                placeholder=msg("import.field.paste_placeholder"),
                hint=msg("import.field.paste_hint"),
            ),
        ],
        submit=msg("import.modal.submit"),
        close=msg("modal.cancel"),
        private_metadata={"channel": channel},
    )


def reading_view(msg: Messages, source: str) -> Block:
    """What the modal shows while the file is downloaded and read."""
    return modal(
        "import_reading",
        msg("import.modal.title"),
        [section(msg("import.reading", source=source))],
        close=msg("modal.close"),
    )


def refused_view(msg: Messages, sentence: str) -> Block:
    """The modal after a refusal: the sentence says what happened and what to do."""
    return modal(
        "import_refused",
        msg("import.modal.title"),
        [section("⚠️ " + sentence), context(msg("import.refused.nothing_staged"))],
        close=msg("modal.close"),
    )


def _columns_line(msg: Messages, columns: Mapping[str, Any]) -> str:
    if not columns.get("has_header"):
        return msg("import.preview.no_header")
    fields = Markup(", ").join(code(f) for f in columns.get("fields") or ()) or msg(
        "import.preview.fields_none"
    )
    return msg(
        "import.preview.columns",
        phone=columns.get("phone") or "—",
        name=columns.get("name") or msg("import.preview.fields_none"),
        fields=fields,
    )


def _format_line(msg: Messages, summary: Mapping[str, Any]) -> str:
    kind = msg(f"import.kind.{summary.get('kind') or 'csv'}")
    delimiter = {",": "comma", ";": "semicolon", "\t": "tab"}.get(summary.get("delimiter") or "")
    parts = [kind]
    if summary.get("encoding"):
        parts.append(str(summary["encoding"]).upper())
    if delimiter and summary.get("kind") not in SPREADSHEETS:
        parts.append(msg(f"import.delimiter.{delimiter}"))
    return " · ".join(parts)


def _invalid_line(msg: Messages, sample: Sequence[Any]) -> str:
    """One refused row of the preview: its phone and why (a field rule also shows the value)."""
    line, raw, reason = sample[0], sample[1], str(sample[2])
    value = sample[4] if len(sample) > 4 else None
    words = reason_words(msg, problem_key(reason))
    if value is not None:
        return msg(
            "import.preview.invalid_field_row", line=line, phone=raw, value=value, reason=words
        )
    return msg("import.preview.invalid_row", line=line, value=raw or "—", reason=words)


def preview_view(
    msg: Messages,
    *,
    staged_id: str,
    channel: str,
    source: str,
    connection: str,
    provider: str,
    campaign: str,
    list_name: str | None,
    summary: Mapping[str, Any],
) -> Block:
    """The preview (``import_confirm``): counts, columns, first problems, what will be sent."""
    valid = int(summary.get("valid", 0))
    target = (
        msg("import.preview.target_crm", connection=connection)
        if provider == "omicall"
        else msg("import.preview.target", connection=connection, campaign=campaign)
    )
    if list_name and provider == "alohub":
        target += " " + msg("import.preview.list", list_name=list_name)
    blocks: list[Block] = [
        section(msg("import.preview.intro", source=source, target=target)),
        section(
            msg(
                "import.preview.counts",
                rows=number(msg, int(summary.get("rows_read", 0))),
                valid=number(msg, valid),
                invalid=number(msg, int(summary.get("invalid", 0))),
                duplicates=number(msg, int(summary.get("duplicates", 0))),
            )
        ),
        section(_columns_line(msg, summary.get("columns") or {})),
        context(_format_line(msg, summary)),
    ]
    invalid = summary.get("invalid_samples") or []
    if invalid:
        lines = [_invalid_line(msg, sample) for sample in invalid[:PREVIEW_SAMPLES]]
        blocks.append(section(msg("import.preview.invalid_title") + "\n" + "\n".join(lines)))
        more = int(summary.get("invalid", 0)) - len(lines)
        if more > 0:
            blocks.append(context(msg("import.preview.more_invalid", count=number(msg, more))))
    duplicates = summary.get("duplicate_samples") or []
    if duplicates:
        lines = [
            msg("import.preview.duplicate_row", line=line, phone=phone, first=first)
            for line, phone, first in duplicates[:PREVIEW_SAMPLES]
        ]
        blocks.append(section(msg("import.preview.duplicate_title") + "\n" + "\n".join(lines)))
    meta = {"staged": staged_id, "channel": channel, "connection": connection}
    if valid == 0:
        blocks.append(section("⚠️ " + msg("import.preview.nothing_valid")))
        return modal(
            "import_confirm",
            msg("import.modal.title"),
            blocks,
            close=msg("modal.close"),
            private_metadata=meta,
        )
    blocks.append(
        context(msg("import.preview.confirm_hint", valid=number(msg, valid), target=target))
    )
    return modal(
        "import_confirm",
        msg("import.modal.title"),
        blocks,
        submit=msg("import.preview.submit"),
        close=msg("modal.cancel"),
        private_metadata=meta,
    )


def progress_blocks(
    msg: Messages,
    job: JobFacts,
    counts: Mapping[str, int],
    *,
    processing: tuple[int, int] | None = None,
    provider_counts: Mapping[str, int] | None = None,
    reasons: Reasons = (),
    tz: tzinfo = UTC,
    rate_limited: tuple[str, int] | None = None,
) -> list[Block]:
    """The job card, with what Alohub reports about the chunks it is still adding, and the
    wait a provider asked for (``rate_limited``: its connection, seconds) while it lasts."""
    blocks = job_card(msg, job, counts, reasons=reasons, tz=tz)
    notes = []
    if rate_limited:
        connection, seconds = rate_limited
        notes.append(msg("import.progress.rate_limited", connection=connection, seconds=seconds))
    if processing:
        done, total = processing
        notes.append(
            msg("import.progress.processing", done=number(msg, done), total=number(msg, total))
        )
    if provider_counts and (provider_counts.get("duplicate") or provider_counts.get("failed")):
        notes.append(
            msg(
                "import.progress.alohub_counts",
                duplicates=number(msg, provider_counts.get("duplicate", 0)),
                failed=number(msg, provider_counts.get("failed", 0)),
            )
        )
    if notes:
        blocks.insert(3, context(*notes))  # after the title, who/when and the counts
    return fit_message(blocks)


def _headline_key(job: JobFacts, counts: Mapping[str, int]) -> str:
    """Which headline tells how the job ended: rejections change a done or failed job's."""
    if job.state == "done" and counts.get("rejected"):
        return "import.final.done_rejected"
    if nothing_accepted(job, counts):
        return "import.final.none_accepted"
    return f"import.final.{job.state}"


def final_summary(
    msg: Messages, job: JobFacts, counts: Mapping[str, int], reasons: Reasons = ()
) -> str:
    """The one-line totals of a finished job (and, when nothing was added, why)."""
    return msg(
        _headline_key(job, counts),
        ref=job.ref,
        connection=job.connection,
        total=number(msg, job.total or sum(counts.values())),
        accepted=number(msg, counts.get("accepted", 0)),
        rejected=number(msg, counts.get("rejected", 0)),
        duplicate=number(msg, counts.get("duplicate", 0)),
        reasons=main_reasons(msg, reasons) or msg("job.reasons.unknown"),
        held=number(msg, counts.get("pending", 0)),
    )


def final_blocks(
    msg: Messages,
    job: JobFacts,
    counts: Mapping[str, int],
    *,
    provider_counts: Mapping[str, int] | None = None,
    reasons: Reasons = (),
    tz: tzinfo = UTC,
) -> list[Block]:
    """The progress message's last state: the card and the totals in words."""
    key = _headline_key(job, counts)
    named = key == "import.final.none_accepted"  # that headline names the reasons itself
    blocks = progress_blocks(
        msg, job, counts, provider_counts=provider_counts, reasons=() if named else reasons, tz=tz
    )
    lines = [final_summary(msg, job, counts, reasons)]
    if counts.get("rejected") and key not in (
        "import.final.done_rejected",
        "import.final.none_accepted",
    ):  # those two headlines already point at the CSV
        lines.append(msg("import.final.csv_note", count=number(msg, counts["rejected"])))
    blocks.insert(0, section("\n".join(lines)))
    return fit_message(blocks)


def contact_add_modal(
    msg: Messages,
    channel: str,
    connections: Sequence[tuple[str, str]],
    *,
    default: str | None,
    campaign: str | None = None,
    recent: Sequence[tuple[str, str]] = (),
) -> Block:
    """The *Add contact* modal (``contact_add``)."""
    return modal(
        "contact_add",
        msg("contact.add.title"),
        [
            *_connection_and_campaign(msg, connections, default, campaign, recent),
            text_input(
                "phone",
                msg("contact.field.phone"),
                placeholder=msg("contact.field.phone_placeholder"),
            ),
            text_input("name", msg("contact.field.name"), optional=True, max_length=NAME_MAX),
            text_input(
                "list",
                msg("contact.field.list"),
                optional=True,
                hint=msg("contact.field.list_hint"),
            ),
        ],
        submit=msg("contact.add.submit"),
        close=msg("modal.cancel"),
        private_metadata={"channel": channel},
    )


def contact_added(
    msg: Messages, added: Any, *, connection: str, campaign: str, phone: str, name: str | None
) -> str:
    """The sentence after ``/contact add``: added (with the provider's id or note) or refused."""
    who = f"{phone} ({name})" if name else phone
    if not added.accepted:
        return msg(
            "contact.add.rejected",
            who=who,
            connection=connection,
            reason=reason_words(msg, added.reason),
        )
    if added.crm:
        return msg(
            "contact.add.created_crm", who=who, connection=connection, id=added.provider_id or "—"
        )
    detail = ""
    if added.provider_id:
        detail = msg("contact.add.detail_id", id=added.provider_id)
    elif added.note:
        detail = msg("contact.add.detail_note", note=added.note)
    return msg(
        "contact.add.added", who=who, connection=connection, campaign=campaign, detail=detail
    )


def _connection_and_campaign(
    msg: Messages,
    connections: Sequence[tuple[str, str]],
    default: str | None,
    campaign: str | None,
    recent: Sequence[tuple[str, str]] = (),
) -> list[Block]:
    """The connection select and the campaign field both modals open with.

    No provider lists its campaigns, so the hint offers the ids this channel used lately."""
    options = [option(f"{name} ({provider})", name) for name, provider in connections]
    hint = msg("import.field.campaign_hint")
    if recent:
        used = " · ".join(f"{id} ({name})" for name, id in recent)
        hint += " " + msg("campaign.recent", campaigns=used)
    return [
        select_input("connection", msg("import.field.connection"), options, initial=default),
        text_input(
            "campaign",
            msg("import.field.campaign"),
            initial=campaign,
            optional=True,
            hint=hint,
        ),
    ]
