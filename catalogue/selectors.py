"""Reads of the catalogue, each scoped through ``catalogue.access`` and doing its own joins, so every page and API
endpoint shares one visibility rule and runs a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, Prefetch, Q, QuerySet

from catalogue import access
from catalogue.models import (
    AdjustmentStatus,
    AdjustmentTask,
    CatalogChange,
    CatalogueImport,
    Claim,
    ClaimStatus,
    Division,
    DivisionLevel,
    GeneralItem,
    LocalItem,
    LocalItemStatus,
    Organization,
)


def local_items_in(*, user: User | AnonymousUser, division: Division) -> QuerySet[LocalItem]:
    """The staff catalogue browser's rows: visible items of the division's subtree with what a row shows."""
    return (
        access.visible_local_items(user)
        .in_division(division)
        .select_related("organization", "division", "general_item")
    )


def local_item_detail(*, user: User | AnonymousUser, pk: int) -> LocalItem | None:
    return (
        access.visible_local_items(user)
        .select_related("organization", "division", "general_item__sector", "general_item__parent")
        .filter(pk=pk)
        .first()
    )


def general_items(*, province: Division) -> QuerySet[GeneralItem]:
    """A province's general catalogue with what a row shows. The counts of local items are not in it (counting them
    for every general item made the page grow with the province): ``set_local_counts`` for a page,
    ``with_local_counts`` for the export."""
    return GeneralItem.objects.filter(province=province).select_related("sector", "parent")


def with_local_counts(items: QuerySet[GeneralItem]) -> QuerySet[GeneralItem]:
    """``local_count`` (active local items) on every row, for the export, which lists every row anyway."""
    return items.annotate(local_count=Count("local_items", filter=Q(local_items__status=LocalItemStatus.ACTIVE)))


def set_local_counts(items: list[GeneralItem]) -> None:
    """``local_count`` on the items of one page, in one query for the page's ids, so the list costs what its page
    does, whatever the number of local items in the province. (A correlated subquery would be counted for every row
    before the page's OFFSET too.)"""
    counts = dict(
        LocalItem.objects.filter(general_item_id__in=[item.pk for item in items], status=LocalItemStatus.ACTIVE)
        .order_by()
        .values("general_item_id")
        .annotate(n=Count("pk"))
        .values_list("general_item_id", "n")
    )
    for item in items:
        item.local_count = counts.get(item.pk, 0)


def general_item_detail(*, pk: int) -> GeneralItem | None:
    return (
        GeneralItem.objects.select_related("sector", "parent", "province")
        .prefetch_related(Prefetch("children", queryset=GeneralItem.objects.order_by("code")))
        .filter(pk=pk)
        .first()
    )


def divisions_below(division: Division) -> QuerySet[Division]:
    return Division.objects.filter(parent=division).order_by("code")


def breadcrumb(division: Division) -> list[Division]:
    codes = division.ancestor_codes()
    found = {d.code: d for d in Division.objects.filter(code__in=codes)}
    return [found[c] for c in codes if c in found]


def changes_for(division: Division) -> QuerySet[CatalogChange]:
    """Changes that concern a division: those of its province's general catalogue and of any list above or below it."""
    q = Q(scope_id__in=division.ancestor_codes()) | Q(**{f"scope__{division.level}_code": division.code})
    return CatalogChange.objects.filter(q).select_related("scope", "created_by")


def pending_claims(*, user: User | AnonymousUser) -> QuerySet[Claim]:
    qs = Claim.objects.filter(status=ClaimStatus.PENDING).filter(access.reviewable_claims_q(user))
    return qs.select_related("local_item__division", "organization", "claimed_by").order_by("claimed_at", "id")


def adjustment_tasks(*, user: User | AnonymousUser) -> QuerySet[AdjustmentTask]:
    qs = AdjustmentTask.objects.filter(access.adjustment_tasks_q(user))
    return qs.select_related("local_item__organization", "local_item__general_item", "change", "resolved_by")


def claimable_items(*, organization: Organization) -> QuerySet[GeneralItem]:
    """General items the department may claim at its level, its own sector first, with what it already holds."""
    division = organization.division
    held = LocalItem.objects.filter(organization=organization, division=division).values("general_item_id")
    return (
        GeneralItem.objects.filter(province_id=division.province_code)
        .claimable()
        .allowed_at(division.level_digit)
        .exclude(pk__in=held)
        .select_related("sector", "parent")
        .tree_order()
    )


@dataclass
class ClaimRow:
    item: GeneralItem
    holders: list[tuple[str, str]] = field(default_factory=list)  # (organization name, status label)

    @property
    def is_gap(self) -> bool:
        return not self.holders


def claim_report(*, division: Division) -> list[ClaimRow]:
    """For each general item a division may exercise: who has claimed it. Rows without holders are the gaps the
    establishment office must close. Two queries, whatever the catalogue size."""
    rows = {
        item.pk: ClaimRow(item)
        for item in GeneralItem.objects.filter(province_id=division.province_code)
        .claimable()
        .allowed_at(division.level_digit)
        .select_related("sector")
        .tree_order()
    }
    labels = dict(LocalItemStatus.choices)
    holders = LocalItem.objects.filter(
        division=division,
        status__in=[LocalItemStatus.CLAIMED, LocalItemStatus.ACTIVE, LocalItemStatus.SUSPENDED],
        general_item_id__in=rows.keys(),
    ).values_list("general_item_id", "organization__name", "status")
    for general_id, org_name, status in holders:
        rows[general_id].holders.append((org_name, str(labels[status])))
    return list(rows.values())


def home_summary(user: User | AnonymousUser) -> dict:
    """The figures a signed-in user's home page opens with, in three queries."""
    if not access.is_staff_user(user):
        return {}
    counts = defaultdict(int)
    for row in access.visible_local_items(user).values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    summary = {
        "division": access.home_division(user),
        "local_total": sum(counts.values()),
        "local_by_status": [(label, counts.get(value, 0)) for value, label in LocalItemStatus.choices],
        "open_adjustments": adjustment_tasks(user=user).filter(status=AdjustmentStatus.OPEN).count()
        if access.can_open_adjustment_list(user)
        else None,
    }
    if access.can_open_claim_review(user):
        summary["pending_claims"] = pending_claims(user=user).count()
    return summary


def public_local_items(*, division: Division) -> QuerySet[LocalItem]:
    return LocalItem.objects.public().in_division(division).select_related("organization", "division")


def public_root_divisions() -> QuerySet[Division]:
    """Provinces that publish a catalogue."""
    with_items = GeneralItem.objects.values("province_id").distinct()
    return Division.objects.filter(level=DivisionLevel.PROVINCE, code__in=with_items).order_by("code")


# --- the REST API ---------------------------------------------------------------------------------------------

# Statuses of the published catalogue: in the list, or cancelled (kept as a tombstone with its date).
PUBLISHED_STATUSES = (LocalItemStatus.ACTIVE, LocalItemStatus.SUSPENDED, LocalItemStatus.CANCELLED)


def api_local_items(*, user: User | AnonymousUser) -> QuerySet[LocalItem]:
    """Local items an API reader sees: the published catalogue for everyone, plus — for staff — every item of their
    own scope (``catalogue.access``), claims still waiting for the establishment office included."""
    published = LocalItem.objects.filter(status__in=PUBLISHED_STATUSES)
    if access.is_staff_user(user):
        published = published | access.visible_local_items(user)
    return published.select_related("organization", "division", "general_item")


def api_organizations(*, user: User | AnonymousUser) -> QuerySet[Organization]:
    """Active bodies are public (they appear on every published list); staff also see inactive ones in scope."""
    organizations = Organization.objects.filter(is_active=True)
    if access.is_staff_user(user):
        organizations = organizations | access.visible_organizations(user)
    return organizations.select_related("division")


def api_general_items() -> QuerySet[GeneralItem]:
    """The general catalogues are published as a whole (清单公开), cancelled items with their dates."""
    return GeneralItem.objects.select_related("sector", "parent")


def catalogue_imports_for(user: User) -> QuerySet[CatalogueImport]:
    """Past and running imports the user may see, newest first, with what the list shows."""
    return (
        CatalogueImport.objects.filter(access.visible_catalogue_imports_q(user))
        .select_related("created_by", "confirmed_by", "division")
        .order_by("-created_at", "-pk")
    )
