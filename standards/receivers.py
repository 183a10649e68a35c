"""What the standards do when the catalogue tells them something (``catalogue.signals``).

An item list whose profile carries a ``[guide]`` table fills the guide drafts of its items in the same import, so a
编办 importing a province's list gets the catalogue and the drafts from one file (issue: guides from real exports).
The catalogue only sends the signal; reading the guide fields is the standards' business.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.models import User
from django.dispatch import receiver
from django.utils.translation import gettext_noop

from catalogue.imports.profiles import Profile, ProfileError
from catalogue.imports.readers import FileProblem
from catalogue.signals import catalogue_import_saved
from core.i18n import Message, error_message

from .offline.item_guides import import_item_guides

ERRORS_SHOWN = 20


@receiver(catalogue_import_saved, dispatch_uid="standards_item_guides_on_import")
def fill_guide_drafts(
    sender,
    *,
    actor: User,
    path: Path,
    profile: Profile,
    file_name: str,
    rows: frozenset[int] | None = None,
    all_or_nothing: bool = False,
    **kwargs,
) -> list[Message]:
    """The guide fields of the rows the catalogue imported into their items' drafts: good items saved and the
    others told per field, or none of them when the import was asked to be all or nothing."""
    if not profile.guide:
        return []
    try:
        outcome = import_item_guides(
            actor=actor,
            path=path,
            profile=profile,
            dry_run=False,
            all_or_nothing=all_or_nothing,
            file_name=file_name,
            rows=rows,
        )
    except (ProfileError, FileProblem) as exc:
        return [Message(gettext_noop("指南字段未导入：%(error)s"), error=error_message(exc))]
    messages = [
        Message(
            gettext_noop("指南草稿：%(saved)s 个事项已保存，%(rejected)s 个事项有错误未保存"),
            saved=outcome.saved_items,
            rejected=outcome.rejected_items,
        )
    ]
    messages += [Message(gettext_noop("指南：%(error)s"), error=str(error)) for error in outcome.errors[:ERRORS_SHOWN]]
    if len(outcome.errors) > ERRORS_SHOWN:
        messages.append(Message(gettext_noop("指南：另有 %(n)s 处错误未列出"), n=len(outcome.errors) - ERRORS_SHOWN))
    return messages
