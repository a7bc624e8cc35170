"""The import modal refuses what it cannot import, with a sentence, and stages nothing; the bot
token never leaves for a host other than Slack's (or ``SLACK_API_URL``'s)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update

from bot.store import Store
from bot.store.models import StagedUpload
from tests.harness.fake_slack import FakeSlack
from tests.jobs.data import contact_list, csv_bytes, phones
from tests.jobs.e2e import (
    confirm,
    eventually,
    form,
    import_file,
    job_in,
    open_import,
    preview,
    running_bot,
    submit,
    view_text,
)
from tests.slack.conftest import ADMIN, AICC_CHANNEL

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


def expire_every_preview(store: Store, past: datetime) -> None:
    """Make every staged preview expired (on a store thread)."""
    with store.session() as session:
        session.execute(update(StagedUpload).values(expires_at=past))


async def staged_count(h: Any) -> int:
    """How many previews are staged."""
    far = h.bot.services.now() + timedelta(days=365)
    return len(await h.bot.services.jobs.store.expired_staged(far))


async def test_import_never_sends_the_bot_token_to_a_host_other_than_slack(
    sandbox: Any, tmp_path: Any
):
    async with FakeSlack(public_host="localhost") as elsewhere, running_bot(sandbox, tmp_path) as h:
        content, _ = contact_list(5)
        file = elsewhere.add_file("F0ELSE", content, "list.csv")
        assert "//localhost:" in file["url_private_download"]
        view = await open_import(h)
        ack = await submit(h, view, form("vbee", "vbee-cmp-1", file=file))
        assert ack.json_body["response_action"] == "update"
        refused = await preview(h, view["id"])
        assert refused["callback_id"] == "import_refused"
        assert "is not Slack's secure file address" in view_text(refused)
        assert elsewhere.downloads == [] and elsewhere.calls == []
        assert h.fake.downloads == []
        assert await staged_count(h) == 0


async def test_import_downloads_slack_files_with_the_bot_token(sandbox: Any, tmp_path: Any):
    async with running_bot(sandbox, tmp_path) as h:
        content, _ = contact_list(5)
        view = await import_file(h, "vbee", content)
        assert view["callback_id"] == "import_confirm"
        [download] = h.fake.downloads
        assert download.headers["Authorization"] == f"Bearer {h.fake.bot_token}"
        assert await staged_count(h) == 1


async def test_import_refuses_a_png_renamed_csv_with_a_sentence_and_stages_nothing(
    sandbox: Any, tmp_path: Any
):
    async with running_bot(sandbox, tmp_path) as h:
        view = await import_file(h, "vbee", PNG, "list.csv")
        text = view_text(view)
        assert view["callback_id"] == "import_refused" and not view.get("submit")
        assert "not a contact list (it looks like png)" in text and ".csv or .xlsx" in text
        assert await staged_count(h) == 0 and h.fake.calls_to("chat.postMessage") == []


async def test_import_refuses_a_list_over_the_row_limit_in_words(sandbox: Any, tmp_path: Any):
    async with running_bot(sandbox, tmp_path, imports={"max_rows": 50}) as h:
        content, _ = contact_list(51)
        view = await import_file(h, "aicc", content)
        assert "more than 50 rows" in view_text(view) and "Split it" in view_text(view)
        assert await staged_count(h) == 0


async def test_import_refuses_a_file_over_the_size_limit_before_downloading_it(
    sandbox: Any, tmp_path: Any
):
    async with running_bot(sandbox, tmp_path, imports={"max_bytes": 1024}) as h:
        content, _ = contact_list(200)
        view = await import_file(h, "aicc", content)
        assert "more than the 1 KB an import may be" in view_text(view)
        assert h.fake.downloads == [] and await staged_count(h) == 0


async def test_import_refusal_is_in_vietnamese_when_configured(sandbox: Any, tmp_path: Any):
    async with running_bot(sandbox, tmp_path, language="vi") as h:
        view = await import_file(h, "vbee", PNG, "list.csv")
        assert "không phải danh sách liên hệ" in view_text(view)


async def test_import_form_errors_come_back_on_the_right_field(sandbox: Any, tmp_path: Any):
    async with running_bot(sandbox, tmp_path) as h:
        view = await open_import(h)
        cases = [
            (form("vbee", None, paste="0912345678"), "campaign", "Enter the campaign id"),
            (
                form("alohub-main", "12a", paste="0912345678"),
                "campaign",
                "Alohub campaign ids are numbers",
            ),
            (form("vbee", "vbee-cmp-1"), "file", "Attach a file or paste a list"),
            (
                form(
                    "vbee",
                    "vbee-cmp-1",
                    paste="0912345678",
                    file=h.fake.add_file("F1", b"phone\n0912345678\n", "a.csv"),
                ),
                "paste",
                "not both",
            ),
        ]
        for state, field, words in cases:
            ack = await submit(h, view, state)
            body = ack.json_body
            assert body["response_action"] == "errors", body
            assert list(body["errors"]) == [field] and words in body["errors"][field], body
        assert h.fake.calls_to("views.update") == [] and await staged_count(h) == 0


async def test_import_refuses_a_connection_the_channel_may_not_use(sandbox: Any, tmp_path: Any):
    async with running_bot(sandbox, tmp_path) as h:
        view = await open_import(h, channel=AICC_CHANNEL)
        options = [o["value"] for o in view["blocks"][0]["element"]["options"]]
        assert options == ["aicc"]
        ack = await submit(h, view, form("vbee", "vbee-cmp-1", paste="0912345678"))
        assert ack.json_body["response_action"] == "errors"
        assert "may not use `vbee`" in ack.json_body["errors"]["connection"]


async def test_import_modal_defaults_to_the_channel_connection_and_the_given_campaign(
    sandbox: Any, tmp_path: Any
):
    async with running_bot(sandbox, tmp_path) as h:
        view = await open_import(h, "campaign=101 via=aicc")
        blocks = {b.get("block_id"): b for b in view["blocks"]}
        assert list(blocks) == ["connection", "campaign", "list_name", "file", "paste"]
        assert blocks["connection"]["element"]["initial_option"]["value"] == "aicc"
        assert blocks["campaign"]["element"]["initial_value"] == "101"
        assert blocks["file"]["element"]["type"] == "file_input"
        assert blocks["file"]["element"]["filetypes"] == ["csv", "xlsx", "xls", "ods", "txt"]
        assert blocks["file"]["element"]["max_files"] == 1
        assert blocks["paste"]["element"]["multiline"] is True


async def test_an_expired_preview_cannot_be_confirmed(sandbox: Any, tmp_path: Any):
    async with running_bot(sandbox, tmp_path) as h:
        content, _ = contact_list(5)
        view = await import_file(h, "vbee", content)
        past = h.bot.services.now() - timedelta(minutes=1)
        await h.bot.services.store.write(expire_every_preview, h.bot.services.store, past)
        ack = await confirm(h, view)
        assert ack.json_body["response_action"] == "update"
        assert "expired" in view_text(ack.json_body["view"])
        assert await h.bot.services.store.job(1) is None
        await h.bot.services.jobs.cleanup()
        assert await staged_count(h) == 0


async def test_only_the_operator_who_read_the_file_can_confirm_it(sandbox: Any, tmp_path: Any):
    async with running_bot(sandbox, tmp_path) as h:
        content, _ = contact_list(5)
        view = await import_file(h, "vbee", content)
        ack = await confirm(h, view, user=ADMIN)
        assert "expired" in view_text(ack.json_body["view"]) and await staged_count(h) == 1


async def test_a_pasted_list_is_imported_like_a_file(sandbox: Any, tmp_path: Any):
    async with running_bot(sandbox, tmp_path) as h:
        valid = phones(3, seed=5)
        view = await open_import(h)
        paste = "\n".join(f"{p}, Khách {i}" for i, p in enumerate(valid))
        ack = await submit(h, view, form("aicc", "cmp-hn-01", paste=paste))
        assert ack.json_body["response_action"] == "update"  # small: previewed in the ack
        shown = {**ack.json_body["view"], "id": view["id"]}
        assert shown["callback_id"] == "import_confirm"
        assert "the pasted list" in view_text(shown) and "3 valid" in view_text(shown)
        await confirm(h, shown)
        job = await eventually(
            lambda: job_in(h.bot.services.store, 1, "done"),
            what="the job done",
        )
        assert await h.bot.services.store.job_counts(job.id) == {"accepted": 3}
        imported = [c["phone_number"] for c in sandbox.aicallcenter.imports["cmp-hn-01"]]
        assert imported == valid


async def test_aicc_rows_refused_by_the_provider_are_in_the_csv_with_the_reason(
    sandbox: Any, tmp_path: Any
):
    valid = phones(6, seed=8)
    rows = [
        (valid[0], "An", "123456"),
        (valid[1], "Bình", "12"),
        (valid[2], "Chi", ""),
        (valid[3], "Dũng", "654321"),
    ]
    content = csv_bytes(rows, ("phone", "name", "otp_code"))
    async with running_bot(sandbox, tmp_path) as h:
        view = await import_file(h, "aicc", content, campaign="cmp-otp-02")
        assert "`otp_code`" in view_text(view)
        await confirm(h, view)
        [upload] = await eventually(lambda: h.fake.uploaded_files, what="the CSV")
        text = upload["content"].decode("utf-8-sig")
        assert f'3,{valid[1]},Bình,"otp_code must be 6 digits, from 000001 to 999999"' in text
        assert f"4,{valid[2]},Chi,the provider refused this row without saying why" in text
        assert await h.bot.services.store.job_counts(1) == {"accepted": 2, "rejected": 2}
        otp = {
            c["phone_number"]: c["contact"]["otp_code"]
            for c in sandbox.aicallcenter.imports["cmp-otp-02"]
        }
        assert otp == {valid[0]: "123456", valid[3]: "654321"}


async def test_a_pasted_list_without_phones_is_refused_on_the_paste_field(
    sandbox: Any, tmp_path: Any
):
    async with running_bot(sandbox, tmp_path) as h:
        view = await open_import(h)
        ack = await submit(h, view, form("aicc", "cmp-hn-01", paste="tên, địa chỉ\nAn, Huế"))
        assert ack.json_body["response_action"] == "errors"
        assert "I found no phone column" in ack.json_body["errors"]["paste"]
        assert await staged_count(h) == 0
