"""Fixtures for the provider simulators: a running sandbox and ready-made credentials."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import httpx
import jwt
import pytest

from bot.sandbox import Sandbox, SandboxOptions


@pytest.fixture
def options() -> SandboxOptions:
    """Small, slow-enough data: bulk jobs move 100 rows per (sandbox) second."""
    return SandboxOptions(seed=7, call_records=2000, alohub_rows_per_second=100.0)


@pytest.fixture
async def sandbox(options: SandboxOptions) -> AsyncIterator[Sandbox]:
    """A sandbox serving on a free port for one test."""
    async with Sandbox(port=0, options=options) as sb:
        yield sb


@pytest.fixture
async def client(sandbox: Sandbox) -> AsyncIterator[httpx.AsyncClient]:
    """A plain HTTP client pointed at the sandbox root (plain HTTP: no TLS context to load)."""
    async with httpx.AsyncClient(base_url=sandbox.url, timeout=10.0, verify=False) as http:
        yield http


@pytest.fixture
def alohub_headers(sandbox: Sandbox) -> dict[str, str]:
    """The headers an Alohub client sends with the full-scope key."""
    key = sandbox.alohub.api_key
    return {"Authorization": key, "X-Api-Key": key, "X-Tenant-ID": sandbox.alohub.tenant_id}


@pytest.fixture
def vbee_headers(sandbox: Sandbox) -> dict[str, str]:
    """A Bearer JWT signed the way PROVIDERS.md §2 says."""
    claims = {"apiKey": sandbox.vbee.api_key, "iat": int(time.time())}
    return {"Authorization": "Bearer " + jwt.encode(claims, sandbox.vbee.api_secret, "HS256")}


@pytest.fixture
async def aicc_token(sandbox: Sandbox, client: httpx.AsyncClient) -> str:
    """An AICallCenter access token made from the current secret key."""
    response = await client.get(
        "/aicallcenter/api/users/generate-access-token",
        params={"secret_key": sandbox.aicallcenter.secret_key},
    )
    return str(response.json()["results"]["access_token"])


@pytest.fixture
def omicall_headers(sandbox: Sandbox) -> dict[str, str]:
    """The OMICall Bearer header."""
    return {"Authorization": f"Bearer {sandbox.omicall.access_token}"}
