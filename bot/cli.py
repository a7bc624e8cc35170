"""``callops``: the bot, the local console, the provider sandbox, a check, the manifest.

Every failure the user can fix ends in one sentence on stderr and exit status 2 (bad
config, bad option, a database setting that cannot be used) or 1 (a check failed, Slack
refused, the port is taken); never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import logging
import os
import signal
import sys
from collections.abc import Awaitable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

from bot.config import Config, Environment, load_config
from bot.errors import ConfigError, DatabaseUnusable
from bot.logging import hide_secrets, setup_console_logging, setup_logging, use_log_format
from bot.messages import Messages

if TYPE_CHECKING:
    from bot.slack.bot import Bot

log = logging.getLogger("bot.cli")

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def build_parser() -> argparse.ArgumentParser:
    """The ``callops`` command and its subcommands."""
    parser = argparse.ArgumentParser(
        prog="callops", description="Run a call center's calling providers from Slack."
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-v", "--verbose", action="store_true", help="log everything (DEBUG)")
    config = argparse.ArgumentParser(add_help=False)
    config.add_argument(
        "--config",
        metavar="PATH",
        help="callops.yml to use (default: $CALLOPS_CONFIG or ./callops.yml)",
    )
    seat = argparse.ArgumentParser(add_help=False)
    seat.add_argument("--language", choices=("en", "vi"), help="language of the console")
    seat.add_argument("--user", help="Slack user id to act as (default: the first admin)")
    seat.add_argument("--channel", help="Slack channel id to act in (default: C0CONSOLE)")
    seat.add_argument(
        "--log-stderr",
        action="store_true",
        help="console: also show WARNING log lines on stderr (or set CALLOPS_LOG_STDERR=1); "
        "they always go to the log file",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser(
        "run",
        parents=[common, config, seat],
        help="serve Slack (Socket Mode with SLACK_APP_TOKEN, else HTTP); no token: the console",
    )
    run.add_argument(
        "--port",
        type=int,
        default=3000,
        help="HTTP port (default 3000); in Socket Mode it serves only /healthz and /metrics",
    )
    run.add_argument("--host", default="0.0.0.0", help="HTTP address (default 0.0.0.0)")
    run.set_defaults(func=_run)

    console = sub.add_parser(
        "console",
        parents=[common, config, seat],
        help="type slash commands locally and see the replies as text",
    )
    console.add_argument(
        "--sandbox",
        action="store_true",
        help="use the provider simulators in-process (default when there is no config file)",
    )
    console.set_defaults(func=_console)

    sandbox = sub.add_parser(
        "sandbox", parents=[common], help="serve the four provider simulators and print a config"
    )
    sandbox.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    sandbox.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1)")
    sandbox.set_defaults(func=_sandbox)

    check = sub.add_parser(
        "check", parents=[common, config], help="check every connection's credentials"
    )
    check.add_argument(
        "--timeout", type=float, default=15.0, help="seconds allowed per connection (default 15)"
    )
    check.set_defaults(func=_check)

    manifest = sub.add_parser("manifest", parents=[common], help="print the Slack app manifest")
    manifest.add_argument("--url", help="public https base URL: fills the request URLs (HTTP mode)")
    manifest.set_defaults(func=_manifest)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``callops`` console script and ``python -m bot``."""
    _tolerant_stdio()
    args = build_parser().parse_args(argv)
    quiet = logging.INFO if args.command == "run" else logging.WARNING
    setup_logging(logging.DEBUG if args.verbose else quiet)
    try:
        return int(args.func(args))
    except ConfigError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    except DatabaseUnusable as error:
        print(_database_sentence(error, args), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


def _tolerant_stdio() -> None:
    # A terminal that cannot show Vietnamese gets "?" rather than a crash.
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="replace")


def _messages(args: argparse.Namespace, config: Config | None = None) -> Messages:
    language = getattr(args, "language", None) or (config.language if config else "en")
    return Messages(language)


def _load(args: argparse.Namespace, env: Environment) -> Config:
    config = load_config(args.config or env.callops_config)
    hide_secrets(_secrets(config, env))
    use_log_format(config.log_format)
    if getattr(args, "language", None):
        config = config.model_copy(update={"language": args.language})
    args.loaded_config = config  # for sentences about it printed after a failure
    return config


def _database_sentence(error: DatabaseUnusable, args: argparse.Namespace) -> str:
    """The sentence for an unusable database, naming the setting the URL came from."""
    env = Environment()
    config = getattr(args, "loaded_config", None)
    msg = _messages(args, config)
    # As in bot.config.parse_config: a non-empty DATABASE_URL overrides the file's setting.
    if os.environ.get("DATABASE_URL"):
        setting = msg("database.setting.env")
    else:
        setting = msg("database.setting.file", file=args.config or env.callops_config)
    return msg(f"database.{error.reason}", setting=setting, **error.params)


def _secrets(config: Config, env: Environment) -> list[str]:
    from bot.config import secret_values

    tokens = (env.slack_bot_token, env.slack_app_token, env.slack_signing_secret)
    return [*secret_values(config), *(t.get_secret_value() for t in tokens if t)]


# callops run


def _run(args: argparse.Namespace) -> int:
    env = Environment()
    bot_token, app_token = _value(env.slack_bot_token), _value(env.slack_app_token)
    if not bot_token and not app_token:
        print(_messages(args)("cli.no_token"), flush=True)
        return _console_on_sandbox(args, env)
    config = _load(args, env)
    msg = _messages(args, config)
    if not bot_token:
        print(msg("cli.needs_bot_token"), file=sys.stderr)
        return EXIT_USAGE
    if not app_token and not _value(env.slack_signing_secret):
        print(msg("cli.needs_signing_secret"), file=sys.stderr)
        return EXIT_USAGE
    return asyncio.run(_serve(config, env, args, msg))


def _value(secret: Any) -> str:
    return secret.get_secret_value() if secret is not None else ""


async def _serve(config: Config, env: Environment, args: argparse.Namespace, msg: Messages) -> int:
    from bot.slack.bot import Bot

    bot = Bot(config, env)
    stop = _stop_event()
    try:
        if env.slack_app_token:
            app_token = env.slack_app_token.get_secret_value()
            return await _serve_socket(bot, app_token, (args.host, args.port), stop, msg)
        return await _serve_http(bot, args.host, args.port, stop, msg)
    finally:
        await bot.stop()
        log.info("callops stopped")


async def _serve_socket(
    bot: Bot, app_token: str, address: tuple[str, int], stop: asyncio.Event, msg: Messages
) -> int:
    from slack_sdk.errors import SlackApiError

    from bot.slack.socket_mode import SocketMode

    socket_mode = SocketMode(bot.app, app_token)
    try:
        # Socket Mode would retry refused tokens forever, logging; a setup mistake deserves
        # one sentence instead. The URL opened here is the one connected to.
        try:
            await _check_bot_token(bot)
            await socket_mode.open()
        except SlackApiError as error:
            print(msg("cli.slack_refused", error=error.response.get("error", "?")), file=sys.stderr)
            return EXIT_FAILED
        # /healthz and /metrics on --host:--port, taken before any job resumes.
        host, port = address
        try:
            bot.listen_for_operations(host, port)
        except OSError as error:
            reason = error.strerror or type(error).__name__
            print(msg("cli.cannot_listen", host=host, port=port, reason=reason), file=sys.stderr)
            return EXIT_FAILED
        await bot.start_background()
        await bot.start_serving_operations()
        # The handler retries a failed connection forever: a signal must still end the wait.
        if not await _unless_stopped(socket_mode.start(), stop):
            return EXIT_OK
        log.info("callops connected to Slack in Socket Mode")
        if await _unless_stopped(socket_mode.link_disabled.wait(), stop):
            print(msg("cli.socket_mode_disabled"), file=sys.stderr)
            return EXIT_FAILED
    finally:
        await socket_mode.close_async()
    return EXIT_OK


async def _check_bot_token(bot: Bot) -> None:
    """Ask Slack once whether the bot token is good; raises ``SlackApiError`` when refused."""
    try:
        await bot.client.auth_test()
    except (OSError, TimeoutError) as error:
        log.warning("could not reach Slack to check the tokens (%s)", type(error).__name__)


async def _serve_http(bot: Bot, host: str, port: int, stop: asyncio.Event, msg: Messages) -> int:
    from bot.runtime import freeze_start_up_objects

    try:
        await bot.start_http(host, port)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        print(msg("cli.cannot_listen", host=host, port=port, reason=reason), file=sys.stderr)
        return EXIT_FAILED
    freeze_start_up_objects()
    await stop.wait()
    return EXIT_OK


async def _unless_stopped(work: Awaitable[object], stop: asyncio.Event) -> bool:
    """Await ``work`` unless ``stop`` is set first (then cancel it); True when it finished."""
    task = asyncio.ensure_future(work)
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
    if not task.done():
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        return False
    task.result()
    return True


def _stop_event() -> asyncio.Event:
    """An event set by SIGINT or SIGTERM, so shutdown runs ``bot.stop()`` either way."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # Windows
            loop.add_signal_handler(sig, stop.set)
    return stop


# callops console


def _console(args: argparse.Namespace) -> int:
    env = Environment()
    path = args.config or env.callops_config
    if args.sandbox:
        return _console_on_sandbox(args, env)
    if not Path(path).exists():
        print(_messages(args)("cli.no_config", path=path), flush=True)
        return _console_on_sandbox(args, env)
    from bot.console.app import run_console

    log_file = _console_logging(args, env)  # first: ``_load`` registers secrets to mask on it
    config = _load(args, env)
    notices = (
        () if log_file is None else (_messages(args, config)("console.log_file", path=log_file),)
    )
    interactive = sys.stdin.isatty()
    coro = run_console(
        config, interactive=interactive, user=args.user, channel=args.channel, notices=notices
    )
    asyncio.run(coro)
    return EXIT_OK


def _console_on_sandbox(args: argparse.Namespace, env: Environment) -> int:
    from bot.console.app import run_sandbox_console, sandbox_database

    language = cast(Literal["en", "vi"], args.language or "en")
    database = sandbox_database()
    log_file = _console_logging(args, env)
    msg = _messages(args)
    print(msg("console.sandbox_database", path=database), flush=True)
    if log_file is not None:
        print(msg("console.log_file", path=log_file), flush=True)
    coro = run_sandbox_console(
        interactive=sys.stdin.isatty(),
        database=database,
        language=language,
        user=args.user,
        channel=args.channel,
    )
    asyncio.run(coro)
    return EXIT_OK


def _console_logging(args: argparse.Namespace, env: Environment) -> Path | None:
    """The console's log goes to a file: its stdout and stderr are where replies are read.

    Returns the file, or None when it cannot be written (then WARNING goes to stderr).
    """
    from platformdirs import user_log_path

    verbose = bool(getattr(args, "verbose", False))
    on_stderr = bool(getattr(args, "log_stderr", False)) or env.callops_log_stderr
    return setup_console_logging(
        user_log_path("callops", appauthor=False) / "console.log",
        logging.DEBUG if verbose else logging.INFO,
        stderr_level=(logging.DEBUG if verbose else logging.WARNING) if on_stderr else None,
    )


# callops sandbox, check, manifest


def _sandbox(args: argparse.Namespace) -> int:
    from bot.sandbox import serve

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt  # `serve` stops cleanly on it; SIGTERM should too

    signal.signal(signal.SIGTERM, interrupt)
    try:
        serve(args.host, args.port)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        print(
            Messages()("cli.cannot_listen", host=args.host, port=args.port, reason=reason),
            file=sys.stderr,
        )
        return EXIT_FAILED
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from bot.check import run_check
    from bot.store import open_store

    config = _load(args, Environment())
    open_store(config.database_url).close()  # a database it cannot record in stops the check
    return asyncio.run(
        run_check(config, per_connection=args.timeout, out=sys.stdout, err=sys.stderr)
    )


def _manifest(args: argparse.Namespace) -> int:
    from bot.manifest import render_manifest

    try:
        text = render_manifest(args.url)
    except ValueError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return EXIT_OK
