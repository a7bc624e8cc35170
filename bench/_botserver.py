"""The bot in HTTP mode in its own process (for benchmarks).

Reads the peers' JSON line (see ``_peers.py``) from argv, prints ``PORT <n>`` when ready,
and serves until stdin closes.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import tempfile

from bot.config import Environment, parse_config
from bot.runtime import freeze_start_up_objects
from bot.slack.bot import Bot

SIGNING_SECRET = "bench-signing-secret"


async def main() -> None:
    """Start the bot on the peers, print the port, wait for stdin to close."""
    logging.basicConfig(level=logging.WARNING)
    peers = json.loads(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        connections = peers["connections"]
        config = parse_config(
            {
                "database_url": f"sqlite:///{tmp}/bench.db",
                "admins": ["U0ADMIN1"],
                "connections": connections,
                "channels": {"*": list(connections)},
            },
            "bench",
            {},
        )
        env = Environment(
            slack_bot_token=peers["bot_token"],
            slack_signing_secret=SIGNING_SECRET,
            slack_api_url=peers["slack_api_url"],
        )
        bot = Bot(config, env)
        port = await bot.start_http("127.0.0.1", 0)
        freeze_start_up_objects()  # as `callops run` does
        print(f"PORT {port}", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
        await bot.services.drain()
        await bot.stop()


if __name__ == "__main__":
    import os

    if os.environ.get("CALLOPS_PROFILE"):
        import cProfile

        cProfile.run("asyncio.run(main())", os.environ["CALLOPS_PROFILE"])
    else:
        asyncio.run(main())
