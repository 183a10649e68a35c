"""The public service guide, the staff-only business manual, file downloads and the server-drawn flowchart.

The public only ever sees a published version; a withdrawn guide or a cancelled item keeps its page with 410; the
manual and draft files are for staff who may read the item, everyone else gets 404 (never a hint that it exists)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalogue.services import ChangeDocument, catalog_change_apply
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
