"""Who may see and edit standards, on top of the catalogue's visibility rules.

A standard is edited by the clerks and department heads of the department that implements its item, while the
version is a draft or was returned; staff who may see the item may read it; the public reads published guides only.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser, User

from catalogue import access
from catalogue.models import LocalItem

from .models import ItemStandard


def can_read(user: User | AnonymousUser, standard: ItemStandard) -> bool:
    return access.visible_local_items(user).filter(pk=standard.local_item_id).exists()


def can_write_for(user: User | AnonymousUser, local_item: LocalItem) -> bool:
    """Department staff of the implementing body (or an administrator) write its standards."""
    scope = access.scope_of(user)
    if scope.is_admin:
        return True
    return local_item.organization_id in {o.pk for o in scope.organizations(access.DEPARTMENT_ROLES)}


EditRule = Callable[[User | AnonymousUser, ItemStandard], bool]
# The workflow decides every action on a standard, editing included (``workflow.permissions.can_edit``), and installs
# its rule here at start-up: the editor lives below the workflow and cannot ask it directly.
_edit_rule: list[EditRule] = []


def decide_edits_with(rule: EditRule) -> None:
    _edit_rule[:] = [rule]


def can_edit(user: User | AnonymousUser, standard: ItemStandard) -> bool:
    if _edit_rule:
        return _edit_rule[0](user, standard)
    return standard.is_editable and can_write_for(user, standard.local_item)
