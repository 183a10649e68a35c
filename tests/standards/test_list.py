"""The standards list says each item's state in words beside its colour."""

from __future__ import annotations

import re

from django.urls import reverse

from standards.models import ItemStandard, StandardState


def test_the_state_is_written_beside_the_version(client, people, standard):
    ItemStandard.objects.filter(pk=standard.pk).update(state=StandardState.COMPLIANCE_REVIEW)
    client.force_login(people["clerk"])
    page = client.get(reverse("standards:list")).content.decode()
    badge = re.search(r'<span class="badge badge-status-compliance_review">(.*?)</span>', page, re.S)
    assert badge is not None and "第1版" in badge.group(1) and "合规性审查" in badge.group(1)
