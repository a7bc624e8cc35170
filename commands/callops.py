"""``/callops``: help for everyone, connections for admins."""

from __future__ import annotations

from bot.args import Args
from bot.context import Ctx
from bot.errors import NoSuchSubcommand
from bot.messages import Markup, channel_link, mentions
from bot.render.formats import moment
from bot.render.help import connections_blocks, help_blocks
from bot.replies import Message, Reply
from bot.routing import Role, Router
from commands.importing import recent_campaigns

router = Router()


def help_router(full: Router) -> Router:
    """``/callops`` and ``/callops help``, listing every family of ``full`` (the bot's router).

    Handed the full router rather than importing it: ``commands`` includes this module.
    """
    helps = Router()

    @helps.command("/callops", "", role=Role.STRANGER, usage="usage.callops.help")
    async def callops_bare(ctx: Ctx, args: Args) -> Reply:
        """``/callops`` alone is the help; ``/callops foo`` the usage line, as others say."""
        if args.positional:
            own = tuple(dict.fromkeys(spec.usage for spec in full.specs_of("/callops")))
            word = args.positional[0]
            raise NoSuchSubcommand(
                "usage.unknown_subcommand", command="/callops", word=word, usages=own
            )
        return await callops_help(ctx, args)

    @helps.command("/callops", "help", role=Role.STRANGER, usage="usage.callops.help")
    async def callops_help(ctx: Ctx, args: Args) -> Reply:
        """Commands, this channel's connections and default, the caller's role."""
        config = ctx.services.config
        role = ctx.role  # set by the access middleware
        usages = list(
            dict.fromkeys(
                (ctx.msg(spec.usage), spec.command, spec.role)
                for family in full.families()
                for spec in full.specs_of(family)
            )
        )
        connections = [(name, config.connections[name].provider) for name in ctx.allowed]
        admins = mentions(config.admins)
        recent = await recent_campaigns(ctx, list(ctx.allowed))
        blocks = help_blocks(ctx.msg, usages, role, connections, admins, recent)
        return Message(ctx.msg("help.text"), blocks)

    return helps


@router.command("/callops", "connections", role=Role.ADMIN, usage="usage.callops.connections")
async def callops_connections(ctx: Ctx, args: Args) -> Reply:
    """Every connection with its provider, capabilities and last check."""
    config = ctx.services.config
    checks = await ctx.services.store.checks()
    tz = config.tz
    rows = []
    for name, connection in config.connections.items():
        check = checks.get(name)
        bound = [ch for ch, names in config.channels.items() if name in names]
        rows.append(
            {
                "name": name,
                "provider": connection.provider,
                "channels": Markup(
                    ", ".join("*" if ch == "*" else channel_link(ch) for ch in bound)
                ),
                "ok": check.ok if check else None,
                "reason": check.reason if check else None,
                "checked_at": moment(ctx.msg, check.checked_at.astimezone(tz)) if check else None,
            }
        )
    return Message(ctx.msg("connections.text"), connections_blocks(ctx.msg, rows))
