"""Fetching and aggregating: bounds sent, pages folded and dropped, progress reported."""

from __future__ import annotations

import gc
import weakref
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.calls import campaign_progress, fetch_call_stats
from bot.providers.aicallcenter import CallPage
from bot.stats import parse_period

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 4, 21, 15, 30, tzinfo=TZ)


class Rec:
    """A call record that can be watched with a weak reference."""

    def __init__(self, n: int, state: int = 40) -> None:
        self.called_at = f"2026-04-20 {n % 24:02d}:00:00"
        self.duration = 10 if state == 40 else 0
        self.key_press = ""
        self.note = "NORMAL CLEARING" if state == 40 else "NO ANSWER"
        self.state = state
        self.campaign_id = 2001 + n % 2


@dataclass
class FakeAicc:
    """Serves ``per_period`` records in pages; remembers what was asked and what is alive."""

    per_period: int
    asked: list[tuple[Any, int | None, int | None, int]] = field(default_factory=list)
    alive: list[weakref.ref[Rec]] = field(default_factory=list)
    most_alive: int = 0

    async def iter_call_pages(
        self, campaign_id: Any, start_ms: int | None, end_ms: int | None, *, limit: int = 500
    ) -> AsyncIterator[CallPage]:
        self.asked.append((campaign_id, start_ms, end_ms, limit))
        for offset in range(0, max(self.per_period, 1), limit):
            gc.collect()
            self.most_alive = max(self.most_alive, sum(1 for ref in self.alive if ref()))
            calls = [
                Rec(n, 40 if n % 3 else 50)
                for n in range(offset, min(offset + limit, self.per_period))
            ]
            self.alive.extend(weakref.ref(c) for c in calls)
            yield CallPage(self.per_period, calls, offset, limit)  # type: ignore[arg-type]
            del calls  # the fake keeps nothing either


async def test_both_periods_are_asked_with_local_midnight_bounds_in_epoch_ms():
    client = FakeAicc(per_period=3)
    period = parse_period("2026-04-20", now=NOW, timezone=TZ)
    report = await fetch_call_stats(client, period)  # type: ignore[arg-type]
    midnight = int(datetime(2026, 4, 20, tzinfo=TZ).timestamp() * 1000)
    day = 86_400_000
    assert client.asked == [
        (None, midnight, midnight + day - 1, 500),
        (None, midnight - day, midnight - 1, 500),
    ]
    assert (report.current.total, report.before.total) == (3, 3)
    assert report.previous.label == "2026-04-19"


async def test_pages_are_folded_and_dropped_so_memory_does_not_grow_with_the_calls():
    client = FakeAicc(per_period=5_000)
    period = parse_period("2026-04-20", now=NOW, timezone=TZ)
    report = await fetch_call_stats(client, period, campaign="2001")  # type: ignore[arg-type]
    assert report.current.total == 5_000 and report.fetched == 10_000 and report.pages == 20
    # While page n is fetched, at most the page being folded is still referenced.
    assert client.most_alive <= 500
    assert [row.campaign_id for row in report.current.campaigns()] == ["2001"]
    assert report.current.failed == len([n for n in range(5_000) if n % 3 == 0])


async def test_progress_counts_every_page_of_both_periods_against_their_joint_total():
    client = FakeAicc(per_period=1_200)
    seen: list[tuple[int, int]] = []

    async def progress(done: int, total: int) -> None:
        seen.append((done, total))

    period = parse_period("2026-04-20", now=NOW, timezone=TZ)
    await fetch_call_stats(client, period, on_progress=progress)  # type: ignore[arg-type]
    assert seen == [
        (500, 2400),
        (1000, 2400),
        (1200, 2400),
        (1700, 2400),
        (2200, 2400),
        (2400, 2400),
    ]


async def test_today_at_midnight_asks_the_provider_nothing():
    client = FakeAicc(per_period=10)
    midnight = datetime(2026, 4, 21, tzinfo=TZ)
    period = parse_period("today", now=midnight, timezone=TZ)
    report = await fetch_call_stats(client, period)  # type: ignore[arg-type]
    # An empty window, and so is the same window a day earlier: nothing to ask for.
    assert client.asked == []
    assert report.current.total == 0 and report.before.total == 0


@dataclass
class Contact:
    process_status: int
    call_status: str | None = None


@dataclass
class ContactListStub:
    list_id: int
    list_name: str
    contact_count: int


class FakeAlohub:
    """Two lists of a campaign, one of them empty."""

    def __init__(self) -> None:
        self.lists = {
            501: [Contact(0), Contact(2, "ANSWERED"), Contact(2, "BUSY"), Contact(1)],
            502: [],
        }

    async def contact_lists(self, campaign_id: str) -> list[ContactListStub]:
        return [ContactListStub(i, f"L{i}", len(c)) for i, c in self.lists.items()]

    async def contacts(self, campaign_id: str, list_id: int, size: int = 100):
        for contact in self.lists[list_id]:
            yield contact


async def test_campaign_progress_counts_every_list_including_empty_ones():
    report = await campaign_progress(FakeAlohub(), "101", page_size=2)  # type: ignore[arg-type]
    total = report.progress.total
    assert (total.pending, total.in_call, total.processed) == (1, 1, 2)
    assert total.call_statuses == {"ANSWERED": 1, "BUSY": 1}
    assert [(p.list_id, p.total) for p in report.progress.lists] == [(501, 4), (502, 0)]
    assert report.fetched == 4
