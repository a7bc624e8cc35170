"""The HTTP edge: signatures over the raw bytes, and signed requests of the wrong shape."""

from __future__ import annotations

import json
import logging
import time
from urllib.parse import urlencode

import pytest

from tests.harness.signing import select_state, text_state
from tests.slack.conftest import ADMIN, OPERATOR, Harness

UNREADABLE = "callops could not read this request"


def _command(**fields: str) -> bytes:
    form = {
        "command": "/queue",
        "text": "list",
        "user_id": OPERATOR,
        "channel_id": "C0OPS",
        "response_url": "http://127.0.0.1:9/x",
        "trigger_id": "1.2.3",
        **fields,
    }
    return urlencode(form).encode()


@pytest.mark.parametrize(
    "body, headers",
    [
        # Not UTF-8, with a current timestamp and a made-up signature.
        (b"\xff\xfe\xab", {"X-Slack-Signature": "v0=" + "ab" * 32}),
        # A signature of the wrong length, and none at all.
        (_command(), {"X-Slack-Signature": "v0=00"}),
        (_command(), {}),
        # A timestamp that is not a number.
        (_command(), {"X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": "v0=00"}),
    ],
)
async def test_a_request_not_signed_by_slack_gets_401_whatever_its_bytes(
    harness: Harness, caplog: pytest.LogCaptureFixture, body: bytes, headers: dict[str, str]
) -> None:
    all_headers = {"X-Slack-Request-Timestamp": str(int(time.time())), **headers}
    ack = await harness.slack.post(
        body, "application/x-www-form-urlencoded", headers=all_headers, signed=False
    )
    assert ack.status == 401
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


@pytest.mark.parametrize("age", [-400, 400])
async def test_a_signature_from_the_future_or_over_five_minutes_old_gets_401(
    harness: Harness, age: int
) -> None:
    body = _command()
    ack = await harness.slack.post(
        body, "application/x-www-form-urlencoded", timestamp=int(time.time()) - age
    )
    assert ack.status == 401


async def test_a_body_altered_after_signing_gets_401(harness: Harness) -> None:
    signed = harness.slack.sign(_command())
    ack = await harness.slack.post(
        _command(text="delete everything"),
        "application/x-www-form-urlencoded",
        headers=signed,
        signed=False,
    )
    assert ack.status == 401
    await harness.bot.services.drain()
    assert harness.fake.calls_to("response_url") == []


async def test_a_command_whose_fields_are_not_slacks_is_answered_in_words_in_its_ack(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    # A user id that is no Slack id (Slack writes capitals and digits).
    ack = await harness.slack.post(
        _command(user_id="<@U1>\u202e"), "application/x-www-form-urlencoded"
    )
    assert ack.status == 200
    assert ack.json_body["response_type"] == "ephemeral"
    assert UNREADABLE in ack.json_body["text"] and "Run the command again" in ack.json_body["text"]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


async def test_a_modal_whose_metadata_is_not_json_tells_the_user(harness: Harness) -> None:
    ack = await harness.slack.view_submission(
        callback_id="queue_edit",
        state_values={"strategy": {"value": select_state("1")}},
        private_metadata=harness.sealed("queue_edit", "{not json"),
        user_id=ADMIN,
    )
    assert ack.status == 200
    body = ack.json_body
    assert body["response_action"] == "update", ack.text
    assert UNREADABLE in json.dumps(body["view"]["blocks"])


async def test_a_queue_edit_value_that_is_a_list_tells_the_user_and_calls_no_provider(
    harness: Harness,
) -> None:
    ack = await harness.slack.view_submission(
        callback_id="queue_edit",
        state_values={
            "strategy": {"value": {"type": "plain_text_input", "value": ["1", "2"]}},
            "wait": {"value": text_state("30")},
        },
        private_metadata=harness.sealed(
            "queue_edit", {"connection": "alohub-main", "callinId": "1"}
        ),
        user_id=ADMIN,
    )
    assert ack.status == 200
    assert UNREADABLE in json.dumps(ack.json_body["view"]), ack.text
    await harness.bot.services.drain()
    assert harness.sandbox.requests("alohub") == []


async def test_a_button_whose_value_has_fields_of_the_wrong_type_tells_the_user(
    harness: Harness,
) -> None:
    ack = await harness.slack.block_action(
        "job_pause", json.dumps({"job": ["J1"]}), response_url=harness.fake.response_url()
    )
    assert ack.status == 200
    call = await harness.fake.wait_for(
        "response_url", predicate=lambda c: c.tag == ack.response_url.rsplit("/", 1)[-1]
    )
    assert UNREADABLE in call.args["text"]
    assert call.args["response_type"] == "ephemeral"


async def test_a_list_typed_channel_id_is_refused_before_anything_is_done(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    payload = {
        "type": "block_actions",
        "user": {"id": OPERATOR},
        "channel": {"id": ["C0OPS"]},
        "actions": [{"action_id": "job_pause", "value": "J1"}],
        "response_url": harness.fake.response_url(),
    }
    body = urlencode({"payload": json.dumps(payload)}).encode()
    ack = await harness.slack.post(body, "application/x-www-form-urlencoded")
    assert ack.status == 200
    call = await harness.fake.wait_for("response_url")
    assert UNREADABLE in call.args["text"]
    await harness.bot.services.drain()
    assert await harness.bot.services.store.audit_entries() == []
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
