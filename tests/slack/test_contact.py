"""``/contact`` end to end: CRM search/show/note on OMICall, lists/list/delete on Alohub."""

from __future__ import annotations

import json

from tests.slack.conftest import ADMIN, Harness


def _blocks_text(reply: dict) -> str:
    return json.dumps(reply.get("blocks") or [], ensure_ascii=False) + reply.get("text", "")


def _crm_contact(harness: Harness) -> dict:
    return next(iter(harness.sandbox.omicall.contacts.values()))


async def test_contact_find_by_name_lists_the_matching_crm_contacts(harness: Harness):
    contact = _crm_contact(harness)
    surname = contact["fullName"].split()[-1]
    reply = await harness.reply("/contact", f"find {surname}")
    text = _blocks_text(reply)
    expected = [
        c
        for c in harness.sandbox.omicall.contacts.values()
        if surname.casefold() in c["fullName"].casefold()
    ]
    assert f"{len(expected)} contacts match" in reply["text"]
    assert str(contact["id"]) in text


async def test_contact_find_pages_with_next_and_previous(harness: Harness):
    reply = await harness.reply("/contact", "find 0")  # every phone contains a 0
    pager = next(b for b in reply["blocks"] if b.get("block_id") == "pager")
    assert [e["action_id"] for e in pager["elements"]] == ["page_next"]
    ack = await harness.slack.block_action("page_next", pager["elements"][0]["value"])
    tag = ack.response_url.rsplit("/", 1)[-1]
    page2 = await harness.fake.wait_for("response_url", predicate=lambda c: c.tag == tag)
    actions = next(b for b in page2.args["blocks"] if b.get("block_id") == "pager")["elements"]
    assert actions[0]["action_id"] == "page_prev"
    assert "Page 2 of" in json.dumps(page2.args["blocks"])


async def test_contact_find_with_nothing_matching_says_so_and_how_to_search(harness: Harness):
    reply = await harness.reply("/contact", "find zzzz-nobody")
    assert "No contact on `crm` matches" in _blocks_text(reply)


async def test_contact_show_renders_the_card(harness: Harness):
    contact = _crm_contact(harness)
    reply = await harness.reply("/contact", f"show {contact['id']}")
    text = _blocks_text(reply)
    assert contact["fullName"] in text and "Phones" in text


async def test_contact_show_of_an_unknown_id_says_not_found(harness: Harness):
    reply = await harness.reply("/contact", "show does-not-exist")
    assert "`crm` could not find that" in reply["text"]


async def test_contact_note_is_signed_with_the_callers_email(harness: Harness):
    contact = _crm_contact(harness)
    phone = contact["phones"][0]["data"]
    harness.fake.add_user("U0OPS1", "op", "op@example.vn")
    reply = await harness.reply("/contact", f"note {phone} gọi lại sau 5h, mã=42")
    assert "Note added" in reply["text"] and "op@example.vn" in reply["text"]
    note = harness.sandbox.omicall.notes[-1]
    assert note["content"] == "gọi lại sau 5h, mã=42" and note["note_by"] == "op@example.vn"


async def test_contact_note_with_a_bad_phone_answers_the_reason_and_usage(harness: Harness):
    reply = await harness.reply("/contact", "note 12345 hello")
    assert "too few digits" in reply["text"] and "Usage: `/contact note" in reply["text"]


async def test_contact_lists_shows_the_campaign_lists(harness: Harness):
    campaign = harness.sandbox.alohub.campaigns[101]
    reply = await harness.reply("/contact", "lists campaign=101")
    text = _blocks_text(reply)
    for contact_list in campaign.lists:
        assert str(contact_list.listId) in text and contact_list.listName in text


async def test_contact_lists_without_a_campaign_answers_usage(harness: Harness):
    reply = await harness.reply("/contact", "lists")
    assert "campaign=&lt;id&gt;" in reply["text"] and "Example:" in reply["text"]


async def test_contact_list_shows_process_status_in_words(harness: Harness):
    contact_list = harness.sandbox.alohub.campaigns[101].lists[0]
    reply = await harness.reply("/contact", f"list campaign=101 list={contact_list.listId}")
    text = _blocks_text(reply)
    first = contact_list.contacts[0]
    assert first.phoneNumber in text
    assert any(word in text for word in ("waiting to be called", "in a call", "called"))


async def test_contact_delete_asks_then_deletes_a_pending_contact(harness: Harness):
    lists = harness.sandbox.alohub.campaigns[101].lists
    pending = next(c for lst in lists for c in lst.contacts if c.processStatus == 0)
    reply = await harness.reply("/contact", f"delete {pending.contactId} campaign=101", user=ADMIN)
    button = reply["blocks"][-1]["elements"][0]
    assert button["action_id"] == "contact_delete_confirm" and "confirm" in button
    assert any(c.contactId == pending.contactId for lst in lists for c in lst.contacts)
    ack = await harness.slack.block_action("contact_delete_confirm", button["value"], user_id=ADMIN)
    tag = ack.response_url.rsplit("/", 1)[-1]
    done = await harness.fake.wait_for("response_url", predicate=lambda c: c.tag == tag)
    assert "was deleted" in done.args["text"]
    assert not any(c.contactId == pending.contactId for lst in lists for c in lst.contacts)


async def test_contact_delete_of_a_called_contact_is_refused_with_the_reason(harness: Harness):
    lists = harness.sandbox.alohub.campaigns[101].lists
    called = next(c for lst in lists for c in lst.contacts if c.processStatus == 2)
    value = json.dumps(
        {"connection": "alohub-main", "campaign": "101", "contact": str(called.contactId)}
    )
    ack = await harness.slack.block_action("contact_delete_confirm", value, user_id=ADMIN)
    tag = ack.response_url.rsplit("/", 1)[-1]
    done = await harness.fake.wait_for("response_url", predicate=lambda c: c.tag == tag)
    assert "cannot be deleted" in done.args["text"]


async def test_contact_delete_button_pressed_by_an_operator_is_refused(harness: Harness):
    value = json.dumps({"connection": "alohub-main", "campaign": "101", "contact": "1"})
    ack = await harness.slack.block_action("contact_delete_confirm", value, user_id="U0OPS1")
    tag = ack.response_url.rsplit("/", 1)[-1]
    done = await harness.fake.wait_for("response_url", predicate=lambda c: c.tag == tag)
    assert "Only admins" in done.args["text"]


async def test_typed_markup_cannot_ping_the_channel(harness: Harness):
    reply = await harness.reply("/contact", "find <!channel>")
    text = _blocks_text(reply)
    assert "<!channel>" not in text and "‹!channel›" in text


async def test_contact_list_pages_forward_with_the_next_button(harness: Harness):
    contact_list = harness.sandbox.alohub.campaigns[101].lists[0]  # 150 contacts
    reply = await harness.reply("/contact", f"list campaign=101 list={contact_list.listId}")
    pager = next(b for b in reply["blocks"] if b.get("block_id") == "pager")
    (next_button,) = pager["elements"]
    assert next_button["action_id"] == "page_next"
    ack = await harness.slack.block_action("page_next", next_button["value"])
    tag = ack.response_url.rsplit("/", 1)[-1]
    call = await harness.fake.wait_for("response_url", predicate=lambda c: c.tag == tag)
    page_two = _blocks_text(call.args)
    assert contact_list.contacts[0].phoneNumber not in page_two
    assert "Page 2 of" in page_two and call.args["replace_original"] is True
