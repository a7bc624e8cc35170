"""Progress of a long fetch: late, sparse and bounded, whatever the provider's speed."""

from __future__ import annotations

from bot.calls import Pace, ProgressReporter


class Ticks:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def test_a_short_fetch_shows_no_progress_at_all():
    shown: list[str] = []

    async def show(text: str) -> None:
        shown.append(text)

    clock = Ticks()
    report = ProgressReporter(show, lambda d, t: f"{d}/{t}", pace=Pace(1.5, 4.0, 3), clock=clock)
    for done in range(500, 3000, 500):
        clock.now += 0.2
        await report(done, 3000)
    assert shown == [] and report.shown == 0


async def test_a_long_fetch_shows_at_most_three_sentences_spaced_out():
    shown: list[str] = []

    async def show(text: str) -> None:
        shown.append(text)

    clock = Ticks()
    report = ProgressReporter(show, lambda d, t: f"{d}/{t}", pace=Pace(1.5, 4.0, 3), clock=clock)
    for done in range(500, 48_500, 500):
        clock.now += 1.0
        await report(done, 48_000)
    assert shown == ["1000/48000", "3000/48000", "5000/48000"]


async def test_a_failing_progress_post_stops_progress_but_not_the_fetch():
    calls = 0

    async def show(text: str) -> None:
        nonlocal calls
        calls += 1
        raise RuntimeError("response_url expired")

    clock = Ticks()
    report = ProgressReporter(show, lambda d, t: f"{d}/{t}", pace=Pace(0.0, 0.0, 3), clock=clock)
    for done in (1, 2, 3):
        await report(done, 3)  # no exception escapes
    assert calls == 1


async def test_without_a_place_to_show_it_progress_is_silent():
    report = ProgressReporter(None, lambda d, t: "x", pace=Pace(0.0, 0.0, 3))
    await report(1, 2)
    assert report.shown == 0
