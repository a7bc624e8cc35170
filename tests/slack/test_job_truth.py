"""A job tells the truth, end to end over signed HTTP: a job the provider refused entirely is a
failure that says why, a partly refused one says so in its headline, the preview refuses what
the file itself shows wrong (and those rows never reach the provider), and ``/job`` shows who
started a job, when it started and ended, its file and its list."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.jobs.data import csv_bytes, phones
from tests.jobs.e2e import (
    confirm,
    csv_rows,
    eventually,
    finished_job,
    import_file,
    job_in,
    running_bot,
    view_text,
)
from tests.slack.conftest import OPERATOR

TIMEZONE = "Asia/Ho_Chi_Minh"
OTP_REASON = {
    "en": "otp_code must be 6 digits, from 000001 to 999999",
    "vi": "otp_code phải gồm 6 chữ số, từ 000001 đến 999999",
}
NO_OTP_REASON = {
    "en": "the provider refused this row without saying why (on an OTP campaign: the otp_code "
    "is missing)",
    "vi": "nhà cung cấp từ chối dòng này mà không nêu lý do (với chiến dịch OTP: thiếu otp_code)",
}


def otp_campaign(sandbox: Any) -> str:
    """The sandbox's voice-OTP campaign (read from the sandbox, not hard-coded)."""
    return str(next(c.campaign_id for c in sandbox.aicallcenter.campaigns.values() if c.otp))


def sent_phones(sandbox: Any) -> list[str]:
    """Every phone the AICallCenter simulator received in an import request."""
    return [
        contact["phone_number"]
        for request in sandbox.requests("aicallcenter")
        if request.path.endswith("/import") and isinstance(request.json, dict)
        for contact in request.json.get("contacts") or []
    ]


def final_text(h: Any, job: Any) -> str:
    """The job message's last text (the headline)."""
    updates = [c for c in h.fake.calls_to("chat.update") if c.args["ts"] == job.message_ts]
    return str(updates[-1].args["text"])


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_an_import_the_provider_refused_entirely_ends_failed_with_its_main_reason(
    sandbox: Any, tmp_path: Any, language: str
):
    valid = phones(4, seed=21)
    # Empty otp_code cells: the file cannot show the campaign is voice OTP, so they are sent
    # and the provider skips every one.
    content = csv_bytes([(p, "Khách", "") for p in valid], ("phone", "name", "otp_code"))
    async with running_bot(sandbox, tmp_path, language=language) as h:
        view = await import_file(h, "aicc", content, campaign=otp_campaign(sandbox))
        assert view["callback_id"] == "import_confirm"
        await confirm(h, view)
        job = await finished_job(h)

        assert job.state == "failed"
        assert sorted(sent_phones(sandbox)) == sorted(valid)  # sent, and all refused
        headline = final_text(h, job)
        if language == "en":
            assert headline.startswith(
                "*J1: ❌ failed* — not one row was added to `aicc`: ❌ 4 of 4 rows rejected. "
                f"Main reasons: {NO_OTP_REASON['en']} × 4. Correct the file and import it again"
            ), headline
        else:
            assert headline.startswith(
                "*J1: ❌ thất bại* — không dòng nào được thêm vào `aicc`: ❌ 4/4 dòng bị từ "
                f"chối. Lý do chính: {NO_OTP_REASON['vi']} × 4. Hãy sửa tệp rồi nhập lại"
            ), headline
        assert "✅ done" not in headline and "xong" not in headline

        card = view_text(await h.reply("/job", "J1"))
        assert ("❌ failed" if language == "en" else "❌ thất bại") in card
        assert "/job retry" not in card  # every row was answered: a retry has nothing to send
        [upload] = await eventually(lambda: h.fake.uploaded_files, what="the CSV")
        assert len(csv_rows(upload["content"])) == 1 + 4


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_partly_rejected_import_says_so_in_its_headline_and_in_the_list(
    sandbox: Any, tmp_path: Any, language: str
):
    valid = phones(3, seed=22)
    rows = [(valid[0], "An", "123456"), (valid[1], "Bình", ""), (valid[2], "Chi", "654321")]
    content = csv_bytes(rows, ("phone", "name", "otp_code"))
    async with running_bot(sandbox, tmp_path, language=language) as h:
        await confirm(h, await import_file(h, "aicc", content, campaign=otp_campaign(sandbox)))
        job = await finished_job(h)

        assert job.state == "done"
        headline = final_text(h, job)
        if language == "en":
            assert headline.startswith(
                "*J1: ⚠️ done with rejections*: ✅ 2 added, ❌ 1 rejected — see the CSV"
            ), headline
        else:
            assert headline.startswith(
                "*J1: ⚠️ xong nhưng có dòng bị từ chối*: ✅ 2 đã thêm, ❌ 1 bị từ chối — xem"
            ), headline
        listing = view_text(await h.reply("/job"))
        assert ("⚠️ done with rejections" if language == "en" else "⚠️ xong, có dòng") in listing
        card = view_text(await h.reply("/job", "J1"))
        assert f"{NO_OTP_REASON[language]} × 1" in card


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_the_preview_refuses_otp_codes_that_are_not_six_digits_and_never_sends_them(
    sandbox: Any, tmp_path: Any, language: str
):
    valid = phones(5, seed=23)
    rows = [
        (valid[0], "An", "123456"),
        (valid[1], "Bình", "12"),
        (valid[2], "Chi", "000000"),
        (valid[3], "Dũng", "12345a"),
        (valid[4], "Em", "000001"),
    ]
    content = csv_bytes(rows, ("phone", "name", "otp_code"))
    async with running_bot(sandbox, tmp_path, language=language) as h:
        view = await import_file(h, "aicc", content, campaign=otp_campaign(sandbox))
        text = view_text(view)
        if language == "en":
            assert "5 rows read · ✅ 2 valid · ❌ 3 invalid" in text, text
        else:
            assert "Đã đọc 5 dòng · ✅ 2 hợp lệ · ❌ 3 không hợp lệ" in text, text
        line = "Line" if language == "en" else "Dòng"
        assert f"{line} 3: {valid[1]}, `12` — {OTP_REASON[language]}" in text
        assert f"{line} 4: {valid[2]}, `000000` — {OTP_REASON[language]}" in text

        await confirm(h, view)
        job = await finished_job(h)
        assert sorted(sent_phones(sandbox)) == sorted([valid[0], valid[4]])  # never the others
        assert await h.bot.services.store.job_counts(job.id) == {"accepted": 2, "rejected": 3}
        [upload] = await eventually(lambda: h.fake.uploaded_files, what="the CSV")
        reasons = {row[1]: row[3] for row in csv_rows(upload["content"])[1:]}
        assert reasons == {p: OTP_REASON[language] for p in valid[1:4]}


async def test_a_file_whose_every_otp_code_is_wrong_is_refused_in_the_preview(
    sandbox: Any, tmp_path: Any
):
    valid = phones(4, seed=24)
    content = csv_bytes([(p, "Khách", "12345") for p in valid], ("phone", "name", "otp_code"))
    async with running_bot(sandbox, tmp_path) as h:
        view = await import_file(h, "aicc", content, campaign=otp_campaign(sandbox))
        text = view_text(view)
        assert "✅ 0 valid · ❌ 4 invalid" in text
        assert "No row of this list can be imported. Correct the rows listed above" in text
        assert not view.get("submit")  # nothing to confirm
        assert sent_phones(sandbox) == []
        assert await h.bot.services.store.job(1) is None


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_job_list_and_card_show_who_started_it_when_and_which_file_and_list(
    sandbox: Any, tmp_path: Any, language: str
):
    content = csv_bytes([(p, "Khách") for p in phones(5, seed=25)])
    async with running_bot(sandbox, tmp_path, language=language, timezone=TIMEZONE) as h:
        view = await import_file(h, "alohub-main", content, "khach thang 12.csv", list_name="T12")
        await confirm(h, view)
        job = await finished_job(h)

        start = job.created_at.astimezone(ZoneInfo(TIMEZONE))
        end = job.finished_at.astimezone(ZoneInfo(TIMEZONE))
        if language == "en":
            started = f"{start:%d} {start:%b} {start:%Y}, {start:%H:%M}"
            ended = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%d %b %Y, %H:%M}"
            source = "file *khach thang 12.csv* → Alohub list “T12”"
            who = f"started {started} by <@{OPERATOR}>, ended {ended}"
            card_who = f"Started {started} by <@{OPERATOR}> · ended {ended}"
        else:
            started = f"{start:%H:%M %d/%m/%Y}"
            ended = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%H:%M %d/%m/%Y}"
            source = "tệp *khach thang 12.csv* → danh sách Alohub “T12”"
            who = f"<@{OPERATOR}> bắt đầu lúc {started}, kết thúc lúc {ended}"
            card_who = f"<@{OPERATOR}> bắt đầu lúc {started} · kết thúc lúc {ended}"
        utc = job.created_at.astimezone(ZoneInfo("UTC"))
        assert f"{utc:%H:%M}" != f"{start:%H:%M}"  # the configured timezone, not UTC

        listing = view_text(await h.reply("/job"))
        assert who in listing and source in listing, listing
        card = view_text(await h.reply("/job", "J1"))
        assert card_who in card and source in card, card


async def test_a_running_job_card_says_it_has_not_ended(sandbox: Any, tmp_path: Any):
    sandbox.faults("vbee").latency = 0.5
    content = csv_bytes([(p, "Khách") for p in phones(200, seed=26)])
    async with running_bot(sandbox, tmp_path, batch_sizes={"vbee": 20}) as h:
        await confirm(h, await import_file(h, "vbee", content, "list.csv"))
        store = h.bot.services.store
        await eventually(lambda: job_in(store, 1, "running"), what="running")
        card = view_text(await h.reply("/job", "J1"))
        assert "· not ended yet · file *list.csv*" in card
        assert f"{datetime.now().year}" in card
