"""The signed token in a case's evaluation link (一事一评): the case's key signed with the project's secret, so the
link cannot be guessed from a case number and a forged or altered one opens nothing."""

from __future__ import annotations

from django.core import signing
from django.urls import reverse

from cases.models import Case

SALT = "evaluation.case-link"


def case_token(case: Case) -> str:
    return signing.dumps(case.pk, salt=SALT)


def case_from_token(token: str) -> Case | None:
    try:
        pk = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return Case.objects.select_related("local_item", "organization").filter(pk=pk).first()


def case_path(case: Case) -> str:
    return reverse("evaluate:case", args=[case_token(case)])


def visit_path(token: str) -> str:
    return reverse("evaluate:visit", args=[token])
