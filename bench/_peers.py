"""The sandbox providers and a fake Slack Web API in their own process (for benchmarks).

Prints one JSON line (connections, Slack API URL, a response_url) and serves until stdin
closes, so the bot process measured carries only its own work. Each ``count`` line read
on stdin is answered with the number of posts to response URLs so far.
"""

from __future__ import annotations

import asyncio
import json
import sys

from bot.sandbox import Sandbox, SandboxOptions
from tests.harness.fake_slack import FakeSlack


async def main() -> None:
    """Serve both; print where."""
    records = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    options = SandboxOptions(seed=7, call_records=records)
    async with Sandbox(port=0, options=options) as sandbox, FakeSlack() as fake:
        print(
            json.dumps(
                {
                    "connections": sandbox.connections(),
                    "slack_api_url": fake.api_url,
                    "bot_token": fake.bot_token,
                    "response_url": fake.response_url("bench"),
                }
            ),
            flush=True,
        )
        loop = asyncio.get_running_loop()
        while line := await loop.run_in_executor(None, sys.stdin.readline):
            if line.strip() == "count":
                print(len(fake.calls_to("response_url")), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
