"""The applicant's progress page (办件进度查询): a case number and the last four digits of the applicant's phone.

Anyone may ask, so the page gives away as little as it can: a wrong pair says only "未找到" (never which half was
wrong), tries are counted per client address (``PROGRESS_TRIES`` per ``PROGRESS_WINDOW`` seconds, then 429), and
a match shows the item, where the case stands, the dates and what is missing — no staff names, no opinions, and of
the applicant only a person's family name or an organization's name.
"""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cases.external import external_case_number
from cases.masking import applicant_display
from cases.models import Case, CaseMaterial, CaseStatus, CaseStep, ExternalSystem, StepKind
from core.pages import page_panels
from core.security import client_ip
from standards.models import InternalStep

PROGRESS_TRIES = 10
PROGRESS_WINDOW = 600  # seconds


class ProgressForm(forms.Form):
    no = forms.CharField(
        label=_("办件编号"),
        max_length=64,
        error_messages={"required": _("请填写办件编号"), "max_length": _("办件编号最长 64 个字符")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    tail = forms.RegexField(
        label=_("申请人联系电话后四位"),
        regex=re.compile(r"^\d{4}$"),
        max_length=4,
        error_messages={"required": _("请填写联系电话后四位"), "invalid": _("请填写 4 位数字")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]{4}"}),
    )

    def clean_no(self) -> str:
        return self.cleaned_data["no"].strip()


def _limits() -> tuple[int, int]:
    return getattr(settings, "PROGRESS_TRIES", PROGRESS_TRIES), getattr(settings, "PROGRESS_WINDOW", PROGRESS_WINDOW)


def _spend_try(request: HttpRequest) -> bool:
    """Count one try of this address; False once its tries in the window are used up."""
    tries, window = _limits()
    key = f"cases:progress:{client_ip(request) or 'unknown'}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= tries


def find_case(number: str, tail: str) -> Case | None:
    """The case with this number — the portal's own, or a number another system gave it — and this phone tail."""
    numbers = [number]
    numbers += [external_case_number(pk, number) for pk in ExternalSystem.objects.values_list("pk", flat=True)]
    return (
        Case.objects.select_related("local_item")
        .prefetch_related(
            Prefetch("steps", queryset=CaseStep.objects.order_by("seq").only("case_id", "seq", "kind", "at")),
            Prefetch(
                "materials",
                queryset=CaseMaterial.objects.filter(missing_at_acceptance=True, received=False).only(
                    "case_id", "name"
                ),
                to_attr="missing_materials",
            ),
        )
        .filter(number__in=numbers, phone_tail=tail)
        .exclude(phone_tail="")
        .order_by("pk")
        .first()
    )


STEP_LABELS = {**dict(InternalStep.choices), **dict(StepKind.choices)}


def progress_context(case: Case) -> dict:
    open_case = case.status not in (CaseStatus.FINISHED, CaseStatus.NOT_ACCEPTED)
    return {
        "case": case,
        "applicant": applicant_display(case.applicant_kind, case.applicant_name),
        "steps": [{"label": STEP_LABELS.get(s.kind, s.kind), "at": s.at} for s in case.steps.all()],
        "current_step": STEP_LABELS.get(case.current_step, "") if open_case and case.current_step else "",
        "missing": [m.name for m in case.missing_materials],
        "open": open_case,
        # What apps above the cases add for the applicant (the evaluation link): ``settings.CASE_PUBLIC_PANELS``.
        "panels": page_panels("CASE_PUBLIC_PANELS", AnonymousUser(), case),
    }


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def progress(request: HttpRequest) -> HttpResponse:
    context: dict = {"tries": _limits()[0], "minutes": _limits()[1] // 60}
    if request.method != "POST":
        context["form"] = ProgressForm(initial={"no": request.GET.get("no", "")[:64]})
        return render(request, "cases/public/progress.html", context)
    form = ProgressForm(request.POST)
    context["form"] = form
    if not form.is_valid():
        return render(request, "cases/public/progress.html", context, status=400)
    if not _spend_try(request):
        return render(request, "cases/public/progress.html", {**context, "limited": True}, status=429)
    case = find_case(form.cleaned_data["no"], form.cleaned_data["tail"])
    if case is None:
        context["not_found"] = True
    else:
        context.update(progress_context(case))
        context["form"] = ProgressForm(initial={"no": form.cleaned_data["no"]})
    return render(request, "cases/public/progress.html", context)
