"""``callops console --sandbox`` in a real process: piped commands, its files, its log."""

from __future__ import annotations

import os
import re
import socket
from pathlib import Path

from bot.sandbox.alohub_seed import FIRST_QUEUE_ID, QUEUE_NAMES
from tests.console.conftest import callops

LOG_LINE = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (DEBUG|INFO|WARNING|ERROR|CRITICAL) ")


def data_home() -> Path:
    return Path(os.environ["XDG_DATA_HOME"])


def log_file() -> Path:
    return Path(os.environ["XDG_STATE_HOME"]) / "callops" / "log" / "console.log"


def test_piped_commands_print_the_queues_as_text_and_exit_at_the_end(tmp_path: Path) -> None:
    script = f"/queue list\n/queue show {FIRST_QUEUE_ID}\n"
    done = callops("console", "--sandbox", stdin=script, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    database = data_home() / "callops" / "sandbox.db"
    first, second, third = out.splitlines()[:3]
    assert first.startswith(f"The sandbox keeps its jobs and history in {database};")
    assert second.startswith(f"Log lines go to {log_file()} ")
    assert third.startswith("callops console — you are @U0CONSOLE (admin) in #C0CONSOLE.")
    listing, card = out.split(f"callops> /queue show {FIRST_QUEUE_ID}\n")
    assert "callops> /queue list\nInbound queues — alohub-main\n" in listing
    assert f"{QUEUE_NAMES[0]} 1 · #{FIRST_QUEUE_ID} · " in listing
    assert "Page 1 of 3 · 25 in all" in listing and "[1] Next ▶" in listing
    assert card.startswith(f"Queue {QUEUE_NAMES[0]} 1\n")
    assert "  Queue type: " in card and "  Maximum wait: " in card
    for markup in ("*", "`", "<@", '"type"'):
        assert markup not in out
    assert "Traceback" not in done.stderr
    assert not list(tmp_path.iterdir()), "nothing is left in the working folder"


def test_a_job_from_one_sandbox_console_is_listed_in_the_next(tmp_path: Path) -> None:
    upload = tmp_path / "list.csv"
    upload.write_text("phone,name\n0912000111,Lan\n0912000222,Mai\n", encoding="utf-8")
    # connection (default), campaign, list name, file, no paste; then Enter = Import
    first = callops(
        "console", "--sandbox", stdin=f"/import\n\n101\nFirst day\n{upload}\n\n\n", cwd=tmp_path
    )
    assert first.returncode == 0, first.stderr
    assert "100%" in first.stdout  # the job ran to its end in the first console

    second = callops("console", "--sandbox", stdin="/job\n", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    listing = second.stdout.split("callops> /job\n")[1]
    assert "No imports in this channel yet." not in listing
    assert "J1" in listing and "alohub-main" in listing
    assert (data_home() / "callops" / "sandbox.db").is_file()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_log_lines_go_to_the_log_file_not_into_the_replies(tmp_path: Path) -> None:
    # A provider that does not answer: the client logs a warning at each retry.
    config = tmp_path / "callops.yml"
    config.write_text(
        f"database_url: sqlite:///{tmp_path}/callops.db\n"
        "admins: [U0CONSOLE]\n"
        "channels: {'*': [alohub-main]}\n"
        "connections:\n"
        f"  alohub-main: {{provider: alohub, base_url: 'http://127.0.0.1:{closed_port()}',"
        " api_key: k-123, tenant_id: t-1}\n",
        encoding="utf-8",
    )
    done = callops("console", "--config", str(config), stdin="/queue list\n", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    reply = done.stdout.split("callops> /queue list\n")[1]
    assert "alohub-main" in reply  # the operator is told, in a sentence
    for stream in (done.stdout, done.stderr):
        assert not LOG_LINE.search(stream), stream
        assert "try again in" not in stream
    assert f"Log lines go to {log_file()} " in done.stdout
    logged = log_file().read_text(encoding="utf-8")
    assert re.search(
        r" WARNING bot\.providers\.transport: alohub-main: GET .* try again in", logged
    )

    asked = callops(
        "console", "--config", str(config), "--log-stderr", stdin="/queue list\n", cwd=tmp_path
    )
    assert " WARNING bot.providers.transport: alohub-main: GET " in asked.stderr
    assert " INFO " not in asked.stderr and not LOG_LINE.search(asked.stdout)
