"""``/callops`` help and the App Home tab."""

from __future__ import annotations

import json

from tests.slack.conftest import ADMIN, AICC_CHANNEL, OPS_CHANNEL, STRANGER, Harness


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


async def test_help_for_someone_not_on_the_operators_list_says_whom_to_ask(harness: Harness):
    reply = await harness.reply("/callops", "", user=STRANGER)
    text = json.dumps(reply["blocks"], ensure_ascii=False)
    assert "You are not on the operators list" in text and f"<@{ADMIN}>" in text
    # What they may not run yet, under the role each command needs.
    for_operators, admins_only = text.split("*For operators*")[1].split("*Admins only*")
    assert "/queue show" in for_operators and "/job" in for_operators
    assert "/queue set" in admins_only and "/queue set" not in for_operators


async def test_an_unknown_subcommand_answers_with_usage(harness: Harness):
    reply = await harness.reply("/queue", "frobnicate 12")
    assert "did not expect `frobnicate`" in reply["text"] and "Usage: `/queue" in reply["text"]


async def test_app_home_lists_running_jobs_and_connections(harness: Harness):
    harness.fake.join(ADMIN, OPS_CHANNEL)
    await harness.slack.event({"type": "app_home_opened", "user": ADMIN, "tab": "home"})
    published = await harness.fake.wait_for("views.publish")
    text = json.dumps(published.args["view"], ensure_ascii=False)
    assert published.args["user_id"] == ADMIN
    assert "Your running imports" in text and "alohub-main" in text and "crm" in text


async def test_contact_without_a_known_subcommand_lists_what_it_does(harness: Harness):
    bare = await harness.reply("/contact")
    assert "What should /contact do?" in bare["text"]
    assert "• `/contact find &lt;phone|email|keyword&gt;`" in bare["text"]  # Slack's escaping
    assert "/contact delete &lt;contactId&gt; campaign=&lt;id&gt;" in bare["text"]
    assert "Example: `/contact find 0912345678`" in bare["text"]
    unknown = await harness.reply("/contact", "bogus 1")
    assert "I don't know `/contact bogus`" in unknown["text"]
    assert "/contact show &lt;contactId&gt;" in unknown["text"]


async def test_callops_with_an_unknown_subcommand_answers_the_usage_not_the_help(
    harness: Harness,
):
    unknown = await harness.reply("/callops", "foo")
    text = unknown["text"]
    assert "I don't know `/callops foo`. Type one of these:" in text
    assert "• `/callops help`" in text and "• `/callops connections`" in text
    assert "/contact" not in text and not unknown.get("blocks")  # not the help
    helped = await harness.reply("/callops", "help me")  # `help` with words is still the help
    assert "/contact" in json.dumps(helped["blocks"], ensure_ascii=False)
