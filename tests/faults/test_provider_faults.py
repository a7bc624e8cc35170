"""Provider faults against the real bot over signed HTTP, one test per case (issue 13).

Each test turns one of the sandbox's fault switches on and checks the three promises of
PRODUCT.md ("Bad input and faults"): a sentence naming the connection and the next step; a
``/queue list`` answered while the fault is on; every valid row at the provider exactly once
or shown ``unconfirmed`` (imports), or no duplicate provider call (commands).
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.faults.conftest import (
    dead_port,
    each_row_once,
    eventually,
    final_words,
    queue_list_answers,
    reply_words,
    row_phones,
    wait_for_reply,
)
from tests.harness.fake_slack import FakeSlack
from tests.jobs.data import contact_list
from tests.jobs.e2e import confirm, finished_job, import_file, job_in, running_bot
from tests.jobs.providers import at_provider
from tests.slack.conftest import mrkdwn_shown

VBEE_ADD = "/api/v1/public-api/campaign"


def posts(sandbox: Any, provider: str, path_end: str) -> list[Any]:
    """The POSTs ``provider`` received to a path ending in ``path_end``."""
    return [
        r for r in sandbox.requests(provider) if r.method == "POST" and r.path.endswith(path_end)
    ]


async def retried_to_the_end(h: Any, job_id: int, *, unconfirmed: bool = False) -> Any:
    """``/job retry`` (optionally ``unconfirmed``) and the job's next end."""
    reply = await h.reply("/job", f"retry J{job_id}" + (" unconfirmed" if unconfirmed else ""))
    assert f"J{job_id}" in reply["text"], reply
    store = h.bot.services.store
    return await eventually(
        lambda: job_in(store, job_id, "done", "failed"), within=30, what="the retried job's end"
    )


# -- a slow provider ------------------------------------------------------------------------


@pytest.mark.slow  # the 10 s are the point: the late request must land, once
async def test_a_10_s_provider_latency_times_out_one_add_and_never_repeats_it(
    sandbox: Any, tmp_path: Path
):
    sandbox.faults("vbee").latency = 10.0  # Vbee answers after 10 s; the bot waits 2 s
    async with running_bot(sandbox, tmp_path, settings={"vbee": {"read_timeout": 2.0}}) as h:
        ack = await h.command("/contact", "add 0912000111 Lan campaign=vbee-cmp-1 via=vbee")
        assert ack.status == 200
        await eventually(lambda: posts(sandbox, "vbee", VBEE_ADD), what="the add at Vbee")
        await queue_list_answers(h)  # while Vbee holds the request
        words = reply_words(await wait_for_reply(h, ack))
        assert "`vbee` did not answer in time" in words, words
        assert "check in its dashboard before sending the same thing again" in words
        # Vbee executes the request after its 10 s: the contact is there once, never twice.
        await eventually(
            lambda: len(sandbox.vbee.contacts["vbee-cmp-1"]) >= 1, within=30, what="the late add"
        )
        assert len(posts(sandbox, "vbee", VBEE_ADD)) == 1, (
            "a POST that may have acted is not sent again"
        )
        assert at_provider(sandbox, "vbee")["0912000111"] == 1


# -- 5xx, 429, malformed, error bodies --------------------------------------------------------


async def test_30_percent_5xx_leaves_rows_unconfirmed_or_pending_and_retries_complete_it(
    sandbox: Any, tmp_path: Path
):
    sandbox.faults("aicallcenter").error_ratio = 0.3
    content, valid = contact_list(200, seed=41)
    async with running_bot(sandbox, tmp_path, batch_sizes={"aicc": 20}) as h:
        await confirm(h, await import_file(h, "aicc", content))
        await queue_list_answers(h)
        job = await finished_job(h)
        assert job.state == "failed", job.reason
        words = final_words(h, job)
        assert "`aicc` had a failure on its side" in words, words
        assert "(I waited 0" not in words, "a 5xx answered at once: no wait to speak of"
        assert "when the bot stopped" not in words, "the bot did not stop: the provider failed"
        assert "cannot tell whether it got them" in words and "/job retry J1 unconfirmed" in words
        assert "/job retry J1" in words
        await each_row_once(h, 1, "aicc", valid)
        assert (await row_phones(h, 1)).get("unconfirmed"), "the 5xx batch may have been acted on"

        sandbox.faults("aicallcenter").reset()  # the provider is well again
        job = await retried_to_the_end(h, 1)
        assert (await row_phones(h, 1)).keys() <= {"accepted", "unconfirmed"}
        await each_row_once(h, 1, "aicc", valid)
        job = await retried_to_the_end(h, 1, unconfirmed=True)
        assert job.state == "done" and set(await row_phones(h, 1)) == {"accepted"}
        held = await each_row_once(h, 1, "aicc", valid)
        assert all(held[p] == 1 for p in valid)


@pytest.mark.slow  # a dozen Retry-After: 1 waits before the bot gives up
async def test_a_storm_of_429_beyond_the_budget_stops_the_job_and_retry_sends_each_row_once(
    sandbox: Any, tmp_path: Path
):
    content, valid = contact_list(60, seed=42)
    async with running_bot(sandbox, tmp_path, batch_sizes={"vbee": 20}) as h:
        view = await import_file(h, "vbee", content)
        sandbox.faults("vbee").storm = 10_000  # every request: 429, Retry-After: 1
        await confirm(h, view)
        await eventually(lambda: len(sandbox.requests("vbee")) >= 3, what="429s answered")
        await queue_list_answers(h)
        job = await finished_job(h, within=60)
        assert job.state == "failed", job.reason
        words = final_words(h, job)
        assert "`vbee` is receiving too many requests" in words, words
        assert "/job retry J1" in words
        # Retry-After honoured: each batch waits its second, so no more requests in any
        # second than batches in flight (3 here, at most parallel_batches).
        times = sorted(r.time for r in sandbox.requests("vbee"))
        assert len(times) >= 12 and all(
            b - a >= 0.9 for a, b in zip(times, times[3:], strict=False)
        ), times
        assert (await row_phones(h, 1)).keys() == {"pending"}, "a 429 did nothing: rows wait"
        assert len(sandbox.vbee.contacts["vbee-cmp-1"]) == 0

        sandbox.faults("vbee").reset()
        job = await retried_to_the_end(h, 1)
        assert job.state == "done"
        held = await each_row_once(h, 1, "vbee", valid)
        assert all(held[p] == 1 for p in valid)


async def test_malformed_json_answers_the_add_with_a_sentence_and_no_second_call(
    sandbox: Any, tmp_path: Path
):
    sandbox.faults("omicall").malformed = True
    async with running_bot(sandbox, tmp_path) as h:
        await queue_list_answers(h)
        reply = await h.reply("/contact", "add 0912000222 Minh via=crm")
        words = reply_words(reply)
        assert "`crm` answered something I do not understand" in words, words
        assert "tell an admin" in words
        calls = [(r.method, r.path) for r in sandbox.requests("omicall")]
        assert len(calls) == len(set(calls)) == 1, calls


@pytest.mark.parametrize(
    ("connection", "provider"), [("vbee", "vbee"), ("aicc", "aicallcenter"), ("crm", "omicall")]
)
async def test_http_200_with_an_error_body_leaves_the_batch_unconfirmed_never_sent_twice(
    sandbox: Any, tmp_path: Path, connection: str, provider: str
):
    content, valid = contact_list(30, seed=43)
    async with running_bot(sandbox, tmp_path, batch_sizes={connection: 10}) as h:
        view = await import_file(h, connection, content)
        sandbox.faults(provider).error_body = True
        await confirm(h, view)
        job = await finished_job(h)
        await queue_list_answers(h)
        assert job.state == "failed", job.reason
        words = final_words(h, job)
        assert f"`{connection}` had a failure on its side" in words, words
        assert "/job retry J1" in words
        await each_row_once(h, 1, connection, valid)
        assert (await row_phones(h, 1)).get("unconfirmed"), words

        sandbox.faults(provider).reset()
        await retried_to_the_end(h, 1)
        job = await retried_to_the_end(h, 1, unconfirmed=True)
        assert job.state == "done"
        held = await each_row_once(h, 1, connection, valid)
        assert all(held[p] == 1 for p in valid)


# -- an unreachable provider ------------------------------------------------------------------


async def test_connection_refused_stops_the_import_with_nothing_sent(sandbox: Any, tmp_path: Path):
    content, valid = contact_list(40, seed=44)
    dead = f"http://127.0.0.1:{dead_port()}"
    async with running_bot(
        sandbox, tmp_path, batch_sizes={"crm": 10}, settings={"crm": {"base_url": dead}}
    ) as h:
        await confirm(h, await import_file(h, "crm", content))
        await queue_list_answers(h)
        job = await finished_job(h, within=30)
        assert job.state == "failed", job.reason
        words = final_words(h, job)
        assert "I could not reach `crm`" in words and "nothing was sent" in words, words
        assert "`base_url`" in words and "callops check" in words
        assert (await row_phones(h, 1)).keys() == {"pending"}, "refused: every row waits"
        await each_row_once(h, 1, "crm", valid)


# -- the provider forgets, or the key changes, in the middle of an import -----------------------


async def test_alohub_restarting_mid_import_loses_the_job_and_retry_adds_each_row_once(
    sandbox: Any, tmp_path: Path
):
    sandbox.alohub.rows_per_second = 100  # a 100-row chunk takes a second at the provider
    content, valid = contact_list(300, seed=45)
    async with running_bot(sandbox, tmp_path, batch_sizes={"alohub-main": 100}) as h:
        await confirm(h, await import_file(h, "alohub-main", content))
        jobs = h.bot.services.jobs.store

        async def chunks_at_alohub() -> bool:
            return (
                bool(await jobs.batches(1, "submitted")) and len(sandbox.alohub.contacts(103)) > 0
            )

        await eventually(chunks_at_alohub, what="chunks at Alohub, part of them added")
        sandbox.alohub.restart()
        await queue_list_answers(h)  # Alohub itself, just restarted
        job = await finished_job(h)
        assert job.state == "lost", job.reason
        words = final_words(h, job)
        assert "`alohub-main` lost track of the import" in words, words
        assert "/job retry J1" in words

        job = await retried_to_the_end(h, 1)
        assert job.state == "done"
        held = await each_row_once(h, 1, "alohub-main", valid)
        assert all(held[p] == 1 for p in valid)


async def test_the_aicc_secret_rotated_mid_import_stops_it_with_a_sentence_for_the_admin(
    sandbox: Any, tmp_path: Path
):
    content, valid = contact_list(200, seed=46)
    settings = {"batch_sizes": {"aicc": 10}}
    async with FakeSlack() as slack:
        async with running_bot(
            sandbox, tmp_path, fake=slack, settings={"aicc": {"rate_limit": "2/1s"}}, **settings
        ) as h:
            await confirm(h, await import_file(h, "aicc", content))
            jobs = h.bot.services.jobs.store

            async def some_accepted() -> bool:
                return (await jobs.counts(1)).get("accepted", 0) >= 30

            await eventually(some_accepted, within=20, what="part of the import accepted")
            sandbox.aicallcenter.rotate_secret()  # every token made from the old secret dies
            await queue_list_answers(h)
            job = await finished_job(h, within=30)
            assert job.state == "failed", job.reason
            words = final_words(h, job)
            assert "`aicc` rejected our credentials" in words, words
            assert "callops check" in words and "/job retry J1" in words
            # callops reads callops.yml at start: a new key is used once the bot restarts.
            assert "restart" in words, words
            by_state = await row_phones(h, 1)
            assert by_state.get("pending") and by_state.get("accepted"), by_state.keys()
            await each_row_once(h, 1, "aicc", valid)

        # The admin puts the new secret in callops.yml (``connections()`` gives the sandbox's
        # current one) and restarts the bot; the operator retries.
        async with running_bot(sandbox, tmp_path, fake=slack, **settings) as h:
            job = await retried_to_the_end(h, 1)
            assert job.state == "done", job.reason
            held = await each_row_once(h, 1, "aicc", valid)
            assert all(held[p] == 1 for p in valid)


async def test_a_429_storm_says_in_the_job_message_that_it_waits_and_clears_when_it_resumes(
    sandbox: Any, tmp_path: Path
):
    content, valid = contact_list(60, seed=47)
    interval = 1.5  # the progress message's usual rate, which the waits must not exceed
    async with running_bot(
        sandbox, tmp_path, batch_sizes={"vbee": 20}, progress_interval=interval
    ) as h:
        view = await import_file(h, "vbee", content)
        async with httpx.AsyncClient() as control:  # the sandbox's own fault switch
            switched = await control.post(
                f"{sandbox.url}/_sandbox/vbee/faults", json={"storm": 9, "storm_retry_after": 2}
            )
        assert switched.status_code == 200, switched.text
        await confirm(h, view)
        waiting = "Waiting 2 s: `vbee` asked us to slow down (its rate limit)"
        said = await h.fake.wait_for(
            "chat.update", predicate=lambda c: waiting in mrkdwn_shown(c.args), timeout=30
        )
        assert "Sending goes on by itself" in mrkdwn_shown(said.args)
        await queue_list_answers(h)
        job = await finished_job(h, within=60)
        assert job.state == "done", job.reason
        assert "asked us to slow down" not in final_words(h, job), "cleared once sending resumed"
        held = await each_row_once(h, 1, "vbee", valid)
        assert all(held[p] == 1 for p in valid)
        # Every update but the final one waited its interval (a little less for clock jitter).
        times = [c.time for c in h.fake.calls_to("chat.update")][:-1]
        assert all(b - a >= interval * 0.9 for a, b in pairwise(times)), times
