"""manifest.yml: valid against the Slack manifest schema, and rendered right for HTTP mode."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from bot.manifest import events_url, manifest_template, render_manifest

REPO = Path(__file__).resolve().parents[1]
# A copy kept in the repository (origin in tests/schemas/README.md): a fresh clone skips nothing.
SCHEMA = REPO / "tests" / "schemas" / "slack-app-manifest.schema.json"

COMMANDS = ["/callops", "/contact", "/import", "/job", "/queue", "/calls"]
SCOPES = [
    "commands",
    "channels:read",  # App Home: the channels a user is in (users.conversations)
    "chat:write",
    "chat:write.public",
    "files:read",
    "files:write",
    "groups:read",  # … private ones too
    "users:read",
    "users:read.email",
]
PLACEHOLDER = "https://callops.example.com/slack/events"


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    """A validator for the Slack app manifest schema."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _errors(validator: jsonschema.protocols.Validator, manifest: dict[str, Any]) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(manifest)
    ]


def _request_urls(manifest: dict[str, Any]) -> list[str]:
    settings = manifest["settings"]
    return [
        *(command["url"] for command in manifest["features"]["slash_commands"]),
        settings["interactivity"]["request_url"],
        settings["event_subscriptions"]["request_url"],
    ]


def test_root_manifest_is_an_identical_copy_of_the_packaged_template() -> None:
    assert (REPO / "manifest.yml").read_bytes() == (REPO / "bot" / "manifest.yml").read_bytes()
    assert manifest_template() == (REPO / "manifest.yml").read_text(encoding="utf-8")


def test_manifest_validates_against_the_slack_schema(
    validator: jsonschema.protocols.Validator,
) -> None:
    manifest = yaml.safe_load((REPO / "manifest.yml").read_text(encoding="utf-8"))
    assert _errors(validator, manifest) == []


def test_manifest_declares_commands_scopes_event_and_surfaces() -> None:
    manifest = yaml.safe_load(manifest_template())
    assert manifest["display_information"]["name"] == "callops"
    assert manifest["features"]["bot_user"]["display_name"] == "callops"

    commands = manifest["features"]["slash_commands"]
    assert [c["command"] for c in commands] == COMMANDS
    for command in commands:
        assert command["description"].strip() and command["usage_hint"].strip(), command
        assert command["description"].isascii() and command["usage_hint"].isascii(), command

    assert manifest["oauth_config"]["scopes"]["bot"] == SCOPES
    assert "user" not in manifest["oauth_config"]["scopes"]

    settings = manifest["settings"]
    assert settings["event_subscriptions"]["bot_events"] == ["app_home_opened"]
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["socket_mode_enabled"] is True
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True
    assert _request_urls(manifest) == [PLACEHOLDER] * (len(COMMANDS) + 2)


def test_render_without_url_returns_the_template_unchanged() -> None:
    assert render_manifest(None) == manifest_template()


@pytest.mark.parametrize(
    "url",
    [
        "https://ops.example.vn",
        "https://ops.example.vn/",
        "https://ops.example.vn/slack/events",
    ],
)
def test_render_with_url_sets_every_request_url_and_turns_socket_mode_off(
    url: str, validator: jsonschema.protocols.Validator
) -> None:
    rendered = yaml.safe_load(render_manifest(url))
    assert _errors(validator, rendered) == []
    assert _request_urls(rendered) == ["https://ops.example.vn/slack/events"] * (len(COMMANDS) + 2)
    assert rendered["settings"]["socket_mode_enabled"] is False

    template = yaml.safe_load(manifest_template())
    for manifest in (template, rendered):
        for command in manifest["features"]["slash_commands"]:
            command.pop("url")
        manifest["settings"]["interactivity"].pop("request_url")
        manifest["settings"]["event_subscriptions"].pop("request_url")
        manifest["settings"].pop("socket_mode_enabled")
    assert rendered == template


def test_render_keeps_a_path_prefix_of_the_url() -> None:
    assert (
        events_url("https://host.example/callops/") == "https://host.example/callops/slack/events"
    )


@pytest.mark.parametrize(
    "url",
    ["callops.example.com", "http://callops.example.com", "https://", "https://h.example/?x=1"],
)
def test_render_refuses_a_url_slack_would_not_accept(url: str) -> None:
    with pytest.raises(ValueError, match="https URL"):
        render_manifest(url)
