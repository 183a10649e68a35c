from urllib.parse import urlencode

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced, for sort links and pagination."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    if "page" not in changes:
        # A new filter, sort or page size starts again from the first page.
        params.pop("page", None)
    return "?" + urlencode(sorted(params.lists()), doseq=True)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def sort_link(context, field: str, label: str) -> str:
    """A column header that sorts by ``field`` and, clicked again, in reverse; shows the current direction."""
    from django.utils.html import format_html

    current = context["request"].GET.get("sort", "")
    if current == field:
        target, arrow = f"-{field}", " ▲"
    elif current == f"-{field}":
        target, arrow = field, " ▼"
    else:
        target, arrow = field, ""
    url = query_with(context, sort=target)
    return format_html('<a class="link-dark" href="{}">{}{}</a>', url, label, arrow)


@register.filter
def progress_step(percent) -> int:
    """The nearest width class (w-0 … w-100 in steps of 5) for a progress bar, so no inline style is needed."""
    try:
        value = int(percent)
    except (TypeError, ValueError):
        return 0
    return max(0, min(100, 5 * round(value / 5)))


@register.filter
def display_name(user) -> str:
    """How the pages name a person: full name, else login name; rows written by the system have no user."""
    if user is None:
        from django.utils.translation import gettext

        return gettext("系统")
    return user.get_full_name() or user.get_username()
