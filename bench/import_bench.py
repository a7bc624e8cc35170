"""Import benchmarks (prints figures): parse a 100,000-row CSV and XLSX; import under a limit.

1. Parse + validate + dedupe a 100,000-row CSV (``open_upload`` + ``summarize``, the preview's
   full streaming pass) in a fresh child process: wall time and peak RSS (``ru_maxrss``),
   shown next to the RSS after imports. Targets: under 3 s, under 150 MB. Then the same list
   as an XLSX workbook (phones that are plain digits stored as numbers, as Excel keeps them),
   written once by openpyxl and read by the bot (calamine). Targets: under 1.5 s, 150 MB.
   Each run also prints its CPU time: on a shared machine the wall time counts the waits.
2. The same list imported to Vbee through the job engine against the sandbox limited to
   100 requests / 10 s (the connection's ``rate_limit`` says the same), reported as the
   achieved request rate ÷ the limit (target ≥ 0.9) and the rows lost (target 0), next to
   a naive loop that adds one contact per request like the providers' sample code. The
   naive loop is bounded (``--naive-rows``, default 300) and its time for the whole list
   extrapolated from its measured rate.

How the rate is measured: a limit of ``L`` requests per ``W`` seconds lets request ``k``
start no earlier than ``W`` after request ``k − L``. So ``W / mean(t[k] − t[k−L])`` over every
``k ≥ L`` (arrival times at the sandbox) is the achieved rate ÷ the limit: 1.0 when every
request went as soon as the limit allowed. (Dividing all requests by the whole run's length
would count the first burst and the last, partly used, window.) The sandbox adds a latency
to every request (``--latency``, default 0.3 s), as a remote provider would; each run sets
the rows a request (the connection's ``batch_size``) and the batches in flight at once (the
engine's ``parallel_batches``, 4 by default).

The sandbox runs in a child process (``bench/_sandbox_proc.py``), a fresh one for each run,
so its own work (JWT checks, validating every phone it receives) does not compete with the
bot side measured here. The bench sets its limit and latency and reads back the requests it
received and the contacts the campaign holds through its ``/_sandbox/...`` control endpoints;
rows lost = valid rows − distinct phones in the Vbee campaign, counted by the sandbox.

    python bench/import_bench.py [--rows 100000] [--runs 4x100,4x250,4x500,1x250]
                                 [--latency 0.3] [--naive-rows 300] [--skip-import]
                                 [--parse-runs 3] [--skip-csv]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LIMIT, WINDOW = 100, 10.0
PREFIXES = ("090", "091", "093", "094", "096", "097", "098", "032", "033", "086", "088")
NAMES = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Chi", "Phạm Minh Dũng", "Võ Thị Hà")


def list_rows(rows: int, seed: int = 7) -> Iterator[tuple[str, str, str]]:
    """A realistic list: mixed phone formats, ~1 % invalid, ~1 % repeated; (phone, name, title)."""
    rng = random.Random(seed)
    seen: list[str] = []
    for i in range(rows):
        roll = rng.random()
        if roll < 0.01:
            phone = rng.choice(["12345", "abc", "0912 34", "+1 202 555 0100"])
        elif roll < 0.02 and seen:
            phone = rng.choice(seen)
        else:
            digits = rng.choice(PREFIXES) + f"{rng.randrange(10**7):07d}"
            seen.append(digits)
            phone = rng.choice(
                [
                    digits,
                    "+84 " + digits[1:],
                    "84" + digits[1:],
                    f"{digits[:4]}.{digits[4:7]}.{digits[7:]}",
                ]
            )
        yield phone, f"{rng.choice(NAMES)} {i}", rng.choice(["anh", "chị"])


HEADER = ("Số điện thoại", "Họ tên", "danh_xung")


def write_csv(path: Path, rows: int, seed: int = 7) -> None:
    """The list as a UTF-8 CSV with Vietnamese headers."""
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        out.write(",".join(HEADER) + "\n")
        for phone, name, title in list_rows(rows, seed):
            out.write(f'{phone},"{name}",{title}\n')


def write_xlsx(path: Path, rows: int, seed: int = 7) -> None:
    """The same list as a workbook; phones of plain digits are numbers, as Excel keeps them."""
    import openpyxl  # a dev dependency: the bot only reads workbooks

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách")
    sheet.append(HEADER)
    for phone, name, title in list_rows(rows, seed):
        sheet.append([int(phone) if phone.isdigit() else phone, name, title])
    workbook.save(path)


def child_parse(path: str) -> None:
    """Run in a fresh interpreter: one preview pass over the file; print the figures."""
    from bot.imports import open_upload, summarize

    after_imports = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cpu_started = time.process_time()
    started = time.perf_counter()
    summary = summarize(open_upload(path, Path(path).name))
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_seconds": cpu_seconds,
                "rss_after_imports_mb": after_imports,
                "peak_rss_mb": peak,
                "rows": summary.rows_read,
                "valid": summary.valid,
                "invalid": summary.invalid,
                "duplicates": summary.duplicates,
            }
        )
    )


def parse_runs(path: Path, runs: int = 3) -> list[dict[str, Any]]:
    """The parse figures of ``runs`` child processes."""
    results = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, __file__, "--child-parse", str(path)],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return results


async def batched_import(
    path: Path, tmp: Path, batch: int, latency: float, parallel: int
) -> dict[str, Any]:
    """The whole list to Vbee through the job engine, 100 requests / 10 s on both sides."""
    from bench._sandbox_proc import SandboxProcess
    from bot.config import parse_config
    from bot.imports import open_upload, staging, summarize
    from bot.runtime import Runtime
    from bot.store.models import StagedUpload

    with SandboxProcess() as sandbox:
        sandbox.control("vbee/rate-limit", {"count": LIMIT, "seconds": WINDOW})
        sandbox.control("vbee/faults", {"latency": latency})
        connections = sandbox.connections
        connections["vbee"].update(batch_size=batch, rate_limit=f"{LIMIT}/{WINDOW:g}s")
        config = parse_config(
            {
                "database_url": f"sqlite:///{tmp}/bench.db",
                "connections": connections,
                "channels": {"*": ["vbee"]},
            },
            "bench",
            {},
        )
        runtime = Runtime(config)
        services = runtime.services
        await runtime.start()
        services.jobs.parallel_batches = parallel
        copy = tmp / "staged.csv"
        shutil.copy(path, copy)
        summary = await asyncio.to_thread(
            lambda: staging.summary_data(summarize(open_upload(copy, "b.csv")), "file")
        )
        now = services.now()
        staged = StagedUpload(
            id="bench",
            user_id="U0",
            channel="C0",
            connection="vbee",
            campaign="vbee-cmp-1",
            list_name=None,
            path=str(copy),
            filename="bench.csv",
            summary=summary,
            created_at=now,
            expires_at=now + staging.TTL,
        )
        await services.jobs.store.stage(staged)
        started = time.perf_counter()
        job_id = await services.jobs.create(staged)
        stored = time.perf_counter() - started
        await services.jobs.wait(job_id)
        elapsed = time.perf_counter() - started
        counts = await services.jobs.store.counts(job_id)
        await runtime.stop()
        await runtime.aclose()
        requests = [r for r in sandbox.control("vbee/requests") if r["method"] == "POST"]
        at_vbee = sandbox.control("vbee/contacts/vbee-cmp-1")
    times = sorted(r["time"] for r in requests if r["status"] == 200)
    gaps = [times[k] - times[k - LIMIT] for k in range(LIMIT, len(times))]
    steady = LIMIT / statistics.mean(gaps) if gaps else float("nan")
    return {
        "rows_valid": summary["valid"],
        "accepted": counts.get("accepted", 0),
        "lost": summary["valid"] - at_vbee["distinct"],
        "at_vbee": at_vbee["count"],
        "requests": len(requests),
        "refused_429": sum(r["status"] == 429 for r in requests),
        "seconds": elapsed,
        "store_seconds": stored,
        "steady_rate": steady,
        "ratio": steady / (LIMIT / WINDOW),
        "contacts_per_second": counts.get("accepted", 0) / elapsed,
    }


async def naive_loop(path: Path, count: int, latency: float) -> dict[str, Any]:
    """One contact per request, as the providers' sample code does, under the same limit."""
    from bench._sandbox_proc import SandboxProcess
    from bot.config import parse_config
    from bot.imports import Contact, open_upload
    from bot.providers.vbee import VbeeClient

    rows = []
    for row in open_upload(path, "b.csv").contacts():
        if isinstance(row, Contact):
            rows.append(row)
        if len(rows) == count:
            break
    with SandboxProcess() as sandbox:
        sandbox.control("vbee/rate-limit", {"count": LIMIT, "seconds": WINDOW})
        sandbox.control("vbee/faults", {"latency": latency})
        connections = sandbox.connections
        connections["vbee"]["rate_limit"] = f"{LIMIT}/{WINDOW:g}s"
        config = parse_config({"connections": connections}, "bench", {})
        client = VbeeClient(config.connections["vbee"])  # type: ignore[arg-type]
        started = time.perf_counter()
        for row in rows:
            await client.add_contact("vbee-cmp-1", row.phone, {"ho_ten": row.name or ""})
        elapsed = time.perf_counter() - started
        await client.aclose()
        requests = [r for r in sandbox.control("vbee/requests") if r["method"] == "POST"]
        at_vbee = sandbox.control("vbee/contacts/vbee-cmp-1")
    return {
        "rows": len(rows),
        "requests": len(requests),
        "seconds": elapsed,
        "contacts_per_second": len(rows) / elapsed,
        "refused_429": sum(r["status"] == 429 for r in requests),
        "lost": len({row.phone for row in rows}) - at_vbee["distinct"],
    }


def report_parse(
    label: str, path: Path, runs: list[dict[str, Any]], *, target_seconds: float
) -> None:
    """Print one file's parse figures: best and median time, the worst peak RSS."""
    first = runs[0]
    size = path.stat().st_size / (1024 * 1024)
    print(
        f"== {label} parse + validate + dedupe: {first['rows']:,} rows, {size:.1f} MB "
        f"({first['valid']:,} valid, {first['invalid']:,} invalid, "
        f"{first['duplicates']:,} repeated)"
    )
    seconds = sorted(r["seconds"] for r in runs)
    print(
        f"time   : {seconds[0]:.2f} s best, {statistics.median(seconds):.2f} s median, "
        f"{seconds[-1]:.2f} s worst of {len(runs)} (target < {target_seconds:g} s); "
        f"CPU {min(r['cpu_seconds'] for r in runs):.2f}–{max(r['cpu_seconds'] for r in runs):.2f} s"
    )
    peaks = sorted(r["peak_rss_mb"] for r in runs)
    print(
        f"memory : peak RSS {peaks[0]:.1f}–{peaks[-1]:.1f} MB "
        f"(after imports {first['rss_after_imports_mb']:.1f} MB; target < 150 MB)"
    )


def main() -> None:
    """Run the benchmarks and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--runs",
        default="4x100,4x250,4x500,1x250",
        help="imports to run: <batches in flight>x<rows a request>, comma-separated",
    )
    parser.add_argument("--naive-rows", type=int, default=300)
    parser.add_argument("--latency", type=float, default=0.3, help="seconds added per request")
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--skip-csv", action="store_true", help="parse only the XLSX")
    parser.add_argument("--parse-runs", type=int, default=3, help="child processes per file")
    parser.add_argument("--child-parse", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_parse:
        child_parse(args.child_parse)
        return
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        path = tmp / "list.csv"
        write_csv(path, args.rows)
        if not args.skip_csv:
            report_parse("CSV", path, parse_runs(path, args.parse_runs), target_seconds=3.0)
        workbook = tmp / "list.xlsx"
        write_xlsx(workbook, args.rows)
        report_parse("XLSX", workbook, parse_runs(workbook, args.parse_runs), target_seconds=1.5)
        if args.skip_import:
            return
        print(
            f"== import to Vbee at {LIMIT} requests / {WINDOW:g} s, "
            f"{args.latency:g} s provider latency"
        )
        valid = 0
        for spec in args.runs.split(","):
            parallel, batch = (int(part) for part in spec.split("x"))
            run = asyncio.run(batched_import(path, tmp, batch, args.latency, parallel))
            valid = run["rows_valid"]
            print(
                f"batched, {batch} rows a request, {parallel} in flight: {run['accepted']:,} "
                f"of {valid:,} rows in {run['seconds']:.1f} s ({run['store_seconds']:.1f} s "
                f"to store the job), {run['requests']} requests, {run['refused_429']} refused "
                f"with 429; rate = {run['ratio']:.2f} × the limit; rows lost: {run['lost']}; "
                f"{run['contacts_per_second']:,.0f} contacts/s"
            )
        naive = asyncio.run(naive_loop(path, args.naive_rows, args.latency))
        whole = valid / naive["contacts_per_second"]
        print(
            f"naive, 1 contact a request: {naive['rows']} rows in {naive['seconds']:.1f} s = "
            f"{naive['contacts_per_second']:.1f} contacts/s, {naive['refused_429']} refused "
            f"with 429; rows lost: {naive['lost']}; the {valid:,} rows would take about "
            f"{whole / 3600:.1f} h "
            f"(extrapolated from the {naive['rows']})"
        )


if __name__ == "__main__":
    main()
