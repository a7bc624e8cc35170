"""The progress message is throttled; the rejected-rows CSV is safe to open; every sentence of
the feature exists in English and Vietnamese with the same placeholders."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.imports import model
from bot.jobs.intake import create_job
from bot.jobs.progress import Progress
from bot.jobs.rejects import rejected_csv
from bot.messages import Messages, placeholders
from bot.messages import imports as catalog
from bot.phones import EMPTY, FOREIGN, INVALID, NOT_A_NUMBER, TOO_LONG, TOO_SHORT
from tests.jobs.conftest import Env
from tests.jobs.data import phones


def _progress(env: Env, job_id: int, **options: Any) -> Progress:
    """The progress message of job ``job_id`` on the test's chat and catalog."""
    return Progress(
        env.store,
        job_id,
        chat=env.chat,
        messages=env.services.messages,
        tz=env.services.config.tz,
        **options,
    )


async def test_progress_updates_at_most_once_per_interval_and_always_at_the_end(env: Env):
    staged = await env.stage("vbee", "vbee-cmp-1", [(p, "A") for p in phones(3)] + [("12", "B")])
    job_id = await create_job(env.services.config, env.store, staged)
    now = [100.0]
    progress = _progress(env, job_id, interval=3.0, clock=lambda: now[0])
    await progress.open()
    await progress.opened()  # the card is posted beside the run
    assert len(env.chat.posts) == 1
    for moment in (100.5, 102.9, 103.0, 104.0, 105.9, 106.5, 107.0):
        now[0] = moment
        await progress.tick()
    assert len(env.chat.updates) == 2, "at 103.0 and 106.5 only"
    await progress.final()
    assert len(env.chat.updates) == 3
    [upload] = env.chat.uploads
    assert upload["thread_ts"] == env.chat.posts[0]["ts"]
    assert upload["filename"] == "J1-rejected.csv"


async def test_an_update_rendered_before_the_totals_never_lands_after_them(env: Env):
    # An Alohub poll still running as its job ends ticks the card once more: its words,
    # read before the end, must not replace the totals (the card would say "running").
    staged = await env.stage("vbee", "vbee-cmp-1", [(p, "A") for p in phones(3)])
    job_id = await create_job(env.services.config, env.store, staged)
    progress = _progress(env, job_id, interval=0.0)
    await progress.open()
    await progress.opened()
    rendered, release = asyncio.Event(), asyncio.Event()
    render = progress._render

    async def slow_render(*args: Any) -> tuple[str, list[dict[str, Any]]]:
        _, blocks = await render(*args)
        rendered.set()
        await release.wait()  # the poll's store reads take their time
        return "STALE running", blocks

    progress._render = slow_render  # type: ignore[method-assign]
    poll = asyncio.create_task(progress.tick())
    await rendered.wait()
    await env.store.set_state(job_id, "done")
    final = asyncio.create_task(progress.final())
    # The totals' own reads and writes run meanwhile (before the fix they were handed to
    # the chat here, and the held update after them).
    await asyncio.sleep(0.05)
    release.set()
    await asyncio.gather(poll, final)
    assert env.chat.updates[-1]["text"] != "STALE running"
    count = len(env.chat.updates)
    await progress.tick()  # and nothing after the totals
    assert len(env.chat.updates) == count


def test_rejected_csv_has_a_bom_and_neutralises_formulas():
    msg = Messages("en")
    content = rejected_csv(
        msg,
        [
            (2, '=HYPERLINK("x")', "@cmd", "phone.not_a_number"),
            (3, "+84 12", "-Nam", "phone.too_short"),
            (4, "0912", None, "import.reason.invalid_otp"),
        ],
    )
    assert content.startswith(b"\xef\xbb\xbf")
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0] == "line,phone,name,reason"
    assert lines[1] == '2,"\'=HYPERLINK(""x"")",\'@cmd,not a phone number'
    assert lines[2] == "3,+84 12,'-Nam,too few digits for a phone number"
    assert lines[3] == '4,0912,,"otp_code must be 6 digits, from 000001 to 999999"'


def test_rejected_csv_speaks_vietnamese_when_configured():
    content = rejected_csv(Messages("vi"), [(2, "12", "An", "phone.too_short")])
    assert content.decode("utf-8-sig").splitlines() == [
        "dòng,số điện thoại,họ tên,lý do",
        "2,12,An,quá ít chữ số",
    ]


@pytest.mark.parametrize("key", sorted(catalog.MESSAGES))
def test_every_imports_sentence_has_the_same_placeholders_in_both_languages(key: str):
    english, vietnamese = catalog.MESSAGES[key]
    assert placeholders(english) == placeholders(vietnamese)
    assert english.strip() and vietnamese.strip()


def test_every_reason_the_code_can_store_or_show_has_a_sentence():
    reasons = [
        model.TOO_LARGE,
        model.TOO_MANY_ROWS,
        model.EMPTY,
        model.NOT_A_TABLE,
        model.BAD_XLSX,
        model.BAD_CSV,
        model.NO_PHONE_COLUMN,
        "download_refused",
        "download_redirected",
        "download_denied",
        "download_failed",
        "no_file",
    ]
    keys = [f"import.{r}" for r in reasons]
    keys += [
        f"phone.{r}"
        for r in (model.MISSING_PHONE, EMPTY, NOT_A_NUMBER, TOO_SHORT, TOO_LONG, INVALID, FOREIGN)
    ]
    keys += [
        f"import.reason.{r}"
        for r in (
            "invalid_phone",
            "all_invalid",
            "invalid_otp",
            "duplicate_in_request",
            "rejected",
            "duplicate_in_file",
        )
    ]
    keys += [f"import.final.{s}" for s in ("done", "failed", "cancelled", "lost")]
    keys += [f"import.kind.{k}" for k in ("csv", "txt", "xlsx", "paste")]
    missing = [key for key in keys if key not in catalog.MESSAGES]
    assert missing == []
