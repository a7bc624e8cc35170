"""A restart neither repeats nor forgets an alert; a stop between the committed state and
the post leaves the next leader to ask the outbox again by the post's key: once, not twice."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.alerts.conftest import Clock, add_rule, alert_posts, store
from tests.alerts.test_alerts_e2e import RULE
from tests.slack.conftest import OPS_CHANNEL, Harness, mrkdwn_shown


async def test_a_restart_neither_forgets_nor_repeats_an_alert(
    harness: Harness, clock: Clock, restart: Any
):
    await add_rule(harness, RULE)
    clock.calls(answered=4, failed=16)
    assert [c.state for c in await clock.check()] == ["pending"]
    await restart()  # the first bad check is remembered...
    assert [c.events for c in await clock.tick()] == [("fired",)]  # ...so the second fires
    assert len(alert_posts(harness)) == 1
    await restart()
    assert await clock.check() == []  # the slot checked before the restart is not again
    for _ in range(2):
        clock.calls(failed=3)
        assert [(c.state, c.events) for c in await clock.tick()] == [("firing", ())]
    assert len(alert_posts(harness)) == 1
    reply = await harness.reply("/calls", "alert")
    assert "alerting since" in mrkdwn_shown(reply)


async def test_a_stop_during_the_post_is_finished_by_the_next_leader_once(
    harness: Harness, clock: Clock, restart: Any
):
    await add_rule(harness, RULE)
    clock.calls(answered=4, failed=16)
    await clock.check()
    # The second bad check commits "firing" and starts posting; the process dies before
    # Slack's answer is back (the message is in the channel, its ts is not recorded).
    release = harness.fake.hold("chat.postMessage")
    clock.advance(300)
    check = asyncio.ensure_future(clock.check())
    await harness.fake.wait_for("chat.postMessage", predicate=lambda c: "Alert #" in c.args["text"])
    check.cancel()
    await asyncio.gather(check, return_exceptions=True)
    release.set()
    rule = (await store(harness).rules(OPS_CHANNEL))[0]
    assert (rule.state, rule.alert_post) == ("firing", "posting")  # state before words
    await restart()
    # The new leader asks the outbox again by the post's key: the message it sent, its ts.
    deadline = asyncio.get_running_loop().time() + 30
    while (rule := (await store(harness).rules(OPS_CHANNEL))[0]).alert_post != "posted":
        assert asyncio.get_running_loop().time() < deadline, f"never posted: {rule.alert_post}"
        await asyncio.sleep(0.05)
    alert = alert_posts(harness)
    assert len(alert) == 1 and rule.alert_ts is not None
    assert "Alert #" in harness.fake.messages[rule.alert_ts]["text"]
    for _ in range(2):
        clock.calls(failed=3)
        assert [c.state for c in await clock.tick()] == ["firing"]
    assert len(alert_posts(harness)) == 1  # neither repeated nor forgotten
    # It recovers once, in the alert's thread.
    clock.calls(answered=60)
    assert [c.events for c in await clock.tick()] == [("recovered",)]
    recovered = alert_posts(harness, "Recovered")
    assert len(recovered) == 1 and recovered[0].args.get("thread_ts") == rule.alert_ts


async def test_a_stop_before_the_outbox_stored_the_post_sends_it_once(
    harness: Harness, clock: Clock, restart: Any
):
    await add_rule(harness, RULE)
    clock.calls(answered=4, failed=16)
    await clock.check()
    # The process dies after committing "posting" but before the outbox stored the post.
    real_post = harness.bot.runtime.alerts.chat.post
    harness.bot.runtime.alerts.chat.post = _dies  # type: ignore[method-assign]
    clock.advance(300)
    check = asyncio.ensure_future(clock.check())
    await asyncio.gather(check, return_exceptions=True)
    harness.bot.runtime.alerts.chat.post = real_post  # type: ignore[method-assign]
    assert alert_posts(harness) == []
    await restart()
    await harness.fake.wait_for("chat.postMessage", predicate=lambda c: "Alert #" in c.args["text"])
    deadline = asyncio.get_running_loop().time() + 30
    while (await store(harness).rules(OPS_CHANNEL))[0].alert_post != "posted":
        assert asyncio.get_running_loop().time() < deadline, "never posted"
        await asyncio.sleep(0.05)
    clock.calls(failed=3)
    assert [c.state for c in await clock.tick()] == ["firing"]
    assert len(alert_posts(harness)) == 1


async def _dies(*args: Any, **kwargs: Any) -> str:
    raise asyncio.CancelledError  # the process stops here


async def test_a_graceful_stop_lets_the_check_in_progress_finish_its_post(
    harness: Harness, clock: Clock
):
    await add_rule(harness, RULE)
    clock.calls(answered=4, failed=16)
    await clock.check()
    alerts = harness.bot.runtime.alerts
    alerts._clock = lambda: clock.now  # the trigger reads the driven clock
    release = harness.fake.hold("chat.postMessage")
    clock.advance(300)
    tick = asyncio.ensure_future(alerts._tick())  # what the scheduler runs
    await harness.fake.wait_for("chat.postMessage", predicate=lambda c: "Alert #" in c.args["text"])
    stopping = asyncio.ensure_future(alerts.stop(grace=30.0))
    release.set()  # Slack answers while the leader is stopping
    await stopping
    await tick
    rule = (await store(harness).rules(OPS_CHANNEL))[0]
    assert (rule.state, rule.alert_post) == ("firing", "posted") and rule.alert_ts


async def test_a_stop_during_a_held_back_alerts_post_never_posts_it_twice(
    harness: Harness, clock: Clock, restart: Any
):
    await add_rule(harness, RULE)
    clock.calls(answered=4, failed=16)
    await clock.check()
    assert [c.events for c in await clock.tick()] == [("fired",)]
    alerts = store(harness)
    rule = (await alerts.rules(OPS_CHANNEL))[0]
    assert rule.fired_event_id is not None
    # As if Slack had refused it, then a later check took it again (a post without a key:
    # its first key may name a row the outbox gave up on) and the process stopped.
    await alerts.posted(rule.fired_event_id, "failed", None)
    assert await alerts.claim_post(rule.id, rule.fired_event_id)
    await restart()
    deadline = asyncio.get_running_loop().time() + 30
    while (await store(harness).rules(OPS_CHANNEL))[0].alert_post != "interrupted":
        assert asyncio.get_running_loop().time() < deadline, "never marked interrupted"
        await asyncio.sleep(0.05)
    clock.calls(failed=3)
    assert [c.state for c in await clock.tick()] == ["firing"]
    assert len(alert_posts(harness)) == 1  # the first, never again
    event = await store(harness).event(rule.fired_event_id)
    assert event is not None and event.post == "interrupted"
    reply = await harness.reply("/calls", "alert")
    assert "is never posted twice" in mrkdwn_shown(reply)
