"""The 抽查 pages: they open for the right people, run a number of queries that does not grow with the rows, show
refusals at the field, print, and export a workbook openpyxl reads."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from cases.inspection import services
from cases.models import InspectedCase, ScoreLine
from portal.navigation import navigation_for

from .inspection_kit import good_case
from .test_inspection_flow import plan

pytestmark = pytest.mark.django_db


def _inspections(bed, n: int, sample: int = 2):
    sup = bed["center_supervisor"]
    made = []
    for _ in range(n):
        inspection = plan(bed, sup, sample_total=sample)
        made.append(services.inspection_draw(inspection=inspection, actor=sup, seed=5))
    return made


def _count(client, url) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), response


@pytest.fixture
def cases4(casebed):
    return [good_case(casebed) for _ in range(4)]


def test_list_pages_run_the_same_queries_for_more_rows(client, casebed, cases4):
    sup = casebed["center_supervisor"]
    client.force_login(sup)
    first = _inspections(casebed, 1)
    services.rectification_open(sampled=first[0].sampled.first(), actor=sup, finding="问题一", workdays=5)
    lists = [reverse("cases:inspections"), reverse("cases:inspection_rectifications") + "?state=all"]
    few = [_count(client, url)[0] for url in lists]
    more = _inspections(casebed, 3)
    for inspection in more:
        for sampled in inspection.sampled.all():
            services.rectification_open(sampled=sampled, actor=sup, finding="问题", workdays=5)
    many = [_count(client, url) for url in lists]
    assert [n for n, _ in many] == few
    assert len(many[0][1].context["page"].object_list) == 4


def test_inspection_and_score_pages_do_not_grow_with_the_sample(client, casebed, cases4):
    client.force_login(casebed["center_supervisor"])
    small, large = _inspections(casebed, 1, sample=1)[0], _inspections(casebed, 1, sample=4)[0]
    a, _ = _count(client, reverse("cases:inspection", args=[small.pk]))
    b, response = _count(client, reverse("cases:inspection", args=[large.pk]))
    assert a == b and len(response.context["sample"]) == 4
    assert str(large.seed) in response.content.decode()
    a, _ = _count(client, reverse("cases:inspection_score", args=[small.sampled.first().pk]))
    b, response = _count(client, reverse("cases:inspection_score", args=[large.sampled.last().pk]))
    assert a == b
    assert "记录显示" in response.content.decode() or "建议" in response.content.decode()


def test_a_score_above_the_maximum_is_shown_at_its_field_and_nothing_is_saved(client, casebed, cases4):
    inspection = _inspections(casebed, 1, sample=1)[0]
    sampled = inspection.sampled.get()
    client.force_login(casebed["center_supervisor"])
    data = {f"line-{line.pk}-points": line.suggested for line in sampled.lines.all()}
    limit = sampled.lines.get(key="rubric:limit")
    data[f"line-{limit.pk}-points"] = 99
    response = client.post(reverse("cases:inspection_score", args=[sampled.pk]), data)
    assert response.status_code == 400
    assert response.context["form"].errors[f"line-{limit.pk}-points"] == ["得分不能超过 15 分。"]
    assert not ScoreLine.objects.filter(points__isnull=False).exists()
    data[f"line-{limit.pk}-points"] = limit.suggested
    response = client.post(reverse("cases:inspection_score", args=[sampled.pk]), data)
    assert response.status_code == 302
    assert InspectedCase.objects.get(pk=sampled.pk).score is not None


def test_plan_form_draw_and_patrol(client, casebed, cases4):
    client.force_login(casebed["center_supervisor"])
    url = reverse("cases:inspection_new")
    data = {
        "title": "页面抽查", "kind": "ad_hoc", "method": "random", "division": casebed["item"].division.pk,
        "period_from": "2026-09-01", "period_to": "2026-10-31", "stratify_by": "item",
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 400 and "per_stratum" in response.context["form"].errors
    response = client.post(url, data | {"per_stratum": 2})
    assert response.status_code == 302
    detail = response["Location"]
    pk = int(detail.rstrip("/").split("/")[-1])
    assert client.post(reverse("cases:inspection_draw", args=[pk]), {"seed": "123"}).status_code == 302
    response = client.post(reverse("cases:inspection_patrol", args=[pk]), {"day": "2026-10-20", "place": ""})
    assert response.status_code == 400 and "place" in response.context["patrol_form"].errors
    ok = {"day": "2026-10-20", "place": "政务服务中心", "inspectors": "张三、李四", "observations": "窗口秩序良好"}
    assert client.post(reverse("cases:inspection_patrol", args=[pk]), ok).status_code == 302
    assert "窗口秩序良好" in client.get(detail).content.decode()


def test_print_report_and_xlsx_export(client, casebed, cases4):
    inspection = _inspections(casebed, 1, sample=2)[0]
    client.force_login(casebed["center_supervisor"])
    response = client.get(reverse("cases:inspection_report", args=[inspection.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "行政审批办件抽查报告" in page and "css/inspection.css" in page and str(inspection.seed) in page
    response = client.get(reverse("cases:inspection_export", args=[inspection.pk]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["抽查办件", "评分明细"]
    rows = list(workbook["抽查办件"].iter_rows(values_only=True))
    assert len(rows) == 3 and rows[1][2] == inspection.sampled.first().case.number
    lines = list(workbook["评分明细"].iter_rows(values_only=True))
    assert len(lines) == 1 + ScoreLine.objects.filter(sampled__inspection=inspection).count()


def test_supervision_panel_shows_scores_and_late_rectifications_in_two_queries(client, casebed, cases4):
    sup = casebed["center_supervisor"]
    inspection = _inspections(casebed, 1, sample=2)[0]
    for sampled in inspection.sampled.all():
        scores = {line.pk: services.LineScore(line.suggested) for line in sampled.lines.all()}
        services.sampled_score(sampled=sampled, actor=sup, scores=scores)
    services.rectification_open(
        sampled=inspection.sampled.first(), actor=sup, finding="超期", workdays=1, today=dt.date(2026, 1, 5)
    )
    client.force_login(sup)
    url = reverse("cases:supervision")
    response = client.get(url)
    panel = response.context["inspection_panel"]
    assert [(row.organization_id, row.inspected, row.open, row.late) for row in panel] == [(casebed["edu"].pk, 2, 1, 1)]
    assert "抽查得分与整改" in response.content.decode()
    from cases.inspection.selectors import department_panel

    with CaptureQueriesContext(connection) as queries:
        department_panel(sup, dt.date(2026, 12, 1))
    assert len(queries) <= 2


def test_the_menu_entry_follows_the_page(client, casebed, people):
    entry = reverse("cases:inspections")
    for who in ("center_supervisor", "bianban", "head", "approver"):
        assert entry in [e["url"] for e in navigation_for(casebed[who])], who
        client.force_login(casebed[who])
        assert client.get(entry).status_code == 200
    for who in ("window",):
        assert entry not in [e["url"] for e in navigation_for(casebed[who])]
        client.force_login(casebed[who])
        assert client.get(entry).status_code == 403
    client.force_login(casebed["head"])
    assert client.get(reverse("cases:inspection_new")).status_code == 403


def test_the_list_and_the_page_agree_on_a_rectification_closed_late(client, casebed, cases4):
    import datetime as dt

    from cases.inspection import services

    inspection = _inspections(casebed, 1, sample=2)[0]
    sup, head = casebed["center_supervisor"], casebed["head"]
    made = []
    closings = (dt.date(2026, 10, 14), dt.date(2026, 10, 12))
    for sampled, closed_on in zip(inspection.sampled.order_by("pk"), closings, strict=True):
        r = services.rectification_open(sampled=sampled, actor=sup, finding="告知书缺失", workdays=5,
                                        today=dt.date(2026, 9, 30))  # fmt: skip
        r = services.rectification_reply(rectification=r, actor=head, reply="已补发", evidence="记录")
        made.append(services.rectification_close(rectification=r, actor=sup, today=closed_on))
    client.force_login(sup)
    listing = client.get(reverse("cases:inspection_rectifications"), {"state": "all"}).content.decode()
    assert listing.count("已超期</span>") == 1  # due 13 October: closed on the 14th is late, on the 12th is not
    late, on_time = (client.get(reverse("cases:inspection_rectification", args=[r.pk])) for r in made)
    assert late.context["late"] and not on_time.context["late"]
