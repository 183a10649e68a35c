"""The acceptance file: its figures are the rates selectors' figures, its milestones say met or missed, its evidence
lists the county's published standards; the page and the Word file say the same."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document

from catalogue.models import DivisionLevel
from reporting import rates
from reporting.compendium.acceptance import acceptance_file, figure_rows
from workflow.deadlines.models import Milestone, WorkPlan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(geo):
    plan = WorkPlan.objects.create(
        title="标准化工作计划",
        province=geo["gd"],
        document_number="粤编办发〔2026〕9号",
        issued_on=dt.date(2026, 1, 10),
    )
    today = dt.date.today()
    Milestone.objects.create(
        plan=plan, title="县级审批标准录入", level="county", kind="entered", due_on=today - dt.timedelta(days=5)
    )
    Milestone.objects.create(
        plan=plan, title="县级审批标准审查通过", level="county", kind="approved", due_on=today + dt.timedelta(days=30)
    )
    return plan


def test_the_figures_are_the_rates_selectors_figures(small, geo, plan):
    file = acceptance_file(geo["qc"])
    expected = rates.unit_figures(DivisionLevel.COUNTY, [geo["qc"]])[geo["qc"].code]
    assert file.figures == expected
    shown = dict(figure_rows(file))
    assert shown["应编写事项数"] == str(expected.active)
    assert shown["标准录入提交率"] == f"{rates.percent(expected.submission_rate)}%"
    assert shown["审查通过率"] == f"{rates.percent(expected.approval_rate)}%"


def test_milestones_say_whether_the_county_met_them(small, geo, plan):
    file = acceptance_file(geo["qc"])
    by_title = {m.unit.milestone.title: m for m in file.milestones if m.unit.division == geo["qc"]}
    assert by_title["县级审批标准录入"].status_label == "逾期未完成"  # item D was never submitted
    assert not by_title["县级审批标准录入"].met
    assert by_title["县级审批标准审查通过"].status_label == "未到期"
    # Another county's rows are not this county's business.
    assert {m.unit.division.code for m in file.milestones} <= set(geo["qc"].ancestor_codes())


def test_a_milestone_met_reads_met(geo, plan, people, orgs, sector, admin_user):
    from .compendium_helpers import published_items

    published_items(people, geo, sector, orgs["edu"], 2, writer=admin_user)
    file = acceptance_file(geo["qc"])
    entered = next(m for m in file.milestones if m.unit.milestone.title == "县级审批标准录入")
    assert entered.met and entered.status_label == "已完成"
    assert [p["local_item__name"] for p in file.published] == ["汇编测试事项000", "汇编测试事项001"]


def test_the_page_and_the_word_file(small, geo, plan, people, client):
    client.force_login(people["supervisor"])
    page = client.get(reverse("reporting:acceptance", args=[geo["qc"].code]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "县级审批标准录入" in body and "逾期未完成" in body and "粤编办发〔2026〕9号" in body
    expected = rates.unit_figures(DivisionLevel.COUNTY, [geo["qc"]])[geo["qc"].code]
    assert f"{rates.percent(expected.submission_rate)}%" in body
    word = client.get(reverse("reporting:acceptance_word", args=[geo["qc"].code]))
    assert word.status_code == 200
    document = Document(io.BytesIO(b"".join(word.streaming_content)))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["一、工作计划与完成情况", "二、验收时的统计数据", "三、佐证材料清单"]
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert "县级审批标准录入" in cells and "逾期未完成" in cells
    assert f"{rates.percent(expected.submission_rate)}%" in cells


def test_only_supervisors_of_the_subtree_and_admins_open_it(small, geo, people, client, admin_user):
    url = reverse("reporting:acceptance", args=[geo["qc"].code])
    for name, status in (("supervisor", 200), ("compliance", 403), ("clerk", 403), ("depthead", 404)):
        client.force_login(people[name])
        assert client.get(url).status_code == status, name
    client.force_login(admin_user)
    assert client.get(url).status_code == 200
    # A city is not a county: no acceptance file for it.
    client.force_login(people["supervisor"])
    assert client.get(reverse("reporting:acceptance", args=[geo["qy"].code])).status_code == 404
    assert client.get(reverse("reporting:acceptance_word", args=["x'--"])).status_code == 404


def test_a_filing_milestone_says_when_it_was_filed_and_whether_late(geo, plan):
    from workflow.deadlines.models import MilestoneFiling

    due = dt.date.today() - dt.timedelta(days=20)
    late = Milestone.objects.create(plan=plan, title="县级工作方案报备", level="county", kind="plan_filed", due_on=due)
    MilestoneFiling.objects.create(milestone=late, division=geo["qc"], filed_on=due + dt.timedelta(days=3))
    line = next(m for m in acceptance_file(geo["qc"]).milestones if m.unit.milestone == late)
    assert line.status_label == f"逾期完成（{due + dt.timedelta(days=3):%Y-%m-%d} 报备）" and not line.met
    MilestoneFiling.objects.filter(milestone=late).update(filed_on=due)
    line = next(m for m in acceptance_file(geo["qc"]).milestones if m.unit.milestone == late)
    assert line.status_label == f"已完成（{due:%Y-%m-%d} 报备）" and line.met
