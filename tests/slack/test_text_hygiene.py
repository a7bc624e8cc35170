"""Text that is safe and fits, over signed HTTP: what users type is cleaned before a provider
sees it, user and provider text never pings, links or formats, and every message fits."""

from __future__ import annotations

from typing import Any

from commands import ROUTER, contact_add
from tests.jobs.data import csv_bytes, phones
from tests.jobs.e2e import confirm, finished_job, import_file, running_bot, view_text
from tests.slack.conftest import Harness, mrkdwn_shown

ROUTER.include(contact_add.router)

LONG_NAME = "Nguyễn" + "A" * 40_000
MARKUP = "<!channel> <@U123> *bold* <http://evil|x>"


def _alohub_names(harness: Harness, phone: str) -> list[str | None]:
    return [c.name for c in harness.sandbox.alohub.contacts(101) if c.phoneNumber == phone]


_shown = mrkdwn_shown


def _assert_inert(text: str) -> None:
    for raw in ("<!channel>", "<@U123>", "*bold*", "<http://evil|x>"):
        assert raw not in text, text
    assert "‹!channel›" in text and "‹@U123›" in text and "∗bold∗" in text, text


async def test_nul_and_bidi_override_typed_in_a_name_never_reach_the_provider_or_reply(
    harness: Harness,
):
    reply = await harness.reply("/contact", "add 0912345678 Ng\u0000uy\u202eễn campaign=101")
    assert reply["text"].startswith("✅ Added 0912345678 (Nguyễn)"), reply["text"]
    assert _alohub_names(harness, "0912345678") == ["Nguyễn"]


async def test_a_40_kb_name_is_refused_naming_the_limit_and_nothing_is_sent(harness: Harness):
    reply = await harness.reply("/contact", f"add 0912345678 {LONG_NAME} campaign=101")
    text = reply["text"]
    assert "a name can have at most 200" in text and "Nothing was added" in text, text[:300]
    assert len(text) < 3000
    assert _alohub_names(harness, "0912345678") == []


async def test_a_40_kb_note_is_refused_naming_the_limit(harness: Harness):
    contact = next(iter(harness.sandbox.omicall.contacts.values()))
    before = len(harness.sandbox.omicall.notes)
    reply = await harness.reply("/contact", f"note {contact['phones'][0]['data']} {'x' * 40_000}")
    assert "a note can have at most 2000" in reply["text"], reply["text"][:300]
    assert len(harness.sandbox.omicall.notes) == before


async def test_a_list_page_with_a_40_kb_name_shows_every_other_contact_and_the_name_cut(
    harness: Harness,
):
    contact_list = harness.sandbox.alohub.campaigns[101].lists[0]
    contact_list.contacts[1].name = LONG_NAME  # stored at the provider by someone else
    reply = await harness.reply("/contact", f"list campaign=101 list={contact_list.listId}")
    text = _shown(reply)
    for contact in contact_list.contacts[:10]:  # the first page
        assert contact.phoneNumber in text, contact.phoneNumber
    assert "NguyễnAAAA" in text and "A…" in text and LONG_NAME not in text


async def test_markup_in_a_typed_contact_name_never_pings_links_or_formats(harness: Harness):
    reply = await harness.reply("/contact", f"add 0912345677 {MARKUP} campaign=101")
    _assert_inert(_shown(reply))
    # The provider gets the name as typed: escaping is for what Slack shows, not for data.
    assert _alohub_names(harness, "0912345677") == [MARKUP]


async def test_markup_in_a_crm_name_and_note_never_pings_links_or_formats(harness: Harness):
    contact = next(iter(harness.sandbox.omicall.contacts.values()))
    contact["fullName"] = MARKUP
    contact["note"] = MARKUP
    found = await harness.reply("/contact", f"find {contact['phones'][0]['data']}")
    _assert_inert(_shown(found))
    card = await harness.reply("/contact", f"show {contact['id']}")
    text = _shown(card)
    assert "*Note*: ‹!channel›" in text, text  # our own formatting stays
    _assert_inert(text)


async def test_markup_and_controls_in_file_cells_never_ping_and_never_reach_the_provider(
    sandbox: Any, tmp_path: Any
):
    valid = phones(3, seed=11)
    rows = [
        (valid[0], "Trần\x07 Thị\u202e B"),
        (valid[1], MARKUP),
        (valid[2], "N" * 201),
        ("<!channel> *bold*", "Lỗi"),
    ]
    async with running_bot(sandbox, tmp_path) as h:
        view = await import_file(h, "alohub-main", csv_bytes(rows), "list.csv")
        text = view_text(view)
        assert "2 valid" in text and "2 invalid" in text, text
        assert "the name is longer than 200 characters" in text, text
        assert "<!channel>" not in text and "*bold*" not in text and "‹!channel› ∗bold∗" in text
        await confirm(h, view)
        job = await finished_job(h)
        assert job.state == "done"
        names = {c.phoneNumber: c.name for c in sandbox.alohub.contacts(103)}
        assert names[valid[0]] == "Trần Thị B" and names[valid[1]] == MARKUP
        assert valid[2] not in names
        final = [c.args for c in h.fake.calls_to("chat.update") if c.args["ts"] == job.message_ts]
        assert "<!channel>" not in _shown(final[-1])


async def test_every_recorded_message_is_checked_against_slacks_limits(harness: Harness):
    await harness.reply("/callops")
    assert harness.fake.limit_violations() == []
    harness.fake.calls[-1].args["text"] = "x" * 40_001  # as if the bot had sent it
    assert "text has 40001 characters (limit 40000)" in harness.fake.limit_violations()[0]
    harness.fake.calls[-1].args["text"] = "Ng\u0000uyễn"
    assert "control or bidi" in harness.fake.limit_violations()[0]
    harness.fake.calls.pop()  # the suite-wide check at teardown sees only what was sent


async def test_markup_in_a_queue_s_provider_fields_never_pings_links_or_formats(harness: Harness):
    alohub = harness.sandbox.alohub
    queue = next(q for q in alohub.queues.values() if q.tenant_id == alohub.tenant_id)
    queue.musicinQueue = MARKUP
    reply = await harness.reply("/queue", f"show {queue.callinId}")
    _assert_inert(_shown(reply))


async def test_a_40_kb_search_is_refused_naming_the_limit(harness: Harness):
    reply = await harness.reply("/contact", f"find {'x' * 40_000}")
    assert "search for at most 200" in reply["text"], reply["text"][:300]
