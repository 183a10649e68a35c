"""The public service guide (办事指南公开) at a stable address per implementation code, and the business manual
(业务手册) for the staff who may read the item.

The public only ever sees the published version: a draft, whatever it contains, is never shown. A guide that was
withdrawn, or whose item was cancelled, keeps its page — saying when and why — with status 410, as the catalogue's
item pages do, so saved links do not silently break.
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from catalogue import selectors
from catalogue.models import ItemType, LocalItem, LocalItemStatus
from core.pages import page_panels
from standards import permissions
from standards.checks.consistency import article_key, law_key
from standards.flowchart import format_duration, render_flowchart
from standards.models import (
    BasisRole,
    BusinessManual,
    Citation,
    DeliveryMethod,
    HandleForm,
    InternalForm,
    ItemStandard,
    ReviewPoint,
    ServiceObject,
    Situation,
    StandardState,
)
from standards.services import FIRST_PUBLICATION_NOTE

# Versions that were published once: their publication is part of the public change history.
ONCE_PUBLISHED = (StandardState.PUBLISHED, StandardState.SUPERSEDED, StandardState.WITHDRAWN)


def _public_item(code: str) -> LocalItem:
    """An item of a published list (active, suspended or cancelled) by its implementation code."""
    return get_object_or_404(
        LocalItem.objects.select_related("organization", "division", "general_item").exclude(
            status__in=[LocalItemStatus.CLAIMED, LocalItemStatus.REJECTED]
        ),
        code=code.strip().upper(),
    )


def _labels(choices, values) -> list[str]:
    names = dict(choices.choices)
    return [str(names[v]) for v in values or [] if v in names]


def _grouped(rows, attribute: str, choices) -> list[tuple[str, list]]:
    """Rows grouped by a choice field, in the order of the choices, empty groups left out."""
    return [
        (label, group)
        for value, label in choices.choices
        if (group := [row for row in rows if getattr(row, attribute) == value])
    ]


def catalogue_founding(item: LocalItem, citations: list[Citation]) -> list[Citation] | None:
    """The catalogue's founding bases (设定依据) as the guide shows them, in the catalogue's order: each with the
    article text, rank and issuing authority of the guide's citation of the same law (and article). None when the
    catalogue lists none, and the guide's own founding citations stand."""
    bases = [b for b in item.general_item.bases or [] if isinstance(b, dict) and str(b.get("law") or "").strip()]
    if not bases:
        return None
    founding = [c for c in citations if c.role == BasisRole.FOUNDING]
    by_article = {(law_key(c.law_name), article_key(c.article_ref)): c for c in founding}
    by_law = {law_key(c.law_name): c for c in founding}
    shown = []
    for basis in bases:
        law, article = str(basis["law"]).strip(), str(basis.get("article") or "").strip()
        same_article = by_article.get((law_key(law), article_key(article)))
        same_law = same_article or by_law.get(law_key(law))
        shown.append(
            Citation(
                role=BasisRole.FOUNDING,
                law_name=law,
                doc_number=str(basis.get("doc_number") or "").strip() or (same_law.doc_number if same_law else ""),
                article_ref=article,
                article_text=same_article.article_text if same_article else "",
                law_rank=same_law.law_rank if same_law else "",
                issuing_authority=same_law.issuing_authority if same_law else "",
            )
        )
    return shown


def guide_context(standard: ItemStandard, *, show_files: bool = True) -> dict:
    """Everything the guide's sections show, for one version (never mixing in another version's rows). The item's
    name, type and founding bases are the catalogue's, as on the item's own page: the public reads one name and one
    设定依据 (a guide that differs cannot be submitted, C01)."""
    guide = standard.guide
    item = standard.local_item
    citations = list(standard.citations.all())
    founding = catalogue_founding(item, citations)
    if founding is not None:
        citations = founding + [c for c in citations if c.role != BasisRole.FOUNDING]
    steps = list(standard.steps.all())
    specials = list(standard.special_procedures.all())
    for row in steps + specials:
        row.limit_display = format_duration(row.duration, row.duration_unit)
    item_type = item.item_type or guide.item_type
    return {
        "guide": guide,
        "item_name": item.name,
        "item_type_label": ItemType(item_type).label if item_type in ItemType.values else item_type,
        "service_objects": _labels(ServiceObject, guide.service_objects),
        "citation_groups": _grouped(citations, "role", BasisRole),
        "material_groups": _grouped(list(standard.materials.all()), "situation", Situation),
        "steps": steps,
        "specials": specials,
        "flowchart": render_flowchart(steps, specials, title=_("%(name)s办理流程图") % {"name": item.name}),
        "legal_limit": format_duration(guide.legal_limit, guide.legal_limit_unit),
        "promised_limit": format_duration(guide.promised_limit, guide.promised_limit_unit),
        "fees": list(standard.fees.all()),
        "result_samples": list(standard.result_samples.all()),
        "delivery_methods": _labels(DeliveryMethod, guide.delivery_methods),
        "handle_forms": _labels(HandleForm, guide.handle_forms),
        "faqs": list(standard.faqs.all()),
        "show_files": show_files,
    }


# The manual's rows that name their step, each read with it in one query (``manual_context``).
MANUAL_STEP_PREFETCHES = (
    Prefetch("review_points_all", queryset=ReviewPoint.objects.select_related("step")),
    Prefetch("internal_forms", queryset=InternalForm.objects.select_related("step")),
)


def manual_context(standard: ItemStandard) -> dict:
    """Everything the business manual's sections show, for one version: its steps grouped by business kind with
    their limits and the total of the counted ones, review points, benchmarks, internal forms, the supervision
    checklist. Rows are read through ``.all()``, so a caller that prefetched them (``MANUAL_STEP_PREFETCHES``) pays
    no query here; the page and the standards compendium show the same."""
    manual_steps = list(standard.manual_steps.all())
    for step in manual_steps:
        step.limit_display = format_duration(step.step_limit, step.step_limit_unit)
    step_groups = []
    for label, rows in _grouped(manual_steps, "business_kind", Situation):
        counted = [s for s in rows if s.counted_in_limit and s.step_limit is not None]
        units = {s.step_limit_unit for s in counted}
        total = format_duration(sum(s.step_limit for s in counted), units.pop()) if len(units) == 1 else ""
        step_groups.append({"label": label, "rows": rows, "total": total})
    checks = list(standard.supervision_checks.all())
    try:
        manual = standard.manual
    except BusinessManual.DoesNotExist:
        manual = None
    return {
        "standard": standard,
        "manual": manual,
        "step_groups": step_groups,
        "review_points": list(standard.review_points_all.all()),
        "benchmarks": list(standard.benchmarks.all()),
        "internal_forms": list(standard.internal_forms.all()),
        "checks": checks,
        "check_total": sum(c.score or 0 for c in checks),
    }


def _note(note: str) -> str:
    """A note the portal wrote itself (a first publication) in the reader's language; a publisher's own as written."""
    return _(note) if note == FIRST_PUBLICATION_NOTE else note


def public_history(item: LocalItem) -> list[dict]:
    """The public change history of an item's guide: each publication with its change note, and withdrawals; newest
    first. Drafts and versions under review never appear."""
    versions = list(
        item.standards.filter(state__in=ONCE_PUBLISHED, published_at__isnull=False).order_by("published_at", "version")
    )
    entries = []
    for index, version in enumerate(versions):
        default_note = _("首次发布") if index == 0 else _("发布新版本")
        entries.append(
            {
                "date": version.published_at,
                "version": version.version,
                "kind": _("发布"),
                "note": _note(version.change_note) or default_note,
                "withdrawal": False,
            }
        )
        if version.state == StandardState.WITHDRAWN and version.withdrawn_at:
            entries.append(
                {
                    "date": version.withdrawn_at,
                    "version": version.version,
                    "kind": _("废止"),
                    "note": version.withdrawn_reason,
                    "withdrawal": True,
                }
            )
    entries.sort(key=lambda e: (e["date"], e["withdrawal"]), reverse=True)
    return entries


def _cancellation(item: LocalItem):
    """The catalogue change that cancelled the item (or its general item), as the catalogue's item page finds it."""
    return item.changes.filter(kind="cancel").order_by("-created_at").first() or (
        item.general_item.changes.filter(kind__in=["cancel", "split", "merge"]).order_by("-created_at").first()
    )


@require_safe
def guide(request: HttpRequest, code: str) -> HttpResponse:
    """The published service guide of an item. 404 (with a friendly page) until one is published; 410 once it is
    withdrawn or the item cancelled, with the old text still readable for reference."""
    item = _public_item(code)
    standard = item.standards.published().select_related("guide").first()
    withdrawn = None
    if standard is None:
        withdrawn = (
            item.standards.filter(state=StandardState.WITHDRAWN)
            .select_related("guide")
            .order_by("-withdrawn_at", "-version")
            .first()
        )
        standard = withdrawn
    context = {"item": item, "breadcrumb": selectors.breadcrumb(item.division)}
    if standard is None:
        return render(request, "standards/guide_public.html", {**context, "missing": True}, status=404)

    cancelled = item.status == LocalItemStatus.CANCELLED
    gone = withdrawn is not None or cancelled
    context.update(guide_context(standard, show_files=not gone))
    context.update(
        {
            "standard": standard,
            "history": public_history(item),
            "withdrawn": withdrawn,
            "cancelled": cancelled,
            "cancellation": _cancellation(item) if cancelled else None,
            "gone": gone,
            "print_view": request.GET.get("print") == "1",
            "can_read_manual": request.user.is_authenticated and permissions.can_read(request.user, standard),
            # Sections of apps built on the standards (booking, questions): only beside a guide in force.
            "panels": [] if gone else page_panels("GUIDE_PAGE_PANELS", request.user, standard),
        }
    )
    return render(request, "standards/guide_public.html", context, status=410 if gone else 200)


@require_safe
def manual(request: HttpRequest, code: str) -> HttpResponse:
    """The business manual of the published version, or of ``?version=N``: staff who may see the item only."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    item = get_object_or_404(LocalItem.objects.select_related("organization", "division"), code=code.strip().upper())
    version = request.GET.get("version", "").strip()
    standards = item.standards.select_related("manual", "guide").prefetch_related(*MANUAL_STEP_PREFETCHES)
    if version:
        if not version.isdigit():
            raise Http404(_("版本号无效"))
        standard = standards.filter(version=int(version)).first()
    else:
        standard = standards.published().first()
    if standard is None or not permissions.can_read(request.user, standard):
        raise Http404(_("没有可查看的业务手册"))

    response = render(
        request,
        "standards/manual.html",
        {
            "item": item,
            **manual_context(standard),
            "versions": list(item.standards.order_by("-version").only("version", "state", "local_item_id")),
            "is_current": standard.state == StandardState.PUBLISHED,
        },
    )
    add_never_cache_headers(response)
    return response
