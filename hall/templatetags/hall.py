from __future__ import annotations

import datetime as dt

from django import template

register = template.Library()


@register.filter
def minutes(value: dt.timedelta | None) -> str:
    """A duration as minutes with one decimal, or a dash when there is none."""
    if value is None:
        return "—"
    return f"{value.total_seconds() / 60:.1f}"
