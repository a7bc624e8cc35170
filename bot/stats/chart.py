"""PNG chart of calls per hour, drawn without pyplot so threads never share a figure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO

from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ticker import FuncFormatter, MaxNLocator

from bot.stats.aggregate import CallStats

__all__ = ["ChartLabels", "calls_per_hour_png"]

# Slack previews images about this wide; 10×5 in at 100 dpi gives 1000×500 px.
WIDTH_IN, HEIGHT_IN, DPI = 10.0, 5.0, 100
# DejaVu Sans ships with matplotlib and covers Vietnamese; a site matplotlibrc must not
# swap in a font that lacks "ộ" or "ờ".
FONT = "DejaVu Sans"
ANSWERED_COLOR = "#2e7d32"
FAILED_COLOR = "#c62828"
OTHER_COLOR = "#9e9e9e"
PREVIOUS_COLOR = "#1565c0"


@dataclass(frozen=True, slots=True)
class ChartLabels:
    """Words drawn on the chart; the caller passes them from the message catalog, and how
    the reader's language writes a count (``1,234`` / ``1.234``: ``bot.render.formats``)."""

    hour: str = "Hour"
    calls: str = "Calls"
    answered: str = "Answered"
    failed: str = "Failed"
    other: str = "Other"
    previous: str = "Previous day (total)"
    empty: str = "No calls"
    count: Callable[[int], str] = "{:,}".format


def calls_per_hour_png(
    current: CallStats,
    previous: CallStats | None,
    *,
    title: str,
    labels: ChartLabels | None = None,
) -> bytes:
    """Stacked answered/failed bars per local hour, with the previous day's totals as a line."""
    words = labels or ChartLabels()
    font = FontProperties(family=FONT)
    hours = list(range(24))
    answered = current.hour_answered
    failed = current.hour_failed
    other = [
        total - ok - bad
        for total, ok, bad in zip(current.hour_total, answered, failed, strict=True)
    ]

    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    handles: list[Artist] = []
    names: list[str] = []
    bottom = [0] * 24
    # Answered and failed always show, so an all-failed day still names both colours;
    # "other" (neither 40 nor 50) only when there is some.
    for values, color, name, always in (
        (answered, ANSWERED_COLOR, words.answered, True),
        (failed, FAILED_COLOR, words.failed, True),
        (other, OTHER_COLOR, words.other, False),
    ):
        if not always and not any(values):
            continue
        bars = axes.bar(hours, values, bottom=bottom, color=color, width=0.8)
        handles.append(bars.patches[0])
        names.append(name)
        bottom = [below + value for below, value in zip(bottom, values, strict=True)]
    if previous is not None:
        (line,) = axes.plot(
            hours,
            previous.hour_total,
            color=PREVIOUS_COLOR,
            linestyle="--",
            marker="o",
            markersize=3,
            linewidth=1.5,
        )
        handles.append(line)
        names.append(words.previous)

    peak = max([*current.hour_total, *(previous.hour_total if previous else [])])
    if peak == 0:
        axes.set_ylim(0, 1)
        axes.text(
            0.5,
            0.5,
            words.empty,
            transform=axes.transAxes,
            ha="center",
            va="center",
            color=OTHER_COLOR,
            fontproperties=FontProperties(family=FONT, size=16),
        )
    axes.set_xlim(-0.6, 23.6)
    axes.set_xticks(hours)
    axes.set_xticklabels([f"{hour:02d}" for hour in hours])
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: words.count(round(value))))
    axes.tick_params(labelfontfamily=FONT, labelsize=9)
    axes.grid(axis="y", alpha=0.3)
    axes.set_axisbelow(True)
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_xlabel(words.hour, fontproperties=font)
    axes.set_ylabel(words.calls, fontproperties=font)
    axes.set_title(title, fontproperties=FontProperties(family=FONT, size=14))
    # Below the axes, in one row: inside, it would hide the early-morning bars.
    figure.legend(
        handles, names, prop=font, loc="outside lower center", ncols=len(handles), frameon=False
    )

    buffer = BytesIO()
    # No "Software" stamp: the same numbers give the same bytes.
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()
