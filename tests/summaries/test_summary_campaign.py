"""A daily summary of one AICallCenter campaign whose id is text (seed: campaign_id String)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from bot.sandbox.aicallcenter import ENCODED
from bot.summaries.service import SummaryService
from tests.calls.expected import between, expect, figures, text_of
from tests.slack.conftest import OPS_CHANNEL, Harness
from tests.summaries.conftest import Clock, subscribe


@pytest.mark.parametrize("campaign", ["cmp-hn-01", ENCODED])
async def test_the_summary_of_a_text_campaign_id_posts_that_campaigns_numbers(
    harness: Harness, clock: Clock, make_service: Callable[..., SummaryService], campaign: str
):
    await subscribe(harness.bot.services, since=clock.now - timedelta(days=1), campaign=campaign)
    clock.advance(hours=1)  # 08:00
    [result] = await make_service().run_due(clock.now)
    assert result.state == "posted"
    [post] = [
        c.args
        for c in harness.fake.calls_to("chat.postMessage")
        if c.args.get("channel") == OPS_CHANNEL and "daily" in c.args["text"].lower()
    ]
    shown = text_of(post["blocks"])
    assert f"campaign {campaign}" in shown, shown
    yesterday = clock.now.date() - timedelta(days=1)
    expected = expect(between(harness.sandbox.aicallcenter.calls, yesterday, yesterday), campaign)
    for figure in figures(expected) if expected.total else []:
        assert figure in shown
    paths = {r.path for r in harness.sandbox.requests("aicallcenter")}
    assert f"/api/campaigns/{campaign}/export" in paths and "/api/users/call-log" not in paths
