"""``/callops``: what the caller may do here, and the connections."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.access import Role
from bot.hygiene import code
from bot.messages import Markup, Messages
from bot.providers.capabilities import CAPABILITIES
from bot.render.blocks import Block, context, divider, header, line_sections, section


def help_blocks(
    msg: Messages,
    commands: Sequence[tuple[str, str, Role]],
    role: Role,
    connections: Sequence[tuple[str, str]],
    admins: Markup | None = None,
    recent: Sequence[tuple[str, str]] = (),
) -> list[Block]:
    """The caller's role, the channel's connections and the campaigns it used lately, the
    commands the caller may run, then those they may not, under the role each needs
    (``admins``: whom to ask)."""
    lines = [f"• {usage}" for usage, _, needed in commands if role >= needed]
    blocks: list[Block] = [header(msg("help.title"))]
    whom = admins if admins is not None else Markup("—")
    blocks.append(section(msg(f"help.role.{role.name.lower()}", admins=whom)))
    if connections:
        names = Markup(", ").join(
            Markup(f"{code(name)} ({provider})") for name, provider in connections
        )
        blocks.append(section(msg("help.connections", names=names, default=connections[0][0])))
        if recent:
            used = Markup(", ").join(
                Markup(f"{code(campaign)} ({name})") for name, campaign in recent
            )
            blocks.append(section(msg("help.campaigns", campaigns=used)))
        else:
            blocks.append(section(msg("help.campaigns_none")))
    else:
        blocks.append(section(msg("access.channel_unbound")))
    blocks.append(divider())
    if lines:
        blocks.extend(_chunks(msg("help.commands"), lines))
    # What the caller may not run yet, under the role it needs.
    for needed, title in ((Role.OPERATOR, "help.operators_only"), (Role.ADMIN, "help.admin_only")):
        locked = [f"• {usage}" for usage, _, need in commands if need is needed and role < need]
        if locked:
            blocks.extend(_chunks(msg(title), locked))
    blocks.append(context(msg("help.footer")))
    return blocks


def _chunks(title: str, lines: list[str]) -> list[Block]:
    """The title and lines as sections within Slack's text limit."""
    sections, _ = line_sections([title, *lines], max_blocks=20)
    return sections


def connections_blocks(msg: Messages, rows: Sequence[Mapping[str, Any]]) -> list[Block]:
    """Each connection: provider, capabilities, last check result."""
    blocks: list[Block] = [header(msg("connections.title"))]
    for row in rows:
        caps = ", ".join(
            msg(f"capability.{c.value}") for c in sorted(CAPABILITIES[row["provider"]])
        )
        if row.get("checked_at") is None:
            check = msg("connections.never_checked")
        elif row["ok"]:
            check = msg("connections.check_ok", at=row["checked_at"])
        else:
            check = msg("connections.check_failed", at=row["checked_at"], reason=row["reason"])
        blocks.append(
            section(
                msg(
                    "connections.row",
                    name=row["name"],
                    provider=row["provider"],
                    channels=row["channels"] or "—",
                ),
                fields=[
                    f"*{msg('connections.can')}*\n{caps}",
                    f"*{msg('connections.last_check')}*\n{check}",
                ],
            )
        )
    blocks.append(context(msg("connections.hint")))
    return blocks
