"""The public process flowchart of a service guide, drawn on the server as an SVG (no JavaScript, nothing to load).

A vertical sequence: the start terminal (申请), one rounded box per public process step (name, handling office, time
limit), the end terminal (办结), arrows between them. Special procedures (听证、专家评审…, usually not counted in the
limit) are dashed boxes at the side, linked by a dashed connector to the step they belong to: the model does not link
them to a step, so they attach to the decision step (the first step whose name contains “决定”), else the last step,
else the start terminal.

Text is measured by estimate (CJK and full-width characters one em, others about 0.6 em) and wrapped inside the
boxes, never breaking before closing punctuation or after opening punctuation. The output depends only on the input:
the same steps give byte-identical SVG, so it can be cached and compared in tests.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from standards.models import LimitUnit

# Geometry, in viewBox units (≈ CSS pixels when the chart is drawn at its natural size).
# Narrow on purpose: on a phone the whole chart is scaled down to the screen width, so every unit of width saved is
# larger text there.
MARGIN = 8
STEP_W = 210
SIDE_GAP = 28
SIDE_W = 130
TERM_W = 112
TERM_H = 34
ARROW = 28
PAD_X = 10
PAD_Y = 8
SIDE_SPACING = 10
NAME_FONT, NAME_LINE = 16, 21
META_FONT, META_LINE = 14, 19
SIDE_NAME_FONT, SIDE_NAME_LINE = 15, 20
SIDE_META_FONT, SIDE_META_LINE = 13, 17
MAX_LINES = 5

INK = "#212529"
MUTED = "#495057"
ACCENT = "#a8201a"

NO_LINE_START = set("，。、；：？！）》」』】〕…—,.;:?!)]}%")
NO_LINE_END = set("（《「『【〔([{")
_TOKEN = re.compile(r"[A-Za-z0-9_\-./:@#&+%]+|\s+|.", re.S)


def format_duration(value: int | None, unit: str | None) -> str:
    """“2个工作日”, “15个自然日”, “3个月”, “即办”; empty when there is no limit."""
    if unit == LimitUnit.INSTANT:
        return _("即办")
    if value is None:
        return ""
    patterns = {
        LimitUnit.WORKING_DAY: _("%(n)s个工作日"),
        LimitUnit.NATURAL_DAY: _("%(n)s个自然日"),
        LimitUnit.MONTH: _("%(n)s个月"),
        LimitUnit.YEAR: _("%(n)s年"),
    }
    return patterns.get(unit, "%(n)s") % {"n": value}


def text_width(text: str, font_size: float) -> float:
    """Estimated advance of ``text``: wide (CJK, full-width) characters one em, narrow ones 0.6 em, spaces 0.3."""
    width = 0.0
    for ch in text:
        if ch == " ":
            width += 0.3
        elif unicodedata.east_asian_width(ch) in ("W", "F"):
            width += 1.0
        elif unicodedata.combining(ch):
            continue
        else:
            width += 0.6
    return width * font_size


def wrap_text(text: str, max_width: float, font_size: float, max_lines: int = MAX_LINES) -> list[str]:
    """Break ``text`` into lines no wider than ``max_width``: CJK text between any two characters, Latin words and
    numbers whole (unless a word alone is too long), closing punctuation kept on the line before. Lines past
    ``max_lines`` are cut and the last one ends with “…”."""
    lines: list[str] = []
    for paragraph in str(text or "").splitlines() or [""]:
        lines.extend(_wrap_paragraph(" ".join(paragraph.split()), max_width, font_size))
    lines = [line for line in lines if line]
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and text_width(last + "…", font_size) > max_width:
            last = last[:-1]
        lines = [*lines[: max_lines - 1], last + "…"]
    return lines


def _wrap_paragraph(text: str, max_width: float, font_size: float) -> list[str]:
    lines: list[str] = []
    current = ""

    def push(piece: str) -> None:
        nonlocal current
        if not current and piece == " ":
            return
        if text_width(current + piece, font_size) <= max_width or not current:
            current += piece
            return
        if piece[0] in NO_LINE_START:  # kinsoku: a closing mark stays with what it closes, even a little over
            current += piece
            return
        carried = ""
        while current and current[-1] in NO_LINE_END:  # an opening mark moves down with what it opens
            carried = current[-1] + carried
            current = current[:-1]
        if current.strip():
            lines.append(current.rstrip())
        current = (carried + piece).lstrip()

    for token in _TOKEN.findall(text):
        if token.isspace():
            push(" ")
        elif len(token) > 1 and text_width(token, font_size) > max_width:
            for ch in token:  # a word longer than a line: break it anywhere
                push(ch)
        else:
            push(token)
    if current.strip():
        lines.append(current.rstrip())
    return lines


@dataclass(frozen=True)
class _Line:
    text: str
    font: int
    height: int
    css: str
    bold: bool = False


def _block(lines: Sequence[_Line]) -> int:
    return PAD_Y * 2 + sum(line.height for line in lines)


def _n(value: float) -> str:
    """A coordinate, written the same way every time: integers bare, others with one decimal."""
    value = round(value, 1)
    return str(int(value)) if value == int(value) else f"{value:.1f}"


def _text(lines: Sequence[_Line], cx: float, top: float) -> str:
    out = []
    y = top + PAD_Y
    for line in lines:
        weight = ' font-weight="600"' if line.bold else ""
        color = INK if line.bold else MUTED
        out.append(
            f'<text class="{line.css}" x="{_n(cx)}" y="{_n(y + line.height / 2)}" font-size="{line.font}"{weight} '
            f'fill="{color}" text-anchor="middle" dominant-baseline="central">{escape(line.text)}</text>'
        )
        y += line.height
    return "".join(out)


def _step_lines(number: int, step) -> list[_Line]:
    width = STEP_W - 2 * PAD_X
    name = f"{number}. {getattr(step, 'name', '') or ''}".strip()
    lines = [_Line(t, NAME_FONT, NAME_LINE, "fc-name", True) for t in wrap_text(name, width, NAME_FONT)]
    office = getattr(step, "handling_office", "") or ""
    lines += [_Line(t, META_FONT, META_LINE, "fc-meta") for t in wrap_text(office, width, META_FONT, 3)]
    limit = _limit_of(step)
    if limit:
        lines += [
            _Line(t, META_FONT, META_LINE, "fc-meta")
            for t in wrap_text(_("时限：%(limit)s") % {"limit": limit}, width, META_FONT, 2)
        ]
    return lines


def _special_lines(special) -> list[_Line]:
    width = SIDE_W - 2 * PAD_X
    lines = [
        _Line(t, SIDE_NAME_FONT, SIDE_NAME_LINE, "fc-name", True)
        for t in wrap_text(getattr(special, "name", "") or "", width, SIDE_NAME_FONT, 4)
    ]
    limit = _limit_of(special)
    if limit:
        lines += [_Line(t, SIDE_META_FONT, SIDE_META_LINE, "fc-meta") for t in wrap_text(limit, width, SIDE_META_FONT)]
    counted = _("计入办结时限") if getattr(special, "counted_in_limit", False) else _("不计入办结时限")
    lines += [_Line(t, SIDE_META_FONT, SIDE_META_LINE, "fc-meta") for t in wrap_text(counted, width, SIDE_META_FONT)]
    return lines


def _anchor_index(steps: Sequence) -> int:
    """Index of the step the special procedures hang on: the decision step, else the last; -1 is the start."""
    for index, step in enumerate(steps):
        if "决定" in (getattr(step, "name", "") or ""):
            return index
    return len(steps) - 1


def _limit_of(row) -> str:
    return format_duration(getattr(row, "duration", None), getattr(row, "duration_unit", ""))


def _labelled(name: str, details: Iterable[str]) -> str:
    details = [d for d in details if d]
    return f"{name}（{'，'.join(details)}）" if details else name


def _description(steps: Sequence, specials: Sequence, anchor: int) -> str:
    """The chart in words, for screen readers (the SVG's ``<desc>``)."""
    parts = [_("申请")]
    for number, step in enumerate(steps, start=1):
        name = f"{number}. {getattr(step, 'name', '') or ''}"
        parts.append(_labelled(name, [getattr(step, "handling_office", "") or "", _limit_of(step)]))
    parts.append(_("办结"))
    text = " → ".join(parts) + "。"
    if specials:
        where = (getattr(steps[anchor], "name", "") or "") if anchor >= 0 else _("申请")
        names = "、".join(_labelled(getattr(s, "name", "") or "", [_limit_of(s)]) for s in specials)
        text += _("特殊环节（虚线框）：%(names)s，在“%(where)s”环节。") % {"names": names, "where": where}
    return text


def render_flowchart(
    steps: Iterable, special_procedures: Iterable = (), *, title: str | None = None, id_prefix: str = "fc"
) -> SafeString:
    """The flowchart of ``steps`` (objects with ``name``, ``handling_office``, ``duration``, ``duration_unit``) and
    ``special_procedures`` (``name``, ``duration``, ``duration_unit``, ``counted_in_limit``) as inline SVG markup.
    Every text is escaped; ``id_prefix`` keeps element ids unique if a page shows more than one chart."""
    steps = list(steps)
    specials = list(special_procedures)
    title = title or _("办理流程图")
    pid = escape(id_prefix)
    has_side = bool(specials)
    width = MARGIN * 2 + STEP_W + ((SIDE_GAP + SIDE_W) if has_side else 0)
    cx = MARGIN + STEP_W / 2
    anchor = _anchor_index(steps)
    side_blocks = [_special_lines(s) for s in specials]
    side_stack = sum(_block(b) for b in side_blocks) + SIDE_SPACING * max(len(side_blocks) - 1, 0)

    body: list[str] = []
    arrow_attrs = f'class="fc-arrow" stroke="{MUTED}" stroke-width="1.5" fill="none" marker-end="url(#{pid}-arrow)"'

    def arrow(y1: float, y2: float) -> None:
        body.append(f'<line {arrow_attrs} x1="{_n(cx)}" y1="{_n(y1)}" x2="{_n(cx)}" y2="{_n(y2 - 1)}"/>')

    def terminal(top: float, label: str) -> None:
        body.append(
            f'<g class="fc-terminal"><rect x="{_n(cx - TERM_W / 2)}" y="{_n(top)}" width="{TERM_W}" height="{TERM_H}" '
            f'rx="{TERM_H // 2}" fill="{ACCENT}" stroke="{ACCENT}" stroke-width="1.5"/>'
            f'<text class="fc-name" x="{_n(cx)}" y="{_n(top + TERM_H / 2)}" font-size="{NAME_FONT}" font-weight="600" '
            f'fill="#ffffff" text-anchor="middle" dominant-baseline="central">{escape(label)}</text></g>'
        )

    anchor_box: tuple[float, float, float] | None = None  # right edge x, top y, middle y
    y = float(MARGIN)
    terminal(y, _("申请"))
    if anchor < 0:
        anchor_box = (cx + TERM_W / 2, y, y + TERM_H / 2)
    bottom = y + TERM_H
    y = bottom + (max(side_stack - TERM_H, 0) if has_side and anchor < 0 else 0)
    for index, step in enumerate(steps):
        lines = _step_lines(index + 1, step)
        top = y + ARROW
        arrow(bottom, top)
        height = _block(lines)
        body.append(
            f'<g class="fc-step"><rect x="{MARGIN}" y="{_n(top)}" width="{STEP_W}" height="{_n(height)}" rx="8" '
            f'fill="#ffffff" stroke="{ACCENT}" stroke-width="1.5"/>{_text(lines, cx, top)}</g>'
        )
        bottom = top + height
        y = bottom
        if has_side and index == anchor:
            anchor_box = (MARGIN + STEP_W, top, top + height / 2)
            y = top + max(height, side_stack)
    top = y + ARROW
    arrow(bottom, top)
    terminal(top, _("办结"))
    height = top + TERM_H + MARGIN

    if has_side and anchor_box is not None:
        ax, side_top, ay = anchor_box
        side_x = MARGIN + STEP_W + SIDE_GAP
        trunk = ax + SIDE_GAP / 2
        link = (
            f'class="fc-link" stroke="{MUTED}" stroke-width="1.2" stroke-dasharray="4 3" fill="none" '
            f'marker-end="url(#{pid}-arrow)"'
        )
        for lines in side_blocks:
            box_h = _block(lines)
            mid = side_top + box_h / 2
            body.append(f'<path {link} d="M{_n(ax)} {_n(ay)}H{_n(trunk)}V{_n(mid)}H{_n(side_x - 1)}"/>')
            body.append(
                f'<g class="fc-special"><rect x="{_n(side_x)}" y="{_n(side_top)}" width="{SIDE_W}" '
                f'height="{_n(box_h)}" rx="8" fill="#fffdf7" stroke="{MUTED}" stroke-width="1.2" '
                f'stroke-dasharray="6 4"/>{_text(lines, side_x + SIDE_W / 2, side_top)}</g>'
            )
            side_top += box_h + SIDE_SPACING

    css = "flowchart flowchart-side" if has_side else "flowchart"
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css}" viewBox="0 0 {_n(width)} {_n(height)}" '
        f'width="100%" role="img" aria-labelledby="{pid}-title {pid}-desc">'
        f'<title id="{pid}-title">{escape(title)}</title>'
        f'<desc id="{pid}-desc">{escape(_description(steps, specials, anchor))}</desc>'
        f'<defs><marker id="{pid}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        f'orient="auto-start-reverse"><path class="fc-arrowhead" d="M0 0L10 5L0 10z" fill="{MUTED}"/></marker></defs>'
        + "".join(body)
        + "</svg>"
    )
    return mark_safe(svg)  # every text above went through escape()
