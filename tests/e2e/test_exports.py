"""The 导出 Excel buttons in a real browser: the download carries the page's filters and a Chinese file name, and the
button fits a phone."""

from __future__ import annotations

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from catalogue.services import local_item_build
from tests.e2e.conftest import sideways_overflow
from tests.e2e.test_catalogue_pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def county_items(general, geo, orgs, people):
    return [
        local_item_build(
            general_item=general[k], division=geo["qc"], organization=orgs["edu"], actor=people["province"]
        )
        for k in ("sub1", "sub2", "plain", "township")
    ]


def test_the_button_downloads_what_the_filtered_page_lists(page, live_server, people, county_items, tmp_path):
    sign_in(page, live_server, "compliance")
    page.goto(f"{live_server.url}/catalogue/?division=441802&q=中外合作")
    listed = page.locator("tbody td.code").all_inner_texts()
    assert len(listed) == 2
    with page.expect_download() as download:
        page.click("text=导出 Excel")
    assert download.value.suggested_filename == f"清城区实施清单-441802-{timezone.localdate():%Y%m%d}.xlsx"
    target = tmp_path / "export.xlsx"
    download.value.save_as(target)
    rows = list(load_workbook(target).worksheets[0].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == [code.strip() for code in listed]


def test_the_button_fits_a_phone(phone, live_server, people, county_items):
    sign_in(phone, live_server, "compliance")
    phone.goto(f"{live_server.url}/catalogue/?division=441802")
    button = phone.locator("text=导出 Excel")
    assert button.is_visible()
    overflow = sideways_overflow(phone)
    assert overflow <= 0, f"page is {overflow}px wider than the phone"
