"""Benchmark of ``/calls export``: 200,000 AICallCenter records to a CSV, then uploaded.

Three processes, so the one measured carries only the bot's work: the sandbox with its
generated records (a child), the fake Slack Web API that receives the upload (another
child), and this process, the bot side: the real AICallCenter client over HTTP in pages
of 500, ``bot.exports.export_calls`` writing rows as pages arrive, then ``SlackChat.upload``
streaming the file through the three-step upload.

Memory is the peak resident set size of this process (``getrusage`` ``ru_maxrss``), with
the resident size after imports for comparison.

    python bench/export_bench.py [--records 200000] [--campaign cmp-hn-01] [--bot-imports]
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

FAKE_SLACK = """
import asyncio, json, sys
from tests.harness.fake_slack import FakeSlack

async def main():
    async with FakeSlack() as fake:
        print(json.dumps({"api_url": fake.api_url, "token": fake.bot_token}), flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
        print(json.dumps([[f["filename"], len(f["content"])] for f in fake.uploaded_files]))

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


async def _child(code: list[str]) -> tuple[asyncio.subprocess.Process, dict]:  # type: ignore[type-arg]
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        *code,
        cwd=ROOT,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert child.stdout is not None
    return child, json.loads(await child.stdout.readline())


async def run(records: int, campaign: str | None, bot_imports: bool) -> None:
    """Export every record once, upload the file; print the figures."""
    if bot_imports:
        import bot.slack.bot  # noqa: F401  (the whole bot's modules, as in `callops run`)
    from slack_sdk.web.async_client import AsyncWebClient

    from bot.config import parse_config
    from bot.exports import call_row, export_calls
    from bot.providers.aicallcenter import AICallCenterClient
    from bot.providers.registry import Clients
    from bot.slack.chat import SlackChat
    from bot.stats import parse_period

    started = time.perf_counter()
    sandbox, ready = await _child(["-m", "bench._sandbox_proc", str(records)])
    slack, where = await _child(["-c", FAKE_SLACK])
    uploaded: list[list[object]] = []
    try:
        print(f"sandbox with {records:,} records ready in {time.perf_counter() - started:.1f} s")
        config = parse_config(
            {"connections": {"aicc": ready["connections"]["aicc"]}}, "callops.yml", {}
        )
        clients = Clients(config.connections)
        client = clients["aicc"]
        assert isinstance(client, AICallCenterClient)
        # Not bot.slack.app.web_client: that module pulls in the whole Bolt app and every
        # command (≈ 55 MB more after imports), which is not the export's cost.
        chat = SlackChat(AsyncWebClient(token=where["token"], base_url=where["api_url"]))
        # The sandbox spreads its records over today and the 14 days before.
        period = parse_period("15d", timezone=config.tz)
        tz = config.tz
        header = ["time", "call_id", "campaign", "caller", "callee", "duration", "result"]
        baseline = rss_mb()

        began = time.perf_counter()
        export = await export_calls(
            client,
            period,
            [*header, "state", "keys", "note"],
            lambda call: call_row(call, tz, str),
            campaign=campaign,
        )
        written = time.perf_counter()
        size = export.path.stat().st_size
        await chat.upload("C0BENCH", "calls.csv", export.path, title="bench")
        finished = time.perf_counter()
        export.discard()
        await chat.aclose()
        await clients.aclose()
    finally:
        for child in (sandbox, slack):
            if child.stdin:
                child.stdin.close()  # each child stops when its stdin closes
        assert slack.stdout is not None
        line = await slack.stdout.readline()
        uploaded = json.loads(line) if line.strip() else []
        for child in (sandbox, slack):
            await asyncio.wait_for(child.wait(), timeout=30)

    assert campaign or export.rows == records, (export.rows, records)
    assert uploaded == [["calls.csv", size]], uploaded
    print(f"rows exported:        {export.rows:,} ({size / 1e6:.1f} MB CSV, UTF-8 with BOM)")
    rate = export.rows / (written - began)
    print(f"fetch + write CSV:    {written - began:6.2f} s  ({rate:,.0f} rows/s)")
    print(f"upload (streamed):    {finished - written:6.2f} s")
    print(f"RSS after imports:    {baseline:6.1f} MB")
    print(f"peak RSS (bot side):  {peak_rss_mb():6.1f} MB")


def main() -> None:
    """Parse the options and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--campaign", default=None, help="read this campaign's export")
    parser.add_argument(
        "--bot-imports", action="store_true", help="import the whole bot first (its baseline)"
    )
    options = parser.parse_args()
    asyncio.run(run(options.records, options.campaign, options.bot_imports))


if __name__ == "__main__":
    main()
