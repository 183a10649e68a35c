"""Bulk import in the browser: upload, preview (a dry run as a Celery task, eager in tests), confirmation, result;
who may do it, and every kind of bad upload answered at its field with nothing saved."""

from __future__ import annotations

import csv
import io

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalogue.models import CatalogueImport, ImportRejection, ImportState, LocalItem
from catalogue.services import imports as import_services
from catalogue.services.imports import catalogue_import_confirm
from tests.catalogue.test_import import GUANGAN, ZHONGSHAN, _zhongshan_rows

LIST = reverse("catalogue:import_list")


def _upload(client, path_or_bytes, *, name="items.csv", profile="gd_zhongshan", division=""):
    content = path_or_bytes.read_bytes() if hasattr(path_or_bytes, "read_bytes") else path_or_bytes
    data = {"file": SimpleUploadedFile(name, content), "profile": profile, "division": division}
    return client.post(LIST, data)


def test_province_office_previews_then_imports_the_zhongshan_file(client, people, zhongshan):
    client.force_login(people["province"])
    response = _upload(client, ZHONGSHAN, name=ZHONGSHAN.name)
    record = CatalogueImport.objects.get()
    assert response.status_code == 302 and response.url == reverse("catalogue:import_detail", args=[record.pk])
    # The preview is a dry run: counted, nothing saved, the file kept outside the public media root.
    assert record.state == ImportState.PREVIEWED and record.preview_counts["create"] == 40
    assert not LocalItem.objects.exists()
    assert str(settings.PRIVATE_MEDIA_ROOT) in record.file.path and str(settings.MEDIA_ROOT) not in record.file.path
    page = client.get(response.url).content.decode()
    assert "将新增" in page and "确认导入" in page and "1144200032477691303440102001001" in page

    response = client.post(reverse("catalogue:import_confirm", args=[record.pk]), {})
    record.refresh_from_db()
    assert record.state == ImportState.IMPORTED and record.counts["create"] == 40
    assert record.confirmed_by == people["province"] and LocalItem.objects.count() == 40
    history = LocalItem.objects.get(code="11442000007332665G344010401200203").history.get()
    assert history.history_user == people["province"]
    assert history.history_change_reason == f"批量导入：{ZHONGSHAN.name}"
    assert "已导入" in client.get(response.url).content.decode()
    # Confirming twice does not import twice.
    client.post(reverse("catalogue:import_confirm", args=[record.pk]), {})
    assert LocalItem.objects.count() == 40 and LocalItem.history.count() == 40


def test_the_sichuan_preview_lists_rejected_rows_with_row_column_and_reason(client, admin_user, guangan):
    client.force_login(admin_user)
    _upload(client, GUANGAN, name=GUANGAN.name, profile="sc_guangan")
    record = CatalogueImport.objects.get()
    assert record.preview_counts["rejected"] == ImportRejection.objects.filter(catalogue_import=record).count() == 11
    page = client.get(reverse("catalogue:import_detail", args=[record.pk])).content.decode()
    assert '<td class="text-end">119</td>' in page and "basic_code" in page and "通用目录编码为空" in page
    # The table pages: of the rejected rows of a copy with 60 codes blanked, a page shows 20 (besides 20 samples).
    rows = list(csv.reader(io.StringIO(GUANGAN.read_text(encoding="utf-8"))))
    column = rows[0].index("basic_code")
    for row in rows[1:61]:
        row[column] = ""
    edited = io.StringIO()
    csv.writer(edited).writerows(rows)
    client.post(LIST, {"file": SimpleUploadedFile("edited.csv", edited.getvalue().encode()), "profile": "sc_guangan"})
    edited = CatalogueImport.objects.get(file_name="edited.csv")
    assert edited.preview_counts["rejected"] > 50
    url = reverse("catalogue:import_detail", args=[edited.pk])
    first, second = client.get(url).content.decode(), client.get(url + "?page=2").content.decode()
    assert first.count('<td class="text-end">') == 20 + 20 and "下一页" in first and "上一页" in second


def test_all_or_nothing_saves_nothing_when_rows_are_rejected(client, admin_user, guangan):
    client.force_login(admin_user)
    _upload(client, GUANGAN, name=GUANGAN.name, profile="sc_guangan")
    record = CatalogueImport.objects.get()
    client.post(reverse("catalogue:import_confirm", args=[record.pk]), {"all_or_nothing": "on"})
    record.refresh_from_db()
    assert record.state == ImportState.NOT_SAVED and not LocalItem.objects.exists()
    assert "未保存任何内容" in client.get(reverse("catalogue:import_detail", args=[record.pk])).content.decode()


@pytest.mark.parametrize("who", ["clerk", "depthead", "legality"])
def test_only_admins_and_establishment_offices_may_import(client, people, zhongshan, who):
    client.force_login(people[who])
    assert client.get(LIST).status_code == 403
    assert _upload(client, ZHONGSHAN).status_code == 403
    assert not CatalogueImport.objects.exists() and not LocalItem.objects.exists()


def test_others_cannot_see_or_confirm_an_import(client, people, zhongshan):
    client.force_login(people["province"])
    _upload(client, ZHONGSHAN)
    record = CatalogueImport.objects.get()
    client.force_login(people["qx_compliance"])
    assert client.get(reverse("catalogue:import_detail", args=[record.pk])).status_code == 404
    assert client.post(reverse("catalogue:import_confirm", args=[record.pk])).status_code == 404
    assert record.file_name not in client.get(LIST).content.decode()
    with pytest.raises(PermissionDenied):
        catalogue_import_confirm(actor=people["clerk"], record=record, all_or_nothing=False)
    record.refresh_from_db()
    assert record.state == ImportState.PREVIEWED and not LocalItem.objects.exists()


def _pdf() -> bytes:
    return b"%PDF-1.4\n" + b"\x00" * 200


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        ({"content": _pdf()}, "看起来是PDF"),
        ({"content": b"a,b\n1,2\n"}, "在文件第1行的表头中不存在"),
        ({"content": b"task_code\n1\n", "name": "items.docx"}, "只能导入 CSV"),
        ({"content": "task_code,名称\n".encode("utf-16")}, "UTF-16"),
        ({"division": "449999"}, "区划代码“449999”不存在"),
        ({"division": "500236"}, "您无权向"),
    ],
)
def test_bad_uploads_are_answered_at_their_field_and_nothing_is_saved(client, people, zhongshan, geo, upload, message):
    client.force_login(people["province"])
    content = upload.get("content", ZHONGSHAN.read_bytes())
    response = _upload(client, content, name=upload.get("name", "items.csv"), division=upload.get("division", ""))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CatalogueImport.objects.exists() and not LocalItem.objects.exists()


def test_an_oversized_file_is_refused(client, people, zhongshan, monkeypatch):
    monkeypatch.setattr(import_services, "MAX_IMPORT_BYTES", 1024)
    client.force_login(people["province"])
    response = _upload(client, ZHONGSHAN)
    assert "文件过大" in response.content.decode() and not CatalogueImport.objects.exists()


def test_a_gbk_file_is_read(client, people, zhongshan):
    client.force_login(people["province"])
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(_zhongshan_rows(3))
    _upload(client, text.getvalue().encode("gbk"))
    assert CatalogueImport.objects.get().preview_counts["create"] == 3


def test_the_list_costs_the_same_queries_however_many_imports(client, people, zhongshan, django_assert_num_queries):
    client.force_login(people["province"])
    _upload(client, ZHONGSHAN)
    client.get(LIST)
    with django_assert_num_queries(6):
        assert client.get(LIST).status_code == 200
    for _ in range(4):
        _upload(client, ZHONGSHAN)
    with django_assert_num_queries(6):
        page = client.get(LIST).content.decode()
    assert page.count(ZHONGSHAN.name) == 0 and page.count("items.csv") == 5


def test_the_nav_shows_the_import_to_establishment_offices_only(client, people):
    client.force_login(people["compliance"])
    assert LIST in client.get(reverse("catalogue:local_list")).content.decode()
    client.force_login(people["clerk"])
    assert LIST not in client.get(reverse("catalogue:local_list")).content.decode()


def test_the_import_modules_load_in_any_order():
    """The forms name the profiles, the engine builds on the item services, the import services drive the engine:
    a fresh process that loads the URLconf first must not meet a half-initialised module."""
    import subprocess
    import sys

    code = "import django; django.setup(); import catalogue.forms, catalogue.urls, catalogue.tasks"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=settings.BASE_DIR)
    assert done.returncode == 0, done.stderr[-2000:]


def test_a_file_broken_past_its_head_fails_its_preview_and_changes_nothing(client, people, zhongshan):
    """The upload checks the file's head; a bad line further on is found by the preview, which fails with it."""
    client.force_login(people["province"])
    rows = _zhongshan_rows()
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows + rows[1:] * 60)  # well past the 64 KB sniffed
    response = _upload(client, text.getvalue().encode("utf-8") + b"\xff\xfe,broken\n")
    record = CatalogueImport.objects.get()
    assert record.state == ImportState.FAILED and "不是有效的 utf-8 编码文本" in record.error
    page = client.get(response.url).content.decode()
    assert "无法导入" in page and "目录没有任何改变" in page and "确认导入" not in page
    assert not LocalItem.objects.exists()


def test_the_status_partial_polls_while_running_and_reloads_when_done(client, people, zhongshan):
    client.force_login(people["province"])
    _upload(client, ZHONGSHAN)
    record = CatalogueImport.objects.get()
    url = reverse("catalogue:import_status", args=[record.pk])
    CatalogueImport.objects.filter(pk=record.pk).update(state=ImportState.IMPORTING)
    running = client.get(url, HTTP_HX_REQUEST="true")
    assert f'hx-get="{url}"' in running.content.decode() and "HX-Refresh" not in running
    CatalogueImport.objects.filter(pk=record.pk).update(state=ImportState.IMPORTED)
    done = client.get(url, HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true" and "hx-get" not in done.content.decode()


def test_an_upload_that_cannot_be_queued_is_marked_failed(client, people, zhongshan, monkeypatch):
    from kombu.exceptions import OperationalError

    from catalogue import tasks

    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.catalogue_import_preview, "delay", refuse)
    client.force_login(people["province"])
    response = _upload(client, ZHONGSHAN, name=ZHONGSHAN.name)
    record = CatalogueImport.objects.get()
    assert response.status_code == 302
    # The page shows a failed import with the reason, not a preview that never ends.
    assert record.state == ImportState.FAILED and "后台任务队列暂时不可用" in record.error
    page = client.get(response.url).content.decode()
    assert "后台任务队列暂时不可用" in page
    assert not LocalItem.objects.exists()


def test_a_broken_shipped_profile_is_left_out_and_the_page_still_opens(client, people, tmp_path, monkeypatch):
    from catalogue.imports import profiles

    (tmp_path / "gd_zhongshan.toml").write_bytes((profiles.PROFILE_DIR / "gd_zhongshan.toml").read_bytes())
    (tmp_path / "broken.toml").write_text("not = toml = at all", encoding="utf-8")
    monkeypatch.setattr(profiles, "PROFILE_DIR", tmp_path)
    client.force_login(people["province"])
    page = client.get(LIST)
    assert page.status_code == 200
    choices = [name for name, _ in page.context["form"].fields["profile"].choices]
    assert choices == ["gd_zhongshan"]


def test_only_the_uploader_confirms_an_import(client, people, orgs, geo, admin_user):
    # 清城区编办's import of its own county: an administrator sees it, another county's office does not, and
    # neither may start it in the uploader's name.
    record = CatalogueImport.objects.create(
        file_name="items.csv", profile="gd_zhongshan", division=geo["qc"], state=ImportState.PREVIEWED,
        created_by=people["compliance"],
    )  # fmt: skip
    for outsider in (admin_user, people["qx_compliance"]):
        with pytest.raises(PermissionDenied):
            catalogue_import_confirm(actor=outsider, record=record, all_or_nothing=False)
    client.force_login(admin_user)
    page = client.get(reverse("catalogue:import_detail", args=[record.pk]))
    assert page.status_code == 200 and not page.context["may_confirm"]
    record.refresh_from_db()
    assert record.state == ImportState.PREVIEWED and record.confirmed_by is None
