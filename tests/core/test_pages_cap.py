"""A list counts its rows only up to ``LIST_COUNT_CAP``: past it the page says "more than N" and the first N rows can
be paged through, so a page of a province-wide list costs the same however large the province."""

import pytest
from django.contrib.auth.models import User
from django.template.loader import render_to_string
from django.test import RequestFactory, override_settings

from core.pages import paginate

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_users():
    User.objects.bulk_create(User(username=f"u{i}") for i in range(5))
    return User.objects.order_by("username")


def _render(page, path="/list/"):
    return render_to_string("includes/pagination.html", {"page": page, "request": RequestFactory().get(path)})


@override_settings(LIST_COUNT_CAP=3)
def test_past_the_cap_the_list_says_more_than_n_and_pages_through_the_first_n(five_users, django_assert_num_queries):
    with django_assert_num_queries(2):  # the capped count, then the page
        page = paginate(RequestFactory().get("/list/?page=9"), five_users, size=2)
        rows = list(page.object_list)
    assert page.paginator.capped and page.paginator.count == 3 and page.paginator.num_pages == 2
    assert page.number == 2 and [u.username for u in rows] == ["u2"]  # the third of the first three rows
    assert "超过 3 条，可翻阅前 3 条，当前第 3–3 条" in _render(page)


@override_settings(LIST_COUNT_CAP=5)
def test_up_to_the_cap_the_count_is_exact(five_users):
    page = paginate(RequestFactory().get("/list/"), five_users, size=2)
    assert not page.paginator.capped and page.paginator.count == 5 and page.paginator.num_pages == 3
    html = _render(page)
    assert "共 5 条，当前第 1–2 条" in html and "超过" not in html
