"""Settings of a sandbox run."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SandboxOptions:
    """How much demo data to make and how the simulators behave."""

    seed: int = 7
    call_records: int = 5000  # AICallCenter calls over the last 14 days
    rate_limits: dict[str, tuple[int, float]] = field(
        default_factory=dict
    )  # provider -> (count, s)
    alohub_rows_per_second: float = 5000.0  # bulk job progress
    token_ttl_seconds: int = 60 * 24 * 3600  # AICallCenter access-token lifetime
