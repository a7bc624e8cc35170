"""The console at a real terminal: Ctrl-C in a form and at the prompt, late messages."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.console.late_console import GO, LATE
from tests.console.terminal import Terminal

PROMPT = "callops>"


@pytest.fixture
def terminals() -> Iterator[list[Terminal]]:
    """Terminals opened by a test, closed after it (their programs ended if still running)."""
    opened: list[Terminal] = []
    yield opened
    for terminal in opened:
        terminal.close()


def console(terminals: list[Terminal], cwd: Path, *args: str) -> Terminal:
    terminal = Terminal("console", "--sandbox", *args, cwd=cwd)
    terminals.append(terminal)
    terminal.wait_for_prompt(PROMPT)
    return terminal


def test_ctrl_c_in_a_form_closes_the_form_and_the_console_goes_on(
    terminals: list[Terminal], tmp_path: Path
) -> None:
    term = console(terminals, tmp_path)
    term.type("/import")
    term.wait_for_text("Connection [alohub-main (alohub)]:")
    term.ctrl_c()
    term.wait_for_text("Form closed, nothing sent.")
    term.wait_for_prompt(PROMPT)
    assert term.child.isalive()

    term.type("/job")  # the console still answers, and the form started no job
    term.wait_for_text("No imports in this channel yet.")
    term.wait_for_prompt(PROMPT)
    term.type("quit")
    assert term.exit_status() == 0


def test_ctrl_c_at_the_prompt_says_how_to_leave_and_a_second_one_leaves(
    terminals: list[Terminal], tmp_path: Path
) -> None:
    term = console(terminals, tmp_path)
    term.ctrl_c()
    term.wait_for_text("Press Ctrl-C again to leave the console, or type a command to go on.")
    term.wait_for_prompt(PROMPT)
    assert term.child.isalive()

    term.type("/job")  # a command in between: the next Ctrl-C warns again
    term.wait_for_text("No imports in this channel yet.")
    term.wait_for_prompt(PROMPT)
    term.ctrl_c()
    term.wait_for(
        lambda t: t.text().count("Press Ctrl-C again") == 2, "the second warning", timeout=30
    )
    term.wait_for_prompt(PROMPT)
    assert term.child.isalive()

    term.ctrl_c()
    assert term.exit_status() == 0
    assert "Traceback" not in term.text()


def test_a_message_posted_later_prints_above_the_prompt_and_keeps_what_is_typed(
    terminals: list[Terminal], tmp_path: Path
) -> None:
    term = Terminal(str(tmp_path), cwd=tmp_path, module="tests.console.late_console")
    terminals.append(term)
    term.wait_for_prompt(PROMPT)
    term.type("/later")
    term.wait_for_text("Started; the result is posted when it is ready.")
    term.wait_for_prompt(PROMPT)
    term.child.send("/que")  # half a command typed when the result arrives
    term.wait_for(lambda t: t.last() == f"{PROMPT} /que", "the typed text")

    os.kill(term.child.pid, GO)  # the background work finishes now
    term.wait_for_text(LATE)
    term.wait_for(lambda t: t.last() == f"{PROMPT} /que", "the prompt below the message")
    lines = term.lines()
    late = lines.index(LATE)
    assert lines[late - 1] == "— posted in #C0CONSOLE —"
    assert late == len(lines) - 2, "the message sits right above the prompt"
    assert all(not line.startswith(PROMPT) or not line.endswith(LATE) for line in lines)

    term.child.send("\x15quit\r")  # Ctrl-U clears the half-typed line
    assert term.exit_status() == 0


def test_ctrl_c_while_the_console_waits_for_work_gives_the_prompt_back(
    terminals: list[Terminal], tmp_path: Path
) -> None:
    term = Terminal(str(tmp_path), "--patient", cwd=tmp_path, module="tests.console.late_console")
    terminals.append(term)
    term.wait_for_prompt(PROMPT)
    term.type("/later")
    term.wait_for_text("Started; the result is posted when it is ready.")
    assert term.last() != PROMPT  # waiting for the work, no prompt yet

    term.ctrl_c()  # between prompts the terminal sends SIGINT
    term.wait_for_prompt(PROMPT)
    assert term.child.isalive()
    os.kill(term.child.pid, GO)  # the work went on and still reports
    term.wait_for_text(LATE)
    term.wait_for_prompt(PROMPT)
    term.type("quit")
    assert term.exit_status() == 0
