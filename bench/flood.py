"""A flood of signed ``/callops help`` commands: acks/s, busy answers, RSS, time to drain.

The bot runs as in production (HTTP mode, one process, pinned to one CPU) on the sandbox
providers and a fake Slack Web API in another process. This process opens N keep-alive
connections and replays signed commands on each, nonstop, for ``--seconds``; each
command's ``response_url`` points at a small server here that counts the answers. It
reports: acks (200, empty body: the command will be done), busy answers (200 with the
"callops is busy" sentence), other statuses, the bot's peak RSS, and the time from the
end of the flood until every acked command was answered.

    .venv/bin/python bench/flood.py [--connections 50 200] [--seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from aiohttp import web

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._botserver import SIGNING_SECRET  # noqa: E402
from bench.ack_latency import _Connection, _cpus  # noqa: E402
from tests.harness.signing import sign  # noqa: E402


class _Answers:
    """The response_url server: counts the answers the bot posts."""

    def __init__(self) -> None:
        self.count = 0
        self.target: int | None = None
        self.all_in = asyncio.Event()

    async def post(self, request: web.Request) -> web.Response:
        await request.read()
        self.count += 1
        self.check()
        return web.Response(text="ok")

    def check(self) -> None:
        if self.target is not None and self.count >= self.target:
            self.all_in.set()


def _body(response_url: str, n: int) -> bytes:
    return urlencode(
        {
            "command": "/callops",
            "text": "help",
            "user_id": "U0ADMIN1",
            "channel_id": f"C0FLOOD{n % 4}",
            "user_name": "op",
            "team_id": "T0",
            "response_url": response_url,
            "trigger_id": f"{int(time.time() * 1000)}.{n}.abc",
        }
    ).encode()


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


async def _flood(url: str, pid: int, connections: int, seconds: float) -> dict[str, float]:
    answers = _Answers()
    app = web.Application()
    app.router.add_post("/r", answers.post)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    response_url = f"http://127.0.0.1:{port}/r"
    host, _, rest = url.removeprefix("http://").partition("/")
    bot_host, _, bot_port = host.partition(":")
    pool = [_Connection(bot_host, int(bot_port), "/" + rest) for _ in range(connections)]
    await asyncio.gather(*(c.open() for c in pool))
    acks = busy = other = 0
    peak = _rss_mb(pid)
    counter = iter(range(10**9))
    end = time.monotonic() + seconds

    async def replay(connection: _Connection) -> None:
        nonlocal acks, busy, other
        assert connection.reader is not None and connection.writer is not None
        while time.monotonic() < end:
            body = _body(response_url, next(counter))
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                **sign(body, SIGNING_SECRET, int(time.time())),
            }
            status, length = await _post(connection, body, headers)
            if status == 200 and length == 0:
                acks += 1
            elif status == 200:
                busy += 1
            else:
                other += 1

    async def sample() -> None:
        nonlocal peak
        while time.monotonic() < end + 120:
            peak = max(peak, _rss_mb(pid))
            await asyncio.sleep(0.25)

    sampler = asyncio.create_task(sample())
    await asyncio.gather(*(replay(c) for c in pool))
    flood_end = time.monotonic()
    answers.target = acks
    answers.check()
    try:
        async with asyncio.timeout(120):
            await answers.all_in.wait()
    except TimeoutError:
        pass
    drained = time.monotonic() - flood_end
    sampler.cancel()
    await asyncio.gather(*(c.close() for c in pool), return_exceptions=True)
    await runner.cleanup()
    return {
        "acks": acks,
        "acks/s": acks / seconds,
        "busy": busy,
        "other": other,
        "answered": answers.count,
        "peak RSS MB": peak,
        "drain s": drained,
    }


async def _post(connection: _Connection, body: bytes, headers: dict[str, str]) -> tuple[int, int]:
    """POST on a raw keep-alive connection; the status and the answer's length."""
    assert connection.reader is not None and connection.writer is not None
    head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    connection.writer.write(
        (
            f"POST {connection.path} HTTP/1.1\r\nHost: {connection.host}\r\n{head}"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        + body
    )
    status_line = await connection.reader.readline()
    length = 0
    while (line := await connection.reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode().partition(":")
        if name.lower() == "content-length":
            length = int(value)
    if length:
        await connection.reader.readexactly(length)
    return int(status_line.split()[1]), length


def main() -> None:
    """Start the peers and the bot, flood at each connection count, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--seconds", type=float, default=10.0)
    options = parser.parse_args()
    bot_cpu, other_cpus = _cpus()
    os.sched_setaffinity(0, other_cpus)
    peers = subprocess.Popen(
        [sys.executable, "-m", "bench._peers"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert peers.stdout is not None
    line = peers.stdout.readline()
    json.loads(line)
    print(
        f"{'connections':>11}{'acks':>8}{'acks/s':>8}{'busy':>8}{'other':>7}"
        f"{'answered':>9}{'peak RSS MB':>12}{'drain s':>9}"
    )
    for connections in options.connections:
        # A fresh bot for each run, so that one run's backlog is not the next one's.
        server = subprocess.Popen(
            [sys.executable, "-m", "bench._botserver", line],
            cwd=ROOT,
            preexec_fn=lambda: os.sched_setaffinity(0, bot_cpu),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.stdout is not None
            url = f"http://127.0.0.1:{server.stdout.readline().split()[1]}/slack/events"
            row = asyncio.run(_flood(url, server.pid, connections, options.seconds))
            print(
                f"{connections:>11}{row['acks']:>8.0f}{row['acks/s']:>8.0f}{row['busy']:>8.0f}"
                f"{row['other']:>7.0f}{row['answered']:>9.0f}{row['peak RSS MB']:>12.0f}"
                f"{row['drain s']:>9.1f}",
                flush=True,
            )
        finally:
            if server.stdin:
                server.stdin.close()
            server.wait(timeout=120)
    if peers.stdin:
        peers.stdin.close()
    peers.wait(timeout=60)


if __name__ == "__main__":
    main()
