"""The standards' buttons on the catalogue's item page (named in ``settings.CATALOGUE_LOCAL_ITEM_ACTIONS``: the
catalogue below cannot import the standards)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.urls import reverse
from django.utils.translation import gettext as _

from catalogue.models import LocalItem
from core.pages import PageAction

from .. import permissions
from ..models import IN_PROGRESS_STATES, StandardState


def local_item_actions(user: User | AnonymousUser, item: LocalItem) -> list[PageAction]:
    """修订 when the item has a published standard and no version in progress, 开始编写 when it has none — for
    whoever writes the item's standards; both lead to the start page, which says what the new version will be."""
    states = set(item.standards.values_list("state", flat=True))
    if not permissions.can_start_version(user, item, in_progress=bool(states & set(IN_PROGRESS_STATES))):
        return []
    url = reverse("standards:start", args=[item.pk])
    if StandardState.PUBLISHED in states:
        return [PageAction(_("修订标准"), url, icon="bi-pencil-square", style="btn-primary")]
    if not states:
        return [PageAction(_("开始编写标准"), url, icon="bi-pencil", style="btn-primary")]
    return []
