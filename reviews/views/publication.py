"""The publisher's pages: the 待发布 list of approved versions, and publishing them — one with its confirmation page,
or several selected, confirmed together and published each in its own transaction."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.exceptions import ConflictError, TransitionNotAllowed
from core.pages import page_rule, paginate, staff_required
from standards import permissions
from standards.transitions import Action
from standards.views.lookup import standard_or_404

from .. import lifecycle, selectors, services
from ..forms import PublishForm


@page_rule(permissions.can_open_publication_queue)
def publication_queue(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.awaiting_publication(request.user))
    return render(
        request,
        "reviews/publication_queue.html",
        {"page": page, "show_size": True, "size_choices": settings.PAGE_SIZE_CHOICES},
    )


@staff_required
def publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation page of one approved version (GET), and its publication (POST). Whoever may not publish it is
    refused (403); a version no longer waiting (published or returned meanwhile) sends the publisher to its page."""
    standard = standard_or_404(request, pk)
    problem = permissions.denial(request.user, Action.PUBLISH, standard)
    if isinstance(problem, PermissionDenied):
        raise problem
    if problem is not None:
        messages.info(request, problem.message)
        return redirect("standards:detail", pk=standard.pk)
    form = PublishForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.standard_publish_approved(
                    actor=request.user, standard=standard, note=form.cleaned_data["note"]
                )
            except (ConflictError, TransitionNotAllowed) as exc:
                messages.warning(request, exc.message)
                return redirect("standards:detail", pk=standard.pk)
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
                status = 400
            else:
                messages.success(
                    request,
                    _("已发布：%(name)s 第%(version)s版，公众现在看到的是该版本")
                    % {"name": standard.local_item.name, "version": standard.version},
                )
                return redirect("reviews:publication_queue")
        else:
            status = 400
    return render(
        request,
        "reviews/publish.html",
        {
            "standard": standard,
            "item": standard.local_item,
            "published": lifecycle.published_version(standard),
            "form": form,
        },
        status=status,
    )


@page_rule(permissions.can_open_publication_queue)
@require_POST
def publish_bulk_view(request: HttpRequest) -> HttpResponse:
    """Publish the versions ticked in the 待发布 list: first a page that lists them for confirmation, then (``confirm``)
    each in its own transaction; those that could not be published are named with the reason."""
    ids = [int(v) for v in request.POST.getlist("standard") if v.isdigit()]
    standards = list(selectors.awaiting_publication(request.user).filter(pk__in=ids))
    if not standards:
        messages.warning(request, _("请先勾选要发布的版本"))
        return redirect("reviews:publication_queue")
    if request.POST.get("confirm") != "1":
        return render(request, "reviews/publish_bulk.html", {"standards": standards})
    published, skipped = services.standards_publish_bulk(actor=request.user, standards=standards)
    if published:
        messages.success(request, _("已发布 %(n)d 个版本") % {"n": len(published)})
    for item in skipped:
        messages.warning(
            request,
            _("未发布“%(name)s”第%(version)s版：%(reason)s")
            % {"name": item.standard.local_item.name, "version": item.standard.version, "reason": item.reason},
        )
    return redirect("reviews:publication_queue")
