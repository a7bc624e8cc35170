"""Where the bot token may be sent: Slack's file host over https, or ``SLACK_API_URL``'s origin.

A file URL arrives inside a Slack payload; the bot fetches it with ``Authorization: Bearer
<bot token>``, so the URL decides who sees the token. It is parsed once, with httpx's parser
(the same one that then makes the request, so the host checked is the host connected to), and
allowed only when its origin is one of:

- ``https://files.slack.com`` (port 443): the host of every ``url_private`` /
  ``url_private_download`` in Slack's file objects
  (https://docs.slack.dev/reference/objects/file-object elides the host; the files Slack hands
  out are ``https://files.slack.com/files-pri/<team>-<file>/…``). Slack's older reference
  example (https://docs.slack.dev/reference/methods/files.sharedPublicURL) shows
  ``https://slack.com/files-pri/…``: that is the Web API's own origin, allowed below.
  ``slack-files.com`` (thumbnails, public permalinks) is not needed to read an upload.
- exactly the scheme, host and port of ``SLACK_API_URL`` (``https://slack.com`` in production,
  the fake Slack in tests): the token goes there for every API call anyway.

Userinfo is refused outright (``https://files.slack.com@evil.example/`` is a URL for
``evil.example``, and httpx would turn userinfo into its own ``Authorization`` header).
Host names compare in IDNA ASCII form, lower case, without one trailing dot, so
``FILES.SLACK.COM.`` is Slack and a Cyrillic look-alike (``files.xn--slck-63d.com``) is not.
"""

from __future__ import annotations

from typing import NamedTuple

import httpx

from bot.chat import DownloadRefused

SLACK_FILE_HOSTS = frozenset({"files.slack.com"})
_DEFAULT_PORTS = {"http": 80, "https": 443}


class Origin(NamedTuple):
    """A URL's scheme, normalized host and port (the default port filled in)."""

    scheme: str
    host: str
    port: int

    def __str__(self) -> str:
        default = _DEFAULT_PORTS.get(self.scheme)
        port = "" if self.port in (default, 0) else f":{self.port}"
        return f"{self.scheme}://{self.host}{port}"


def origin_of(url: httpx.URL) -> Origin:
    """The origin of a parsed URL; the host lower case ASCII (IDNA), one trailing dot dropped."""
    host = url.raw_host.decode("ascii").lower()
    if host.endswith(".") and not host.endswith(".."):
        host = host[:-1]
    port = url.port or _DEFAULT_PORTS.get(url.scheme, 0)
    return Origin(url.scheme, host, port)


def allowed_origins(api_url: str) -> frozenset[Origin]:
    """Slack's file hosts over https, and the origin of ``SLACK_API_URL``."""
    files = {Origin("https", host, 443) for host in SLACK_FILE_HOSTS}
    return frozenset(files | {origin_of(httpx.URL(api_url))})


def token_url(url: str, allowed: frozenset[Origin]) -> httpx.URL:
    """``url`` parsed, its host normalized, when the token may go there; else ``DownloadRefused``.

    The refusal's argument says where the URL pointed (an origin, never a path or userinfo).
    """
    try:
        parsed = httpx.URL(url)
        origin = origin_of(parsed)
    except (httpx.InvalidURL, UnicodeError, ValueError) as exc:
        raise DownloadRefused(url[:60].replace("`", "'")) from exc
    if parsed.userinfo or origin not in allowed or not origin.host:
        raise DownloadRefused(str(origin))
    return parsed.copy_with(host=origin.host)
