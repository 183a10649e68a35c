"""The queue's department filter does not grow with the province: its departments are those of one county (the
chosen one, or the user's only one), listed while they are a few dozen, else found by a search box; a typed name
filters the queue without JavaScript."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue import department_filter
from reviews.models import ReviewTask

QUEUE = reverse("reviews:queue")


def _in_other_county(task, geo):
    """Move a task's item (and the task) to 清新区."""
    item = task.standard.local_item
    item.organization.division = geo["qx"]
    item.organization.name = "清新区第9局"
    item.organization.save()
    ReviewTask.objects.filter(pk=task.pk).update(division=geo["qx"])


def test_the_chosen_county_lists_its_own_departments_only(client, cast, geo, many_tasks):
    tasks = many_tasks(3)
    _in_other_county(tasks[2], geo)
    client.force_login(cast["admin"])
    response = client.get(QUEUE, {"division": "441802"})
    choices = response.context["department_filter"].choices
    assert [o.name for o in choices] == ["清城区第0局", "清城区第1局"]
    assert [d.code for d in response.context["divisions"]][:2] == ["441802", "441803"]


def test_without_a_county_a_province_wide_user_gets_the_search_box(client, cast, many_tasks):
    many_tasks(2)
    client.force_login(cast["admin"])
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(QUEUE)
    assert response.context["department_filter"].choices is None
    body = response.content.decode()
    assert 'name="department_name"' in body and 'list="f-department-list"' in body
    assert reverse("catalogue:department_search") in body
    # No query asks which departments the province's open tasks belong to.
    assert not any('"catalogue_organization"."id" IN (SELECT' in q["sql"] for q in ctx.captured_queries)


def test_a_county_reviewer_gets_a_select_of_their_countys_departments(client, cast, many_tasks, monkeypatch):
    many_tasks(4)
    client.force_login(cast["compliance"])
    response = client.get(QUEUE)
    assert len(response.context["department_filter"].choices) == 2  # the compliance tasks' departments
    assert 'name="department"' in response.content.decode()
    monkeypatch.setattr(department_filter, "MAX_LISTED", 1)
    response = client.get(QUEUE)
    assert response.context["department_filter"].choices is None
    assert response.context["department_division"] == "441802"
    assert 'data-division="441802"' in response.content.decode()


def test_a_typed_name_filters_the_queue(client, cast, many_tasks):
    tasks = many_tasks(3)
    client.force_login(cast["admin"])
    shown = {t.pk for t in client.get(QUEUE, {"department_name": " 第1局 "}).context["page"].object_list}
    assert shown == {tasks[1].pk}
    shown = {t.pk for t in client.get(QUEUE, {"department_name": "清城区"}).context["page"].object_list}
    assert shown == {t.pk for t in tasks}
    assert client.get(QUEUE, {"department_name": "局" * 500}).status_code == 200
