"""The standards list says each item's state in words beside its colour."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from standards.models import ItemStandard, StandardState


def test_the_state_is_written_beside_the_version(client, people, standard):
    ItemStandard.objects.filter(pk=standard.pk).update(state=StandardState.COMPLIANCE_REVIEW)
    client.force_login(people["clerk"])
    page = client.get(reverse("standards:list")).content.decode()
    badge = re.search(r'<span class="badge badge-status-compliance_review">(.*?)</span>', page, re.S)
    assert badge is not None and "第1版" in badge.group(1) and "合规性审查" in badge.group(1)


def test_the_list_is_in_item_code_order(client, people, local_items):
    """Ordered by the item's code (its unique index serves the page), not by the department's name over every item:
    the list does not sort the whole province to show a page."""
    client.force_login(people["province"])
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("standards:list"))
    codes = [item.code for item in response.context["page"].object_list]
    assert codes == sorted(codes) and len(codes) >= 3
    page_query = next(
        q["sql"] for q in ctx.captured_queries if '"latest_state"' in q["sql"] and "COUNT(" not in q["sql"].upper()
    )
    order = page_query.rsplit("ORDER BY", 1)[1]
    assert order.strip().startswith('"catalogue_localitem"."code" ASC') and "organization" not in order


def test_the_list_runs_the_same_queries_for_any_page_size(client, people, local_items):
    client.force_login(people["province"])
    client.get(reverse("standards:list"))  # warm the session
    counts = []
    for size in (20, 100):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("standards:list"), {"size": size}).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1] <= 10, counts
