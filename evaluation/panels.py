"""The evaluation link on a case's applicant-facing pages (the progress page and the printed notices), named in
``settings.CASE_PUBLIC_PANELS``: the cases below cannot import the evaluations."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from cases.models import Case
from cases.notices import qr_svg
from core.pages import PagePanel

from .models import Evaluation, Target
from .services import case_evaluable
from .tokens import case_path

PANEL_TEMPLATE = "evaluation/includes/case_panel.html"


def case_public_panels(user: User | AnonymousUser, case: Case) -> list[PagePanel]:
    """好差评 for this case: the link (with a QR code) while it can be evaluated, 已评价 once it has been. Whoever
    reaches the page already proved they may follow the case (number and phone tail, or staff scope)."""
    evaluated = Evaluation.objects.filter(case=case, target=Target.CASE).exists()
    path = case_path(case)
    url = f"{settings.PORTAL_BASE_URL.rstrip('/')}{path}"
    return [
        PagePanel(
            title=_("好差评"),
            template=PANEL_TEMPLATE,
            context={
                "path": path,
                "url": url,
                "evaluated": evaluated,
                "ready": case_evaluable(case),
                # segno draws the SVG from the URL, which holds only the signed token.
                "qr": mark_safe(qr_svg(url)),
            },
        )
    ]
