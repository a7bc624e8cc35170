"""``callops run`` in Socket Mode, as a process, against a fake Slack and Socket Mode server."""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.console.conftest import callops_env
from tests.harness.fake_slack import FakeSlack
from tests.harness.fake_socket_mode import FakeSocketMode
from tests.test_cli import free_port

LINK_DISABLED = (
    "Slack turned Socket Mode off for this app — turn it back on (api.slack.com/apps → "
    "your app → Socket Mode → Enable Socket Mode), or unset SLACK_APP_TOKEN and set "
    "SLACK_SIGNING_SECRET to serve Slack over HTTP instead."
)


@dataclass
class Running:
    fake: FakeSlack
    server: FakeSocketMode
    process: asyncio.subprocess.Process
    port: int

    def opened(self) -> int:
        return len(self.fake.calls_to("apps.connections.open"))

    async def finish(self, timeout: float = 30) -> tuple[int, str]:  # noqa: ASYNC109
        _, err = await asyncio.wait_for(self.process.communicate(), timeout)
        assert self.process.returncode is not None
        return self.process.returncode, err.decode()


@pytest.fixture
async def running(tmp_path: Path) -> AsyncIterator[Running]:
    """``callops run`` with SLACK_APP_TOKEN, connected to the fake Socket Mode server."""
    config = tmp_path / "callops.yml"
    config.write_text(
        f"language: en\ndatabase_url: sqlite:///{tmp_path}/callops.db\n"
        'connections:\n  aicc: {provider: aicallcenter, base_url: "http://127.0.0.1:9/aicc", '
        "secret_key: k-SECRET-1234}\n",
        encoding="utf-8",
    )
    async with FakeSlack(app_token="xapp-SECRET-app") as fake, FakeSocketMode() as server:
        fake.serve_socket_mode(server.url)
        port = free_port()
        env = callops_env(
            SLACK_APP_TOKEN=fake.app_token,
            SLACK_BOT_TOKEN=fake.bot_token,
            SLACK_API_URL=fake.api_url,
            CALLOPS_CONFIG=str(config),
        )
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            cwd=tmp_path,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            await server.wait_connected(timeout=30)
            yield Running(fake, server, process, port)
        finally:
            if process.returncode is None:
                process.kill()
                await process.communicate()


async def test_start_opens_one_connection_and_serves_on_it(running: Running) -> None:
    assert running.opened() == 1  # the URL start-up asked for is the one connected to
    # Connected and serving: an older button is acked in time.
    payload = {
        "type": "block_actions",
        "user": {"id": "U0OPS1"},
        "channel": {"id": "C0OPS"},
        "response_url": running.fake.response_url("old"),
        "actions": [{"type": "button", "action_id": "job_pause", "value": "J12"}],
    }
    envelope = await running.server.send("interactive", payload, accepts_payload=True)
    assert await running.server.ack(envelope) is not None
    told = await running.fake.wait_for("response_url", predicate=lambda c: c.tag == "old")
    assert told.args["text"] == "This button belongs to an older message; run `/job J12` again."
    running.process.send_signal(signal.SIGTERM)
    status, stderr = await running.finish()
    assert status == 0, stderr


@pytest.mark.parametrize("close", [False, True], ids=["left-open", "closed-after"])
async def test_link_disabled_stops_reconnecting_and_exits_1_saying_what_to_change(
    running: Running, close: bool
) -> None:
    opened = running.opened()
    await running.server.disconnect("link_disabled", close=close)
    status, stderr = await running.finish()
    assert status == 1, stderr
    assert LINK_DISABLED in stderr
    assert "Traceback" not in stderr
    # No reconnect attempt: Slack would refuse each, and the bot would retry forever.
    assert running.opened() == opened and running.server.connections == 1
    assert "xapp-SECRET-app" not in stderr


@pytest.mark.parametrize("reason", ["refresh_requested", "warning"])
async def test_other_disconnect_reasons_reconnect_and_sigterm_still_exits_0(
    running: Running, reason: str
) -> None:
    await running.server.disconnect(reason)
    opened = running.opened()
    await running.server.wait_connected(2, timeout=30)
    assert running.opened() == opened + 1
    envelope = await running.server.send(
        "events_api",
        {"type": "event_callback", "event": {"type": "reaction_added"}, "event_id": "Ev1"},
        accepts_payload=False,
    )
    assert await running.server.ack(envelope) is not None  # served on the new connection
    running.process.send_signal(signal.SIGTERM)
    status, stderr = await running.finish()
    assert status == 0, stderr
    assert LINK_DISABLED not in stderr
    assert "Traceback" not in stderr


def _ack_count(text: str) -> float:
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "callops_ack_seconds_count"
    )


async def test_socket_mode_serves_healthz_and_metrics_on_the_port_and_no_slack_events(
    running: Running,
) -> None:
    base = f"http://127.0.0.1:{running.port}"
    async with httpx.AsyncClient(base_url=base, timeout=10) as http:
        health = await http.get("/healthz")
        assert health.status_code == 200, health.text
        assert health.json() == {"ok": True, "loop": "ok", "database": "ok", "role": "leader"}
        before = _ack_count((await http.get("/metrics")).text)
        payload = {
            "type": "block_actions",
            "user": {"id": "U0OPS1"},
            "channel": {"id": "C0OPS"},
            "response_url": running.fake.response_url("m"),
            "actions": [{"type": "button", "action_id": "job_pause", "value": "J12"}],
        }
        envelope = await running.server.send("interactive", payload, accepts_payload=True)
        assert await running.server.ack(envelope) is not None
        after = _ack_count((await http.get("/metrics")).text)
        assert after == before + 1
        # Slack's requests come by the WebSocket: the port takes none.
        assert (await http.post("/slack/events", content=b"{}")).status_code == 404
    running.process.send_signal(signal.SIGTERM)
    status, stderr = await running.finish()
    assert status == 0, stderr
    assert f"serves /healthz and /metrics on http://127.0.0.1:{running.port}" in stderr


async def test_socket_mode_whose_port_is_taken_says_so_and_exits_1(
    running: Running, tmp_path: Path
) -> None:
    # A second replica on the same machine, told the first one's port.
    env = callops_env(
        SLACK_APP_TOKEN=running.fake.app_token,
        SLACK_BOT_TOKEN=running.fake.bot_token,
        SLACK_API_URL=running.fake.api_url,
        CALLOPS_CONFIG=str(tmp_path / "callops.yml"),
    )
    second = await asyncio.create_subprocess_exec(
        sys.executable,
        *("-m", "bot", "run", "--host", "127.0.0.1", "--port", str(running.port)),
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(second.communicate(), timeout=30)
    stderr = err.decode()
    assert second.returncode == 1, stderr
    assert f"Cannot listen on 127.0.0.1:{running.port}" in stderr, stderr
    assert "Traceback" not in stderr
