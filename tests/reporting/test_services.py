"""Snapshots are idempotent, a report freezes its figures, a sent report never changes, the workbook says what the
database says."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from catalogue.models import LocalItem, LocalItemStatus
from reporting.models import ProgressReport, RateSnapshot, ReportStatus
from reporting.services import progress_report_build, progress_report_create, progress_report_send, rates_compute
from standards.models import ItemStandard

DAY = dt.date(2026, 11, 20)


def test_computing_a_date_twice_replaces_its_snapshots(small, geo):
    first = rates_compute(date=DAY)
    assert first == RateSnapshot.objects.filter(date=DAY).count()
    ItemStandard.objects.filter(local_item=small["items"]["D"]).update(
        state="dept_confirm", first_submitted_at=timezone.now()
    )
    second = rates_compute(date=DAY)
    assert second == first == RateSnapshot.objects.filter(date=DAY).count()
    qc = RateSnapshot.objects.get(date=DAY, scope_key=geo["qc"].code)
    assert (qc.submitted, qc.dept_confirm) == (7, 1)
    assert RateSnapshot.objects.filter(date=DAY, scope_key=geo["qc"].code).count() == 1


def test_snapshots_of_other_dates_are_kept(small):
    rates_compute(date=DAY - dt.timedelta(days=1))
    rates_compute(date=DAY)
    assert set(RateSnapshot.objects.values_list("date", flat=True).distinct()) == {DAY, DAY - dt.timedelta(days=1)}


def test_management_command_stores_the_snapshot(small, geo):
    out = io.StringIO()
    call_command("compute_rates", "--date", DAY.isoformat(), stdout=out)
    assert "已保存" in out.getvalue()
    assert RateSnapshot.objects.get(date=DAY, scope_key=geo["qy"].code).active == 7


def _report(people, geo, **kwargs):
    return progress_report_create(
        actor=people["supervisor"],
        division=geo["qy"],
        period_start=dt.date(2026, 11, 1),
        period_end=timezone.localdate(),
        contact="张三 0763-3362001",
        **kwargs,
    )


def test_the_workbook_says_what_the_database_says(small, people, geo, orgs):
    report = progress_report_build(report_id=_report(people, geo).pk)
    assert report.status == ReportStatus.READY
    wb = load_workbook(report.file.path)
    assert wb.sheetnames == ["封面", "各市汇总", "县区明细", "部门明细", "超期通报", "办件与监察", "好差评", "服务大厅"]
    assert [r[:3] for r in wb["各市汇总"].iter_rows(min_row=2, values_only=True)] == [(geo["qy"].code, "清远市", 7)]
    cover = {row[0]: row[1] for row in wb["封面"].iter_rows(min_row=3, values_only=True) if row and row[0]}
    assert cover["报送对象"] == "省编办"
    assert cover["联系人及电话"] == "张三 0763-3362001"
    assert cover["应编写事项数"] == 7
    counties = wb["县区明细"]
    header = [c.value for c in counties[1]]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in counties.iter_rows(min_row=2, values_only=True)}
    qc = rows[geo["qc"].code]
    assert (qc["应编写事项数"], qc["已提交数"], qc["退回数"], qc["审查通过数"], qc["超期未审数"]) == (7, 6, 2, 3, 1)
    assert qc["标准录入提交率"] == 0.857  # 6/7 rounded down to 0.1 %, as every rate shown (reporting.rates): 85.7%
    assert qc["排名"] == 1
    assert rows[geo["qx"].code]["标准录入提交率"] == "—"  # no items: no rate, not ranked
    assert rows[geo["qx"].code]["排名"] is None
    assert counties.freeze_panes == "A2"
    assert counties.auto_filter.ref.startswith("A1:")
    rate_cell = counties.cell(row=2, column=header.index("标准录入提交率") + 1)
    assert rate_cell.number_format == "0.0%"
    assert rate_cell.fill.fgColor.rgb.endswith("FCE4D6")  # below the 100 % target
    departments = {r[2]: r for r in wb["部门明细"].iter_rows(min_row=2, values_only=True)}
    assert departments[orgs["other_dept"].name][header.index("退回数") + 0] == 2


def test_a_sent_report_never_changes(small, people, geo):
    report = progress_report_build(report_id=_report(people, geo).pk)
    report = progress_report_send(actor=people["supervisor"], report=report)
    figures, content = report.figures, Path(report.file.path).read_bytes()
    rows = list(report.rows.order_by("pk").values())
    ItemStandard.objects.filter(local_item=small["items"]["D"]).update(
        state="dept_confirm", first_submitted_at=timezone.now()
    )
    again = progress_report_build(report_id=report.pk)
    assert again.figures == figures
    assert list(again.rows.order_by("pk").values()) == rows
    assert again.rows.get(scope_key=geo["qc"].code).submitted == 6
    assert Path(again.file.path).read_bytes() == content
    again.figures = {**figures, "total": {}}
    with pytest.raises(ValidationError):
        again.save()
    with pytest.raises(ValidationError):
        again.delete()
    assert ProgressReport.objects.get(pk=report.pk).figures["total"]["submitted"] == 6


def test_the_next_report_shows_the_change_since_the_last_sent_one(small, people, geo):
    first = progress_report_create(
        actor=people["supervisor"],
        division=geo["qy"],
        period_start=dt.date(2026, 10, 1),
        period_end=dt.date(2026, 10, 31),
    )
    progress_report_send(actor=people["supervisor"], report=progress_report_build(report_id=first.pk))
    ItemStandard.objects.filter(local_item=small["items"]["D"]).update(
        state="dept_confirm", first_submitted_at=timezone.now()
    )
    second = progress_report_build(report_id=_report(people, geo).pk)
    qc = second.rows.get(kind="county", code=geo["qc"].code)
    assert qc.submission_change == pytest.approx(1 / 7)
    assert qc.submission_rate == 7 / 7
    assert first.rows.get(kind="county", code=geo["qc"].code).submission_rate == 6 / 7  # the sent one kept its own
    assert second.figures["previous"]["id"] == first.pk


def test_only_offices_of_the_subtree_report(small, people, geo):
    with pytest.raises(PermissionDenied):
        progress_report_create(actor=people["supervisor"], division=geo["dg"], period_start=DAY, period_end=DAY)
    with pytest.raises(PermissionDenied):
        progress_report_create(actor=people["clerk"], division=geo["qc"], period_start=DAY, period_end=DAY)
    with pytest.raises(ValidationError):
        progress_report_create(
            actor=people["supervisor"], division=geo["qc"], period_start=DAY, period_end=DAY - dt.timedelta(days=1)
        )


def test_reports_frozen_before_rows_existed_keep_their_figures(people, geo):
    """Migration 0002 moves the per-unit figures of existing reports, sent ones included, from JSON into rows."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("reporting.migrations.0002_report_rows")
    row = {"code": geo["qc"].code, "name": "清城区", "city": "清远市", "active": 7, "submitted": 6, "rank": 1}
    old = {
        "unit": {"code": geo["qy"].code, "name": "清远市", "level": "city"},
        "total": {"active": 7, "submitted": 6, "submission_rate": 6 / 7},
        "cities": [{**row, "key": geo["qy"].code, "code": geo["qy"].code, "name": "清远市", "city": ""}],
        "counties": [{**row, "key": geo["qc"].code, "submission_rate": 6 / 7, "submission_change": 0.1}],
        "departments": [{**row, "key": f"{geo['qc'].code}/9", "name": "清城区教育局", "county": "清城区"}],
        "rows": {geo["qc"].code: {"submission_rate": 6 / 7, "approval_rate": None}},
        "bulletin": [],
    }
    report = ProgressReport.objects.create(
        division=geo["qy"], period_start=DAY, period_end=DAY, status=ReportStatus.SENT, figures=old
    )
    migration.rows_from_figures(apps, None)
    report.refresh_from_db()
    assert set(report.figures) == {"unit", "total", "bulletin"}
    qc = report.rows.get(kind="county")
    assert (qc.code, qc.name, qc.city, qc.active, qc.submitted, qc.rank) == (
        geo["qc"].code,
        "清城区",
        "清远市",
        7,
        6,
        1,
    )
    assert (qc.submission_rate, qc.submission_change) == (6 / 7, 0.1)
    assert report.rows.get(kind="department").county == "清城区"
    assert report.rows.filter(kind="city").count() == 1  # the unit's own row is not added twice
    migration.figures_from_rows(apps, None)
    report.refresh_from_db()
    assert report.figures["counties"][0]["submission_rate"] == 6 / 7
    assert report.figures["rows"][geo["qc"].code]["submission_rate"] == 6 / 7


def _snapshot_versions() -> dict:
    """Each snapshot's computed_at (and on PostgreSQL its row version ``xmin``): a row left alone keeps both."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT scope_key, computed_at, xmin::text FROM {RateSnapshot._meta.db_table} WHERE date = %s", [DAY]
            )
            return {key: (at, xmin) for key, at, xmin in cursor.fetchall()}
    return dict(RateSnapshot.objects.filter(date=DAY).values_list("scope_key", "computed_at"))


def test_recomputing_unchanged_figures_writes_no_row(small, django_assert_max_num_queries):
    rates_compute(date=DAY)
    before = _snapshot_versions()
    with django_assert_max_num_queries(12):  # a fixed number, whatever the scopes: nothing per row
        assert rates_compute(date=DAY) == len(before)
    assert _snapshot_versions() == before


def test_a_changed_figure_updates_its_row_only(small, geo, orgs):
    rates_compute(date=DAY)
    before = _snapshot_versions()
    ItemStandard.objects.filter(local_item=small["items"]["D"]).update(
        state="dept_confirm", first_submitted_at=timezone.now()
    )
    rates_compute(date=DAY)
    after = _snapshot_versions()
    changed = {key for key in before if after[key] != before[key]}
    item = small["items"]["D"]
    # D's department, its county, city and province — every scope that counts D, and no other.
    assert changed == {
        item.division.county_code,
        item.division.city_code,
        item.division.province_code,
        f"{item.organization.division_id}/{item.organization_id}",
    }
    county = RateSnapshot.objects.get(date=DAY, scope_key=item.division.county_code)
    assert (county.submitted, county.dept_confirm) == (7, 1)


def test_a_scope_without_figures_any_more_is_removed(small, orgs, geo):
    rates_compute(date=DAY)
    department = orgs["other_dept"]
    key = f"{department.division_id}/{department.pk}"
    assert RateSnapshot.objects.filter(date=DAY, scope_key=key).exists()
    LocalItem.objects.filter(organization=department).update(
        status=LocalItemStatus.CANCELLED, cancel_date=timezone.localdate()
    )
    count = rates_compute(date=DAY)
    assert not RateSnapshot.objects.filter(date=DAY, scope_key=key).exists()
    assert count == RateSnapshot.objects.filter(date=DAY).count()
