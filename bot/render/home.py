"""App Home: the caller's recent jobs and the configured connections."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.config import Config
from bot.messages import Messages
from bot.render.blocks import Block, context, divider, header, section
from bot.render.inputs import CheckFacts, JobFacts
from bot.render.jobs import job_line


def home_view(
    msg: Messages,
    jobs: Sequence[JobFacts],
    config: Config,
    checks: Mapping[str, CheckFacts],
    *,
    counts: Mapping[int, Mapping[str, int]] | None = None,
) -> dict[str, Any]:
    """The Home tab view."""
    blocks: list[Block] = [header(msg("home.title")), section(msg("home.jobs"))]
    if jobs:
        for job in jobs[:10]:
            blocks.append(section(job_line(msg, job, (counts or {}).get(job.id), tz=config.tz)))
    else:
        blocks.append(context(msg("home.no_jobs")))
    blocks.extend([divider(), section(msg("home.connections"))])
    for name, connection in config.connections.items():
        check = checks.get(name)
        state = (
            msg("home.check_unknown")
            if check is None
            else msg("home.check_ok")
            if check.ok
            else msg("home.check_failed")
        )
        blocks.append(context(f"`{name}` · {connection.provider} · {state}"))
    blocks.append(context(msg("help.footer")))
    return {"type": "home", "blocks": blocks[:100]}
