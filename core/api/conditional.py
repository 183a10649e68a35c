"""Conditional GET (``ETag`` / ``Last-Modified`` → 304) for API views, answered before the expensive part.

A list's validators come from a *catalogue stamp*: the newest ``updated_at`` of each table whose rows an answer
shows, read from their indexes in one query. Any change anywhere gives every list a new ETag — conservative, never
stale, and a 304 costs one small query instead of a page of rows. A detail's validators come from the object's own
time stamps. The ETag also covers the address with its query, the reader (anonymous or which user: staff see more)
and the language (labels are translated), and ``Vary`` says so to caches.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime

from django.db import connection
from django.db.models import Model
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

VARY = ("Accept-Language", "Authorization", "Cookie")


def catalogue_stamp(models: Iterable[type[Model]]) -> datetime | None:
    """The newest ``updated_at`` over the given models' tables, in one query of index look-ups."""
    if not models:
        return None
    parts = [f'(SELECT MAX(updated_at) FROM "{m._meta.db_table}")' for m in models]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        values = [v for v in cursor.fetchone() if v is not None]
    if not values:
        return None
    # SQLite hands back naive UTC text for a raw MAX over a datetime column.
    parsed = [v if isinstance(v, datetime) else datetime.fromisoformat(str(v)) for v in values]
    return max(v if v.tzinfo else v.replace(tzinfo=UTC) for v in parsed)


def validators(request: HttpRequest, stamp: datetime | None, *extra: object) -> tuple[str, float | None]:
    """(ETag, Last-Modified as a timestamp) of one answer to this request."""
    user = request.user.pk if request.user.is_authenticated else "anon"
    raw = "|".join(str(p) for p in (request.get_full_path(), user, get_language(), stamp, *extra))
    etag = '"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"'
    return etag, int(stamp.timestamp()) if stamp else None  # HTTP dates have whole seconds


def not_modified(request: HttpRequest, etag: str, last_modified: float | None) -> HttpResponseBase | None:
    """The 304 answer when the client's copy is current, else None."""
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is not None:
        stamp(response, etag, last_modified)
    return response


def stamp(response: HttpResponseBase, etag: str, last_modified: float | None) -> HttpResponseBase:
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = "no-cache"  # store, but ask again each time (a 304 is cheap)
    patch_vary_headers(response, VARY)
    return response
