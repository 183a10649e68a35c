"""What one item of a compendium shows, read once and shared by the Word document and the printable page.

The labels come from the models (``verbose_name``, choice labels, ``ServiceGuide.code_lists``) and the display of
durations, groups and flowcharts from the standards' own public pages (``standards.views.public.guide_context``,
``manual_context``, ``standards.flowchart``), so the compendium says what the guide and manual pages say.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.db import models
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from catalogue.models import Division, LocalItemStatus, Organization
from standards.flowchart import render_flowchart
from standards.models import BusinessManual, ItemStandard, Material, ServiceGuide
from standards.views.public import guide_context, manual_context

# How many standards are read per round trip: the memory a build holds stays that of one chunk.
CHUNK = 25

GUIDE_RELATIONS = ("citations", "materials", "steps", "special_procedures", "fees", "result_samples", "faqs")
MANUAL_RELATIONS = ("manual_steps", "benchmarks", "supervision_checks")
# Shown elsewhere in the section, or not a reader's business in print.
GUIDE_SKIP = {"legal_limit_unit", "promised_limit_unit"}
MATERIAL_COLUMNS = ("name", "material_type", "material_form", "source_channel", "necessity", "paper_spec", "remark")
MANUAL_STEP_COLUMNS = ("step", "description", "responsible_post", "step_limit", "counted_in_limit", "opinion_rule")


def published_standards(
    *,
    division: Division | None = None,
    organization: Organization | None = None,
    item_ids: Iterable[int] | None = None,
) -> QuerySet[ItemStandard]:
    """The published standards of active (or suspended) items of a division's subtree, a department, or a list of
    items, in print order: department, then implementation code."""
    standards = ItemStandard.objects.published().filter(
        local_item__status__in=[LocalItemStatus.ACTIVE, LocalItemStatus.SUSPENDED]
    )
    if division is not None:
        standards = standards.filter(**{f"local_item__division__{division.level}_code": division.code})
    if organization is not None:
        standards = standards.filter(local_item__organization=organization)
    if item_ids is not None:
        standards = standards.filter(local_item_id__in=list(item_ids))
    return standards.order_by("local_item__organization__name", "local_item__code", "pk")


def for_print(standards: QuerySet[ItemStandard]) -> QuerySet[ItemStandard]:
    """Everything a section reads, in a fixed number of queries per chunk whatever the chunk's size."""
    return standards.select_related(
        "guide", "manual", "local_item__organization", "local_item__division", "local_item__general_item"
    ).prefetch_related(*GUIDE_RELATIONS, *MANUAL_RELATIONS, "review_points_all__step", "internal_forms__step")


def iter_standards(ids: Sequence[int]) -> Iterator[ItemStandard]:
    """The standards ``ids`` in that order, read ``CHUNK`` at a time; ids no longer found are skipped."""
    for start in range(0, len(ids), CHUNK):
        chunk = list(ids[start : start + CHUNK])
        found = {s.pk: s for s in for_print(ItemStandard.objects.filter(pk__in=chunk))}
        for pk in chunk:
            if pk in found:
                yield found[pk]


def _display(instance: models.Model, f: models.Field, code_lists: dict) -> str:
    value = getattr(instance, f.name)
    if f.name in code_lists:
        names = dict(code_lists[f.name].choices)
        return "、".join(str(names[v]) for v in value or [] if v in names)
    if f.choices:
        return str(getattr(instance, f"get_{f.name}_display")()) if value else ""
    if isinstance(f, models.BooleanField):
        return _("是") if value else _("否")
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value).strip()


def field_rows(
    instance: models.Model, *, skip: Iterable[str] = (), overrides: dict[str, str] | None = None
) -> list[tuple[str, str]]:
    """(label, value) of every filled scalar field of a guide or manual, in the model's order, labelled by the
    model; ``overrides`` gives a field's shown value where the public page shows it differently."""
    skip, overrides = set(skip), overrides or {}
    code_lists = getattr(type(instance), "code_lists", {})
    rows = []
    for f in instance._meta.concrete_fields:
        if f.primary_key or f.is_relation or f.name in skip:
            continue
        value = overrides[f.name] if f.name in overrides else _display(instance, f, code_lists)
        if value:
            rows.append((str(f.verbose_name), value))
    return rows


def columns(model: type[models.Model], names: Sequence[str]) -> list[str]:
    return [str(model._meta.get_field(name).verbose_name) for name in names]


@dataclass
class StepGroup:
    label: str
    total: str
    rows: list


@dataclass
class Section:
    """One item of the compendium."""

    number: int
    standard: ItemStandard
    guide_rows: list[tuple[str, str]]
    material_groups: list[tuple[str, list[Material]]]
    manual_rows: list[tuple[str, str]]
    step_groups: list[StepGroup]
    guide_page: dict = field(repr=False)
    manual_page: dict = field(repr=False)

    @property
    def item(self):
        return self.standard.local_item

    @property
    def title(self) -> str:
        return f"{self.number}. {self.item.name}"

    def guide_html(self) -> str:
        """The guide's sections as its public page draws them."""
        return render_to_string("standards/includes/guide_body.html", {**self.guide_page, "item": self.item})

    def manual_html(self) -> str:
        """The manual's sections as its staff page draws them."""
        return render_to_string("standards/includes/manual_body.html", {**self.manual_page, "item": self.item})

    def flow_boxes(self, group: StepGroup) -> list[tuple[str, str]]:
        """The manual's steps of one business kind as boxes: (step, post · limit)."""
        boxes = []
        for step in group.rows:
            details = [d for d in (step.responsible_post, step.limit_display) if d]
            boxes.append((step.get_step_display(), " · ".join(details)))
        return boxes

    def manual_flowcharts(self) -> list[tuple[str, str]]:
        """The manual's steps of each business kind drawn by the standards' flowchart (for the page)."""
        charts = []
        for index, group in enumerate(self.step_groups):
            shapes = [
                SimpleNamespace(
                    name=s.get_step_display(),
                    handling_office=s.responsible_post,
                    duration=s.step_limit,
                    duration_unit=s.step_limit_unit,
                )
                for s in group.rows
            ]
            title = _("%(name)s内部办理流程图（%(kind)s）") % {"name": self.item.name, "kind": group.label}
            charts.append((group.label, render_flowchart(shapes, title=title, id_prefix=f"m{self.number}-{index}")))
        return charts


def section(number: int, standard: ItemStandard) -> Section:
    """The section of one published standard (prefetched by ``for_print``): no query of its own."""
    guide_page = guide_context(standard, show_files=False)
    guide: ServiceGuide = standard.guide
    guide_rows = field_rows(
        guide,
        skip=GUIDE_SKIP,
        overrides={
            "item_name": guide_page["item_name"],
            "item_type": str(guide_page["item_type_label"] or ""),
            "legal_limit": guide_page["legal_limit"],
            "promised_limit": guide_page["promised_limit"],
        },
    )
    manual_page = manual_context(standard)
    manual: BusinessManual | None = manual_page["manual"]
    manual_rows = field_rows(manual) if manual is not None else []
    groups = [StepGroup(g["label"], g["total"], g["rows"]) for g in manual_page["step_groups"]]
    return Section(
        number=number,
        standard=standard,
        guide_rows=guide_rows,
        material_groups=guide_page["material_groups"],
        manual_rows=manual_rows,
        step_groups=groups,
        guide_page=guide_page,
        manual_page=manual_page,
    )
