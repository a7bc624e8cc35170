"""The calls-per-hour PNG: right size, something drawn, Vietnamese titles, thread-safe."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO
from typing import Any

import numpy as np
from matplotlib.image import imread

from bot.render import formats
from bot.stats import CallStats, ChartLabels, calls_per_hour_png

Make = Callable[..., Any]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
VIETNAMESE_TITLE = "Cuộc gọi theo giờ — 21/11/2026 · ắằẳẵặ ấầẩẫậ ếềểễệ ốồổỗộ ớờởỡợ ứừửữự ỳỷỹỵ Đđ"


def pixels(png: bytes) -> np.ndarray:
    assert png.startswith(PNG_SIGNATURE)
    return imread(BytesIO(png), format="png")


def day(call: Make, date: str, per_hour: Callable[[int], tuple[int, int]]) -> CallStats:
    stats = CallStats()
    for hour in range(24):
        answered, failed = per_hour(hour)
        for _ in range(answered):
            stats.add(call(f"{date} {hour:02d}:15:00", state=40, duration=30))
        for _ in range(failed):
            stats.add(call(f"{date} {hour:02d}:45:00", state=50))
    return stats


def test_chart_is_slack_preview_size_and_not_blank(call: Make) -> None:
    current = day(call, "2026-11-21", lambda hour: (hour % 5, hour % 3))
    previous = day(call, "2026-11-20", lambda hour: (hour % 4, 1))
    image = pixels(calls_per_hour_png(current, previous, title="Calls per hour"))
    assert image.shape[:2] == (500, 1000)
    assert image[..., :3].std() > 0.05


def test_vietnamese_title_and_labels_render_without_missing_glyphs(call: Make) -> None:
    current = day(call, "2026-11-21", lambda hour: (1, 1))
    labels = ChartLabels(
        hour="Giờ",
        calls="Cuộc gọi",
        answered="Nghe máy",
        failed="Lỗi",
        other="Khác",
        previous="Hôm trước (tổng)",
        empty="Không có cuộc gọi",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        png = calls_per_hour_png(current, current, title=VIETNAMESE_TITLE, labels=labels)
    assert pixels(png).shape[:2] == (500, 1000)


def test_empty_day_without_previous_still_draws_axes() -> None:
    image = pixels(calls_per_hour_png(CallStats(), None, title="Không có cuộc gọi"))
    assert image.shape[:2] == (500, 1000)
    assert image[..., :3].std() > 0.01


def test_other_states_and_all_failed_days_draw(call: Make) -> None:
    stats = CallStats()
    stats.add(call("2026-11-21 10:00:00", state=50))
    stats.add(call("2026-11-21 11:00:00", state=30))
    assert pixels(calls_per_hour_png(stats, CallStats(), title="x"))[..., :3].std() > 0.01


def test_same_numbers_give_same_bytes_across_threads(call: Make) -> None:
    stats = day(call, "2026-11-21", lambda hour: (hour % 6, hour % 2))

    def draw(_: int) -> bytes:
        return calls_per_hour_png(stats, stats, title=VIETNAMESE_TITLE)

    with ThreadPoolExecutor(max_workers=4) as pool:
        images = list(pool.map(draw, range(4)))
    assert len(set(images)) == 1


def test_the_count_axis_is_written_as_the_readers_language_writes_numbers(call: Make) -> None:
    stats = day(call, "2026-11-21", lambda hour: (1500 if hour == 10 else 0, 0))
    written: list[int] = []

    def vietnamese(count: int) -> str:
        written.append(count)
        return formats.number("vi", count)

    labels = ChartLabels(count=vietnamese)
    png = calls_per_hour_png(stats, None, title="Cuộc gọi", labels=labels)
    assert max(written) >= 1000 and formats.number("vi", 1050) == "1.050"
    assert png != calls_per_hour_png(stats, None, title="Cuộc gọi")  # "1,000" drawn there
