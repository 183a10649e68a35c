from django import template

from reporting.rates import percent

register = template.Library()


@register.filter
def pct(value) -> str:
    """0.8739 → "87.3%", rounded down like every rate shown (``reporting.rates.percent``); None (no denominator) →
    "—"."""
    shown = percent(value)
    return "—" if shown is None else f"{shown:.1f}%"


@register.filter
def below_target(value) -> bool:
    return value is not None and value < 1
