"""Campaign ids are text where the seeds say String (AICallCenter, Vbee), over signed HTTP.

aicallcenter-api.txt: "Params campaign_id Có String"; vbee-aicall-campaign.txt:
"campaign_id* String". Only Alohub's ids are numbers in its seed. Each test sends what an
operator types, reads what the bot answered in words, and checks what the sandbox got.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.sandbox.aicallcenter import ENCODED as AICC_ENCODED
from bot.sandbox.vbee import ENCODED as VBEE_ENCODED
from tests.calls.expected import between, expect, figures, text_of
from tests.jobs.data import contact_list
from tests.jobs.e2e import (
    confirm,
    finished_job,
    form,
    import_file,
    open_import,
    running_bot,
    submit,
    view_text,
)
from tests.jobs.providers import at_provider
from tests.slack.conftest import ADMIN, OPS_CHANNEL, Harness

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def _aicc_paths(sandbox: Any) -> list[str]:
    return [r.path for r in sandbox.requests("aicallcenter")]


@pytest.mark.parametrize(
    ("via", "campaign"),
    [
        ("aicc", "cmp-hn-01"),
        ("aicc", AICC_ENCODED),
        ("vbee", "vbee-cmp-1"),
        ("vbee", VBEE_ENCODED),
    ],
)
async def test_contact_add_takes_a_text_campaign_id_to_the_provider_intact(
    harness: Harness, via: str, campaign: str
):
    reply = await harness.reply(
        "/contact", f'add 0912345678 Nguyễn Văn An campaign="{campaign}" via={via}'
    )
    assert reply["text"].startswith(
        f"✅ Added 0912345678 (Nguyễn Văn An) to campaign *{campaign}*"
    ), reply["text"]
    assert at_provider(harness.sandbox, via, campaign)["0912345678"] == 1
    if via == "aicc":  # the id went in the URL path, percent-encoded, and came out whole
        assert f"/api/campaigns/{campaign}/import" in _aicc_paths(harness.sandbox)


async def test_contact_add_with_an_unknown_text_id_says_what_the_provider_said(
    harness: Harness,
):
    reply = await harness.reply("/contact", "add 0912345678 campaign=cmp-khong-co via=aicc")
    text = reply["text"]
    assert "is not a campaign id" not in text and "are numbers" not in text, text
    assert "campaign_id không hợp lệ" in text, text
    assert "/api/campaigns/cmp-khong-co/import" in _aicc_paths(harness.sandbox)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("add 0912345678 campaign=cmp-hn-01 via=alohub-main", "`cmp-hn-01` is not an Alohub"),
        ("lists campaign=cmp-hn-01 via=alohub-main", "`cmp-hn-01` is not an Alohub"),
    ],
)
async def test_alohub_alone_keeps_numeric_campaign_ids(harness: Harness, text: str, words: str):
    before = len(harness.sandbox.requests("alohub"))
    reply = await harness.reply("/contact", text)
    assert words in reply["text"] and "Alohub campaign ids are numbers" in reply["text"]
    assert len(harness.sandbox.requests("alohub")) == before


@pytest.mark.parametrize(
    ("connection", "campaign"),
    [("aicc", "cmp-hn-01"), ("aicc", AICC_ENCODED), ("vbee", VBEE_ENCODED)],
)
async def test_import_into_a_text_campaign_id_sends_every_row_there(
    sandbox: Any, tmp_path: Any, connection: str, campaign: str
):
    content, valid = contact_list(30, seed=41)
    async with running_bot(sandbox, tmp_path) as h:
        view = await import_file(h, connection, content, campaign=campaign)
        text = view_text(view)
        assert view["callback_id"] == "import_confirm", text
        assert f"campaign *{campaign}*" in text
        await confirm(h, view)
        job = await finished_job(h)
        assert job.state == "done" and job.campaign == campaign
        held = at_provider(sandbox, connection, campaign)
        assert all(held[p] == 1 for p in valid) and len(held) == len(valid)


async def test_import_form_takes_an_aicallcenter_id_that_is_not_a_number(
    sandbox: Any, tmp_path: Any
):
    async with running_bot(sandbox, tmp_path) as h:
        view = await open_import(h)
        ack = await submit(h, view, form("aicc", "c-aicc-1", paste="0912345678"))
        assert ack.json_body["response_action"] == "update", ack.json_body
        shown = ack.json_body["view"]  # a pasted list is previewed in the ack
        assert shown["callback_id"] == "import_confirm"
        assert "campaign *c-aicc-1*" in view_text(shown)


async def test_calls_campaign_reads_the_export_of_a_text_id_needing_encoding(harness: Harness):
    added = await harness.reply(
        "/contact", f'add 0912345678 campaign="{AICC_ENCODED}" via=aicc', user=ADMIN
    )
    assert added["text"].startswith("✅ Added 0912345678"), added["text"]
    reply = await harness.reply("/calls", f'today campaign="{AICC_ENCODED}" via=aicc')
    shown = text_of(reply["blocks"])
    today = datetime.now(TZ).date()
    expected = expect(between(harness.sandbox.aicallcenter.calls, today, today), AICC_ENCODED)
    assert expected.total == 1  # the call the import placed
    assert f"campaign {AICC_ENCODED}" in shown, shown
    for figure in figures(expected):
        assert figure in shown
    assert f"/api/campaigns/{AICC_ENCODED}/export" in _aicc_paths(harness.sandbox)


async def test_calls_campaign_on_alohub_still_wants_a_number(harness: Harness):
    reply = await harness.reply("/calls", "campaign=cmp-hn-01 via=alohub-main")
    assert "`cmp-hn-01` is not an Alohub campaign id" in reply["text"]


async def test_calls_with_an_empty_campaign_says_where_the_id_goes(harness: Harness):
    reply = await harness.reply("/calls", "yesterday campaign= via=aicc")
    assert "Write the campaign id right after `campaign=`" in reply["text"]


async def test_summary_on_with_a_text_campaign_id_keeps_it_whole(harness: Harness):
    ack = await harness.command(
        "/calls", f'summary on 8:30 campaign="{AICC_ENCODED}" via=aicc', user=ADMIN
    )
    assert ack.status == 200
    posted = await harness.fake.wait_for(
        "chat.postMessage",
        predicate=lambda c: c.args.get("channel") == OPS_CHANNEL and "subscribed" in c.args["text"],
    )
    assert f"campaign {AICC_ENCODED}" in posted.args["text"], posted.args["text"]
    reply = await harness.reply("/calls", "summary")
    assert f"campaign {AICC_ENCODED} from `aicc`" in text_of(reply["blocks"])
