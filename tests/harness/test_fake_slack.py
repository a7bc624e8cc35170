"""The harness driven by the real slack_sdk client and a real Bolt app."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from .fake_slack import DEFAULT_SCOPES, FakeSlack
from .signing import SlackClient, files_state, new_trigger_id, select_state, text_state

SECRET = "test-signing-secret"
CSV = b"phone,reason\n0912345678,invalid number\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    """A running fake Slack."""
    async with FakeSlack() as fake:
        yield fake


@pytest.fixture
def client(slack: FakeSlack) -> AsyncWebClient:
    """The real slack_sdk client pointed at the fake."""
    return AsyncWebClient(token=slack.bot_token, base_url=slack.api_url)


# ----- Web API methods through slack_sdk


async def test_auth_test_answers_the_bot_identity_and_its_scopes(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    response = await client.auth_test()
    assert response["user_id"] == slack.bot_user_id
    assert response["team_id"] == slack.team_id
    assert set(response.headers["X-OAuth-Scopes"].split(",")) == DEFAULT_SCOPES
    call = slack.calls_to("auth.test")[0]
    assert call.headers["Authorization"] == "Bearer xoxb-test"


async def test_messages_are_kept_by_ts_through_post_update_and_delete(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    posted = await client.chat_postMessage(channel="C0OPS", text="J1 running", blocks=[])
    ts = posted["ts"]
    assert posted["channel"] == "C0OPS"
    assert slack.messages[ts]["text"] == "J1 running"

    block = {"type": "section", "text": {"type": "mrkdwn", "text": "J1 done"}}
    await client.chat_update(channel="C0OPS", ts=ts, text="J1 done", blocks=[block])
    assert slack.messages[ts]["blocks"] == [block]
    assert slack.calls_to("chat.update")[0].args["blocks"] == [block]

    await client.chat_delete(channel="C0OPS", ts=ts)
    assert ts not in slack.messages
    with pytest.raises(SlackApiError) as err:
        await client.chat_update(channel="C0OPS", ts=ts, text="again")
    assert err.value.response["error"] == "message_not_found"


async def test_form_encoded_body_with_token_field_is_accepted_and_json_fields_decoded(
    slack: FakeSlack,
) -> None:
    anonymous = AsyncWebClient(base_url=slack.api_url)
    blocks = [{"type": "section", "text": {"type": "plain_text", "text": "xin chào"}}]
    data = {"token": slack.bot_token, "channel": "C0OPS", "blocks": json.dumps(blocks)}
    # slack_sdk logs a form body at DEBUG, token and all: the bot never sends one (its token
    # goes in the Authorization header), so this test of the fake keeps that record unmade
    # rather than have the session's secret check see it.
    sdk_log = logging.getLogger("slack_sdk.web.async_base_client")
    level = sdk_log.level
    sdk_log.setLevel(logging.INFO)
    try:
        await anonymous.api_call("chat.postMessage", data=data)
    finally:
        sdk_log.setLevel(level)
    assert slack.calls_to("chat.postMessage")[0].args["blocks"] == blocks


async def test_message_to_a_user_id_lands_in_a_dm_and_empty_message_is_refused(
    client: AsyncWebClient,
) -> None:
    assert (await client.chat_postMessage(channel="U0OPS1", text="hi"))["channel"] == "D0OPS1"
    with pytest.raises(SlackApiError) as err:  # api_call: chat_postMessage warns without text
        await client.api_call("chat.postMessage", json={"channel": "C0OPS"})
    assert err.value.response["error"] == "no_text"
    ephemeral = await client.chat_postEphemeral(channel="C0OPS", user="U0OPS1", text="only you")
    assert ephemeral["message_ts"]


@pytest.mark.parametrize(("token", "error"), [(None, "not_authed"), ("xoxb-wrong", "invalid_auth")])
async def test_missing_or_wrong_token_is_refused(
    slack: FakeSlack, token: str | None, error: str
) -> None:
    with pytest.raises(SlackApiError) as err:
        await AsyncWebClient(token=token, base_url=slack.api_url).auth_test()
    assert err.value.response["error"] == error


async def test_unknown_method_is_recorded_and_refused(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    with pytest.raises(SlackApiError) as err:
        await client.api_call("reactions.add", json={"name": "eyes"})
    assert err.value.response["error"] == "unknown_method"
    assert slack.calls_to("reactions.add")[0].args == {"name": "eyes"}


async def test_views_open_update_and_publish_follow_slack_rules(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    modal = {"type": "modal", "callback_id": "import_submit", "title": _plain("Import")}
    trigger = new_trigger_id()
    opened = (await client.views_open(trigger_id=trigger, view=modal))["view"]
    assert opened["id"] in slack.views and opened["callback_id"] == "import_submit"

    with pytest.raises(SlackApiError) as err:
        await client.views_open(trigger_id=trigger, view=modal)
    assert err.value.response["error"] == "trigger_exchanged"

    stale = f"{int((time.time() - 10) * 1000)}.1.abcdef"
    with pytest.raises(SlackApiError) as err:
        await client.views_open(trigger_id=stale, view=modal)
    assert err.value.response["error"] == "expired_trigger_id"

    preview = {**modal, "callback_id": "import_confirm", "private_metadata": "U1"}
    updated = await client.views_update(view_id=opened["id"], hash=opened["hash"], view=preview)
    assert slack.views[opened["id"]]["private_metadata"] == "U1"
    with pytest.raises(SlackApiError) as err:
        await client.views_update(view_id=opened["id"], hash=opened["hash"], view=preview)
    assert err.value.response["error"] == "hash_conflict"
    assert updated["view"]["hash"] != opened["hash"]

    home = {"type": "home", "blocks": [{"type": "section", "text": _plain("J1")}]}
    await client.views_publish(user_id="U0OPS1", view=home)
    assert slack.home_views["U0OPS1"]["blocks"] == home["blocks"]


async def test_users_info_answers_configured_users_and_email_needs_its_scope(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    slack.add_user("U0OPS1", "op", email="op@example.vn")
    user = (await client.users_info(user="U0OPS1"))["user"]
    assert user["id"] == "U0OPS1" and user["profile"]["email"] == "op@example.vn"

    with pytest.raises(SlackApiError) as err:
        await client.users_info(user="U0NOBODY")
    assert err.value.response["error"] == "user_not_found"

    slack.scopes = DEFAULT_SCOPES - {"users:read.email"}
    assert "email" not in (await client.users_info(user="U0OPS1"))["user"]["profile"]


async def test_users_info_tells_the_configured_locale_only_when_asked_for_it(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    slack.add_user("U0VI", "vi", locale="vi-VN")
    assert "locale" not in (await client.users_info(user="U0VI"))["user"]
    user = (await client.users_info(user="U0VI", include_locale=True))["user"]
    assert user["locale"] == "vi-VN"


async def test_channel_reads_need_the_read_scopes_an_older_install_lacks(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    slack.add_channel("C0OPS", "ops", members=["U0OPS1"])
    slack.scopes = DEFAULT_SCOPES - {"channels:read", "groups:read"}
    with pytest.raises(SlackApiError) as err:
        await client.conversations_info(channel="C0OPS")
    assert err.value.response["error"] == "missing_scope"
    with pytest.raises(SlackApiError) as err:
        await client.users_conversations(user="U0OPS1")
    assert err.value.response["error"] == "missing_scope"

    slack.scopes = DEFAULT_SCOPES
    assert (await client.conversations_info(channel="C0OPS"))["channel"]["name"] == "ops"
    slack.join("U0OPS1", "C0B", "C0C")
    first = await client.users_conversations(user="U0OPS1", limit=2)
    assert [c["id"] for c in first["channels"]] == ["C0B", "C0C"]
    cursor = first["response_metadata"]["next_cursor"]
    rest = await client.users_conversations(user="U0OPS1", limit=2, cursor=cursor)
    assert [c["id"] for c in rest["channels"]] == ["C0OPS"]
    assert rest["response_metadata"]["next_cursor"] == ""


async def test_file_download_needs_the_bot_token_and_is_recorded(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    file = slack.add_file("F0CSV1", CSV, "contacts.csv")
    info = (await client.files_info(file="F0CSV1"))["file"]
    assert info == file and info["size"] == len(CSV)

    url = info["url_private_download"]
    async with httpx.AsyncClient() as http:
        good = await http.get(url, headers={"Authorization": f"Bearer {slack.bot_token}"})
        missing = await http.get(url)
        wrong = await http.get(url, headers={"Authorization": "Bearer xoxb-other"})
        slack.file_login_page = True
        login = await http.get(url)
    assert good.content == CSV and good.headers["Content-Type"].startswith("text/csv")
    assert (missing.status_code, wrong.status_code) == (403, 403)
    assert login.status_code == 200 and login.headers["Content-Type"].startswith("text/html")
    assert [d.headers.get("Authorization") for d in slack.downloads] == [
        "Bearer xoxb-test",
        None,
        "Bearer xoxb-other",
        None,
    ]


async def test_file_served_by_a_foreign_host_records_what_that_host_saw(slack: FakeSlack) -> None:
    async with FakeSlack(bot_token="xoxb-not-ours", public_host="localhost") as foreign:
        file = slack.add_file("F0EVIL", CSV, "evil.csv", host=foreign.url)
        assert file["url_private_download"].startswith("http://localhost:")
        async with httpx.AsyncClient() as http:
            await http.get(file["url_private_download"])
        assert [d.headers.get("Authorization") for d in foreign.downloads] == [None]
        assert slack.downloads == []


async def test_files_upload_v2_records_bytes_channel_thread_and_comment(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    parent = await client.chat_postMessage(channel="C0OPS", text="J1 done")
    response = await client.files_upload_v2(
        content=CSV,
        filename="J1-rejected.csv",
        title="Rejected rows",
        channel="C0OPS",
        thread_ts=parent["ts"],
        initial_comment="1 row rejected",
    )
    assert [c.method for c in slack.calls[1:]] == [
        "files.getUploadURLExternal",
        "upload_url",
        "files.completeUploadExternal",
    ]
    assert "Authorization" not in slack.calls_to("upload_url")[0].headers
    uploaded = slack.uploaded_files[0]
    assert uploaded["content"] == CSV
    assert uploaded["filename"] == "J1-rejected.csv" and uploaded["title"] == "Rejected rows"
    assert (uploaded["channel_id"], uploaded["thread_ts"]) == ("C0OPS", parent["ts"])
    assert uploaded["initial_comment"] == "1 row rejected"
    assert (await client.files_info(file=response["file"]["id"]))["file"]["filetype"] == "csv"

    await client.files_upload_v2(file=PNG, filename="calls.png", channel="C0OPS")
    assert slack.uploaded_files[1]["content"] == PNG
    assert slack.files[slack.uploaded_files[1]["file_id"]]["mimetype"] == "image/png"


async def test_rate_limited_call_is_retried_after_retry_after(slack: FakeSlack) -> None:
    handler = AsyncRateLimitErrorRetryHandler(max_retry_count=1)
    client = AsyncWebClient(token=slack.bot_token, base_url=slack.api_url, retry_handlers=[handler])
    slack.rate_limit_next("chat.postMessage", retry_after=1)
    await client.chat_postMessage(channel="C0OPS", text="summary")
    first, second = slack.calls_to("chat.postMessage")
    assert (first.status, second.status) == (429, 200)
    assert second.time - first.time >= 1.0
    assert len(slack.messages) == 1


async def test_rate_limited_call_without_a_retry_handler_raises_with_retry_after(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    slack.rate_limit_next("chat.update", retry_after=7)
    with pytest.raises(SlackApiError) as err:
        await client.chat_update(channel="C0OPS", ts="1.0", text="x")
    assert err.value.response.status_code == 429
    assert err.value.response.headers["Retry-After"] == "7"
    assert err.value.response["error"] == "ratelimited"


async def test_fail_next_answers_the_error_once(slack: FakeSlack, client: AsyncWebClient) -> None:
    slack.fail_next("chat.postMessage", "not_in_channel")
    with pytest.raises(SlackApiError) as err:
        await client.chat_postMessage(channel="C0OPS", text="x")
    assert err.value.response["error"] == "not_in_channel"
    assert (await client.chat_postMessage(channel="C0OPS", text="x"))["ok"]


async def test_wait_for_returns_a_call_made_after_it_started_waiting(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    waiter = asyncio.create_task(
        slack.wait_for("chat.postMessage", lambda c: c.args.get("text") == "second")
    )
    await client.chat_postMessage(channel="C0OPS", text="first")
    await client.chat_postMessage(channel="C0OPS", text="second")
    call = await waiter
    assert call.args["channel"] == "C0OPS"


async def test_wait_for_timeout_lists_the_calls_seen(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    await client.chat_postMessage(channel="C0OPS", text="hello")
    with pytest.raises(AssertionError, match=r"(?s)no matching views\.open.*chat\.postMessage"):
        await slack.wait_for("views.open", timeout=0.05)


async def test_response_url_records_json_posts_by_tag(slack: FakeSlack) -> None:
    url = slack.response_url(tag="cmd1")
    response = await AsyncWebhookClient(url).send(text="done", response_type="ephemeral")
    assert response.status_code == 200 and response.body == "ok"
    call = await slack.wait_for("response_url")
    assert call.tag == "cmd1" and call.args["text"] == "done"
    assert slack.responses("cmd1") == [call]


# ----- signed requests through a real Bolt app


@pytest.fixture
async def bot(slack: FakeSlack) -> AsyncIterator[SlackClient]:
    """A minimal Bolt app served over HTTP, and a signed client talking to it."""
    app = AsyncApp(
        client=AsyncWebClient(token=slack.bot_token, base_url=slack.api_url),
        signing_secret=SECRET,
    )
    _register_handlers(app)
    runner = web.AppRunner(app.web_app(path="/slack/events"), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    port = runner.addresses[0][1]
    try:
        async with SlackClient(
            f"http://127.0.0.1:{port}", SECRET, response_url_factory=slack.response_url
        ) as signed:
            yield signed
    finally:
        await runner.cleanup()


def _register_handlers(app: AsyncApp) -> None:
    @app.command("/queue")
    async def queue(ack: Any, respond: Any, command: dict[str, Any]) -> None:
        await ack()
        await respond(f"queues: {command['text']}")

    @app.command("/import")
    async def import_(ack: Any, client: AsyncWebClient, body: dict[str, Any]) -> None:
        await ack()
        view = {"type": "modal", "callback_id": "import_submit", "title": _plain("Import")}
        await client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.action("job_refresh")
    async def refresh(ack: Any, respond: Any, action: dict[str, Any]) -> None:
        await ack()
        await respond(f"refreshed {action['value']}")

    @app.view("import_submit")
    async def submit(ack: Any, view: dict[str, Any]) -> None:
        values = view["state"]["values"]
        if not values["campaign"]["value"]["value"]:
            await ack(response_action="errors", errors={"campaign": "required"})
            return
        files = values["file"]["value"]["files"]
        preview = {
            "type": "modal",
            "callback_id": "import_confirm",
            "title": _plain("Preview"),
            "private_metadata": files[0]["id"],
        }
        await ack(response_action="update", view=preview)

    @app.event("app_home_opened")
    async def home(event: dict[str, Any], client: AsyncWebClient) -> None:
        view = {"type": "home", "blocks": [{"type": "section", "text": _plain("jobs")}]}
        await client.views_publish(user_id=event["user"], view=view)


async def test_slash_command_is_acked_then_answered_through_response_url(
    slack: FakeSlack, bot: SlackClient
) -> None:
    ack = await bot.command("/queue", "list", user_id="U0OPS1", channel_id="C0OPS")
    assert ack.status == 200 and ack.elapsed < 3
    call = await slack.wait_for("response_url", lambda c: c.args["text"] == "queues: list")
    assert ack.response_url == f"{slack.url}/response/{call.tag}"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"secret": "not-the-secret"},
        {"timestamp": int(time.time()) - 600},
        {"signed": False},
    ],
    ids=["wrong-secret", "old-timestamp", "unsigned"],
)
async def test_badly_signed_request_is_refused(bot: SlackClient, kwargs: dict[str, Any]) -> None:
    body = b"command=%2Fqueue&text=list&team_id=T0CALLOPS&user_id=U0OPS1"
    ack = await bot.post(body, "application/x-www-form-urlencoded", **kwargs)
    assert ack.status == 401


async def test_command_trigger_opens_a_modal_once(slack: FakeSlack, bot: SlackClient) -> None:
    ack = await bot.command("/import")
    assert ack.status == 200
    opened = await slack.wait_for("views.open")
    assert opened.args["trigger_id"] == ack.trigger_id
    assert slack.views[next(iter(slack.views))]["callback_id"] == "import_submit"


async def test_block_action_reaches_the_handler_with_its_value(
    slack: FakeSlack, bot: SlackClient
) -> None:
    ack = await bot.block_action("job_refresh", "J1", message_ts="1700000000.000100")
    assert ack.status == 200
    await slack.wait_for("response_url", lambda c: c.args["text"] == "refreshed J1")


async def test_view_submission_carries_state_values_to_the_handler(
    slack: FakeSlack, bot: SlackClient
) -> None:
    file = slack.add_file("F0CSV1", CSV, "contacts.csv")
    state = {
        "connection": {"value": select_state("aicc")},
        "campaign": {"value": text_state(None)},
        "file": {"value": files_state(file)},
    }
    refused = await bot.view_submission("import_submit", state)
    assert refused.json_body == {"response_action": "errors", "errors": {"campaign": "required"}}

    state["campaign"] = {"value": text_state("42")}
    accepted = await bot.view_submission("import_submit", state)
    assert accepted.json_body["view"]["private_metadata"] == "F0CSV1"


async def test_app_home_opened_event_publishes_the_home_tab(
    slack: FakeSlack, bot: SlackClient
) -> None:
    ack = await bot.event({"type": "app_home_opened", "user": "U0OPS1", "tab": "home"})
    assert ack.status == 200
    await slack.wait_for("views.publish", lambda c: c.args["user_id"] == "U0OPS1")


async def test_url_verification_echoes_the_challenge(bot: SlackClient) -> None:
    ack = await bot.url_verification("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P")
    assert ack.json_body == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}


def _plain(text: str) -> dict[str, str]:
    return {"type": "plain_text", "text": text}
