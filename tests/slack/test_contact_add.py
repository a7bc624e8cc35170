"""``/contact add`` and the *Add contact* modal over signed HTTP, on each provider."""

from __future__ import annotations

from typing import Any

import pytest

from commands import ROUTER, contact_add
from tests.harness.signing import select_state, text_state
from tests.jobs.e2e import eventually
from tests.jobs.providers import at_provider
from tests.slack.conftest import Harness

# Until commands/__init__.py includes it (idempotent once it does).
ROUTER.include(contact_add.router)


@pytest.mark.parametrize(
    ("via", "campaign", "words"),
    [
        ("alohub-main", "101", "the provider said: “Contact added to list 501”"),
        ("vbee", "vbee-cmp-1", "(id `"),
        ("aicc", "cmp-hn-01", "(id `"),
    ],
)
async def test_contact_add_puts_one_contact_in_the_campaign(
    harness: Harness, via: str, campaign: str, words: str
):
    reply = await harness.reply(
        "/contact", f"add 091 234 5678 Nguyễn Văn An campaign={campaign} via={via}"
    )
    text = reply["text"]
    assert text.startswith("✅ Added 0912345678 (Nguyễn Văn An)") and words in text, text
    assert at_provider(harness.sandbox, via, campaign)["0912345678"] == 1


async def test_contact_add_on_omicall_creates_a_crm_contact(harness: Harness):
    reply = await harness.reply("/contact", "add 0912345679 Trần Thị Bình via=crm")
    assert "Created the contact 0912345679 (Trần Thị Bình) in the CRM" in reply["text"]
    assert at_provider(harness.sandbox, "crm")["0912345679"] == 1


async def test_contact_add_refused_by_the_provider_says_why(harness: Harness):
    reply = await harness.reply("/contact", "add 0912345670 campaign=cmp-otp-02 via=aicc")
    assert reply["text"].startswith("❌ `aicc` did not add 0912345670")
    assert "otp_code is missing" in reply["text"]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("add 123 campaign=101", "`123` cannot be added: too few digits"),
        ("add 0912345678", "Enter the campaign id"),
        ("add 0912345678 campaign=abc", "`abc` is not an Alohub campaign id"),
        ("add 0912345678 campaign=vbee-cmp-1 list=5 via=vbee", "does not use `list=`"),
        ("add 0912345678 campaign=101 list=x", "`x` is not a list id"),
    ],
)
async def test_contact_add_mistakes_answer_with_the_usage(harness: Harness, text: str, words: str):
    before = len(harness.sandbox.requests("alohub")) + len(harness.sandbox.requests("vbee"))
    reply = await harness.reply("/contact", text)
    assert words in reply["text"] and "Usage: `/contact add " in reply["text"]
    after = len(harness.sandbox.requests("alohub")) + len(harness.sandbox.requests("vbee"))
    assert after == before


def _modal_state(connection: str, campaign: str | None, phone: str | None) -> dict[str, Any]:
    return {
        "connection": {"value": select_state(connection)},
        "campaign": {"value": text_state(campaign)},
        "phone": {"value": text_state(phone)},
        "name": {"value": text_state("Lê Văn Chi")},
        "list": {"value": text_state(None)},
    }


async def test_contact_add_modal_adds_the_contact_and_tells_the_user(harness: Harness):
    ack = await harness.command("/contact", "add")
    assert ack.status == 200
    opened = await harness.fake.wait_for("views.open")
    view = opened.args["view"]
    assert view["callback_id"] == "contact_add"
    assert [b["block_id"] for b in view["blocks"]] == [
        "connection",
        "campaign",
        "phone",
        "name",
        "list",
    ]
    ack = await harness.slack.view_submission(
        "contact_add",
        _modal_state("aicc", "cmp-hn-01", "0987654321"),
        private_metadata=view["private_metadata"],
    )
    assert ack.json_body == {"response_action": "clear"}
    told = await harness.fake.wait_for("chat.postEphemeral")
    assert told.args["text"].startswith("✅ Added 0987654321 (Lê Văn Chi) to campaign *cmp-hn-01*")
    await eventually(lambda: at_provider(harness.sandbox, "aicc")["0987654321"] == 1)


async def test_contact_add_modal_shows_a_bad_phone_next_to_the_phone(harness: Harness):
    ack = await harness.slack.view_submission(
        "contact_add",
        _modal_state("vbee", "vbee-cmp-1", "12"),
        private_metadata=harness.sealed("contact_add", '{"channel": "C0OPS"}'),
    )
    assert ack.json_body["response_action"] == "errors"
    assert "too few digits" in ack.json_body["errors"]["phone"]
