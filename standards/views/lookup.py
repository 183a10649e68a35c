"""The one way a staff page finds the version it is about: by id, joined for the page, and a 404 — never a 403 — for
a version outside the user's scope, so ids reveal nothing."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from core.audit import out_of_scope

from .. import permissions, selectors
from ..models import ItemStandard


def standard_or_404(request: HttpRequest, pk: int) -> ItemStandard:
    standard = selectors.standard_for_editor(pk=pk)
    if standard is None or not permissions.can_read(request.user, standard):
        raise out_of_scope(request, ItemStandard, {"pk": pk}, _("标准不存在或不在您的权限范围内"))
    return standard
