"""Alert rules as typed (``answer_rate<40% window=60m min_calls=30``) and how one check moves
a rule: pure code, no I/O, no clock (the service passes ``now``).

A rule is bad when its metric crosses the threshold; it fires on the second bad check in a
row and recovers only past a margin (5 points for a rate, 10 % of the threshold for a
count), so a figure hovering at the threshold neither flaps nor floods. Fewer calls than
``min_calls`` in the window decide nothing: a pending rule starts over, a firing one stays.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Literal

from bot.errors import UserInputError
from bot.stats import CallStats

__all__ = [
    "CHECK_MINUTES",
    "DEFAULT_MIN_CALLS",
    "DEFAULT_WINDOW",
    "MAX_WINDOW",
    "METRICS",
    "MIN_WINDOW",
    "Condition",
    "Metric",
    "Outcome",
    "RuleSpec",
    "parse_condition",
    "parse_min_calls",
    "parse_window",
    "recovery_point",
    "step",
]

CHECK_MINUTES = 5  # how often the leader checks every rule
DEFAULT_WINDOW = 60  # minutes
MIN_WINDOW = 5  # one check period: a shorter window would leave calls between checks unseen
MAX_WINDOW = 24 * 60
DEFAULT_MIN_CALLS = 30
MAX_MIN_CALLS = 1_000_000
RATE_MARGIN = 5.0  # percentage points
COUNT_MARGIN = 0.10  # of the threshold

State = Literal["ok", "pending", "firing"]


@dataclass(frozen=True, slots=True)
class Metric:
    """What a rule measures in a window's calls; a rate is in percent."""

    name: str
    rate: bool

    def value(self, stats: CallStats) -> float:
        """The figure of a window's statistics (a rate of no calls is 0)."""
        if self.name == "answer_rate":
            return 100.0 * stats.answered / stats.total if stats.total else 0.0
        return float(stats.failed)


METRICS: dict[str, Metric] = {
    "answer_rate": Metric("answer_rate", rate=True),
    "failed": Metric("failed", rate=False),
}


@dataclass(frozen=True, slots=True)
class Condition:
    """``metric op threshold``: bad when the figure is below (``<``) or above (``>``)."""

    metric: Metric
    op: str
    threshold: float

    def bad(self, value: float) -> bool:
        """The figure crosses the threshold."""
        return value < self.threshold if self.op == "<" else value > self.threshold

    def recovered(self, value: float) -> bool:
        """The figure is back past the threshold by the margin."""
        point = recovery_point(self)
        return value >= point if self.op == "<" else value <= point

    @property
    def text(self) -> str:
        """As typed: ``answer_rate<40%``, ``failed>50``."""
        figure = f"{self.threshold:g}"
        return f"{self.metric.name}{self.op}{figure}{'%' if self.metric.rate else ''}"


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """A rule before it is saved: the condition and its window."""

    condition: Condition
    window_minutes: int = DEFAULT_WINDOW
    min_calls: int = DEFAULT_MIN_CALLS
    campaign: str | None = None


_CONDITION = re.compile(
    r"(?P<metric>[a-z_]+)\s*(?P<op><|>)\s*(?P<value>\d+(?:[.,]\d+)?)\s*(?P<pct>%)?",
    re.ASCII,
)
_WINDOW = re.compile(r"(?:(?P<h>\d{1,3})h)?(?:(?P<m>\d{1,5})(?:m|min)?)?", re.ASCII)


def parse_condition(words: list[str]) -> Condition:
    """The condition typed after ``/calls alert on`` (Slack sends ``<`` as ``&lt;``)."""
    text = html.unescape(" ".join(words)).strip().lower()
    if not text:
        raise UserInputError("alerts.bad.missing")
    match = _CONDITION.fullmatch(text)
    if match is None:
        raise UserInputError("alerts.bad.condition", value=text)
    metric = METRICS.get(match["metric"])
    if metric is None:
        raise UserInputError(
            "alerts.bad.metric", value=match["metric"], metrics=", ".join(sorted(METRICS))
        )
    value = float(match["value"].replace(",", "."))
    if metric.rate:
        if not 0 < value < 100:
            raise UserInputError("alerts.bad.percent", value=match["value"])
    else:
        if match["pct"]:
            raise UserInputError("alerts.bad.count_percent", metric=metric.name)
        # A whole number of calls; "fewer than 0" could never happen.
        if value != int(value) or (match["op"] == "<" and value < 1):
            raise UserInputError("alerts.bad.count", value=match["value"])
    return Condition(metric, match["op"], value)


def parse_window(text: str | None) -> int:
    """``window=`` in minutes: ``60m``, ``90``, ``1h``, ``1h30m``; 5 min to 24 h."""
    if text is None:
        return DEFAULT_WINDOW
    raw = text.strip().lower()
    match = _WINDOW.fullmatch(raw)
    if not raw or match is None or not (match["h"] or match["m"]):
        raise UserInputError("alerts.bad.window", value=text)
    minutes = int(match["h"] or 0) * 60 + int(match["m"] or 0)
    if not MIN_WINDOW <= minutes <= MAX_WINDOW:
        raise UserInputError("alerts.bad.window_range", value=text)
    return minutes


def parse_min_calls(text: str | None) -> int:
    """``min_calls=``: a whole number of calls, at least 1."""
    if text is None:
        return DEFAULT_MIN_CALLS
    raw = text.strip()
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_MIN_CALLS:
        raise UserInputError("alerts.bad.min_calls", value=text)
    return int(raw)


@dataclass(frozen=True, slots=True)
class Outcome:
    """Where one check leaves a rule and what it has to say (``fired``, ``recovered``)."""

    state: State
    event: str | None = None


def step(state: str, condition: Condition, value: float, calls: int, min_calls: int) -> Outcome:
    """The rule's next state after a check that read ``calls`` calls and ``value``."""
    if calls < min_calls:
        # Too few calls to judge: no streak survives it, and no alert ends on it.
        return Outcome("firing") if state == "firing" else Outcome("ok")
    if state == "firing":
        return Outcome("ok", "recovered") if condition.recovered(value) else Outcome("firing")
    if not condition.bad(value):
        return Outcome("ok")
    if state == "pending":
        return Outcome("firing", "fired")
    return Outcome("pending")


def recovery_point(condition: Condition) -> float:
    """The figure past which a firing rule recovers."""
    margin = RATE_MARGIN if condition.metric.rate else condition.threshold * COUNT_MARGIN
    return condition.threshold + margin if condition.op == "<" else condition.threshold - margin
