"""Call statistics and campaign progress as Block Kit: numbers, changes, a text bar chart.

Pure: statistics in, blocks out. Numbers are grouped the way the configured language
writes them (12,000 in English, 12.000 in Vietnamese), by ``bot.render.formats``.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.hygiene import shown
from bot.messages import Messages
from bot.render.blocks import (
    Block,
    context,
    divider,
    fields_section,
    fit_message,
    header,
    progress_bar,
    section,
)
from bot.render.formats import decimal, number, percent
from bot.stats import CallStats, CampaignProgress, Comparison, ListProgress, compare

BAR_WIDTH = 20
TOP_NOTES = 5
MAX_CAMPAIGN_ROWS = 15
MAX_LIST_ROWS = 20
_EIGHTHS = " ▏▎▍▌▋▊▉"


def change(msg: Messages, pct: float | None) -> str:
    """``▲ 12.5%`` / ``▼ 3.0%`` / ``= 0.0%``; empty without a base to compare with."""
    if pct is None:
        return ""
    value = decimal(msg, abs(pct)) + "%"
    if round(pct, 1) == 0:
        return msg("calls.change.same", value=value)
    return msg("calls.change.up" if pct > 0 else "calls.change.down", value=value)


def change_pp(msg: Messages, points: float | None) -> str:
    """Change of a rate in percentage points: ``▲ 1.2 pp``."""
    if points is None:
        return ""
    value = msg("calls.pp", value=decimal(msg, abs(points)))
    if round(points, 1) == 0:
        return msg("calls.change.same", value=value)
    return msg("calls.change.up" if points > 0 else "calls.change.down", value=value)


def duration(msg: Messages, seconds: float | None) -> str:
    """``52 h 13 min``, ``2 min 35 s`` or ``45 s``; ``—`` for None."""
    if seconds is None:
        return "—"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return msg("calls.duration.hours", hours=number(msg, hours), minutes=minutes)
    if minutes:
        return msg("calls.duration.minutes", minutes=minutes, seconds=secs)
    return msg("calls.duration.seconds", seconds=secs)


def outcome_words(msg: Messages, raw: str) -> str:
    """A switch's call outcome (``NORMAL CLEARING``, ``NO_ANSWER``) in words, raw kept after."""
    key = "call.outcome." + "_".join(raw.upper().replace("_", " ").split())
    return msg("call.outcome", words=msg(key), raw=escape(raw)) if msg.has(key) else escape(raw)


def escape(text: str) -> str:
    """Provider text made safe for mrkdwn: no mention, link or formatting (``hygiene.shown``)."""
    return shown(text)


def hour_chart(msg: Messages, stats: CallStats, width: int = BAR_WIDTH) -> str:
    """One line per hour from the first to the last busy one: answered █, the rest ░."""
    busy = [hour for hour, total in enumerate(stats.hour_total) if total]
    if not busy:
        return ""
    peak = max(stats.hour_total)
    counts = [number(msg, stats.hour_total[hour]) for hour in range(busy[0], busy[-1] + 1)]
    digits = max(len(text) for text in counts)
    lines = []
    for hour, text in zip(range(busy[0], busy[-1] + 1), counts, strict=True):
        total, answered = stats.hour_total[hour], stats.hour_answered[hour]
        lines.append(f"{hour:02d} {_bar(total, answered, peak, width)} {text:>{digits}}")
    return "\n".join(lines)


def _bar(total: int, answered: int, peak: int, width: int) -> str:
    if not total:
        return " " * width
    # Eighth blocks give the answered part sub-cell precision; a busy hour shows at least one.
    cells = max(1, round(total * width / peak))
    full, eighths = divmod(round(answered * width * 8 / peak), 8)
    full = min(full, cells)
    solid = "█" * full + (_EIGHTHS[eighths] if eighths and full < cells else "")
    return (solid + "░" * (cells - len(solid))).ljust(width)


def calls_blocks(
    msg: Messages,
    *,
    title: str,
    connection: str,
    current: CallStats,
    before: CallStats,
    previous_label: str,
    days: int,
    timezone: str,
    notes: Sequence[str] = (),
) -> list[Block]:
    """The statistics of a period, with its change against the previous one."""
    blocks: list[Block] = [
        header(title),
        context(msg("calls.source", connection=connection, previous=previous_label)),
        *(context(note) for note in notes),
    ]
    if not current.total:
        blocks.append(section(msg("calls.none")))
        if before.total:
            blocks.append(context(calls_text(msg, previous_label, before)))
        return blocks
    blocks.append(fields_section(_figures(msg, current, compare(current, before))))
    if not before.total:
        blocks.append(context(msg("calls.previous_none", previous=previous_label)))
    chart = hour_chart(msg, current)
    if chart:
        key = "calls.hours.title" if days == 1 else "calls.hours.title.days"
        blocks.append(section(msg(key, days=days) + "\n```\n" + chart + "\n```"))
    detail = _details(msg, current)
    if detail:
        blocks.append(section(detail))
    campaigns = _campaign_lines(msg, current)
    if campaigns:
        blocks.append(section(campaigns))
    footer = [msg("calls.footer", timezone=timezone)]
    if current.unparsable:
        footer.append(msg("calls.unparsable", count=number(msg, current.unparsable)))
    blocks.append(context(*footer))
    return fit_message(blocks)


def calls_text(msg: Messages, label: str, stats: CallStats) -> str:
    """The notification text of a statistics message."""
    return msg(
        "calls.text",
        label=label,
        total=number(msg, stats.total),
        answered=number(msg, stats.answered),
        rate=percent(msg, stats.answer_rate),
    )


def _figures(msg: Messages, stats: CallStats, delta: Comparison) -> list[str]:
    def field(key: str, value: str, moved: str = "") -> str:
        return f"*{msg(key)}*\n{value}" + (f"   {moved}" if moved else "")

    figures = [
        field("calls.field.total", number(msg, stats.total), change(msg, delta.total_pct)),
        field("calls.field.answered", number(msg, stats.answered), change(msg, delta.answered_pct)),
        field("calls.field.failed", number(msg, stats.failed)),
        field(
            "calls.field.answer_rate",
            percent(msg, stats.answer_rate),
            change_pp(msg, delta.answer_rate_pp),
        ),
        field(
            "calls.field.talk",
            duration(msg, stats.talk_seconds),
            change(msg, delta.talk_seconds_pct),
        ),
        field("calls.field.average_talk", duration(msg, stats.average_talk_seconds)),
    ]
    busiest = stats.busiest_hour
    if busiest is not None:
        text = msg(
            "calls.busiest",
            start=f"{busiest:02d}:00",
            end=f"{(busiest + 1) % 24:02d}:00",
            count=number(msg, stats.hour_total[busiest]),
        )
        figures.append(field("calls.field.busiest", text))
    if stats.other:
        figures.append(field("calls.field.other", number(msg, stats.other)))
    return figures


def _details(msg: Messages, stats: CallStats) -> str:
    parts = []
    notes = stats.top_notes(TOP_NOTES)
    if notes:
        rows = [f"• {outcome_words(msg, note)} — {number(msg, count)}" for note, count in notes]
        parts.append("\n".join([msg("calls.notes.title"), *rows]))
    keys = stats.key_press_counts()
    if keys:
        row = " · ".join(f"`{escape(key)}` {number(msg, count)}" for key, count in keys)
        parts.append(msg("calls.keys.title") + "\n" + row)
    return "\n\n".join(parts)


def _campaign_lines(msg: Messages, stats: CallStats) -> str:
    rows = stats.campaigns()
    if len(rows) < 2 and (not rows or rows[0].campaign_id is None):
        return ""  # one unnamed bucket says nothing the totals do not
    lines = [msg("calls.campaigns.title")]
    for row in rows[:MAX_CAMPAIGN_ROWS]:
        lines.append(
            msg(
                "calls.campaigns.row",
                campaign=escape(row.campaign_id or msg("calls.campaigns.unknown")),
                total=number(msg, row.total),
                answered=number(msg, row.answered),
                rate=percent(msg, row.answer_rate),
                failed=number(msg, row.failed),
                talk=duration(msg, row.talk_seconds),
            )
        )
    if len(rows) > MAX_CAMPAIGN_ROWS:
        lines.append(msg("calls.campaigns.more", count=len(rows) - MAX_CAMPAIGN_ROWS))
    return "\n".join(lines)


def progress_blocks(
    msg: Messages,
    *,
    title: str,
    connection: str,
    progress: CampaignProgress,
    notes: Sequence[str] = (),
) -> list[Block]:
    """An Alohub campaign's contacts by status, in total and per list."""
    total = progress.total
    blocks: list[Block] = [
        header(title),
        context(msg("calls.progress_view.source", connection=connection)),
    ]
    lists = progress.lists
    if not lists:
        blocks.append(section(msg("calls.progress_view.no_lists")))
        blocks.extend(context(note) for note in notes)
        return blocks
    figures = [
        f"*{msg('calls.progress_view.contacts')}*\n{number(msg, total.total)}",
        f"*{msg('calls.progress_view.processed')}*\n{_share(msg, total.processed, total.total)}",
        f"*{msg('calls.progress_view.pending')}*\n{_share(msg, total.pending, total.total)}",
        f"*{msg('calls.progress_view.in_call')}*\n{_share(msg, total.in_call, total.total)}",
    ]
    if total.unknown:
        figures.append(f"*{msg('calls.progress_view.unknown')}*\n{number(msg, total.unknown)}")
    blocks.append(fields_section(figures))
    blocks.append(section(f"`{progress_bar(total.processed, total.total)}`"))
    blocks.append(section(_list_lines(msg, lists)))
    if total.call_statuses:
        statuses = sorted(total.call_statuses.items(), key=lambda item: -item[1])
        row = " · ".join(
            f"{outcome_words(msg, name)} {number(msg, count)}" for name, count in statuses
        )
        blocks.append(section(msg("calls.progress_view.call_status") + "\n" + row))
    blocks.append(divider())
    blocks.extend(context(note) for note in notes)
    return fit_message(blocks)


def progress_text(msg: Messages, campaign: str, progress: CampaignProgress) -> str:
    """The notification text of a progress message."""
    total = progress.total
    return msg(
        "calls.progress_view.text",
        campaign=campaign,
        processed=number(msg, total.processed),
        total=number(msg, total.total),
    )


def _share(msg: Messages, part: int, whole: int) -> str:
    return f"{number(msg, part)} ({percent(msg, part / whole if whole else None)})"


def _list_lines(msg: Messages, lists: Sequence[ListProgress]) -> str:
    lines = [msg("calls.progress_view.lists_title")]
    for item in lists[:MAX_LIST_ROWS]:
        lines.append(
            msg(
                "calls.progress_view.list",
                name=escape(item.name or "—"),
                id=item.list_id,
                total=number(msg, item.total),
                pending=number(msg, item.pending),
                in_call=number(msg, item.in_call),
                processed=number(msg, item.processed),
            )
        )
    if len(lists) > MAX_LIST_ROWS:
        lines.append(msg("calls.progress_view.more_lists", count=len(lists) - MAX_LIST_ROWS))
    return "\n".join(lines)
