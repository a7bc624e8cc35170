"""Slack's request signing and the 3-second ack, over real HTTP."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from urllib.parse import urlencode

import httpx
import pytest

from bot.slack import server
from bot.store.db import make_engine
from tests.harness.signing import select_state, text_state
from tests.slack.conftest import ADMIN, Harness


def _command_body() -> bytes:
    return urlencode(
        {
            "command": "/queue",
            "text": "list",
            "user_id": "U0OPS1",
            "channel_id": "C0OPS",
            "response_url": "http://127.0.0.1:9/x",
            "trigger_id": "1.2.3",
        }
    ).encode()


async def test_a_wrong_signature_gets_401_and_no_provider_call(harness: Harness):
    before = len(harness.sandbox.requests("alohub"))
    ack = await harness.slack.post(
        _command_body(), "application/x-www-form-urlencoded", secret="not-the-secret"
    )
    assert ack.status == 401
    assert len(harness.sandbox.requests("alohub")) == before


async def test_a_timestamp_older_than_five_minutes_gets_401_and_no_provider_call(
    harness: Harness,
):
    before = len(harness.sandbox.requests("alohub"))
    ack = await harness.slack.post(
        _command_body(), "application/x-www-form-urlencoded", timestamp=int(time.time()) - 6 * 60
    )
    assert ack.status == 401
    assert len(harness.sandbox.requests("alohub")) == before


async def test_an_unsigned_request_gets_401(harness: Harness):
    ack = await harness.slack.post(
        _command_body(), "application/x-www-form-urlencoded", signed=False
    )
    assert ack.status == 401


async def test_a_body_that_is_not_utf8_gets_401_and_no_traceback(
    harness: Harness, caplog: pytest.LogCaptureFixture
):
    ack = await harness.slack.post(
        b"\xff\xfe\xab", "application/x-www-form-urlencoded", secret="made-up"
    )
    assert ack.status == 401
    assert "Traceback" not in caplog.text and "UnicodeDecodeError" not in caplog.text


# Timed: never on an xdist worker beside the kill stress test's CPU hog (pyproject: loadgroup).
@pytest.mark.xdist_group("cpu-heavy")
async def test_fifty_concurrent_commands_are_acked_within_3s_while_the_provider_is_slow(
    harness: Harness,
):
    harness.sandbox.faults("alohub").latency = 2.0
    acks = await asyncio.gather(*(harness.command("/queue", "list") for _ in range(50)))
    assert all(ack.status == 200 for ack in acks)
    slowest = max(ack.elapsed for ack in acks)
    assert slowest < 3.0, f"slowest ack took {slowest:.2f}s"
    # …and every one of them is answered after the slow provider replies.
    tags = {ack.response_url.rsplit("/", 1)[-1] for ack in acks}
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        answered = {c.tag for c in harness.fake.calls if c.method == "response_url"}
        if tags <= answered:
            break
        await asyncio.sleep(0.05)
    assert tags <= {c.tag for c in harness.fake.calls if c.method == "response_url"}


async def _healthz(harness: Harness) -> httpx.Response:
    base = harness.slack.url.removesuffix("/slack/events")
    async with httpx.AsyncClient(timeout=10) as client:
        return await client.get(f"{base}/healthz")


async def test_healthz_answers_ok(harness: Harness):
    response = await _healthz(harness)
    # A started bot runs the scheduled work: it says it is the leader.
    assert response.status_code == 200
    assert response.json() == {"ok": True, "loop": "ok", "database": "ok", "role": "leader"}


async def test_healthz_is_503_with_a_reason_when_the_database_stops_answering(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
):
    hung = threading.Event()
    monkeypatch.setattr(server, "HEALTH_TIMEOUT", 0.3)
    monkeypatch.setattr(harness.bot.services.store, "ping", lambda: hung.wait(30))
    try:
        response = await _healthz(harness)
    finally:
        hung.set()
    assert response.status_code == 503
    reason = "the database did not answer within 0.3 s"
    assert response.json() == {
        "ok": False,
        "reason": reason,
        "loop": "ok",
        "database": reason,
        "role": "leader",
    }


async def test_healthz_is_503_with_a_reason_when_the_database_fails(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
):
    # The database file's directory is gone: SQLite cannot open it any more.
    store = harness.bot.services.store
    store.close()
    monkeypatch.setattr(store, "engine", make_engine("sqlite:////nonexistent/dir/callops.db"))
    response = await _healthz(harness)
    assert response.status_code == 503
    reason = "the database failed (OperationalError)"
    assert response.json() == {
        "ok": False,
        "reason": reason,
        "loop": "ok",
        "database": reason,
        "role": "leader",
    }


async def test_a_modal_submission_is_answered_with_its_ack_body_within_3s(harness: Harness):
    ack = await harness.slack.view_submission(
        callback_id="queue_edit",
        state_values={
            "strategy": {"value": select_state("1")},
            "wait": {"value": text_state("soon")},
            "moh": {"value": text_state(None)},
            "announce": {"value": select_state("1")},
        },
        private_metadata=harness.sealed(
            "queue_edit",
            {"connection": "alohub-main", "callinId": "1", "channel": "C0OPS"},
        ),
        user_id=ADMIN,
    )
    assert ack.status == 200 and ack.elapsed < 3.0
    assert ack.json_body["response_action"] == "errors", ack.text
    assert "wait" in ack.json_body["errors"]


async def test_stopping_right_after_an_ack_still_answers_the_command(harness: Harness):
    harness.sandbox.faults("alohub").latency = 0.5  # the work is under way at the stop
    ack = await harness.command("/queue", "list")
    assert ack.status == 200
    await harness.bot.stop()
    answers = harness.fake.responses(ack.response_url.rsplit("/", 1)[-1])
    assert answers, "the acked command was not answered"
    assert "1001201" in json.dumps(answers[-1].args)


async def test_a_slack_429_on_post_message_is_retried_after_retry_after(harness: Harness):
    harness.fake.rate_limit_next("chat.postMessage", retry_after=1)
    await harness.bot.services.chat.post("C0OPS", "hello")
    statuses = [c.status for c in harness.fake.calls_to("chat.postMessage")]
    assert statuses == [429, 200]
