"""``/callops``: help and each person's language for everyone; connections and a channel's
language for admins."""

from __future__ import annotations

from bot.args import Args
from bot.context import Ctx
from bot.errors import NoSuchSubcommand, UserInputError
from bot.languages import language_of_locale, parse_language
from bot.messages import Language, Markup, Messages, channel_link, mentions
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


@router.command("/callops", "language", role=Role.STRANGER, usage="usage.callops.language")
async def callops_language(ctx: Ctx, args: Args) -> Reply:
    """Bare: the caller's and the channel's languages; ``vi|en`` the caller's own; ``auto``
    back to their Slack language."""
    if not args.positional:
        return await _language_settings(ctx)
    word = _only_word(args)
    languages = ctx.services.languages
    if word == "auto":
        await languages.choose_for_user(ctx.user_id, None)
        now = await languages.of_user(ctx.user_id)
        msg = Messages(now)
        return Message(msg("language.set.user_auto", language=msg(f"language.name.{now}")))
    language = _language(word)
    await languages.choose_for_user(ctx.user_id, language)
    msg = Messages(language)  # the answer already in the language chosen
    return Message(msg("language.set.user", language=msg(f"language.name.{language}")))


@router.command(
    "/callops", "language channel", role=Role.ADMIN, usage="usage.callops.language_channel"
)
async def callops_language_channel(ctx: Ctx, args: Args) -> Reply:
    """Bare: the settings; ``vi|en`` the channel's language; ``default`` back to callops.yml's."""
    if not args.positional:
        return await _language_settings(ctx)
    word = _only_word(args)
    languages = ctx.services.languages
    channel = channel_link(ctx.channel_id)
    msg = ctx.msg  # the admin's: this answer is theirs alone
    if word == "default":
        await languages.choose_for_channel(ctx.channel_id, None, ctx.user_id)
        name = msg(f"language.name.{languages.default}")
        return Message(msg("language.set.channel_default", channel=channel, language=name))
    language = _language(word)
    await languages.choose_for_channel(ctx.channel_id, language, ctx.user_id)
    name = msg(f"language.name.{language}")
    return Message(msg("language.set.channel", channel=channel, language=name))


async def _language_settings(ctx: Ctx) -> Reply:
    msg = ctx.msg
    settings = await ctx.services.languages.settings(ctx.user_id, ctx.channel_id)
    if settings.user_choice:
        user_source = msg("language.source.chosen")
    elif language_of_locale(settings.locale):
        user_source = msg("language.source.locale", locale=settings.locale)
    else:
        user_source = msg("language.source.default")
    channel_source = msg(
        "language.source.channel_chosen" if settings.channel_choice else "language.source.default"
    )
    return Message(
        msg(
            "language.settings",
            user=msg(f"language.name.{settings.user}"),
            user_source=user_source,
            channel=msg(f"language.name.{settings.channel}"),
            channel_source=channel_source,
        )
    )


def _only_word(args: Args) -> str:
    if len(args.positional) > 1:
        raise UserInputError("usage.unexpected", word=args.positional[1])
    return args.positional[0].lower()


def _language(word: str) -> Language:
    language = parse_language(word)
    if language is None:
        raise UserInputError("language.bad_value", value=word)
    return language
