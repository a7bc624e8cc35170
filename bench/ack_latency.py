"""Ack latency of signed slash commands: p50/p99 for 1,000 sequential and 1,000 at 50 concurrent.

The bot runs in its own process (HTTP mode, sandbox providers, fake Slack Web API); this
process only sends Slack-signed ``/queue list`` commands and times each HTTP answer (the
ack). The work after the ack (an Alohub call and a response_url post) runs in the bot
process at the same time, as it would in production. Target: p99 under 50 ms.

    .venv/bin/python bench/ack_latency.py [--count 1000] [--concurrency 50]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx

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


async def _one(client: httpx.AsyncClient, url: str, response_url: str, n: int) -> float:
    body = _body(response_url, n)
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        **sign(body, SIGNING_SECRET, int(time.time())),
    }
    started = time.perf_counter()
    response = await client.post(url, content=body, headers=headers)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"ack failed: HTTP {response.status_code}")
    return elapsed * 1000


async def _run(
    url: str, response_url: str, count: int, concurrency: int, *, bursts: bool = False
) -> list[float]:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:
        await _one(client, url, response_url, -1)  # warm-up: auth.test, connections
        if bursts:
            # `concurrency` commands sent at the same instant, then a pause for the bot to
            # answer them all (the work after each ack takes ~8 ms of CPU), and again.
            latencies: list[float] = []
            for start in range(0, count, concurrency):
                batch = range(start, min(count, start + concurrency))
                latencies += await asyncio.gather(
                    *(_one(client, url, response_url, n) for n in batch)
                )
                await asyncio.sleep(concurrency * 0.012)
            return latencies
        semaphore = asyncio.Semaphore(concurrency)

        async def bounded(n: int) -> float:
            async with semaphore:
                return await _one(client, url, response_url, n)

        return await asyncio.gather(*(bounded(n) for n in range(count)))


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    """Start the bot process, measure, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=50)
    options = parser.parse_args()
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
