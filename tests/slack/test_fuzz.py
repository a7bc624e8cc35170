"""A seeded fuzz run: Slack's request shapes with wrong types, signed, posted to the bot.

Every body is signed with the bot's secret, so each one reaches the listeners' reading of
payloads. The bot must answer each below 500 and log no error or traceback, and every
request it took must leave its audit row.
"""

from __future__ import annotations

import copy
import itertools
import json
import logging
import random
from typing import Any
from urllib.parse import urlencode

import pytest

from bot.slack import retries
from tests.harness.signing import new_trigger_id
from tests.slack.conftest import OPERATOR, OPS_CHANNEL, Harness

SEED = 17
SELECT = {"type": "static_select", "selected_option": {"value": "1"}}
RUNS = 520

# Values of the wrong type for any field of a Slack payload.
WRONG: list[Any] = [
    1,
    -7,
    1.5,
    True,
    None,
    "",
    "x",
    "{not json",
    '{"job": [1]}',
    [],
    [1],
    ["C0OPS"],
    [{"id": 1}],
    {},
    {"id": ["U1"]},
    {"value": {"a": 1}},
    "\ufffd\u202e\x00",
]


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside nested dicts and lists."""
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, inner in value.items():
            found += _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += _paths(inner, (*prefix, index))
    return found


def _set(value: Any, path: tuple[Any, ...], new: Any) -> None:
    for step in path[:-1]:
        value = value[step]
    value[path[-1]] = new


def _mutate(rng: random.Random, payload: dict[str, Any]) -> dict[str, Any]:
    payload = copy.deepcopy(payload)
    for _ in range(rng.randint(1, 3)):
        paths = _paths(payload)
        if not paths:
            break
        path = rng.choice(paths)
        try:
            _set(payload, path, copy.deepcopy(rng.choice(WRONG)))
        except (TypeError, IndexError, KeyError):
            continue
    return payload


def _shapes(harness: Harness) -> list[tuple[str, dict[str, Any]]]:
    """One well-formed request of each kind the bot takes, as ("form"|"payload"|"json", body)."""
    router = harness.bot.dispatcher.router
    shapes: list[tuple[str, dict[str, Any]]] = []
    envelope = {
        "team": {"id": "T0CALLOPS", "domain": "callops-test"},
        "user": {"id": OPERATOR, "username": "op", "name": "op", "team_id": "T0CALLOPS"},
        "api_app_id": "A0CALLOPS",
        "token": "legacy-verification-token",
        "trigger_id": new_trigger_id(),
    }
    for command in router.families():
        shapes.append(
            (
                "form",
                {
                    "team_id": "T0CALLOPS",
                    "channel_id": OPS_CHANNEL,
                    "user_id": OPERATOR,
                    "user_name": "op",
                    "command": command,
                    "text": "list",
                    "api_app_id": "A0CALLOPS",
                    "response_url": harness.fake.response_url(),
                    "trigger_id": new_trigger_id(),
                },
            )
        )
    meta = json.dumps({"channel": OPS_CHANNEL, "connection": "alo"})
    for kind, id in sorted(router.interactions):
        if kind == "action":
            body = {
                "type": "block_actions",
                **envelope,
                "channel": {"id": OPS_CHANNEL, "name": "c0ops"},
                "container": {"type": "message", "message_ts": "1.2", "channel_id": OPS_CHANNEL},
                "response_url": harness.fake.response_url(),
                "actions": [
                    {
                        "type": "button",
                        "action_id": id,
                        "block_id": "actions",
                        "value": json.dumps({"job": "J1", "cmd": "/job", "text": "J1", "page": 2}),
                        "selected_option": {"value": "1", "text": {"type": "plain_text"}},
                    }
                ],
                "state": {"values": {}},
            }
        else:
            body = {
                "type": "view_submission",
                **envelope,
                "view": {
                    "id": "V0FUZZ",
                    "type": "modal",
                    "callback_id": id,
                    "private_metadata": harness.sealed(id, meta),
                    "state": {
                        "values": {
                            "name": {"value": {"type": "plain_text_input", "value": "Lan"}},
                            "phone": {"value": {"type": "plain_text_input", "value": "0912"}},
                            "strategy": {"value": SELECT},
                            "file": {"value": {"type": "file_input", "files": [{"id": "F1"}]}},
                        }
                    },
                },
            }
        shapes.append(("payload", body))
    shapes += [
        (
            "json",
            {
                "type": "event_callback",
                "team_id": "T0CALLOPS",
                "api_app_id": "A0CALLOPS",
                "event_id": "Ev0FUZZ",
                "event": {"type": "app_home_opened", "user": OPERATOR, "tab": "home"},
                "authorizations": [{"team_id": "T0CALLOPS", "user_id": "U0BOT", "is_bot": True}],
            },
        ),
        ("json", {"type": "url_verification", "challenge": "abc", "token": "t"}),
        (
            "payload",
            {"type": "block_suggestion", **envelope, "action_id": "x", "value": "a"},
        ),
        (
            "payload",
            {"type": "view_closed", **envelope, "view": {"id": "V1", "callback_id": "x"}},
        ),
        ("payload", {"type": "shortcut", **envelope, "callback_id": "x"}),
    ]
    return shapes


def _body(rng: random.Random, shapes: list[tuple[str, dict[str, Any]]]) -> tuple[bytes, str]:
    kind, shape = rng.choice(shapes)
    roll = rng.random()
    if roll < 0.04:
        # A payload that is not JSON, or JSON of the wrong kind.
        raw = rng.choice(["{not json", "[1, 2]", "null", '"text"', "1"])
        return urlencode({"payload": raw}).encode(), "application/x-www-form-urlencoded"
    if roll < 0.06:
        raw = rng.choice(["{not json", "[1]", '{"type": [1]}', '{"type": {"a": 1}}', "null"])
        return raw.encode(), "application/json"
    payload = _mutate(rng, shape)
    if kind == "form":
        form = {k: json.dumps(v) if not isinstance(v, str) else v for k, v in payload.items()}
        return urlencode(form).encode(), "application/x-www-form-urlencoded"
    if kind == "payload":
        return urlencode({"payload": json.dumps(payload)}).encode(), (
            "application/x-www-form-urlencoded"
        )
    return json.dumps(payload).encode(), "application/json"


@pytest.mark.slow
async def test_signed_bodies_of_the_wrong_shape_never_fail(
    harness: Harness, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.INFO)
    # The bodies reuse their shapes' trigger ids: each body's ids are still read by
    # bot.slack.retries, and made unique, so that none is dropped as a repeat (repeats:
    # test_slack_retries).
    read_key, sequence = retries.request_key, itertools.count()

    def unique_key(body: dict[str, Any]) -> str | None:
        key = read_key(body)
        return None if key is None else f"{key}:{next(sequence)}"

    monkeypatch.setattr(retries, "request_key", unique_key)
    rng = random.Random(SEED)
    shapes = _shapes(harness)
    dispatcher = harness.bot.dispatcher
    taken = {"command": 0, "interaction": 0}
    command, interaction = dispatcher.command, dispatcher.interaction

    async def counted_command(request: Any) -> Any:
        taken["command"] += 1
        return await command(request)

    async def counted_interaction(kind: str, id: str, request: Any) -> Any:
        # An id no handler declares is answered without running the middleware (no audit).
        if dispatcher.router.interaction(kind, id) is not None:
            taken["interaction"] += 1
        return await interaction(kind, id, request)

    dispatcher.command = counted_command  # type: ignore[method-assign]
    dispatcher.interaction = counted_interaction  # type: ignore[method-assign]
    statuses: dict[int, int] = {}
    for _ in range(RUNS):
        body, content_type = _body(rng, shapes)
        ack = await harness.slack.post(body, content_type)
        statuses[ack.status] = statuses.get(ack.status, 0) + 1
        assert ack.status < 500, (ack.status, body[:300])
    await harness.bot.services.drain()

    failures = [
        f"{r.name}: {r.getMessage()} {r.exc_info[1]!r}" if r.exc_info else r.getMessage()
        for r in caplog.records
        if r.levelno >= logging.ERROR or r.exc_info
    ]
    assert failures == [], failures[:5]
    assert "Traceback" not in caplog.text
    assert sum(statuses.values()) == RUNS
    # Every request that reached a handler left its audit row, whatever its fields held.
    # (A body whose private_metadata the fuzzer altered is refused at the edge, audited as
    # forged: no handler ran.)
    entries = await harness.bot.services.store.audit_entries(10_000)
    audited = len([e for e in entries if e.outcome != "forged"])
    assert audited == taken["command"] + taken["interaction"], (audited, taken)
    assert taken["command"] > 30 and taken["interaction"] > 30, taken
    # Most bodies are still read as requests: the run does reach the listeners.
    assert statuses.get(200, 0) > RUNS // 2, statuses
