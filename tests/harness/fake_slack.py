"""A local stand-in for the Slack Web API that records every call, for tests.

Point the bot at it with ``SLACK_API_URL=slack.api_url``. It answers the methods
callops uses the way Slack does (including ``ok: false`` error bodies, HTTP 429
with ``Retry-After``, the three-step ``files_upload_v2`` flow, scopes, one-use
trigger ids) and keeps what was sent so tests can assert on it.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, NamedTuple, Self, TypedDict

from aiohttp import web

DEFAULT_SCOPES = frozenset(
    {
        "commands",
        "channels:read",
        "chat:write",
        "chat:write.public",
        "files:read",
        "files:write",
        "groups:read",
        "users:read",
        "users:read.email",
    }
)
"""The bot scopes manifest.yml asks for; the fake enforces them unless told otherwise."""

# The scope each method needs; any one of a tuple's scopes is enough.
METHOD_SCOPES: dict[str, tuple[str, ...]] = {
    "chat.postMessage": ("chat:write",),
    "chat.update": ("chat:write",),
    "chat.postEphemeral": ("chat:write",),
    "chat.delete": ("chat:write",),
    "users.info": ("users:read",),
    "conversations.info": ("channels:read", "groups:read", "im:read", "mpim:read"),
    "users.conversations": ("channels:read", "groups:read", "im:read", "mpim:read"),
    "files.info": ("files:read",),
    "files.getUploadURLExternal": ("files:write",),
    "files.completeUploadExternal": ("files:write",),
}

# The methods called with the app-level token (xapp-) instead of the bot's.
_APP_TOKEN_METHODS = frozenset({"apps.connections.open"})

# Form-encoded bodies carry these as JSON strings; JSON bodies carry them as objects.
_JSON_FIELDS = frozenset({"blocks", "attachments", "view", "files", "metadata"})

_MIMETYPES = {
    "csv": "text/csv",
    "text": "text/plain",
    "txt": "text/plain",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "binary": "application/octet-stream",
}

# Trigger ids minted by SlackClient start with the issue time in epoch milliseconds.
_TRIGGER_RE = re.compile(r"^(\d{13})\.\d+\.[0-9a-f]+$")

MESSAGE_BLOCK_LIMIT = 50
VIEW_BLOCK_LIMIT = 100
TEXT_LIMIT = 40_000

_LOGIN_PAGE = b"<!DOCTYPE html><html><body>Sign in to Slack</body></html>"


@dataclass(frozen=True)
class Call:
    """One request the fake received: an API method, a response_url POST or an upload."""

    method: str
    args: dict[str, Any]
    headers: dict[str, str]
    time: float  # time.monotonic(), the clock asyncio's loop.time() uses
    status: int = 200
    tag: str | None = None  # the response_url tag, for method == "response_url"


class Download(NamedTuple):
    """One GET of a file URL on the fake, with the headers it carried."""

    path: str
    headers: dict[str, str]


class UploadedFile(TypedDict):
    """A file completed through files.completeUploadExternal."""

    file_id: str
    filename: str
    title: str
    content: bytes
    channel_id: str | None
    channels: str | None
    thread_ts: str | None
    initial_comment: str | None


class _Fault(NamedTuple):
    status: int
    body: dict[str, Any]
    headers: dict[str, str]


class SlackError(Exception):
    """Raised by a method handler to answer ``{"ok": false, "error": ...}``."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


_Handler = Callable[[dict[str, Any]], dict[str, Any]]


class FakeSlack:
    """The fake Slack server; use as ``async with FakeSlack() as slack``."""

    def __init__(
        self,
        bot_token: str = "xoxb-test",
        *,
        app_token: str = "xapp-test",
        host: str = "127.0.0.1",
        port: int = 0,
        public_host: str | None = None,
        team_id: str = "T0CALLOPS",
        bot_user_id: str = "U0CALLOPSBOT",
        bot_id: str = "B0CALLOPS",
        scopes: frozenset[str] | None = DEFAULT_SCOPES,
        trigger_ttl: float | None = 3.0,
    ) -> None:
        self.bot_token = bot_token
        self.app_token = app_token  # apps.connections.open takes this one
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.scopes = scopes  # None: no scope checks
        self.trigger_ttl = trigger_ttl  # None: trigger ids never expire
        self.file_login_page = False  # True: unauthenticated downloads get Slack's HTML login page
        self.calls: list[Call] = []
        self.downloads: list[Download] = []
        self.uploaded_files: list[UploadedFile] = []
        self.messages: dict[str, dict[str, Any]] = {}
        self.views: dict[str, dict[str, Any]] = {}
        self.home_views: dict[str, dict[str, Any]] = {}
        self.users: dict[str, dict[str, Any]] = {}
        self.channels: dict[str, dict[str, Any]] = {}
        self.members: dict[str, set[str]] = {}  # channel id → its members' user ids
        self.files: dict[str, dict[str, Any]] = {}
        self._host = host
        self._port = port
        self._public_host = public_host or host
        self._bound_port: int | None = None
        self._runner: web.AppRunner | None = None
        self._changed = asyncio.Condition()
        self._faults: dict[str, deque[_Fault]] = defaultdict(deque)
        self._channel_interval: float | None = None  # rate_limit_channels
        self._channel_retry_after = 1
        self._channel_last: dict[str, float] = {}  # channel → its last accepted message
        self._channel_closed: dict[str, float] = {}  # channel → end of its Retry-After
        self.early: list[Call] = []  # calls sent before the Retry-After they were given ran out
        self._holds: dict[str, asyncio.Event] = {}
        self._contents: dict[str, bytes] = {}
        self._redirects: dict[str, tuple[int, str]] = {}
        self._pending_uploads: dict[str, dict[str, Any]] = {}
        self._used_triggers: set[str] = set()
        self._ids = itertools.count(1)
        self._ts_base = int(time.time())
        self._handlers: dict[str, _Handler] = {
            "auth.test": self._auth_test,
            "chat.postMessage": self._chat_post_message,
            "chat.update": self._chat_update,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.delete": self._chat_delete,
            "views.open": self._views_open,
            "views.push": self._views_open,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
            "users.info": self._users_info,
            "conversations.info": self._conversations_info,
            "users.conversations": self._users_conversations,
            "files.info": self._files_info,
            "files.getUploadURLExternal": self._files_get_upload_url,
            "files.completeUploadExternal": self._files_complete_upload,
        }

    # ----- lifecycle

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def start(self) -> None:
        """Start serving on host:port (port 0 picks a free one)."""
        app = web.Application(client_max_size=100 * 1024 * 1024)
        app.router.add_route("*", "/api/{method}", self._on_api)
        app.router.add_post("/response/{tag}", self._on_response_url)
        app.router.add_post("/upload/v1/{file_id}", self._on_upload)
        app.router.add_get("/files-pri/{key}/{tail:.*}", self._on_download)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        await site.start()
        self._bound_port = self._runner.addresses[0][1]

    async def close(self) -> None:
        """Stop serving."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def url(self) -> str:
        """The server's root, e.g. ``http://127.0.0.1:54321``."""
        if self._bound_port is None:
            raise RuntimeError("FakeSlack is not started")
        return f"http://{self._public_host}:{self._bound_port}"

    @property
    def api_url(self) -> str:
        """The Web API base URL with its trailing slash, as slack_sdk expects."""
        return f"{self.url}/api/"

    # ----- test-facing helpers

    def limit_violations(self) -> list[str]:
        """Every way a recorded message or view breaks Slack's documented limits.

        Slack truncates or refuses such a message; the fake records it so a test can tell.
        """
        found: list[str] = []
        for call in self.calls:
            if call.method in _MESSAGE_METHODS:
                found += [f"{call.method}: {p}" for p in message_problems(call.args)]
            elif call.method in _VIEW_METHODS and isinstance(call.args.get("view"), dict):
                found += [f"{call.method}: {p}" for p in view_problems(call.args["view"])]
        return found

    def assert_within_limits(self) -> None:
        """Fail naming each recorded message or view that breaks one of Slack's limits."""
        problems = self.limit_violations()
        assert not problems, "messages over Slack's limits:\n" + "\n".join(problems[:20])

    def calls_to(self, method: str) -> list[Call]:
        """Return the recorded calls to one method, in order."""
        return [call for call in self.calls if call.method == method]

    async def wait_for(
        self,
        method: str,
        predicate: Callable[[Call], bool] | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - a deadline is the point of this helper
    ) -> Call:
        """Return the first call to `method` matching `predicate`, waiting up to `timeout` s."""

        def find() -> Call | None:
            for call in self.calls:
                if call.method == method and (predicate is None or predicate(call)):
                    return call
            return None

        try:
            async with asyncio.timeout(timeout), self._changed:
                while (found := find()) is None:
                    await self._changed.wait()
        except TimeoutError:
            seen = "\n".join(f"  {c.method} {_short(c.args)}" for c in self.calls) or "  (none)"
            raise AssertionError(
                f"no matching {method} call within {timeout}s; calls seen:\n{seen}"
            ) from None
        return found

    def response_url(self, tag: str | None = None) -> str:
        """Return a URL that records POSTs as ``Call(method="response_url", tag=tag)``."""
        return f"{self.url}/response/{tag or f'r{next(self._ids)}'}"

    def responses(self, tag: str) -> list[Call]:
        """Return the POSTs made to the response_url with this tag."""
        return [c for c in self.calls if c.method == "response_url" and c.tag == tag]

    def rate_limit_next(self, method: str, retry_after: int = 1, times: int = 1) -> None:
        """Answer the next `times` calls to `method` with HTTP 429 and Retry-After."""
        fault = _Fault(
            429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)}
        )
        self._faults[method].extend([fault] * times)

    def server_error_next(
        self, method: str, status: int = 500, times: int = 1, *, html: bool = False
    ) -> None:
        """Answer the next `times` calls to `method` with a server error (HTTP `status`): a
        JSON ``internal_error`` body, or the HTML page Slack's edge sends (``html``)."""
        body = {"ok": False, "error": "internal_error"}
        fault = _Fault(status, {"__html__": True} if html else body, {})
        self._faults[method].extend([fault] * times)

    def clear_faults(self, method: str) -> None:
        """Forget the faults still queued for `method` (Slack is well again)."""
        self._faults.pop(method, None)

    def rate_limit_channels(self, interval: float = 1.0, retry_after: int = 1) -> None:
        """Slack's per-channel limit: a chat.postMessage or chat.update arriving less than
        `interval` seconds after the channel's last accepted one is answered HTTP 429
        ``ratelimited`` with ``Retry-After: retry_after``."""
        self._channel_interval = interval
        self._channel_retry_after = retry_after

    def hold(self, method: str) -> asyncio.Event:
        """Delay the answers to `method` until the returned event is set.

        The call is recorded (and a message shown) at once, as on Slack, where people see a
        message before its answer has reached the bot: what they do then meets the bot in
        between.
        """
        gate = self._holds[method] = asyncio.Event()
        return gate

    def serve_socket_mode(self, url: str) -> None:
        """Answer ``apps.connections.open`` (with the app token) with this WebSocket URL.

        Until then the method is unknown, as for an app without Socket Mode.
        """

        def open_connection(args: dict[str, Any]) -> dict[str, Any]:
            return {"url": url}

        self._handlers["apps.connections.open"] = open_connection

    def fail_next(self, method: str, error: str, status: int = 200, times: int = 1) -> None:
        """Answer the next `times` calls to `method` with ``ok: false`` and this error."""
        fault = _Fault(status, {"ok": False, "error": error}, {})
        self._faults[method].extend([fault] * times)

    def add_user(
        self,
        user_id: str,
        name: str,
        email: str | None = None,
        *,
        locale: str | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """Register a user that users.info will answer for (``locale`` only to a call with
        ``include_locale``, as Slack does)."""
        profile: dict[str, Any] = {"real_name": name, "display_name": name}
        if email is not None:
            profile["email"] = email
        user = {
            "id": user_id,
            "team_id": self.team_id,
            "name": name,
            "real_name": name,
            "tz": "Asia/Ho_Chi_Minh",
            "is_bot": False,
            "profile": profile,
            **({"locale": locale} if locale is not None else {}),
            **extra,
        }
        self.users[user_id] = user
        return user

    def add_channel(
        self,
        channel_id: str,
        name: str,
        is_private: bool = False,
        members: Iterable[str] = (),
    ) -> dict[str, Any]:
        """Register a channel that conversations.info will answer for (and users.conversations
        for each of ``members``)."""
        channel = {
            "id": channel_id,
            "name": name,
            "is_channel": not is_private,
            "is_group": is_private,
            "is_private": is_private,
            "is_im": False,
            "is_member": True,
        }
        self.channels[channel_id] = channel
        self.members[channel_id] = set(members)
        return channel

    def join(self, user_id: str, *channel_ids: str) -> None:
        """Make ``user_id`` a member of channels (registered with their id as name if new)."""
        for channel_id in channel_ids:
            if channel_id not in self.channels:
                self.add_channel(channel_id, channel_id.lower())
            self.members[channel_id].add(user_id)

    def add_file(
        self,
        file_id: str,
        content: bytes,
        name: str,
        filetype: str = "csv",
        *,
        title: str | None = None,
        mimetype: str | None = None,
        host: str | None = None,
    ) -> dict[str, Any]:
        """Store a file and return its Slack file object; `host` serves it from another fake."""
        base = host or self.url
        path = f"/files-pri/{self.team_id}-{file_id}"
        file = {
            "id": file_id,
            "created": int(time.time()),
            "timestamp": int(time.time()),
            "name": name,
            "title": title or name,
            "mimetype": mimetype or _MIMETYPES.get(filetype, "application/octet-stream"),
            "filetype": filetype,
            "pretty_type": filetype.upper(),
            "user": "U0OPS1",
            "mode": "hosted",
            "is_external": False,
            "size": len(content),
            "url_private": f"{base}{path}/{name}",
            "url_private_download": f"{base}{path}/download/{name}",
            "permalink": f"{base}/files/{file_id}/{name}",
        }
        self.files[file_id] = file
        self._contents[file_id] = content
        return file

    def redirect_file(self, file_id: str, location: str, status: int = 302) -> None:
        """Answer downloads of a stored file with a redirect to ``location`` instead of it."""
        self._redirects[file_id] = (status, location)

    # ----- HTTP endpoints

    async def _on_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await _read_args(request)
        headers = dict(request.headers)
        now = time.monotonic()
        channel = args.get("channel") if method in _CHANNEL_METHODS else None
        channel = channel if isinstance(channel, str) else None
        early = channel is not None and now < self._channel_closed.get(channel, float("-inf"))
        limited = self._channel_limit(method, channel, now)
        status, body, extra_headers = limited or self._answer(method, args, _token(headers, args))
        if channel is not None and status == 200 and body.get("ok"):
            self._channel_last[channel] = now
        if channel is not None and status == 429:
            self._channel_closed[channel] = now + float(extra_headers.get("Retry-After", "1"))
        call = Call(method, args, headers, now, status)
        if early:
            self.early.append(call)
        await self._record(call)
        held = self._holds.get(method)
        if held is not None:
            await held.wait()
        if body.get("__html__"):
            return web.Response(status=status, text=_ERROR_PAGE, content_type="text/html")
        return web.json_response(body, status=status, headers=extra_headers)

    def _channel_limit(
        self, method: str, channel: str | None, now: float
    ) -> tuple[int, dict[str, Any], dict[str, str]] | None:
        """HTTP 429 for a message that comes too soon after its channel's last one (nothing
        is posted or changed then), in ``rate_limit_channels`` mode; None otherwise."""
        if self._channel_interval is None or channel is None or self._faults.get(method):
            return None
        last = self._channel_last.get(channel)
        closed = now < self._channel_closed.get(channel, float("-inf"))
        if not closed and (last is None or now - last >= self._channel_interval):
            return None
        headers = {"Retry-After": str(self._channel_retry_after)}
        return 429, {"ok": False, "error": "ratelimited"}, headers

    async def _on_response_url(self, request: web.Request) -> web.Response:
        args = await _read_args(request)
        tag = request.match_info["tag"]
        await self._record(
            Call("response_url", args, dict(request.headers), time.monotonic(), tag=tag)
        )
        return web.Response(text="ok", content_type="text/plain")

    async def _on_upload(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        pending = self._pending_uploads.get(file_id)
        content = await _read_upload(request)
        status = 404 if pending is None else 200
        if pending is not None:
            pending["content"] = content
        call = Call(
            "upload_url",
            {"file_id": file_id, "length": len(content)},
            dict(request.headers),
            time.monotonic(),
            status,
        )
        await self._record(call)
        text = "Not Found" if pending is None else f"OK - {len(content)}"
        return web.Response(status=status, text=text, content_type="text/plain")

    async def _on_download(self, request: web.Request) -> web.Response:
        self.downloads.append(Download(request.path, dict(request.headers)))
        file_id = request.match_info["key"].rpartition("-")[2]
        if file_id in self._redirects:
            status, location = self._redirects[file_id]
            return web.Response(status=status, headers={"Location": location})
        authorised = request.headers.get("Authorization") == f"Bearer {self.bot_token}"
        if self.scopes is not None and "files:read" not in self.scopes:
            authorised = False
        if not authorised:
            if self.file_login_page:
                return web.Response(body=_LOGIN_PAGE, content_type="text/html")
            return web.Response(status=403, text="Forbidden", content_type="text/plain")
        file = self.files.get(file_id)
        if file is None:
            return web.Response(status=404, text="Not Found", content_type="text/plain")
        return web.Response(
            body=self._contents[file_id],
            headers={
                "Content-Type": file["mimetype"],
                "Content-Disposition": f'attachment; filename="{file["name"]}"',
            },
        )

    async def _record(self, call: Call) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    def _answer(
        self, method: str, args: dict[str, Any], token: str | None
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        faults = self._faults.get(method)
        if faults:
            return faults.popleft()
        handler = self._handlers.get(method)
        if handler is None:
            return 200, {"ok": False, "error": "unknown_method"}, {}
        if not token:
            return 200, {"ok": False, "error": "not_authed"}, {}
        if token != (self.app_token if method in _APP_TOKEN_METHODS else self.bot_token):
            return 200, {"ok": False, "error": "invalid_auth"}, {}
        needed = METHOD_SCOPES.get(method, ())
        if needed and self.scopes is not None and not self.scopes.intersection(needed):
            provided = ",".join(sorted(self.scopes))
            error = {"ok": False, "error": "missing_scope", "needed": needed[0]}
            return 200, {**error, "provided": provided}, {}
        try:
            body = {"ok": True, **handler(args)}
        except SlackError as exc:
            body = {"ok": False, "error": exc.error, **exc.extra}
        headers = {}
        if self.scopes is not None:
            headers["X-OAuth-Scopes"] = ",".join(sorted(self.scopes))
        return 200, body, headers

    # ----- Web API methods

    def _auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": "https://callops-test.slack.com/",
            "team": "callops test",
            "user": "callops",
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _chat_post_message(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = _dm_channel(_require(args, "channel", "channel_not_found"))
        _check_message(args)
        ts = self._next_ts()
        message = {
            "type": "message",
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "ts": ts,
            "channel": channel,
            "text": args.get("text", ""),
            "blocks": args.get("blocks", []),
        }
        for key in ("attachments", "thread_ts", "metadata"):
            if args.get(key):
                message[key] = args[key]
        self.messages[ts] = message
        return {"channel": channel, "ts": ts, "message": message}

    def _chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = _require(args, "channel", "channel_not_found")
        ts = _require(args, "ts", "message_not_found")
        message = self.messages.get(ts)
        if message is None or message["channel"] != channel:
            raise SlackError("message_not_found")
        _check_message(args)
        for key in ("text", "blocks", "attachments", "metadata"):
            if key in args:
                message[key] = args[key]
        return {"channel": channel, "ts": ts, "text": message["text"], "message": message}

    def _chat_post_ephemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        _require(args, "channel", "channel_not_found")
        _require(args, "user", "user_not_found")
        _check_message(args)
        return {"message_ts": self._next_ts()}

    def _chat_delete(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = _require(args, "channel", "channel_not_found")
        ts = _require(args, "ts", "message_not_found")
        message = self.messages.get(ts)
        if message is None or message["channel"] != channel:
            raise SlackError("message_not_found")
        del self.messages[ts]
        return {"channel": channel, "ts": ts}

    def _views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        self._use_trigger(_require(args, "trigger_id", "invalid_arguments"))
        payload = _view_payload(args, "modal")
        view = self._new_view(payload)
        return {"view": view}

    def _views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        view_id = args.get("view_id")
        external_id = args.get("external_id")
        view = self.views.get(view_id) if view_id else None
        if view is None and external_id:
            view = next((v for v in self.views.values() if v["external_id"] == external_id), None)
        if view is None:
            raise SlackError("not_found")
        if args.get("hash") and args["hash"] != view["hash"]:
            raise SlackError("hash_conflict")
        view.update(self._view_fields(_view_payload(args, view["type"])))
        view["hash"] = self._new_hash()
        return {"view": view}

    def _views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        user_id = _require(args, "user_id", "invalid_arguments")
        payload = _view_payload(args, "home")
        current = self.home_views.get(user_id)
        if args.get("hash") and (current is None or args["hash"] != current["hash"]):
            raise SlackError("hash_conflict")
        view = self._new_view(payload, view_id=current["id"] if current else None)
        self.home_views[user_id] = view
        return {"view": view}

    def _users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user_id = _require(args, "user", "user_not_found")
        if user_id not in self.users:
            raise SlackError("user_not_found")
        user = json.loads(json.dumps({"id": user_id, **self.users[user_id]}))
        if self.scopes is not None and "users:read.email" not in self.scopes:
            user.get("profile", {}).pop("email", None)
        if str(args.get("include_locale", "")).lower() not in ("true", "1"):
            user.pop("locale", None)
        return {"user": user}

    def _conversations_info(self, args: dict[str, Any]) -> dict[str, Any]:
        channel_id = _require(args, "channel", "channel_not_found")
        if channel_id not in self.channels:
            raise SlackError("channel_not_found")
        return {"channel": {"id": channel_id, **self.channels[channel_id]}}

    def _users_conversations(self, args: dict[str, Any]) -> dict[str, Any]:
        """The channels ``user`` is in, a page of ``limit`` at a time (cursor: an offset)."""
        user_id = _require(args, "user", "user_not_found")
        limit = int(args.get("limit") or 100)
        offset = int(args.get("cursor") or 0)
        ids = sorted(c for c, members in self.members.items() if user_id in members)
        page = ids[offset : offset + limit]
        more = offset + limit < len(ids)
        return {
            "channels": [{"id": c, **self.channels[c]} for c in page],
            "response_metadata": {"next_cursor": str(offset + limit) if more else ""},
        }

    def _files_info(self, args: dict[str, Any]) -> dict[str, Any]:
        file_id = _require(args, "file", "file_not_found")
        if file_id not in self.files:
            raise SlackError("file_not_found")
        return {"file": self.files[file_id], "comments": [], "response_metadata": {}}

    def _files_get_upload_url(self, args: dict[str, Any]) -> dict[str, Any]:
        filename = _require(args, "filename", "invalid_arguments")
        length = str(_require(args, "length", "invalid_arguments"))
        if not length.isdigit():
            raise SlackError("invalid_arguments")
        file_id = f"F{next(self._ids):010d}"
        self._pending_uploads[file_id] = {
            "filename": filename,
            "length": int(length),
            "content": None,
        }
        return {"upload_url": f"{self.url}/upload/v1/{file_id}", "file_id": file_id}

    def _files_complete_upload(self, args: dict[str, Any]) -> dict[str, Any]:
        entries = args.get("files")
        if not isinstance(entries, list) or not entries:
            raise SlackError("invalid_arguments")
        completed = []
        for entry in entries:
            pending = self._pending_uploads.get(entry.get("id", ""))
            if pending is None or pending["content"] is None:
                raise SlackError("file_not_found")
        for entry in entries:
            pending = self._pending_uploads.pop(entry["id"])
            filename = pending["filename"]
            title = entry.get("title") or filename
            filetype = filename.rpartition(".")[2].lower() if "." in filename else "binary"
            file = self.add_file(entry["id"], pending["content"], filename, filetype, title=title)
            completed.append({"id": file["id"], "title": title, **file})
            self.uploaded_files.append(
                UploadedFile(
                    file_id=file["id"],
                    filename=filename,
                    title=title,
                    content=pending["content"],
                    channel_id=args.get("channel_id"),
                    channels=args.get("channels"),
                    thread_ts=args.get("thread_ts"),
                    initial_comment=args.get("initial_comment"),
                )
            )
        return {"files": completed}

    # ----- internals

    def _next_ts(self) -> str:
        return f"{self._ts_base}.{next(self._ids):06d}"

    def _new_hash(self) -> str:
        return f"{int(time.time())}.{next(self._ids):08d}"

    def _use_trigger(self, trigger_id: str) -> None:
        if trigger_id in self._used_triggers:
            raise SlackError("trigger_exchanged")
        match = _TRIGGER_RE.match(trigger_id)
        if match and self.trigger_ttl is not None:
            age = time.time() - int(match.group(1)) / 1000
            if age > self.trigger_ttl:
                raise SlackError("expired_trigger_id")
        self._used_triggers.add(trigger_id)

    def _new_view(self, payload: dict[str, Any], view_id: str | None = None) -> dict[str, Any]:
        view_id = view_id or f"V{next(self._ids):010d}"
        view = {
            "id": view_id,
            "team_id": self.team_id,
            "app_id": "A0CALLOPS",
            "bot_id": self.bot_id,
            "state": {"values": {}},
            "hash": self._new_hash(),
            "root_view_id": view_id,
            "previous_view_id": None,
            **self._view_fields(payload),
        }
        self.views[view_id] = view
        return view

    @staticmethod
    def _view_fields(payload: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": payload["type"],
            "callback_id": payload.get("callback_id", ""),
            "private_metadata": payload.get("private_metadata", ""),
            "external_id": payload.get("external_id", ""),
            "title": payload.get("title"),
            "submit": payload.get("submit"),
            "close": payload.get("close"),
            "blocks": payload.get("blocks", []),
            "clear_on_close": payload.get("clear_on_close", False),
            "notify_on_close": payload.get("notify_on_close", False),
        }


def _require(args: dict[str, Any], key: str, error: str) -> Any:
    value = args.get(key)
    if value in (None, ""):
        raise SlackError(error)
    return value


def _dm_channel(channel: str) -> str:
    # Posting to a user id lands in the bot's DM with that user, as on Slack.
    return f"D{channel[1:]}" if channel[:1] in ("U", "W") else channel


def _check_message(args: dict[str, Any]) -> None:
    if not (args.get("text") or args.get("blocks") or args.get("attachments")):
        raise SlackError("no_text")
    if len(args.get("text") or "") > TEXT_LIMIT:
        raise SlackError("msg_too_long")
    blocks = args.get("blocks") or []
    if not isinstance(blocks, list) or len(blocks) > MESSAGE_BLOCK_LIMIT:
        raise SlackError("invalid_blocks")


def _view_payload(args: dict[str, Any], expected_type: str) -> dict[str, Any]:
    view = args.get("view")
    if not isinstance(view, dict) or view.get("type") != expected_type:
        raise SlackError("invalid_arguments")
    if len(view.get("blocks") or []) > VIEW_BLOCK_LIMIT:
        raise SlackError("invalid_arguments")
    return view


def _token(headers: dict[str, str], args: dict[str, Any]) -> str | None:
    auth = headers.get("Authorization", "")
    if auth.startswith("Bearer "):
        return auth.removeprefix("Bearer ").strip()
    token = args.get("token")
    return token if isinstance(token, str) else None


async def _read_args(request: web.Request) -> dict[str, Any]:
    """Merge query string and body (JSON, form or multipart) into one dict, as Slack does."""
    args: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        raw = await request.read()
        body = json.loads(raw) if raw.strip() else {}
        if isinstance(body, dict):
            args.update(body)
        return args
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                args[key] = {"filename": value.filename, "content": value.file.read()}
            else:
                args[key] = value
    for key in _JSON_FIELDS.intersection(args):
        value = args[key]
        if isinstance(value, str) and value[:1] in ("[", "{"):
            args[key] = json.loads(value)
    return args


async def _read_upload(request: web.Request) -> bytes:
    """Return the uploaded bytes: the raw body (slack_sdk) or a multipart file part."""
    if request.content_type == "multipart/form-data":
        form = await request.post()
        for value in form.values():
            if isinstance(value, web.FileField):
                return value.file.read()
        return b""
    return await request.read()


def _short(args: dict[str, Any], limit: int = 160) -> str:
    text = json.dumps(args, default=repr, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Slack's documented limits (characters unless said):
# https://api.slack.com/changelog/2018-04-truncating-really-long-messages — 40,000 a text;
# https://api.slack.com/reference/block-kit/blocks — 50 blocks a message, 100 a modal or
# Home tab; section text 3000, at most 10 fields of 2000; context at most 10 elements;
# header 150; actions at most 25 elements; input label 2000, hint 2000;
# https://api.slack.com/reference/block-kit/composition-objects#text — any text object 3000;
# https://api.slack.com/reference/block-kit/block-elements — button text 75, value 2000;
# plain_text_input max_length at most 3000; https://api.slack.com/reference/surfaces/views —
# a modal title, submit and close 24, private_metadata 3000.
_MESSAGE_METHODS = frozenset(
    {"chat.postMessage", "chat.update", "chat.postEphemeral", "response_url"}
)
_VIEW_METHODS = frozenset({"views.open", "views.update", "views.push", "views.publish"})
# The methods Slack limits to about one a second per channel.
_CHANNEL_METHODS = frozenset({"chat.postMessage", "chat.update"})
_ERROR_PAGE = "<!DOCTYPE html><html><body>Slack is having trouble</body></html>"
# Characters that ``bot.hygiene.clean`` removes: never in what the bot sends.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def message_problems(args: dict[str, Any]) -> list[str]:
    """The limits a message (chat.* arguments or a response_url body) breaks."""
    problems: list[str] = []
    text = args.get("text")
    if isinstance(text, str):
        if len(text) > TEXT_LIMIT:
            problems.append(f"text has {len(text)} characters (limit {TEXT_LIMIT})")
        if _UNSAFE.search(text):
            problems.append(f"text has a control or bidi character: {text[:80]!r}")
    blocks = args.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    if len(blocks) > MESSAGE_BLOCK_LIMIT:
        problems.append(f"{len(blocks)} blocks (limit {MESSAGE_BLOCK_LIMIT})")
    for index, block in enumerate(blocks):
        problems += [f"block {index}: {p}" for p in block_problems(block)]
    return problems


def view_problems(view: dict[str, Any]) -> list[str]:
    """The limits a modal or Home tab breaks."""
    problems: list[str] = []
    blocks = view.get("blocks") or []
    if len(blocks) > VIEW_BLOCK_LIMIT:
        problems.append(f"{len(blocks)} blocks (limit {VIEW_BLOCK_LIMIT})")
    for key in ("title", "submit", "close"):
        problems += _text_problems(view.get(key), f"view {key}", 24)
    if len(view.get("private_metadata") or "") > 3000:
        problems.append("private_metadata over 3000 characters")
    for index, block in enumerate(blocks):
        problems += [f"block {index}: {p}" for p in block_problems(block)]
    return problems


def block_problems(block: dict[str, Any]) -> list[str]:
    """The limits one block breaks."""
    kind = block.get("type")
    problems: list[str] = []
    if kind == "section":
        problems += _text_problems(block.get("text"), "section text", 3000)
        fields = block.get("fields") or []
        if len(fields) > 10:
            problems.append(f"section has {len(fields)} fields (limit 10)")
        for field in fields:
            problems += _text_problems(field, "section field", 2000)
        if isinstance(block.get("accessory"), dict):
            problems += _element_problems(block["accessory"])
    elif kind == "context":
        elements = block.get("elements") or []
        if len(elements) > 10:
            problems.append(f"context has {len(elements)} elements (limit 10)")
        for element in elements:
            if element.get("type") in ("mrkdwn", "plain_text"):
                problems += _text_problems(element, "context text", 3000)
    elif kind == "header":
        problems += _text_problems(block.get("text"), "header", 150)
    elif kind == "actions":
        elements = block.get("elements") or []
        if len(elements) > 25:
            problems.append(f"actions has {len(elements)} elements (limit 25)")
        for element in elements:
            problems += _element_problems(element)
    elif kind == "input":
        problems += _text_problems(block.get("label"), "input label", 2000)
        problems += _text_problems(block.get("hint"), "input hint", 2000)
        element = block.get("element") or {}
        if int(element.get("max_length") or 0) > 3000:
            problems.append("plain_text_input max_length over 3000")
    return problems


def _element_problems(element: dict[str, Any]) -> list[str]:
    if element.get("type") != "button":
        return []
    problems = _text_problems(element.get("text"), "button text", 75)
    if len(str(element.get("value") or "")) > 2000:
        problems.append("button value over 2000 characters")
    return problems


def _text_problems(obj: Any, what: str, limit: int) -> list[str]:
    if not isinstance(obj, dict):
        return []
    text = str(obj.get("text") or "")
    problems = []
    if len(text) > limit:
        problems.append(f"{what} has {len(text)} characters (limit {limit})")
    if _UNSAFE.search(text):
        problems.append(f"{what} has a control or bidi character: {text[:80]!r}")
    return problems
