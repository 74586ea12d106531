"""Server-rendered SVG charts (no JavaScript). Every text and attribute value is escaped here,
so templates may insert the returned markup as is."""
from __future__ import annotations

from collections.abc import Sequence
from html import escape

PALETTE = ("#0b6e4f", "#c2410c", "#1d4ed8", "#7c3aed", "#b91c1c", "#0e7490", "#a16207", "#4b5563")


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _fmt(value: float) -> str:
    return f"{value:.0f}" if abs(value) >= 100 or float(value).is_integer() else f"{value:.1f}"


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
            f'role="img" aria-label="{_e(title)}" class="chart" font-family="system-ui, sans-serif" font-size="11">'
            f"<title>{_e(title)}</title>{''.join(body)}</svg>")


def _empty(title: str, message: str = "Tidak ada data / no data") -> str:
    return _svg(400, 60, title, [f'<text x="10" y="35" fill="#5b6475">{_e(message)}</text>'])


def line_chart(title: str, x_labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]],
               *, y_max: float | None = None, width: int = 640, height: int = 240) -> str:
    """One line per series over the same x labels; None values leave gaps."""
    values = [v for _, vs in series for v in vs if v is not None]
    if not x_labels or not values:
        return _empty(title)
    left, right, top, bottom = 44, 10, 24, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = y_max if y_max is not None else max(max(values), 1)
    step = plot_w / max(len(x_labels) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return left + i * step, top + plot_h - (v / top_value) * plot_h

    body = [f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#9aa3b2"/>']
    for k in range(5):
        v = top_value * k / 4
        y = top + plot_h - plot_h * k / 4
        body.append(f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" fill="#5b6475">{_e(_fmt(v))}</text>'
                    f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#eef0f3"/>')
    every = max(1, len(x_labels) // 8)
    for i, label in enumerate(x_labels):
        if i % every == 0:
            x, _ = xy(i, 0)
            body.append(f'<text x="{x:.1f}" y="{height - bottom + 14}" text-anchor="middle" fill="#5b6475">{_e(label)}</text>')
    for n, (name, vs) in enumerate(series):
        color = PALETTE[n % len(PALETTE)]
        segments, current = [], []
        for i, v in enumerate(vs):
            if v is None:
                if current:
                    segments.append(current)
                current = []
                continue
            current.append("{:.1f},{:.1f}".format(*xy(i, v)))
        if current:
            segments.append(current)
        for seg in segments:
            body.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{" ".join(seg)}"/>')
        body.append(f'<rect x="{left + n * 150}" y="6" width="10" height="10" fill="{color}"/>'
                    f'<text x="{left + n * 150 + 14}" y="15">{_e(name)}</text>')
    return _svg(width, height, title, body)


def bar_chart(title: str, items: Sequence[tuple[str, float | None]], *, unit: str = "",
              max_value: float | None = None, width: int = 640, color: str = PALETTE[0]) -> str:
    """Horizontal bars, in the given order (rank them before calling)."""
    if not items:
        return _empty(title)
    label_w, bar_h, gap = 210, 18, 6
    height = 10 + len(items) * (bar_h + gap)
    known = [v for _, v in items if v is not None]
    top_value = max_value if max_value is not None else max(known + [1])
    plot_w = width - label_w - 70
    body = []
    for i, (label, value) in enumerate(items):
        y = 5 + i * (bar_h + gap)
        short = label if len(label) <= 34 else label[:33] + "…"
        body.append(f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">{_e(short)}</text>')
        if value is None:
            body.append(f'<text x="{label_w + 4}" y="{y + 13}" fill="#5b6475">—</text>')
            continue
        w = max(0.0, min(1.0, value / top_value if top_value else 0)) * plot_w
        body.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{_e(color)}" rx="2">'
                    f"<title>{_e(label)}: {_e(_fmt(value))}{_e(unit)}</title></rect>"
                    f'<text x="{label_w + w + 4:.1f}" y="{y + 13}">{_e(_fmt(value))}{_e(unit)}</text>')
    return _svg(width, height, title, body)


def column_chart(title: str, items: Sequence[tuple[str, float]], *, width: int = 640, height: int = 220,
                 color: str = PALETTE[2]) -> str:
    """Vertical columns (a histogram of pre-binned counts)."""
    if not items or not any(v for _, v in items):
        return _empty(title)
    left, bottom, top = 10, 34, 18
    plot_h = height - top - bottom
    col_w = (width - 2 * left) / len(items)
    top_value = max(v for _, v in items) or 1
    body = []
    for i, (label, value) in enumerate(items):
        h = value / top_value * plot_h
        x = left + i * col_w
        body.append(f'<rect x="{x + 3:.1f}" y="{top + plot_h - h:.1f}" width="{col_w - 6:.1f}" height="{h:.1f}" '
                    f'fill="{_e(color)}"><title>{_e(label)}: {_e(_fmt(value))}</title></rect>'
                    f'<text x="{x + col_w / 2:.1f}" y="{top + plot_h - h - 3:.1f}" text-anchor="middle">{_e(_fmt(value))}</text>'
                    f'<text x="{x + col_w / 2:.1f}" y="{height - bottom + 14}" text-anchor="middle" fill="#5b6475">{_e(label)}</text>')
    return _svg(width, height, title, body)


def share_bar(title: str, items: Sequence[tuple[str, float]], *, width: int = 640) -> str:
    """One stacked 100% bar with a legend (channel mix)."""
    total = sum(v for _, v in items)
    if not items or total <= 0:
        return _empty(title)
    body, x = [], 10.0
    plot_w = width - 20
    for n, (label, value) in enumerate(items):
        w = value / total * plot_w
        color = PALETTE[n % len(PALETTE)]
        body.append(f'<rect x="{x:.1f}" y="8" width="{w:.1f}" height="26" fill="{color}">'
                    f"<title>{_e(label)}: {value / total * 100:.1f}%</title></rect>")
        body.append(f'<rect x="{10 + n * 150}" y="46" width="10" height="10" fill="{color}"/>'
                    f'<text x="{24 + n * 150}" y="55">{_e(label)} {value / total * 100:.1f}%</text>')
        x += w
    return _svg(width, 66, title, body)
