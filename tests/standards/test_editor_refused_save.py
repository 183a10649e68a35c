"""The editor after a refused save: the quality findings of what was submitted (not "no problems"), a summary at the
top linking every refused field, and the section menu counting the errors of each section."""

from __future__ import annotations

import re

import pytest

from standards.models import Material
from tests.standards.factories import complete_standard
from tests.standards.test_editor import _count, _grow, edit_url, post_data


@pytest.fixture
def clerk(client, people):
    client.force_login(people["clerk"])
    return client


def _new_material(data: dict, **values) -> int:
    index = int(data["materials-TOTAL_FORMS"])
    data["materials-TOTAL_FORMS"] = str(index + 1)
    defaults = {"position": "0", "situation": "new", "material_type": "original", "material_form": "paper"}
    defaults |= {"source_channel": "applicant", "original_count": "1", "necessity": "required"}
    for name, value in (defaults | values).items():
        data[f"materials-{index}-{name}"] = value
    return index


def test_a_refused_save_shows_the_findings_of_what_was_submitted(clerk, standard):
    data = post_data(standard, **{"guide-legal_limit": "-5", "guide-address": ""})
    new = _new_material(data, name="其他材料")
    response = clerk.post(edit_url(standard), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "质量检查未发现问题" not in body and "尚未保存" in body
    findings = {(f.code, f.field_path) for f in response.context["findings"]}
    assert ("F02", "guide.address") in findings  # the address was emptied in the input, not in the saved draft
    # The vague new material is the second row once saved (position 0, after the stored row at 0): its finding is
    # shown on its own form, the last one of the page.
    assert ("C07", f"materials[{new}].name") in findings
    formset = response.context["editor"].formsets["materials"][2]
    assert [f.code for f in formset.forms[new].findings] == ["C07"]
    assert not any(f.field_path == "guide.legal_limit" for f in response.context["findings"])  # its error says it
    assert "按本次提交的内容" in body
    standard.refresh_from_db()
    assert standard.revision == 1 and standard.guide.address  # still nothing saved
    assert not Material.objects.filter(name="其他材料").exists()


def test_deleted_rows_are_not_checked_and_the_others_keep_their_forms(clerk, standard):
    data = post_data(standard, **{"guide-legal_limit": "-5", "materials-0-DELETE": "on", "materials-1-name": ""})
    response = clerk.post(edit_url(standard), data)
    paths = {f.field_path for f in response.context["findings"] if f.code == "C07"}
    assert paths == set()  # the emptied name is a form error, so its finding is left out
    data["materials-1-name"] = "相关材料"
    response = clerk.post(edit_url(standard), data)
    paths = {f.field_path for f in response.context["findings"] if f.code == "C07"}
    assert paths == {"materials[1].name"}  # the first checked row, shown on the page's second form


def test_the_summary_links_every_refused_field_and_the_menu_counts_them(clerk, standard):
    data = post_data(
        standard,
        **{"guide-legal_limit": "-5", "guide-online_url": "not a url", "materials-1-copy_count": "-1"},
    )
    body = clerk.post(edit_url(standard), data).content.decode()
    summary = body[body.index('id="editor-errors"') :]
    summary = summary[: summary.index("</div></div>")]
    assert "3 处需要修改" in summary
    links = re.findall(r'<a href="#([^"]+)">', summary)
    assert links == ["div_id_materials-1-copy_count", "f-guide-legal_limit", "f-guide-online_url"]  # page order
    for anchor in links:  # every link leads to an element of the page
        assert f'id="{anchor}"' in body
    assert "申请材料 第2行" in summary
    toc = body[body.index('class="list-unstyled small mb-0 editor-toc"') :]
    toc = toc[: toc.index("</ol>")]
    badges = dict(re.findall(r'href="#(\w+)">[^<]*<span class="badge[^>]*>.*?</i> (\d+)', toc))
    assert badges == {"materials": "1", "limits": "1", "channels": "1"}
    assert "处需要修改" in toc  # the count is read out in words, not shown by colour only


def test_an_accepted_page_has_no_summary(clerk, standard):
    body = clerk.get(edit_url(standard)).content.decode()
    assert 'id="editor-errors"' not in body and "section-errors" not in body


def test_a_refused_save_costs_the_same_queries_whatever_the_row_counts(clerk, standard, local_items, people):
    small = _count(clerk, "post", edit_url(standard), post_data(standard, **{"guide-legal_limit": "-5"}))
    big = complete_standard(people["clerk"], local_items["qc_sub"])
    _grow(big)
    data = post_data(big, **{"guide-legal_limit": "-5"})
    for n in range(32):
        data[f"materials-{n}-remark"] = "已核对"
    assert _count(clerk, "post", edit_url(big), data) == small
    assert small < 60
