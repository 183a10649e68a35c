"""What the rules look at: a standard with its guide, manual, catalogue items and row lists, each loaded once."""

from __future__ import annotations

from functools import cached_property

from django.core.exceptions import ObjectDoesNotExist

from standards.models import (
    BasisRole,
    BusinessManual,
    Citation,
    Faq,
    FeeItem,
    ItemStandard,
    ManualStep,
    Material,
    ProcessStep,
    ReviewPoint,
    ServiceGuide,
    SpecialProcedure,
    SupervisionCheck,
)


class CheckContext:
    """A standard as the rules see it.

    ``CheckContext.load(standard)`` reads the standard, its local item, general item, guide and manual in one query;
    each row list is read by one query the first time a rule asks for it and kept for the other rules, so checking a
    standard costs the same number of queries whatever its row counts.

    A missing guide or manual is replaced by an empty, unsaved one (``has_guide`` / ``has_manual`` say which), so a
    rule never has to test for ``None``. Row lists are cached properties: a caller that wants to check unsaved edits
    can assign them (``ctx.materials = [...]``) or pass ``guide=`` / ``manual=`` before running the checks.
    """

    def __init__(
        self,
        standard: ItemStandard,
        *,
        guide: ServiceGuide | None = None,
        manual: BusinessManual | None = None,
    ) -> None:
        self.standard = standard
        self.local_item = standard.local_item
        self.general_item = self.local_item.general_item
        if guide is None:
            guide = _related(standard, "guide")
        if manual is None:
            manual = _related(standard, "manual")
        self.has_guide = guide is not None
        self.has_manual = manual is not None
        self.guide = guide if guide is not None else ServiceGuide(standard=standard)
        self.manual = manual if manual is not None else BusinessManual(standard=standard)

    @classmethod
    def load(cls, standard: ItemStandard | int) -> CheckContext:
        pk = standard if isinstance(standard, int) else standard.pk
        fresh = ItemStandard.objects.select_related("local_item__general_item", "guide", "manual").get(pk=pk)
        return cls(fresh)

    @classmethod
    def of(cls, standard_or_context: ItemStandard | CheckContext) -> CheckContext:
        if isinstance(standard_or_context, CheckContext):
            return standard_or_context
        return cls.load(standard_or_context)

    # Row lists, in the order the editor shows them (position, then id), so ``materials[2]`` is the third row.
    def _rows(self, model) -> list:
        if self.standard.pk is None:
            return []
        return list(model.objects.filter(standard_id=self.standard.pk).order_by("position", "id"))

    @cached_property
    def citations(self) -> list[Citation]:
        return self._rows(Citation)

    @cached_property
    def materials(self) -> list[Material]:
        return self._rows(Material)

    @cached_property
    def steps(self) -> list[ProcessStep]:
        return self._rows(ProcessStep)

    @cached_property
    def special_procedures(self) -> list[SpecialProcedure]:
        return self._rows(SpecialProcedure)

    @cached_property
    def fees(self) -> list[FeeItem]:
        return self._rows(FeeItem)

    @cached_property
    def faqs(self) -> list[Faq]:
        return self._rows(Faq)

    @cached_property
    def manual_steps(self) -> list[ManualStep]:
        return self._rows(ManualStep)

    @cached_property
    def review_points(self) -> list[ReviewPoint]:
        return self._rows(ReviewPoint)

    @cached_property
    def supervision_checks(self) -> list[SupervisionCheck]:
        return self._rows(SupervisionCheck)

    # Derived views used by several rules.
    def founding_citations(self) -> list[tuple[int, Citation]]:
        """Founding citations (设定依据) with their index in ``citations``, for field paths."""
        return [(i, c) for i, c in enumerate(self.citations) if c.role == BasisRole.FOUNDING]

    @property
    def item_type(self) -> str:
        """The item's type as the catalogue has it (the guide's own copy is what C01 checks)."""
        return self.local_item.item_type or self.general_item.item_type


def _related(standard: ItemStandard, name: str):
    try:
        return getattr(standard, name)
    except ObjectDoesNotExist:
        return None


def blank(value) -> bool:
    """True for None, empty or whitespace-only strings, and empty lists."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | dict | set):
        return not value
    return False
