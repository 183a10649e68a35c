"""The navigation bar depends on who is signed in; it is built once per request here."""

from functools import cache

from django.conf import settings
from django.http import HttpRequest

from core.notifications import unread_count

from .navigation import navigation_sections


def navigation(request: HttpRequest) -> dict:
    sections = navigation_sections(request.user)
    items = [entry for section in sections for entry in section["entries"]]
    # The entry whose address is the longest prefix of this page's is the current one.
    matches = [e for e in items if request.path == e["url"] or (e["url"] != "/" and request.path.startswith(e["url"]))]
    current = max(matches, key=lambda e: len(e["url"]), default=None)
    for entry in items:
        entry["active"] = entry is current
    for section in sections:
        section["active"] = any(entry["active"] for entry in section["entries"])

    @cache
    def unread() -> int:  # counted once, and only when a page shows it (the signed-in navigation bar does)
        return unread_count(request.user)

    return {
        "nav_items": items,
        "nav_sections": sections,
        "size_choices": settings.PAGE_SIZE_CHOICES,
        "unread_count": unread,
    }
