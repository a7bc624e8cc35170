"""The local console: the bot's handlers on a fake Slack context, Block Kit printed as text.

``bot.console.app.Console`` wires a config to a ``session.Session``; ``run_console`` and
``run_sandbox_console`` there are what ``callops console`` runs. Modals become questions
(``form``), buttons are pressed by number (``screen``), background work prints through
``chat.ConsoleChat``. Only the pure, light parts are re-exported here, so that
``callops check`` can render text without loading the whole bot.
"""

from bot.console.prompt import CTRL_C, Ask, Interrupted, ScriptedAsk, StdinAsk, TerminalAsk
from bot.console.screen import Pressable, Screen
from bot.console.text import Button, Rendered, mrkdwn_to_plain, render_blocks, render_message

__all__ = [
    "CTRL_C",
    "Ask",
    "Button",
    "Interrupted",
    "Pressable",
    "Rendered",
    "Screen",
    "ScriptedAsk",
    "StdinAsk",
    "TerminalAsk",
    "mrkdwn_to_plain",
    "render_blocks",
    "render_message",
]
