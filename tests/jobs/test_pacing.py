"""Alohub chunk sizes follow the rate Alohub shows; a chunk about to end frees its slot."""

from __future__ import annotations

from bot.jobs.pacing import ChunkPacer


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_first_chunks_are_small_then_carry_twenty_seconds_of_the_rate_seen():
    clock = FakeClock()
    pacer = ChunkPacer(5000, clock=clock)
    assert pacer.next_size() == 500
    pacer.submitted(1)
    clock.now += 2.5
    pacer.progress(1, 125, 500)  # 50 rows a second
    assert pacer.next_size() == 1000


def test_a_chunk_done_by_its_first_poll_makes_the_next_ones_at_least_four_times_bigger():
    clock = FakeClock()
    pacer = ChunkPacer(5000, clock=clock)
    assert pacer.next_size() == 500
    pacer.submitted(1)
    clock.now += 10  # seen done only at a late poll: 50 rows/s at least
    pacer.progress(1, 500, 500)
    assert pacer.next_size() == 2000  # 4 × 500, more than 20 s × 50 rows/s
    pacer.submitted(2)
    clock.now += 2.5
    pacer.progress(2, 2000, 2000)  # 800 rows/s at least
    assert pacer.next_size() == 5000  # never past the connection's batch_size


def test_the_connections_batch_size_bounds_even_the_first_chunk():
    assert ChunkPacer(100).next_size() == 100


def test_a_chunk_that_ends_before_the_next_poll_no_longer_holds_a_slot():
    clock = FakeClock()
    pacer = ChunkPacer(5000, outstanding=2, clock=clock)
    for number in (1, 2):
        pacer.submitted(number)
    assert not pacer.may_submit([1, 2])  # not polled yet: both busy
    clock.now += 10
    pacer.progress(1, 490, 500)  # 49 rows/s: 10 rows left, less than one poll's work
    pacer.progress(2, 400, 1000)
    assert pacer.may_submit([1, 2])
    pacer.progress(1, 490, 1000)
    assert not pacer.may_submit([1, 2])


def test_the_last_rows_are_shared_over_the_chunks_that_run_at_once():
    clock = FakeClock()
    pacer = ChunkPacer(5000, clock=clock)
    pacer.submitted(1)
    clock.now += 2.5
    pacer.progress(1, 125, 500)  # 50 rows/s: 1,000-row chunks
    assert pacer.next_size(pending=10_000) == 1000
    assert pacer.next_size(pending=2000) == 500  # four chunks of 500 end together
    assert pacer.next_size(pending=1500, submitted={2: 500}) == 500
    assert pacer.next_size(pending=300) == 500  # never below the first chunk's size
