"""``callops.yml`` and the environment, loaded into typed settings.

Loading either returns a valid ``Config`` or raises one ``ConfigError`` whose sentence
names the file, the key path and the fix. ``${VAR}`` is expanded from the environment
before validation; secrets are ``SecretStr`` so they never show in ``repr`` or logs.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import ConfigError

PROVIDERS = ("alohub", "vbee", "aicallcenter", "omicall")
DEFAULT_CONFIG = "callops.yml"
_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d+(?:\.\d+)?)?\s*(ms|s|m|h)\s*$")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


class RateLimit(BaseModel):
    """At most ``count`` requests in any window of ``seconds``."""

    model_config = ConfigDict(frozen=True)

    count: int = Field(gt=0)
    seconds: float = Field(gt=0)

    @model_validator(mode="before")
    @classmethod
    def _parse(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        match = _RATE.match(value)
        if not match:
            raise ValueError("rate_limit_format")
        count, amount, unit = match.groups()
        return {"count": int(count), "seconds": float(amount or 1) * _UNIT_SECONDS[unit]}

    def __str__(self) -> str:
        return f"{self.count}/{self.seconds:g}s"


class _Connection(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = ""
    base_url: str
    rate_limit: RateLimit | None = None
    connect_timeout: float = Field(default=5.0, gt=0)
    read_timeout: float = Field(default=30.0, gt=0)
    phone_format: Literal["national", "e164"] = "national"
    batch_size: int = Field(default=500, gt=0, le=1000)

    @field_validator("base_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not re.match(r"^https?://[^/\s]+", value):
            raise ValueError("base_url_format")
        return value.rstrip("/")


class AlohubConnection(_Connection):
    """An Alohub xapi account (campaign contacts, bulk imports, inbound queues)."""

    provider: Literal["alohub"]
    api_key: SecretStr
    tenant_id: str | None = None
    batch_size: int = Field(default=5000, gt=0, le=50_000)


class VbeeConnection(_Connection):
    """A Vbee AICall application (JWT signed with the API secret)."""

    provider: Literal["vbee"]
    api_key: SecretStr
    api_secret: SecretStr


class AICallCenterConnection(_Connection):
    """An AICallCenter account (access token made from the secret key)."""

    provider: Literal["aicallcenter"]
    secret_key: SecretStr


class OmicallConnection(_Connection):
    """An OMICall CRM account (bearer access token)."""

    provider: Literal["omicall"]
    access_token: SecretStr


Connection = Annotated[
    AlohubConnection | VbeeConnection | AICallCenterConnection | OmicallConnection,
    Field(discriminator="provider"),
]


class ImportLimits(BaseModel):
    """Upload limits, refused up front with a sentence."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_bytes: int = Field(default=10 * 1024 * 1024, gt=0)
    max_rows: int = Field(default=200_000, gt=0)


class Config(BaseModel):
    """The whole ``callops.yml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    language: Literal["en", "vi"] = "en"
    timezone: str = "Asia/Ho_Chi_Minh"
    # Not shown in repr: a PostgreSQL URL may carry a password.
    database_url: str = Field(default="sqlite:///callops.db", repr=False)
    admins: list[str] = []
    operators: list[str] = []
    audit_channel: str | None = None
    connections: dict[str, Connection] = Field(min_length=1)
    channels: dict[str, list[str]] = {}
    imports: ImportLimits = ImportLimits()

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            # OSError: a name like "Asia" is a directory of the tz database, not a zone.
            raise ValueError("timezone_unknown") from None
        return value

    @model_validator(mode="after")
    def _names(self) -> Config:
        for name, conn in self.connections.items():
            object.__setattr__(conn, "name", name)
        for channel, names in self.channels.items():
            for index, name in enumerate(names):
                if name not in self.connections:
                    raise _ChannelRefError(channel, index, name)
        return self

    @property
    def tz(self) -> ZoneInfo:
        """The configured timezone."""
        return ZoneInfo(self.timezone)


class _ChannelRefError(ValueError):
    """A channel bound to an unknown connection, raised inside a pydantic validator.

    Outside ``bot.errors``: a ``ValueError`` because pydantic only collects those;
    ``parse_config`` turns it into the ``ConfigError`` that names the key path and the fix.
    """

    def __init__(self, channel: str, index: int, name: str) -> None:
        self.channel, self.index, self.name = channel, index, name
        super().__init__("unknown_connection")


class Environment(BaseSettings):
    """The process environment callops reads (Slack tokens, paths, overrides)."""

    model_config = SettingsConfigDict(extra="ignore")

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    callops_config: str = DEFAULT_CONFIG
    callops_log_stderr: bool = False  # the console also shows WARNING log lines on stderr
    database_url: str | None = None


def load_config(
    path: str | os.PathLike[str] | None = None, environ: Mapping[str, str] | None = None
) -> Config:
    """Read, expand and validate a config file; raise ``ConfigError`` naming what to fix."""
    env = os.environ if environ is None else environ
    file = Path(path or env.get("CALLOPS_CONFIG") or DEFAULT_CONFIG)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            str(file),
            "(file)",
            "the file does not exist",
            "create it (run `callops sandbox` to print an example) or set CALLOPS_CONFIG",
        ) from None
    except UnicodeDecodeError:
        raise ConfigError(
            str(file), "(file)", "the file is not UTF-8 text", "save it as UTF-8"
        ) from None
    except OSError as exc:
        raise ConfigError(
            str(file),
            "(file)",
            f"the file cannot be read ({exc.strerror or exc})",
            "check the path and its permissions",
        ) from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "(file)"
        raise ConfigError(str(file), where, "this is not valid YAML", "fix the syntax") from None
    if not isinstance(raw, dict):
        raise ConfigError(
            str(file),
            "(file)",
            "the file is empty or not a mapping",
            "start from the example printed by `callops sandbox`",
        )
    return parse_config(raw, str(file), env)


def parse_config(raw: dict[str, Any], file: str, environ: Mapping[str, str]) -> Config:
    """Validate an already-read mapping (``file`` is only used in error sentences)."""
    expanded = _expand(raw, (), file, environ)
    if environ.get("DATABASE_URL"):
        expanded["database_url"] = environ["DATABASE_URL"]
    _check_providers(expanded, file)
    try:
        return Config.model_validate(expanded)
    except ValidationError as exc:
        raise _config_error(exc, expanded, file) from None


def _expand(node: Any, path: tuple[str | int, ...], file: str, env: Mapping[str, str]) -> Any:
    if isinstance(node, dict):
        return {k: _expand(v, (*path, str(k)), file, env) for k, v in node.items()}
    if isinstance(node, list):
        return [_expand(v, (*path, i), file, env) for i, v in enumerate(node)]
    if isinstance(node, str):

        def substitute(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in env:
                raise ConfigError(
                    file,
                    _dotted(path),
                    f"environment variable {name} is not set",
                    f"export {name} before starting callops",
                )
            return env[name]

        return _VAR.sub(substitute, node)
    return node


def _check_providers(raw: dict[str, Any], file: str) -> None:
    connections = raw.get("connections")
    if not isinstance(connections, dict):
        return
    for name, conn in connections.items():
        provider = conn.get("provider") if isinstance(conn, dict) else None
        if provider not in PROVIDERS:
            problem = (
                "no provider is given" if provider is None else f"unknown provider {provider!r}"
            )
            raise ConfigError(
                file,
                f"connections.{name}.provider",
                problem,
                f"use one of: {', '.join(PROVIDERS)}",
            )


_CREDENTIALS = {
    "alohub": ("api_key",),
    "vbee": ("api_key", "api_secret"),
    "aicallcenter": ("secret_key",),
    "omicall": ("access_token",),
}


def _config_error(exc: ValidationError, raw: dict[str, Any], file: str) -> ConfigError:
    error = exc.errors()[0]
    loc = [str(p) for p in error["loc"]]
    # The discriminated union adds the provider tag to the location: drop it.
    if len(loc) >= 3 and loc[0] == "connections" and loc[2] in PROVIDERS:
        del loc[2]
    key_path = ".".join(loc) or "(file)"
    kind, msg = error["type"], str(error.get("msg", ""))
    ctx_error = (error.get("ctx") or {}).get("error")
    if isinstance(ctx_error, _ChannelRefError):
        return ConfigError(
            file,
            f"channels.{ctx_error.channel}[{ctx_error.index}]",
            f"no connection is named {ctx_error.name!r}",
            f"use one of: {', '.join(raw.get('connections', {}))}",
        )
    if kind == "missing":
        if len(loc) == 3 and loc[0] == "connections":
            provider = raw["connections"][loc[1]].get("provider", "")
            needed = _CREDENTIALS.get(provider, ())
            if loc[2] in needed:
                return ConfigError(
                    file,
                    key_path,
                    "this credential is missing",
                    f"{provider} connections need {' and '.join(needed)}",
                )
        return ConfigError(file, key_path, "this key is required", "add it")
    if kind == "extra_forbidden":
        return ConfigError(
            file, key_path, "this key is not known", "remove it or check its spelling"
        )
    if "rate_limit" in loc:
        loc = loc[: loc.index("rate_limit") + 1]
        return ConfigError(
            file,
            ".".join(loc),
            f"{_lookup(raw, loc)!r} is not a usable rate",
            'write COUNT/WINDOW, e.g. "50/10s" (units ms, s, m, h)',
        )
    if "base_url_format" in msg:
        return ConfigError(
            file,
            key_path,
            f"{_lookup(raw, loc)!r} is not a URL",
            "write it as https://host[/prefix]",
        )
    if "timezone_unknown" in msg:
        return ConfigError(
            file,
            key_path,
            f"unknown timezone {_lookup(raw, loc)!r}",
            "use an IANA name such as Asia/Ho_Chi_Minh",
        )
    return ConfigError(file, key_path, msg.removeprefix("Value error, "), "correct the value")


def _lookup(raw: Any, loc: list[str]) -> Any:
    node = raw
    for part in loc:
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and part.isdigit():
            node = node[int(part)]
    return node


def _dotted(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "(file)"


def secret_values(config: Config) -> list[str]:
    """Every secret configured (to mask wherever it might be echoed)."""
    values = []
    for connection in config.connections.values():
        for name in type(connection).model_fields:
            value = getattr(connection, name)
            if hasattr(value, "get_secret_value") and value.get_secret_value():
                values.append(value.get_secret_value())
    return sorted(values, key=len, reverse=True)
