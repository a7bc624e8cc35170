"""``/callops`` help and the App Home tab."""

from __future__ import annotations

import json

from tests.slack.conftest import ADMIN, AICC_CHANNEL, Harness


async def test_help_lists_the_commands_the_connections_and_the_callers_role(harness: Harness):
    reply = await harness.reply("/callops", "help")
    text = json.dumps(reply["blocks"], ensure_ascii=False)
    assert "You are an *operator* here" in text
    assert "`alohub-main` (alohub)" in text and "Default: `alohub-main`" in text
    for command in ("/queue", "/job", "/contact"):
        assert command in text
    assert "Admins only" in text and "/queue set" in text


async def test_help_in_a_channel_bound_to_aicc_shows_its_default(harness: Harness):
    reply = await harness.reply("/callops", "", channel=AICC_CHANNEL, user=ADMIN)
    text = json.dumps(reply["blocks"], ensure_ascii=False)
    assert "Default: `aicc`" in text and "*admin*" in text and "Admins only" not in text


async def test_an_unknown_subcommand_answers_with_usage(harness: Harness):
    reply = await harness.reply("/queue", "frobnicate 12")
    assert "did not expect `frobnicate`" in reply["text"] and "Usage: `/queue" in reply["text"]


async def test_app_home_lists_recent_jobs_and_connections(harness: Harness):
    await harness.slack.event({"type": "app_home_opened", "user": ADMIN, "tab": "home"})
    published = await harness.fake.wait_for("views.publish")
    text = json.dumps(published.args["view"], ensure_ascii=False)
    assert published.args["user_id"] == ADMIN
    assert "Your recent imports" in text and "alohub-main" in text and "crm" in text
