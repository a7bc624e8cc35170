"""A console at a terminal whose ``/later`` command posts its result when the test says so.

``python -m tests.console.late_console WORK_DIR [--patient]``: the interactive ``Console``
the ``callops console`` command runs, with one demo command whose background work posts a
message in the channel when the process gets SIGUSR1, long after the prompt came back
(``--patient``: the console waits for that work before prompting again, as it does for a
form's "reading…" view). The terminal tests type into it and read where that message lands.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

from bot.args import Args
from bot.config import parse_config
from bot.console.app import Console
from bot.context import Ctx
from bot.replies import Message, Reply
from bot.routing import Role, Router

router = Router()
GO = signal.SIGUSR1
LATE = "J7 finished: 3 contacts added."
_go = asyncio.Event()


@router.command("/later", "", role=Role.STRANGER, usage="usage.callops.help")
async def later(ctx: Ctx, args: Args) -> Reply:
    """Answer now; post the result once the test sends ``GO``."""

    async def finish() -> None:
        await _go.wait()
        await ctx.services.chat.post(ctx.channel_id, LATE)

    ctx.services.spawn(finish(), name="later")
    return Message("Started; the result is posted when it is ready.")


async def main(work: Path, *, patient: bool) -> None:
    asyncio.get_running_loop().add_signal_handler(GO, _go.set)
    raw = {
        "database_url": f"sqlite:///{work}/late.db",
        "admins": ["U0CONSOLE"],
        # Never called: /later talks to no provider.
        "connections": {
            "main": {"provider": "alohub", "base_url": "http://127.0.0.1:9", "api_key": "k"}
        },
    }
    config = parse_config(raw, "(late)", {})
    console = Console(config, interactive=True, router=router)
    # The prompt comes back at once and the result is late; or only after the result.
    console.session.wait_limit = None if patient else 0.2
    await console.run()


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), patient="--patient" in sys.argv[2:]))
