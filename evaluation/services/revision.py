"""A complaint about the service guide's accuracy becomes a revision task on the item's standard.

The portal has no revision-request object of its own (a standard is revised by starting a new version from its page,
``standards:start``), so the task is what the department's entry clerks and heads find in their inbox — a link to
the standard in force, whose page offers 修订 — and the ``RevisionRequest`` row that records who was told and when.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_noop

from catalogue.models import Membership, Role
from core.i18n import Message as M
from core.models import Notification
from core.notifications import Message, notify
from standards.models import ItemStandard

from ..models import Evaluation, RevisionRequest

NOTIFY_ROLES = (Role.CLERK, Role.DEPT_HEAD)


def revision_request_open(evaluation: Evaluation) -> RevisionRequest:
    """Record the task and tell the item's department (inside the evaluation's transaction; mail after commit)."""
    item = evaluation.local_item
    standard = (
        ItemStandard.objects.published().filter(local_item_id=item.pk).order_by("-version").first()
        or ItemStandard.objects.filter(local_item_id=item.pk).order_by("-version").first()
    )
    request = RevisionRequest.objects.create(
        evaluation=evaluation,
        local_item=item,
        standard=standard,
        organization_id=item.organization_id,
        created_at=evaluation.submitted_at,
    )
    people = [
        m.user
        for m in Membership.objects.filter(
            organization_id=item.organization_id, role__in=NOTIFY_ROLES, user__is_active=True
        ).select_related("user")
    ]
    url = reverse("standards:detail", args=[standard.pk]) if standard else reverse("standards:start", args=[item.pk])
    told = notify(
        people,
        Message(
            kind=Notification.Kind.TASK,
            key=f"eval-guide:{evaluation.pk}",
            title=M(gettext_noop("办事指南修订：%(item)s"), item=item.name),
            body=M(
                gettext_noop("申请人评价“办事指南精确度”不满意，请核对办事指南并修订标准。评价内容：%(comment)s"),
                comment=evaluation.comment or "—",
            ),
            url=url,
        ),
    )
    request.notified = told
    request.save(update_fields=["notified"])
    return request
