from django import template

register = template.Library()


@register.filter
def pct(value, digits: int = 1) -> str:
    """0.8734 → "87.3%"; None (no denominator) → "—"."""
    if value is None:
        return "—"
    return f"{value * 100:.{digits}f}%"


@register.filter
def below_target(value) -> bool:
    return value is not None and value < 1
