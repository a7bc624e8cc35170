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
from bot.args import Args
from bot.errors import NoSuchSubcommand, UserInputError
from bot.providers.capabilities import Capability
from bot.replies import Reply

if TYPE_CHECKING:
    from bot.context import Ctx


Handler = Callable[["Ctx", Args], Awaitable[Reply]]
PayloadHandler = Callable[["Ctx", dict[str, Any]], Awaitable[Reply]]


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

    def include(self, other: Router) -> Router:
        """Add another router's declarations to this one."""
        self.commands.update(other.commands)
        self.interactions.update(other.interactions)
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

    def interaction(self, kind: str, id: str) -> InteractionSpec | None:
        """The handler declared for a button or modal, if any."""
        return self.interactions.get((kind, id))

    def families(self) -> list[str]:
        """The slash commands declared, in declaration order."""
        return list(dict.fromkeys(command for command, _ in self.commands))

    def specs_of(self, command: str) -> list[CommandSpec]:
        """The subcommands of one family, in declaration order."""
        return [spec for (cmd, _), spec in self.commands.items() if cmd == command]
