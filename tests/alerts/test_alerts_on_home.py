"""The open alerts on the App Home are the alerts feature's own, end to end: an alert fired
by the leader's driven check shows on the Home of the users of its channel (Slack's
``users.conversations``), and its Acknowledge there is the channel's Acknowledge."""

from __future__ import annotations

import json

from tests.alerts.conftest import Clock, alert_posts, store
from tests.alerts.test_alerts_e2e import _firing
from tests.calls.expected import text_of
from tests.slack.conftest import ADMIN, AICC_CHANNEL, OPERATOR, OPS_CHANNEL, Harness, mrkdwn_shown
from tests.slack.home import ack_buttons, open_home, press_on_home

WORDS = "answer rate 20.0% over the last 30 min (20 calls), below 40.0%"


async def test_an_alert_of_the_users_channel_is_acknowledged_on_home(
    harness: Harness, clock: Clock
):
    harness.fake.join(OPERATOR, OPS_CHANNEL)
    await _firing(harness, clock)
    home = await open_home(harness, OPERATOR)
    assert WORDS in text_of(home["blocks"])
    (button,) = ack_buttons(home["blocks"])
    assert button["text"]["text"] == "Acknowledge"
    value = json.loads(button["value"])
    assert value["channel"] == OPS_CHANNEL

    after = await press_on_home(harness, OPERATOR, value)
    rule = (await store(harness).rules(OPS_CHANNEL))[0]
    assert rule.acked_by == OPERATOR and rule.acked_at is not None
    update = await harness.fake.wait_for(
        "chat.update", predicate=lambda c: "Acknowledged by" in json.dumps(c.args.get("blocks"))
    )
    assert (update.args["channel"], update.args["ts"]) == (OPS_CHANNEL, rule.alert_ts)
    assert f"Acknowledged by <@{OPERATOR}> at " in mrkdwn_shown(update.args)
    shown = text_of(after["blocks"])
    assert f"You acknowledged the alert in <#{OPS_CHANNEL}>" in shown
    assert WORDS not in shown and ack_buttons(after["blocks"]) == []
    assert len(alert_posts(harness)) == 1  # acknowledged, not posted again


async def test_home_shows_no_alert_of_a_channel_the_user_is_not_in(harness: Harness, clock: Clock):
    harness.fake.join(ADMIN, AICC_CHANNEL)
    await _firing(harness, clock)
    home = await open_home(harness, ADMIN)
    shown = text_of(home["blocks"])
    assert WORDS not in shown and ack_buttons(home["blocks"]) == []
    assert "No open alert." in shown


async def test_a_forged_home_acknowledge_of_a_channel_the_user_is_not_in_is_refused(
    harness: Harness, clock: Clock
):
    harness.fake.join(OPERATOR, OPS_CHANNEL)
    await _firing(harness, clock)
    (button,) = ack_buttons((await open_home(harness, OPERATOR))["blocks"])
    key = json.loads(button["value"])["id"]
    harness.fake.join(ADMIN, AICC_CHANNEL)
    await open_home(harness, ADMIN)
    forged = await press_on_home(harness, ADMIN, {"channel": OPS_CHANNEL, "id": key})
    assert f"That alert belongs to <#{OPS_CHANNEL}>, which you are not in" in text_of(
        forged["blocks"]
    )
    rule = (await store(harness).rules(OPS_CHANNEL))[0]
    assert rule.acked_by is None
    assert not [
        c for c in harness.fake.calls_to("chat.update") if "Acknowledged by" in json.dumps(c.args)
    ]
    # Named as an alert of the user's own channel, the key is not that channel's: refused.
    forged = await press_on_home(harness, ADMIN, {"channel": AICC_CHANNEL, "id": key})
    assert (await store(harness).rules(OPS_CHANNEL))[0].acked_by is None
    assert WORDS not in text_of(forged["blocks"])
    assert "does not match an open alert of this channel" in text_of(forged["blocks"])
