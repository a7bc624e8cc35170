"""Commands, actions and modal submissions declared as data, and the router that finds them.

A command family (``commands/queue.py``) declares each subcommand with its role, the
capability its connection needs, its usage line and the options it takes; the middleware
reads these declarations, so no handler checks roles or bindings itself.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.access import Role
from bot.args import Args, parse_args
from bot.errors import NoSuchSubcommand, UserInputError
from bot.providers.capabilities import Capability
from bot.replies import Message, Reply

if TYPE_CHECKING:
    from bot.context import Ctx


Handler = Callable[["Ctx", Args], Awaitable[Reply]]
PayloadHandler = Callable[["Ctx", dict[str, Any]], Awaitable[Reply]]
# Renders page N (from 0) of a paged subcommand for the words typed after it.
PageFn = Callable[["Ctx", Args, int], Awaitable[Message]]
# The buttons under a paged answer (``bot.render.pager``): they re-run the subcommand.
PAGE_ACTIONS = ("page_next", "page_prev")


@dataclass(frozen=True)
class CommandSpec:
    """One slash subcommand, e.g. ``/queue set``."""

    command: str
    path: tuple[str, ...]
    handler: Handler
    role: Role
    usage: str
    capability: Capability | None = None
    needs_connection: bool = False
    options: frozenset[str] = frozenset()
    min_args: int = 0
    admin_action: bool = False
    free_text: bool = False  # the words after the arguments are free text, '=' included
    # Options only some providers use (``campaign`` means nothing to OMICall): option →
    # those providers. Given to a connection of another provider, the option is refused.
    provider_options: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def repeated_option(self, args: Args) -> str | None:
        """An option of this command typed more than once, if any (free text may repeat)."""
        for key in args.repeated:
            if key in self.options or not self.free_text:
                return key
        return None

    def unused_option(self, args: Args, provider: str) -> str | None:
        """An option given that ``provider`` does not use, if any."""
        for key in args.options:
            users = self.provider_options.get(key)
            if users is not None and provider not in users:
                return key
        return None

    @property
    def name(self) -> str:
        """``/queue set`` style name."""
        return " ".join((self.command, *self.path))


@dataclass(frozen=True)
class InteractionSpec:
    """A button (``action_id``) or a modal submission (``callback_id``)."""

    kind: str  # "action" | "view"
    id: str
    handler: PayloadHandler
    role: Role
    capability: Capability | None = None
    admin_action: bool = False


@dataclass
class Router:
    """Every command and interaction of the bot."""

    commands: dict[tuple[str, tuple[str, ...]], CommandSpec] = field(default_factory=dict)
    interactions: dict[tuple[str, str], InteractionSpec] = field(default_factory=dict)
    pages: dict[tuple[str, tuple[str, ...]], PageFn] = field(default_factory=dict)

    def command(
        self,
        command: str,
        path: str = "",
        *,
        role: Role,
        usage: str,
        capability: Capability | None = None,
        needs_connection: bool | None = None,
        options: Iterable[str] = (),
        min_args: int = 0,
        free_text: bool = False,
        provider_options: Mapping[str, Iterable[str]] | None = None,
    ) -> Callable[[Handler], Handler]:
        """Declare a subcommand (``path`` "" is the family's default)."""

        def register(handler: Handler) -> Handler:
            key = (command, tuple(path.split()))
            self.commands[key] = CommandSpec(
                command=command,
                path=key[1],
                handler=handler,
                role=role,
                usage=usage,
                capability=capability,
                needs_connection=capability is not None
                if needs_connection is None
                else needs_connection,
                options=frozenset(options) | {"via"},
                min_args=min_args,
                admin_action=role is Role.ADMIN,
                free_text=free_text,
                provider_options={
                    key: frozenset(users) for key, users in (provider_options or {}).items()
                },
            )
            return handler

        return register

    def action(
        self, action_id: str, *, role: Role, capability: Capability | None = None
    ) -> Callable[[PayloadHandler], PayloadHandler]:
        """Declare a button handler."""
        return self._interaction("action", action_id, role, capability)

    def view(
        self, callback_id: str, *, role: Role, capability: Capability | None = None
    ) -> Callable[[PayloadHandler], PayloadHandler]:
        """Declare a modal submission handler."""
        return self._interaction("view", callback_id, role, capability)

    def _interaction(
        self, kind: str, id: str, role: Role, capability: Capability | None
    ) -> Callable[[PayloadHandler], PayloadHandler]:
        def register(handler: PayloadHandler) -> PayloadHandler:
            self.interactions[(kind, id)] = InteractionSpec(
                kind, id, handler, role, capability, admin_action=role is Role.ADMIN
            )
            return handler

        return register

    def paged(self, command: str, path: str) -> Callable[[PageFn], PageFn]:
        """Declare the function that renders page N of the subcommand ``command path``.

        Its Next/Previous buttons are then declared too; a press is resolved by
        ``interaction`` to the subcommand's own declaration, so it passes the same role,
        capability and channel checks as the command typed again.
        """

        def register(fn: PageFn) -> PageFn:
            self.pages[(command, tuple(path.split()))] = fn
            for action_id in PAGE_ACTIONS:
                # A placeholder so that the Slack layer listens for the buttons.
                self.interactions[("action", action_id)] = InteractionSpec(
                    "action", action_id, _page_unresolved, Role.OPERATOR
                )
            return fn

        return register

    def include(self, other: Router) -> Router:
        """Add another router's declarations to this one."""
        self.commands.update(other.commands)
        self.interactions.update(other.interactions)
        self.pages.update(other.pages)
        return self

    def find(self, command: str, args: Args) -> tuple[CommandSpec, Args]:
        """The subcommand ``args`` names (longest match) and the arguments after it."""
        words = [w.lower() for w in args.positional]
        for length in range(min(len(words), 3), -1, -1):
            spec = self.commands.get((command, tuple(words[:length])))
            if spec:
                return spec, args.shift(length)
        usages = tuple(dict.fromkeys(spec.usage for spec in self.specs_of(command)))
        if not usages:
            raise UserInputError("usage.unknown_command", command=command)
        if words:
            raise NoSuchSubcommand(
                "usage.unknown_subcommand", command=command, word=args.positional[0], usages=usages
            )
        raise NoSuchSubcommand("usage.choose_subcommand", command=command, usages=usages)

    def interaction(
        self, kind: str, id: str, payload: Mapping[str, Any] | None = None
    ) -> InteractionSpec | None:
        """The handler declared for a button or modal, if any.

        A pager button is declared by the subcommand it pages (its ``payload`` names it):
        it gets that subcommand's role and capability.
        """
        if kind == "action" and id in PAGE_ACTIONS:
            return self._page_turn(id, payload or {})
        return self.interactions.get((kind, id))

    def _page_turn(self, id: str, payload: Mapping[str, Any]) -> InteractionSpec | None:
        text = str(payload.get("text") or "")
        key = (str(payload.get("cmd") or ""), tuple(text.split()[:1]))
        spec, render = self.commands.get(key), self.pages.get(key)
        if spec is None or render is None:
            return None

        async def turn(ctx: Ctx, payload: dict[str, Any]) -> Reply:
            args = parse_args(text).shift(len(key[1]))
            page = payload.get("page", 0)
            message = await render(ctx, args, max(0, int(page) if str(page).isdigit() else 0))
            return Message(message.text, message.blocks, replace_original=True)

        return InteractionSpec(
            "action", id, turn, spec.role, spec.capability, admin_action=spec.admin_action
        )

    def families(self) -> list[str]:
        """The slash commands declared, in declaration order."""
        return list(dict.fromkeys(command for command, _ in self.commands))

    def specs_of(self, command: str) -> list[CommandSpec]:
        """The subcommands of one family, in declaration order."""
        return [spec for (cmd, _), spec in self.commands.items() if cmd == command]


async def _page_unresolved(ctx: Ctx, payload: dict[str, Any]) -> Reply:
    """Never runs: ``Router.interaction`` resolves a pager button to its subcommand."""
    raise UserInputError("error.unknown_action")
