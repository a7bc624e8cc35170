"""App Home: time from a signed ``app_home_opened`` to the ``views.publish`` Slack receives,
with every provider answering in 300 ms.

One process holds the bot in HTTP mode (as ``callops run`` serves it), the provider
sandbox (each request delayed ``--latency`` seconds by its fault settings) and the fake
Slack Web API; the time is taken from just before the signed event is sent to the
moment the fake Slack records ``views.publish`` for that user (its ``time.monotonic()``
stamp). Users are members of a channel bound to every connection, so each Home fetches
``users.conversations`` (fake Slack, no delay), AICallCenter's call log for today and for
yesterday up to the same time (300 ms each, in parallel) and the user's running jobs.

Cases, ``--opens`` each (users U0BENCH000…):
- cold: a new bot's first Home (the AICallCenter token request comes first, 300 ms more);
- refetch: the 60-second caches emptied before each open (the provider is asked again);
- cached: opened again within the minute (no provider request);
- at once: ``--opens`` users open together on emptied caches (they share one fetch).

    .venv/bin/python bench/home_bench.py [--opens 20] [--latency 0.3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.config import Environment, parse_config  # noqa: E402
from bot.sandbox import Sandbox, SandboxOptions  # noqa: E402
from bot.slack.bot import Bot  # noqa: E402
from tests.harness.fake_slack import FakeSlack  # noqa: E402
from tests.harness.signing import SlackClient  # noqa: E402

SIGNING_SECRET = "bench-signing-secret"
CHANNEL = "C0BENCH"


async def _open(slack: SlackClient, fake: FakeSlack, user: str) -> float:
    """Seconds from sending the event to the fake Slack recording the user's Home."""
    seen = len(fake.calls_to("views.publish"))
    started = time.monotonic()
    ack = await slack.event({"type": "app_home_opened", "user": user, "tab": "home"})
    assert ack.status == 200
    call = await fake.wait_for(
        "views.publish",
        predicate=lambda c: (
            c.args["user_id"] == user and fake.calls_to("views.publish").index(c) >= seen
        ),
        timeout=30.0,
    )
    assert "*Calls*" in str(call.args["view"]), "the Home shows no call figures"
    return call.time - started


def _line(name: str, seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return (
        f"{name:<9} n={len(ms):<3} median {statistics.median(ms):7.1f} ms   "
        f"p95 {p95:7.1f} ms   max {ms[-1]:7.1f} ms"
    )


async def run(opens: int, latency: float) -> None:
    """Every case once; print the figures and the load average."""
    users = [f"U0BENCH{n:03d}" for n in range(opens)]
    options = SandboxOptions(seed=7, call_records=5000)
    with tempfile.TemporaryDirectory() as tmp:
        async with Sandbox(port=0, options=options) as sandbox, FakeSlack() as fake:
            for provider in sandbox.providers:
                sandbox.faults(provider).latency = latency
            for user in users:
                fake.join(user, CHANNEL)
            connections = sandbox.connections()
            config = parse_config(
                {
                    "database_url": f"sqlite:///{tmp}/bench.db",
                    "admins": ["U0ADMIN1"],
                    "connections": connections,
                    "channels": {CHANNEL: list(connections)},
                },
                "bench",
                {},
            )
            env = Environment(
                slack_bot_token=fake.bot_token,
                slack_signing_secret=SIGNING_SECRET,
                slack_api_url=fake.api_url,
            )
            bot = Bot(config, env)
            port = await bot.start_http("127.0.0.1", 0)
            home = bot.runtime.home
            url = f"http://127.0.0.1:{port}"
            async with SlackClient(
                url, SIGNING_SECRET, response_url_factory=fake.response_url
            ) as slack:
                cold = [await _open(slack, fake, users[0])]
                refetch = []
                for user in users:
                    home.forget()
                    refetch.append(await _open(slack, fake, user))
                cached = [await _open(slack, fake, user) for user in users]
                home.forget()
                together = await asyncio.gather(*(_open(slack, fake, u) for u in users))
            await bot.services.drain()
            await bot.stop()
    print(f"providers delayed {latency * 1000:.0f} ms a request; {opens} users")
    for name, figures in (
        ("cold", cold),
        ("refetch", refetch),
        ("cached", cached),
        ("at once", list(together)),
    ):
        print(_line(name, figures))
    print("load average: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


def main() -> None:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opens", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.3)
    args = parser.parse_args()
    asyncio.run(run(args.opens, args.latency))


if __name__ == "__main__":
    main()
