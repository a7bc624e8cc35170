"""A bot process for the kill, SIGTERM and takeover tests: HTTP mode on 127.0.0.1, config from a
file, Slack at ``SLACK_API_URL``. Prints ``PORT <n>`` once serving, then runs until it is killed;
SIGTERM stops it as ``callops run`` does (``Bot.stop``) and exits 0. The leadership's log lines
(``bot.leader``) are written to stderr, for the tests to see who leads.

Optional arguments after the config: the handover's period and claim age in seconds
(``bot.slack.handover``), short in tests so a second replica takes over quickly, and how
long a stop waits for acked commands (``Bot.stop_grace``)."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from datetime import timedelta

from bot.config import Environment, load_config
from bot.slack.bot import Bot


async def main(config_path: str, *handover: str) -> None:
    """Start the bot (which resumes unfinished jobs once it leads) and serve until stopped."""
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("bot.leader").setLevel(logging.INFO)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    bot = Bot(load_config(config_path, {}), Environment())
    if handover:
        bot.handover.period = float(handover[0])
        bot.handover.stale_after = timedelta(seconds=float(handover[1]))
    if len(handover) > 2:
        bot.stop_grace = float(handover[2])
    try:
        port = await bot.start_http("127.0.0.1", 0)
        print(f"PORT {port}", flush=True)
        await stop.wait()
    finally:
        await bot.stop()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:]))
