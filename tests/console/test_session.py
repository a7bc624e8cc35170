"""The console on the sandbox: the app's real commands, buttons and modals, typed as lines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.config import Config, parse_config
from bot.console import CTRL_C
from bot.console.app import CONSOLE_CHANNEL, CONSOLE_USER, sandbox_config, seat
from tests.console.conftest import Driver, start_console

FIRST = 1001201  # the sandbox seeds our tenant's queues from this id


def queue(sandbox: Any, callin_id: int) -> Any:
    return sandbox.alohub.queues[callin_id]


async def test_queue_list_prints_the_queues_and_next_pages_by_number(
    console: Driver, sandbox: Any
) -> None:
    out = await console.run("/queue list")
    assert f"{queue(sandbox, FIRST).callinName} · #{FIRST} ·" in out
    assert "Page 1 of 3 · 25 in all" in out
    assert "[1] Next ▶" in out

    out = await console.run("1")
    assert "Page 2 of 3" in out and str(FIRST + 10) in out and f"#{FIRST} " not in out
    assert "[1] ◀ Previous  [2] Next ▶" in out


async def test_queue_show_explains_the_queue_in_words(console: Driver, sandbox: Any) -> None:
    out = await console.run(f"/queue show {FIRST}")
    assert f"Queue {queue(sandbox, FIRST).callinName}" in out
    assert "  Queue type: " in out and "  Maximum wait: " in out
    assert "*" not in out and "`" not in out


async def test_the_slash_may_be_left_out(console: Driver) -> None:
    assert "25 in all" in await console.run("queue list")


async def test_words_that_are_not_commands_get_a_hint_not_a_dispatch(console: Driver) -> None:
    out = await console.run("hello there", "7")
    assert "“hello there” is not a command" in out
    assert "There is no button [7] on screen" in out
    assert not await console.console.services.store.audit_entries()


async def test_help_explains_the_console_and_quit_stops_reading(console: Driver) -> None:
    out = await console.run("help", "quit", "/queue list")
    assert "type the number to press one" in out
    assert "Inbound queues" not in out


async def test_a_provider_error_is_a_sentence(console: Driver) -> None:
    out = await console.run("/queue show 1009001")  # another tenant's queue
    assert "alohub-main could not find that" in out


async def test_edit_queue_modal_is_asked_question_by_question_and_saved(
    console: Driver, sandbox: Any
) -> None:
    out = await console.run(f"/queue edit {FIRST}", "2", "75", "", "1")
    assert "Edit queue" in out
    assert "  1) normal\n  2) VIP" in out
    assert "Maximum wait (seconds) (optional) [" in out
    # the result is posted by background work, after the modal closed
    assert "— only you can see this —" in out and "→ 75 seconds" in out
    assert queue(sandbox, FIRST).strategy == 2
    assert str(queue(sandbox, FIRST).timeWait) == "75"


async def test_a_refused_modal_answer_is_asked_again_and_the_others_are_kept(
    console: Driver, sandbox: Any
) -> None:
    out = await console.run(f"/queue edit {FIRST}", "5", "soon", "", "2", "30")
    assert "⚠ Maximum wait (seconds): soon is not a number of seconds" in out
    assert out.count("Queue type (optional) [") == 1  # only the wrong answer is asked again
    assert queue(sandbox, FIRST).strategy == 99 and str(queue(sandbox, FIRST).timeWait) == "30"


async def test_cancel_closes_the_modal_without_sending(console: Driver, sandbox: Any) -> None:
    before = queue(sandbox, FIRST).strategy
    out = await console.run(f"/queue edit {FIRST}", "cancel", "/queue show 1001202")
    assert "Form closed, nothing sent." in out
    assert "Queue Hỗ trợ kỹ thuật 1" in out  # the console goes on
    assert queue(sandbox, FIRST).strategy == before


async def test_the_end_of_input_in_a_modal_closes_it(console: Driver) -> None:
    out = await console.run(f"/queue edit {FIRST}", "2")
    assert out.rstrip().endswith("Form closed, nothing sent.")


async def test_the_console_user_is_the_configs_first_admin_in_the_console_channel(
    console: Driver,
) -> None:
    assert (console.console.user, console.console.channel) == (CONSOLE_USER, CONSOLE_CHANNEL)
    await console.run("/callops")
    entry = (await console.console.services.store.audit_entries(limit=1))[0]
    assert entry.command == "/callops"
    assert (entry.user_id, entry.channel_id, entry.role) == (CONSOLE_USER, CONSOLE_CHANNEL, "admin")
    assert console.console.banner().startswith("callops console — you are @U0CONSOLE (admin)")


def test_without_a_wildcard_the_console_sits_in_a_bound_channel(sandbox: Any) -> None:
    raw = {
        "admins": ["U0LAN"],
        "connections": sandbox.connections(),
        "channels": {"C0OPS": ["aicc"]},
    }
    config = parse_config(raw, "callops.yml", {})
    assert seat(config) == ("U0LAN", "C0OPS")
    assert seat(config, "U0OTHER", "C0X") == ("U0OTHER", "C0X")


async def test_vietnamese_is_spoken_when_configured(sandbox: Any, tmp_path: Path) -> None:
    config: Config = sandbox_config(sandbox, f"sqlite:///{tmp_path}/vi.db", language="vi")
    driver = await start_console(config)
    try:
        out = await driver.run(f"/queue show {FIRST}", "thoát", "/queue list")
    finally:
        await driver.console.stop()
    assert "  Loại hàng chờ: " in out and "  Thời gian chờ tối đa: " in out
    assert "Hàng chờ gọi vào" not in out  # stopped at "thoát"


async def test_an_import_is_previewed_confirmed_and_followed_to_its_end(
    console: Driver, sandbox: Any, tmp_path: Path
) -> None:
    upload = tmp_path / "list.csv"
    upload.write_text("phone,name\n0912000111,Lan\n0912000222,Mai\n12345,Bad\n", encoding="utf-8")
    # connection (default), campaign, list name, file, no paste; then Enter = Import
    out = await console.run("/import", "", "101", "Console list", str(upload), "", "")
    preview, _, after = out.partition("Enter: Import")
    assert "list.csv" in preview and "12345" in preview
    assert "— posted in #C0CONSOLE —" in after and "J1" in after
    assert "100%" in after  # the last update of the progress message
    assert "📎 J1-rejected" in after
    phones = sandbox.alohub.campaigns[101].phones
    assert phones["0912000111"] == phones["0912000222"] == 1


async def test_ctrl_c_in_a_form_closes_it_and_sends_nothing(console: Driver) -> None:
    out = await console.run("/import", "", CTRL_C, "/job")
    assert "Form closed, nothing sent." in out
    assert "No imports in this channel yet." in out  # the console went on; no job began
    assert not await console.console.services.store.recent_jobs(channel=CONSOLE_CHANNEL, limit=5)


async def test_ctrl_c_at_the_prompt_warns_once_and_leaves_at_the_second(console: Driver) -> None:
    out = await console.run(CTRL_C, "/job", CTRL_C, CTRL_C, "/queue list")
    assert out.count("Press Ctrl-C again to leave the console") == 2
    assert "No imports in this channel yet." in out
    assert "Inbound queues" not in out  # left at the second Ctrl-C in a row
