"""Injected faults of one simulated provider: latency, system errors, error bodies, malformed
bodies, storms of 429."""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Faults:
    """What to break in a provider's answers; all off by default.

    ``error_ratio``, ``error_body``, ``malformed`` and ``storm`` answer *without executing*
    the request (like a gateway answering for a dead backend); ``latency`` delays the
    request, which is then executed even if the client has stopped waiting.

    ``error_body`` answers HTTP 200 with the provider's own error body (its system error);
    ``storm`` answers the next that many requests 429 with ``Retry-After: storm_retry_after``,
    whatever the rate limit's window says.
    """

    latency: float = 0.0
    error_ratio: float = 0.0
    malformed: bool = False
    error_body: bool = False
    storm: int = 0
    storm_retry_after: int = 1
    rng: random.Random = field(default_factory=lambda: random.Random(0), repr=False)

    def roll_error(self) -> bool:
        """Decide (deterministically, from ``rng``) whether this request gets a system error."""
        if self.error_ratio <= 0:
            return False
        return self.rng.random() < self.error_ratio

    def take_storm(self) -> bool:
        """True when this request is one of the storm's 429s (and counts it)."""
        if self.storm <= 0:
            return False
        self.storm -= 1
        return True

    def reset(self) -> None:
        """Turn every fault off."""
        self.latency = 0.0
        self.error_ratio = 0.0
        self.malformed = False
        self.error_body = False
        self.storm = 0
        self.storm_retry_after = 1

    def as_dict(self) -> dict[str, float | bool]:
        """The current settings, for the control endpoint."""
        return {
            "latency": self.latency,
            "error_ratio": self.error_ratio,
            "malformed": self.malformed,
            "error_body": self.error_body,
            "storm": self.storm,
            "storm_retry_after": self.storm_retry_after,
        }
