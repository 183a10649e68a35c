"""A notice as printed on A4: number, date, the body its kind says, the seal area and a QR code of the public
progress page."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.pages import page_panels, staff_required

from .. import permissions
from ..models import Notice
from ..notices import progress_path, qr_svg


@staff_required
def notice_view(request: HttpRequest, number: str) -> HttpResponse:
    notice = (
        Notice.objects.filter(permissions.visible_cases_q(request.user, "case__"), number=number)
        .select_related("case__organization", "case__local_item", "issued_by")
        .first()
    )
    if notice is None:
        raise Http404(_("没有找到该文书"))
    url = request.build_absolute_uri(progress_path(notice.case))
    return render(
        request,
        "cases/notice.html",
        {
            "notice": notice,
            "case": notice.case,
            "c": notice.content,
            "progress_url": url,
            # segno writes the SVG itself from the URL; nothing typed by a user reaches it unescaped.
            "qr": mark_safe(qr_svg(url)),
            # What apps above the cases print for the applicant (the evaluation link): ``settings.CASE_PUBLIC_PANELS``.
            "panels": page_panels("CASE_PUBLIC_PANELS", request.user, notice.case),
        },
    )
