"""Injected faults of one simulated provider: latency, system errors, malformed bodies."""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Faults:
    """What to break in a provider's answers; all off by default.

    ``error_ratio`` and ``malformed`` answer *without executing* the request (like a
    gateway answering for a dead backend); ``latency`` delays the request, which is then
    executed even if the client has stopped waiting.
    """

    latency: float = 0.0
    error_ratio: float = 0.0
    malformed: bool = False
    rng: random.Random = field(default_factory=lambda: random.Random(0), repr=False)

    def roll_error(self) -> bool:
        """Decide (deterministically, from ``rng``) whether this request gets a system error."""
        if self.error_ratio <= 0:
            return False
        return self.rng.random() < self.error_ratio

    def reset(self) -> None:
        """Turn every fault off."""
        self.latency = 0.0
        self.error_ratio = 0.0
        self.malformed = False

    def as_dict(self) -> dict[str, float | bool]:
        """The current settings, for the control endpoint."""
        return {
            "latency": self.latency,
            "error_ratio": self.error_ratio,
            "malformed": self.malformed,
        }
