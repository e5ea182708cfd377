"""Small pictures drawn on the server as inline SVG (pure: no Flask, no database, no chart library).

``indicator_chart`` draws one indicator of a results framework: where it started (baseline), where
it is (current) and where it should go (target), on one scale.  The numbers are read from the cells
as people write them ("38 %", "61 % (enquête de juin, 420 ménages)", "62 (20 femmes / 38 hommes)");
a cell that holds no number ("TBD", "Oui", "Validé") is left out of the picture and said so.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:[.,](\d+))?\s*(%)?")


@dataclass(frozen=True)
class Figure:
    value: float
    percent: bool


def first_number(text: str) -> Figure | None:
    """The first number written in a cell ("61 % (enquête…)" -> 61, percent), or None."""
    m = _NUMBER.search(text or "")
    if not m:
        return None
    whole = re.sub(r"[ \u00a0\u202f]", "", m.group(1))
    value = float(whole + ("." + m.group(2) if m.group(2) else ""))
    return Figure(value, bool(m.group(3)))


@dataclass(frozen=True)
class Labels:
    baseline: str
    current: str
    target: str
    missing: str       # "%(what)s: no number" pattern, already translated, with {what}
    title: str         # the picture's accessible name, with {baseline} {current} {target}


def _fmt(v: float, percent: bool, lang: str) -> str:
    text = f"{v:.1f}".rstrip("0").rstrip(".") if v != int(v) else str(int(v))
    if lang == "fr":
        text = text.replace(".", ",")
    return text + ("\u202f%" if percent and lang == "fr" else "%" if percent else "")


def indicator_chart(baseline: str, current: str, target: str, labels: Labels, lang: str = "fr",
                    width: int = 220) -> Markup | None:
    """An SVG line from 0 (or the smallest figure) to the largest: the baseline as a grey tick,
    the target as a flag, the current value as a dot with the distance covered filled in.
    None when neither a current value nor a target is a number (nothing to draw)."""
    b, c, t = first_number(baseline), first_number(current), first_number(target)
    if c is None or t is None:
        return None
    percent = any(f.percent for f in (b, c, t) if f)
    values = [f.value for f in (b, c, t) if f]
    lo = min(0.0, *values)
    hi = max(values) or 1.0
    if percent and hi <= 100:
        hi = 100.0
    left, right, y = 6, width - 6, 22

    def x(v: float) -> float:
        return round(left + (v - lo) / (hi - lo) * (right - left), 1) if hi > lo else left

    start = b.value if b else lo
    reached = c.value >= t.value if t.value >= start else c.value <= t.value
    parts = [
        f'<line class="track" x1="{left}" y1="{y}" x2="{right}" y2="{y}"/>',
        f'<line class="done{" reached" if reached else ""}" x1="{x(start)}" y1="{y}" x2="{x(c.value)}" y2="{y}"/>',
    ]
    if b:
        parts.append(f'<line class="base" x1="{x(b.value)}" y1="{y - 7}" x2="{x(b.value)}" y2="{y + 7}"/>')
    parts.append(f'<path class="target" d="M{x(t.value)} {y + 7}V{y - 11}l8 3-8 3"/>')
    parts.append(f'<circle class="now" cx="{x(c.value)}" cy="{y}" r="5"/>')
    fb = _fmt(b.value, b.percent, lang) if b else labels.missing.format(what=labels.baseline)
    fc, ft = _fmt(c.value, c.percent, lang), _fmt(t.value, t.percent, lang)
    title = labels.title.format(baseline=fb, current=fc, target=ft)
    legend = (f'<text x="{left}" y="44" class="lg">{escape(labels.baseline)} {escape(fb)}</text>'
              f'<text x="{right}" y="44" class="lg" text-anchor="end">{escape(labels.target)} {escape(ft)}</text>'
              f'<text x="{x(c.value)}" y="8" class="lg now-l" text-anchor="middle">{escape(fc)}</text>')
    svg = (f'<svg class="indicator-chart" viewBox="0 0 {width} 48" width="{width}" height="48" role="img" '
           f'aria-label="{escape(title)}"><title>{escape(title)}</title>{"".join(parts)}{legend}</svg>')
    return Markup(svg)


def count_bar(n: int, maximum: int, width: int = 160) -> Markup:
    """A horizontal bar for a count among others (the dashboard's threads per section); the
    number itself is written beside it, so the bar is decoration for screen readers."""
    w = round(width * n / maximum, 1) if maximum else 0
    return Markup(f'<svg class="count-bar" viewBox="0 0 {width} 12" width="{width}" height="12" aria-hidden="true" '
                  f'focusable="false"><rect class="bg" width="{width}" height="12" rx="3"/>'
                  f'<rect class="fg" width="{w}" height="12" rx="3"/></svg>')
