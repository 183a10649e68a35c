"""No object is reachable by guessing ids: every staff URL that takes an object id refuses users outside the
object's scope (404, or 403 for an action), and the object is left unchanged.

The test walks the URLconf, so a new URL with an id fails here until it is added below."""

from __future__ import annotations

import datetime as dt
from importlib import import_module

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from cases.models import Alert, Case, InspectedCase, Inspection, InspectionRectification, Oversight, PublishedResult
from catalogue.models import AdjustmentTask, CatalogueImport, Claim, ImportState, LocalItem
from catalogue.services import Adjustment, ChangeDocument, catalog_change_apply, claims_create, local_item_build
from core.models import ExportJob, Notification
from evaluation.models import Appeal, AppealReason, IndicatorKind, IndicatorSet, Rectification
from evaluation.services.submit import EvaluationInput, current_set, evaluation_submit_for_visit
from hall.models import Consultation, Ticket, WindowStaff
from reporting.models import Compendium, ProgressReport, Scorecard, ScoreResult
from reviews.models import ReviewTask
from standards.models import ItemStandard
from tests.standards.factories import complete_standard

# Visible to every signed-in staff user on purpose: the province's general catalogue and its change records are
# published to the public anyway (清单公开, 变更公告).
OPEN_TO_ALL_STAFF = {"catalogue:general_detail", "catalogue:change_detail"}
# Anonymous on purpose: the hall's kiosk, the number it printed (a signed address), the big-screen display, the
# kiosk's booking check-in (today's bookings of that hall, by their code), and a published licensing result (结果公开).
PUBLIC = {"hall:kiosk", "hall:kiosk_ticket", "hall:display", "hall:display_json", "bookings:kiosk", "results:detail"}


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}:{pattern.namespace}".strip(":") if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        else:
            yield prefix + str(pattern.pattern), f"{namespace}:{pattern.name}".strip(":")


def id_urls() -> set[str]:
    return {
        name
        for route, name in _walk(get_resolver().url_patterns)
        if "<int:" in route and not route.startswith("admin/") and not name.startswith("guides:")
    }


@pytest.fixture
def objects(geo, orgs, general, people):
    actor = people["province"]
    item = local_item_build(general_item=general["plain"], division=geo["qc"], organization=orgs["edu"], actor=actor)
    claim = claims_create(actor=people["clerk"], organization=orgs["edu"], general_items=[general["sub1"]])[0]
    catalog_change_apply(
        actor=actor,
        kind="adjust",
        scope=geo["gd"],
        document=ChangeDocument("粤编办〔2026〕20号", "关于调整事项名称的通知", dt.date(2026, 5, 1)),
        effective_date=dt.date(2026, 5, 1),
        reason="统一名称",
        general_items=[general["plain"]],
        adjustment=Adjustment(name="中小学教师继续教育办学资格审批（调整）"),
    )
    standard = complete_standard(people["clerk"], item)
    now = timezone.now()
    task = ReviewTask.objects.create(
        standard=standard, stage="dept_confirm", organization=orgs["edu"], division=geo["qc"], opened_at=now, due_at=now
    )
    report = ProgressReport.objects.create(
        division=geo["qc"], period_start=dt.date(2026, 11, 1), period_end=dt.date(2026, 11, 20), status="ready"
    )
    # A compendium of 清城区 (its status, download, print page and restart are a supervisor's of 清远市 only).
    compendium = Compendium.objects.create(
        title="清城区行政审批标准文本汇编", kind="division", division=geo["qc"], standard_ids=[], status="failed"
    )
    # 东莞市's assessment: outside both outsiders' county (and 清远市).
    scorecard = Scorecard.objects.create(year=2026, division=geo["dg"], title="东莞市2026年度考核", status="computed")
    score_result = ScoreResult.objects.create(
        scorecard=scorecard, kind="county", division=geo["dg"], county_code="441900", county_name="东莞市",
        name="东莞市", total=80, rank=1,
    )  # fmt: skip
    catalogue_import = CatalogueImport(
        created_by=actor, file_name="items.csv", profile="gd_zhongshan", division=geo["qc"], state=ImportState.PREVIEWED
    )
    catalogue_import.file.save("items.csv", ContentFile(b"task_code\n"), save=False)
    catalogue_import.save()
    case = Case.objects.create(
        number="SCOPING-1",
        local_item=item,
        organization=orgs["edu"],
        division=geo["qc"],
        applicant_name="张三",
        received_at=now,
    )
    alert = Alert.objects.create(case=case, rule="out_of_order", level="red", key="1")
    oversight = Oversight.objects.create(
        case=case, alert=alert, organization=orgs["edu"], state="replied", reply_due=dt.date(2026, 12, 10)
    )
    inspection = Inspection.objects.create(
        title="越权抽查", division=geo["qc"], period_from=dt.date(2026, 1, 1), period_to=dt.date(2026, 12, 31),
        planned_by=people["compliance"], state="drawn", per_stratum=1,
    )  # fmt: skip
    sampled = InspectedCase.objects.create(inspection=inspection, case=case, organization=orgs["edu"], position=1)
    inspection_rectification = InspectionRectification.objects.create(
        inspection=inspection, sampled=sampled, organization=orgs["edu"], finding="越权整改", workdays=5,
        due=dt.date(2026, 12, 10), state="replied", opened_by=people["compliance"],
    )  # fmt: skip
    published = PublishedResult.objects.create(
        case=case, local_item=item, organization=orgs["edu"], division=geo["qc"], item_name=item.name,
        item_code=item.code, department_name=orgs["edu"].name, division_name=geo["qc"].name, decision="grant",
        decided_on=now.date(), applicant_kind="2", applicant_display="清远市示范学校", due_on=now.date(),
        published_at=now,
    )  # fmt: skip
    from catalogue.models import OrganizationKind
    from hall.models import Hall, ServiceGroup, Window
    from tests.factories import OrganizationFactory, UserFactory

    center = OrganizationFactory(division=geo["qc"], kind=OrganizationKind.SERVICE_CENTER, name="清城区政务服务中心")
    hall = Hall.objects.create(organization=center, division=geo["qc"], name="清城区大厅")
    window = Window.objects.create(hall=hall, number="A01", name="综合受理")
    WindowStaff.objects.create(window=window, user=UserFactory(username="hall_clerk"))
    group = ServiceGroup.objects.create(hall=hall, name="综合业务", prefix="A")
    ticket = Ticket.objects.create(
        hall=hall, group=group, day=now.date(), serial=1, number="A001", status="called", window=window,
        taken_at=now, called_at=now, last_called_at=now, evaluation_token="scoping",
    )  # fmt: skip
    served = Ticket.objects.create(
        hall=hall, group=group, day=now.date(), serial=2, number="A002", status="done", window=window,
        taken_at=now, called_at=now, last_called_at=now, started_at=now, finished_at=now, evaluation_token="scoping2",
    )  # fmt: skip
    if not IndicatorSet.objects.exists():  # a transactional test earlier in the worker may have flushed the seed
        import_module("evaluation.migrations.0002_seed_indicator_sets").seed(apps, None)
    grades = {indicator.code: 1 for indicator in current_set(IndicatorKind.COUNTER).indicators.all()}
    bad = evaluation_submit_for_visit(ticket=served, data=EvaluationInput(grades=grades, comment="越权测试差评"))
    appeal = Appeal.objects.create(
        evaluation=bad, organization=center, reason=AppealReason.values[0], statement="恶意差评，申请核销",
        filed_by=people["province"], filed_at=now,
    )  # fmt: skip
    consultation = Consultation.objects.create(
        channel="web",
        local_item=item,
        organization=orgs["edu"],
        question="越权咨询",
        received_at=now,
        due_date=now.date(),
    )
    return {
        "rectification": bad.rectification,
        "appeal": appeal,
        "served": served,
        "consultation": consultation,
        "hall": hall,
        "window": window,
        "ticket": ticket,
        "oversight": oversight,
        "inspection": inspection,
        "sampled": sampled,
        "inspection_rectification": inspection_rectification,
        "published_result": published,
        "import": catalogue_import,
        "report": report,
        "compendium": compendium,
        "scorecard": scorecard,
        "score_result": score_result,
        "department": orgs["edu"],
        "review_task": task,
        "item": item,
        "claim": claim,
        "task": AdjustmentTask.objects.get(local_item=item),
        "standard": standard,
        # The clerk's own export: nobody else may follow it or fetch its file.
        "export_job": ExportJob.objects.create(user=people["clerk"], kind="catalogue.local", status="ready", rows=1),
        # The clerk's own message: nobody else may open (and so mark read) it.
        "notification": Notification.objects.create(
            recipient=people["clerk"], kind="task", key="task:scoping", title="新的审查任务", url="/reviews/"
        ),
    }


# URL name -> (object key, kwarg name, method)
CASES = {
    "catalogue:local_detail": ("item", "pk", "get"),
    "catalogue:local_cancel": ("item", "pk", "post"),
    "catalogue:claim_decide": ("claim", "pk", "post"),
    "catalogue:adjustment_resolve": ("task", "pk", "post"),
    "standards:start": ("item", "item_pk", "post"),
    "standards:detail": ("standard", "pk", "get"),
    "standards:edit": ("standard", "pk", "post"),
    "standards:diff": ("standard", "pk", "get"),
    "flow:story": ("standard", "pk", "get"),
    "flow:act": ("standard", "pk", "post"),
    "flow:submit": ("standard", "pk", "post"),
    "reviews:publish": ("standard", "pk", "post"),
    "reviews:task": ("review_task", "pk", "get"),
    "reviews:claim": ("review_task", "pk", "post"),
    "reviews:decide": ("review_task", "pk", "post"),
    "inbox_open": ("notification", "pk", "get"),
    "export_job": ("export_job", "pk", "get"),
    "export_job_status": ("export_job", "pk", "get"),
    "export_job_download": ("export_job", "pk", "get"),
    "reporting:report_status": ("report", "pk", "get"),
    "reporting:report_download": ("report", "pk", "get"),
    "reporting:report_send": ("report", "pk", "post"),
    "reporting:report_restart": ("report", "pk", "post"),
    "reporting:compendium_status": ("compendium", "pk", "get"),
    "reporting:compendium_download": ("compendium", "pk", "get"),
    "reporting:compendium_print": ("compendium", "pk", "get"),
    "reporting:compendium_restart": ("compendium", "pk", "post"),
    "reporting:case_figures_department": ("department", "organization_id", "get"),
    "reporting:evaluation_figures_department": ("department", "organization_id", "get"),
    "reporting:scorecard": ("scorecard", "pk", "get"),
    "reporting:scorecard_edit": ("scorecard", "pk", "post"),
    "reporting:scorecard_compute": ("scorecard", "pk", "post"),
    "reporting:scorecard_freeze": ("scorecard", "pk", "post"),
    "reporting:scorecard_bulletin": ("scorecard", "pk", "get"),
    "reporting:scorecard_unit": ("scorecard", {"pk": "scorecard", "result_id": "score_result"}, "get"),
    "catalogue:import_detail": ("import", "pk", "get"),
    "catalogue:import_status": ("import", "pk", "get"),
    "catalogue:import_confirm": ("import", "pk", "post"),
    "catalogue:import_restart": ("import", "pk", "post"),
    "catalogue:import_decide": ("import", "pk", "post"),
    "cases:oversight": ("oversight", "pk", "get"),
    "cases:oversight_reply": ("oversight", "pk", "post"),
    "cases:oversight_close": ("oversight", "pk", "post"),
    "cases:oversight_send_back": ("oversight", "pk", "post"),
    "cases:inspection": ("inspection", "pk", "get"),
    "cases:inspection_draw": ("inspection", "pk", "post"),
    "cases:inspection_patrol": ("inspection", "pk", "post"),
    "cases:inspection_finish": ("inspection", "pk", "post"),
    "cases:inspection_report": ("inspection", "pk", "get"),
    "cases:inspection_export": ("inspection", "pk", "get"),
    "cases:inspection_score": ("sampled", "pk", "post"),
    "cases:inspection_rectify": ("sampled", "pk", "post"),
    "cases:inspection_rectification": ("inspection_rectification", "pk", "get"),
    "cases:inspection_rectification_reply": ("inspection_rectification", "pk", "post"),
    "cases:inspection_rectification_close": ("inspection_rectification", "pk", "post"),
    "cases:inspection_rectification_return": ("inspection_rectification", "pk", "post"),
    "results:withdraw": ("published_result", "pk", "post"),
    "hall:caller": ("window", "window_id", "get"),
    "hall:act": ("window", "window_id", "post"),
    "hall:accept": ("window", {"window_id": "window", "ticket_id": "ticket"}, "post"),
    "hall:figures": ("hall", "hall_id", "get"),
    "hall:manage": ("hall", "hall_id", "get"),
    "hall:window_edit": ("hall", {"hall_id": "hall", "window_id": "window"}, "post"),
    "consultations:detail": ("consultation", "pk", "post"),
    "evaluation:rectification": ("rectification", "pk", "get"),
    "evaluation:rectification_advance": ("rectification", "pk", "post"),
    "evaluation:appeal_file": ("rectification", "pk", "post"),
    "evaluation:appeal_decide": ("appeal", "pk", "post"),
    "evaluation:ticket_code": ("served", "pk", "get"),
}


def test_every_id_url_is_covered():
    assert id_urls() - set(CASES) - OPEN_TO_ALL_STAFF - PUBLIC == set()


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("outsider", ["qx_clerk", "qx_compliance"])
def test_outsiders_cannot_reach_objects_by_id(client, objects, people, name, outsider):
    key, kwarg, method = CASES[name]
    obj = objects[key]
    before = _snapshot()
    client.force_login(people[outsider])
    kwargs = {kwarg: obj.pk} if isinstance(kwarg, str) else {k: objects[v].pk for k, v in kwarg.items()}
    url = reverse(name, kwargs=kwargs)
    data = {"action": "submit", "decision": "confirm", "mode": "blank", "note": "越权", "revision": "1"}
    data |= {"ticket": objects["ticket"].pk, "primary": [people[outsider].pk]}
    response = client.get(url) if method == "get" else client.post(url, data)
    assert response.status_code in (403, 404), (name, outsider, response.status_code)
    assert _snapshot() == before, name


def _snapshot():
    return (
        list(LocalItem.objects.values_list("pk", "status", "name", "needs_adjustment").order_by("pk")),
        list(Claim.objects.values_list("pk", "status").order_by("pk")),
        list(AdjustmentTask.objects.values_list("pk", "status").order_by("pk")),
        list(ItemStandard.objects.values_list("pk", "state", "revision").order_by("pk")),
        list(ReviewTask.objects.values_list("pk", "closed_at", "claimed_by_id").order_by("pk")),
        list(Notification.objects.values_list("pk", "read_at").order_by("pk")),
        list(ProgressReport.objects.values_list("pk", "status", "sent_at").order_by("pk")),
        list(Compendium.objects.values_list("pk", "status", "percent").order_by("pk")),
        list(Scorecard.objects.values_list("pk", "status", "version", "computed_at").order_by("pk")),
        list(ScoreResult.objects.values_list("pk", "total").order_by("pk")),
        list(CatalogueImport.objects.values_list("pk", "state", "confirmed_by_id").order_by("pk")),
        list(Oversight.objects.values_list("pk", "state", "close_note", "explanation").order_by("pk")),
        list(PublishedResult.objects.values_list("pk", "withdrawn_at").order_by("pk")),
        list(Ticket.objects.values_list("pk", "status", "window_id", "case_id").order_by("pk")),
        list(WindowStaff.objects.values_list("pk", "user_id", "role", "is_active").order_by("pk")),
        list(Consultation.objects.values_list("pk", "status", "owner_id", "answer").order_by("pk")),
        list(Rectification.objects.values_list("pk", "stage", "closed_at").order_by("pk")),
        list(Appeal.objects.values_list("pk", "state", "decided_by_id").order_by("pk")),
        list(Inspection.objects.values_list("pk", "state", "seed").order_by("pk")),
        list(InspectionRectification.objects.values_list("pk", "state", "close_note", "reply").order_by("pk")),
        list(InspectedCase.objects.values_list("pk", "score").order_by("pk")),
    )
