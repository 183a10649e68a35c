"""China's working days: statutory holidays and make-up days from the package, the override table before it, and
years neither covers counted Monday to Friday but reported, never silently."""

from __future__ import annotations

import datetime as dt
import logging
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from core import workdays
from core.models import WorkdayOverride
from core.workdays import add_workdays, is_known, is_workday, uncovered_years, workdays_between
from reviews.models import ReviewTask
from tests.reviews import conftest as review_fixtures
from tests.workflow import conftest as workflow_fixtures

cast = workflow_fixtures.cast
version = workflow_fixtures.version
flow = review_fixtures.flow

D = dt.date
NOTICE_2027 = "国务院办公厅关于2027年部分节假日安排的通知"


@pytest.fixture(autouse=True)
def _calendar_as_released(monkeypatch):
    """The package as release 1.11 ships it (2004–2026), whatever a later release adds, and a fresh process: no
    cached override rows, no years reported yet."""
    monkeypatch.setattr(workdays, "package_covers", lambda year: 2004 <= year <= 2026)
    workdays._package_is_workday.cache_clear()
    workdays.invalidate_overrides()
    workdays._reported_years.clear()
    yield
    workdays._package_is_workday.cache_clear()
    workdays.invalidate_overrides()
    workdays._reported_years.clear()


def local(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=timezone.get_current_timezone())


def test_the_installed_package_covers_2026_and_refuses_2027():
    import chinese_calendar

    assert chinese_calendar.is_workday(D(2026, 10, 10)) and not chinese_calendar.is_workday(D(2026, 10, 1))
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D(2027, 1, 4))


def test_national_day_and_its_make_up_saturday(db):
    assert add_workdays(D(2026, 9, 30), 5) == D(2026, 10, 13)
    assert workdays_between(D(2026, 9, 30), D(2026, 10, 13)) == 5
    assert is_workday(D(2026, 10, 10)) and not is_workday(D(2026, 10, 5)) and not is_workday(D(2026, 10, 11))
    assert add_workdays(D(2026, 10, 9), 1) == D(2026, 10, 10)


def test_spring_festival(db):
    assert add_workdays(D(2026, 2, 13), 3) == D(2026, 2, 25)
    assert workdays_between(D(2026, 2, 13), D(2026, 2, 25)) == 3
    assert is_workday(D(2026, 2, 14)) and not is_workday(D(2026, 2, 16))


def test_workdays_between_is_signed_and_zero_on_the_same_day(db):
    assert workdays_between(D(2026, 10, 13), D(2026, 9, 30)) == -5
    assert workdays_between(D(2026, 10, 13), D(2026, 10, 13)) == 0
    assert workdays_between(D(2026, 10, 1), D(2026, 10, 7)) == 0  # the holiday week
    assert workdays_between(local(2026, 9, 30, 17, 0), local(2026, 10, 8, 9, 0)) == 1


def test_datetimes_keep_their_time_and_count_in_local_time(db):
    due = add_workdays(local(2026, 9, 30, 10, 30), 5)
    assert due == local(2026, 10, 13, 10, 30) and due.hour == 10
    # 2026-09-30 20:00 UTC is already 2026-10-01 04:00 in China: a holiday, so counting starts on 10-08.
    utc = dt.datetime(2026, 9, 30, 20, 0, tzinfo=dt.UTC)
    assert timezone.localtime(add_workdays(utc, 1)) == local(2026, 10, 9, 4, 0)
    assert add_workdays(dt.datetime(2026, 10, 3, 9, 0), 0) == dt.datetime(2026, 10, 8, 9, 0)  # naive stays naive


def test_a_start_on_a_day_off_counts_from_the_next_working_day(db):
    assert add_workdays(D(2026, 10, 1), 0) == D(2026, 10, 8)
    assert add_workdays(D(2026, 10, 1), 1) == D(2026, 10, 9)
    with pytest.raises(ValueError):
        add_workdays(D(2026, 10, 8), -1)


def test_a_year_without_data_counts_monday_to_friday_and_is_reported(db, caplog):
    caplog.set_level(logging.WARNING, logger="core.workdays")
    # 2026-12-31 is a Thursday; without the 2027 notice, New Year's Day (Friday) counts as a working day.
    assert add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 1)
    assert add_workdays(D(2026, 12, 31), 2) == D(2027, 1, 4)
    assert workdays_between(D(2026, 12, 31), D(2027, 1, 4)) == 2
    assert not is_known(D(2027, 1, 1)) and is_known(D(2026, 12, 31))
    assert uncovered_years(D(2026, 12, 6), D(2027, 2, 4)) == [2027]
    reports = [r for r in caplog.records if r.name == "core.workdays"]
    assert len(reports) == 1 and "2027" in reports[0].getMessage()  # once per process, however often it is asked


def test_override_rows_decide_a_year_the_package_lacks(db):
    WorkdayOverride.objects.create(date=D(2027, 1, 1), is_workday=False, notice=NOTICE_2027, note="元旦")
    assert add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 4)
    assert workdays_between(D(2026, 12, 31), D(2027, 1, 4)) == 1
    assert is_known(D(2027, 6, 1)) and uncovered_years(D(2026, 12, 6), D(2027, 2, 4)) == []

    WorkdayOverride.objects.create(date=D(2027, 1, 2), is_workday=True, notice=NOTICE_2027, note="调休补班")
    assert add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 2)


def test_override_rows_come_before_the_package(db):
    WorkdayOverride.objects.create(date=D(2026, 10, 10), is_workday=False, note="更正")
    assert not is_workday(D(2026, 10, 10))
    assert add_workdays(D(2026, 9, 30), 5) == D(2026, 10, 14)


def test_the_override_rows_are_cached_and_reloaded_on_save_and_delete(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        add_workdays(D(2026, 12, 31), 30)
        workdays_between(D(2026, 1, 1), D(2027, 12, 31))
        is_workday(D(2027, 1, 1))
    assert add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 1)

    row = WorkdayOverride.objects.create(date=D(2027, 1, 1), is_workday=False)
    assert add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 4)
    row.is_workday = True
    row.save()
    assert add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 1)
    row.delete()
    assert not is_known(D(2027, 1, 1))


def test_other_processes_reload_the_rows_after_a_while(db, monkeypatch):
    assert is_known(D(2027, 1, 1)) is False
    # A row written by another process sends no signal here.
    WorkdayOverride.objects.bulk_create([WorkdayOverride(date=D(2027, 1, 1), is_workday=False)])
    assert is_known(D(2027, 1, 1)) is False
    monkeypatch.setattr(workdays, "OVERRIDE_TTL", 0)
    assert is_known(D(2027, 1, 1)) is True


def at(moment: dt.datetime):
    return mock.patch("django.utils.timezone.now", return_value=moment)


@pytest.mark.parametrize("who", ["admin", "supervisor"])
def test_administrators_and_supervisors_are_warned_of_a_missing_year(client, people, admin_user, who):
    user = admin_user if who == "admin" else people["supervisor"]
    client.force_login(user)
    with at(local(2026, 12, 6, 9, 0)):
        body = client.get(reverse("home")).content.decode()
    assert "2027年的法定节假日和调休安排尚未录入" in body
    # The link to the override table only for whoever may enter rows there; the others are told whom to ask.
    link = reverse("admin:core_workdayoverride_changelist")
    if who == "admin":
        assert link in body
    else:
        assert link not in body and "请系统管理员" in body


def test_clerks_are_not_warned(client, people):
    client.force_login(people["clerk"])
    with at(local(2026, 12, 6, 9, 0)):
        body = client.get(reverse("home")).content.decode()
    assert "尚未录入" not in body and reverse("admin:core_workdayoverride_changelist") not in body


def test_no_warning_when_the_next_60_days_are_covered(client, admin_user):
    client.force_login(admin_user)
    with at(local(2026, 10, 1, 9, 0)):
        assert "尚未录入" not in client.get(reverse("home")).content.decode()
    WorkdayOverride.objects.create(date=D(2027, 1, 1), is_workday=False, notice=NOTICE_2027)
    with at(local(2026, 12, 6, 9, 0)):
        assert "尚未录入" not in client.get(reverse("home")).content.decode()


def test_the_override_table_is_in_the_admin(client, admin_user):
    WorkdayOverride.objects.create(date=D(2027, 1, 1), is_workday=False, notice=NOTICE_2027, note="元旦")
    client.force_login(admin_user)
    page = client.get(reverse("admin:core_workdayoverride_changelist") + "?q=2027")
    assert page.status_code == 200 and "元旦" in page.content.decode()


def test_a_review_task_opened_before_national_day_is_due_after_it(version, cast, flow):
    with at(local(2026, 9, 30, 10, 0)):
        flow(cast["clerk"], version, "submit")
        flow(cast["depthead"], version, "confirm")
    compliance = ReviewTask.objects.get(stage="compliance")
    assert timezone.localtime(compliance.opened_at) == local(2026, 9, 30, 10, 0)
    assert timezone.localtime(compliance.due_at) == local(2026, 10, 13, 10, 0)  # 5 working days
