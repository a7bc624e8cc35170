"""Block Kit from the app's own renderers, printed as readable text with numbered buttons."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from bot.console.text import mrkdwn_to_plain, render_blocks, render_message, width
from bot.messages import Messages
from bot.providers.alohub import Queue
from bot.providers.pagination import Page
from bot.render.blocks import actions, button, confirm_dialog, context, divider, header, section
from bot.render.help import help_blocks
from bot.render.jobs import job_card
from bot.render.queues import queue_card, queue_change, queue_list
from bot.routing import Role

MSG = Messages("en")


def queues(count: int) -> list[Queue]:
    return [
        Queue.model_validate(
            {
                "callinId": 1001201 + n,
                "callinName": f"Tổng đài {n}",
                "strategy": 2,
                "timeWait": "90",
                "callinNumber": "19001234",
                "musicinQueue": "nhac.mp3",
                "nguongRanhRoi": "1",
                "agentSelector": "ringall",
            }
        )
        for n in range(count)
    ]


@pytest.mark.parametrize(
    ("mrkdwn", "plain"),
    [
        ("*bold* and _italic_ and ~gone~", "bold and italic and gone"),
        ("ask <@U0ADMIN1> in <#C0OPS>", "ask @U0ADMIN1 in #C0OPS"),
        ("<@U1|lan> and <#C1|ops>", "@lan and #ops"),
        ("<!here> look", "@here look"),
        (
            "see <https://x.example/a|the docs> or <https://x.example>",
            "see the docs (https://x.example/a) or https://x.example",
        ),
        ("<mailto:lan@x.example|lan@x.example>", "lan@x.example"),
        ("`/queue show <callinId>`", "/queue show <callinId>"),
        ("```\ncode block\n```", "code block"),
        ("a &lt;b&gt; &amp; c", "a <b> & c"),
        ("snake_case_name and 2*3*4", "snake_case_name and 2*3*4"),
        ("*Queue type*\nVIP", "Queue type\nVIP"),
    ],
)
def test_mrkdwn_becomes_plain_text_a_person_reads(mrkdwn: str, plain: str) -> None:
    assert mrkdwn_to_plain(mrkdwn) == plain


def test_queue_list_reads_as_lines_with_a_numbered_next_button() -> None:
    blocks = queue_list(MSG, "alohub-main", Page(queues(10), 0, 10, 25))
    rendered = render_blocks(blocks)
    lines = rendered.text.splitlines()
    assert lines[0] == "Inbound queues — alohub-main"
    assert set(lines[1]) == {"─"} and len(lines[1]) == width(lines[0])
    assert "Tổng đài 0 · #1001201 · VIP · wait 90 seconds (1 min 30 s) · number 19001234" in lines
    assert "  Page 1 of 3 · 25 in all" in lines
    assert "[1] Next ▶" in lines
    assert "*" not in rendered.text and "`" not in rendered.text
    [next_button] = rendered.buttons
    assert (next_button.number, next_button.label, next_button.action_id) == (
        1,
        "Next ▶",
        "page_next",
    )


def test_buttons_are_numbered_from_where_the_screen_left_off() -> None:
    blocks = queue_list(MSG, "alohub-main", Page(queues(10), 1, 10, 25))
    rendered = render_blocks(blocks, first_number=4)
    assert "[4] ◀ Previous  [5] Next ▶" in rendered.text
    assert [b.action_id for b in rendered.buttons] == ["page_prev", "page_next"]


def test_queue_card_fields_read_label_colon_value() -> None:
    text = render_blocks(queue_card(MSG, "alohub-main", queues(1)[0])).text
    assert "Queue Tổng đài 0" in text
    assert "  Queue type: VIP" in text
    assert "  Maximum wait: 90 seconds (1 min 30 s)" in text
    assert "  Announce position to callers: on" in text


def test_before_and_after_ends_with_a_divider() -> None:
    before, after = queues(1)[0], queues(1)[0].model_copy(update={"strategy": 1})
    text = render_blocks(queue_change(MSG, before, after)).text
    assert "Queue type: VIP → normal" in text
    assert text.splitlines()[-1] == "─" * 40


def test_job_card_shows_its_progress_bar_and_buttons() -> None:
    job = SimpleNamespace(
        ref="J7",
        state="running",
        connection="aicc",
        campaign="C1",
        total=10,
        reason=None,
        creator="U0OPS1",
        source="list.csv",
        list_name=None,
        created_at=datetime(2026, 12, 6, 7, 0, tzinfo=UTC),
        finished_at=None,
    )
    rendered = render_blocks(job_card(MSG, job, {"accepted": 4, "rejected": 1, "pending": 5}))
    assert "▓▓▓▓▓▓▓▓▓▓░░░░░░░░░░ 50%" in rendered.text
    assert "[1] Refresh  [2] Cancel import" in rendered.text
    assert [b.element["value"] for b in rendered.buttons] == ["J7", "J7"]


def test_help_lists_usage_lines_without_markup() -> None:
    usages = [("`/queue show <callinId>`", "/queue", Role.OPERATOR)]
    text = render_blocks(help_blocks(MSG, usages, Role.ADMIN, [("aicc", "aicallcenter")])).text
    assert "• /queue show <callinId>" in text
    assert "You are an admin here." in text


def test_every_kind_of_block_has_a_text_form() -> None:
    danger = confirm_dialog("Delete?", "It cannot be undone.", "Delete", "Keep")
    blocks = [
        header("Title"),
        section(
            "text", fields=["*A*\n1", "*B*\n2"], accessory=button("Open", "open_it", {"id": 3})
        ),
        context("small print", "more"),
        divider(),
        actions(button("Delete", "delete_it", "x", style="danger", confirm=danger)),
        {"type": "image", "image_url": "https://x.example/chart.png", "alt_text": "chart"},
        {
            "type": "rich_text",
            "elements": [
                {
                    "type": "rich_text_section",
                    "elements": [
                        {"type": "text", "text": "hi "},
                        {"type": "user", "user_id": "U1"},
                    ],
                }
            ],
        },
    ]
    rendered = render_blocks(blocks)
    assert rendered.text.splitlines() == [
        "Title",
        "─────",
        "text",
        "  A: 1",
        "  B: 2",
        "  [1] Open",
        "  small print · more",
        "─" * 40,
        "[2] Delete",
        "[chart]",
        "hi @U1",
    ]
    assert rendered.buttons[1].confirm == danger


def test_a_message_without_blocks_shows_its_text() -> None:
    assert render_message("*done* for <@U1>", []).text == "done for @U1"
