"""Demo review tasks: complete drafts of the two demo counties moved through the real workflow, so that every
demo reviewer has a queue with something in it.

清城区 (clerk → depthead → compliance → legality): the clerk's complete drafts and revisions of published standards of
清城区教育局 are submitted; some wait for the department head, some for the 编办 (one claimed), some for the 司法局; one
is returned with reasons and field comments, one is approved and waits to be published. Revisions that only touch the
promised-limit note are clean and keep their legal bases, so the bulk pass has something to pass.

奉节县 (fj_clerk → fj_depthead → fj_compliance → fj_legality): the standards demo writes no standard for
奉节县市场监督管理局, the demo users' department; drafts are written here for some of its items (as
``standards.demo`` writes complete ones) and moved the same way. No demo member is added: every transition is taken
by a demo user of the right body.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from catalogue.models import ChangeKind, LocalItem, LocalItemStatus
from catalogue.services import ChangeDocument, catalog_change_apply
from core.i18n import enumeration
from standards.checks import run_checks
from standards.models import ItemStandard, StandardState
from standards.models.choices import IN_PROGRESS_STATES
from standards.services import standard_start

from . import notices
from .models import ReturnReason, ReviewTask
from .services import CommentInput, review_task_claim, review_task_decide, standard_transition

QINGCHENG, FENGJIE = "441802", "500236"
# How far each standard goes, and whether a first version or a revision of a published one shows it best (a revision
# with unchanged legal bases and no findings can be bulk passed).
PLAN = (
    ("submitted", "first"),
    ("submitted", "revision"),
    ("compliance", "revision"),
    ("compliance_claimed", "first"),
    ("legality", "first"),
    ("legality", "revision"),
    ("returned", "revision"),
    ("approved", "revision"),
    ("published", "revision"),
)
FENGJIE_PLAN = (
    ("submitted", "first"),
    ("submitted", "first"),
    ("compliance", "first"),
    ("compliance_claimed", "first"),
    ("legality", "first"),
    ("returned_legality", "first"),
)


class _Cast:
    def __init__(self, prefix: str):
        names = {"clerk": "clerk", "depthead": "depthead", "compliance": "compliance", "legality": "legality"}
        self.users = {role: User.objects.filter(username=f"{prefix}{name}").first() for role, name in names.items()}

    @property
    def complete(self) -> bool:
        return all(self.users.values())

    def __getitem__(self, role: str) -> User:
        return self.users[role]


def seed_demo(log=print) -> None:
    if ReviewTask.objects.exists():
        log(_("审查任务：已存在 %(n)s 个，跳过") % {"n": ReviewTask.objects.count()})
        return
    qingcheng, fengjie = _Cast(""), _Cast("fj_")
    if qingcheng.complete:
        _run(_assign(_qingcheng_standards(qingcheng, PLAN), PLAN), qingcheng)
        _withdraw_one(qingcheng)
    if fengjie.complete:
        _run(_assign(_fengjie_standards(fengjie, len(FENGJIE_PLAN)), FENGJIE_PLAN), fengjie)
    open_tasks = ReviewTask.objects.open()
    by_stage = {
        label: open_tasks.filter(stage=value).count() for value, label in ReviewTask._meta.get_field("stage").choices
    }
    log(
        _("审查任务：%(waiting)s；退回 %(returned)s，审查通过待发布 %(approved)s")
        % {
            "waiting": enumeration([_("待%(stage)s %(n)s") % {"stage": k, "n": v} for k, v in by_stage.items()]),
            "returned": ReviewTask.objects.filter(decision="return").count(),
            "approved": ItemStandard.objects.filter(state=StandardState.APPROVED).count(),
        }
    )
    # What Celery beat would have sent by now: reminders of the tasks near or past their due date.
    log(_("到期提醒：%(n)s 条") % {"n": notices.remind_due_tasks()})


def _clean(standard: ItemStandard) -> bool:
    return not any(f.is_error for f in run_checks(standard))


def _qingcheng_standards(cast: _Cast, plan) -> list[ItemStandard]:
    """The clerk's clean drafts, and new versions of the department's published standards, as many of each as the plan
    prefers."""
    clerk = cast["clerk"]
    wanted = {kind: sum(1 for _goal, k in plan if k == kind) for kind in ("first", "revision")}
    department = clerk.memberships.values_list("organization_id", flat=True).first()
    mine = ItemStandard.objects.filter(local_item__organization_id=department, local_item__division_id=QINGCHENG)
    drafts = [s for s in mine.filter(state=StandardState.DRAFT).order_by("local_item__code") if _clean(s)]
    firsts = [s for s in drafts if s.based_on_id is None][: wanted["first"]]
    revisions = [s for s in drafts if s.based_on_id is not None][: wanted["revision"]]
    for source in mine.filter(state=StandardState.PUBLISHED).order_by("local_item__code"):
        if len(revisions) >= wanted["revision"]:
            break
        if source.local_item.standards.in_progress().exists():
            continue
        revision = standard_start(actor=clerk, local_item=source.local_item)
        guide = revision.guide
        guide.promised_limit_note = "2026年起推行承诺制，办理时限按承诺时限执行。"
        guide._history_user = clerk
        guide.save()
        if _clean(revision):
            revisions.append(revision)
    return firsts + revisions


def _fengjie_standards(cast: _Cast, count: int) -> list[ItemStandard]:
    """Complete drafts written by fj_clerk for items of their department that have no standard yet."""
    from standards.demo import fill_standard  # the standards demo's complete content, reused rather than copied

    clerk = cast["clerk"]
    department = clerk.memberships.values_list("organization_id", flat=True).first()
    items = (
        LocalItem.objects.filter(
            organization_id=department,
            division_id=FENGJIE,
            status=LocalItemStatus.ACTIVE,
            standards__isnull=True,
        )
        .select_related("organization", "division", "general_item")
        .order_by("code")
    )
    drafts: list[ItemStandard] = []
    for item in items[: count * 6]:
        if len(drafts) >= count:
            break
        standard = standard_start(actor=clerk, local_item=item)
        fill_standard(standard, item, complete=True)
        if _clean(standard):
            drafts.append(standard)
    return drafts


def _assign(standards: list[ItemStandard], plan) -> list[tuple[ItemStandard, str]]:
    """Pair each goal with a standard of the kind it prefers (first version or revision), else any left."""
    pools = {
        "first": [s for s in standards if s.based_on_id is None],
        "revision": [s for s in standards if s.based_on_id is not None],
    }
    pairs = []
    for goal, kind in plan:
        pool = pools[kind] or pools["revision" if kind == "first" else "first"]
        if pool:
            pairs.append((pool.pop(0), goal))
    return pairs


def _reason(code: str) -> ReturnReason:
    return ReturnReason.objects.get(code=code)


def _open_task(standard: ItemStandard) -> ReviewTask:
    return ReviewTask.objects.open().get(standard=standard)


def _run(pairs: list[tuple[ItemStandard, str]], cast: _Cast) -> None:
    for standard, goal in pairs:
        standard_transition(actor=cast["clerk"], standard=standard, action="submit")
        if goal == "submitted":
            continue
        review_task_decide(actor=cast["depthead"], task=_open_task(standard), decision="pass", note="已核对，同意提交")
        if goal == "returned":
            review_task_decide(
                actor=cast["compliance"],
                task=_open_task(standard),
                decision="return",
                reasons=[_reason("C06")],
                comments=[
                    CommentInput(_reason("C06"), "guide.address", "办理地点请具体到窗口号或房间号"),
                    CommentInput(_reason("C07"), "materials[1]", "请写明证明材料的具体名称和出具单位"),
                    CommentInput(_reason("C08"), "guide.acceptance_conditions", "条件请逐条列明，删除笼统表述"),
                ],
                note="请按逐项意见修改后重新提交",
            )
            continue
        if goal.startswith("compliance"):
            if goal == "compliance_claimed":
                review_task_claim(actor=cast["compliance"], task=_open_task(standard))
            continue
        review_task_decide(actor=cast["compliance"], task=_open_task(standard), decision="pass", note="合规性审查通过")
        if goal == "returned_legality":
            review_task_decide(
                actor=cast["legality"],
                task=_open_task(standard),
                decision="return",
                reasons=[_reason("L01")],
                comments=[CommentInput(_reason("L01"), "citations[0]", "所引条款已修订，请核对现行有效版本")],
            )
        elif goal in ("approved", "published"):
            review_task_decide(
                actor=cast["legality"], task=_open_task(standard), decision="pass", note="合法性审查通过"
            )
            if goal == "published":  # the revision replaces the published version, which is superseded
                standard_transition(actor=cast["compliance"], standard=standard, action="publish", note="修订后发布")


def _withdraw_one(cast: _Cast) -> None:
    """The county 编办 cancels one local item whose standard is published and not being revised: the standard is
    withdrawn with it (standards.signals), as the catalogue's dynamic management does."""
    compliance = cast["compliance"]
    standard = (
        ItemStandard.objects.filter(state=StandardState.PUBLISHED, local_item__division_id=QINGCHENG)
        .exclude(local_item__standards__state__in=IN_PROGRESS_STATES)
        .select_related("local_item__division")
        .order_by("-local_item__code")
        .first()
    )
    if standard is None:
        return
    catalog_change_apply(
        actor=compliance,
        kind=ChangeKind.CANCEL,
        scope=standard.local_item.division,
        document=ChangeDocument("清城编办〔2026〕12号", "关于取消部分实施清单事项的通知", dt.date(2026, 9, 1)),
        effective_date=dt.date(2026, 9, 1),
        reason="该事项已由上级部门统一实施，本级不再实施",
        local_items=[standard.local_item],
    )
