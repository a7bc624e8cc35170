"""The Slack app manifest: the packaged template and its rendering for HTTP mode.

The template is ``bot/manifest.yml`` so that it ships in the wheel (package data);
the repository's root ``manifest.yml`` is an identical copy kept for people who
create the app by hand, and a test fails when the two drift apart.
"""

from __future__ import annotations

from importlib.resources import files
from typing import Any
from urllib.parse import urlsplit

import yaml

EVENTS_PATH = "/slack/events"


def manifest_template() -> str:
    """Return the manifest as shipped: placeholder request URLs, Socket Mode on."""
    return files("bot").joinpath("manifest.yml").read_text(encoding="utf-8")


def events_url(url: str) -> str:
    """Return ``{url}/slack/events`` for a public https base URL, or raise ValueError."""
    base = url.strip().rstrip("/").removesuffix(EVENTS_PATH)
    parts = urlsplit(base)
    if parts.scheme != "https" or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"expected a public https URL such as https://callops.example.com: {url}")
    return base + EVENTS_PATH


def render_manifest(url: str | None) -> str:
    """Return the manifest; with `url`, request URLs are `{url}/slack/events` and HTTP mode."""
    template = manifest_template()
    if url is None:
        return template
    request_url = events_url(url)
    manifest: dict[str, Any] = yaml.safe_load(template)
    for command in manifest["features"]["slash_commands"]:
        command["url"] = request_url
    settings = manifest["settings"]
    settings["interactivity"]["request_url"] = request_url
    settings["event_subscriptions"]["request_url"] = request_url
    settings["socket_mode_enabled"] = False
    return yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True, width=1000)
