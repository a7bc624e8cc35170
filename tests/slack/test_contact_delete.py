"""``/contact delete``: the confirm shows who is deleted; a contact not pending is refused first."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.slack.conftest import ADMIN, Harness


def _contacts(harness: Harness, campaign: int = 101) -> list[Any]:
    return [c for lst in harness.sandbox.alohub.campaigns[campaign].lists for c in lst.contacts]


def _deletes(harness: Harness) -> list[Any]:
    return [r for r in harness.sandbox.requests("alohub") if r.method == "DELETE"]


def _text(message: dict[str, Any]) -> str:
    return message.get("text", "") + json.dumps(message.get("blocks") or [], ensure_ascii=False)


async def test_the_delete_confirm_shows_the_phone_name_and_status(harness: Harness):
    pending = next(c for c in _contacts(harness) if c.processStatus == 0 and c.name)
    reply = await harness.reply("/contact", f"delete {pending.contactId} campaign=101", user=ADMIN)
    text = _text(reply)
    assert f"`{pending.contactId}` · {pending.phoneNumber} · {pending.name}" in text, text
    assert "⏳ waiting to be called" in text and "Danh sách tháng 4" in text
    button = reply["blocks"][-1]["elements"][0]
    assert f"{pending.phoneNumber} ({pending.name}, contact {pending.contactId}" in json.dumps(
        button["confirm"], ensure_ascii=False
    )
    assert _deletes(harness) == []
    ack = await harness.slack.block_action("contact_delete_confirm", button["value"], user_id=ADMIN)
    tag = ack.response_url.rsplit("/", 1)[-1]
    done = await harness.fake.wait_for("response_url", predicate=lambda c: c.tag == tag)
    assert "was deleted" in done.args["text"]
    assert [r.path for r in _deletes(harness)] == [
        f"/v1/campaigns/101/contacts/{pending.contactId}"
    ]


@pytest.mark.parametrize(("status", "words"), [(1, "📞 in a call"), (2, "✅ called")])
async def test_a_contact_not_pending_is_refused_before_any_confirm(
    harness: Harness, status: int, words: str
):
    contact = next(c for c in _contacts(harness) if c.processStatus == status)
    reply = await harness.reply("/contact", f"delete {contact.contactId} campaign=101", user=ADMIN)
    text = reply["text"]
    assert f"Contact `{contact.contactId}` ({contact.phoneNumber}" in text
    assert f"cannot be deleted: its status is {words}" in text, text
    assert "contact_delete_confirm" not in _text(reply)
    assert _deletes(harness) == []
    assert any(c.contactId == contact.contactId for c in _contacts(harness))


async def test_an_id_not_in_the_campaign_is_said_so_and_nothing_is_deleted(harness: Harness):
    other = _contacts(harness, 102)[0]
    reply = await harness.reply("/contact", f"delete {other.contactId} campaign=101", user=ADMIN)
    assert f"There is no contact `{other.contactId}` in campaign 101" in reply["text"]
    assert "contact_delete_confirm" not in _text(reply) and _deletes(harness) == []
