"""A busy bot under the suite's database guard: an import sending, a daily summary being
posted and 50 commands at once, all answered, while no database call runs on the loop."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, timedelta
from typing import Any

from tests.jobs.data import contact_list
from tests.jobs.e2e import confirm, eventually, finished_job, import_file, job_in, running_bot
from tests.jobs.providers import at_provider
from tests.slack.conftest import ADMIN, OPERATOR, OPS_CHANNEL
from tests.summaries.conftest import TZ, at, subscribe

# Seconds for each of the 50 answers: they queue behind one another on a loaded machine.
REPLY_WITHIN = 15.0

# (command, text, who, words the reply must carry)
COMMANDS = [
    ("/job", "", OPERATOR, "recent imports"),
    ("/job", "J1", OPERATOR, "J1"),
    ("/calls", "summary", OPERATOR, "Daily summary at 08:00"),
    ("/callops", "", OPERATOR, "What callops can do here"),
    ("/callops", "connections", ADMIN, "vbee"),
]


async def test_an_import_a_summary_and_50_commands_at_once_are_all_answered(
    sandbox: Any, tmp_path: Any
) -> None:
    # While the commands are answered the import goes on at a steady pace: 80 batches of 10
    # rows, four in flight at a time, each a second at Vbee, last at least 20 s: longer
    # than the commands may take (REPLY_WITHIN), so "answered while the import ran" does not
    # depend on how loaded the machine is. Answered, Vbee is fast again.
    sandbox.faults("vbee").latency = 1.0
    content, valid = contact_list(800, seed=41)
    async with running_bot(sandbox, tmp_path, batch_sizes={"vbee": 10}) as h:
        services = h.bot.services
        await confirm(h, await import_file(h, "vbee", content))
        await eventually(lambda: job_in(services.store, 1, "running"), what="the import sending")
        today = datetime.now(TZ).date()
        await subscribe(services, since=at(today - timedelta(days=1), "07:00"))
        assert services.summaries is not None

        summary = asyncio.create_task(services.summaries.run_due(at(today, "08:30")))
        sent = [COMMANDS[n % len(COMMANDS)] for n in range(50)]
        replies = await asyncio.gather(
            *(
                h.reply(command, text, user=who, within=REPLY_WITHIN)
                for command, text, who, _ in sent
            )
        )
        still_sending = await job_in(services.store, 1, "running")
        [run] = await summary
        sandbox.faults("vbee").latency = 0.0

        for (command, text, _, words), reply in zip(sent, replies, strict=True):
            assert words in str(reply), (command, text, reply)
        assert run.state == "posted"
        posted = [
            c.args["text"]
            for c in h.fake.calls_to("chat.postMessage")
            if c.args.get("channel") == OPS_CHANNEL and "daily" in c.args["text"].lower()
        ]
        assert len(posted) == 1
        assert still_sending is not None, "the commands were answered while the import ran"

        job = await finished_job(h, within=60)
        assert job.state == "done"
        assert await services.store.job_counts(1) == {"accepted": 800}
        held = at_provider(sandbox, "vbee")
        assert all(held[p] == 1 for p in valid)
        entries = await services.store.audit_entries(limit=200)
        audited = [e for e in entries if re.match(r"/(job|calls|callops)", e.command)]
        assert len(audited) == 50, "every command was audited"
