"""``/contact add`` of a phone already in the list or the CRM says so and makes no second copy."""

from __future__ import annotations

import json
from typing import Any

from tests.harness.signing import select_state, text_state
from tests.jobs.providers import at_provider
from tests.slack.conftest import Harness


def _text(message: dict[str, Any]) -> str:
    blocks = message.get("blocks") or []
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    return message.get("text", "") + json.dumps(blocks, ensure_ascii=False)


def _calls(harness: Harness, provider: str, method: str, path: str) -> list[Any]:
    return [
        r
        for r in harness.sandbox.requests(provider)
        if r.method == method and r.path.endswith(path)
    ]


def _seeded_crm_contact(harness: Harness) -> dict[str, Any]:
    return next(c for c in harness.sandbox.omicall.contacts.values() if c.get("refId"))


async def test_adding_a_phone_the_crm_has_offers_an_update_instead_of_a_second_contact(
    harness: Harness,
):
    existing = _seeded_crm_contact(harness)
    phone = existing["phones"][0]["data"]
    old_name = existing["fullName"]
    reply = await harness.reply("/contact", f"add {phone} Phạm Thị Mới via=crm")
    text = _text(reply)
    assert f"already has {phone}: *{old_name}* (id `{existing['id']}`)" in text, text
    assert "Nothing was added, so there is still one contact" in text
    assert f"change its name from *{old_name}* to *Phạm Thị Mới*" in text
    assert _calls(harness, "omicall", "POST", "/api/contacts/add") == []
    assert at_provider(harness.sandbox, "crm")[phone] == 1

    block = next(b for b in reply["blocks"] if b["type"] == "actions")
    button = block["elements"][0]
    assert button["text"]["text"] == "Update the existing contact"
    ack = await harness.slack.block_action(button["action_id"], button["value"])
    tag = ack.response_url.rsplit("/", 1)[-1]
    done = await harness.fake.wait_for("response_url", predicate=lambda c: c.tag == tag)
    assert f"Updated the CRM contact {phone} (id `{existing['id']}`)" in done.args["text"]
    assert "its name is now *Phạm Thị Mới*. No second contact was created." in done.args["text"]
    [update] = _calls(harness, "omicall", "POST", "/api/contacts/update")
    assert update.json == {"refId": existing["refId"], "fullName": "Phạm Thị Mới"}
    assert existing["fullName"] == "Phạm Thị Mới" and existing["phones"][0]["data"] == phone
    assert at_provider(harness.sandbox, "crm")[phone] == 1
    assert _calls(harness, "omicall", "POST", "/api/contacts/add") == []


async def test_a_new_phone_is_still_created_in_the_crm(harness: Harness):
    reply = await harness.reply("/contact", "add 0912000111 Võ Văn Tư via=crm")
    assert "Created the contact 0912000111 (Võ Văn Tư) in the CRM" in reply["text"]
    assert [r.query for r in _calls(harness, "omicall", "GET", "/api/contacts/get")] == [
        {"phone": "0912000111"}
    ]
    assert at_provider(harness.sandbox, "crm")["0912000111"] == 1


async def test_the_add_modal_on_the_crm_also_offers_the_update(harness: Harness):
    existing = _seeded_crm_contact(harness)
    phone = existing["phones"][0]["data"]
    ack = await harness.slack.view_submission(
        "contact_add",
        {
            "connection": {"value": select_state("crm")},
            "campaign": {"value": text_state(None)},
            "phone": {"value": text_state(phone)},
            "name": {"value": text_state("Đỗ Văn Năm")},
            "list": {"value": text_state(None)},
        },
        private_metadata=harness.sealed("contact_add", '{"channel": "C0OPS"}'),
    )
    assert ack.json_body == {"response_action": "clear"}
    posted = (await harness.fake.wait_for("chat.postEphemeral")).args
    assert f"already has {phone}" in _text(posted) and "contact_crm_update" in _text(posted)
    assert _calls(harness, "omicall", "POST", "/api/contacts/add") == []
    assert at_provider(harness.sandbox, "crm")[phone] == 1


async def test_adding_a_phone_already_in_the_alohub_list_reports_that_contact(harness: Harness):
    first_list = harness.sandbox.alohub.campaigns[101].lists[0]
    contact = next(c for c in first_list.contacts if c.name)
    reply = await harness.reply("/contact", f"add {contact.phoneNumber} campaign=101")
    text = reply["text"]
    assert (
        f"{contact.phoneNumber} is already in list “{first_list.listName}” of campaign 101" in text
    )
    assert f"(contact `{contact.contactId}` · {contact.name} · " in text
    assert "nothing was added" in text
    assert _calls(harness, "alohub", "POST", "/v1/campaigns/101/contacts") == []
    assert at_provider(harness.sandbox, "alohub-main", "101")[contact.phoneNumber] == 1


async def test_a_phone_in_another_list_is_added_to_the_list_asked_for(harness: Harness):
    lists = harness.sandbox.alohub.campaigns[101].lists
    contact = lists[0].contacts[0]
    reply = await harness.reply(
        "/contact", f"add {contact.phoneNumber} campaign=101 list={lists[1].listId}"
    )
    assert reply["text"].startswith(f"✅ Added {contact.phoneNumber} to campaign *101*")
    assert sum(c.phoneNumber == contact.phoneNumber for c in lists[1].contacts) == 1
