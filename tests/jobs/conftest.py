"""The job engine on the sandbox without Slack: services, a recording chat, jobs made directly."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bot.imports import staging
from bot.jobs.engine import JobEngine
from bot.runtime import Runtime
from bot.services import Services
from bot.store.jobs import JobStore
from tests.jobs.data import csv_bytes
from tests.jobs.e2e import config_for, eventually
from tests.slack.conftest import OPERATOR, OPS_CHANNEL


@dataclass
class RecordingChat:
    """A ``Chat`` that keeps what the engine posted, updated and uploaded."""

    posts: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    uploads: list[dict[str, Any]] = field(default_factory=list)
    ephemerals: list[dict[str, Any]] = field(default_factory=list)
    _ts: Any = field(default_factory=lambda: itertools.count(1))

    async def post(
        self,
        channel: str,
        text: str,
        blocks: Any = None,
        thread_ts: str | None = None,
        *,
        key: str | None = None,
    ) -> str:
        ts = f"1000.{next(self._ts):06d}"
        post = {"channel": channel, "text": text, "blocks": blocks, "ts": ts, "key": key}
        self.posts.append(post)
        return ts

    async def update(self, channel: str, ts: str, text: str, blocks: Any = None) -> None:
        self.updates.append({"channel": channel, "ts": ts, "text": text, "blocks": blocks})

    async def upload(
        self,
        channel: str,
        filename: str,
        content: bytes,
        *,
        title: str = "",
        thread_ts: str | None = None,
        comment: str | None = None,
    ) -> None:
        self.uploads.append(
            {"channel": channel, "filename": filename, "content": content, "thread_ts": thread_ts}
        )

    async def ephemeral(self, channel: str, user: str, text: str, blocks: Any = None) -> None:
        self.ephemerals.append({"channel": channel, "user": user, "text": text})

    async def user_email(self, user_id: str) -> str | None:
        return None

    async def user_locale(self, user_id: str) -> str | None:
        return None

    async def update_view(self, view_id: str, view: dict[str, Any]) -> None:
        return None

    async def download(self, url: str, dest: Path) -> int:
        raise PermissionError(url)


@dataclass
class Env:
    """A runtime with the background started, the engine and its store, the sandbox."""

    runtime: Runtime
    sandbox: Any
    chat: RecordingChat
    tmp_path: Path

    @property
    def services(self) -> Services:
        return self.runtime.services

    @property
    def engine(self) -> JobEngine:
        return self.runtime.jobs

    @property
    def store(self) -> JobStore:
        return self.engine.store

    async def stage(
        self,
        connection: str,
        campaign: str,
        rows: list[tuple[str, ...]],
        header: tuple[str, ...] = ("phone", "name"),
    ) -> Any:
        """A confirmed-looking preview of ``rows`` (as if pasted in the modal)."""
        settings = self.services.config.connections[connection]
        target = staging.Target(
            OPERATOR, OPS_CHANNEL, connection, campaign, None, settings.phone_format
        )
        text = csv_bytes(rows, header).decode()
        return await staging.stage_paste(
            self.store, target, text, self.services.config, self.services.now(), "list"
        )

    async def start(
        self,
        connection: str,
        campaign: str,
        rows: list[tuple[str, ...]],
        header: tuple[str, ...] = ("phone", "name"),
    ) -> int:
        """Confirm an import of ``rows``; returns the job id (the job is running)."""
        return await self.engine.create(await self.stage(connection, campaign, rows, header))

    async def ended(self, job_id: int, within: float = 20.0) -> Any:
        """The job once it reached a final state and its run finished (totals posted)."""

        async def ended() -> bool:
            j = await self.store.job(job_id)
            return (
                job_id not in self.engine.runs
                and j is not None
                and j.state in ("done", "failed", "lost", "cancelled")
            )

        await eventually(ended, within=within, what=f"the end of J{job_id}")
        return await self.store.job(job_id)


async def start_env(sandbox: Any, tmp_path: Path, **config: Any) -> Env:
    """Services on the sandbox with the scheduler and the job engine started."""
    chat = RecordingChat()
    runtime = Runtime(config_for(sandbox, tmp_path, **config), chat=chat)
    await runtime.start()
    runtime.jobs.progress_interval = 0.0
    return Env(runtime, sandbox, chat, tmp_path)


async def stop_env(env: Env) -> None:
    """Stop the background work and close the services."""
    await env.runtime.stop()
    await env.runtime.aclose()


@pytest.fixture
async def env(sandbox: Any, tmp_path: Path) -> AsyncIterator[Env]:
    """The engine on the sandbox with small batches (50 rows; Alohub 100)."""
    started = await start_env(
        sandbox, tmp_path, batch_sizes={"alohub-main": 100, "vbee": 50, "aicc": 50, "crm": 50}
    )
    yield started
    await stop_env(started)
