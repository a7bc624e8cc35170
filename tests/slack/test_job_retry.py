"""``/job retry`` end to end: each attempt posts the rows *it* had rejected, not the CSV again."""

from __future__ import annotations

from typing import Any

from tests.jobs.data import contact_list
from tests.jobs.e2e import confirm, csv_rows, eventually, import_file, running_bot
from tests.slack.test_job_truth import otp_campaign


async def test_each_retry_posts_only_the_rows_that_attempt_had_rejected(
    sandbox: Any, tmp_path: Any
):
    sandbox.faults("aicallcenter").latency = 0.3
    campaign = otp_campaign(sandbox)  # rows without otp_code are refused there
    content, valid = contact_list(200, seed=51)  # no otp_code column: AICallCenter refuses all
    async with running_bot(sandbox, tmp_path, batch_sizes={"aicc": 20}) as h:
        await confirm(h, await import_file(h, "aicc", content, campaign=campaign))
        store = h.bot.services.store

        async def three_answered() -> bool:
            return (await store.job_counts(1)).get("rejected", 0) >= 60

        await eventually(three_answered, what="three batches answered")
        await h.reply("/job", "cancel J1")
        [first] = await eventually(lambda: h.fake.uploaded_files, within=20, what="first CSV")
        # The totals, which say the rejected rows are in the thread, come after the CSV.
        final = await h.fake.wait_for(
            "chat.update", predicate=lambda c: "*J1 cancelled*" in c.args["text"], timeout=20
        )
        [uploaded] = h.fake.calls_to("files.completeUploadExternal")
        assert uploaded.time <= final.time
        first_lines = {row[0] for row in csv_rows(first["content"])[1:]}
        assert first["filename"] == "J1-rejected.csv" and 60 <= len(first_lines) < 200

        retried = await h.reply("/job", "retry J1")
        assert "of J1 again" in retried["text"]
        uploads = await eventually(
            lambda: len(h.fake.uploaded_files) == 2 and h.fake.uploaded_files,
            within=20,
            what="the retry's CSV",
        )
        second = uploads[1]
        second_lines = {row[0] for row in csv_rows(second["content"])[1:]}
        assert second["filename"] == "J1-retry-rejected.csv"
        assert second["title"] == "Rows rejected by the retry of J1"
        assert first_lines.isdisjoint(second_lines)  # the first attempt's rows are not repeated
        assert len(first_lines | second_lines) == len(valid) == 200
        assert sandbox.aicallcenter.imports[campaign] == []  # the provider took none
