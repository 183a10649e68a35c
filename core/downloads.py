"""Responses a browser saves as a file rather than shows."""

from __future__ import annotations

from django.http import HttpResponseBase
from django.utils.http import content_disposition_header


def attachment(response: HttpResponseBase, filename: str) -> HttpResponseBase:
    """A download under ``filename``: plain for ASCII names, RFC 5987 (``filename*=utf-8''…``) for Chinese ones, so
    the saved file keeps its Chinese name; never cached, since exports change with the data."""
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "no-cache"
    return response
