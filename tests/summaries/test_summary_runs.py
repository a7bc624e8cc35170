"""Daily summary runs with the clock driven by the test: when they fire, once and only once."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from io import BytesIO

import pytest
from PIL import Image

from bot.providers.registry import Clients
from bot.providers.retry import RetryPolicy
from bot.runtime import Runtime
from bot.store.summaries import SummaryStore
from bot.summaries.service import SummaryService, job_id
from tests.calls.expected import between, expect, figures, text_of
from tests.slack.conftest import OPS_CHANNEL, Harness
from tests.summaries.conftest import TZ, Clock, at, subscribe


def _summaries(harness: Harness) -> list[dict]:
    return [
        c.args
        for c in harness.fake.calls_to("chat.postMessage")
        if c.args.get("channel") == OPS_CHANNEL and "daily" in c.args["text"].lower()
    ]


async def test_the_trigger_fires_at_hh_mm_ho_chi_minh_and_posts_then(
    harness: Harness, clock: Clock, make_service: Callable[..., SummaryService]
):
    day = clock.now.date()
    sid = await subscribe(harness.bot.services, since=clock.now - timedelta(days=1), at="08:30")
    service = make_service()
    service.schedule(await SummaryStore(harness.bot.services.store).subscription(sid))
    job = harness.bot.runtime.scheduler._scheduler.get_job(job_id(sid))
    # 01:00 UTC is 08:00 in Ho Chi Minh City: the next fire is 30 minutes later, local.
    fire = job.trigger.get_next_fire_time(
        None, datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=1)
    )
    assert fire == at(day, "08:30") and fire.utcoffset() == timedelta(hours=7)

    clock.set(at(day, "08:28"))
    await job.func()  # what APScheduler calls
    assert _summaries(harness) == []
    clock.set(at(day, "08:30"))
    await job.func()
    assert len(_summaries(harness)) == 1
    assert [r.state for r in await SummaryStore(harness.bot.services.store).runs(sid)] == ["posted"]


async def test_the_summary_posts_yesterdays_numbers_and_a_png_chart(
    harness: Harness, clock: Clock, make_service: Callable[..., SummaryService]
):
    await subscribe(harness.bot.services, since=clock.now - timedelta(days=1))
    clock.advance(hours=1)  # 08:00
    [result] = await make_service().run_due(clock.now)
    assert result.state == "posted"
    [post] = _summaries(harness)
    shown = text_of(post["blocks"])
    yesterday = clock.now.date() - timedelta(days=1)
    expected = expect(between(harness.sandbox.aicallcenter.calls, yesterday, yesterday))
    assert f"Daily summary · {yesterday.isoformat()}" in shown
    for figure in figures(expected):
        assert figure in shown

    [upload] = harness.fake.uploaded_files
    assert upload["channel_id"] == OPS_CHANNEL and upload["filename"].endswith(".png")
    image = Image.open(BytesIO(upload["content"])).convert("RGB")
    assert image.size == (1000, 500)
    colors = image.getcolors(maxcolors=1_000_000)
    assert colors is not None and len(colors) > 50  # not blank: text, bars, a line
    pixels = {color for _, color in colors}
    assert (46, 125, 50) in pixels and (198, 40, 40) in pixels  # answered and failed bars


async def test_a_run_missed_while_the_bot_was_down_is_posted_once_when_it_comes_back(
    harness: Harness,
    clock: Clock,
    make_service: Callable[..., SummaryService],
    second_runtime: Runtime,
):
    await subscribe(harness.bot.services, since=clock.now - timedelta(days=2))
    clock.advance(hours=2, minutes=30)  # 09:30: the bot was down at 08:00
    await make_service().start()
    await harness.bot.services.drain()
    assert len(_summaries(harness)) == 1
    # Started again (a restart, or a second process on the same database): nothing new.
    await make_service().start()
    await make_service(second_runtime).start()
    await harness.bot.services.drain()
    await second_runtime.drain()
    assert len(_summaries(harness)) == 1


async def test_a_run_missed_on_an_earlier_day_is_not_posted(
    harness: Harness, clock: Clock, make_service: Callable[..., SummaryService]
):
    sid = await subscribe(harness.bot.services, since=clock.now - timedelta(days=3))
    # 07:00: yesterday's 08:00 was missed, today's is not due yet.
    await make_service().start()
    await harness.bot.services.drain()
    assert _summaries(harness) == []
    assert await SummaryStore(harness.bot.services.store).runs(sid) == []


async def test_a_subscription_made_after_todays_time_waits_for_tomorrow(
    harness: Harness, clock: Clock, make_service: Callable[..., SummaryService]
):
    clock.advance(hours=3)  # 10:00
    await subscribe(harness.bot.services, since=clock.now)  # at 08:00: already past
    assert await make_service().run_due(clock.now) == []
    clock.advance(days=1, hours=-2)  # tomorrow 08:00
    assert [r.state for r in await make_service().run_due(clock.now)] == ["posted"]


async def test_a_run_is_never_posted_twice_by_two_triggers_or_two_services(
    harness: Harness,
    clock: Clock,
    make_service: Callable[..., SummaryService],
    second_runtime: Runtime,
):
    await subscribe(harness.bot.services, since=clock.now - timedelta(days=1))
    clock.advance(hours=1)
    first, second = make_service(), make_service(second_runtime)
    results = await asyncio.gather(
        first.run_due(clock.now), second.run_due(clock.now), first.run_due(clock.now)
    )
    assert sorted(len(r) for r in results) == [0, 0, 1]
    assert await first.run_due(clock.now + timedelta(hours=5)) == []
    assert len(_summaries(harness)) == 1


async def test_a_run_left_claimed_by_a_bot_that_died_is_posted_once_by_the_next_leader(
    harness: Harness, clock: Clock, make_service: Callable[..., SummaryService]
):
    sid = await subscribe(harness.bot.services, since=clock.now - timedelta(days=1))
    clock.advance(hours=1)
    runs = SummaryStore(harness.bot.services.store)
    day = clock.now.date().isoformat()
    dead = await runs.claim(sid, day)  # claimed, then the bot was killed building it
    assert dead is not None
    service = make_service()  # the bot started again: it leads from now on
    assert [r.state for r in await service.run_due(clock.now)] == ["posted"]
    assert await service.run_due(clock.now) == []
    assert len(_summaries(harness)) == 1
    (run,) = await runs.runs(sid)
    assert (run.id, run.state) == (dead, "posted") and run.message_ts


async def test_a_leader_cut_off_while_building_does_not_post_a_run_taken_over(
    harness: Harness,
    clock: Clock,
    make_service: Callable[..., SummaryService],
    second_runtime: Runtime,
):
    sid = await subscribe(harness.bot.services, since=clock.now - timedelta(days=1))
    clock.advance(hours=1)
    runs = SummaryStore(harness.bot.services.store)
    run_id = await runs.claim(sid, clock.now.date().isoformat())
    assert run_id is not None
    claimed_at = await runs.claimed_at(run_id)
    assert claimed_at is not None
    # The old leader is cut off but still building; the new one takes the run over.
    assert [r.state for r in await make_service(second_runtime).run_due(clock.now)] == ["posted"]
    assert not await runs.begin_post(run_id, claimed_at, "posted"), "the old claim is void"
    assert len(_summaries(harness)) == 1


async def test_setting_the_clock_back_does_not_post_the_day_again(
    harness: Harness, clock: Clock, make_service: Callable[..., SummaryService]
):
    await subscribe(harness.bot.services, since=clock.now - timedelta(days=1))
    service = make_service()
    clock.advance(hours=1)
    assert len(await service.run_due(clock.now)) == 1
    clock.set(clock.now - timedelta(minutes=5))  # NTP stepped the clock back over 08:00
    assert await service.run_due(clock.now) == []
    clock.advance(minutes=5)  # and the cron trigger fires at 08:00 again
    assert await service.run_due(clock.now) == []
    assert len(_summaries(harness)) == 1


async def test_a_restarted_bot_rebuilds_the_trigger_from_the_database(
    harness: Harness,
    clock: Clock,
    second_runtime: Runtime,
    make_service: Callable[..., SummaryService],
):
    sid = await subscribe(harness.bot.services, since=clock.now - timedelta(days=1), at="18:45")
    second_runtime.scheduler.start()
    try:
        service = make_service(second_runtime)
        await service.start()
        next_run = second_runtime.scheduler.next_run(job_id(sid))
        assert next_run is not None and next_run.strftime("%H:%M %z") == "18:45 +0700"
        assert next_run > datetime.now(TZ)
        await service.stop()
        assert not second_runtime.scheduler.has(job_id(sid))
    finally:
        second_runtime.scheduler.shutdown()


async def test_a_provider_outage_posts_that_the_numbers_could_not_be_fetched(
    harness: Harness, clock: Clock, make_service: Callable[..., SummaryService]
):
    sid = await subscribe(harness.bot.services, since=clock.now - timedelta(days=1))
    harness.sandbox.faults("aicallcenter").error_ratio = 1.0
    # Same bot, but retries without waiting, so the test does not sit out the backoff.
    services = harness.bot.services
    fast = Clients(services.config.connections, retry=RetryPolicy(base_delay=0.0, max_delay=0.0))
    try:
        clock.advance(hours=1)
        [result] = await make_service(clients=fast).run_due(clock.now)
    finally:
        await fast.aclose()
    assert result.state == "provider_error"
    [post] = _summaries(harness)
    shown = text_of(post["blocks"])
    assert "could not fetch the numbers" in shown
    assert "`aicc` had a failure on its side" in shown and "try again in a few minutes" in shown
    assert "The next summary is due" in shown
    assert harness.fake.uploaded_files == []
    [run] = await SummaryStore(services.store).runs(sid)
    assert run.state == "provider_error" and "ProviderFault" in (run.detail or "")


async def test_rejected_credentials_post_which_connection_and_what_to_do(
    harness: Harness, clock: Clock, make_service: Callable[..., SummaryService]
):
    await subscribe(harness.bot.services, since=clock.now - timedelta(days=1))
    harness.sandbox.aicallcenter.rotate_secret()
    clock.advance(hours=1)
    [result] = await make_service().run_due(clock.now)
    assert result.state == "provider_error"
    shown = text_of(_summaries(harness)[0]["blocks"])
    assert "`aicc` rejected our credentials" in shown and "callops check" in shown


async def test_an_alohub_subscription_posts_the_campaign_progress(
    harness: Harness, clock: Clock, make_service: Callable[..., SummaryService]
):
    await subscribe(
        harness.bot.services,
        since=clock.now - timedelta(days=1),
        campaign="102",
        connection="alohub-main",
    )
    clock.advance(hours=1)
    [result] = await make_service().run_due(clock.now)
    assert result.state == "posted"
    shown = text_of(harness.fake.calls_to("chat.postMessage")[-1].args["blocks"])
    contacts = harness.sandbox.alohub.contacts(102)
    processed = sum(1 for c in contacts if c.processStatus == 2)
    assert "Campaign 102 · progress" in shown
    assert f"*Contacts*\n{len(contacts):,}" in shown and f"*✅ Processed*\n{processed:,}" in shown


async def test_a_connection_removed_from_the_config_is_named_in_the_post(
    harness: Harness, clock: Clock, make_service: Callable[..., SummaryService]
):
    await subscribe(
        harness.bot.services, since=clock.now - timedelta(days=1), connection="old-aicc"
    )
    clock.advance(hours=1)
    [result] = await make_service().run_due(clock.now)
    assert result.state == "provider_error"
    shown = text_of(_summaries(harness)[0]["blocks"])
    assert "`old-aicc` is no longer in callops.yml" in shown


async def test_an_unexpected_failure_still_posts_with_a_reference_for_the_admin(
    harness: Harness,
    clock: Clock,
    make_service: Callable[..., SummaryService],
    monkeypatch: pytest.MonkeyPatch,
):
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("bot.summaries.service.fetch_call_stats", broken)
    await subscribe(harness.bot.services, since=clock.now - timedelta(days=1))
    clock.advance(hours=1)
    [result] = await make_service().run_due(clock.now)
    assert result.state == "error"
    shown = text_of(_summaries(harness)[0]["blocks"])
    assert "could not fetch the numbers" in shown and "Something went wrong on our side" in shown


async def test_summary_shown_right_after_a_failure_post_says_how_that_run_ended(
    harness: Harness, clock: Clock, make_service: Callable[..., SummaryService]
):
    # The failure post sends the reader to `/calls summary`: what that shows must already be
    # committed when the post appears, not once Slack's answer is back at the bot.
    await subscribe(harness.bot.services, since=clock.now - timedelta(days=1))
    harness.sandbox.aicallcenter.rotate_secret()
    clock.advance(hours=1)
    released = harness.fake.hold("chat.postMessage")
    run = asyncio.create_task(make_service().run_due(clock.now))
    try:
        post = await harness.fake.wait_for(
            "chat.postMessage", predicate=lambda c: "could not" in str(c.args.get("text"))
        )
        assert "`/calls summary`" in text_of(post.args["blocks"])
        reply = await harness.reply("/calls", "summary")
        shown = text_of(reply["blocks"])
        assert "posted, saying the provider could not be reached" in shown, shown
        assert "being posted" not in shown
    finally:
        released.set()
    [result] = await run
    assert result.state == "provider_error" and result.message_ts is not None
    [stored] = await SummaryStore(harness.bot.services.store).runs(result.subscription_id)
    assert stored.state == "provider_error" and stored.message_ts == result.message_ts
