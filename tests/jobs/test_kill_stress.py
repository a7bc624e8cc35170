"""Kill and restart under load, many times: ``callops run`` gets SIGKILL at a random moment
of four imports (one per provider) while another process keeps a core busy, and is started
again on the same port, the way an init system restarts a service.

Each round kills either the bot's whole process tree (its process group and every
descendant, as systemd does with a service's cgroup) or the bot process alone; the bot is
one process and starts none, but a stray child, were there ever one, is killed after it.
In a quarter of the rounds another process holds the port when the bot starts again: that
start must exit without touching a job (no batch claimed, none settled), and the next
start, once the port is free, resumes. After each restart the bot must answer ``/healthz``
and a slash command, and every valid row must end at the provider exactly once (Alohub), or
at most once and ``unconfirmed`` when its batch was in flight at the kill (the others):
never lost, never sent twice.

The random moments come from one seed, printed at the start and named in every failure;
``CALLOPS_STRESS_SEED=<seed>`` replays a run, ``CALLOPS_STRESS_ROUNDS`` changes its length.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from bot.sandbox import Sandbox, SandboxOptions
from bot.store import Store
from bot.store.jobs import JobStore
from tests.console.conftest import callops_env
from tests.harness.fake_slack import FakeSlack
from tests.harness.signing import SlackClient
from tests.jobs.data import csv_bytes, phones
from tests.jobs.e2e import FINAL, confirm, eventually, import_file, view_text
from tests.jobs.providers import at_provider
from tests.slack.conftest import ADMIN, OPERATOR, OPS_CHANNEL, SIGNING_SECRET, Harness

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = int(os.environ.get("CALLOPS_STRESS_ROUNDS", "20"))
ROWS = 160
CONNECTIONS = ("alohub-main", "vbee", "aicc", "crm")
# Small batches under a client-side rate limit: each import takes a few seconds, so a kill
# at a random moment of them finds batches pending, in flight and done.
BATCH = {"alohub-main": 40, "vbee": 20, "aicc": 20, "crm": 20}
RATE_LIMIT = "4/1s"
LATENCY = 0.15  # seconds each Vbee/AICallCenter/OMICall request spends at the provider
KILL_WITHIN = 1.6  # seconds after all four jobs run: the kill comes at a random moment of it
HOLD_WITHIN = 1.0  # seconds another process keeps the port after the refused start exited
CANNOT_LISTEN = b"Cannot listen"  # what a bot that cannot have its port says as it exits
READY_WITHIN = 60.0  # seconds a (re)started bot may take to answer /healthz on a busy machine
FINISH_WITHIN = 90.0

pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc (Linux)"),
    # Its CPU hog would slow the tests that time acks: never on a worker beside them.
    pytest.mark.xdist_group("cpu-heavy"),
]


def write_config(sandbox: Sandbox, tmp_path: Path) -> Path:
    """A callops.yml on the sandbox: small batches, a rate limit on every connection."""
    connections: dict[str, Any] = sandbox.connections()
    for name, size in BATCH.items():
        connections[name].update(batch_size=size, rate_limit=RATE_LIMIT)
    config = {
        "language": "en",
        "database_url": f"sqlite:///{tmp_path}/callops.db",
        "admins": [ADMIN],
        "operators": [OPERATOR],
        "connections": connections,
        "channels": {OPS_CHANNEL: list(connections)},
    }
    path = tmp_path / "callops.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def steady_port() -> int:
    """A free port below the kernel's ephemeral range: between a kill and the restart the
    port is free, and a port of that range (what binding port 0 gives) can be taken then
    by any other test on the machine binding port 0 - its bot, not ours, would answer."""
    low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    for port in random.SystemRandom().sample(range(20000, min(low, 32768)), 200):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise AssertionError("no free port below the ephemeral range")


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children, theirs, ...), read from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # gone meanwhile
        # "pid (comm) state ppid ...": comm may hold spaces and parentheses.
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` is a process that has not ended (a zombie has ended; reaped here when
    it is a child of this process)."""
    with suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


@contextmanager
def cpu_hog() -> Iterator[subprocess.Popen[bytes]]:
    """A second process that keeps one core busy for the whole test."""
    hog = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        yield hog
    finally:
        hog.kill()
        hog.wait()


@dataclass
class BotProcess:
    """``callops run`` in HTTP mode on a fixed port, in a process group of its own."""

    config: Path
    fake: FakeSlack
    port: int
    log: Path
    process: subprocess.Popen[bytes] | None = None
    _log_start: int = 0

    def start(self) -> None:
        """Start the bot (it resumes unfinished jobs); ``ready`` waits until it answers."""
        env = callops_env(
            SLACK_BOT_TOKEN=self.fake.bot_token,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=self.fake.api_url,
            CALLOPS_CONFIG=str(self.config),
        )
        self._log_start = self.log.stat().st_size if self.log.exists() else 0
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "bot",
                    "run",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    f"{self.port}",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=log,
                process_group=0,  # as a service: a process group of its own
            )

    async def ready(self) -> None:
        """Wait until this start says it listens and ``/healthz`` answers."""
        assert self.process is not None
        listening = f"listening on http://127.0.0.1:{self.port}/".encode()
        deadline = time.monotonic() + READY_WITHIN
        async with httpx.AsyncClient(timeout=2.0) as client:
            while True:
                if self.process.poll() is not None:
                    raise AssertionError(
                        f"the bot exited with {self.process.returncode}:\n{self.tail()}"
                    )
                started = listening in self.log.read_bytes()[self._log_start :]
                with suppress(httpx.TransportError):
                    answer = await client.get(f"http://127.0.0.1:{self.port}/healthz")
                    if answer.status_code == 200 and started:
                        return
                if time.monotonic() > deadline:
                    raise AssertionError(f"no /healthz within {READY_WITHIN}s:\n{self.tail()}")
                await asyncio.sleep(0.05)

    def kill(self, tree: bool) -> list[int]:
        """SIGKILL the bot: with ``tree`` its process group and every process below it at the
        same moment, else the bot alone; returns the stray children it had (none expected),
        killed right after it and gone once this returns."""
        assert self.process is not None
        below = descendants(self.process.pid)
        if tree:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        for pid in [self.process.pid, *(below if tree else [])]:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.wait()
        for pid in below:  # a stray child of the bot alone: an init system ends it too
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in below) and time.monotonic() < deadline:
            time.sleep(0.01)
        return below

    async def refused(self) -> int:
        """Wait for a start that cannot have the port to exit; returns its exit status."""
        process = self.process
        assert process is not None
        await eventually(
            lambda: process.poll() is not None,
            within=READY_WITHIN,
            what="the bot that cannot listen exiting",
        )
        assert CANNOT_LISTEN in self.log.read_bytes()[self._log_start :], self.tail()
        return int(process.returncode)

    def stop(self) -> None:
        """Kill whatever is left of the bot (end of the test)."""
        if self.process is not None:
            self.kill(tree=True)

    def tail(self) -> str:
        return self.log.read_bytes()[-3000:].decode(errors="replace")


@asynccontextmanager
async def slack_client(bot: BotProcess) -> AsyncIterator[SlackClient]:
    async with SlackClient(
        f"http://127.0.0.1:{bot.port}", SIGNING_SECRET, response_url_factory=bot.fake.response_url
    ) as client:
        yield client


async def new_jobs(jobs: JobStore, round_: int) -> dict[str, int] | None:
    """The job id of each connection in this round (four jobs a round), once all are stored."""
    first = round_ * len(CONNECTIONS) + 1
    found = {}
    for job_id in range(first, first + len(CONNECTIONS)):
        job = await jobs.job(job_id)
        if job is None:
            return None
        found[job.connection] = job_id
    return found


async def jobs_of(jobs: JobStore, ids: dict[str, int]) -> dict[str, Any]:
    return {name: await jobs.job(job_id) for name, job_id in ids.items()}


async def all_final(jobs: JobStore, ids: dict[str, int]) -> bool:
    """Whether every job of the round has ended."""
    return all(j.state in FINAL for j in (await jobs_of(jobs, ids)).values())


async def job_states(jobs: JobStore, ids: dict[str, int]) -> dict[str, Any]:
    """Each job's state, rows per state and batches: what a start that resumes it changes."""
    return {
        name: (
            (await jobs.job(job_id)).state,  # type: ignore[union-attr]
            await jobs.counts(job_id),
            [(b.number, b.state, b.rows) for b in await jobs.batches(job_id)],
        )
        for name, job_id in ids.items()
    }


async def check_rows(
    jobs: JobStore,
    sandbox: Sandbox,
    name: str,
    job_id: int,
    valid: list[str],
    in_flight_at_kill: set[int],
    where: str,
) -> int:
    """Assert where each row of a finished job ended; returns how many are unconfirmed."""
    job = await jobs.job(job_id)
    assert job is not None and job.state == "done", f"{where}: {name} J{job_id} {job and job.state}"
    rows = await jobs.rows(job_id)
    counts = await jobs.counts(job_id)
    assert sorted(r.phone for r in rows) == sorted(valid), f"{where}: {name} rows stored"
    held = at_provider(sandbox, name)
    states = {r.phone: r.state for r in rows}
    if name == "alohub-main":
        assert set(states.values()) == {"accepted"}, f"{where}: {name} {counts}"
        twice = [p for p in valid if held[p] != 1]
        assert not twice, f"{where}: {name}: {len(twice)} rows not exactly once, e.g. {twice[:3]}"
        return 0
    unconfirmed = {r.phone for r in rows if r.state == "unconfirmed"}
    from_in_flight = {r.phone for r in rows if r.batch in in_flight_at_kill}
    assert set(states.values()) <= {"accepted", "unconfirmed"}, (
        f"{where}: {name}: rows neither accepted nor unconfirmed: {counts}"
    )
    assert unconfirmed == from_in_flight, (
        f"{where}: {name}: unconfirmed rows are those of the batches in flight at the kill "
        f"({sorted(in_flight_at_kill)}): {len(unconfirmed)} vs {len(from_in_flight)}"
    )
    lost = [p for p in valid if states[p] == "accepted" and held[p] != 1]
    assert not lost, f"{where}: {name}: {len(lost)} accepted rows not once there, e.g. {lost[:3]}"
    twice = [p for p in unconfirmed if held[p] > 1]
    assert not twice, f"{where}: {name}: unconfirmed rows sent twice: {twice[:3]}"
    return len(unconfirmed)


@dataclass
class Round:
    """One kill: how, when, and the rows of each connection's import."""

    number: int
    tree: bool
    held: bool
    delay: float
    hold: float
    lists: dict[str, list[str]]
    where: str


@dataclass
class Stress:
    """The sandbox, the fake Slack, the bot process and the job store a whole run shares."""

    seed: int
    sandbox: Sandbox
    fake: FakeSlack
    bot: BotProcess
    jobs: JobStore
    mid_import: dict[str, int]
    unconfirmed: int = 0
    strays: int = 0

    def plan(self, rng: random.Random, number: int, kind: str, phones: Iterator[str]) -> Round:
        """The round's kill of ``kind`` at a moment drawn from the seeded generator."""
        tree, held = kind == "tree", kind == "held"
        delay, hold = rng.uniform(0, KILL_WITHIN), rng.uniform(0, HOLD_WITHIN)
        how = "tree" if tree else "bot alone" + (f", port held {hold:.1f}s" if held else "")
        lists = {name: [next(phones) for _ in range(ROWS)] for name in CONNECTIONS}
        where = f"seed {self.seed}, round {number + 1} ({how})"
        return Round(number, tree, held, delay, hold, lists, where)

    async def run(self, r: Round) -> None:
        """Import to all four, kill at the round's moment, restart, check every row."""
        async with slack_client(self.bot) as client:
            h = Harness(client, self.fake, self.sandbox, None)  # type: ignore[arg-type]
            previews = []
            for name in CONNECTIONS:
                content = csv_bytes([(p, "Khách") for p in r.lists[name]])
                view = await import_file(h, name, content, f"{name}-{r.number}.csv")
                assert f"{ROWS:,} valid" in view_text(view), (r.where, view)
                previews.append(view)
            for view in previews:
                await confirm(h, view)
        ids: dict[str, int] = await eventually(
            lambda: new_jobs(self.jobs, r.number), within=30, what=f"{r.where}: jobs stored"
        )
        await asyncio.sleep(r.delay)  # the random moment of the kill
        strays = self.bot.kill(r.tree)
        at_kill = {  # connection → {batch number: rows} of the batches in flight
            name: {b.number: b.rows for b in await self.jobs.batches(job_id, "in_flight")}
            for name, job_id in ids.items()
        }
        for name, job in (await jobs_of(self.jobs, ids)).items():
            self.mid_import[name] += job.state not in FINAL
        self.strays += len(strays)
        print(f"{r.where}: killed {r.delay:.2f}s in, in flight {at_kill}, strays {strays}")

        if r.held:  # someone else has the port: the start exits without touching a job
            before = await job_states(self.jobs, ids)
            holder = socket.create_server(("127.0.0.1", self.bot.port))
            try:
                self.bot.start()
                assert await self.bot.refused() == 1, (r.where, self.bot.tail())
                assert await job_states(self.jobs, ids) == before, f"{r.where}: a refused start"
                await asyncio.sleep(r.hold)
            finally:
                holder.close()
        self.bot.start()  # at once, on the same port, as an init system would
        await self.bot.ready()
        async with slack_client(self.bot) as client:
            h = Harness(client, self.fake, self.sandbox, None)  # type: ignore[arg-type]
            # Recovery is committed before the bot answers: the card already says it.
            reply = view_text(await h.reply("/job", f"J{ids['vbee']}"))
            seen = await self.jobs.job(ids["vbee"])  # what this process reads, for the message
            assert f"Import J{ids['vbee']}" in reply, (r.where, reply, seen, self.bot.tail())
            unsure = sum(at_kill["vbee"].values())
            told = f"{unsure:,} rows got no clear answer"
            assert (told in reply) == bool(unsure), (r.where, told, reply)
        await eventually(
            lambda: all_final(self.jobs, ids),
            within=FINISH_WITHIN,
            what=f"{r.where}: every job finished after the restart",
        )
        for name, job_id in ids.items():
            self.unconfirmed += await check_rows(
                self.jobs, self.sandbox, name, job_id, r.lists[name], set(at_kill[name]), r.where
            )


@pytest.mark.slow
async def test_sigkill_at_random_moments_under_load_then_restart_answers_and_loses_no_row(
    tmp_path: Path,
):
    seed = int(os.environ.get("CALLOPS_STRESS_SEED") or random.SystemRandom().randrange(10**6))
    print(f"kill stress seed {seed} (CALLOPS_STRESS_SEED={seed} replays it)", flush=True)
    rng = random.Random(seed)
    # Half the kills take the whole tree, the others the bot alone; in half of those another
    # process holds the port at the restart.
    kinds = ["tree"] * (ROUNDS // 2) + ["alone"] * (ROUNDS // 4)
    kinds += ["held"] * (ROUNDS - len(kinds))
    rng.shuffle(kinds)
    phones_left = iter(phones(ROUNDS * len(CONNECTIONS) * ROWS, seed=seed))
    options = SandboxOptions(seed=7, alohub_rows_per_second=300)
    async with Sandbox(port=0, options=options) as sandbox, FakeSlack() as fake:
        for provider in ("vbee", "aicallcenter", "omicall"):
            sandbox.faults(provider).latency = LATENCY
        bot = BotProcess(write_config(sandbox, tmp_path), fake, steady_port(), tmp_path / "bot.log")
        jobs = JobStore(Store(f"sqlite:///{tmp_path}/callops.db"))
        stress = Stress(seed, sandbox, fake, bot, jobs, dict.fromkeys(CONNECTIONS, 0))
        bot.start()
        try:
            with cpu_hog():
                await bot.ready()
                for number, kind in enumerate(kinds):
                    await stress.run(stress.plan(rng, number, kind, phones_left))
        finally:
            bot.stop()
            await jobs.store.aclose()
    print(
        f"kills mid-import: {stress.mid_import}; unconfirmed rows: {stress.unconfirmed}; "
        f"stray children killed: {stress.strays}"
    )
    # Most kills must land mid-import, or the test proves little.
    assert all(n >= ROUNDS // 2 for n in stress.mid_import.values()), (seed, stress.mid_import)
