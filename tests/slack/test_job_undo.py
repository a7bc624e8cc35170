"""``/job undo``: an Alohub import's contacts nobody has called yet are taken back, after a
confirm; those already called or in a call stay and are listed; nothing of anyone else's
is touched, nothing is deleted twice, and a restart mid-undo resumes it."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest

from bot.errors import ProviderFault
from bot.jobs.senders import AlohubSender
from bot.sandbox.alohub_models import Contact, ContactList
from tests.harness.fake_slack import FakeSlack
from tests.jobs.data import contact_list, csv_bytes, phones
from tests.jobs.e2e import (
    FINAL,
    confirm,
    csv_rows,
    eventually,
    finished_job,
    import_file,
    running_bot,
)
from tests.slack.conftest import ADMIN, OPERATOR, OPS_CHANNEL, Harness

CAMPAIGN = 103
OTHER_OPERATOR = "U0OPS2"
OTHER_CHANNEL = "C0OPS2"  # bound to alohub-main too
SETUP = {
    "batch_sizes": {"alohub-main": 10},
    "operators": [OPERATOR, OTHER_OPERATOR],
}

WORDS = {
    "en": {
        "confirm": "the bot will try to take back *30* rows",
        "started": "J2 is undoing J1",
        "final": "*Undo J2 of J1 is done*: 27 contacts removed from campaign 103. 2 could not "
        "be removed because they were already called or in a call.",
        "csv": "The 2 contacts left in the campaign are in the CSV in this thread.",
        "not_found": "1 of J1's phones are not in its lists",
        "header": ["line", "phone", "name", "contact id", "why it stays"],
        "in_call": "in a call",
        "processed": "already called",
        "second": "*Undo J3 of J1 removed nothing*: none of J1's contacts in campaign 103 is "
        "still waiting to be called. 2 were already called or in a call.",
    },
    "vi": {
        "confirm": "bot sẽ thử rút lại *30* dòng",
        "started": "J2 đang hoàn tác J1",
        "final": "*Hoàn tác J2 của J1 đã xong*: đã xoá 27 liên hệ khỏi chiến dịch 103. 2 liên hệ "
        "không xoá được vì đã được gọi hoặc đang gọi.",
        "csv": "2 liên hệ còn lại trong chiến dịch có trong tệp CSV ở luồng này.",
        "not_found": "1 số điện thoại của J1 không có trong các danh sách của nó",
        "header": ["dòng", "số điện thoại", "họ tên", "mã liên hệ", "lý do giữ lại"],
        "in_call": "đang gọi",
        "processed": "đã gọi xong",
        "second": "*Hoàn tác J3 của J1 không xoá gì*: không liên hệ nào của J1 trong chiến dịch "
        "103 còn chờ gọi. 2 liên hệ đã được gọi hoặc đang gọi.",
    },
}


def _text(message: dict[str, Any]) -> str:
    return message.get("text", "") + json.dumps(message.get("blocks") or [], ensure_ascii=False)


def _button(message: dict[str, Any], action_id: str) -> dict[str, Any]:
    return next(
        element
        for block in message.get("blocks") or []
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == action_id
    )


async def _press(
    h: Harness,
    button: dict[str, Any],
    *,
    user: str = OPERATOR,
    channel: str = OPS_CHANNEL,
) -> dict[str, Any]:
    ack = await h.slack.block_action(
        button["action_id"], button["value"], user_id=user, channel_id=channel
    )
    assert ack.status == 200
    tag = ack.response_url.rsplit("/", 1)[-1]
    return (await h.fake.wait_for("response_url", predicate=lambda c: c.tag == tag)).args


def _deletes(h: Harness) -> list[str]:
    """The contact ids Alohub was asked to delete, in order."""
    return [r.path.rsplit("/", 1)[-1] for r in h.sandbox.requests("alohub") if r.method == "DELETE"]


def _in_campaign(h: Harness) -> dict[str, Contact]:
    return {c.phoneNumber: c for c in h.sandbox.alohub.contacts(CAMPAIGN)}


async def _undone(h: Harness, job_id: int, *, within: float = 30.0) -> Any:
    """Undo job ``job_id`` once it ended and its totals were posted."""

    async def posted() -> Any:
        job = await h.bot.services.store.job(job_id)
        done = job is not None and job.state in FINAL and not job.final_owed
        return job if done and await delivered(job.channel) else None

    async def delivered(channel: str) -> bool:
        """The outbox sent every message stored for the channel (the totals among them)."""
        outbox = h.bot.runtime.outbox
        if outbox is None:
            return True
        return all(row.state == "sent" for row in await outbox.rows.rows(channel))

    return await eventually(posted, within=within, what=f"the totals of J{job_id}")


async def _imported(h: Harness, content: bytes, **kwargs: Any) -> Any:
    """J1 sent to Alohub and done."""
    await confirm(h, await import_file(h, "alohub-main", content, list_name="DS thang 4", **kwargs))
    job = await finished_job(h, 1)
    assert job.state == "done"
    return job


def _already_there(h: Harness, phone: str) -> None:
    """A contact someone else added to the campaign before the import (another list)."""
    state = h.sandbox.alohub
    campaign = state.campaigns[CAMPAIGN]
    earlier = ContactList(state._new_list_id(), "Danh sách cũ")
    campaign.lists.append(earlier)
    state._append(campaign, earlier, phone, "Có sẵn")


async def _undo(h: Harness, ref: str = "J1", **kwargs: Any) -> dict[str, Any]:
    return await h.reply("/job", f"undo {ref}", **kwargs)


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_undo_removes_the_pending_contacts_and_lists_those_already_called(
    sandbox: Any, tmp_path: Any, language: str
):
    words = WORDS[language]
    content, valid = contact_list(30, seed=71)
    async with running_bot(sandbox, tmp_path, language=language, **SETUP) as h:
        _already_there(h, valid[5])  # Alohub skips it: in the campaign, but not J1's contact
        before_import = _in_campaign(h)[valid[5]].contactId
        await _imported(h, content)
        stranger = phones(1, seed=72)[0]
        lists = {lst.listName: lst for lst in sandbox.alohub.campaigns[CAMPAIGN].lists}
        assert {"DS thang 4 #1", "DS thang 4 #2", "DS thang 4 #3"} <= set(lists)
        # Someone adds a contact of their own to J1's list afterwards: not J1's either.
        sandbox.alohub._append(
            sandbox.alohub.campaigns[CAMPAIGN], lists["DS thang 4 #2"], stranger, None
        )
        sandbox.alohub.set_process_status(CAMPAIGN, valid[0], 1)  # in a call
        sandbox.alohub.set_process_status(CAMPAIGN, valid[1], 2, "ANSWERED")  # called
        kept_ids = {str(_in_campaign(h)[p].contactId) for p in (valid[0], valid[1])}

        asked = await _undo(h)
        assert words["confirm"] in _text(asked)
        assert _deletes(h) == [], "nothing is deleted before the confirm"

        started = await _press(h, _button(asked, "job_undo_confirm"))
        assert words["started"] in started["text"]
        undo = await _undone(h, 2)
        assert undo.state == "done" and undo.kind == "undo" and undo.undo_of == 1

        final = h.fake.messages[undo.message_ts]
        said = _text(final)
        assert words["final"] in said and words["csv"] in said and words["not_found"] in said

        upload = await eventually(
            lambda: [u for u in h.fake.uploaded_files if u["thread_ts"] == undo.message_ts],
            what="the CSV of the contacts kept",
        )
        rows = csv_rows(upload[0]["content"])
        assert rows[0] == words["header"]
        assert [(r[1], r[4]) for r in rows[1:]] == [
            (valid[0], words["in_call"]),
            (valid[1], words["processed"]),
        ]

        left = _in_campaign(h)
        assert set(left) >= {valid[0], valid[1], valid[5], stranger}
        assert not set(valid[2:5] + valid[6:]) & set(left), "every pending contact of J1 is gone"
        assert left[valid[5]].contactId == before_import
        deleted = _deletes(h)
        assert len(deleted) == 27 and max(Counter(deleted).values()) == 1
        assert not kept_ids & set(deleted), "a contact already called is never asked to go"

        # A second undo of J1 finds nothing left to delete and says so.
        again = await _undo(h)
        assert "*3* rows" in _text(again) or "*3* dòng" in _text(again)
        await _press(h, _button(again, "job_undo_confirm"))
        second = await _undone(h, 3)
        assert words["second"] in _text(h.fake.messages[second.message_ts])
        assert len(_deletes(h)) == 27, "the second undo deleted nothing"

        listed = _text(await h.reply("/job"))
        assert "*J3* · ↩️" in listed and "*J2* · ↩️" in listed


async def test_undo_of_someone_elses_job_is_refused_and_an_admin_may(sandbox: Any, tmp_path: Any):
    content, _ = contact_list(12, seed=73)
    async with running_bot(sandbox, tmp_path, **SETUP) as h:
        await _imported(h, content)
        refused = await _undo(h, user=OTHER_OPERATOR)
        assert "J1 was started by <@U0OPS1>; only they or an admin can change it." in _text(refused)
        asked = await _undo(h, user=ADMIN)
        assert "the bot will try to take back *12* rows" in _text(asked)
        assert _deletes(h) == []
        assert "`/job undo J&lt;n&gt;`" in _text(await h.reply("/callops", "help"))
        usage = _text(await h.reply("/job", "undo"))
        assert "`/job undo J&lt;n&gt;`" in usage and "`/job undo J12`" in usage


async def test_a_forged_undo_button_from_another_user_or_channel_deletes_nothing(
    sandbox: Any, tmp_path: Any
):
    content, _ = contact_list(12, seed=74)
    channels = {OPS_CHANNEL: ["alohub-main", "vbee", "aicc", "crm"], OTHER_CHANNEL: ["alohub-main"]}
    async with running_bot(sandbox, tmp_path, channels=channels, **SETUP) as h:
        await _imported(h, content)
        button = _button(await _undo(h), "job_undo_confirm")
        for user, channel in ((OTHER_OPERATOR, OPS_CHANNEL), (OPERATOR, OTHER_CHANNEL)):
            said = await _press(h, button, user=user, channel=channel)
            assert "This button was shown to someone else or in another channel" in said["text"]
        forged = {**json.loads(button["value"]), "user": OTHER_OPERATOR}
        said = await _press(h, {**button, "value": json.dumps(forged)}, user=OTHER_OPERATOR)
        assert "only they or an admin can change it" in said["text"]
        assert await h.bot.services.store.job(2) is None, "no undo job was made"
        assert _deletes(h) == []
        # The button still works for the one it was shown to, where it was shown.
        said = await _press(h, button)
        assert "J2 is undoing J1" in said["text"]
        assert (await _undone(h, 2)).state == "done"


@pytest.mark.parametrize(
    ("connection", "sentence"),
    [
        ("vbee", "whose API can only add contacts to a campaign, not remove them"),
        ("aicc", "stop campaign cmp-hn-01 in AICallCenter"),
        ("crm", "Find a contact with `/contact find &lt;phone&gt;` and delete it in OMICall"),
    ],
)
async def test_undo_of_a_job_at_a_provider_without_a_delete_says_what_to_do_instead(
    sandbox: Any, tmp_path: Any, connection: str, sentence: str
):
    content, _ = contact_list(5, seed=75)
    async with running_bot(sandbox, tmp_path) as h:
        await confirm(h, await import_file(h, connection, content))
        await finished_job(h, 1)
        said = _text(await _undo(h))
        assert sentence in said and "job_undo_confirm" not in said


async def test_undo_in_vietnamese_for_vbee_names_the_portal(sandbox: Any, tmp_path: Any):
    content, _ = contact_list(5, seed=76)
    async with running_bot(sandbox, tmp_path, language="vi") as h:
        await confirm(h, await import_file(h, "vbee", content))
        await finished_job(h, 1)
        said = _text(await _undo(h))
        assert "hãy tạm dừng chiến dịch vbee-cmp-1 trên cổng Vbee AICall" in said


async def test_a_restart_mid_undo_resumes_it_and_deletes_nothing_twice(sandbox: Any, tmp_path: Any):
    content, valid = contact_list(60, seed=77)
    # A DELETE still on its way when the bot stopped arrives within the client's timeouts:
    # the resumed undo looks such a contact up only after them (short here).
    timeouts = {"alohub-main": {"connect_timeout": 1.0, "read_timeout": 2.0}}
    async with FakeSlack() as fake:
        async with running_bot(sandbox, tmp_path, fake=fake, settings=timeouts, **SETUP) as h:
            await _imported(h, content)
            button = _button(await _undo(h), "job_undo_confirm")
            sandbox.faults("alohub").latency = 0.3  # each DELETE takes a while
            await _press(h, button)
            await eventually(lambda: len(_deletes(h)) >= 12, within=30, what="some deletes")
            # A crash: the engine gives the deletes in flight no time to be answered.
            h.bot.services.jobs.stop_grace = 0
            first = _deletes(h)
        unanswered = [
            r for r in sandbox.requests("alohub") if r.method == "DELETE" and r.status is None
        ]
        assert unanswered, "the bot stopped with deletes on their way"
        sandbox.faults("alohub").latency = 0
        async with running_bot(sandbox, tmp_path, fake=fake, settings=timeouts, **SETUP) as h:
            undo = await _undone(h, 2, within=60)
            assert undo.state == "done"
            assert "60 contacts removed" in _text(fake.messages[undo.message_ts])
            deleted = _deletes(h)
            assert len(first) < 60, "the restart came mid-undo"
            assert len(deleted) == 60 and max(Counter(deleted).values()) == 1, "none twice"
            assert not set(valid) & set(_in_campaign(h))


async def test_an_undo_cancelled_midway_says_what_stays_and_cannot_be_retried(
    sandbox: Any, tmp_path: Any
):
    content, valid = contact_list(40, seed=78)
    async with running_bot(sandbox, tmp_path, **SETUP) as h:
        await _imported(h, content)
        button = _button(await _undo(h), "job_undo_confirm")
        sandbox.faults("alohub").latency = 0.2
        await _press(h, button)
        await eventually(lambda: len(_deletes(h)) >= 4, within=30, what="some deletes")
        again = _text(await _undo(h))
        assert "J2 is already undoing J1. Follow it with `/job J2`." in again
        said = _text(await h.reply("/job", "cancel J2"))
        assert "⏹ *J2 is cancelled*:" in said and "contacts of J1 it had not deleted yet" in said
        sandbox.faults("alohub").latency = 0
        undo = await _undone(h, 2)
        assert undo.state == "cancelled"
        final = _text(h.fake.messages[undo.message_ts])
        removed = len(_deletes(h))
        assert f"*Undo J2 of J1 is cancelled*: {removed} contacts were removed; " in final
        assert len(set(valid) & set(_in_campaign(h))) == 40 - removed

        card = _text(await h.reply("/job", "J2"))
        assert "↩️ *Undo J2* of J1 · ⏹ cancelled" in card and "job_cancel" not in card
        refused = _text(await h.reply("/job", "retry J2"))
        assert "J2 is an undo; it cannot be retried. Run `/job undo J1` again" in refused


async def test_undo_deletes_at_the_connections_rate_limit_and_shows_its_progress(
    sandbox: Any, tmp_path: Any
):
    content, _ = contact_list(30, seed=79)
    limited = {"alohub-main": {"rate_limit": "8/1s"}}
    async with running_bot(sandbox, tmp_path, settings=limited, **SETUP) as h:
        await _imported(h, content)
        asked = await _undo(h)
        kept = await _press(h, _button(asked, "job_undo_keep"))
        assert kept["text"] == "J1 is left as it is: nothing was deleted."
        assert _deletes(h) == []
        button = _button(await _undo(h), "job_undo_confirm")
        await _press(h, button)
        undo = await _undone(h, 2)
        assert "30 contacts removed" in _text(h.fake.messages[undo.message_ts])
        replayed = await _press(h, button)  # the same button again, once it is all done
        assert "Nothing left to take back from J1" in replayed["text"]
        assert await h.bot.services.store.job(3) is None
        nothing = _text(await _undo(h))
        assert "Nothing left to take back from J1: earlier undos already removed all 30" in nothing
        assert "job_undo_confirm" not in nothing
        times = [r.time for r in h.sandbox.requests("alohub") if r.method == "DELETE"]
        assert len(times) == 30
        # Every request of the connection counts (the lists read too): never 9 in a second.
        every = sorted(r.time for r in h.sandbox.requests("alohub"))
        assert all(later - first >= 0.99 for first, later in zip(every, every[8:], strict=False))
        updates = [
            _text(c.args)
            for c in h.fake.calls_to("chat.update")
            if c.args.get("ts") == undo.message_ts
        ]
        assert any("🗑 " in text and "⏳ " in text and "to remove" in text for text in updates[:-1])


async def test_undo_of_a_second_import_of_the_same_file_and_list_name_leaves_the_first_alone(
    sandbox: Any, tmp_path: Any
):
    first, valid = contact_list(15, seed=80)
    more = phones(5, seed=81)  # five phones only the second file has
    second = csv_bytes([(p, "Khách") for p in valid + more])
    async with running_bot(sandbox, tmp_path, **SETUP) as h:
        await _imported(h, first)
        await confirm(h, await import_file(h, "alohub-main", second, list_name="DS thang 4"))
        assert (await finished_job(h, 2)).state == "done"
        # Alohub skipped J1's fifteen phones in J2: the lists named "DS thang 4" hold J1's
        # contacts and J2's five; only those five are J2's.
        asked = await _undo(h, "J2")
        assert "the bot will try to take back *20* rows" in _text(asked)
        await _press(h, _button(asked, "job_undo_confirm"))
        undo = await _undone(h, 3)
        said = _text(h.fake.messages[undo.message_ts])
        assert "5 contacts removed" in said
        assert "15 of J2's phones are not in its lists" in said
        left = _in_campaign(h)
        assert set(valid) <= set(left) and not set(more) & set(left)
        assert len(_deletes(h)) == 5


async def test_undo_after_alohub_lost_the_import_and_a_retry_finds_every_contact(
    sandbox: Any, tmp_path: Any
):
    sandbox.alohub.rows_per_second = 100  # a 100-row chunk takes a second at the provider
    content, valid = contact_list(300, seed=82)
    async with running_bot(sandbox, tmp_path, batch_sizes={"alohub-main": 100}) as h:
        await confirm(h, await import_file(h, "alohub-main", content, list_name="Sai"))

        async def some_rows_added() -> bool:
            batches = await h.bot.services.jobs.store.batches(1, "submitted")
            return len(batches) == 3 and len(sandbox.alohub.contacts(CAMPAIGN)) > 0

        await eventually(some_rows_added, what="chunks at Alohub, part of them added")
        sandbox.alohub.restart()  # Alohub forgets its import jobs; the rows it added stay
        assert (await finished_job(h)).state == "lost"
        sandbox.alohub.rows_per_second = 100_000
        await h.reply("/job", "retry J1")
        await eventually(lambda: _job_done(h, 1), within=20, what="the retried J1 done")

        await _press(h, _button(await _undo(h), "job_undo_confirm"))
        undo = await _undone(h, 2)
        said = _text(h.fake.messages[undo.message_ts])
        assert "300 contacts removed from campaign 103; none of them had been called yet." in said
        assert "not in its lists" not in said
        assert not set(valid) & set(_in_campaign(h))


async def _job_done(h: Harness, job_id: int) -> bool:
    job = await h.bot.services.store.job(job_id)
    return job is not None and job.state == "done"


async def test_a_chunk_whose_list_alohub_did_not_name_is_not_guessed_and_the_undo_says_so(
    sandbox: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
):
    content, valid = contact_list(12, seed=83)
    calls = []
    real = AlohubSender.lists

    async def lists_then_fault(self: AlohubSender, campaign: str) -> list[tuple[int, str]]:
        calls.append(campaign)
        if len(calls) > 1:  # the lists before the chunk are read; after it, never
            raise ProviderFault(provider="alohub", status=500, message="down")
        return await real(self, campaign)

    monkeypatch.setattr(AlohubSender, "lists", lists_then_fault)
    async with running_bot(sandbox, tmp_path, batch_sizes={"alohub-main": 50}) as h:
        h.bot.services.jobs.poll_seconds = 0.05
        await _imported(h, content)  # the import ends all the same
        await _press(h, _button(await _undo(h), "job_undo_confirm"))
        undo = await _undone(h, 2)
        said = _text(h.fake.messages[undo.message_ts])
        assert "Alohub did not say which list 1 chunks of J1 made, so their 12 rows" in said
        assert "not in its lists" not in said and _deletes(h) == []
        assert set(valid) <= set(_in_campaign(h))


async def test_the_undo_asks_in_the_callers_language_and_posts_in_the_channels(
    sandbox: Any, tmp_path: Any
):
    content, _ = contact_list(12, seed=84)
    async with running_bot(sandbox, tmp_path, **SETUP) as h:
        await _imported(h, content)
        await h.reply("/callops", "language channel vi", user=ADMIN)
        asked = await _undo(h)  # the operator has not chosen: English, to them alone
        assert "the bot will try to take back *12* rows" in _text(asked)
        started = await _press(h, _button(asked, "job_undo_confirm"))
        assert "J2 is undoing J1" in started["text"]
        undo = await _undone(h, 2)
        said = _text(h.fake.messages[undo.message_ts])  # everyone's: the channel's Vietnamese
        assert "*Hoàn tác J2 của J1 đã xong*: đã xoá 12 liên hệ khỏi chiến dịch 103" in said
