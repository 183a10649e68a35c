"""The public service guide, the staff-only business manual, file downloads and the server-drawn flowchart.

The public only ever sees a published version; a withdrawn guide or a cancelled item keeps its page with 410; the
manual and draft files are for staff who may read the item, everyone else gets 404 (never a hint that it exists)."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalogue.services import ChangeDocument, catalog_change_apply
from standards.flowchart import format_duration, render_flowchart, text_width, wrap_text
from standards.models import InternalForm, ItemStandard, Material, ProcessStep, ResultSample
from standards.services import standard_start
from tests.factories import UserFactory

pytestmark = pytest.mark.urls("tests.standards.urls_for_public")

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
# Strings only the business manual contains (complete_standard's manual rows).
MANUAL_ONLY = ("窗口受理岗", "申请人主体资格", "营业执照在有效期内", "按时办结", "在承诺时限内办结")


def publish(standard: ItemStandard, note: str = "", when=None) -> ItemStandard:
    """Publish by setting the state directly (the workflow services come later); the previous one is superseded."""
    ItemStandard.objects.filter(local_item_id=standard.local_item_id, state="published").update(state="superseded")
    ItemStandard.objects.filter(pk=standard.pk).update(
        state="published", published_at=when or timezone.now(), change_note=note
    )
    standard.refresh_from_db()
    return standard


def withdraw(standard: ItemStandard, reason: str) -> ItemStandard:
    ItemStandard.objects.filter(pk=standard.pk).update(
        state="withdrawn", withdrawn_at=timezone.now(), withdrawn_reason=reason
    )
    standard.refresh_from_db()
    return standard


def guide_url(standard: ItemStandard) -> str:
    return reverse("guides:guide", args=[standard.local_item.code])


def manual_url(standard: ItemStandard, **query) -> str:
    url = reverse("guides:manual", args=[standard.local_item.code])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def downloaded(response) -> bytes:
    """The body of a file response. Reading it to the end closes the response (and the file) as a WSGI server
    would; closing it again would end the test's database connection."""
    return b"".join(response.streaming_content)


def file_url(row, field: str) -> str:
    return reverse("guides:file", args=[row._meta.model_name, row.pk, field])


def assert_csp_clean(body: str) -> None:
    """No inline style attribute and no inline script: a strict Content Security Policy forbids both."""
    assert not re.search(r"\sstyle=", body)
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", body)
    assert not re.search(r"\son[a-z]+=", body)


@pytest.fixture
def stored_files():
    """Files saved to the private storage during a test, deleted afterwards."""
    saved = []
    yield saved
    for field_file in saved:
        field_file.storage.delete(field_file.name)


def attach(row, field: str, name: str, stored_files) -> None:
    getattr(row, field).save(name, SimpleUploadedFile(name, PDF, content_type="application/pdf"), save=True)
    stored_files.append(getattr(row, field))


# --- the public guide ------------------------------------------------------------------------------------------


def test_published_guide_is_public_with_every_element_group_and_the_flowchart(client, standard):
    publish(standard)
    response = client.get(guide_url(standard))
    assert response.status_code == 200
    body = response.content.decode()
    guide = standard.guide
    for text in (
        guide.item_name,
        standard.local_item.code,
        "清城区教育局",
        "《中华人民共和国行政许可法》",  # a citation, under its role
        "条件依据",
        "设定依据",
        "有符合规定的办公场所和设施设备",  # acceptance conditions
        "一年内不得再次申请",  # prohibitions
        "业务情形：新办",
        "申请书",
        "营业执照",
        "政府部门核发",
        "申请人到窗口提交材料",  # the process text
        "专家评审",
        "20个工作日",  # legal limit with its unit
        "10个工作日",  # promised limit
        "本事项不收费",
        "准予行政许可决定书",
        "窗口领取",
        "网上办理",
        "清城区人民一路28号政务服务中心二楼12号窗口",
        "工作日上午9:00-12:00",
        "0763-3362001",
        "0763-12345",
        "依法享有陈述权",
        "清远市清城区人民法院",
        "可以委托他人办理吗？",
        "首次发布",
    ):
        assert text in body, text
    svg = body[body.index("<svg") : body.index("</svg>")]
    assert 'viewBox="' in svg and "<title" in svg
    for name in ("1. 受理", "2. 审查", "3. 决定", "专家评审", "申请", "办结"):
        assert name in svg, name
    assert "css/guide.css" in body
    assert_csp_clean(body)


def test_the_guide_answers_the_code_in_any_case_and_404_for_an_unknown_code(client, standard):
    publish(standard)
    assert client.get(reverse("guides:guide", args=[standard.local_item.code.lower()])).status_code == 200
    assert client.get(reverse("guides:guide", args=["NO-SUCH-CODE"])).status_code == 404


def test_a_draft_is_never_public(client, standard):
    response = client.get(guide_url(standard))
    assert response.status_code == 404
    body = response.content.decode()
    assert "尚未发布" in body
    assert standard.guide.address not in body and "<svg" not in body and "申请书" not in body


def test_the_published_version_is_shown_not_the_drafts_edits(client, standard, people):
    publish(standard)
    draft = standard_start(actor=people["clerk"], local_item=standard.local_item)
    draft.guide.address = "草稿里的新地址"
    draft.guide.save()
    ProcessStep.objects.create(standard=draft, position=9, name="草稿新增环节", handling_office="草稿科室")
    draft.materials.filter(name="申请书").update(name="草稿改名的申请书")

    response = client.get(guide_url(standard))
    assert response.status_code == 200
    body = response.content.decode()
    assert "清城区人民一路28号政务服务中心二楼12号窗口" in body and "申请书" in body
    for text in ("草稿里的新地址", "草稿新增环节", "草稿科室", "草稿改名的申请书"):
        assert text not in body, text
    assert "第2版" not in body  # the draft is not even listed in the history


def test_change_history_lists_each_published_version_newest_first(client, standard, people):
    publish(standard, when=timezone.now() - dt.timedelta(days=30))
    second = standard_start(actor=people["clerk"], local_item=standard.local_item)
    publish(second, note="调整办理时间为工作日全天")
    body = client.get(guide_url(second)).content.decode()
    history = body[body.index('id="history"') :]
    assert "调整办理时间为工作日全天" in history and "首次发布" in history
    assert history.index("调整办理时间为工作日全天") < history.index("首次发布")
    assert "第2版" in history and "第1版" in history


def test_a_withdrawn_guide_stays_with_410_saying_when_and_why(client, standard, stored_files):
    material = standard.materials.get(name="申请书")
    attach(material, "blank_form", "form.pdf", stored_files)
    publish(standard)
    withdraw(standard, "该事项已由区政务服务数据管理局统一实施")
    response = client.get(guide_url(standard))
    assert response.status_code == 410
    body = response.content.decode()
    assert "已废止" in body and "该事项已由区政务服务数据管理局统一实施" in body
    assert timezone.localdate().strftime("%Y-%m-%d") in body
    assert "首次发布" in body  # the history stays
    assert file_url(material, "blank_form") not in body  # no downloads from a withdrawn guide
    assert client.get(file_url(material, "blank_form")).status_code == 404


def test_a_cancelled_items_guide_answers_410_with_the_reason(client, standard, people, geo):
    publish(standard)
    catalog_change_apply(
        actor=people["compliance"],
        kind="cancel",
        scope=geo["qc"],
        document=ChangeDocument("清编办〔2026〕3号", "关于调整清城区实施清单的通知", dt.date(2026, 4, 1)),
        effective_date=dt.date(2026, 4, 10),
        reason="职能划转至区政务服务数据管理局",
        local_items=[standard.local_item],
    )
    response = client.get(guide_url(standard))
    assert response.status_code == 410
    body = response.content.decode()
    assert "该事项已取消" in body and "职能划转至区政务服务数据管理局" in body and "清编办〔2026〕3号" in body


def test_print_view_is_the_same_guide_without_the_sites_frame(client, standard):
    publish(standard)
    body = client.get(guide_url(standard) + "?print=1").content.decode()
    assert "guide-print-preview" in body and "Ctrl+P" in body and "<svg" in body


# --- the business manual ---------------------------------------------------------------------------------------


def test_manual_is_for_staff_who_may_see_the_item(client, standard, people):
    publish(standard)
    url = manual_url(standard)
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("login"))

    client.force_login(people["qx_clerk"])  # another county's department
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(username="no-role"))
    assert client.get(url).status_code == 404

    for who in ("clerk", "compliance"):
        client.force_login(people[who])
        response = client.get(url)
        assert response.status_code == 200, who
        body = response.content.decode()
        for text in MANUAL_ONLY:
            assert text in body, text
        assert "内部资料" in body
        assert_csp_clean(body)


def test_manual_content_never_appears_on_the_public_guide(client, standard, people):
    publish(standard)
    for user in (None, people["clerk"]):
        if user:
            client.force_login(user)
        body = client.get(guide_url(standard)).content.decode()
        for text in MANUAL_ONLY:
            assert text not in body, text


def test_manual_of_another_version_by_number(client, standard, people):
    publish(standard)
    draft = standard_start(actor=people["clerk"], local_item=standard.local_item)
    draft.manual.staff_requirements = "草稿中的新资格要求"
    draft.manual.save()
    client.force_login(people["clerk"])
    assert "草稿中的新资格要求" not in client.get(manual_url(standard)).content.decode()
    response = client.get(manual_url(standard, version=2))
    assert response.status_code == 200
    body = response.content.decode()
    assert "草稿中的新资格要求" in body and "不是现行有效的版本" in body
    assert client.get(manual_url(standard, version=9)).status_code == 404
    assert client.get(manual_url(standard, version="abc")).status_code == 404
    client.force_login(people["qx_clerk"])
    assert client.get(manual_url(standard, version=2)).status_code == 404


def test_manual_without_a_published_version_is_404(client, standard, people):
    client.force_login(people["clerk"])
    assert client.get(manual_url(standard)).status_code == 404
    assert client.get(manual_url(standard, version=1)).status_code == 200


# --- files -----------------------------------------------------------------------------------------------------


def test_a_guide_file_is_public_once_published_and_404_while_draft(client, standard, people, stored_files):
    material = standard.materials.get(name="申请书")
    attach(material, "blank_form", "application-form.pdf", stored_files)
    url = file_url(material, "blank_form")
    assert client.get(url).status_code == 404  # draft: not public

    client.force_login(people["clerk"])  # the department may fetch its draft's file
    own = client.get(url)
    assert own.status_code == 200 and downloaded(own) == PDF
    client.force_login(people["qx_clerk"])
    assert client.get(url).status_code == 404
    client.logout()

    publish(standard)
    response = client.get(url)
    assert response.status_code == 200
    assert downloaded(response) == PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert "application-form.pdf" in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert url in client.get(guide_url(standard)).content.decode()


def test_a_result_sample_is_public_when_published(client, standard, stored_files):
    sample = ResultSample.objects.get(standard=standard)
    attach(sample, "sample", "result.pdf", stored_files)
    publish(standard)
    response = client.get(file_url(sample, "sample"))
    assert response.status_code == 200 and downloaded(response) == PDF


def test_an_internal_form_is_never_public(client, standard, people, stored_files):
    form = InternalForm.objects.create(standard=standard, position=0, name="受理通知书")
    attach(form, "template", "notice.pdf", stored_files)
    publish(standard)
    url = file_url(form, "template")
    assert client.get(url).status_code == 404
    client.force_login(people["qx_clerk"])
    assert client.get(url).status_code == 404
    client.force_login(people["clerk"])
    response = client.get(url)
    assert response.status_code == 200 and downloaded(response) == PDF
    assert response["X-Content-Type-Options"] == "nosniff"


def test_only_listed_file_fields_and_existing_files_are_served(client, standard, people, stored_files):
    material = standard.materials.get(name="申请书")
    attach(material, "blank_form", "form.pdf", stored_files)
    publish(standard)
    client.force_login(people["clerk"])
    for model, pk, field in (
        ("material", material.pk, "name"),
        ("material", material.pk, "sample_form"),  # listed, but empty
        ("manualstep", standard.manual_steps.first().pk, "description"),
        ("material", 999999, "blank_form"),
    ):
        assert client.get(reverse("guides:file", args=[model, pk, field])).status_code == 404, (model, field)
    material.blank_form.storage.delete(material.blank_form.name)  # gone from disk
    assert client.get(file_url(material, "blank_form")).status_code == 404


# --- the flowchart ---------------------------------------------------------------------------------------------


def step(name, office="审批服务股", duration=2, unit="working_day"):
    return SimpleNamespace(name=name, handling_office=office, duration=duration, duration_unit=unit)


def special(name, duration=15, unit="working_day", counted=False):
    return SimpleNamespace(name=name, duration=duration, duration_unit=unit, counted_in_limit=counted)


def view_box(svg: str) -> list[float]:
    return [float(v) for v in re.search(r'viewBox="([^"]+)"', svg).group(1).split()]


def test_flowchart_without_steps_goes_from_application_to_completion():
    svg = str(render_flowchart([], []))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'width="100%"' in svg and "<title" in svg and 'role="img"' in svg
    assert svg.count('class="fc-terminal"') == 2 and "申请" in svg and "办结" in svg
    assert 'class="fc-step"' not in svg and svg.count('class="fc-arrow"') == 1
    assert "stroke-dasharray" not in svg


def test_flowchart_with_one_and_many_steps():
    one = str(render_flowchart([step("受理")], []))
    assert one.count('class="fc-step"') == 1 and one.count('class="fc-arrow"') == 2
    assert "1. 受理" in one and "审批服务股" in one and "时限：2个工作日" in one

    many = str(render_flowchart([step(f"环节{i}") for i in range(12)], []))
    assert many.count('class="fc-step"') == 12 and many.count('class="fc-arrow"') == 13
    assert view_box(many)[3] > view_box(one)[3]
    assert many == str(render_flowchart([step(f"环节{i}") for i in range(12)], []))  # deterministic


def test_special_procedures_are_dashed_side_boxes_at_the_decision_step():
    steps = [step("受理"), step("审查", duration=5), step("决定", duration=3)]
    svg = str(render_flowchart(steps, [special("专家评审"), special("听证", duration=None, unit="")]))
    assert svg.count('class="fc-special"') == 2
    for box in re.findall(r'<g class="fc-special">.*?</g>', svg):
        assert 'stroke-dasharray="6 4"' in box
    assert svg.count('class="fc-link"') == 2 and "不计入办结时限" in svg and "15个工作日" in svg
    assert "在“决定”环节" in svg
    assert view_box(svg)[2] > view_box(str(render_flowchart(steps, [])))[2]  # a side column was added
    # Without a decision step they hang on the last step; without steps, on the start.
    assert "在“审查”环节" in str(render_flowchart(steps[:2], [special("听证")]))
    assert "在“申请”环节" in str(render_flowchart([], [special("听证")]))


def test_flowchart_text_is_escaped():
    svg = str(render_flowchart([step("<script>alert(1)</script>", office='"&')], [special("<b>听证</b>")]))
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg and "&lt;b&gt;听证&lt;/b&gt;" in svg and "&quot;&amp;" in svg


def test_long_chinese_text_wraps_inside_the_box():
    office = "清远市清城区政务服务中心综合受理窗口和审批服务股业务科室联合审查岗"
    svg = str(render_flowchart([step("决定", office=office)], []))
    assert len(re.findall(r'<text class="fc-meta"', svg)) >= 3  # office on two lines or more, then the limit
    lines = wrap_text(office + "，并出具意见。", 200, 13)
    assert "".join(lines) == office + "，并出具意见。"
    assert all(text_width(line, 13) <= 200 + 13 for line in lines)  # one closing mark may hang over
    assert not any(line[0] in "，。、）" for line in lines)
    assert wrap_text("Guangdong Government Service Network", 100, 13) == [
        "Guangdong",
        "Government",
        "Service",
        "Network",
    ]
    assert wrap_text("很长" * 100, 100, 13, max_lines=2)[-1].endswith("…")


def test_durations_are_written_with_their_unit():
    assert format_duration(2, "working_day") == "2个工作日"
    assert format_duration(15, "natural_day") == "15个自然日"
    assert format_duration(3, "month") == "3个月"
    assert format_duration(1, "year") == "1年"
    assert format_duration(None, "instant") == "即办"
    assert format_duration(None, "working_day") == ""


def test_the_guide_costs_the_same_queries_however_many_rows(client, standard):
    publish(standard)
    url = guide_url(standard)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for position in range(2, 22):
        Material.objects.create(standard=standard, position=position, name=f"材料{position}", situation="change")
        ProcessStep.objects.create(standard=standard, position=position, name=f"环节{position}")
    with CaptureQueriesContext(connection) as many:
        body = client.get(url).content.decode()
    assert "材料21" in body and "业务情形：变更" in body
    assert len(many.captured_queries) == len(few.captured_queries)
