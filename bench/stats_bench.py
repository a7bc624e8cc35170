"""Benchmark of `/calls` statistics over 200,000 AICallCenter call records (prints figures).

The sandbox runs in a child process, so its 200,000 generated records do not count in the
bot's memory; this process is the bot side: the real AICallCenter client over HTTP, pages
of 500, one streaming pass into ``CallStats``, then the Block Kit message (and, separately,
the daily summary's PNG chart).

Memory is the peak resident set size of this process (``getrusage`` ``ru_maxrss``), shown
with the resident size after imports and before the first request, so the part the
fetch adds is visible.

    python bench/stats_bench.py [--records 200000] [--campaign cmp-hn-01] [--rate-limit 50/10s]
                                [--chart]

Without ``--campaign`` the records come from the user call log (every campaign); with it,
from that campaign's export.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHILD = """
import asyncio, json, sys
from bot.sandbox import Sandbox, SandboxOptions

async def main():
    options = SandboxOptions(seed=7, call_records=int(sys.argv[1]))
    async with Sandbox("127.0.0.1", 0, options) as sandbox:
        print(json.dumps(sandbox.connections()), flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)

asyncio.run(main())
"""


def rss_mb() -> float:
    """The current resident set size (Linux /proc), in MB."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def peak_rss_mb() -> float:
    """The peak resident set size of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6


async def run(records: int, campaign: str | None, rate_limit: str | None, chart: bool) -> None:
    """Fetch, aggregate and render every record once; print the figures."""
    from bot.calls import fetch_call_stats
    from bot.config import parse_config
    from bot.messages import Messages
    from bot.providers.aicallcenter import AICallCenterClient
    from bot.providers.registry import Clients
    from bot.render.calls import calls_blocks
    from bot.stats import parse_period

    started = time.perf_counter()
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        CHILD,
        str(records),
        cwd=ROOT,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert child.stdout is not None
        connections = json.loads(await child.stdout.readline())
        print(
            f"sandbox with {records:,} records ready in {time.perf_counter() - started:.1f} s "
            f"(child process {child.pid})"
        )
        aicc = dict(connections["aicc"])
        if rate_limit:
            aicc["rate_limit"] = rate_limit
        config = parse_config({"connections": {"aicc": aicc}}, "callops.yml", {})
        clients = Clients(config.connections)
        client = clients["aicc"]
        assert isinstance(client, AICallCenterClient)
        msg = Messages("en")
        # The sandbox spreads its records over today and the 14 days before.
        period = parse_period("15d", timezone=config.tz)
        baseline = rss_mb()

        began = time.perf_counter()
        report = await fetch_call_stats(client, period, campaign=campaign)
        rendered = time.perf_counter()
        blocks = calls_blocks(
            msg,
            title="bench",
            connection="aicc",
            current=report.current,
            before=report.before,
            previous_label=report.previous.label,
            days=period.days,
            timezone=config.timezone,
        )
        finished = time.perf_counter()
        await clients.aclose()
        chart_seconds = None
        if chart:
            from bot.stats.chart import calls_per_hour_png

            drawn = time.perf_counter()
            png = calls_per_hour_png(report.current, report.before, title="bench")
            chart_seconds = time.perf_counter() - drawn
            assert png.startswith(b"\x89PNG")
    finally:
        if child.stdin:
            child.stdin.close()  # the child stops when its stdin closes
        await asyncio.wait_for(child.wait(), timeout=10)

    total = finished - began
    assert campaign or report.current.total == records, (report.current.total, records)
    source = f"campaign {campaign} export" if campaign else "user call log"
    print(f"records aggregated:       {report.fetched:,} in {report.pages} pages of 500 ({source})")
    print(f"end-to-end (fetch+render): {total:6.2f} s  ({report.fetched / total:,.0f} records/s)")
    print(
        f"  fetching (HTTP, JSON, models): {report.fetch_seconds:6.2f} s "
        f"({report.fetch_seconds / total:5.1%})"
    )
    print(
        f"  aggregation (CallStats.add):   {report.aggregate_seconds:6.2f} s "
        f"({report.aggregate_seconds / total:5.1%})"
    )
    print(f"  rendering the message:         {finished - rendered:6.3f} s ({len(blocks)} blocks)")
    if chart_seconds is not None:
        print(f"daily summary chart (PNG):      {chart_seconds:6.2f} s")
    print(f"RSS after imports:              {baseline:6.1f} MB")
    print(f"peak RSS (bot side):            {peak_rss_mb():6.1f} MB")


def main() -> None:
    """Parse the options and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--campaign", default=None, help="read this campaign's export")
    parser.add_argument("--rate-limit", default=None, help='e.g. "50/10s" on the connection')
    parser.add_argument("--chart", action="store_true", help="also draw the summary's PNG")
    options = parser.parse_args()
    asyncio.run(run(options.records, options.campaign, options.rate_limit, options.chart))


if __name__ == "__main__":
    main()
