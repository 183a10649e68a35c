"""Managing a window (hall management): its staff (AB岗) and the items it accepts. Staff taken off a window keep their
row, marked not on duty, so the record of who sat where stays whole."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from catalogue.models import LocalItem
from hall import permissions
from hall.models import StaffRole, Window, WindowStaff


@transaction.atomic
def window_staff_set(
    *,
    actor: User,
    window: Window,
    primary: Iterable[User],
    backup: Iterable[User],
    items: Iterable[LocalItem],
) -> Window:
    """Put ``primary`` on the window as A岗 and ``backup`` as B岗 (standing in for the first A岗), take everyone else
    off duty, and set the items it accepts."""
    window = Window.objects.select_for_update().select_related("hall").get(pk=window.pk)
    if not permissions.can_manage_hall(actor, window.hall):
        raise PermissionDenied(_("您不能管理该大厅的窗口"))
    primary, backup = list(primary), list(backup)
    lead = primary[0] if primary else None
    keep = set()
    for user, role in [(u, StaffRole.PRIMARY) for u in primary] + [(u, StaffRole.BACKUP) for u in backup]:
        WindowStaff.objects.update_or_create(
            window=window,
            user=user,
            defaults={"role": role, "is_active": True, "backup_for": lead if role == StaffRole.BACKUP else None},
        )
        keep.add(user.pk)
    WindowStaff.objects.filter(window=window).exclude(user_id__in=keep).update(is_active=False)
    window.items.set(list(items))
    return window
