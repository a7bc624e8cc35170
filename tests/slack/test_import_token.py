"""An uploaded file's URL decides who sees the bot token: only Slack's file host over https, or
exactly SLACK_API_URL's origin (the fake Slack here). Anything else is refused before a byte is
sent, the modal says why in words, and nothing is staged or imported."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from tests.harness.fake_slack import FakeSlack
from tests.jobs.data import contact_list
from tests.jobs.e2e import form, open_import, preview, running_bot, submit, view_text
from tests.slack.test_import_refusals import staged_count

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@pytest.fixture
def lookups(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every host name the process tried to resolve beyond loopback (which is refused)."""
    tried: list[str] = []
    real = socket.getaddrinfo

    def guarded(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name not in LOOPBACK:
            tried.append(name)
            raise socket.gaierror(socket.EAI_NONAME, "tests reach nothing but loopback")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", guarded)
    yield tried


def file_at(fake: FakeSlack, url: str) -> dict[str, Any]:
    """A Slack file object whose download URL is ``url``."""
    content, _ = contact_list(5)
    file = fake.add_file(f"F{len(fake.files) + 1:04d}", content, "list.csv")
    return {**file, "url_private": url, "url_private_download": url}


async def modal_after_submitting(h: Any, file: dict[str, Any]) -> dict[str, Any]:
    """/import, attach ``file``, submit; the view the modal ends on."""
    view = await open_import(h)
    ack = await submit(h, view, form("vbee", "vbee-cmp-1", file=file))
    assert ack.json_body["response_action"] == "update", ack.text
    return await preview(h, view["id"])


async def assert_nothing_imported(h: Any) -> None:
    """Nothing staged, no job, nothing sent to the provider."""
    assert await staged_count(h) == 0
    assert await h.bot.services.store.job(1) is None
    assert h.fake.calls_to("chat.postMessage") == []


REFUSED = "is not Slack's secure file address, so I did not send the bot's Slack key there"


@pytest.mark.parametrize(
    ("url", "where"),
    [
        ("http://files.slack.com/files-pri/T0CALLOPS-F0001/download/list.csv", "http://files.slack.com"),
        ("https://files.slack.com@evil.example/files-pri/T-F1/list.csv", "https://evil.example"),
        ("https://files.slack.com.evil.example/files-pri/T-F1/list.csv", "https://files.slack.com.evil.example"),
        ("https://files.xn--slck-63d.com/files-pri/T-F1/list.csv", "https://files.xn--slck-63d.com"),
        ("https://files.slаck.com/files-pri/T-F1/list.csv", "https://files.xn--slck-63d.com"),
    ],
)  # fmt: skip
async def test_a_file_url_off_slack_is_refused_in_words_and_the_host_never_looked_up(
    sandbox: Any, tmp_path: Any, lookups: list[str], url: str, where: str
):
    async with running_bot(sandbox, tmp_path) as h:
        refused = await modal_after_submitting(h, file_at(h.fake, url))
        assert refused["callback_id"] == "import_refused"
        text = view_text(refused)
        assert f"This file's address (`{where}`) {REFUSED}" in text
        assert "Attach the file from your computer in this window" in text
        assert lookups == [] and h.fake.downloads == []
        await assert_nothing_imported(h)


async def test_the_fake_slack_host_on_another_port_never_sees_the_token(
    sandbox: Any, tmp_path: Any
):
    async with FakeSlack() as elsewhere, running_bot(sandbox, tmp_path) as h:
        assert elsewhere.url.split(":")[:2] == h.fake.url.split(":")[:2]  # same scheme and host
        file = elsewhere.add_file("F0ELSE", contact_list(5)[0], "list.csv")
        refused = await modal_after_submitting(h, file)
        assert f"This file's address (`{elsewhere.url}`) {REFUSED}" in view_text(refused)
        assert elsewhere.downloads == [] and h.fake.downloads == []
        await assert_nothing_imported(h)


async def test_userinfo_in_front_of_the_slack_origin_is_refused(sandbox: Any, tmp_path: Any):
    async with running_bot(sandbox, tmp_path) as h:
        file = h.fake.add_file("F0REAL", contact_list(5)[0], "list.csv")
        tricked = file["url_private_download"].replace("http://", "http://files.slack.com@")
        refused = await modal_after_submitting(h, {**file, "url_private_download": tricked})
        assert f"(`{h.fake.url}`) {REFUSED}" in view_text(refused)
        assert h.fake.downloads == []
        await assert_nothing_imported(h)


async def test_a_redirect_from_slack_is_not_followed_and_the_target_never_sees_the_token(
    sandbox: Any, tmp_path: Any
):
    async with FakeSlack() as elsewhere, running_bot(sandbox, tmp_path) as h:
        content, _ = contact_list(5)
        target = elsewhere.add_file("F0MOVED", content, "list.csv")["url_private_download"]
        file = h.fake.add_file("F0SLACK", content, "list.csv")
        h.fake.redirect_file("F0SLACK", target)
        refused = await modal_after_submitting(h, file)
        text = view_text(refused)
        assert f"Slack sent me on to another address (`{elsewhere.url}`)" in text
        assert "`files:read`" in text
        [asked] = h.fake.downloads
        assert asked.headers["Authorization"] == f"Bearer {h.fake.bot_token}"
        assert elsewhere.downloads == []
        await assert_nothing_imported(h)


async def test_a_refused_download_is_explained_in_vietnamese(
    sandbox: Any, tmp_path: Any, lookups: list[str]
):
    async with FakeSlack() as elsewhere, running_bot(sandbox, tmp_path, language="vi") as h:
        url = "http://files.slack.com/files-pri/T0CALLOPS-F0001/download/list.csv"
        refused = await modal_after_submitting(h, file_at(h.fake, url))
        text = view_text(refused)
        assert (
            "Địa chỉ của tệp này (`http://files.slack.com`) không phải địa chỉ tệp an toàn" in text
        )
        assert "đính kèm tệp từ máy tính" in text

        file = h.fake.add_file("F0SLACK", b"phone\n0912345678\n", "list.csv")
        h.fake.redirect_file("F0SLACK", f"{elsewhere.url}/files-pri/T-F9/list.csv")
        text = view_text(await modal_after_submitting(h, file))
        assert f"Slack chuyển sang một địa chỉ khác (`{elsewhere.url}`)" in text
        assert lookups == [] and elsewhere.downloads == []
        await assert_nothing_imported(h)


async def test_an_upper_case_slack_host_with_a_trailing_dot_is_fetched_normalized(
    sandbox: Any, tmp_path: Any, lookups: list[str]
):
    async with (
        FakeSlack(public_host="localhost") as fake,
        running_bot(sandbox, tmp_path, fake=fake) as h,
    ):
        file = fake.add_file("F0UPPER", contact_list(5)[0], "list.csv")
        url = file["url_private_download"].replace("//localhost:", "//LOCALHOST.:")
        shown = await modal_after_submitting(h, {**file, "url_private_download": url})
        assert shown["callback_id"] == "import_confirm", view_text(shown)
        [download] = fake.downloads
        assert download.headers["Authorization"] == f"Bearer {fake.bot_token}"
        assert download.headers["Host"].startswith("localhost:")
        assert await staged_count(h) == 1 and lookups == []


async def test_a_file_slack_will_not_hand_over_is_explained_with_the_next_step(
    sandbox: Any, tmp_path: Any
):
    async with running_bot(sandbox, tmp_path) as h:
        h.fake.scopes = frozenset(h.fake.scopes or ()) - {"files:read"}
        file = h.fake.add_file("F0NOSCOPE", contact_list(5)[0], "list.csv")
        text = view_text(await modal_after_submitting(h, file))
        assert "Slack refused to hand over this file (HTTP 403)" in text
        assert "ask your Slack admin to check that the app has the `files:read` permission" in text
        await assert_nothing_imported(h)
