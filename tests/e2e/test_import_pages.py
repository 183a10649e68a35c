"""The browser import in a real browser: upload, preview with rejected rows, confirm, result; and on a phone."""

from __future__ import annotations

import csv
import io

import pytest

from catalogue.models import CatalogueImport, ImportState, LocalItem
from tests.catalogue.test_import import _zhongshan_rows
from tests.e2e.conftest import sideways_overflow
from tests.e2e.test_catalogue_pages import sign_in
from tests.factories import division

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def edited_file(tmp_path, geo):
    division("442000", "中山市", "city", geo["gd"])
    rows = _zhongshan_rows(10)
    rows[3][rows[0].index("task_type_code")] = "99"
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    path = tmp_path / "zhongshan.csv"
    path.write_text(text.getvalue(), encoding="utf-8")
    return path


def test_province_office_previews_and_imports_a_file(page, live_server, people, edited_file):
    sign_in(page, live_server, "province")
    page.goto(f"{live_server.url}/catalogue/imports/")
    page.set_input_files("#id_file", str(edited_file))
    page.select_option("#id_profile", "gd_zhongshan")
    with page.expect_navigation():
        page.click("main form[enctype] button[type=submit]")
    main = page.locator("main").inner_text()
    assert "待确认" in main and "task_type_code" in main and "事项类型“99”" in main
    assert not LocalItem.objects.exists()
    with page.expect_navigation():
        page.click("main button:has-text('确认导入')")
    assert "已导入" in page.locator("main").inner_text()
    assert CatalogueImport.objects.get().state == ImportState.IMPORTED and LocalItem.objects.count() == 9


def test_the_preview_fits_a_phone(phone, live_server, people, edited_file):
    sign_in(phone, live_server, "province")
    phone.goto(f"{live_server.url}/catalogue/imports/")
    phone.set_input_files("#id_file", str(edited_file))
    with phone.expect_navigation():
        phone.click("main form[enctype] button[type=submit]")
    assert "待确认" in phone.locator("main").inner_text()
    overflow = sideways_overflow(phone)
    assert overflow <= 0, f"page is {overflow}px wider than the phone"
