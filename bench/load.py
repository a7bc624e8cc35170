"""Load: two replicas on one PostgreSQL, 200 signed slash commands in flight for 60 s.

Two bot processes (HTTP mode, as ``callops run`` serves) share a fresh PostgreSQL database;
the provider sandbox and a fake Slack Web API run in a third process; this process keeps
``--concurrency`` Slack-signed ``/queue list`` commands in flight, spread evenly over both
replicas, for ``--seconds`` (at most ``--max-commands``), and times each HTTP answer (the
ack). Everything is on 127.0.0.1. Then it waits (up to 60 s) for every acked command's
answer at its response_url, and reports ack p50/p99, errors, commands answered, and each
replica's peak RSS and CPU. Target: p99 under 250 ms, zero errors, every command answered.

    .venv/bin/python bench/load.py [--seconds 60] [--concurrency 200] [--max-commands 50000]

PostgreSQL: ``CALLOPS_TEST_POSTGRES_URL`` (default postgres@127.0.0.1:5432); a database
``callops_load_…`` is created for the run and dropped after.
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
import uuid
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from bench._botserver import SIGNING_SECRET  # noqa: E402
from bench.ack_latency import _Connection, _percentile  # noqa: E402
from tests.harness.signing import sign  # noqa: E402

POSTGRES = os.environ.get(
    "CALLOPS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
# Bounds whatever the options say: this is a benchmark on loopback, not a flood.
MAX_SECONDS = 300
MAX_COMMANDS = 200_000
ANSWER_WAIT = 60.0
TICKS = os.sysconf("SC_CLK_TCK")


def _body(response_url: str, n: int) -> bytes:
    from urllib.parse import urlencode

    return urlencode(
        {
            "command": "/queue",
            "text": "list",
            "user_id": "U0OPS1",
            "channel_id": "C0OPS",
            "user_name": "op",
            "team_id": "T0",
            "response_url": response_url,
            "trigger_id": f"{int(time.time() * 1000)}.{n}.load",
        }
    ).encode()


class Tally:
    """What the sender saw."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.errors: dict[str, int] = {}
        self.sent = 0

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1


async def _sender(
    port: int, response_url: str, tally: Tally, deadline: float, limit: int, numbers: list[int]
) -> None:
    connection = _Connection("127.0.0.1", port, "/slack/events")
    await connection.open()
    try:
        while time.monotonic() < deadline and tally.sent < limit:
            tally.sent += 1
            numbers[0] += 1
            body = _body(response_url, numbers[0])
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                **sign(body, SIGNING_SECRET, int(time.time())),
            }
            try:
                status, elapsed = await connection.post(body, headers)
            except (OSError, asyncio.IncompleteReadError, IndexError) as error:
                tally.error(type(error).__name__)
                await connection.close()
                await connection.open()
                continue
            if status == 200:
                tally.latencies.append(elapsed)
            else:
                tally.error(f"HTTP {status}")
    finally:
        await connection.close()


async def _load(
    ports: list[int], response_url: str, concurrency: int, seconds: float, limit: int
) -> tuple[Tally, float]:
    tally = Tally()
    numbers = [0]
    # Warm-up, not counted: one command on each replica.
    warm = Tally()
    await asyncio.gather(
        *(
            _sender(p, response_url, warm, time.monotonic() + 5, 1, [10**9 * (i + 1)])
            for i, p in enumerate(ports)
        )
    )
    started = time.monotonic()
    deadline = started + seconds
    await asyncio.gather(
        *(
            _sender(ports[i % len(ports)], response_url, tally, deadline, limit, numbers)
            for i in range(concurrency)
        )
    )
    return tally, time.monotonic() - started


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _answered(peers_in: IO[str], peers_out: IO[str]) -> int:
    peers_in.write("count\n")
    peers_in.flush()
    return int(peers_out.readline())


def main() -> None:
    """Start the peers and two replicas on a fresh database, load them, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--max-commands", type=int, default=50_000)
    options = parser.parse_args()
    seconds = min(options.seconds, MAX_SECONDS)
    limit = min(options.max_commands, MAX_COMMANDS)

    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    name = f"callops_load_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    database_url = f"{POSTGRES.rsplit('/', 1)[0]}/{name}"
    processes: list[subprocess.Popen[str]] = []
    try:
        peers = subprocess.Popen(
            [sys.executable, "-m", "bench._peers"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        processes.append(peers)
        assert peers.stdin is not None and peers.stdout is not None
        line = peers.stdout.readline()
        response_url = json.loads(line)["response_url"]
        ports = []
        replicas = []
        for _ in range(2):
            replica = subprocess.Popen(
                [sys.executable, "-m", "bench._botserver", line, database_url],
                cwd=ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            processes.append(replica)
            replicas.append(replica)
            assert replica.stdout is not None
            ports.append(int(replica.stdout.readline().split()[1]))

        cpu_before = [_cpu_seconds(r.pid) for r in replicas]
        load = _load(ports, response_url, options.concurrency, seconds, limit)
        tally, elapsed = asyncio.run(load)
        cpu_after = [_cpu_seconds(r.pid) for r in replicas]
        acked = len(tally.latencies)
        expected = acked + 2  # and the two warm-up commands
        wait_until = time.monotonic() + ANSWER_WAIT
        answered = _answered(peers.stdin, peers.stdout)
        while answered < expected and time.monotonic() < wait_until:
            time.sleep(0.5)
            answered = _answered(peers.stdin, peers.stdout)
        cpu_done = [_cpu_seconds(r.pid) for r in replicas]

        print(f"two replicas on PostgreSQL, {options.concurrency} in flight, {elapsed:.1f} s")
        print(f"commands sent {tally.sent}, acked 200: {acked} ({acked / elapsed:.0f}/s)")
        print(
            f"ack p50 {statistics.median(tally.latencies):.1f} ms, "
            f"p99 {_percentile(tally.latencies, 99):.1f} ms, max {max(tally.latencies):.1f} ms"
        )
        print(f"errors: {sum(tally.errors.values())} {tally.errors or ''}")
        print(f"answered at response_url: {answered - 2} of {acked}")
        for i, replica in enumerate(replicas):
            busy = cpu_after[i] - cpu_before[i]
            print(
                f"replica {i + 1}: peak RSS {_peak_rss_mb(replica.pid):.0f} MB, "
                f"CPU {busy:.1f} s during the load ({100 * busy / elapsed:.0f} % of a core), "
                f"{cpu_done[i] - cpu_after[i]:.1f} s more finishing"
            )
    finally:
        for process in reversed(processes):
            if process.stdin:
                process.stdin.close()
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
