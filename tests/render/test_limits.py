"""Rendering stays within Slack's limits on large inputs, and says so when it cannot show all."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest

from bot.messages import Messages
from bot.providers.pagination import Page
from bot.render.blocks import MESSAGE_BLOCKS, TEXT_LIMIT
from bot.render.contacts import contact_lists, list_contacts, search_results
from bot.render.help import help_blocks
from bot.render.queues import queue_list
from bot.routing import Role

msg = Messages("vi")


def _texts(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["text"]] if isinstance(node.get("text"), str) else []
        return found + [t for value in node.values() for t in _texts(value)]
    if isinstance(node, list):
        return [t for item in node for t in _texts(item)]
    return []


def assert_within_limits(blocks: list[dict[str, Any]]) -> None:
    assert len(blocks) <= MESSAGE_BLOCKS
    for text in _texts(blocks):
        assert len(text) <= TEXT_LIMIT


def test_three_thousand_contact_lists_fit_and_say_how_many_are_not_shown() -> None:
    lists = [
        SimpleNamespace(list_name=f"Danh sách tháng {n} " * 3, list_id=n, contact_count=n)
        for n in range(3000)
    ]
    blocks = contact_lists(msg, "alohub-main", "101", lists)
    assert_within_limits(blocks)
    assert "danh sách khác không hiển thị" in json.dumps(blocks, ensure_ascii=False)


def test_a_page_of_long_queue_names_fits() -> None:
    queues = [
        SimpleNamespace(
            callin_name="Hàng chờ " * 40,
            callin_id=n,
            strategy=1,
            time_wait="120",
            callin_number="02838123456",
        )
        for n in range(10)
    ]
    assert_within_limits(queue_list(msg, "alohub-main", Page(queues, 3, 10, 90)))


def test_search_and_list_pages_fit() -> None:
    phone = SimpleNamespace(data="0912345678")
    contacts = [
        SimpleNamespace(full_name="Nguyễn Văn An " * 20, id=str(n), phones=[phone] * 5, emails=[])
        for n in range(10)
    ]
    assert_within_limits(search_results(msg, "crm", "an", Page(contacts, 0, 10, 50)))
    rows = [
        SimpleNamespace(
            contact_id=n,
            phone_number="0912345678",
            name="Trần Thị B " * 5,
            process_status=n % 3,
            call_status="ANSWERED",
        )
        for n in range(10)
    ]
    assert_within_limits(list_contacts(msg, "alohub-main", "101", "501", Page(rows, 0, 10, 30)))


@pytest.mark.parametrize("role", list(Role))
def test_help_fits_for_every_role(role: Role) -> None:
    commands = [(f"`/cmd{n} " + "x" * 150 + "`", "/cmd", Role(n % 3)) for n in range(60)]
    assert_within_limits(help_blocks(msg, commands, role, [("alohub-main", "alohub")]))


def test_usage_placeholders_are_escaped_but_mentions_and_links_are_kept() -> None:
    from bot.render.blocks import escape

    assert escape("`/queue show <callinId>` & more") == "`/queue show &lt;callinId&gt;` &amp; more"
    assert escape("<@U0ADMIN1> in <#C0OPS> see <https://x.example|docs>") == (
        "<@U0ADMIN1> in <#C0OPS> see <https://x.example|docs>"
    )
