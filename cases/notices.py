"""The written notices a case gives its applicant (受理、补正、不予受理、决定、特别程序、延期).

``content`` keeps what the notice said when it was issued — the materials, the reasons, the limits and dates — so a
reprint years later is the same paper, whatever became of the standard or the case since. The printed page carries
a QR code, drawn here as SVG, that opens the public progress page for the case.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import segno
from django.contrib.auth.models import User
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode

from .models import Case, Notice
from .numbers import next_notice_number


def issue_notice(
    case: Case, kind: str, *, actor: User | None, content: dict[str, Any], at: dt.datetime | None = None
) -> Notice:
    """Write a notice of ``kind`` for ``case`` (locked by the caller), numbered after the case."""
    return Notice.objects.create(
        case=case,
        kind=kind,
        number=next_notice_number(case, kind),
        issued_at=at or timezone.now(),
        issued_by=actor,
        content=_jsonable(content),
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def progress_path(case: Case) -> str:
    """Where the applicant follows the case: the public progress page, opened on this case's number."""
    try:
        base = reverse("case_progress")
    except NoReverseMatch:
        base = "/progress/"
    return f"{base}?{urlencode({'no': case.number})}"


def qr_svg(url: str) -> str:
    """A QR code of ``url`` as inline SVG markup (no image library, nothing fetched)."""
    return segno.make_qr(url, error="m").svg_inline(scale=3, border=2, omitsize=False)
