"""Replicas with real processes: one leader on PostgreSQL, takeover without loss, SIGTERM, the
migration lock, and SQLite's single replica.

The takeover tests import 20,000 rows to each provider, as the issue asks. From the loss of
the leader until every job has ended, an operator keeps sending commands to the survivor (one
at a time, each waiting for its answer): every one is answered. Which replica leads, and when,
is read from each process's log (``bot.leader``'s lines, with their times): the new leader
leads within 30 s of the loss, and the intervals in which two replicas believed they led
never overlap.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from bot.jobs.engine import JobEngine
from bot.leader import LEADER_KEY
from bot.sandbox import Sandbox, SandboxOptions
from bot.store import Store
from bot.store.jobs import JobStore
from bot.store.migrate import head
from tests.harness.fake_slack import FakeSlack
from tests.harness.signing import SlackClient
from tests.jobs.data import csv_bytes, phones
from tests.jobs.e2e import confirm, eventually, import_file
from tests.jobs.providers import at_provider
from tests.jobs.test_kill import (
    CONNECTIONS,
    FINAL,
    ROOT,
    MidImport,
    bot_process,
    snapshot,
    write_config,
)
from tests.slack.conftest import SIGNING_SECRET, Harness
from tests.store.conftest import _postgres_database

ROWS = 20_000
PARALLEL_BATCHES = JobEngine.parallel_batches  # a job's requests in flight at once
# What an operator asks while the leader is gone: commands any replica answers from the database.
ASKED = (("/job", "J1"), ("/job", "J2"), ("/job", "J3"), ("/job", "J4"), ("/job", ""))
ANSWER_WITHIN = 15.0  # seconds for one answer at the response_url, on a busy machine
# A held provider's answer (``MidImport``): well within the engine's stop grace (5 s), so
# that a SIGTERM still lets every request in flight be answered.
HELD_LATENCY = 1.0
LEADS = "this replica is the leader"
LOST = "leader lock lost"
STOPPED = "scheduled work stopped"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database, dropped after the test (skipped where no server runs)."""
    yield from _postgres_database()


def _sandbox() -> Sandbox:
    sandbox = Sandbox(port=0, options=SandboxOptions(seed=11, alohub_rows_per_second=1500))
    return sandbox


def _slow_providers(sandbox: Sandbox) -> None:
    for name in ("vbee", "aicallcenter", "omicall"):
        sandbox.faults(name).latency = 0.4  # a batch spends most of its time in flight


def leading_spans(log: Path) -> list[tuple[datetime, datetime | None]]:
    """When this replica led: (from, until) per term, read from its log (until None: leads)."""
    spans: list[tuple[datetime, datetime | None]] = []
    for line in log.read_text(errors="replace").splitlines():
        if "bot.leader" not in line:
            continue
        at = datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f")
        if LEADS in line:
            spans.append((at, None))
        elif (LOST in line or STOPPED in line) and spans and spans[-1][1] is None:
            spans[-1] = (spans[-1][0], at)
    return spans


def leads_now(log: Path) -> bool:
    spans = leading_spans(log)
    return bool(spans) and spans[-1][1] is None


def assert_never_two_leaders(logs: list[Path], killed: dict[str, datetime]) -> None:
    """No two replicas' terms as leader overlap (a killed one's ends when it was killed)."""
    terms = sorted(
        (start, end or killed.get(log.name, datetime.max), log.name)
        for log in logs
        for start, end in leading_spans(log)
    )
    for (_, end, who), (start, _, next_who) in itertools.pairwise(terms):
        assert end <= start, f"{who} and {next_who} led at once: {terms}"


async def assert_rows(
    sandbox: Sandbox,
    jobs: JobStore,
    lists: dict[str, list[str]],
    at_kill: dict[str, Any],
    *,
    exact: bool = True,
) -> None:
    """Alohub: every row exactly once. Elsewhere: rows outside the batches in flight at the
    loss exactly once, those batches' rows ``unconfirmed`` and never sent twice."""
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
        unconfirmed = {r.phone for r in await jobs.rows(job_id) if r.state == "unconfirmed"}
        if exact:  # a killed leader: what was in flight stays in flight
            assert len(unconfirmed) == sum(b.rows for b in in_flight), (name, counts)
        else:
            # A cut leader is alive until it learns of the cut: an answer may still land
            # between its stop and the look, and a claim racing its stop may commit one more
            # batch per sending slot after the look, never sent (unconfirmed, as it must be:
            # nobody knows whether a claimed batch went out).
            seen = {b.number for b in batches_at_kill}
            later = [b for b in await jobs.batches(job_id, "unconfirmed") if b.number not in seen]
            assert len(later) <= PARALLEL_BATCHES, (name, [b.number for b in later])
            bound = sum(b.rows for b in in_flight) + sum(b.rows for b in later)
            assert len(unconfirmed) <= bound, (name, counts)
        expected = {"accepted": ROWS - len(unconfirmed)}
        if unconfirmed:
            expected["unconfirmed"] = len(unconfirmed)
        assert counts == expected, name
        assert all(held[p] == 1 for p in valid if p not in unconfirmed), name
        assert all(held[p] <= 1 for p in unconfirmed), f"{name}: never sent twice"


@dataclass
class Asked:
    """One command sent while the leader was gone, and what came of it."""

    command: str
    sent: float  # time.monotonic()
    status: int = 0  # the ack's HTTP status
    answer: str | None = None  # the answer at its response_url (None: none came)


async def keep_asking(h: Harness, until: asyncio.Event, asked: list[Asked]) -> None:
    """One operator at work: a command, its answer at the response_url, the next — until
    ``until`` is set. Every command is recorded, answered or not."""
    for name, words in itertools.cycle(ASKED):
        if until.is_set():
            return
        one = Asked(f"{name} {words}".strip(), time.monotonic())
        asked.append(one)
        ack = await h.command(name, words)
        one.status = ack.status
        if ack.status != 200:
            continue
        tag = ack.response_url.rsplit("/", 1)[-1]
        try:
            call = await h.fake.wait_for(
                "response_url", predicate=lambda c, tag=tag: c.tag == tag, timeout=ANSWER_WITHIN
            )
        except AssertionError:
            continue
        one.answer = str(call.args)


def assert_all_answered(asked: list[Asked], took_over_at: float) -> None:
    """Commands were sent before the takeover and after it, and every one was answered with
    the job it named (the list: the first job among them)."""
    assert any(one.sent < took_over_at for one in asked), "no command during the takeover"
    assert any(one.sent > took_over_at for one in asked), "no command after the takeover"
    for one in asked:
        assert one.status == 200, one
        ref = one.command.partition(" ")[2] or "J1"
        assert one.answer is not None and ref in one.answer, one


async def start_imports(h: Harness, lists: dict[str, list[str]]) -> None:
    """Read all four files first, then confirm them together."""
    previews = []
    for name in CONNECTIONS:
        content = csv_bytes([(p, "Khách hàng") for p in lists[name]])
        view = await import_file(h, name, content, f"{name}.csv")
        assert f"{ROWS:,} valid" in str(view["blocks"]), view
        previews.append(view)
    for view in previews:
        await confirm(h, view)


async def all_final(jobs: JobStore) -> bool:
    """True once every job has ended."""
    return all(state in FINAL for _, state, _ in (await snapshot(jobs)).values())


def lock_holder(url: str) -> int | None:
    """The server process id of the session holding the leader lock in this database."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(
                text(
                    "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
                    " AND objid = :key AND database ="
                    " (SELECT oid FROM pg_database WHERE datname = current_database())"
                ),
                {"key": LEADER_KEY},
            ).scalar()
    finally:
        engine.dispose()


def terminate(url: str, pid: int) -> None:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        engine.dispose()


async def takeover(tmp_path: Path, url: str, *, kill: bool) -> None:
    """Two replicas; imports through the follower; the leader SIGKILLed (``kill``) or its lock
    connection terminated; the other leads within 30 s and finishes every job."""
    async with _sandbox() as sandbox, FakeSlack() as fake:
        _slow_providers(sandbox)
        config = write_config(sandbox, tmp_path, database_url=url, alohub_batch=1000, batch=100)
        lists = {name: phones(ROWS, seed=200 + i) for i, name in enumerate(CONNECTIONS)}
        logs = [tmp_path / "a.log", tmp_path / "b.log"]
        killed: dict[str, datetime] = {}
        jobs = JobStore(Store(url))  # read once both replicas have migrated the schema
        try:
            async with (
                bot_process(config, fake, logs[0]) as (proc_a, port_a),
                bot_process(config, fake, logs[1]) as (proc_b, port_b),
            ):
                first = await eventually(
                    lambda: [i for i, log in enumerate(logs) if leads_now(log)],
                    within=30,
                    what="a leader",
                )
                assert len(first) == 1, first
                leader, follower = first[0], 1 - first[0]
                procs, ports = (proc_a, proc_b), (port_a, port_b)
                async with SlackClient(
                    f"http://127.0.0.1:{ports[follower]}",
                    SIGNING_SECRET,
                    response_url_factory=fake.response_url,
                ) as client:
                    h = Harness(client, fake, sandbox, None)  # type: ignore[arg-type]
                    # Every job is started on the follower and picked up by the leader.
                    await start_imports(h, lists)
                    mid = MidImport(sandbox, jobs, logs, held_latency=HELD_LATENCY)
                    await mid.wait()
                    if kill:
                        procs[leader].send_signal(signal.SIGKILL)
                        await procs[leader].wait()
                        killed[logs[leader].name] = datetime.now()
                    else:
                        holder = await asyncio.to_thread(lock_holder, url)
                        assert holder is not None
                        await asyncio.to_thread(terminate, url, holder)
                    lost_at = time.monotonic()
                    mid.release()  # the survivor sends at the providers' own pace
                    # From the loss until every job has ended, an operator keeps asking the
                    # survivor (in the cut case, the replica that kept its connection).
                    done_asking = asyncio.Event()
                    asked: list[Asked] = []
                    operator = asyncio.create_task(keep_asking(h, done_asking, asked))
                    try:
                        if not kill:
                            # Alive, the cut leader sends until it learns of the cut (≤ 4 s),
                            # then stops at once; the fence keeps the next leader waiting
                            # longer (5 s).
                            await eventually(
                                lambda: LOST in logs[leader].read_text(),
                                within=10,
                                what="the stop",
                            )
                        at_loss = await snapshot(jobs)
                        assert all(s == "running" for _, s, _ in at_loss.values()), at_loss
                        if kill:
                            await eventually(
                                lambda: leads_now(logs[follower]), within=30, what="the takeover"
                            )
                        else:
                            # One of the two (maybe the cut one, on a new session) leads again.
                            await eventually(
                                lambda: any(leads_now(log) for log in logs),
                                within=30,
                                what="a new leader",
                            )
                        took_over_at = time.monotonic()
                        took = took_over_at - lost_at
                        assert took < 30, f"took over in {took:.1f} s"
                        await eventually(
                            lambda: all_final(jobs),
                            within=180,
                            what="every job finished after the takeover",
                            explain=mid.explain,
                        )
                    finally:
                        done_asking.set()
                        await operator
                    assert_all_answered(asked, took_over_at)
            assert_never_two_leaders(logs, killed)
            await assert_rows(sandbox, jobs, lists, at_loss, exact=kill)
        finally:
            await jobs.store.aclose()


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.xdist_group("cpu-heavy")  # two bots and 80,000 rows: never beside the ack timings
async def test_sigkill_the_leader_mid_import_the_other_replica_takes_over(
    tmp_path: Path, pg_url: str
):
    await takeover(tmp_path, pg_url, kill=True)


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.xdist_group("cpu-heavy")
async def test_leader_whose_lock_connection_is_cut_stops_and_work_resumes_once(
    tmp_path: Path, pg_url: str
):
    await takeover(tmp_path, pg_url, kill=False)


@pytest.mark.slow
async def test_sigterm_mid_import_exits_in_10s_and_the_restart_sends_nothing_twice(
    tmp_path: Path,
):
    async with _sandbox() as sandbox, FakeSlack() as fake:
        _slow_providers(sandbox)
        config = write_config(sandbox, tmp_path, alohub_batch=1000, batch=100)
        lists = {name: phones(ROWS, seed=300 + i) for i, name in enumerate(CONNECTIONS)}
        jobs = JobStore(Store(f"sqlite:///{tmp_path}/callops.db"))
        log = tmp_path / "bot.log"
        try:
            async with (
                bot_process(config, fake, log) as (process, port),
                SlackClient(
                    f"http://127.0.0.1:{port}",
                    SIGNING_SECRET,
                    response_url_factory=fake.response_url,
                ) as client,
            ):
                h = Harness(client, fake, sandbox, None)  # type: ignore[arg-type]
                await start_imports(h, lists)
                mid = MidImport(sandbox, jobs, [log], held_latency=HELD_LATENCY)
                await mid.wait()
                process.send_signal(signal.SIGTERM)
                sent_at = time.monotonic()
                code = await asyncio.wait_for(process.wait(), timeout=15)
                took = time.monotonic() - sent_at
            mid.release()
            assert code == 0, log.read_text()[-2000:]
            assert took < 10, f"exited {took:.1f} s after SIGTERM"
            at_stop = await snapshot(jobs)
            assert all(state == "running" for _, state, _ in at_stop.values()), at_stop
            for name, (_, _, batches) in at_stop.items():  # finished, or parked: none in flight
                assert not [b for b in batches if b.state == "in_flight"], name

            async with bot_process(config, fake, log):
                await eventually(
                    lambda: all_final(jobs),
                    within=120,
                    what="every job finished after the restart",
                    explain=mid.explain,
                )
            for name in CONNECTIONS:
                job_id = at_stop[name][0]
                assert await jobs.counts(job_id) == {"accepted": ROWS}, name  # none unconfirmed
                held = at_provider(sandbox, name)
                assert all(held[p] == 1 for p in lists[name]), f"{name}: every row exactly once"
        finally:
            await jobs.store.aclose()


async def test_a_second_process_on_the_same_sqlite_file_says_so_and_runs_no_scheduled_work(
    tmp_path: Path,
):
    async with _sandbox() as sandbox, FakeSlack() as fake:
        config = write_config(sandbox, tmp_path)
        first, second = tmp_path / "first.log", tmp_path / "second.log"
        async with bot_process(config, fake, first):
            assert "SQLite: this bot runs as the only replica" in first.read_text()
            async with bot_process(config, fake, second):
                said = second.read_text()
                assert "another callops process runs on" in said, said
                assert "only replica" not in said


MIGRATE = """
import logging, sys
logging.basicConfig(level=logging.WARNING, format="%(name)s %(message)s")
logging.getLogger("bot.store.migrate").setLevel(logging.INFO)
from bot.store import open_store
open_store(sys.argv[1]).close()
"""


@pytest.mark.postgres
async def test_two_replicas_starting_at_once_migrate_the_schema_once(pg_url: str):
    async def start() -> tuple[int, str]:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            MIGRATE,
            pg_url,
            cwd=ROOT,
            env=dict(os.environ),
            stderr=asyncio.subprocess.PIPE,
        )
        _, err = await process.communicate()
        return process.returncode or 0, err.decode()

    results = await asyncio.gather(start(), start())
    assert [code for code, _ in results] == [0, 0], results
    said = "".join(err for _, err in results)
    assert said.count("database schema created") == 1, said
    assert await asyncio.to_thread(versions, pg_url) == [head()]


def versions(url: str) -> list[str]:
    """The revisions in ``alembic_version``."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return list(connection.scalars(text("SELECT version_num FROM alembic_version")))
    finally:
        engine.dispose()
