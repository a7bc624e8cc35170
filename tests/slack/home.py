"""Home as a user sees it over signed HTTP: open it, press an alert's Acknowledge on it."""

from __future__ import annotations

import json
from typing import Any

from bot.home import HOME_ACK_ACTION
from tests.slack.conftest import Harness

__all__ = ["ack_buttons", "open_home", "press_on_home"]


async def open_home(harness: Harness, user: str) -> dict[str, Any]:
    """Open the Home tab as ``user``; the view published for them next."""
    before = len([c for c in harness.fake.calls_to("views.publish") if c.args["user_id"] == user])
    ack = await harness.slack.event({"type": "app_home_opened", "user": user, "tab": "home"})
    assert ack.status == 200
    call = await harness.fake.wait_for(
        "views.publish",
        predicate=lambda c: (
            c.args["user_id"] == user
            and len(
                [x for x in harness.fake.calls_to("views.publish") if x.args["user_id"] == user]
            )
            > before
        ),
    )
    return call.args["view"]


def ack_buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        b["accessory"] for b in blocks if b.get("accessory", {}).get("action_id") == HOME_ACK_ACTION
    ]


async def press_on_home(harness: Harness, user: str, value: dict[str, str]) -> dict[str, Any]:
    """Press Acknowledge on the user's published Home; the Home published next."""
    before = len(harness.fake.calls_to("views.publish"))
    home = harness.fake.home_views[user]
    ack = await harness.slack.block_action(
        HOME_ACK_ACTION, json.dumps(value), user_id=user, channel_id=None, view=home
    )
    assert ack.status == 200
    call = await harness.fake.wait_for(
        "views.publish",
        predicate=lambda c: (
            c.args["user_id"] == user and harness.fake.calls_to("views.publish").index(c) >= before
        ),
    )
    return call.args["view"]
