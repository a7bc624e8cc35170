"""The ``callops`` command line as a user runs it: one sentence per mistake, no tracebacks."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.cli import main
from tests.console.conftest import callops, callops_env
from tests.harness.fake_slack import FakeSlack
from tests.harness.signing import SlackClient

BAD_CONFIG = """\
connections:
  main: {provider: stringee, base_url: "https://x.example"}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No Slack token or config from the machine running the tests; logging put back."""
    for name in (
        "SLACK_BOT_TOKEN",
        "SLACK_APP_TOKEN",
        "SLACK_SIGNING_SECRET",
        "CALLOPS_CONFIG",
        "DATABASE_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    root, scheduler = logging.getLogger(), logging.getLogger("apscheduler")
    handlers, levels = list(root.handlers), (root.level, scheduler.level)
    yield
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()  # e.g. the console's log file
    root.handlers[:] = handlers
    root.level, scheduler.level = levels


@pytest.fixture
def bad_config(tmp_path: Path) -> Path:
    path = tmp_path / "callops.yml"
    path.write_text(BAD_CONFIG, encoding="utf-8")
    return path


def assert_one_sentence(stderr: str, *fragments: str) -> None:
    assert "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1, stderr
    for fragment in fragments:
        assert fragment in stderr


# callops run


def test_run_without_a_slack_token_says_so_in_one_line_and_opens_the_console(
    tmp_path: Path,
) -> None:
    done = callops("run", stdin="/callops\n", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    first, *rest = done.stdout.splitlines()
    assert first == "No SLACK_BOT_TOKEN set — opening the local console on the sandbox providers."
    assert rest[0].startswith("The sandbox keeps its jobs and history in ")
    assert rest[1].startswith("Log lines go to ")
    assert rest[2].startswith("callops console — you are @U0CONSOLE (admin)")
    assert "callops> /callops" in rest
    assert "callops — your calling providers in Slack" in rest
    assert done.stderr == ""


@pytest.mark.parametrize("command", [["run"], ["check"], ["console"]])
def test_a_bad_config_is_one_sentence_and_exit_2(
    command: list[str],
    bad_config: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")  # `run` reads the config only with one
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s3cret")
    monkeypatch.setenv("CALLOPS_CONFIG", str(bad_config))
    assert main(command) == 2
    captured = capsys.readouterr()
    assert_one_sentence(
        captured.err,
        f"{bad_config}: connections.main.provider: unknown provider 'stringee'",
        "use one of: alohub",
    )
    assert captured.out == ""


def test_a_missing_config_file_names_the_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--config", str(tmp_path / "nope.yml")]) == 2
    assert_one_sentence(capsys.readouterr().err, "does not exist", "callops sandbox")


def test_socket_mode_without_a_bot_token_says_what_is_missing(
    bad_config: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad_config.write_text(
        'connections:\n  aicc: {provider: aicallcenter, base_url: "https://x.example", '
        "secret_key: k}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-test")
    assert main(["run", "--config", str(bad_config)]) == 2
    assert_one_sentence(capsys.readouterr().err, "Socket Mode needs both")

    monkeypatch.delenv("SLACK_APP_TOKEN")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    assert main(["run", "--config", str(bad_config)]) == 2
    assert_one_sentence(capsys.readouterr().err, "SLACK_SIGNING_SECRET is not set")


def test_run_serves_http_until_sigterm_and_logs_no_token(tmp_path: Path) -> None:
    config = tmp_path / "callops.yml"
    config.write_text(
        f"database_url: sqlite:///{tmp_path}/callops.db\n"
        'connections:\n  aicc: {provider: aicallcenter, base_url: "http://127.0.0.1:9/aicc", '
        'secret_key: "${AICC_KEY}"}\n'
        'channels: {"*": [aicc]}\n',
        encoding="utf-8",
    )
    port = free_port()
    env = callops_env(
        SLACK_BOT_TOKEN="xoxb-SECRET-bot",
        SLACK_SIGNING_SECRET="SECRET-signing",
        CALLOPS_CONFIG=str(config),
        AICC_KEY="aicc-SECRET-key",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--host", "127.0.0.1", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            assert process.poll() is None, process.communicate()
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the bot never answered /healthz"
            time.sleep(0.1)
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert f"callops listening on http://127.0.0.1:{port}/slack/events" in err
    assert "database schema created (revision" in err
    assert "Traceback" not in err
    # Only what an operator needs: no Bolt warning about the token, no Alembic chatter.
    assert "will be unused" not in err and "alembic" not in err, err
    # Nothing listens on the port any more.
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
    for secret in ("xoxb-SECRET-bot", "SECRET-signing", "aicc-SECRET-key"):
        assert secret not in out + err


def test_run_on_a_port_in_use_is_one_sentence_and_exit_1(tmp_path: Path) -> None:
    config = tmp_path / "callops.yml"
    config.write_text(
        f"database_url: sqlite:///{tmp_path}/callops.db\n"
        'connections:\n  aicc: {provider: aicallcenter, base_url: "http://127.0.0.1:9/aicc", '
        "secret_key: k}\n",
        encoding="utf-8",
    )
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "bot", "run", "--host", "127.0.0.1", "--port", str(port)],
            cwd=tmp_path,
            env=callops_env(
                SLACK_BOT_TOKEN="xoxb-test",
                SLACK_SIGNING_SECRET="s",
                CALLOPS_CONFIG=str(config),
            ),
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=60,
        )
    assert result.returncode == 1, result.stderr
    assert f"Cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


def _children(pid: int) -> list[str]:
    """The command lines of ``pid``'s child processes, from /proc."""
    children = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
            children.append(cmdline.replace(b"\0", b" ").decode(errors="replace"))
    return children


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux's /proc")
async def test_run_in_http_mode_is_one_process_and_answers_an_acked_command_after_sigterm(
    tmp_path: Path,
) -> None:
    # The provider holds the command's request until the bot has been told to stop.
    arrived, release = asyncio.Event(), asyncio.Event()

    async def held_provider(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        arrived.set()
        await release.wait()
        body = b'{"message": "invalid secret key"}'
        writer.write(
            b"HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
            + body
        )
        await writer.drain()
        writer.close()

    provider = await asyncio.start_server(held_provider, "127.0.0.1", 0)
    provider_port = provider.sockets[0].getsockname()[1]
    config = tmp_path / "callops.yml"
    config.write_text(
        f"language: en\ndatabase_url: sqlite:///{tmp_path}/callops.db\n"
        "connections:\n  aicc: {provider: aicallcenter, "
        f'base_url: "http://127.0.0.1:{provider_port}/aicc", secret_key: k}}\n'
        'channels: {"*": [aicc]}\n',
        encoding="utf-8",
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    async with FakeSlack() as fake, provider:
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
            env=callops_env(
                SLACK_BOT_TOKEN=fake.bot_token,
                SLACK_SIGNING_SECRET="SECRET-signing",
                SLACK_API_URL=fake.api_url,
                CALLOPS_CONFIG=str(config),
            ),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            async with httpx.AsyncClient(timeout=1) as http:
                deadline = time.monotonic() + 30
                while True:
                    assert process.returncode is None, await process.communicate()
                    with contextlib.suppress(httpx.TransportError):
                        if (await http.get(f"{base}/healthz")).status_code == 200:
                            break
                    assert time.monotonic() < deadline, "the bot never answered /healthz"
                    await asyncio.sleep(0.05)
                # One process: Slack's requests are served by the bot itself.
                assert _children(process.pid) == []

                async with SlackClient(
                    base, "SECRET-signing", response_url_factory=fake.response_url
                ) as slack:
                    ack = await slack.command("/calls", "today", user_id="U0OPS1")
                assert ack.status == 200 and ack.text == "", ack.text
                await asyncio.wait_for(arrived.wait(), 30)  # the work is under way
                process.send_signal(signal.SIGTERM)
                while True:  # the bot stops listening first…
                    try:
                        await http.get(f"{base}/healthz")
                    except httpx.ConnectError:
                        break
                    except (httpx.ReadError, httpx.RemoteProtocolError):
                        pass  # taken as the server closed: the next try finds the port shut
                    assert time.monotonic() < deadline + 30, "the port was never released"
                    await asyncio.sleep(0.05)
            release.set()  # …and the provider answers only then
            _, err = await asyncio.wait_for(process.communicate(), 30)
        finally:
            if process.returncode is None:
                process.kill()
                await process.communicate()
    stderr = err.decode()
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr
    answers = fake.responses(ack.response_url.rsplit("/", 1)[-1])
    assert answers, "the acked command was not answered"
    assert "`aicc` rejected our credentials" in answers[-1].args["text"]


async def test_socket_mode_with_a_refused_app_token_is_one_sentence_and_exit_1(
    tmp_path: Path,
) -> None:
    config = tmp_path / "callops.yml"
    config.write_text(
        f"database_url: sqlite:///{tmp_path}/callops.db\n"
        'connections:\n  aicc: {provider: aicallcenter, base_url: "http://127.0.0.1:9/aicc", '
        "secret_key: k-SECRET-1234}\n",
        encoding="utf-8",
    )
    async with FakeSlack() as fake:  # answers apps.connections.open with "unknown_method"
        env = callops_env(
            SLACK_APP_TOKEN="xapp-SECRET-app",
            SLACK_BOT_TOKEN=fake.bot_token,
            SLACK_API_URL=fake.api_url,
            CALLOPS_CONFIG=str(config),
        )
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            cwd=tmp_path,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(process.communicate(), timeout=30)
        assert len(fake.calls_to("apps.connections.open")) == 1
    stderr = err.decode()
    assert process.returncode == 1, stderr
    assert "Slack refused to connect (unknown_method) — check SLACK_APP_TOKEN" in stderr
    assert "Traceback" not in stderr
    for secret in ("xapp-SECRET-app", fake.bot_token, "k-SECRET-1234"):
        assert secret not in stderr + out.decode()


# callops manifest


def test_manifest_fills_the_request_urls(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["manifest", "--url", "https://x.example"]) == 0
    out = capsys.readouterr().out
    assert "https://x.example/slack/events" in out
    assert "socket_mode_enabled: false" in out


def test_manifest_without_a_url_is_the_template(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["manifest"]) == 0
    assert "slash_commands" in capsys.readouterr().out


def test_manifest_with_a_bad_url_is_one_sentence_and_exit_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["manifest", "--url", "http://x.example"]) == 2
    captured = capsys.readouterr()
    assert_one_sentence(captured.err, "https")
    assert captured.out == ""


# callops sandbox, then callops check against it


def test_sandbox_prints_a_config_that_check_finds_all_ok(tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "sandbox", "--port", str(port)],
        cwd=tmp_path,
        env=callops_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    try:
        assert process.stdout is not None
        lines: list[str] = []
        while not lines or lines[-1].strip():  # the YAML ends with an empty line
            line = process.stdout.readline()
            assert line, process.communicate()
            lines.append(line)
        yaml_text = "".join(lines)
        assert f"http://127.0.0.1:{port}/alohub" in yaml_text
        # No provider lists its campaigns: the demo ids of every provider are printed.
        from bot.sandbox import Sandbox

        demo = Sandbox()
        ours = demo.alohub.tenant_id
        ids = [
            *(
                f"alohub-main  {c.campaignId}  "
                for c in demo.alohub.campaigns.values()
                if c.tenant_id == ours
            ),
            *(f"vbee  {c}  " for c in demo.vbee.campaigns),
            *(f"aicc  {c}  " for c in demo.aicallcenter.campaigns),
        ]
        comments = [line for line in lines if line.startswith("#   ")]
        assert all(any(i in line for line in comments) for i in ids), (ids, comments)
        config = tmp_path / "callops.yml"
        config.write_text(yaml_text, encoding="utf-8")

        done = callops(
            "check",
            cwd=tmp_path,
            CALLOPS_CONFIG=str(config),
            DATABASE_URL=f"sqlite:///{tmp_path}/check.db",
        )
        assert done.returncode == 0, done.stdout + done.stderr
        rows = done.stdout.splitlines()[1:5]
        assert [row.split()[0] for row in rows] == ["alohub-main", "vbee", "aicc", "crm"]
        assert all(row.endswith("✓ ok") for row in rows)
        assert done.stdout.splitlines()[-1] == "All 4 connections work."
        assert (tmp_path / "check.db").exists()
        for line in yaml_text.splitlines():
            if line.strip().startswith(("api_key:", "api_secret:", "secret_key:", "access_token:")):
                assert line.split(":", 1)[1].strip() not in done.stdout + done.stderr
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=20)
    assert process.returncode == 0


def test_python_dash_m_bot_has_help_for_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    for command in ("run", "console", "sandbox", "check", "manifest"):
        assert command in out
