"""What 好差评 adds to lower apps' pages, which cannot import it: the evaluation link on a case's applicant-facing
pages (the progress page and the printed notices, ``settings.CASE_PUBLIC_PANELS``) and the guide-accuracy complaints
on a standard's staff page (``settings.STANDARD_PAGE_PANELS``)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from cases.models import Case
from cases.notices import qr_svg
from core.pages import PagePanel
from standards import permissions as standards_permissions
from standards.models import ItemStandard

from .models import Evaluation, RevisionRequest, Target
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


GUIDE_PANEL_TEMPLATE = "evaluation/includes/guide_panel.html"
GUIDE_PANEL_ROWS = 10


def standard_panels(user: User | AnonymousUser, standard: ItemStandard) -> list[PagePanel]:
    """The guide-accuracy complaints about the item (the revision tasks 好差评 opened), on the standard's staff page
    (``settings.STANDARD_PAGE_PANELS``) for those who may read the standard; nothing when there are none."""
    if not standards_permissions.can_read(user, standard):
        return []
    requests = list(
        RevisionRequest.objects.filter(local_item_id=standard.local_item_id)
        .select_related("evaluation", "standard")
        .order_by("-created_at")[:GUIDE_PANEL_ROWS]
    )
    if not requests:
        return []
    return [
        PagePanel(title=_("好差评：办事指南精确度投诉"), template=GUIDE_PANEL_TEMPLATE, context={"requests": requests})
    ]
