"""Minimal server-side SVG charts: no script, no inline style, so the console's CSP holds.

Colours and sizes are presentation attributes (``fill=``), which CSP's style-src does not
govern. Every text is escaped. Each chart has a <title> and the page shows the same numbers
in a table, for screen readers and for copying.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

PALETTE = ("#2f6fb0", "#d9822b", "#3a9a5b", "#b03a48", "#7a5cb0", "#8c8c3a", "#3a8c8c", "#a0522d")


def _t(text: object) -> str:
    return escape(str(text), quote=True)


def stacked_bars(
    title: str,
    labels: Sequence[str],
    series: dict[str, Sequence[int]],
    *,
    width: int = 720,
    height: int = 260,
) -> Markup:
    """Vertical bars, one per label, stacked by series (e.g. requests per week by service)."""
    left, right, top, bottom = 40, 10, 24, 40
    legend_h = 18 * ((len(series) + 3) // 4)
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(values[i] for values in series.values()) for i in range(len(labels))]
    peak = max(totals, default=0) or 1
    n = max(len(labels), 1)
    slot = plot_w / n
    bar = max(2.0, slot * 0.7)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height + legend_h}"'
        f' class="chart"><title>{_t(title)}</title>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#888"/>',
        f'<text x="{left - 4}" y="{top + 4}" text-anchor="end" font-size="11">{peak}</text>',
        f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end" font-size="11">0</text>',
    ]
    for i, label in enumerate(labels):
        x = left + i * slot + (slot - bar) / 2
        y = top + plot_h
        for s, values in enumerate(series.values()):
            value = values[i]
            if not value:
                continue
            h = plot_h * value / peak
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}"'
                f' fill="{PALETTE[s % len(PALETTE)]}"><title>{_t(label)} {value}</title></rect>'
            )
        if n <= 16 or i % 2 == 0:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{top + plot_h + 14}" text-anchor="middle"'
                f' font-size="10">{_t(label)}</text>'
            )
        if totals[i]:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle" font-size="10">'
                f"{totals[i]}</text>"
            )
    for s, name in enumerate(series):
        lx = left + (s % 4) * (plot_w / 4)
        ly = height + 18 * (s // 4) - 4
        parts.append(
            f'<rect x="{lx:.1f}" y="{ly - 10}" width="10" height="10" fill="{PALETTE[s % len(PALETTE)]}"/>'
            f'<text x="{lx + 14:.1f}" y="{ly}" font-size="11">{_t(name)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def horizontal_bars(
    title: str, items: Sequence[tuple[str, int]], *, width: int = 720, colour: str = PALETTE[0]
) -> Markup:
    """One bar per item, longest first as given (e.g. the most frequent unanswered questions)."""
    row, label_w, top = 22, 300, 6
    height = top * 2 + row * max(len(items), 1)
    peak = max((v for _, v in items), default=0) or 1
    plot_w = width - label_w - 50
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" class="chart">'
        f"<title>{_t(title)}</title>"
    ]
    for i, (label, value) in enumerate(items):
        y = top + i * row
        shown = label if len(label) <= 22 else label[:21] + "…"
        w = plot_w * value / peak
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="12">{_t(shown)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" fill="{colour}">'
            f"<title>{_t(label)} {value}</title></rect>"
            f'<text x="{label_w + w + 4:.1f}" y="{y + 15}" font-size="12">{value}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
