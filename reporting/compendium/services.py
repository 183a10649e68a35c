"""Every state change of a compendium: asking for one (freezing the standards it gathers), building its Word file,
marking it failed, restarting it.

The build holds no transaction while it writes: it reads the standards a chunk at a time, tells its progress to the
record (a committed one-row update the page polls) and to Celery, and stores the file and the new state in one short
transaction at the end under the row's lock — a rebuild meanwhile cannot mix two files.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from catalogue import access
from catalogue.models import Division, LocalItem, Organization
from reporting.models import Compendium, CompendiumKind, CompendiumStatus
from reporting.services import fail_stale_builds

from . import permissions
from .content import iter_standards, published_standards, section
from .word import today_line, write_compendium

Progress = Callable[[int, str], None]

# A compendium of more items than this is built by a worker, with its progress shown; a smaller one at once.
SYNC_LIMIT = 30
MAX_ITEMS = 20000


def sync_limit() -> int:
    return getattr(settings, "COMPENDIUM_SYNC_LIMIT", SYNC_LIMIT)


def _silent(percent: int, message: str) -> None:
    pass


def _common_division(item_ids: Iterable[int]) -> Division | None:
    """The lowest division containing every item (a county, a city, the province)."""
    common: list[str] | None = None
    for division in Division.objects.filter(pk__in=LocalItem.objects.filter(pk__in=item_ids).values("division")):
        codes = division.ancestor_codes()
        common = codes if common is None else [a for a, b in zip(common, codes, strict=False) if a == b]
    return Division.objects.filter(code=common[-1]).first() if common else None


@transaction.atomic
def compendium_create(
    *,
    actor: User,
    kind: str,
    division: Division | None = None,
    organization: Organization | None = None,
    item_ids: Iterable[int] = (),
    title: str = "",
    issuer: str = "",
) -> Compendium:
    """A compendium waiting to be built (``compendium_build``): the published standards of a division, a department
    or the picked items, which the actor may compile, fixed now in print order."""
    item_ids = sorted({int(i) for i in item_ids})
    if kind == CompendiumKind.DIVISION:
        if division is None or not permissions.can_compile_division(actor, division):
            raise PermissionDenied(_("您无权为该区划编印标准汇编"))
        standards, unit = published_standards(division=division), division.name
    elif kind == CompendiumKind.DEPARTMENT:
        if organization is None or not permissions.can_compile_organization(actor, organization):
            raise PermissionDenied(_("您无权为该部门编印标准汇编"))
        division = organization.division
        standards, unit = published_standards(organization=organization), organization.name
    elif kind == CompendiumKind.PICKED:
        if not item_ids:
            raise ValidationError({"items": _("请至少选择一个事项")})
        if not permissions.can_compile_items(actor, item_ids):
            raise PermissionDenied(_("所选事项不在您的权限范围内"))
        organizations = set(LocalItem.objects.filter(pk__in=item_ids).values_list("organization_id", flat=True))
        if len(organizations) == 1:
            organization = Organization.objects.select_related("division").get(pk=organizations.pop())
        division = _common_division(item_ids)
        standards = published_standards(item_ids=item_ids)
        unit = organization.name if organization else (division.name if division else "")
    else:
        raise ValidationError({"kind": _("请选择汇编范围")})
    ids = list(standards.values_list("pk", flat=True)[: MAX_ITEMS + 1])
    if not ids:
        raise ValidationError({"__all__": _("所选范围内没有已发布的审批标准")})
    if len(ids) > MAX_ITEMS:
        raise ValidationError({"__all__": _("一次最多汇编 %(n)s 个事项，请缩小范围") % {"n": MAX_ITEMS}})
    if not issuer:
        organizations = access.scope_of(actor).organizations()
        issuer = organizations[0].name if organizations else ""
    return Compendium.objects.create(
        title=(title.strip() or _("%(unit)s行政审批标准文本汇编") % {"unit": unit})[:200],
        kind=kind,
        division=division,
        organization=organization if kind != CompendiumKind.DIVISION else None,
        issuer=issuer.strip()[:200],
        standard_ids=ids,
        item_count=len(ids),
        status=CompendiumStatus.BUILDING,
        created_by=actor,
    )


def _cover_lines(compendium: Compendium) -> list[str]:
    unit = compendium.division.name
    if compendium.organization_id:
        unit = f"{unit} · {compendium.organization.name}"
    lines = [unit, _("共收录 %(n)s 个事项") % {"n": compendium.item_count}]
    if compendium.issuer:
        lines.append(compendium.issuer)
    lines.append(today_line(timezone.localdate()))
    return lines


def compendium_build(*, compendium_id: int, progress: Progress = _silent) -> Compendium:
    """Write the compendium's Word file item by item and store it; the record shows the percentage as it goes."""
    compendium = Compendium.objects.select_related("division", "organization").get(pk=compendium_id)
    progress(1, gettext_noop("正在读取审批标准"))
    step = max(1, compendium.item_count // 20)

    def told(done: int, count: int) -> None:
        if done % step == 0 or done == count:
            percent = min(95, 1 + int(94 * done / max(count, 1)))
            Compendium.objects.filter(pk=compendium_id).update(percent=percent)
            progress(percent, gettext_noop("正在写入事项"))

    sections = (section(n, s) for n, s in enumerate(iter_standards(compendium.standard_ids), start=1))
    with tempfile.TemporaryFile(suffix=".docx") as out:
        written = write_compendium(
            out,
            title=compendium.title,
            cover_lines=_cover_lines(compendium),
            sections=sections,
            count=compendium.item_count,
            progress=told,
        )
        progress(97, gettext_noop("正在保存文件"))
        out.seek(0)
        with transaction.atomic():
            locked = Compendium.objects.select_for_update().get(pk=compendium_id)
            old_name = locked.file.name
            name = _("标准汇编_%(division)s_%(pk)s.docx") % {"division": locked.division_id, "pk": locked.pk}
            locked.file.save(name, File(out), save=False)
            locked.status, locked.percent, locked.error = CompendiumStatus.READY, 100, ""
            locked.item_count = written
            locked.generated_at = timezone.now()
            locked.save()
    if old_name and old_name != locked.file.name:
        locked.file.storage.delete(old_name)
    progress(100, gettext_noop("汇编已生成"))
    return locked


def compendium_failed(*, compendium_id: int, error: str) -> None:
    Compendium.objects.filter(pk=compendium_id).update(status=CompendiumStatus.FAILED, error=error[:2000])


@transaction.atomic
def compendium_restart(*, actor: User, compendium: Compendium) -> Compendium:
    """A failed compendium waits to be built again, by someone who may read it."""
    compendium = Compendium.objects.select_for_update().get(pk=compendium.pk)
    if not permissions.can_read_compendium(actor, compendium):
        raise PermissionDenied(_("您无权重新生成该汇编"))
    if compendium.status != CompendiumStatus.FAILED:
        raise ValidationError(_("只有生成失败的汇编可以重新生成"))
    compendium.status, compendium.error, compendium.percent = CompendiumStatus.BUILDING, "", 0
    compendium.save()
    return compendium


def compendiums_fail_stale(*, now: dt.datetime | None = None) -> int:
    """Compendiums still "building" past the task's time limit are marked failed, restartable (their worker is gone:
    the list would poll them for ever)."""
    return fail_stale_builds(
        Compendium.objects.filter(status=CompendiumStatus.BUILDING),
        lambda pk, error: compendium_failed(compendium_id=pk, error=error),
        now=now,
    )


__all__ = [
    "SYNC_LIMIT",
    "compendium_build",
    "compendium_create",
    "compendium_failed",
    "compendium_restart",
    "compendiums_fail_stale",
    "sync_limit",
]
