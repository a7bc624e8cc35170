"""The console loop: each line is a slash command, a button's number or a console word.

Commands, button presses and modal submissions go through the same ``Dispatcher`` as
Slack's; only the delivery differs (printed text, questions instead of modals).
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field
from typing import Any

from bot.console.chat import ConsoleChat
from bot.console.form import CANCEL_WORDS, Cancelled, Form, input_blocks
from bot.console.prompt import Ask, Interrupted
from bot.console.screen import Pressable
from bot.console.text import Button, mrkdwn_to_plain, text_of
from bot.context import Request
from bot.dispatcher import Dispatcher
from bot.replies import (
    CloseModal,
    Message,
    ModalErrors,
    NoReply,
    OpenModal,
    PushModal,
    Reply,
    UpdateModal,
)
from bot.slack.app import action_payload, view_metadata

QUIT_WORDS = frozenset({"quit", "exit", "q", "thoát"})
HELP_WORDS = frozenset({"help", "?", "giúp", "trợ giúp"})
YES_WORDS = frozenset({"y", "yes", "c", "có"})
View = dict[str, Any]


class _Choice:
    """What the user did at a modal's last prompt, when not pressing a button."""


SUBMIT, CLOSE = _Choice(), _Choice()


@dataclass
class _OpenModal:
    """A modal on screen: its view, the answers so far, and which questions to ask next."""

    view: View
    id: str
    values: dict[str, Any] = field(default_factory=dict)
    only: set[str] | None = None  # None: every input; after errors, just those; set(): none
    shown: bool = False
    buttons: tuple[Button, ...] = ()

    def replace(self, view: View) -> None:
        """Another view took this one's place: start its questions afresh."""
        self.view, self.values, self.only, self.shown = view, {}, None, False


class Session:
    """One console user in one channel, answering lines until ``quit`` or the end of input."""

    def __init__(
        self,
        dispatcher: Dispatcher,
        chat: ConsoleChat,
        ask: Ask,
        *,
        user_id: str,
        channel_id: str,
        user_name: str = "console",
        wait_limit: float | None = None,
    ) -> None:
        self.dispatcher = dispatcher
        self.services = dispatcher.services
        self.msg = self.services.messages
        self.chat = chat
        self.screen = chat.screen
        self.ask = ask
        self.user_id = user_id
        self.channel_id = channel_id
        self.user_name = user_name
        # None: wait for all work an input started (a script); else seconds (a person).
        self.wait_limit = wait_limit
        self.form = Form(ask, self.screen, self.msg, chat.share)
        self._ids = itertools.count(1)
        self._mark: frozenset[asyncio.Task[None]] = frozenset()
        self._hurry = asyncio.Event()

    async def run(self) -> None:
        """Answer lines until ``quit``, the end of input, or Ctrl-C twice in a row."""
        armed = False
        while True:
            try:
                line = await self.ask(self.msg("console.prompt"))
            except Interrupted:
                if armed:
                    return
                # One Ctrl-C is easily pressed to stop something; only a second one leaves.
                armed = True
                self.screen.write(self.msg("console.interrupt_again"))
                continue
            armed = False
            if line is None or not await self.handle(line):
                return

    def interrupt(self) -> None:
        """Ctrl-C while no prompt waits: stop waiting for the work (it goes on, printing)."""
        self._hurry.set()

    async def handle(self, line: str) -> bool:
        """Answer one line; False when the user asked to leave."""
        text = line.strip()
        word = text.casefold()
        if not text:
            return True
        if word in QUIT_WORDS:
            return False
        if word in HELP_WORDS:
            self.screen.write(self.msg("console.help") + "\n")
            return True
        self._mark = frozenset(self.services.background.tasks)
        if text.isdigit():
            await self._press_number(int(text))
        elif (command := self._command(text)) is not None:
            self.screen.forget_buttons()
            await self.command(*command)
        else:
            self.screen.write(self.msg("console.not_a_command", text=text) + "\n")
            return True
        await self.settle()
        return True

    async def _press_number(self, number: int) -> None:
        pressable = self.screen.pressable(number)
        if pressable is None:
            self.screen.write(self.msg("console.no_button", number=number) + "\n")
            return
        self.screen.forget_buttons()
        reply = await self.press(pressable)
        if reply is not None:
            await self.deliver(reply, pressable.channel)

    def _command(self, text: str) -> tuple[str, str] | None:
        head, _, rest = text.partition(" ")
        head = head.lower()
        if not head.startswith("/"):
            # "queue list" works like "/queue list": the slash is easy to forget in a terminal.
            if "/" + head not in self.dispatcher.router.families():
                return None
            head = "/" + head
        return head, rest.strip()

    def _next(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids)}"

    # Requests

    async def command(self, command: str, text: str) -> None:
        """Run a slash command and show its reply."""
        request = Request(
            user_id=self.user_id,
            channel_id=self.channel_id,
            command=command,
            text=text,
            user_name=self.user_name,
            trigger_id=self._next("console-trigger-"),
            progress=self._progress,
        )
        await self.deliver(await self.dispatcher.command(request), self.channel_id)

    async def _progress(self, text: str) -> None:
        # Slack replaces the caller's ephemeral reply with each sentence; a terminal prints it.
        self.screen.show(text, None, channel=self.channel_id)

    async def press(self, pressable: Pressable) -> Reply | None:
        """Press a button (after its confirmation dialog, if it has one); None if not pressed."""
        button = pressable.button
        if button.confirm is not None and not await self._confirmed(button):
            self.screen.write(self.msg("console.not_pressed") + "\n")
            return None
        request = Request(
            user_id=self.user_id,
            channel_id=pressable.channel,
            user_name=self.user_name,
            trigger_id=self._next("console-trigger-"),
            view_id=pressable.view_id,
            message_ts=pressable.message_ts,
            payload=action_payload(button.element),
        )
        return await self.dispatcher.interaction("action", button.action_id, request)

    async def _confirmed(self, button: Button) -> bool:
        dialog = button.confirm or {}
        self.screen.write(f"{text_of(dialog.get('title'))}\n{text_of(dialog.get('text'))}")
        question = text_of(dialog.get("confirm")) or button.label
        try:
            answer = await self.ask(self.msg("console.confirm", question=question))
        except Interrupted:
            return False
        return (answer or "").strip().casefold() in YES_WORDS

    # Replies

    async def deliver(self, reply: Reply, channel: str) -> None:
        """Show a command's or a button's reply; a modal becomes questions."""
        match reply:
            case Message():
                await self.message(reply, channel)
            case OpenModal(view=view) | UpdateModal(view=view) | PushModal(view=view):
                await self.modal(view, self._next("V0CONSOLE"))
            case CloseModal(then=then) if then is not None:
                await self.message(then, channel)
            case ModalErrors(errors=errors):
                self._show_errors([], errors)
            case CloseModal() | NoReply():
                pass

    async def message(self, message: Message, channel: str) -> None:
        """Print a reply; one posted in the channel says so; its files are saved."""
        ts = None
        if message.ephemeral:
            self.screen.show(message.text, message.blocks, channel=channel)
        else:
            ts = await self.chat.post(channel, message.text, message.blocks or None)
        for file in message.files:
            await self.chat.upload(
                channel, file.filename, file.content, title=file.title, thread_ts=ts
            )

    # Modals

    async def modal(self, view: View, view_id: str) -> None:
        """Ask a modal's questions, submit, and follow updated views until it closes."""
        state = _OpenModal(view, view_id)
        while True:
            choice = await self._answer(state)
            if choice is CLOSE:
                self.screen.write(self.msg("console.modal.closed") + "\n")
                return
            if choice is None:
                return  # a "working…" view nothing replaced
            self._mark = frozenset(self.services.background.tasks)
            if isinstance(choice, Pressable):
                self.screen.forget_buttons()
                still_open = await self._follow(state, await self.press(choice), pressed=True)
            else:
                reply = await self._submit(state.view, view_id, state.values)
                still_open = await self._follow(state, reply, pressed=False)
            await self.settle(view_id)
            replaced = self.chat.take_view(view_id)
            if replaced is not None:
                state.replace(replaced)
            elif not still_open:
                return

    async def _answer(self, state: _OpenModal) -> _Choice | Pressable | None:
        """Show the view, ask its questions, then what to do: submit, a button, or close."""
        while True:
            inputs = input_blocks(state.view)
            if not state.shown:
                state.buttons, state.shown = self._show_view(state.view, state.id), True
            try:
                if inputs and state.only != set():
                    state.values.update(await self.form.fill(inputs, state.values, state.only))
                if not inputs and not state.view.get("submit") and not state.buttons:
                    # Nothing to answer: a "working…" view that background work replaces.
                    if await self.settle(state.id, patient=True):
                        return CLOSE  # Ctrl-C: the person gave up waiting
                    replaced = self.chat.take_view(state.id)
                    if replaced is None:
                        return None
                    state.replace(replaced)
                    continue
                if state.buttons or not inputs:
                    return await self._choose(state.view)
                return SUBMIT
            except Cancelled:
                return CLOSE

    async def _follow(self, state: _OpenModal, reply: Reply | None, *, pressed: bool) -> bool:
        """Act on what a submission or a button in the modal answered; False once closed."""
        channel = self._channel_of(state.view)
        match reply:
            case ModalErrors(errors=errors):
                inputs = input_blocks(state.view)
                self._show_errors(inputs, errors)
                asked = {str(b.get("block_id")) for b in inputs}
                state.only = (set(errors) & asked) or None
                return True
            case UpdateModal(view=new) | PushModal(view=new) | OpenModal(view=new):
                state.replace(new)
                return True
            case Message() | NoReply() | None if pressed:
                # A button in a modal leaves it open: show what it said, ask again.
                if isinstance(reply, Message):
                    await self.message(reply, channel)
                state.only, state.shown = set(), False
                return True
            case CloseModal(then=then):
                if then is not None:
                    await self.message(then, channel)
            case Message():
                await self.message(reply, channel)
        return False

    def _show_view(self, view: View, view_id: str) -> tuple[Button, ...]:
        self.screen.forget_buttons()
        blocks = [b for b in view.get("blocks") or [] if b.get("type") != "input"]
        title = {"type": "header", "text": view.get("title") or {"type": "plain_text", "text": ""}}
        return self.screen.show(
            "", [title, *blocks], channel=self._channel_of(view), view_id=view_id
        )

    async def _choose(self, view: View) -> _Choice | Pressable:
        submit = text_of(view.get("submit"))
        close = text_of(view.get("close")) or self.msg("console.modal.close")
        key = "console.modal.choice" if submit else "console.modal.choice_no_submit"
        if self.screen.pressable(1) is not None and submit:
            key = "console.modal.choice_buttons"
        prompt = self.msg(key, submit=submit, close=close)
        while True:
            try:
                answer = await self.ask(prompt)
            except Interrupted:
                return CLOSE
            if answer is None:
                return CLOSE
            word = answer.strip()
            if word.casefold() in CANCEL_WORDS:
                return CLOSE
            if not word:
                return SUBMIT if submit else CLOSE
            pressable = self.screen.pressable(int(word)) if word.isdigit() else None
            if pressable is not None:
                return pressable
            self.screen.write(self.msg("console.no_button", number=word))

    async def _submit(self, view: View, view_id: str, values: dict[str, Any]) -> Reply:
        meta = view_metadata(view)
        request = Request(
            user_id=self.user_id,
            channel_id=self._channel_of(view),
            user_name=self.user_name,
            trigger_id=self._next("console-trigger-"),
            view_id=view_id,
            payload={
                **meta,
                "values": dict(values),  # a snapshot, like each of Slack's submissions
                "view_id": view_id,
                "user_name": self.user_name,
            },
        )
        return await self.dispatcher.interaction(
            "view", str(view.get("callback_id") or ""), request
        )

    def _channel_of(self, view: View) -> str:
        return str(view_metadata(view).get("channel") or self.channel_id)

    def _show_errors(self, inputs: list[View], errors: dict[str, str]) -> None:
        labels = {str(b.get("block_id")): text_of(b.get("label")) for b in inputs}
        for block_id, error in errors.items():
            label = labels.get(block_id, block_id)
            error = mrkdwn_to_plain(error)
            self.screen.write(self.msg("console.modal.error", label=label, error=error))

    # Background work

    async def settle(self, view_id: str | None = None, *, patient: bool = False) -> bool:
        """Wait for the work the last input started, or until a modal is replaced.

        A script waits for all of it, so its output is complete and in order; a person
        waits at most ``wait_limit`` seconds (unless ``patient``), after which late
        messages print as they come. True when Ctrl-C (``interrupt``) cut the wait short.
        """
        seconds = None if patient else self.wait_limit
        loop = asyncio.get_running_loop()
        deadline = None if seconds is None else loop.time() + float(seconds)
        self._hurry.clear()
        while not (view_id and self.chat.has_view(view_id)):
            pending = [
                t for t in self.services.background.tasks if t not in self._mark and not t.done()
            ]
            timeout = None if deadline is None else deadline - loop.time()
            if not pending or (timeout is not None and timeout <= 0):
                return False
            self.chat.view_arrived.clear()
            arrived = asyncio.ensure_future(self.chat.view_arrived.wait())
            hurried = asyncio.ensure_future(self._hurry.wait())
            try:
                done, _ = await asyncio.wait(
                    {*pending, arrived, hurried},
                    timeout=timeout,
                    return_when=asyncio.FIRST_COMPLETED,
                )
            finally:
                arrived.cancel()
                hurried.cancel()
            if self._hurry.is_set():
                self.screen.write()  # the terminal echoed ^C: what follows starts a new line
                return True
            if not done:
                return False
        return False
