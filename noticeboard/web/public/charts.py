"""Geometry for the server-rendered SVG charts of /stats (drawn by _macros/charts.html).

Plain numbers in, shapes out: no JavaScript, and every chart has its table beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 520
ROW = 50  # a label line and its bar
BAR = 20
PLOT_LEFT, PLOT_TOP, PLOT_HEIGHT = 52, 16, 200


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    part: int  # the highlighted share of the value (adopted of the opinions), 0 for none
    y: float
    width: float
    part_width: float


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    bar_height: int


def bar_chart(rows: list[tuple[str, int, int]]) -> BarChart:
    """Horizontal bars, the label above each; ``rows`` are (label, value, part)."""
    peak = max((value for _, value, _ in rows), default=0) or 1
    usable = WIDTH - 70  # room for the number after the bar
    bars = [
        Bar(
            label=label,
            value=value,
            part=part,
            y=index * ROW,
            width=round(usable * value / peak, 1),
            part_width=round(usable * part / peak, 1),
        )
        for index, (label, value, part) in enumerate(rows)
    ]
    return BarChart(bars=bars, width=WIDTH, height=max(ROW, len(bars) * ROW), bar_height=BAR)


@dataclass(frozen=True)
class Segment:
    key: str
    label: str
    value: int
    share: float  # 0..1
    x: float
    width: float


def share_bar(rows: list[tuple[str, str, int]]) -> list[Segment]:
    """One bar split by share; ``rows`` are (key, label, value)."""
    total = sum(value for _, _, value in rows) or 1
    segments, x = [], 0.0
    for key, label, value in rows:
        width = WIDTH * value / total
        segments.append(
            Segment(
                key=key,
                label=label,
                value=value,
                share=value / total,
                x=round(x, 1),
                width=round(width, 1),
            )
        )
        x += width
    return segments


@dataclass(frozen=True)
class Point:
    label: str
    rate: float
    decided: int
    adopted: int
    x: float
    y: float


@dataclass(frozen=True)
class LineChart:
    points: list[Point]
    width: int
    height: int
    left: int
    top: int
    plot_height: int
    gridlines: list[tuple[float, str]]  # (y, "50%")
    label_every: int  # x-axis labels on every nth point, so they never overlap

    @property
    def path(self) -> str:
        return " ".join(f"{'M' if i == 0 else 'L'}{p.x},{p.y}" for i, p in enumerate(self.points))


def line_chart(rows: list[tuple[str, float, int, int]]) -> LineChart:
    """A rate (0..1) over periods; ``rows`` are (label, rate, decided, adopted)."""
    span = WIDTH - PLOT_LEFT - 24
    step = span / max(1, len(rows) - 1)
    points = [
        Point(
            label=label,
            rate=rate,
            decided=decided,
            adopted=adopted,
            x=round(PLOT_LEFT + (index * step if len(rows) > 1 else span / 2), 1),
            y=round(PLOT_TOP + PLOT_HEIGHT * (1 - rate), 1),
        )
        for index, (label, rate, decided, adopted) in enumerate(rows)
    ]
    grid = [
        (PLOT_TOP + PLOT_HEIGHT * (1 - share), f"{round(share * 100)}%")
        for share in (0, 0.25, 0.5, 0.75, 1)
    ]
    return LineChart(
        points=points,
        width=WIDTH,
        height=PLOT_TOP + PLOT_HEIGHT + 56,
        left=PLOT_LEFT,
        top=PLOT_TOP,
        plot_height=PLOT_HEIGHT,
        gridlines=grid,
        label_every=max(1, -(-len(points) // 8)),
    )
