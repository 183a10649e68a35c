"""What every change of the catalogue is made of: its decision document, its request, and the handler of its kind."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from catalogue.models import CatalogChange, Division, GeneralItem, LocalItem

from ..items import ItemSpec


@dataclass
class ChangeDocument:
    """The decision document a change rests on; a change without one is refused."""

    number: str
    title: str
    date: date | None

    def validate(self) -> None:
        errors = {}
        if not (self.number or "").strip():
            errors["document_number"] = _("请填写决定文号")
        if not (self.title or "").strip():
            errors["document_title"] = _("请填写决定文件标题")
        if not self.date:
            errors["document_date"] = _("请填写发文日期")
        if errors:
            raise ValidationError(errors)


@dataclass
class Adjustment:
    """New values for an adjusted general item; None leaves a field as it is."""

    name: str | None = None
    levels: str | None = None
    bases: list[dict] | None = None
    central_guiding_dept: str | None = None


@dataclass(frozen=True)
class ChangeRequest:
    """One change as asked for, checked for its common parts (document, reason, date, scope, permission).
    ``reason`` is the text the history rows carry: the kind, the document number and the reason given."""

    kind: str
    actor: User
    scope: Division
    on: date
    reason: str
    general_items: Sequence[GeneralItem] = field(default_factory=list)
    local_items: Sequence[LocalItem] = field(default_factory=list)
    new_items: Sequence[ItemSpec] = field(default_factory=list)
    adjustment: Adjustment | None = None


class Handler(Protocol):
    """The rules of one kind of change. ``validate`` checks the request's shape before anything is written;
    ``apply`` locks, checks what needs the locked rows, writes, and fills the change record's ``before``/``after``
    and ``affected_local_count``. Either raises ``ValidationError`` with the field keys the forms show."""

    def validate(self, request: ChangeRequest) -> None: ...

    def apply(self, request: ChangeRequest, change: CatalogChange) -> None: ...
