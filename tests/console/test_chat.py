"""Background work through the console's Chat port: printed, files saved, downloads fenced."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.chat import DownloadRefused, FileTooLarge
from bot.console.chat import ConsoleChat, human_size
from bot.console.screen import Screen
from bot.messages import Messages
from bot.render.blocks import actions, button, section


@pytest.fixture
def out() -> io.StringIO:
    return io.StringIO()


@pytest.fixture
def chat(out: io.StringIO, tmp_path: Path) -> ConsoleChat:
    return ConsoleChat(Screen(out), Messages("en"), files_dir=tmp_path / "files", max_download=64)


async def test_posts_say_where_and_their_buttons_are_pressable(
    chat: ConsoleChat, out: io.StringIO
) -> None:
    blocks = [section("*Import J1* running"), actions(button("Refresh", "job_refresh", "J1"))]
    first = await chat.post("C0OPS", "Import J1", blocks)
    second = await chat.post("C0OPS", "reply", thread_ts=first)
    assert first != second
    assert out.getvalue() == (
        "— posted in #C0OPS —\nImport J1 running\n[1] Refresh\n\n"
        "— posted in a thread in #C0OPS —\nreply\n\n"
    )
    pressable = chat.screen.pressable(1)
    assert pressable is not None
    assert (pressable.channel, pressable.message_ts, pressable.button.action_id) == (
        "C0OPS",
        first,
        "job_refresh",
    )


async def test_updates_and_ephemerals_are_printed_with_a_note(
    chat: ConsoleChat, out: io.StringIO
) -> None:
    await chat.update("C0OPS", "1.2", "now *done*")
    await chat.ephemeral("C0OPS", "U1", "just for <@U1>")
    assert "— message updated in #C0OPS —\nnow done" in out.getvalue()
    assert "— only you can see this —\njust for @U1" in out.getvalue()
    assert await chat.user_email("U1") is None


async def test_an_upload_is_saved_and_its_name_size_and_path_printed(
    chat: ConsoleChat, out: io.StringIO, tmp_path: Path
) -> None:
    await chat.upload("C0OPS", "J1-rejected.csv", b"a" * 2048, comment="Rows refused")
    await chat.upload("C0OPS", "J1-rejected.csv", b"b")
    first, second = tmp_path / "files" / "J1-rejected.csv", tmp_path / "files" / "J1-rejected-2.csv"
    assert first.read_bytes() == b"a" * 2048 and second.read_bytes() == b"b"
    text = out.getvalue()
    assert "Rows refused" in text
    assert f"📎 J1-rejected.csv (2.0 KB) saved to {first}" in text
    assert f"📎 J1-rejected.csv (1 B) saved to {second}" in text


async def test_an_upload_name_cannot_escape_the_files_folder(
    chat: ConsoleChat, tmp_path: Path
) -> None:
    await chat.upload("C0OPS", "../../evil.txt", b"x")
    assert (tmp_path / "files" / "evil.txt").exists()
    assert not (tmp_path / "evil.txt").exists()


async def test_only_files_the_user_picked_can_be_downloaded(
    chat: ConsoleChat, tmp_path: Path
) -> None:
    picked, other = tmp_path / "picked.csv", tmp_path / "other.csv"
    picked.write_bytes(b"phone\n0912345678\n")
    other.write_bytes(b"secret")
    shared = chat.share(picked)
    assert shared["name"] == "picked.csv" and shared["filetype"] == "csv"
    size = await chat.download(shared["url_private_download"], tmp_path / "copy")
    assert size == picked.stat().st_size
    assert (tmp_path / "copy").read_bytes() == picked.read_bytes()
    for url in (other.as_uri(), "https://files.slack.com/x", str(picked)):
        with pytest.raises(DownloadRefused):
            await chat.download(url, tmp_path / "nope")
    assert not (tmp_path / "nope").exists()


async def test_a_picked_file_over_the_limit_is_refused(chat: ConsoleChat, tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    big.write_bytes(b"0" * 65)
    with pytest.raises(FileTooLarge):
        await chat.download(chat.share(big)["url_private"], tmp_path / "copy")


async def test_a_replaced_modal_waits_for_the_session(chat: ConsoleChat) -> None:
    await chat.update_view("V1", {"type": "modal"})
    assert chat.view_arrived.is_set() and chat.has_view("V1")
    assert chat.take_view("V1") == {"type": "modal"}
    assert chat.take_view("V1") is None


@pytest.mark.parametrize(
    ("size", "shown"), [(0, "0 B"), (1023, "1023 B"), (1536, "1.5 KB"), (3 << 20, "3.0 MB")]
)
def test_sizes_read_like_a_file_manager(size: int, shown: str) -> None:
    assert human_size(size) == shown
