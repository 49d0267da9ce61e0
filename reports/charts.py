"""Charts drawn on the server as SVG, for the staff's reports: people would rather look than
read, and a screen reader still gets the numbers. Each chart is one `<svg role="img">`
labelled by its own `<title>` and `<desc>` (`aria-labelledby`), and the same figures go in
a table beside it (`templates/reports/admin/chart.html`: `Chart.rows`). No JavaScript.

Series are told apart by colour and by a mark of their own (line dashes, and each legend
entry's name), so the colours are not the only difference; each colour has at least 3:1
contrast with the white background (WCAG 1.4.11)."""

import math
from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH, HEIGHT = 720, 320
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 72  # room for the y axis, the x labels and legend
# USWDS blue-60v, red-60v, green-cool-60v, violet-60v, orange-60v: all 4.5:1 or more on white.
COLOURS = ("#005ea2", "#b50909", "#216e1f", "#6b4fa8", "#8c471c")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2")
MAX_X_LABELS = 12  # more categories than this: every n-th is labelled


@dataclass
class Series:
    name: str
    values: list[float | None]


@dataclass
class Chart:
    """A bar or line chart of ``series`` over ``labels`` (the x axis, in order)."""

    kind: str  # "bar" or "line"
    key: str  # unique on the page: the ids of its title and description
    title: str
    description: str
    axis: str  # what the x labels are: the table's first heading
    labels: list[str]
    series: list[Series] = field(default_factory=list)

    @property
    def rows(self) -> list[list]:
        """The table beside the chart: one row per label, one column per series."""
        return [
            [label, *(series.values[index] for series in self.series)]
            for index, label in enumerate(self.labels)
        ]

    def svg(self) -> SafeString:
        top = _nice_ceiling(
            max((v for s in self.series for v in s.values if v is not None), default=0)
        )
        draw = _bars if self.kind == "bar" else _lines
        return format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" '
            'role="img" aria-labelledby="{key}-title {key}-desc" class="canvass-chart">'
            '<title id="{key}-title">{title}</title><desc id="{key}-desc">{desc}</desc>'
            "{axes}{marks}{legend}</svg>",
            w=WIDTH,
            h=HEIGHT,
            key=self.key,
            title=self.title,
            desc=self.description,
            axes=_axes(self.labels, top),
            marks=draw(self, top),
            legend=_legend(self.series),
        )


def _joined(parts: list[SafeString]) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts))


def _nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 times a power of ten at or above ``value`` (1 for 0)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 2.5, 5, 10) if step * power >= value)


def _plot_width() -> int:
    return WIDTH - LEFT - RIGHT


def _plot_height() -> int:
    return HEIGHT - TOP - BOTTOM


def _y(value: float, top: float) -> float:
    return round(TOP + _plot_height() * (1 - value / top), 1)


def _x_centre(index: int, count: int) -> float:
    return round(LEFT + _plot_width() * (index + 0.5) / max(count, 1), 1)


def _number(value: float) -> str:
    return f"{value:g}"


def _axes(labels: list[str], top: float) -> SafeString:
    """Five gridlines with their values, and the x labels under the plot."""
    ticks = format_html_join(
        "",
        '<line x1="{x1}" x2="{x2}" y1="{y}" y2="{y}" stroke="#dfe1e2"/>'
        '<text x="{tx}" y="{y}" dy="4" text-anchor="end" font-size="12" '
        'fill="#1b1b1b">{label}</text>',
        (
            {
                "x1": LEFT,
                "x2": WIDTH - RIGHT,
                "y": _y(top * step / 4, top),
                "tx": LEFT - 6,
                "label": _number(top * step / 4),
            }
            for step in range(5)
        ),
    )
    every = max(1, math.ceil(len(labels) / MAX_X_LABELS))
    names = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle" font-size="12" fill="#1b1b1b">{}</text>',
        (
            (_x_centre(index, len(labels)), TOP + _plot_height() + 18, label)
            for index, label in enumerate(labels)
            if index % every == 0
        ),
    )
    return format_html("{}{}", ticks, names)


def _bars(chart: Chart, top: float) -> SafeString:
    slot = _plot_width() / max(len(chart.labels), 1)
    width = slot * 0.8 / max(len(chart.series), 1)
    bars = []
    for number, series in enumerate(chart.series):
        for index, value in enumerate(series.values):
            if not value:
                continue
            x = LEFT + slot * index + slot * 0.1 + width * number
            bars.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                    round(x, 1),
                    _y(value, top),
                    round(width, 1),
                    round(TOP + _plot_height() - _y(value, top), 1),
                    COLOURS[number % len(COLOURS)],
                )
            )
    return _joined(bars)


def _lines(chart: Chart, top: float) -> SafeString:
    """One path per series; a missing value breaks its line; each value has a dot."""
    marks = []
    count = len(chart.labels)
    for number, series in enumerate(chart.series):
        colour = COLOURS[number % len(COLOURS)]
        steps, pen_down = [], False
        for index, value in enumerate(series.values):
            if value is None:
                pen_down = False
                continue
            point = f"{_x_centre(index, count)} {_y(value, top)}"
            steps.append(("L" if pen_down else "M") + point)
            pen_down = True
            marks.append(
                format_html(
                    '<circle cx="{}" cy="{}" r="3" fill="{}"/>',
                    _x_centre(index, count),
                    _y(value, top),
                    colour,
                )
            )
        if steps:
            marks.append(
                format_html(
                    '<path d="{}" fill="none" stroke="{}" stroke-width="2" stroke-dasharray="{}"/>',
                    " ".join(steps),
                    colour,
                    DASHES[number % len(DASHES)] or "none",
                )
            )
    return _joined(marks)


def _legend(series: list[Series]) -> SafeString:
    y = HEIGHT - 20
    step = _plot_width() / max(len(series), 1)
    return format_html_join(
        "",
        '<line x1="{x}" x2="{x2}" y1="{y}" y2="{y}" stroke="{colour}" stroke-width="3" '
        'stroke-dasharray="{dash}"/>'
        '<text x="{tx}" y="{y}" dy="4" font-size="12" fill="#1b1b1b">{name}</text>',
        (
            {
                "x": round(LEFT + step * number, 1),
                "x2": round(LEFT + step * number + 24, 1),
                "y": y,
                "colour": COLOURS[number % len(COLOURS)],
                "dash": DASHES[number % len(DASHES)] or "none",
                "tx": round(LEFT + step * number + 30, 1),
                "name": item.name,
            }
            for number, item in enumerate(series)
        ),
    )
