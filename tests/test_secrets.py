"""Secrets never leak: not in logs (even at DEBUG, even while retrying), reprs, errors or dumps."""

from __future__ import annotations

import logging
import random
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.config import Config, Environment, load_config, parse_config
from bot.errors import AuthError, ConfigError, ProviderError
from bot.providers.alohub import AlohubClient
from bot.providers.registry import Clients, build_client
from bot.providers.retry import RetryPolicy
from tests.conftest import mock_http
from tests.providers.scripted import Script, Sleeps, envelope, failure

SECRETS = {
    "ALOHUB_API_KEY": "ak-SECRET-alohub-7f3a9c",
    "VBEE_API_KEY": "vk-SECRET-vbee-1b2c3d",
    "VBEE_API_SECRET": "vs-SECRET-vbee-4e5f6a",
    "AICC_SECRET_KEY": "as-SECRET-aicc-8b9c0d",
    "OMICALL_TOKEN": "ot-SECRET-omicall-2d3e4f",
}

CONFIG = """\
connections:
  alohub-main: {provider: alohub, base_url: "https://xapi.test/api", api_key: "${ALOHUB_API_KEY}",
                tenant_id: "20260310", rate_limit: "50/10s"}
  vbee: {provider: vbee, base_url: "https://vbee.test", api_key: "${VBEE_API_KEY}",
         api_secret: "${VBEE_API_SECRET}"}
  aicc: {provider: aicallcenter, base_url: "https://aicc.test", secret_key: "${AICC_SECRET_KEY}"}
  crm: {provider: omicall, base_url: "https://crm.test", access_token: "${OMICALL_TOKEN}"}
channels: {"*": [alohub-main, aicc]}
"""


def assert_no_secret(text: str, secrets: Any = None) -> None:
    for secret in SECRETS.values() if secrets is None else secrets:
        assert secret not in text


@pytest.fixture
def config(tmp_path: Path) -> Config:
    path = tmp_path / "callops.yml"
    path.write_text(CONFIG, encoding="utf-8")
    return load_config(path, SECRETS)


@pytest.fixture
def everything_logged(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Capture every logger at DEBUG, including the HTTP libraries the transport quiets."""
    for name in (None, "httpx", "httpcore", "bot", "bot.providers.transport"):
        caplog.set_level(logging.DEBUG, logger=name)
    yield caplog


def all_logged(caplog: pytest.LogCaptureFixture) -> str:
    lines = [caplog.text]
    for record in caplog.records:
        lines.append(record.getMessage())
        lines.append(repr(record.args))
    return "\n".join(lines)


# The configuration


def test_config_repr_str_and_json_dump_hide_every_secret(config: Config) -> None:
    assert_no_secret(repr(config))
    assert_no_secret(str(config))
    assert_no_secret(config.model_dump_json())
    assert_no_secret(str(config.model_dump()))
    for connection in config.connections.values():
        assert_no_secret(repr(connection))
        assert_no_secret(connection.model_dump_json())
    # …while the clients can still read them.
    assert config.connections["crm"].access_token.get_secret_value() == SECRETS["OMICALL_TOKEN"]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "mistake",
    [
        {"rate_limit": "fast"},
        {"base_url": "not a url"},
        {"api_kye": "typo"},
        {"provider": "stringee"},
    ],
)
def test_a_config_error_next_to_a_secret_does_not_quote_it(mistake: dict[str, str]) -> None:
    secret = SECRETS["ALOHUB_API_KEY"]
    conn = {"provider": "alohub", "base_url": "https://x.test", "api_key": secret, **mistake}
    with pytest.raises(ConfigError) as caught:
        parse_config({"connections": {"main": conn}}, "callops.yml", {})
    assert_no_secret(str(caught.value), [secret])
    assert_no_secret(repr(caught.value), [secret])
    # The traceback a crash would print: no pydantic error (it quotes input values) inside.
    assert_no_secret("".join(traceback.format_exception(caught.value)), [secret])


def test_a_credential_of_the_wrong_type_is_refused_without_echoing_it() -> None:
    conn = {"provider": "alohub", "base_url": "https://x.test", "api_key": 73918264}
    with pytest.raises(ConfigError) as caught:
        parse_config({"connections": {"main": conn}}, "callops.yml", {})
    assert caught.value.key_path == "connections.main.api_key"
    assert "73918264" not in "".join(traceback.format_exception(caught.value))


def test_slack_tokens_from_the_environment_are_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    tokens = {
        "SLACK_BOT_TOKEN": "xoxb-SECRET-1234",
        "SLACK_SIGNING_SECRET": "SECRET-signing-5678",
        "SLACK_APP_TOKEN": "xapp-SECRET-9012",
    }
    for name, value in tokens.items():
        monkeypatch.setenv(name, value)
    environment = Environment()
    assert environment.slack_bot_token is not None
    assert environment.slack_bot_token.get_secret_value() == tokens["SLACK_BOT_TOKEN"]
    assert_no_secret(repr(environment), tokens.values())
    assert_no_secret(environment.model_dump_json(), tokens.values())


# Clients and errors


async def test_client_reprs_hide_every_secret(config: Config) -> None:
    clients = Clients(config.connections)
    try:
        for name in clients:
            client = clients[name]
            assert_no_secret(repr(client))
            assert_no_secret(str(client))
            assert_no_secret(repr(client.transport))
            assert name in repr(client)
    finally:
        await clients.aclose()


async def test_provider_errors_do_not_carry_the_key(config: Config) -> None:
    answers = [
        failure(401, "UNAUTHORIZED", "Invalid API key"),
        failure(403, "INSUFFICIENT_SCOPE", "API key lacks scope 'queue'"),
        failure(500, "FAIL", "Internal server error"),
        httpx.Response(200, text="<html>"),
        httpx.ConnectError("refused"),
        httpx.ReadTimeout("timed out"),
    ]
    connection = config.connections["alohub-main"]
    for answer in answers:
        client = build_client(
            connection, http=mock_http(Script(answer)), retry=RetryPolicy(max_attempts=1)
        )
        with pytest.raises(ProviderError) as caught:
            await client.queues_page(0)
        error = caught.value
        assert_no_secret(str(error))
        assert_no_secret(repr(error))
        assert_no_secret(str(error.__cause__ or ""))
        await client.aclose()


# Logs


async def test_retries_and_failures_log_no_secret_even_at_debug(
    config: Config, everything_logged: pytest.LogCaptureFixture
) -> None:
    connection = config.connections["alohub-main"]
    script = Script(
        httpx.ConnectError("refused"),
        failure(429, "RATE_LIMIT_EXCEEDED", "slow down", **{"Retry-After": "1"}),
        failure(503, "FAIL", "Internal server error"),
        httpx.ReadTimeout("timed out"),
        httpx.Response(200, json=envelope([])),
        failure(401, "UNAUTHORIZED", "Invalid API key"),
    )
    assert isinstance(connection.api_key.get_secret_value(), str)
    client = AlohubClient(
        connection,  # type: ignore[arg-type]
        http=mock_http(script),
        retry=RetryPolicy(rng=random.Random(7)),
        sleep=Sleeps(),
    )
    async with client:
        await client.contact_lists(1001)
        with pytest.raises(AuthError):
            await client.contact_lists(1001)

    assert len(script.requests) == 6
    assert sum("try again" in r.getMessage() for r in everything_logged.records) == 4
    assert any(r.name == "httpx" for r in everything_logged.records), "httpx lines were captured"
    assert_no_secret(all_logged(everything_logged))


async def test_every_provider_against_the_sandbox_logs_no_secret_at_debug(
    sandbox: Any, sandbox_config: Config, everything_logged: pytest.LogCaptureFixture
) -> None:
    secrets = [
        sandbox.alohub.api_key,
        sandbox.alohub.campaign_only_key,
        sandbox.vbee.api_key,
        sandbox.vbee.api_secret,
        sandbox.aicallcenter.secret_key,
        sandbox.omicall.access_token,
    ]
    sandbox.faults("alohub").error_ratio = 0.5  # some retries, and their log lines
    clients = Clients(sandbox_config.connections, retry=RetryPolicy(base_delay=0.01))
    try:
        for name in clients:
            await clients[name].check()
    finally:
        await clients.aclose()

    text = all_logged(everything_logged)
    assert "generate-access-token" in text, "the AICallCenter token request was logged"
    assert_no_secret(text, secrets)
