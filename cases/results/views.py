"""The public pages of published results (结果公开): the searchable list and a result's page, for anyone, and the
supervisor's withdrawal (撤回). Withdrawn results are gone from the public pages (404), their records kept."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases import permissions
from cases.models import PublishedResult
from cases.views.common import errors_into
from core.exceptions import TransitionNotAllowed
from core.pages import paginate

from . import selectors
from .forms import ResultSearchForm, WithdrawForm
from .publishing import published_result_withdraw

PAGE_SIZE = 20


@require_http_methods(["GET", "HEAD"])
def result_list(request: HttpRequest) -> HttpResponse:
    divisions = selectors.result_divisions()
    form = ResultSearchForm(request.GET or None, divisions=divisions, departments=selectors.result_departments())
    results = selectors.public_results()
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
        results = results.none()
    elif form.is_bound:
        results = selectors.filter_results(results, form.filters())
    return render(
        request, "cases/results/list.html", {"form": form, "page": paginate(request, results, PAGE_SIZE)}, status=status
    )


def _public_or_404(pk: int) -> PublishedResult:
    result = selectors.public_results().filter(pk=pk).first()
    if result is None:
        raise Http404(_("没有找到该公开结果"))
    return result


@require_http_methods(["GET", "HEAD"])
def result_detail(request: HttpRequest, pk: int) -> HttpResponse:
    result = _public_or_404(pk)
    may_withdraw = request.user.is_authenticated and permissions.can_withdraw_result(request.user, result)
    return render(request, "cases/results/detail.html", {"result": result, "may_withdraw": may_withdraw})


@require_http_methods(["GET", "POST"])
def result_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    result = permissions.withdrawable_results(request.user).filter(pk=pk, withdrawn_at__isnull=True).first()
    if result is None:
        raise Http404(_("没有找到该公开结果，或您无权撤回"))
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            published_result_withdraw(actor=request.user, result=result, reason=form.cleaned_data["reason"])
        except TransitionNotAllowed as exc:
            messages.warning(request, exc.message)
            return redirect("results:list")
        except ValidationError as exc:
            errors_into(form, exc)
        else:
            messages.success(request, _("已撤回，该结果不再对外公开"))
            return redirect("results:list")
    status = 400 if request.method == "POST" else 200
    return render(request, "cases/results/withdraw.html", {"result": result, "form": form}, status=status)
