"""SIGKILL the bot process in the middle of a 20,000-row import to each provider, start it again:
Alohub ends with every valid row exactly once; elsewhere every row outside the batches in
flight at the kill (up to ``parallel_batches``) is there exactly once, and those batches' rows
are confirmed or ``unconfirmed`` — never sent twice without the operator asking."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.sandbox import Sandbox, SandboxOptions
from bot.store import Store
from bot.store.jobs import JobStore
from tests.harness.fake_slack import FakeSlack
from tests.harness.signing import SlackClient
from tests.jobs.data import csv_bytes, phones
from tests.jobs.e2e import confirm, eventually, import_file
from tests.jobs.providers import at_provider
from tests.slack.conftest import ADMIN, OPERATOR, OPS_CHANNEL, SIGNING_SECRET, Harness

ROOT = Path(__file__).resolve().parents[2]
ROWS = 20_000
CONNECTIONS = ("alohub-main", "vbee", "aicc", "crm")
FINAL = ("done", "failed", "cancelled", "lost")


def write_config(
    sandbox: Sandbox,
    tmp_path: Path,
    *,
    database_url: str | None = None,
    alohub_batch: int = 2000,
    batch: int = 500,
) -> Path:
    """A callops.yml on the sandbox: Alohub in 2,000-row chunks, the others in 500-row batches."""
    connections: dict[str, Any] = sandbox.connections()
    connections["alohub-main"]["batch_size"] = alohub_batch
    for name in ("vbee", "aicc", "crm"):
        connections[name]["batch_size"] = batch
    config = {
        "language": "en",
        "database_url": database_url or f"sqlite:///{tmp_path}/callops.db",
        "admins": [ADMIN],
        "operators": [OPERATOR],
        "connections": connections,
        "channels": {OPS_CHANNEL: list(connections)},
    }
    path = tmp_path / "callops.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


@asynccontextmanager
async def bot_process(config: Path, fake: FakeSlack, log: Path, *args: str) -> AsyncIterator[Any]:
    """The bot in its own process; yields ``(process, port)`` and kills it at the end.

    ``args`` follow the config on ``tests.jobs.botproc``'s command line."""
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": fake.bot_token,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake.api_url,
    }
    env.pop("SLACK_APP_TOKEN", None)
    with log.open("ab") as errors:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.jobs.botproc",
            str(config),
            *args,
            cwd=ROOT,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=errors,
        )
    try:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), timeout=30)
        assert line.startswith(b"PORT "), line + _tail(log)
        yield process, int(line.split()[1])
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGKILL)
        await process.wait()


def _tail(log: Path) -> bytes:
    return log.read_bytes()[-2000:]


async def snapshot(jobs: JobStore) -> dict[str, tuple[int, str, list[Any]]]:
    """Each connection's job: id, state and batches, read from the database."""
    out = {}
    for job_id in range(1, 5):
        job = await jobs.job(job_id)
        if job is not None:
            out[job.connection] = (job_id, job.state, list(await jobs.batches(job_id)))
    return out


def at_mid(name: str, job_state: str, batches: list[Any]) -> bool:
    """True once a job has finished a batch or two (Alohub: a chunk) and is not over."""
    done = sum(b.state == "done" for b in batches)
    return job_state not in FINAL and done >= (1 if name == "alohub-main" else 2)


async def mid_import(jobs: JobStore) -> bool:
    """True once all four jobs have finished a batch or two and none is over."""
    state = await snapshot(jobs)
    return len(state) == 4 and all(at_mid(name, *rest[1:]) for name, rest in state.items())


def progress(state: dict[str, tuple[int, str, list[Any]]]) -> str:
    """One line a job: its state and how many of its batches are done, in flight, made."""
    lines = []
    for name in CONNECTIONS:
        if name not in state:
            lines.append(f"  {name}: no job")
            continue
        job_id, job_state, batches = state[name]
        done = sum(b.state == "done" for b in batches)
        in_flight = sum(b.state == "in_flight" for b in batches)
        lines.append(
            f"  {name} J{job_id}: {job_state}, {done}/{len(batches)} batches done,"
            f" {in_flight} in flight"
        )
    return "\n".join(lines)


# The sandbox's provider behind each connection.
PROVIDER = {"alohub-main": "alohub", "vbee": "vbee", "aicc": "aicallcenter", "crm": "omicall"}
HELD_ALOHUB_RATE = 20.0  # rows a second: a held Alohub chunk stays unfinished for minutes


class MidImport:
    """Waits until all four jobs are mid-import at once, and keeps each there once it is.

    The jobs start one after the other (each file is read and its rows stored first), and
    a busy machine slows that start while the providers keep their own pace: a job that got
    going first could end before the last one had finished a batch. So as each job reaches
    its mid-point, its provider is held: it answers after ``held_latency`` seconds (Alohub:
    works at ``HELD_ALOHUB_RATE`` rows a second), so that the job goes on, slowly, with its
    batches in flight, until every job is there. ``release`` restores the providers' pace
    (before the restart: the restarted bot finishes at full speed)."""

    def __init__(
        self, sandbox: Sandbox, jobs: JobStore, logs: list[Path], *, held_latency: float
    ) -> None:
        self.sandbox, self.jobs, self.logs = sandbox, jobs, logs
        self.held_latency = held_latency
        self.latency = {p: sandbox.faults(p).latency for p in PROVIDER.values()}
        self.rate = sandbox.alohub.rows_per_second
        self.held: list[str] = []

    async def reached(self) -> bool:
        """Hold each job that is mid-import now; True once all four are."""
        state = await snapshot(self.jobs)
        for name, (_, job_state, batches) in state.items():
            if name not in self.held and at_mid(name, job_state, batches):
                if name == "alohub-main":
                    self.sandbox.alohub.rows_per_second = HELD_ALOHUB_RATE
                else:
                    self.sandbox.faults(PROVIDER[name]).latency = self.held_latency
                self.held.append(name)
        return len(state) == 4 and all(at_mid(name, *rest[1:]) for name, rest in state.items())

    async def wait(self, within: float = 90.0) -> None:
        await eventually(
            self.reached, within=within, what="every job mid-import", explain=self.explain
        )

    async def explain(self) -> str:
        """Each job now, which ones were held, and the tail of each bot's log."""
        tails = "\n".join(
            f"{log.name} (tail):\n{_tail(log).decode(errors='replace')}" for log in self.logs
        )
        return f"jobs:\n{progress(await snapshot(self.jobs))}\nheld: {self.held}\n{tails}"

    def release(self) -> None:
        """Every provider back at its own pace."""
        for provider, latency in self.latency.items():
            self.sandbox.faults(provider).latency = latency
        self.sandbox.alohub.rows_per_second = self.rate


@pytest.mark.slow
async def test_sigkill_mid_import_then_restart_loses_no_row_and_sends_none_twice(tmp_path: Path):
    options = SandboxOptions(seed=7, alohub_rows_per_second=1500)
    async with Sandbox(port=0, options=options) as sandbox, FakeSlack() as fake:
        for name in ("vbee", "aicallcenter", "omicall"):
            sandbox.faults(name).latency = 0.2  # a batch spends most of its time in flight
        config = write_config(sandbox, tmp_path)
        lists = {name: phones(ROWS, seed=100 + i) for i, name in enumerate(CONNECTIONS)}
        jobs = JobStore(Store(f"sqlite:///{tmp_path}/callops.db"))
        log = tmp_path / "bot.log"
        try:
            async with (
                bot_process(config, fake, log) as (_, port),
                SlackClient(
                    f"http://127.0.0.1:{port}",
                    SIGNING_SECRET,
                    response_url_factory=fake.response_url,
                ) as client,
            ):
                h = Harness(client, fake, sandbox, None)  # type: ignore[arg-type]
                previews = []
                for name in CONNECTIONS:  # read all four first, then start them together
                    content = csv_bytes([(p, "Khách hàng") for p in lists[name]])
                    view = await import_file(h, name, content, f"{name}.csv")
                    assert f"{ROWS:,} valid" in str(view["blocks"]), view
                    previews.append(view)
                for view in previews:
                    await confirm(h, view)
                mid = MidImport(sandbox, jobs, [log], held_latency=5.0)
                await mid.wait()
                # SIGKILL as the context exits: no chance to finish the batch in flight.
            at_kill = await snapshot(jobs)
            assert all(state == "running" for _, state, _ in at_kill.values()), at_kill
            mid.release()

            async def all_final() -> bool:
                return all(s in FINAL for _, s, _ in (await snapshot(jobs)).values())

            async with bot_process(config, fake, log):
                await eventually(
                    all_final,
                    within=90,
                    what="every job finished after the restart",
                    explain=mid.explain,
                )
            await check_every_row(jobs, at_kill, lists, sandbox)
        finally:
            await jobs.store.aclose()


async def check_every_row(
    jobs: JobStore, at_kill: dict[str, Any], lists: dict[str, list[str]], sandbox: Any
) -> None:
    """Each job done; no row lost, none sent twice (an unconfirmed row at most once)."""
    for name in CONNECTIONS:
        job_id, _, batches_at_kill = at_kill[name]
        valid = lists[name]
        counts = await jobs.counts(job_id)
        held = at_provider(sandbox, name)
        job = await jobs.job(job_id)
        assert job is not None and job.state == "done", (name, job and job.reason)
        if name == "alohub-main":
            assert counts == {"accepted": ROWS}
            assert all(held[p] == 1 for p in valid), "Alohub: every valid row exactly once"
            continue
        in_flight = [b for b in batches_at_kill if b.state == "in_flight"]
        assert len(in_flight) <= 4, "at most parallel_batches requests in flight"
        unconfirmed = {r.phone for r in await jobs.rows(job_id) if r.state == "unconfirmed"}
        assert len(unconfirmed) == sum(b.rows for b in in_flight), (name, counts)
        expected = {"accepted": ROWS - len(unconfirmed)}
        if unconfirmed:
            expected["unconfirmed"] = len(unconfirmed)
        assert counts == expected, name
        assert all(held[p] == 1 for p in valid if p not in unconfirmed), name
        assert all(held[p] <= 1 for p in unconfirmed), f"{name}: never sent twice"
