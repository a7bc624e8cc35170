"""Fixtures for the stats tests: call records as the AICallCenter client would yield them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict


@dataclass
class PlainCall:
    """A record with exactly the attributes the aggregator reads."""

    called_at: str
    duration: int = 0
    key_press: str = ""
    note: str = ""
    state: int = 40


class ApiCall(BaseModel):
    """Shaped like the provider model: unknown keys are kept in ``model_extra``."""

    model_config = ConfigDict(extra="allow")

    call_id: int = 1
    caller_id: str = "02873001234"
    callee_id: str = "0912345678"
    called_at: str
    duration: int = 0
    key_press: str = ""
    note: str = ""
    state: int = 40


@pytest.fixture
def call() -> Callable[..., PlainCall]:
    """Build a plain record; ``at`` is the local "YYYY-MM-DD HH:MM:SS" time."""

    def make(at: str = "2026-11-21 10:00:00", **fields: Any) -> PlainCall:
        return PlainCall(called_at=at, **fields)

    return make


@pytest.fixture
def api_call() -> Callable[..., ApiCall]:
    """Build a pydantic record; extra keyword arguments become unknown provider fields."""

    def make(at: str = "2026-11-21 10:00:00", **fields: Any) -> ApiCall:
        return ApiCall(called_at=at, **fields)

    return make
