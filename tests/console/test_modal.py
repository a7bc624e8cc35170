"""Modals as prompts, updated views, buttons with confirmations, files: on a small demo router."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.args import Args
from bot.config import Config
from bot.console import CTRL_C
from bot.console.text import mrkdwn_to_plain
from bot.context import Ctx
from bot.errors import UserInputError
from bot.messages import Messages
from bot.render.blocks import (
    actions,
    button,
    confirm_dialog,
    modal,
    option,
    plain,
    section,
    select_input,
    text_input,
)
from bot.replies import Attachment, CloseModal, Message, OpenModal, Reply, UpdateModal
from bot.routing import Role, Router
from tests.console.conftest import Driver, start_console

router = Router()
SEEN: list[dict[str, Any]] = []
COPIES: dict[str, Path] = {}  # where the demo's background work copies the picked file


def file_input(block_id: str, label: str) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "optional": True,
        "element": {"type": "file_input", "action_id": "value"},
    }


@router.command("/demo", "form", role=Role.STRANGER, usage="usage.callops.help")
async def demo_form(ctx: Ctx, args: Args) -> Reply:
    """A form with every kind of question."""
    kinds = [option("Alpha", "a"), option("Beta", "b")]
    return OpenModal(
        modal(
            "demo_submit",
            "Demo form",
            [
                section("Fill in *everything*."),
                text_input("name", "Name", hint="Your name"),
                select_input("kind", "Kind", kinds, initial="a"),
                text_input("notes", "Notes", multiline=True, optional=True),
                file_input("file", "File"),
            ],
            submit="Preview",
            close="Cancel",
            private_metadata={"channel": ctx.channel_id, "token": "meta-1"},
        )
    )


@router.view("demo_submit", role=Role.STRANGER)
async def demo_submit(ctx: Ctx, payload: dict[str, Any]) -> Reply:
    """Refuse a bad name; else read the file in the background, then show a preview."""
    SEEN.append(payload)
    values = payload["values"]
    if values["name"] == "bad":
        raise UserInputError("usage.unexpected", field="name", word="bad")

    async def preview() -> None:
        size = 0
        for file in values["file"]:
            size = await ctx.services.chat.download(file["url_private_download"], COPIES["path"])
        view = modal(
            "demo_confirm",
            "Demo form",
            [
                section(f"Read {size} bytes."),
                actions(button("Start over", "demo_restart", "again")),
            ],
            submit="Import",
            close="Cancel",
            private_metadata={"channel": ctx.channel_id},
        )
        await ctx.services.chat.update_view(payload["view_id"], view)

    ctx.services.spawn(preview(), name="demo preview")
    return UpdateModal(modal("demo_wait", "Demo form", [section("Reading…")]))


@router.view("demo_confirm", role=Role.STRANGER)
async def demo_confirm(ctx: Ctx, payload: dict[str, Any]) -> Reply:
    """Close the modal and post the result with a file."""
    attachment = Attachment("rejected.csv", b"phone,reason\n123,too short\n")
    return CloseModal(
        then=Message("*Imported* for <@U0CONSOLE>", ephemeral=False, files=(attachment,))
    )


@router.action("demo_restart", role=Role.STRANGER)
async def demo_restart(ctx: Ctx, payload: dict[str, Any]) -> Reply:
    """A button inside the modal that replaces it."""
    return UpdateModal(
        modal("demo_submit", "Demo again", [text_input("name", "Name")], submit="Preview")
    )


@router.command("/demo", "buttons", role=Role.STRANGER, usage="usage.callops.help")
async def demo_buttons(ctx: Ctx, args: Args) -> Reply:
    """A message with a dangerous button carrying a JSON value."""
    danger = confirm_dialog("Really?", "This deletes *one* row.", "Delete", "Keep")
    return Message(
        "buttons",
        [
            actions(
                button("Delete", "demo_press", {"n": 5, "connection": None}, confirm=danger),
                button("Plain", "demo_press", "7"),
            )
        ],
    )


@router.action("demo_press", role=Role.STRANGER)
async def demo_press(ctx: Ctx, payload: dict[str, Any]) -> Reply:
    """Say what was pressed, and where."""
    return Message(f"pressed {payload.get('n', payload['value'])} at {ctx.request.message_ts}")


def contents(path: Path) -> bytes:
    return path.read_bytes()


@pytest.fixture
async def demo(console_config: Config, tmp_path: Path) -> AsyncIterator[Driver]:
    SEEN.clear()
    driver = await start_console(console_config, router=router, files_dir=tmp_path / "files")
    yield driver
    await driver.console.stop()


async def test_a_form_is_asked_then_submitted_as_a_view_submission(
    demo: Driver, tmp_path: Path
) -> None:
    upload = tmp_path / "list.csv"
    upload.write_text("phone\n0912345678\n", encoding="utf-8")
    out = await demo.run(
        "/demo form", "Lan", "2", "first line", "second line", "", str(upload), "cancel"
    )
    assert "Demo form\n─────────\nFill in everything." in out
    assert "  Your name\nName: Lan" in out
    assert "  1) Alpha\n  2) Beta\nKind [Alpha]: 2" in out
    [payload] = SEEN
    assert payload["values"]["name"] == "Lan"
    assert payload["values"]["kind"] == "b"
    assert payload["values"]["notes"] == "first line\nsecond line"
    [shared] = payload["values"]["file"]
    assert shared["name"] == "list.csv" and shared["size"] == upload.stat().st_size
    assert payload["token"] == "meta-1" and payload["channel"] == "C0CONSOLE"
    assert payload["view_id"].startswith("V0CONSOLE")


async def test_an_updated_view_from_background_work_is_shown_and_confirmed(
    demo: Driver, tmp_path: Path
) -> None:
    upload = tmp_path / "list.csv"
    upload.write_bytes(b"phone\n0912345678\n")
    dest = COPIES["path"] = tmp_path / "copy.csv"
    out = await demo.run("/demo form", "Lan", "", "", str(upload), "")
    assert "Reading…" not in out  # replaced before anyone had to read it
    assert f"Read {upload.stat().st_size} bytes." in out
    assert "[1] Start over" in out
    assert "Enter: Import · a button's number · cancel: Cancel" in out
    assert dest.read_bytes() == upload.read_bytes()
    assert "— posted in #C0CONSOLE —\nImported for @U0CONSOLE" in out
    saved = next(line for line in out.splitlines() if line.startswith("📎 rejected.csv"))
    assert "(27 B) saved to " in saved
    path = Path(saved.split(" saved to ")[1])
    assert path.parent == tmp_path / "files"
    assert contents(path) == b"phone,reason\n123,too short\n"


async def test_a_refused_answer_is_shown_next_to_its_question_and_asked_again(
    demo: Driver,
) -> None:
    out = await demo.run("/demo form", "bad", "", "", "", "good", "cancel")
    refusal = mrkdwn_to_plain(Messages("en")("usage.unexpected", word="bad"))
    assert f"⚠ Name: {refusal}" in out
    assert [p["values"]["name"] for p in SEEN] == ["bad", "good"]
    assert SEEN[1]["values"]["kind"] == "a"  # kept from the first round


async def test_a_required_question_is_asked_until_answered_and_options_by_name(
    demo: Driver,
) -> None:
    out = await demo.run("/demo form", "", "Lan", "gamma", "beta", "", "", "cancel")
    assert "This one is required." in out
    assert "Type a number from 1 to 2." in out
    assert SEEN[0]["values"]["kind"] == "b"


async def test_a_missing_file_is_asked_again(demo: Driver, tmp_path: Path) -> None:
    out = await demo.run("/demo form", "Lan", "", "", str(tmp_path / "nope.csv"), "", "cancel")
    assert f"There is no file at {tmp_path / 'nope.csv'}." in out
    assert SEEN[0]["values"]["file"] == []


async def test_a_button_in_a_modal_replaces_it(demo: Driver) -> None:
    out = await demo.run("/demo form", "Lan", "", "", "", "1", "Mai", "cancel")
    assert "Demo again" in out
    assert "Name: Mai" in out


async def test_a_dangerous_button_asks_first_and_sends_its_decoded_value(demo: Driver) -> None:
    out = await demo.run("/demo buttons", "1", "n")
    assert "[1] Delete  [2] Plain" in out
    assert "Really?\nThis deletes one row.\nDelete [y/N] n" in out
    assert "Not pressed." in out and "pressed" not in out.replace("Not pressed", "")

    out = await demo.run("/demo buttons", "1", "y", "/demo buttons", "2")
    assert "pressed 5 at None" in out
    assert "pressed 7" in out


async def test_a_button_from_an_older_answer_is_gone(demo: Driver) -> None:
    out = await demo.run("/demo buttons", "/callops", "2")
    assert "There is no button [2] on screen" in out


async def test_ctrl_c_at_a_confirmation_or_in_a_form_sends_nothing(
    demo: Driver, tmp_path: Path
) -> None:
    out = await demo.run("/demo buttons", "1", CTRL_C)
    assert "Delete [y/N] ^C\nNot pressed." in out
    out = await demo.run("/demo form", "Lan", "", "first line", CTRL_C)  # inside a multi-line
    assert "… ^C\nForm closed, nothing sent." in out
    out = await demo.run("/demo form", "Lan", "", "", CTRL_C)  # at the file question
    assert "Form closed, nothing sent." in out
    assert not SEEN

    upload = tmp_path / "list.csv"
    upload.write_bytes(b"phone\n0912345678\n")
    COPIES["path"] = tmp_path / "copy.csv"
    out = await demo.run("/demo form", "Lan", "", "", str(upload), CTRL_C)  # at the preview
    assert "Enter: Import · a button's number · cancel: Cancel ^C" in out
    assert "Form closed, nothing sent." in out and "Imported for" not in out
