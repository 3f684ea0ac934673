"""Charts drawn on the server as SVG: bars, stacked bars and lines, no script, no CDN.

Each chart is an accessible image (``role="img"`` named by its ``<title>`` and ``<desc>``);
the page always shows the same figures in a data table next to it, which is what screen
readers, printouts and exports rely on. Colours are the Okabe-Ito palette, which people with
the common colour-vision deficiencies tell apart; every series is also named in a legend.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999",
           "#000000")
WIDTH = 640
LABEL_WIDTH = 190
ROW = 26
Number = int | float
Formatter = Callable[[Number], str]


@dataclass(frozen=True)
class Series:
    """A named list of values, one per category (None: no value)."""

    name: str
    values: Sequence[Number | None]


def _text(value: object, limit: int = 32) -> str:
    text = str(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _frame(chart_id: str, title: str, description: str, height: int, body: list[str]) -> Markup:
    # Every piece of text in ``body`` and here went through escape(): the markup is safe.
    return Markup(  # noqa: S704
        f'<svg xmlns="http://www.w3.org/2000/svg" class="kit-chart" id="{escape(chart_id)}" '
        f'role="img" aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'font-family="sans-serif" font-size="12">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>'
        + "".join(body) + "</svg>")


def _scale(values: Sequence[Number | None]) -> float:
    top = max((float(v) for v in values if v is not None), default=0.0)
    return top if top > 0 else 1.0


def bar_chart(chart_id: str, title: str, description: str,
              items: Sequence[tuple[str, Number]], *, horizontal: bool = True,
              fmt: Formatter = str) -> Markup:
    """One bar per item, its length proportional to its value (the longest fills the chart).

    Horizontal bars suit long labels (departments, agencies, funnel stages); vertical ones
    suit a few short labels (scores 1 to 5).
    """
    top = _scale([value for _label, value in items])
    body: list[str] = []
    if horizontal:
        plot = WIDTH - LABEL_WIDTH - 70
        for index, (label, value) in enumerate(items):
            y = 8 + index * ROW
            length = round(float(value) / top * plot, 2)
            body.append(
                f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end">'
                f'{escape(_text(label))}</text>'
                f'<rect class="kit-bar" x="{LABEL_WIDTH}" y="{y + 3}" width="{length}" '
                f'height="{ROW - 8}" fill="{PALETTE[0]}"><title>{escape(label)}: '
                f'{escape(fmt(value))}</title></rect>'
                f'<text x="{LABEL_WIDTH + length + 5}" y="{y + 15}">{escape(fmt(value))}</text>')
        return _frame(chart_id, title, description, 16 + len(items) * ROW, body)
    height, base, plot = 240, 210, 180
    step = (WIDTH - 40) / max(len(items), 1)
    for index, (label, value) in enumerate(items):
        x = 20 + index * step
        length = round(float(value) / top * plot, 2)
        body.append(
            f'<rect class="kit-bar" x="{x + step * 0.15:.2f}" y="{base - length}" '
            f'width="{step * 0.7:.2f}" height="{length}" fill="{PALETTE[0]}">'
            f'<title>{escape(label)}: {escape(fmt(value))}</title></rect>'
            f'<text x="{x + step / 2:.2f}" y="{base - length - 4}" text-anchor="middle">'
            f'{escape(fmt(value))}</text>'
            f'<text x="{x + step / 2:.2f}" y="{base + 16}" text-anchor="middle">'
            f'{escape(_text(label, 16))}</text>')
    body.insert(0, f'<line x1="20" y1="{base}" x2="{WIDTH - 20}" y2="{base}" stroke="#666"/>')
    return _frame(chart_id, title, description, height, body)


def _legend(series: Sequence[Series], y: int) -> list[str]:
    body = []
    x = 10
    for index, item in enumerate(series):
        body.append(f'<rect x="{x}" y="{y}" width="12" height="12" '
                    f'fill="{PALETTE[index % len(PALETTE)]}"/>'
                    f'<text x="{x + 16}" y="{y + 10}">{escape(_text(item.name, 28))}</text>')
        x += 24 + 7 * len(_text(item.name, 28))
        if x > WIDTH - 120:
            x, y = 10, y + 18
    return body


def stacked_bar_chart(chart_id: str, title: str, description: str, categories: Sequence[str],
                      series: Sequence[Series], *, fmt: Formatter = str) -> Markup:
    """One horizontal bar per category made of one segment per series; the longest bar fills
    the chart (pass percentages for bars of equal length)."""
    totals = [sum(float(s.values[i] or 0) for s in series) for i in range(len(categories))]
    top = _scale(totals)
    plot = WIDTH - LABEL_WIDTH - 20
    body: list[str] = []
    for index, category in enumerate(categories):
        y = 8 + index * ROW
        x = float(LABEL_WIDTH)
        body.append(f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end">'
                    f'{escape(_text(category))}</text>')
        for number, item in enumerate(series):
            value = item.values[index] or 0
            length = round(float(value) / top * plot, 2)
            if length <= 0:
                continue
            body.append(f'<rect class="kit-bar" x="{x:.2f}" y="{y + 3}" width="{length}" '
                        f'height="{ROW - 8}" fill="{PALETTE[number % len(PALETTE)]}">'
                        f'<title>{escape(category)}, {escape(item.name)}: '
                        f'{escape(fmt(value))}</title></rect>')
            x += length
    legend_y = 16 + len(categories) * ROW
    body += _legend(series, legend_y)
    return _frame(chart_id, title, description, legend_y + 18 * (1 + len(series) // 5) + 8,
                  body)


def line_chart(chart_id: str, title: str, description: str, labels: Sequence[str],
               series: Sequence[Series], *, low: float = 0.0, high: float | None = None,
               fmt: Formatter = str) -> Markup:
    """One line per series across ``labels`` (months), on a scale from ``low`` to ``high``
    (default: the largest value); a missing value breaks the line."""
    top = high if high is not None else _scale([v for s in series for v in s.values])
    left, right, base, plot = 40, WIDTH - 40, 200, 180
    step = (right - left) / max(len(labels) - 1, 1)
    span = (top - low) or 1.0

    def y_of(value: Number) -> float:
        return round(base - (float(value) - low) / span * plot, 2)

    body = [f'<line x1="{left}" y1="{base}" x2="{right}" y2="{base}" stroke="#666"/>',
            f'<text x="{left - 6}" y="{base + 4}" text-anchor="end">{escape(fmt(low))}</text>',
            f'<text x="{left - 6}" y="{base - plot + 4}" text-anchor="end">'
            f'{escape(fmt(top))}</text>']
    every = max(1, len(labels) // 8)  # at most about eight labels under the axis
    for index, label in enumerate(labels):
        if index % every == 0:
            body.append(f'<text x="{left + index * step:.2f}" y="{base + 16}" '
                        f'text-anchor="middle">{escape(_text(label, 10))}</text>')
    for number, item in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        runs: list[list[str]] = [[]]
        for index, value in enumerate(item.values):
            if value is None:
                runs.append([])
                continue
            point = f"{left + index * step:.2f},{y_of(value)}"
            runs[-1].append(point)
            body.append(f'<circle cx="{left + index * step:.2f}" cy="{y_of(value)}" r="3" '
                        f'fill="{colour}"><title>{escape(item.name)}, {escape(labels[index])}: '
                        f'{escape(fmt(value))}</title></circle>')
        body += [f'<polyline class="kit-line" fill="none" stroke="{colour}" stroke-width="2" '
                 f'points="{" ".join(run)}"/>' for run in runs if len(run) > 1]
    body += _legend(series, base + 26)
    return _frame(chart_id, title, description, base + 52 + 18 * (len(series) // 5), body)
