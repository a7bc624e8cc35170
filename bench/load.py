"""Load: two replicas on one PostgreSQL, 200 operators sending signed slash commands for 60 s.

Two bot processes (HTTP mode, as ``callops run`` serves) share a fresh PostgreSQL database;
the provider sandbox and the fake Slack Web API run in a third process; this process is
the operators, and the response_url every answer is posted to. Everything is on 127.0.0.1.
Each operator is a Slack user in one of ``--channels`` channels, on one replica (half on
each, as a load balancer spreads them), sending Slack-signed ``/queue list`` commands for
``--seconds`` (at most ``--max-commands`` in all). Two ways of sending:

- ``operators`` (the target's model, the default): an operator sends a command, waits for
  its answer at the response_url (at most ``ANSWER_WAIT``), then sends the next, as a
  person at a keyboard does but without a person's pause — 200 concurrent operators are
  200 commands at most in hand, and the replicas run flat out;
- ``stress``: each operator sends its next command as soon as the last is acked, never
  waiting for the answer: the offered rate is what the acks allow, far beyond what people
  type; past the bound on acked work (``bot/slack/backlog.py``) commands are answered
  "callops is busy" at the ack. Reported separately: it is not the target's model.

Each ack is timed as the sender sees it and sorted: acked (200, empty body: the command
will be done and answered at its response_url), busy (200 with the "busy" sentence: the
operator is told to try again; the command is not done), or an error (any other status, a
connection error). After the sending stops the bench waits up to ``ANSWER_WAIT`` for the
answers still due. It prints the figures, each replica's peak RSS and CPU, the sender's
own CPU, the replicas' own ack times (``callops_ack_seconds`` from their ``/metrics``: the
share within 50, 100, 250, 1000 and 2500 ms), the machine's load average before and after,
and one ``RESULT`` line per target figure:

    RESULT ack p99 … ms (target < 250 ms): met | NOT MET
    RESULT errors … (target 0): met | NOT MET
    RESULT commands answered … of … sent (target all, none busy): met | NOT MET

Run (the target's figure, then the stress figure):

    .venv/bin/python bench/load.py [--mode operators|stress] [--seconds 60] [--concurrency 200]
        [--channels 8] [--max-commands 50000]

PostgreSQL: ``CALLOPS_TEST_POSTGRES_URL`` (default postgres@127.0.0.1:5432); a database
``callops_load_…`` is created for the run and dropped after.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from aiohttp import web
from prometheus_client.parser import text_string_to_metric_families

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from bench._botserver import SIGNING_SECRET  # noqa: E402
from bench.ack_latency import _Connection, _percentile  # noqa: E402
from bot.slack.server import HEAD_TIMEOUT  # noqa: E402
from tests.harness.signing import sign  # noqa: E402

POSTGRES = os.environ.get(
    "CALLOPS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
# Bounds whatever the options say: this is a benchmark on loopback, not a flood.
MAX_SECONDS = 300
MAX_COMMANDS = 200_000
# How long an acked command's answer may take before it counts as unanswered.
ANSWER_WAIT = 60.0
TARGET_P99_MS = 250.0
# The opening burst: every operator's first command is sent at the same instant.
BURST = 5.0
# A connection idle this long is opened anew (the replica closes one idle for 5 s).
IDLE_REOPEN = HEAD_TIMEOUT - 1.0
TICKS = os.sysconf("SC_CLK_TCK")


def _body(response_url: str, n: int, user: str, channel: str) -> bytes:
    return urlencode(
        {
            "command": "/queue",
            "text": "list",
            "user_id": user,
            "channel_id": channel,
            "user_name": user.lower(),
            "team_id": "T0",
            "response_url": response_url,
            "trigger_id": f"{int(time.time() * 1000)}.{n}.load",
        }
    ).encode()


async def _post(connection: _Connection, body: bytes) -> tuple[int, int, float]:
    """POST one signed command; its status, body length and time to the answer (ms)."""
    assert connection.reader is not None and connection.writer is not None
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        **sign(body, SIGNING_SECRET, int(time.time())),
    }
    head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    request = (
        f"POST {connection.path} HTTP/1.1\r\nHost: {connection.host}\r\n{head}"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    started = time.perf_counter()
    connection.writer.write(request)
    status_line = await connection.reader.readline()
    length = 0
    while (line := await connection.reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode().partition(":")
        if name.lower() == "content-length":
            length = int(value)
    if length:
        await connection.reader.readexactly(length)
    return int(status_line.split()[1]), length, (time.perf_counter() - started) * 1000


@dataclass
class Tally:
    """What the operators saw."""

    sent: int = 0
    acks: list[float] = field(default_factory=list)  # ms, every 200 (acked or busy)
    acked_at: list[float] = field(default_factory=list)  # s since the sending started, each
    started: float = 0.0
    busy: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    answered: int = 0  # acked commands whose answer reached the response_url
    turnaround: list[float] = field(default_factory=list)  # ms, sent → answer (operators)

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1

    @property
    def acked(self) -> int:
        return len(self.acks) - self.busy


class Answers:
    """The response_url: ``/r/<n>`` resolves command n's future when its answer arrives."""

    def __init__(self) -> None:
        self.waiting: dict[str, asyncio.Future[float]] = {}
        self.count = 0
        self.changed = asyncio.Event()

    def expect(self, n: str) -> asyncio.Future[float]:
        future = asyncio.get_running_loop().create_future()
        self.waiting[n] = future
        return future

    async def post(self, request: web.Request) -> web.Response:
        await request.read()
        future = self.waiting.pop(request.match_info["n"], None)
        if future is not None and not future.done():
            self.count += 1
            future.set_result(time.perf_counter())
            self.changed.set()
        return web.Response(text="ok")


@dataclass
class Plan:
    mode: str
    deadline: float
    limit: int
    response_url: str  # ends in /r/
    answers: Answers
    tally: Tally
    numbers: list[int] = field(default_factory=lambda: [0])


async def _reopen(connection: _Connection) -> None:
    with contextlib.suppress(OSError):
        await connection.close()
    await connection.open()


async def _operator(plan: Plan, port: int, user: str, channel: str) -> None:
    """One operator on one replica, until the deadline or the plan's count."""
    connection = _Connection("127.0.0.1", port, "/slack/events")
    await connection.open()
    tally = plan.tally
    last_used = time.monotonic()
    try:
        while time.monotonic() < plan.deadline and tally.sent < plan.limit:
            if time.monotonic() - last_used > IDLE_REOPEN:
                # The replica closes a connection idle for HEAD_TIMEOUT (as a load balancer
                # does): after a long wait for an answer, the next command opens a new one.
                await _reopen(connection)
            tally.sent += 1
            plan.numbers[0] += 1
            n = str(plan.numbers[0])
            answer = plan.answers.expect(n)
            body = _body(plan.response_url + n, plan.numbers[0], user, channel)
            started = time.perf_counter()
            try:
                status, length, elapsed = await _post(connection, body)
            except (OSError, asyncio.IncompleteReadError, IndexError, ValueError) as error:
                plan.answers.waiting.pop(n, None)
                tally.error(type(error).__name__)
                await _reopen(connection)
                continue
            finally:
                last_used = time.monotonic()
            if status != 200:
                plan.answers.waiting.pop(n, None)
                tally.error(f"HTTP {status}")
                continue
            tally.acks.append(elapsed)
            tally.acked_at.append(time.monotonic() - tally.started)
            if length:  # "callops is busy": answered at the ack, not done
                plan.answers.waiting.pop(n, None)
                tally.busy += 1
                continue
            if plan.mode == "operators":
                try:
                    answered_at = await asyncio.wait_for(answer, ANSWER_WAIT)
                except TimeoutError:
                    continue
                tally.turnaround.append((answered_at - started) * 1000)
    finally:
        with contextlib.suppress(OSError):
            await connection.close()


async def _run(
    ports: list[int], mode: str, concurrency: int, channels: int, seconds: float, limit: int
) -> tuple[Tally, float, float]:
    """The operators against the replicas; returns the tally, the sending time and the time
    the last answers took after it."""
    answers = Answers()
    app = web.Application()
    app.router.add_post("/r/{n}", answers.post)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    response_url = f"http://127.0.0.1:{port}/r/"
    try:
        # Warm-up, not counted: one command on each replica, answered.
        warm = Plan("operators", time.monotonic() + 30, 2, response_url, answers, Tally())
        await asyncio.gather(*(_operator(warm, p, "U0WARM", "C0WARM") for p in ports))
        answers.count = 0

        tally = Tally()
        started = tally.started = time.monotonic()
        plan = Plan(mode, started + seconds, limit, response_url, answers, tally)
        plan.numbers[0] = 10**6
        await asyncio.gather(
            *(
                _operator(plan, ports[i % len(ports)], f"U0OP{i:04d}", f"C0TEAM{i % channels}")
                for i in range(concurrency)
            )
        )
        elapsed = time.monotonic() - started
        # The stress mode's acked commands still due (the operators mode waited for each).
        due_by = time.monotonic() + ANSWER_WAIT
        while answers.count < tally.acked and time.monotonic() < due_by:
            answers.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(answers.changed.wait(), 1.0)
        tally.answered = answers.count
        return tally, elapsed, time.monotonic() - started - elapsed
    finally:
        await runner.cleanup()


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _ack_buckets(ports: list[int]) -> dict[str, float]:
    """The replicas' own count of acked commands by ``le`` bucket, summed over both
    (``callops_ack_seconds``: from the verified request to its ack, in the replica)."""
    buckets: dict[str, float] = {}
    for port in ports:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=30) as page:
            families = text_string_to_metric_families(page.read().decode())
        for family in families:
            for sample in family.samples:
                if (
                    sample.name == "callops_ack_seconds_bucket"
                    and sample.labels.get("kind") == "command"
                ):
                    le = sample.labels["le"]
                    buckets[le] = buckets.get(le, 0.0) + sample.value
    return buckets


def _load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT MET"


def report(tally: Tally, mode: str, concurrency: int, elapsed: float, after: float) -> None:
    """The figures, then one RESULT line per target figure."""
    acks = tally.acks or [0.0]
    errors = sum(tally.errors.values())
    unanswered = tally.acked - tally.answered
    print(f"mode {mode}: {concurrency} operators over two replicas, {elapsed:.1f} s of sending")
    print(
        f"commands sent {tally.sent} ({tally.sent / elapsed:.0f}/s): acked {tally.acked}, "
        f"busy {tally.busy}, errors {errors} {tally.errors or ''}"
    )
    print(
        f"ack p50 {statistics.median(acks):.1f} ms, p99 {_percentile(acks, 99):.1f} ms, "
        f"max {max(acks):.1f} ms (every 200, acked or busy)"
    )
    # Informative, not the target's figure: the operators all start at the same instant, so
    # the first second holds a burst of ``concurrency`` commands at once.
    steady = [ms for ms, at in zip(tally.acks, tally.acked_at, strict=True) if at >= BURST]
    if steady:
        print(
            f"ack p99 of the acks after the first {BURST:g} s (the opening burst of "
            f"{concurrency} commands at once left out; not the target's figure): "
            f"{_percentile(steady, 99):.1f} ms of {len(steady)}"
        )
    if tally.turnaround:
        print(
            f"command sent → answer at the response_url: "
            f"p50 {statistics.median(tally.turnaround):.0f} ms, "
            f"p99 {_percentile(tally.turnaround, 99):.0f} ms"
        )
    print(
        f"answered at the response_url: {tally.answered} of {tally.acked} acked "
        f"({after:.1f} s after the sending stopped)"
    )
    p99 = _percentile(acks, 99)
    label = "" if mode == "operators" else " [stress mode: beyond the target's model]"
    print(f"RESULT ack p99 {p99:.1f} ms (target < {TARGET_P99_MS:.0f} ms): ", end="")
    print(_verdict(p99 < TARGET_P99_MS) + label)
    print(f"RESULT errors {errors} (target 0): {_verdict(errors == 0)}{label}")
    print(
        f"RESULT commands answered {tally.answered} of {tally.sent} sent "
        f"(busy {tally.busy}, unanswered {unanswered}, errors {errors}; target all, none busy): "
        f"{_verdict(tally.answered == tally.sent)}{label}"
    )


def main() -> None:
    """Start the peers and two replicas on a fresh database, load them, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("operators", "stress"), default="operators")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--channels", type=int, default=8)
    parser.add_argument("--max-commands", type=int, default=50_000)
    options = parser.parse_args()
    seconds = min(options.seconds, MAX_SECONDS)
    limit = min(options.max_commands, MAX_COMMANDS)
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")

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
        assert peers.stdout is not None
        line = peers.stdout.readline()
        json.loads(line)
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

        load_before = _load_average()
        cpu_before = [_cpu_seconds(r.pid) for r in replicas]
        run = _run(ports, options.mode, options.concurrency, options.channels, seconds, limit)
        sender_cpu = time.process_time()
        tally, elapsed, after = asyncio.run(run)
        sender_cpu = time.process_time() - sender_cpu
        cpu_after = [_cpu_seconds(r.pid) for r in replicas]
        buckets = _ack_buckets(ports)  # fresh replicas: this run's (and the warm-up's)

        print(f"load average (1, 5, 15 min): before {load_before}, after {_load_average()}")
        for i, replica in enumerate(replicas):
            busy = cpu_after[i] - cpu_before[i]
            print(
                f"replica {i + 1}: peak RSS {_peak_rss_mb(replica.pid):.0f} MB, "
                f"CPU {busy:.1f} s ({100 * busy / (elapsed + after):.0f} % of a core)"
            )
        print(
            f"the sender (this process): CPU {sender_cpu:.1f} s "
            f"({100 * sender_cpu / (elapsed + after):.0f} % of a core; near 100 % its own "
            f"queueing is in the ack times it measures)"
        )
        counted = buckets.get("+Inf", 0.0) or 1.0
        shares = ", ".join(
            f"≤ {float(le) * 1000:.0f} ms {100 * buckets[le] / counted:.1f} %"
            for le in ("0.05", "0.1", "0.25", "1.0", "2.5")
            if le in buckets
        )
        print(
            f"the replicas' own ack times (callops_ack_seconds, verified request → ack, "
            f"{counted:.0f} commands): {shares}"
        )
        report(tally, options.mode, options.concurrency, elapsed, after)
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
