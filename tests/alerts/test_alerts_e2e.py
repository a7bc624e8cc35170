"""Threshold alerts end to end: signed commands and button presses, the sandbox's call records
shaping the figures, the leader's check driven by the clock (no sleeping)."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from typing import Any

from tests.alerts.conftest import (
    QUOTED,
    Clock,
    add_rule,
    alert_posts,
    button_value,
    store,
)
from tests.slack.conftest import ADMIN, AICC_CHANNEL, OPERATOR, OPS_CHANNEL, Harness, mrkdwn_shown

RULE = f"answer_rate<40% window=30m min_calls=10 {QUOTED}"


async def _firing(harness: Harness, clock: Clock) -> Any:
    """A rule that has fired once (20% answered on 20 calls); its alert post."""
    await add_rule(harness, RULE)
    clock.calls(answered=4, failed=16)
    assert [c.state for c in await clock.check()] == ["pending"]
    assert [c.events for c in await clock.tick()] == [("fired",)]
    (post,) = alert_posts(harness)
    return post


async def test_a_rule_fires_after_two_bad_checks_and_only_once(harness: Harness, clock: Clock):
    posted = await add_rule(harness, RULE)
    assert "<@U0ADMIN1> set alert rule *#1*" in posted["text"]
    assert "answer rate below *40.0%* over the last 30 min" in posted["text"]
    clock.calls(answered=4, failed=16)
    first = await clock.check()
    assert [(c.state, c.events) for c in first] == [("pending", ())]
    assert alert_posts(harness) == []  # one bad check is not an alert
    assert await clock.check() == []  # the same 5 minutes are never checked twice
    second = await clock.tick()
    assert [(c.state, c.events) for c in second] == [("firing", ("fired",))]
    (post,) = alert_posts(harness)
    shown = mrkdwn_shown(post.args)
    assert "answer rate 20.0% over the last 30 min (20 calls), below 40.0%" in post.args["text"]
    assert "*answer rate*: *20.0%* over the last 30 min (20 calls" in shown
    assert "`aicc`" in shown
    assert "Acknowledge" in json.dumps(post.args["blocks"]) and "Mute 1 h" in json.dumps(
        post.args["blocks"]
    )
    # Still bad: not posted again, however many checks.
    for _ in range(3):
        clock.calls(failed=5)
        assert [c.state for c in await clock.tick()] == ["firing"]
    assert len(alert_posts(harness)) == 1
    rule = (await store(harness).rules(OPS_CHANNEL))[0]
    assert (rule.state, rule.alert_post, rule.alert_ts) == (
        "firing",
        "posted",
        post.args and rule.alert_ts,
    )


async def test_acknowledge_records_who_and_updates_the_alert(harness: Harness, clock: Clock):
    post = await _firing(harness, clock)
    value = button_value(post, "alert_ack")
    ts = (await store(harness).rules(OPS_CHANNEL))[0].alert_ts
    ack = await harness.slack.block_action("alert_ack", value, user_id=OPERATOR, message_ts=ts)
    assert ack.status == 200
    update = await harness.fake.wait_for(
        "chat.update", predicate=lambda c: "Acknowledged by" in json.dumps(c.args.get("blocks"))
    )
    assert update.args["ts"] == ts and update.args["channel"] == OPS_CHANNEL
    assert f"Acknowledged by <@{OPERATOR}> at " in mrkdwn_shown(update.args)
    assert "alert_ack" not in json.dumps(update.args["blocks"])  # done: its button goes
    rule = (await store(harness).rules(OPS_CHANNEL))[0]
    assert rule.acked_by == OPERATOR and rule.acked_at is not None
    # Pressed again (by anyone): it says who did, and nothing changes.
    again = await harness.slack.block_action("alert_ack", value, user_id=ADMIN)
    reply = await harness.fake.wait_for(
        "response_url", predicate=lambda c: c.tag == again.response_url.rsplit("/", 1)[-1]
    )
    assert f"acknowledged already, by <@{OPERATOR}>" in reply.args["text"]
    kinds = [e.kind for e in await store(harness).events(OPS_CHANNEL)]
    assert kinds.count("acknowledged") == 1


async def test_a_forged_button_cannot_act_on_another_channels_alert(harness: Harness, clock: Clock):
    post = await _firing(harness, clock)
    value = button_value(post, "alert_ack")
    for action in ("alert_ack", "alert_mute"):
        press = await harness.slack.block_action(action, value, channel_id=AICC_CHANNEL)
        reply = await harness.fake.wait_for(
            "response_url", predicate=lambda c, p=press: c.tag == p.response_url.rsplit("/", 1)[-1]
        )
        assert "does not match an open alert of this channel" in reply.args["text"]
    for forged in ('{"rule":1,"event":999}', "not json", '{"rule":"1","event":"2"}'):
        press = await harness.slack.block_action("alert_ack", forged)
        reply = await harness.fake.wait_for(
            "response_url", predicate=lambda c, p=press: c.tag == p.response_url.rsplit("/", 1)[-1]
        )
        assert "does not match an open alert" in reply.args["text"]
    rule = (await store(harness).rules(OPS_CHANNEL))[0]
    assert rule.acked_by is None and rule.muted_until is None
    assert harness.fake.calls_to("chat.update") == []


async def test_recovered_once_in_the_thread_past_the_margin(harness: Harness, clock: Clock):
    post = await _firing(harness, clock)
    ts = (await store(harness).rules(OPS_CHANNEL))[0].alert_ts
    # 11 of 27 answered: 40.7%, no longer below 40% but not 5 points past it: still open.
    clock.calls(answered=7)
    assert [c.state for c in await clock.tick()] == ["firing"]
    assert alert_posts(harness, "Recovered") == []
    # 24 of 40: 60%.
    clock.calls(answered=13)
    assert [(c.state, c.events) for c in await clock.tick()] == [("ok", ("recovered",))]
    for _ in range(2):
        clock.calls(answered=5)
        assert [c.events for c in await clock.tick()] == [()]
    (recovered,) = alert_posts(harness, "Recovered")
    assert recovered.args["thread_ts"] == ts
    assert (
        "answer rate is 60.0% over the last 30 min (40 calls), back past 45.0%"
        in (recovered.args["text"])
    )
    closed = await harness.fake.wait_for("chat.update", predicate=lambda c: c.args["ts"] == ts)
    assert "Recovered at" in mrkdwn_shown(closed.args)
    assert "alert_ack" not in json.dumps(closed.args["blocks"])
    assert len(alert_posts(harness)) == 1 and post is not None


async def test_below_min_calls_nothing_fires(harness: Harness, clock: Clock):
    await add_rule(harness, f"answer_rate<40% window=60m min_calls=30 {QUOTED}")
    clock.calls(answered=2, failed=27)  # 29 calls, 7% answered: too few to judge
    for _ in range(4):
        assert [c.state for c in await clock.tick()] == ["ok"]
    assert alert_posts(harness) == []
    clock.calls(failed=1)  # the 30th call
    assert [c.state for c in await clock.tick()] == ["pending"]
    assert [c.state for c in await clock.tick()] == ["firing"]
    assert len(alert_posts(harness)) == 1


async def test_a_failed_count_rule_fires_and_recovers_by_ten_percent(
    harness: Harness, clock: Clock
):
    await add_rule(harness, f"failed>10 window=15m min_calls=1 {QUOTED}")
    clock.calls(answered=3, failed=12)
    await clock.check()
    assert [c.events for c in await clock.tick()] == [("fired",)]
    (post,) = alert_posts(harness)
    assert "failed calls 12 over the last 15 min (15 calls), above 10" in post.args["text"]
    # 15 minutes later the window has moved past those calls; 10 failed is not past 9.
    clock.advance(15 * 60)
    clock.calls(failed=10)
    assert [c.state for c in await clock.check()] == ["firing"]
    clock.advance(16 * 60)
    clock.calls(failed=9)
    assert [c.events for c in await clock.check()] == [("recovered",)]
    assert len(alert_posts(harness, "Recovered")) == 1


async def test_a_provider_outage_is_said_once_and_its_end_once(harness: Harness, clock: Clock):
    await add_rule(harness, RULE)
    faults = harness.sandbox.faults("aicallcenter")
    faults.error_ratio = 1.0
    try:
        results = []
        for _ in range(4):
            results.append(await asyncio.wait_for(clock.tick(), 60))
    finally:
        faults.reset()
    assert [r[0].events for r in results] == [("down",), (), (), ()]
    (down,) = alert_posts(harness, "cannot be checked")
    assert "Alert rule #1 (answer rate below 40.0%) cannot be checked:" in down.args["text"]
    assert "`aicc`" in down.args["text"]
    reply = await harness.reply("/calls", "alert")
    assert "cannot be read since" in mrkdwn_shown(reply)
    clock.calls(answered=20)
    assert [c.events for c in await clock.tick()] == [("back",)]
    await clock.tick()
    assert len(alert_posts(harness, "cannot be checked")) == 1
    assert len(alert_posts(harness, "is checked again")) == 1


async def test_mute_holds_the_next_alert_back_for_an_hour(harness: Harness, clock: Clock):
    post = await _firing(harness, clock)
    press = await harness.slack.block_action("alert_mute", button_value(post, "alert_mute"))
    reply = await harness.fake.wait_for(
        "response_url", predicate=lambda c: c.tag == press.response_url.rsplit("/", 1)[-1]
    )
    assert "Rule #1 is muted until" in reply.args["text"]
    muted = await harness.fake.wait_for(
        "chat.update", predicate=lambda c: "Muted by" in mrkdwn_shown(c.args)
    )
    assert f"Muted by <@{OPERATOR}> until" in mrkdwn_shown(muted.args)
    # It recovers, then fires again within the hour: held back, then posted after it.
    clock.calls(answered=40)
    assert [c.events for c in await clock.tick()] == [("recovered",)]
    clock.advance(31 * 60)
    clock.calls(failed=20)
    await clock.check()
    assert [c.events for c in await clock.tick()] == [("fired",)]
    assert len(alert_posts(harness)) == 1
    clock.advance(30 * 60)
    clock.calls(failed=20)
    await clock.check()
    assert len(alert_posts(harness)) == 2


async def test_list_and_history_and_off(harness: Harness, clock: Clock):
    reply = await harness.reply("/calls", "alert")
    assert "no alert rules" in reply["text"]
    await _firing(harness, clock)
    reply = await harness.reply("/calls", "alert")
    shown = mrkdwn_shown(reply)
    assert "*#1* answer rate below *40.0%* over 30 min, at least 10 calls" in shown
    assert "alerting since" in shown and "20.0% of 20 calls" in shown
    reply = await harness.reply("/calls", "alert history")
    shown = mrkdwn_shown(reply)
    assert "alerted: 20.0% (20 calls)" in shown and "set by <@U0ADMIN1>" in shown
    refused = await harness.reply("/calls", "alert off 1")
    assert "Only admins" in refused["text"]
    ts = (await store(harness).rules(OPS_CHANNEL))[0].alert_ts
    await harness.command("/calls", "alert off 1", user=ADMIN)
    await harness.fake.wait_for(
        "chat.postMessage", predicate=lambda c: "removed alert rule *#1*" in c.args["text"]
    )
    closed = await harness.fake.wait_for("chat.update", predicate=lambda c: c.args["ts"] == ts)
    assert "Rule removed by <@U0ADMIN1>" in mrkdwn_shown(closed.args)
    assert "alert_ack" not in json.dumps(closed.args["blocks"])
    assert await store(harness).rules(OPS_CHANNEL) == []
    none = await harness.reply("/calls", "alert off 1", user=ADMIN)
    assert "no alert rule #1" in none["text"]
    reply = await harness.reply("/calls", "alert history")
    assert "removed by <@U0ADMIN1>" in mrkdwn_shown(reply)


BAD_RULES = {
    "": "Say what to watch",
    "answer_rate": "is not a rule",
    "answer_rate=40": "The option `answer_rate=` is not used by this command",
    "answer_rate<<40": "is not a rule",
    "answer_rate<forty": "is not a rule",
    "pickup_rate<40%": "`pickup_rate` is not a metric alerts can watch",
    "answer_rate<140%": "`140%` is out of range",
    "answer_rate<0%": "`0%` is out of range",
    "failed>50%": "`failed` counts calls",
    "failed>2.5": "`2.5` is not a usable number of calls",
    "answer_rate<40% window=4m": "`window=4m` is out of range: a window is 5 minutes to 24 hours",
    "answer_rate<40% window=25h": "`window=25h` is out of range",
    "answer_rate<40% window=soon": "`window=soon` is not a length of time",
    "answer_rate<40% min_calls=0": "`min_calls=0` must be a whole number",
    "answer_rate<40% min_calls=-3": "`min_calls=-3` must be a whole number",
}


async def test_every_bad_rule_is_refused_with_the_usage_and_an_example(harness: Harness):
    for text, words in BAD_RULES.items():
        reply = await harness.reply("/calls", f"alert on {text}", user=ADMIN)
        assert words in reply["text"], (text, reply["text"])
        assert "Usage: `/calls alert on answer_rate&lt;40%|failed&gt;50" in reply["text"], text
        assert "/calls alert on answer_rate&lt;40% window=60m min_calls=30`" in reply["text"]
    assert await store(harness).rules(OPS_CHANNEL) == []


async def test_slack_escaped_angles_and_spaces_are_read(harness: Harness):
    await add_rule(harness, "answer_rate &lt; 35% window=2h")
    await add_rule(harness, "failed&gt;50 window=1h30m min_calls=5")
    rules = await store(harness).rules(OPS_CHANNEL)
    assert [(r.metric, r.op, r.threshold, r.window_minutes, r.min_calls) for r in rules] == [
        ("answer_rate", "<", 35.0, 120, 30),
        ("failed", ">", 50.0, 90, 5),
    ]


async def test_an_operator_may_not_set_a_rule(harness: Harness):
    reply = await harness.reply("/calls", "alert on answer_rate<40%")
    assert "Only admins" in reply["text"]


async def test_an_alert_slack_refused_is_posted_at_the_next_check(harness: Harness, clock: Clock):
    await add_rule(harness, RULE)
    clock.calls(answered=4, failed=16)
    await clock.check()
    # A refusal the outbox does not retry: it gives the message up (Undelivered).
    harness.fake.fail_next("chat.postMessage", "channel_not_found")
    assert [c.events for c in await clock.tick()] == [("fired",)]
    rule = (await store(harness).rules(OPS_CHANNEL))[0]
    assert (rule.state, rule.alert_post, rule.alert_ts) == ("firing", "failed", None)
    reply = await harness.reply("/calls", "alert")
    assert "Slack refused the alert's post" in mrkdwn_shown(reply)
    clock.calls(failed=2)
    assert [c.events for c in await clock.tick()] == [()]
    rule = (await store(harness).rules(OPS_CHANNEL))[0]
    assert rule.alert_post == "posted" and rule.alert_ts is not None
    clock.calls(failed=2)
    await clock.tick()
    assert len(alert_posts(harness)) == 2  # the refused one, then the one in the channel


async def test_rules_on_the_same_window_share_one_fetch_per_check(harness: Harness, clock: Clock):
    await add_rule(harness, RULE)
    await add_rule(harness, f"failed>10 window=30m min_calls=1 {QUOTED}")
    await add_rule(harness, f"failed>10 window=60m min_calls=1 {QUOTED}")
    clock.calls(answered=4, failed=16)

    def exports() -> list[Any]:
        return [r for r in harness.sandbox.requests("aicallcenter") if r.path.endswith("/export")]

    before = len(exports())
    assert [c.state for c in await clock.check()] == ["pending", "pending", "pending"]
    windows = exports()[before:]
    assert len(windows) == 2  # 30 min for two rules, 60 min for one
    spans = sorted(int(r.query["end_time"]) - int(r.query["start_time"]) for r in windows)
    assert spans == [30 * 60_000 - 1, 60 * 60_000 - 1]


async def test_the_leader_checks_every_five_minutes(harness: Harness):
    scheduler = harness.bot.runtime.scheduler
    # On PostgreSQL the bot leads as its election's callback runs: wait for the trigger.
    deadline = asyncio.get_running_loop().time() + 30
    while not scheduler.has("alerts-check"):
        assert asyncio.get_running_loop().time() < deadline, "no alert trigger on the leader"
        await asyncio.sleep(0.05)
    next_run = scheduler.next_run("alerts-check")
    assert next_run is not None
    wait = (next_run - datetime.now(next_run.tzinfo)).total_seconds()
    assert 240 < wait <= 300  # not at the instant of election: a new leader waits its turn
    await harness.bot.runtime.alerts.stop()
    assert not scheduler.has("alerts-check")


async def test_a_rule_needs_a_connection_with_call_records(harness: Harness):
    reply = await harness.reply("/calls", "alert on answer_rate<40% via=alohub-main", user=ADMIN)
    assert "`alohub-main`" in reply["text"] and "aicallcenter" in reply["text"].lower()
    reply = await harness.reply(
        "/calls", "alert on answer_rate<40%", user=ADMIN, channel="C0NOWHERE"
    )
    assert "not connected to any provider" in reply["text"]
    assert await store(harness).rules() == []


async def test_an_alert_speaks_its_channels_language(harness: Harness, clock: Clock):
    done = await harness.reply("/callops", "language channel vi", user=ADMIN)
    assert "Tiếng Việt" in done["text"]
    await add_rule(harness, RULE, "đã đặt quy tắc cảnh báo *#1*")
    clock.calls(answered=4, failed=16)
    await clock.check()
    await clock.tick()
    (post,) = [
        c
        for c in harness.fake.calls_to("chat.postMessage")
        if "Cảnh báo #1" in str(c.args.get("text"))
    ]
    assert "tỷ lệ nghe máy 20,0%" in post.args["text"] and "Xác nhận" in json.dumps(
        post.args["blocks"], ensure_ascii=False
    )


async def test_open_alerts_for_another_surface_and_acknowledge_by_key(
    harness: Harness, clock: Clock
):
    """What the App Home reads: open, unacknowledged alerts of some channels, and a key."""
    await _firing(harness, clock)
    alerts = harness.bot.runtime.alerts
    msg = harness.bot.runtime.messages
    assert await alerts.open_alerts([AICC_CHANNEL], msg) == []
    (open_alert,) = await alerts.open_alerts([OPS_CHANNEL, AICC_CHANNEL], msg)
    assert open_alert.channel == OPS_CHANNEL
    assert "answer rate 20.0% over the last 30 min (20 calls), below 40.0%" in open_alert.text
    for channel, key in (
        (AICC_CHANNEL, open_alert.key),
        (OPS_CHANNEL, "1:999"),
        (OPS_CHANNEL, "x"),
    ):
        try:
            await alerts.acknowledge_key(channel, key, OPERATOR)
        except Exception as error:
            assert getattr(error, "key", "") == "alerts.button.closed"
        else:
            raise AssertionError(f"{channel} {key} acknowledged")
    rule = await alerts.acknowledge_key(OPS_CHANNEL, open_alert.key, OPERATOR)
    assert rule.acked_by == OPERATOR
    assert await alerts.open_alerts([OPS_CHANNEL], msg) == []
    await harness.fake.wait_for(
        "chat.update", predicate=lambda c: "Acknowledged by" in mrkdwn_shown(c.args)
    )
