"""A language per person, and per channel, over signed HTTP.

``/callops language vi|en`` sets the caller's own language (what only they see);
``/callops language channel vi|en`` (admins) the channel's (what everyone there sees: job
progress and results, summaries). A user who chose nothing is answered in their Slack
locale when it is Vietnamese or English, else in ``language:`` of callops.yml.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from bot.context import Request
from bot.replies import Message
from bot.runtime import Runtime
from tests.jobs.data import contact_list
from tests.jobs.e2e import (
    confirm,
    eventually,
    finished_job,
    import_file,
    open_import,
    running_bot,
    view_text,
)
from tests.slack.conftest import ADMIN, OPERATOR, OPS_CHANNEL, STRANGER, Harness, bot_config
from tests.summaries.conftest import TZ

AUDIT = "C0AUDIT"
HELP = {"en": "What callops can do here", "vi": "Những việc callops làm được ở đây"}


async def _help(h: Harness, user: str) -> str:
    return str((await h.reply("/callops", "help", user=user))["text"])


async def test_the_same_command_is_answered_to_two_users_in_their_own_languages(
    harness: Harness, tmp_path: Any
):
    chose = await harness.reply("/callops", "language vi", user=OPERATOR)
    assert "Xong: từ giờ tôi trả lời bạn bằng Tiếng Việt" in chose["text"]  # already in it
    assert chose["response_type"] == "ephemeral"

    assert await _help(harness, OPERATOR) == HELP["vi"]
    assert await _help(harness, ADMIN) == HELP["en"]  # the workspace default: nobody chose
    refusal = await harness.reply("/queue", "frobnicate", user=OPERATOR)
    assert "Tôi không hiểu `frobnicate`" in refusal["text"]  # errors too
    form = await open_import(harness, user=OPERATOR)  # and the forms they open
    assert form["title"]["text"] == "Nhập danh sách liên hệ"
    assert (await open_import(harness, user=ADMIN))["title"]["text"] == "Import contacts"

    # Kept in the database: another replica on it answers the operator in Vietnamese too.
    other = Runtime(bot_config(harness.sandbox, tmp_path), chat=harness.bot.runtime.chat)
    try:
        reply = await other.dispatcher.command(
            Request(user_id=OPERATOR, channel_id=OPS_CHANNEL, command="/callops", text="help")
        )
        assert isinstance(reply, Message) and reply.text == HELP["vi"]
    finally:
        await other.aclose()

    back = await harness.reply("/callops", "language en", user=OPERATOR)
    assert "Done: I answer you in English from now on" in back["text"]
    assert await _help(harness, OPERATOR) == HELP["en"]


async def test_bare_language_shows_the_callers_and_the_channels_settings(harness: Harness):
    await harness.reply("/callops", "language channel vi", user=ADMIN)
    shown = (await harness.reply("/callops", "language", user=OPERATOR))["text"]
    assert "*Your language:* English (the workspace default" in shown
    assert "*This channel:* Tiếng Việt (set by an admin)" in shown


async def test_a_bad_language_gets_the_usage_line_and_changes_nothing(harness: Harness):
    reply = await harness.reply("/callops", "language fr", user=OPERATOR)
    assert "`fr` is not a language I speak" in reply["text"]
    assert "Usage: `/callops language [vi|en|auto]`" in reply["text"]
    channel = await harness.reply("/callops", "language channel klingon", user=ADMIN)
    assert "`klingon` is not a language I speak" in channel["text"]
    assert "Usage: `/callops language channel vi|en|default`" in channel["text"]
    assert await _help(harness, OPERATOR) == HELP["en"]


async def test_a_non_admin_is_refused_the_channel_language_and_it_stays(harness: Harness):
    for user in (OPERATOR, STRANGER):
        reply = await harness.reply("/callops", "language channel vi", user=user)
        assert "Only admins can do this" in reply["text"]
    shown = (await harness.reply("/callops", "language", user=OPERATOR))["text"]
    assert "*This channel:* English (the workspace default" in shown


async def test_without_a_choice_the_slack_locale_decides_once_slack_has_told_it(
    harness: Harness,
):
    fake = harness.fake
    fake.add_user(OPERATOR, "op", locale="vi-VN")
    fake.add_user(ADMIN, "admin", locale="fr-FR")  # neither language: the default
    gate = fake.hold("users.info")  # Slack slow to answer: the command does not wait for it
    assert await _help(harness, OPERATOR) == HELP["en"]
    asked = await fake.wait_for("users.info")
    assert asked.args["user"] == OPERATOR and str(asked.args["include_locale"]) in ("1", "true")
    gate.set()

    async def vietnamese() -> bool:
        return await _help(harness, OPERATOR) == HELP["vi"]

    await eventually(vietnamese, what="the operator answered in the locale's language")
    assert await _help(harness, ADMIN) == HELP["en"]
    shown = (await harness.reply("/callops", "language", user=OPERATOR))["text"]
    assert "*Ngôn ngữ của bạn:* Tiếng Việt (theo ngôn ngữ Slack của bạn, `vi-VN`)" in shown

    # A choice wins over the locale; ``auto`` goes back to it.
    await harness.reply("/callops", "language en", user=OPERATOR)
    assert await _help(harness, OPERATOR) == HELP["en"]
    auto = await harness.reply("/callops", "language auto", user=OPERATOR)
    assert "tôi lại trả lời bạn theo ngôn ngữ Slack của bạn" in auto["text"]
    assert await _help(harness, OPERATOR) == HELP["vi"]


async def test_an_english_locale_wins_over_a_vietnamese_workspace(sandbox: Any, tmp_path: Any):
    async with running_bot(sandbox, tmp_path, language="vi") as h:
        h.fake.add_user(OPERATOR, "op", locale="en-GB")
        assert await _help(h, ADMIN) == HELP["vi"]
        await _help(h, OPERATOR)  # asks Slack
        await h.fake.wait_for("users.info")

        async def english() -> bool:
            return await _help(h, OPERATOR) == HELP["en"]

        await eventually(english, what="the operator answered in English")


async def test_the_app_home_follows_its_users_language(harness: Harness):
    await harness.reply("/callops", "language vi", user=ADMIN)
    harness.fake.join(ADMIN, OPS_CHANNEL)
    await harness.slack.event({"type": "app_home_opened", "user": ADMIN, "tab": "home"})
    published = await harness.fake.wait_for("views.publish")
    text = json.dumps(published.args["view"], ensure_ascii=False)
    assert "Your running imports" not in text and "Các lượt nhập đang chạy của bạn" in text
    assert "alohub-main" in text


async def test_a_channel_language_makes_job_and_summary_posts_vietnamese_and_replies_follow_users(
    sandbox: Any, tmp_path: Any
):
    content, _ = contact_list(1200, seed=15)
    async with running_bot(sandbox, tmp_path, batch_sizes={"vbee": 500}, audit_channel=AUDIT) as h:
        said = await h.reply("/callops", "language channel vi", user=ADMIN)
        assert said["response_type"] == "ephemeral"
        assert "what everyone sees in <#C0OPS> (job progress" in said["text"]  # the admin's
        assert "Tiếng Việt" in said["text"]
        [copy] = await eventually(
            lambda: [c for c in h.fake.calls_to("chat.postMessage") if c.args["channel"] == AUDIT],
            what="the audit copy",
        )
        assert "/callops language channel vi" in copy.args["text"]

        # The operator chose nothing: the form they alone see is in English...
        view = await import_file(h, "vbee", content)
        assert "1,200 rows read" in view_text(view)
        await confirm(h, view)
        job = await finished_job(h)
        # ...the job's message everyone in the channel sees is in Vietnamese, numbers too.
        final = [c for c in h.fake.calls_to("chat.update") if c.args["ts"] == job.message_ts][-1]
        assert "*J1 đã xong*: ✅ 1.200 đã thêm" in final.args["text"], final.args["text"]
        assert "finished" not in view_text(final.args)
        # A reply to the operator about the same job stays theirs: English.
        listed = await h.reply("/job", "J1", user=OPERATOR)
        assert "J1" in listed["text"] and "đã xong" not in json.dumps(listed, ensure_ascii=False)

        # The channel's daily summary: subscribed by the admin (who reads English), it is
        # announced to the channel in Vietnamese, and posted in Vietnamese, dates dd/MM/yyyy.
        ack = await h.command("/calls", "summary on 00:00 via=aicc", user=ADMIN)
        assert ack.status == 200
        await h.fake.wait_for(
            "chat.postMessage",
            predicate=lambda c: "đã đăng ký báo cáo hằng ngày cho kênh này" in c.args["text"],
        )
        services = h.bot.services
        now = datetime.now(TZ)
        [result] = await services.summaries.run_due(now + timedelta(days=1))
        assert result.state == "posted", result
        summary = next(
            c.args["text"]
            for c in h.fake.calls_to("chat.postMessage")
            if c.args["channel"] == OPS_CHANNEL and "Báo cáo" in c.args["text"]
        )
        day = now.date()  # "yesterday" of tomorrow
        assert f"Báo cáo cuộc gọi hằng ngày · {day:%d/%m/%Y}" in summary, summary
        chart = await eventually(
            lambda: [f for f in h.fake.uploaded_files if f["filename"].endswith(".png")],
            what="the summary's chart",
        )
        assert chart[0]["title"] == f"Cuộc gọi theo giờ · {day:%d/%m/%Y}"


async def test_an_older_button_is_explained_in_its_users_language(harness: Harness):
    await harness.reply("/callops", "language vi", user=OPERATOR)
    ack = await harness.slack.block_action("job_pause", "J12", user_id=OPERATOR)
    assert ack.status == 200
    tag = ack.response_url.rsplit("/", 1)[-1]
    told = await harness.fake.wait_for("response_url", predicate=lambda c: c.tag == tag)
    assert told.args["text"] == "Nút này thuộc về một tin nhắn cũ; hãy chạy lại `/job J12`."


BUSY = {
    "en": "callops is busy — try again in a minute.",
    "vi": "callops đang bận — vui lòng thử lại sau một phút.",
}


async def test_the_busy_answer_at_the_edge_is_in_the_users_language(harness: Harness):
    await harness.reply("/callops", "language vi", user=OPERATOR)
    # Past the backlog's bound: every request is answered busy at the edge, before any
    # listener, from what this replica keeps (no database read, no Slack call).
    backlog = harness.bot.listeners.backlog
    bound, backlog.max_pending = backlog.max_pending, 0

    chose = await harness.command("/callops", "help", user=OPERATOR)
    assert chose.status == 200 and chose.json_body["text"] == BUSY["vi"], chose.text
    nobody = await harness.command("/callops", "help", user=ADMIN)  # chose nothing
    assert nobody.status == 200 and nobody.json_body["text"] == BUSY["en"], nobody.text
    # A button: told on its response_url, in the presser's language too.
    pressed = await harness.slack.block_action("job_pause", "J12", user_id=OPERATOR)
    assert pressed.status == 200
    tag = pressed.response_url.rsplit("/", 1)[-1]
    told = await harness.fake.wait_for("response_url", predicate=lambda c: c.tag == tag)
    assert told.args["text"] == BUSY["vi"]
    await harness.bot.services.drain()
    asked = [c.args.get("user") for c in harness.fake.calls_to("users.info")]
    assert ADMIN not in asked  # the edge asked Slack for no locale
    backlog.max_pending = bound
