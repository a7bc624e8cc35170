"""State before words: a message that tells the operator what to do next is posted only once
the state it describes is in the database, so acting on it at once works."""

from __future__ import annotations

from typing import Any

from tests.jobs.data import contact_list
from tests.jobs.e2e import confirm, eventually, import_file, job_in, running_bot
from tests.jobs.providers import at_provider


async def test_job_retry_sent_the_moment_lost_is_shown_is_accepted_and_completes_the_job(
    sandbox: Any, tmp_path: Any
):
    sandbox.alohub.rows_per_second = 100
    content, valid = contact_list(300, seed=31)
    async with running_bot(sandbox, tmp_path, batch_sizes={"alohub-main": 100}) as h:
        await confirm(h, await import_file(h, "alohub-main", content))
        jobs = h.bot.services.jobs
        assert jobs is not None

        async def some_rows_added() -> bool:
            return len(await jobs.store.batches(1, "submitted")) == 3 and bool(
                sandbox.alohub.contacts(103)
            )

        await eventually(some_rows_added, what="chunks at Alohub, part of them added")
        sandbox.alohub.restart()
        lost = await h.fake.wait_for(
            "chat.update",
            predicate=lambda c: "lost" in str(c.args.get("blocks", "")),
            timeout=20,
        )
        reply = await h.reply("/job", "retry J1")  # at once, as an operator would
        assert "/job retry J1" in str(lost.args["blocks"])
        assert "still running" not in reply["text"], reply["text"]
        assert "of J1 again" in reply["text"]
        store = h.bot.services.store
        await eventually(lambda: job_in(store, 1, "done"), within=20, what="the retried job done")
        assert await store.job_counts(1) == {"accepted": 300}
        held = at_provider(sandbox, "alohub-main")
        assert all(held[p] == 1 for p in valid) and max(held.values()) == 1
