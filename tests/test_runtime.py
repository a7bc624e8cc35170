"""The composition root builds every part complete: nothing is filled in after construction."""

from __future__ import annotations

import dataclasses
import inspect
from pathlib import Path

from bot.config import parse_config
from bot.jobs.runner import JobRun, RunContext
from bot.runtime import Runtime
from bot.services import Services


def _config(tmp_path: Path):  # type: ignore[no-untyped-def]
    raw = {
        "database_url": f"sqlite:///{tmp_path}/root.db",
        "admins": ["U0ADMIN1"],
        "connections": {
            "aicc": {
                "provider": "aicallcenter",
                "base_url": "http://127.0.0.1:9",
                "secret_key": "s3cret-key",
            }
        },
        "channels": {"*": ["aicc"]},
    }
    return parse_config(raw, "(test)", {})


async def test_the_runtime_hands_every_part_its_collaborators_at_construction(tmp_path: Path):
    runtime = Runtime(_config(tmp_path))
    try:
        services = runtime.services
        # What handlers see is complete before anything starts.
        assert services.jobs is runtime.jobs and services.summaries is runtime.summaries
        assert runtime.dispatcher.services is services
        assert runtime.jobs.scheduler is runtime.scheduler
        assert runtime.summaries.scheduler is runtime.scheduler
        assert services.secrets == ["s3cret-key"]
        await runtime.start()
        await runtime.stop()
    finally:
        await runtime.aclose()


def test_no_service_field_is_optional_or_assignable():
    for field in dataclasses.fields(Services):
        assert "None" not in str(field.type), f"Services.{field.name} may be None"
    assert Services.__dataclass_params__.frozen  # type: ignore[attr-defined]


def test_a_job_run_gets_a_narrow_context_not_its_engine():
    params = inspect.signature(JobRun.__init__).parameters
    assert [p for p in params if p != "self"] == ["context", "job"]
    names = {field.name for field in dataclasses.fields(RunContext)}
    assert "engine" not in names and "services" not in names
    assert RunContext.__dataclass_params__.frozen  # type: ignore[attr-defined]
