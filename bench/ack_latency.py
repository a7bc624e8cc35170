"""Ack latency of signed slash commands: p50/p99 for 1,000 sequential and 1,000 at 50 concurrent.

The bot runs as in production (HTTP mode: one process, Bolt on aiohttp, pinned to one CPU)
on the sandbox providers and a fake Slack Web API, in another process; this process only
sends Slack-signed ``/queue list`` commands and times each HTTP answer (the ack). The work
after the ack (an Alohub call and a response_url post) runs in the bot process at the same
time, as it would in production. Target: p99 under 10 ms sequential, under 100 ms with 50
in flight.

    .venv/bin/python bench/ack_latency.py [--count 1000] [--concurrency 50] [--unpinned]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._botserver import SIGNING_SECRET  # noqa: E402
from tests.harness.signing import sign  # noqa: E402


def _body(response_url: str, n: int) -> bytes:
    return urlencode(
        {
            "command": "/queue",
            "text": "list",
            "user_id": "U0OPS1",
            "channel_id": "C0OPS",
            "user_name": "op",
            "team_id": "T0",
            "response_url": response_url,
            "trigger_id": f"{int(time.time() * 1000)}.{n}.abc",
        }
    ).encode()


class _Connection:
    """One keep-alive HTTP/1.1 connection with hand-built requests.

    A general HTTP client spends about a millisecond of CPU per request; fifty of them at
    once would measure the load generator, not the bot. Raw streams cost ~50 µs.
    """

    def __init__(self, host: str, port: int, path: str) -> None:
        self.host, self.port, self.path = host, port, path
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            await self.writer.wait_closed()

    async def post(self, body: bytes, headers: dict[str, str]) -> tuple[int, float]:
        assert self.reader is not None and self.writer is not None
        head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        request = (
            f"POST {self.path} HTTP/1.1\r\nHost: {self.host}\r\n{head}"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode() + body
        started = time.perf_counter()
        self.writer.write(request)
        status_line = await self.reader.readline()
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        if length:
            await self.reader.readexactly(length)
        return int(status_line.split()[1]), (time.perf_counter() - started) * 1000


async def _one(connection: _Connection, response_url: str, n: int) -> float:
    body = _body(response_url, n)
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        **sign(body, SIGNING_SECRET, int(time.time())),
    }
    status, elapsed = await connection.post(body, headers)
    if status != 200:
        raise SystemExit(f"ack failed: HTTP {status}")
    return elapsed


async def _run(
    url: str, response_url: str, count: int, concurrency: int, *, bursts: bool = False
) -> list[float]:
    parts = urlsplit(url)
    connections = [
        _Connection(parts.hostname or "127.0.0.1", parts.port or 80, parts.path)
        for _ in range(concurrency)
    ]
    await asyncio.gather(*(c.open() for c in connections))
    try:
        # Warm-up, not counted: auth.test, first imports, every connection used once.
        await asyncio.gather(*(_one(c, response_url, -1) for c in connections))
        await asyncio.sleep(concurrency * 0.012)
        if bursts:
            # `concurrency` commands sent at the same instant, then a pause for the bot to
            # answer them all (the work after each ack takes ~8 ms of CPU), and again.
            latencies: list[float] = []
            for start in range(0, count, concurrency):
                batch = range(start, min(count, start + concurrency))
                latencies += await asyncio.gather(
                    *(_one(c, response_url, n) for c, n in zip(connections, batch, strict=False))
                )
                await asyncio.sleep(concurrency * 0.012)
            return latencies
        queue: asyncio.Queue[int] = asyncio.Queue()
        for n in range(count):
            queue.put_nowait(n)
        results: list[float] = []

        async def worker(connection: _Connection) -> None:
            while not queue.empty():
                results.append(await _one(connection, response_url, queue.get_nowait()))

        await asyncio.gather(*(worker(c) for c in connections))
        return results
    finally:
        await asyncio.gather(*(c.close() for c in connections))


def _cpus() -> tuple[set[int], set[int]]:
    """One CPU for the bot, the rest for everything else (all of them on a 1-CPU machine)."""
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        return set(cpus), set(cpus)
    return {cpus[-1]}, set(cpus[:-1])


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    """Start the bot process, measure, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--unpinned", action="store_true", help="let every process use any CPU")
    options = parser.parse_args()
    # The bot gets a core of its own; the peers and this sender share the other, as if
    # Slack and the providers were elsewhere (they are on the network in production).
    bot_cpu, other_cpus = _cpus()
    if options.unpinned:
        bot_cpu = other_cpus = os.sched_getaffinity(0)
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
    response_url = json.loads(line)["response_url"]
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
        print(f"{'run':<28}{'commands':>9}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}")
        runs = (
            ("sequential", 1, False),
            (f"bursts of {options.concurrency}", options.concurrency, True),
            (f"{options.concurrency} in flight, nonstop", options.concurrency, False),
        )
        for label, concurrency, bursts in runs:
            latencies = asyncio.run(
                _run(url, response_url, options.count, concurrency, bursts=bursts)
            )
            print(
                f"{label:<28}{len(latencies):>9}{statistics.median(latencies):>9.1f}"
                f"{_percentile(latencies, 99):>9.1f}{max(latencies):>9.1f}"
            )
    finally:
        for process in (server, peers):
            if process.stdin:
                process.stdin.close()
            process.wait(timeout=60)


if __name__ == "__main__":
    main()
