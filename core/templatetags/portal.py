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
