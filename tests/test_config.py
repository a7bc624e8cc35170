"""callops.yml: every mistake an admin can make gets one sentence naming the key to fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.config import (
    AICallCenterConnection,
    AlohubConnection,
    Config,
    OmicallConnection,
    RateLimit,
    VbeeConnection,
    load_config,
    parse_config,
)
from bot.errors import ConfigError

FULL = """\
language: vi
timezone: Asia/Ho_Chi_Minh
database_url: sqlite:///callops.db
admins: [U0ADMIN1]
operators: []
audit_channel: C0AUDIT
connections:
  alohub-main:
    provider: alohub
    base_url: https://xapi.alohub.vn/
    api_key: "${ALOHUB_API_KEY}"
    tenant_id: "20260310"
    rate_limit: "50/10s"
  vbee: {provider: vbee, base_url: https://aicall.vbee.ai,
         api_key: "${VBEE_API_KEY}", api_secret: "${VBEE_API_SECRET}"}
  aicc: {provider: aicallcenter, base_url: https://es.aicallcenter.vn,
         secret_key: "${AICC_SECRET_KEY}"}
  crm: {provider: omicall, base_url: "https://crm.example.vn",
        access_token: "${OMICALL_TOKEN}", phone_format: e164}
channels:
  C0OPS: [alohub-main, aicc, crm]
  "*": [aicc]
"""

ENV = {
    "ALOHUB_API_KEY": "ak-1",
    "VBEE_API_KEY": "vk-1",
    "VBEE_API_SECRET": "vs-1",
    "AICC_SECRET_KEY": "as-1",
    "OMICALL_TOKEN": "ot-1",
}

ALOHUB = {"provider": "alohub", "base_url": "https://xapi.alohub.vn", "api_key": "k"}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "callops.yml"
    path.write_text(text, encoding="utf-8")
    return path


def config_error(raw: dict[str, Any], env: dict[str, str] | None = None) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        parse_config(raw, "callops.yml", env or {})
    assert caught.value.__cause__ is None  # no pydantic trace (it would echo values)
    return caught.value


def with_connection(**fields: Any) -> dict[str, Any]:
    return {"connections": {"main": {**ALOHUB, **fields}}}


# A good file


def test_the_example_of_product_md_loads(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, FULL), ENV)
    assert config.language == "vi"
    assert config.tz.key == "Asia/Ho_Chi_Minh"
    assert list(config.connections) == ["alohub-main", "vbee", "aicc", "crm"]
    alohub = config.connections["alohub-main"]
    assert isinstance(alohub, AlohubConnection)
    assert alohub.name == "alohub-main"
    assert alohub.base_url == "https://xapi.alohub.vn"  # trailing slash dropped
    assert alohub.api_key.get_secret_value() == "ak-1"
    assert alohub.tenant_id == "20260310"
    assert alohub.rate_limit == RateLimit(count=50, seconds=10)
    assert isinstance(config.connections["vbee"], VbeeConnection)
    assert isinstance(config.connections["aicc"], AICallCenterConnection)
    crm = config.connections["crm"]
    assert isinstance(crm, OmicallConnection)
    assert crm.phone_format == "e164"
    assert config.channels == {"C0OPS": ["alohub-main", "aicc", "crm"], "*": ["aicc"]}


def test_the_path_comes_from_callops_config_when_not_given(tmp_path: Path) -> None:
    path = write(tmp_path, FULL)
    config = load_config(None, {**ENV, "CALLOPS_CONFIG": str(path)})
    assert "crm" in config.connections


def test_database_url_from_the_environment_overrides_the_file(tmp_path: Path) -> None:
    url = "postgresql+psycopg://callops@db:5432/callops"
    config = load_config(write(tmp_path, FULL), {**ENV, "DATABASE_URL": url})
    assert config.database_url == url


def test_database_url_defaults_to_the_file_then_to_sqlite() -> None:
    assert parse_config(with_connection(), "f", {}).database_url == "sqlite:///callops.db"
    raw = {**with_connection(), "database_url": "sqlite:///other.db"}
    assert parse_config(raw, "f", {}).database_url == "sqlite:///other.db"


def test_a_variable_inside_a_longer_string_is_expanded() -> None:
    raw = with_connection(base_url="https://${HOST}/api")
    conn = parse_config(raw, "f", {"HOST": "xapi-dev.alohub.vn"}).connections["main"]
    assert conn.base_url == "https://xapi-dev.alohub.vn/api"


@pytest.mark.parametrize(
    ("text", "count", "seconds"),
    [
        ("50/10s", 50, 10.0),
        ("50 / 10 s", 50, 10.0),
        ("20/s", 20, 1.0),
        ("100/m", 100, 60.0),
        ("600/1h", 600, 3600.0),
        ("5/500ms", 5, 0.5),
        ("3/1.5m", 3, 90.0),
    ],
)
def test_rate_limit_forms(text: str, count: int, seconds: float) -> None:
    conn = parse_config(with_connection(rate_limit=text), "f", {}).connections["main"]
    assert conn.rate_limit == RateLimit(count=count, seconds=seconds)


def test_rate_limit_may_be_written_as_a_mapping() -> None:
    raw = with_connection(rate_limit={"count": 20, "seconds": 10})
    assert parse_config(raw, "f", {}).connections["main"].rate_limit == RateLimit(
        count=20, seconds=10
    )


def test_no_rate_limit_means_none() -> None:
    assert parse_config(with_connection(), "f", {}).connections["main"].rate_limit is None


def test_rate_limit_reads_back_as_written() -> None:
    assert str(RateLimit.model_validate("50/10s")) == "50/10s"


# Every mistake, with the key path in the sentence


def test_a_missing_variable_names_itself_and_where_it_is_used() -> None:
    error = config_error(with_connection(api_key="${ALOHUB_API_KEY}"))
    assert error.key_path == "connections.main.api_key"
    assert "ALOHUB_API_KEY" in str(error)
    assert "connections.main.api_key" in str(error)


def test_a_missing_variable_in_a_list_names_its_index() -> None:
    raw = {**with_connection(), "admins": ["U1", "${SECOND_ADMIN}"]}
    assert config_error(raw).key_path == "admins[1]"


def test_an_unknown_provider_names_the_connection() -> None:
    error = config_error({"connections": {"legacy": {**ALOHUB, "provider": "stringee"}}})
    assert error.key_path == "connections.legacy.provider"
    assert "stringee" in str(error)
    assert "alohub, vbee, aicallcenter, omicall" in str(error)


def test_a_connection_without_a_provider_says_so() -> None:
    error = config_error({"connections": {"x": {"base_url": "https://a.b"}}})
    assert error.key_path == "connections.x.provider"
    assert "no provider" in str(error)


@pytest.mark.parametrize(
    ("fields", "missing", "needed"),
    [
        ({"provider": "alohub"}, "api_key", "api_key"),
        ({"provider": "vbee", "api_key": "k"}, "api_secret", "api_key and api_secret"),
        ({"provider": "vbee", "api_secret": "s"}, "api_key", "api_key and api_secret"),
        ({"provider": "aicallcenter"}, "secret_key", "secret_key"),
        ({"provider": "omicall"}, "access_token", "access_token"),
    ],
)
def test_a_missing_credential_names_the_key_and_what_the_provider_needs(
    fields: dict[str, str], missing: str, needed: str
) -> None:
    error = config_error({"connections": {"acct": {"base_url": "https://h.vn", **fields}}})
    assert error.key_path == f"connections.acct.{missing}"
    assert f"connections.acct.{missing}" in str(error)
    assert "credential is missing" in str(error)
    assert needed in str(error)


def test_a_missing_base_url_is_not_called_a_credential() -> None:
    error = config_error({"connections": {"acct": {"provider": "alohub", "api_key": "k"}}})
    assert error.key_path == "connections.acct.base_url"
    assert "credential" not in str(error)
    assert "required" in str(error)


@pytest.mark.parametrize("rate", ["50 per 10s", "50/10", "fast", "0/10s", "5/0s", "-1/10s", 50])
def test_a_malformed_rate_limit_names_the_key_and_the_form(rate: Any) -> None:
    error = config_error(with_connection(rate_limit=rate))
    assert error.key_path == "connections.main.rate_limit"
    assert repr(rate) in str(error)
    assert "50/10s" in error.fix


def test_a_channel_bound_to_an_unknown_connection_names_the_channel_and_position() -> None:
    raw = {**with_connection(), "channels": {"C0OPS": ["main", "alohub-typo"]}}
    error = config_error(raw)
    assert error.key_path == "channels.C0OPS[1]"
    assert "alohub-typo" in str(error)
    assert "use one of: main" in str(error)


@pytest.mark.parametrize(
    ("raw", "key_path"),
    [
        ({**with_connection(), "langauge": "vi"}, "langauge"),
        (with_connection(api_kye="k"), "connections.main.api_kye"),
        ({**with_connection(), "imports": {"max_mb": 5}}, "imports.max_mb"),
    ],
)
def test_an_unknown_key_is_named_so_a_typo_is_caught(raw: dict[str, Any], key_path: str) -> None:
    error = config_error(raw)
    assert error.key_path == key_path
    assert key_path in str(error)
    assert "not known" in str(error)


@pytest.mark.parametrize("zone", ["Asia/Saigon_City", "GMT+7", "Asia", ""])
def test_a_bad_timezone_names_the_key(zone: str) -> None:
    error = config_error({**with_connection(), "timezone": zone})
    assert error.key_path == "timezone"
    assert "Asia/Ho_Chi_Minh" in error.fix


def test_an_old_but_valid_zone_name_is_accepted() -> None:
    assert parse_config({**with_connection(), "timezone": "Asia/Saigon"}, "f", {}).tz


def test_a_bad_base_url_names_the_key() -> None:
    error = config_error(with_connection(base_url="xapi.alohub.vn"))
    assert error.key_path == "connections.main.base_url"
    assert "'xapi.alohub.vn' is not a URL" in str(error)


def test_a_bad_language_names_the_key() -> None:
    assert config_error({**with_connection(), "language": "fr"}).key_path == "language"


def test_no_connections_at_all_is_refused() -> None:
    assert config_error({"language": "en"}).key_path == "connections"
    assert config_error({"connections": {}}).key_path == "connections"


def test_bad_yaml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "language: en\nconnections:\n  main: {provider: alohub\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path, {})
    assert caught.value.key_path.startswith("line ")
    assert "not valid YAML" in str(caught.value)
    assert str(path) in str(caught.value)


@pytest.mark.parametrize("text", ["", "- a list\n- not a mapping\n", "just words\n"])
def test_a_file_that_is_not_a_mapping_is_refused(tmp_path: Path, text: str) -> None:
    with pytest.raises(ConfigError, match="not a mapping"):
        load_config(write(tmp_path, text), {})


def test_a_missing_file_names_the_file_and_how_to_get_one(tmp_path: Path) -> None:
    path = tmp_path / "nope.yml"
    with pytest.raises(ConfigError) as caught:
        load_config(path, {})
    assert caught.value.file == str(path)
    assert "does not exist" in str(caught.value)
    assert "CALLOPS_CONFIG" in caught.value.fix


def test_a_directory_in_place_of_the_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot be read"):
        load_config(tmp_path, {})


def test_a_file_that_is_not_utf8_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "callops.yml"
    path.write_bytes("language: vi\nadmins: [Nguyễn]\n".encode("utf-16"))
    with pytest.raises(ConfigError, match="UTF-8"):
        load_config(path, {})


def test_a_config_is_frozen() -> None:
    config = parse_config(with_connection(), "f", {})
    assert isinstance(config, Config)
    with pytest.raises(ValueError):
        config.language = "vi"  # type: ignore[misc]
