"""``printf '/queue list\\n/queue show <id>\\n' | callops console --sandbox`` in a real process."""

from __future__ import annotations

from pathlib import Path

from bot.sandbox.alohub_seed import FIRST_QUEUE_ID, QUEUE_NAMES
from tests.console.conftest import callops


def test_piped_commands_print_the_queues_as_text_and_exit_at_the_end(tmp_path: Path) -> None:
    script = f"/queue list\n/queue show {FIRST_QUEUE_ID}\n"
    done = callops("console", "--sandbox", stdin=script, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("callops console — you are @U0CONSOLE (admin) in #C0CONSOLE.")
    listing, card = out.split(f"callops> /queue show {FIRST_QUEUE_ID}\n")
    assert "callops> /queue list\nInbound queues — alohub-main\n" in listing
    assert f"{QUEUE_NAMES[0]} 1 · #{FIRST_QUEUE_ID} · " in listing
    assert "Page 1 of 3 · 25 in all" in listing and "[1] Next ▶" in listing
    assert card.startswith(f"Queue {QUEUE_NAMES[0]} 1\n")
    assert "  Queue type: " in card and "  Maximum wait: " in card
    for markup in ("*", "`", "<@", '"type"'):
        assert markup not in out
    assert "Traceback" not in done.stderr
    assert not list(tmp_path.iterdir()), "the sandbox console leaves no file behind"
