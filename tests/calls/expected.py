"""What a statistics message must say, computed from the sandbox's own records.

A second, deliberately plain reading (a loop and Counters over the sandbox's dicts), so
the tests do not compare ``CallStats`` with itself.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass
class Expected:
    """Counts over the records of one period."""

    total: int = 0
    answered: int = 0
    failed: int = 0
    talk: int = 0
    hours: Counter[int] = field(default_factory=Counter)
    notes: Counter[str] = field(default_factory=Counter)
    keys: Counter[str] = field(default_factory=Counter)
    campaigns: Counter[str] = field(default_factory=Counter)
    campaign_answered: Counter[str] = field(default_factory=Counter)

    @property
    def rate(self) -> str:
        """The answer rate as the English message writes it."""
        return f"{self.answered * 100 / self.total:.1f}%" if self.total else "—"

    @property
    def busiest(self) -> tuple[int, int]:
        """(hour, calls) of the busiest hour, the earliest on a tie."""
        peak = max(self.hours.values())
        return min(h for h, n in self.hours.items() if n == peak), peak


def between(records: Iterable[dict[str, Any]], first: date, last: date) -> list[dict[str, Any]]:
    """Records whose local ``called_at`` day is in [first, last]."""
    low, high = first.isoformat(), last.isoformat()
    return [r for r in records if low <= r["called_at"][:10] <= high]


def expect(records: Iterable[dict[str, Any]], campaign: str | None = None) -> Expected:
    """Plain counts of ``records`` (of one campaign when given)."""
    out = Expected()
    for record in records:
        if campaign is not None and record["campaign_id"] != campaign:
            continue
        out.total += 1
        out.hours[int(record["called_at"][11:13])] += 1
        out.campaigns[str(record["campaign_id"])] += 1
        if record["state"] == 40:
            out.answered += 1
            out.talk += record["duration"]
            out.campaign_answered[str(record["campaign_id"])] += 1
        elif record["state"] == 50:
            out.failed += 1
        if record["note"]:
            out.notes[record["note"]] += 1
        pressed = record["key_press"]
        if pressed:
            for key in dict.fromkeys(re.sub(r"\([^)]*\)", " ", pressed).replace(",", " ").split()):
                out.keys[key] += 1
    return out


def talk_words(seconds: int) -> str:
    """Talk time as the English message writes it."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours:,} h {minutes} min"
    if minutes:
        return f"{minutes} min {secs} s"
    return f"{secs} s"


def figures(expected: Expected) -> list[str]:
    """The strings the statistics fields must contain."""
    hour, calls = expected.busiest
    return [
        f"*Calls*\n{expected.total:,}",
        f"*Answered*\n{expected.answered:,}",
        f"*Failed*\n{expected.failed:,}",
        f"*Answer rate*\n{expected.rate}",
        f"*Talk time*\n{talk_words(expected.talk)}",
        f"*Busiest hour*\n{hour:02d}:00–{(hour + 1) % 24:02d}:00 ({calls:,})",
    ]


def pct_change(current: int, previous: int) -> str:
    """``▲ 12.5%`` / ``▼ 3.0%`` as the message writes a change."""
    pct = (current - previous) * 100 / previous
    if round(pct, 1) == 0:
        return f"= {abs(pct):.1f}%"
    return f"{'▲' if pct > 0 else '▼'} {abs(pct):.1f}%"


def text_of(blocks: list[dict[str, Any]]) -> str:
    """Every text of a message's blocks, joined (fields included)."""
    parts: list[str] = []
    for block in blocks:
        text = block.get("text")
        if isinstance(text, dict):
            parts.append(text.get("text", ""))
        for item in block.get("fields", []) + block.get("elements", []):
            if isinstance(item, dict) and "text" in item:
                parts.append(item["text"])
    return "\n".join(parts)


def hour_lines(text: str) -> dict[int, int]:
    """Hour → calls from the text bar chart inside the message."""
    chart = text.split("```")[1]
    out = {}
    for line in chart.strip("\n").splitlines():
        hour, _, rest = line.partition(" ")
        count = rest.rsplit(" ", 1)[-1]
        out[int(hour)] = int(count.replace(",", ""))
    return out
