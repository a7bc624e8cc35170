"""Alohub chunking: rows a second against the rate limit, and rows a cancel holds back.

A 20,000-row import to the Alohub sandbox through the job engine, with the sandbox and the
connection both limited to 50 requests / 10 s (the README's example). The sandbox works on
every bulk job at once, each at ``--rows-per-second`` (Alohub documents no speed; 50 rows/s
a job makes four 5,000-row chunks take 100 s, the scale of the cancel in issue 10). Each
scenario runs in a child process of its own, on the code at ``--code`` (default: this
checkout), so the same script measures the code before a change (e.g. a ``git archive`` of
the earlier commit) and after it.

Scenarios: the whole import (rows a second = valid rows ÷ time from confirm to done; the
requests Alohub received: bulk calls, polls, 429s); and a cancel at ``--cancel-at`` seconds
after the confirm: rows held back (never sent) and rows Alohub added anyway.

    python bench/alohub_cancel.py [--rows 20000] [--rows-per-second 50] [--cancel-at 5,30,60]
                                  [--code DIR] [--label after]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LIMIT, WINDOW = 50, 10.0
CAMPAIGN = 103
PREFIXES = ("090", "091", "093", "094", "096", "097", "098", "032", "033", "086", "088")


def phones(count: int, seed: int = 11) -> list[str]:
    """``count`` distinct valid mobiles in national form."""
    rng = random.Random(seed)
    seen: dict[str, None] = {}
    while len(seen) < count:
        seen[rng.choice(PREFIXES) + f"{rng.randrange(10**7):07d}"] = None
    return list(seen)


async def scenario(rows: int, rate: float, cancel_at: float | None, tmp: Path) -> dict[str, Any]:
    """One import (cancelled at ``cancel_at`` s when given); its figures."""
    from bot.config import parse_config
    from bot.imports import open_upload, staging, summarize
    from bot.runtime import Runtime
    from bot.sandbox import Sandbox, SandboxOptions
    from bot.store.models import StagedUpload

    ours = phones(rows)
    path = tmp / "list.csv"
    path.write_text("phone,name\n" + "".join(f"{p},Khách {i}\n" for i, p in enumerate(ours)))
    options = SandboxOptions(
        seed=7,
        call_records=100,
        alohub_rows_per_second=rate,
        rate_limits={"alohub": (LIMIT, WINDOW)},
    )
    async with Sandbox(port=0, options=options) as sandbox:
        connection = sandbox.connections()["alohub-main"]
        connection["rate_limit"] = f"{LIMIT}/{WINDOW:g}s"
        config = parse_config(
            {
                "database_url": f"sqlite:///{tmp}/bench.db",
                "connections": {"alohub-main": connection},
                "channels": {"*": ["alohub-main"]},
            },
            "bench",
            {},
        )
        runtime = Runtime(config)
        services = runtime.services
        await runtime.start()
        engine = services.jobs
        summary = await asyncio.to_thread(
            lambda: staging.summary_data(summarize(open_upload(path, "b.csv")), "file")
        )
        now = services.now()
        staged = StagedUpload(
            id="bench",
            user_id="U0",
            channel="C0",
            connection="alohub-main",
            campaign=str(CAMPAIGN),
            list_name="bench",
            path=str(path),
            filename="bench.csv",
            summary=summary,
            created_at=now,
            expires_at=now + staging.TTL,
        )
        await engine.store.stage(staged)
        started = time.perf_counter()
        job_id = await engine.create(staged)
        cancelled_after = None
        if cancel_at is not None:
            await asyncio.sleep(max(0.0, cancel_at - (time.perf_counter() - started)))
            await engine.cancel(job_id)
            cancelled_after = time.perf_counter() - started
        await engine.wait(job_id)
        elapsed = time.perf_counter() - started
        counts = await engine.store.counts(job_id)
        await runtime.stop()
        await runtime.aclose()
        requests = sandbox.requests("alohub")
        wanted = set(ours)
        added = sum(c.phoneNumber in wanted for c in sandbox.alohub.contacts(CAMPAIGN))
    return {
        "rows": rows,
        "seconds": elapsed,
        "cancelled_after": cancelled_after,
        "held_back": counts.get("pending", 0),
        "added": added,
        "bulk_calls": sum(r.method == "POST" and r.path.endswith("/bulk") for r in requests),
        "polls": sum(r.method == "GET" and "/import/" in r.path for r in requests),
        "refused_429": sum(r.status == 429 for r in requests),
    }


def child(args: argparse.Namespace) -> None:
    """Run one scenario on the code at ``args.code``; print its figures as JSON."""
    sys.path.insert(0, str(Path(args.code).resolve()))
    cancel_at = float(args.child) if args.child != "none" else None
    with tempfile.TemporaryDirectory() as tmp:
        figures = asyncio.run(scenario(args.rows, args.rows_per_second, cancel_at, Path(tmp)))
    print(json.dumps(figures))


def run_child(args: argparse.Namespace, cancel_at: str) -> dict[str, Any]:
    """A scenario in a fresh interpreter."""
    command = [
        sys.executable,
        __file__,
        "--child",
        cancel_at,
        "--code",
        args.code,
        "--rows",
        str(args.rows),
        "--rows-per-second",
        str(args.rows_per_second),
    ]
    out = subprocess.run(command, cwd=args.code, check=True, capture_output=True, text=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    """Run the scenarios and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--rows-per-second", type=float, default=50.0, help="per Alohub job")
    parser.add_argument("--cancel-at", default="5,30,60", help="seconds after the confirm")
    parser.add_argument("--code", default=str(ROOT), help="the callops checkout to measure")
    parser.add_argument("--label", default="this checkout")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    print(
        f"== {args.label}: {args.rows:,} rows to Alohub at {LIMIT} requests / {WINDOW:g} s, "
        f"{args.rows_per_second:g} rows/s a bulk job"
    )
    whole = run_child(args, "none")
    print(
        f"whole import: {whole['added']:,} rows in {whole['seconds']:.1f} s = "
        f"{whole['added'] / whole['seconds']:,.0f} rows/s; {whole['bulk_calls']} bulk calls, "
        f"{whole['polls']} polls, {whole['refused_429']} refused with 429"
    )
    for at in args.cancel_at.split(","):
        run = run_child(args, at)
        share = run["held_back"] / args.rows
        print(
            f"cancel at {float(at):g} s: {run['held_back']:,} rows held back ({share:.0%}), "
            f"{run['added']:,} added by Alohub; ended {run['seconds']:.1f} s after the confirm; "
            f"{run['bulk_calls']} bulk calls"
        )


if __name__ == "__main__":
    main()
