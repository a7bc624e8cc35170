"""The Python face of the sandbox: config, determinism, demo data, independence, ``serve``."""

from __future__ import annotations

import ast
import asyncio
import random
import signal
import sys
import time
from pathlib import Path

import httpx
import phonenumbers
import pytest
import yaml

import bot.sandbox
from bot.sandbox import Sandbox, SandboxOptions
from bot.sandbox.aicc_calls import generate_calls
from bot.sandbox.vnphone import MOBILE_PREFIXES, e164, national


def test_connections_and_config_yaml_point_at_the_server(sandbox: Sandbox) -> None:
    connections = sandbox.connections()
    assert set(connections) == {"alohub-main", "vbee", "aicc", "crm"}
    assert connections["alohub-main"] == {
        "provider": "alohub",
        "base_url": f"{sandbox.url}/alohub",
        "api_key": sandbox.alohub.api_key,
        "tenant_id": "20260310",
    }
    assert connections["vbee"]["api_secret"] == sandbox.vbee.api_secret
    assert connections["aicc"]["secret_key"] == sandbox.aicallcenter.secret_key
    assert connections["crm"]["access_token"] == sandbox.omicall.access_token
    assert sandbox.base_url("omicall") == f"{sandbox.url}/omicall"
    config = yaml.safe_load(sandbox.config_yaml())
    assert config == {
        "language": "en",
        "timezone": "Asia/Ho_Chi_Minh",
        "database_url": "sqlite:///callops.db",
        "admins": ["U0ADMIN1"],
        "operators": [],
        "connections": connections,
        "channels": {"*": ["alohub-main", "vbee", "aicc", "crm"]},
    }


def test_config_yaml_overrides_replace_or_drop_top_level_keys(sandbox: Sandbox) -> None:
    config = yaml.safe_load(
        sandbox.config_yaml(language="vi", audit_channel="C0AUDIT", operators=None)
    )
    assert (config["language"], config["audit_channel"]) == ("vi", "C0AUDIT")
    assert "operators" not in config


def test_unknown_provider_is_refused(sandbox: Sandbox) -> None:
    with pytest.raises(ValueError, match="unknown provider"):
        sandbox.faults("twilio")


def test_url_needs_a_started_sandbox() -> None:
    with pytest.raises(RuntimeError):
        _ = Sandbox(options=SandboxOptions(call_records=1)).url


def test_same_seed_same_data_other_seed_other_data() -> None:
    one, two = (Sandbox(options=SandboxOptions(seed=7, call_records=300)) for _ in range(2))
    other = Sandbox(options=SandboxOptions(seed=8, call_records=300))
    assert (one.alohub.api_key, one.vbee.api_secret, one.omicall.access_token) == (
        two.alohub.api_key,
        two.vbee.api_secret,
        two.omicall.access_token,
    )
    assert one.alohub.contacts(101) == two.alohub.contacts(101)
    assert list(one.omicall.contacts.values()) == list(two.omicall.contacts.values())
    strip = [{k: v for k, v in c.items() if k != "called_at"} for c in one.aicallcenter.calls]
    assert strip == [
        {k: v for k, v in c.items() if k != "called_at"} for c in two.aicallcenter.calls
    ]
    assert other.alohub.api_key != one.alohub.api_key
    assert other.alohub.contacts(101) != one.alohub.contacts(101)


def test_seeded_data_has_vietnamese_names_and_valid_mobiles(sandbox: Sandbox) -> None:
    phones = [c.phoneNumber for cid in (101, 102) for c in sandbox.alohub.contacts(cid)]
    phones += [c["phones"][0]["data"] for c in sandbox.omicall.contacts.values()]
    phones += [c["callee_id"] for c in sandbox.aicallcenter.calls]
    for phone in phones:
        assert len(phone) == 10 and phone[:3] in MOBILE_PREFIXES
        assert phonenumbers.is_valid_number(phonenumbers.parse(phone, "VN")), phone
    names = [c.name for c in sandbox.alohub.contacts(101) if c.name]
    assert any(name.startswith("Nguyễn ") for name in names)
    assert len(sandbox.alohub.contacts(101)) + len(sandbox.alohub.contacts(102)) == 360
    assert len([q for q in sandbox.alohub.queues.values() if q.tenant_id == "20260310"]) == 25


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0912345678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("091-234-5678", "0912345678"),
        ("02838123456", "02838123456"),
        ("12345", None),
        ("+14155552671", None),
        ("0123456789", None),
        (None, None),
    ],
)
def test_phone_reading(raw: str | None, expected: str | None) -> None:
    assert national(raw) == expected
    assert e164(raw) == (None if expected is None else "+84" + expected[1:])


def test_every_fast_path_prefix_is_valid_for_phonenumbers() -> None:
    rng = random.Random(1)
    for prefix in MOBILE_PREFIXES:
        for digit in range(10):
            number = f"{prefix}{digit}{rng.randrange(1_000_000):06d}"
            parsed = phonenumbers.parse(number, "VN")
            assert phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.MOBILE, number


@pytest.mark.slow
def test_200k_call_records_are_generated_quickly() -> None:
    started = time.perf_counter()
    calls, times = generate_calls(
        random.Random(7), 200_000, time.time(), [("cmp-1", 1.0, "028", 0.65)], 1
    )
    assert len(calls) == len(times) == 200_000 and times == sorted(times)
    assert time.perf_counter() - started < 6.0  # ~1.5 s on a quiet laptop; slack for busy CI


def test_sandbox_imports_nothing_else_from_bot() -> None:
    package = Path(bot.sandbox.__file__).parent
    for source in package.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert (
                    name == "bot.sandbox"
                    or name.startswith("bot.sandbox.")
                    or not name.startswith("bot")
                ), f"{source.name} imports {name}"


async def test_serve_prints_the_config_then_serves_until_interrupted() -> None:
    code = (
        "from bot.sandbox import serve, SandboxOptions\n"
        "serve(port=0, options=SandboxOptions(call_records=10))"
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        code,
        stdout=asyncio.subprocess.PIPE,
        cwd=Path(bot.sandbox.__file__).parents[2],
    )
    assert process.stdout is not None
    try:
        lines: list[str] = []
        async with asyncio.timeout(15):
            while not lines or lines[-1] != "\n":  # the YAML is followed by a blank line
                lines.append((await process.stdout.readline()).decode())
        url = (
            lines[0].rsplit(" ", 1)[1].strip()
        )  # "# callops.yml for the provider sandbox at <url>"
        config = yaml.safe_load("".join(lines))
        assert config["connections"]["crm"]["base_url"] == f"{url}/omicall"
        async with httpx.AsyncClient(verify=False) as http:
            r = await http.get(f"{url}/_sandbox/connections")
        assert r.json() == config["connections"]
    finally:
        process.send_signal(signal.SIGINT)  # serve() stops quietly on Ctrl-C
        async with asyncio.timeout(10):
            assert await process.wait() == 0
