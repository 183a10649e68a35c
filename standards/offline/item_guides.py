"""Guide fields carried by an item list: the ``[guide]`` table of a catalogue import profile, applied by the standards
after the catalogue import, so one file fills both the catalogue and the guide drafts.

The catalogue keeps the table as opaque data (it must not know the standards, design.md); here it is read with the
same rules as a guide profile's fields, keyed by the list's columns, and each row with guide values becomes an
``ItemInput`` for its local item (the profile's ``local.code``). The drafts are saved like imported guides: per item,
the good ones saved and the bad ones reported unless all or nothing is asked, recorded as imported by the actor.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.models import User
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from catalogue.imports.profiles import Profile, ProfileError
from catalogue.imports.readers import read_rows
from core.i18n import Message, join_messages

from .apply import apply_upload
from .guide_profiles import read_guide
from .guide_rules import Rule, parse_fields
from .inputs import Parsed, Place, RowError
from .report import Outcome
from .schema import columns_of


def guide_rules(profile: Profile) -> dict[str, Rule]:
    """The ``[guide]`` table of an item-list profile as rules, or ProfileError naming every mistake in it."""
    if not profile.guide:
        raise ProfileError(
            Message(gettext_noop("导入方案“%(name)s”没有 [guide] 表：清单中没有要导入的指南字段"), name=profile.name)
        )
    errors: list[str] = []
    rules = parse_fields(profile.guide, columns_of("guide"), "guide", errors)
    if errors:
        raise ProfileError(
            Message(gettext_noop("导入方案“%(name)s”：%(error)s"), name=profile.name, error=join_messages(errors))
        )
    return rules


def read_item_guides(
    path: Path, *, profile: Profile, file_name: str = "", rows: frozenset[int] | None = None
) -> Parsed:
    """Each row of the list with guide values (only the numbers in ``rows`` when given: those the catalogue import
    accepted), as the edits of its local item's guide. One code on several rows (a handling item exercised for
    different situations) takes its first row; the others are reported."""
    rules = guide_rules(profile)
    parsed = Parsed(source_name=file_name or path.name, guides=True)
    seen: dict[str, int] = {}
    for number, row in read_rows(path, profile):
        if rows is not None and number not in rows:
            continue
        place = Place(_("第%(n)s行") % {"n": number})
        code = profile.local_code_as_stored(profile.local_code.extract(row))
        if not code:
            parsed.errors.append(RowError(Place(place.sheet, None, profile.local_code.column), _("缺少事项实施编码")))
            continue
        if code in seen:
            message = _("实施编码“%(code)s”与第%(n)s行相同，指南字段取第%(n)s行的") % {"code": code, "n": seen[code]}
            parsed.errors.append(RowError(place, message))
            continue
        seen[code] = number
        item = read_guide(row, code=code, place=place, errors=parsed.errors, guide=rules)
        if item.guide:
            parsed.items.append(item)
    return parsed


def import_item_guides(
    *,
    actor: User,
    path: Path,
    profile: Profile,
    dry_run: bool,
    all_or_nothing: bool = False,
    file_name: str = "",
    rows: frozenset[int] | None = None,
) -> Outcome:
    """Fill the guide drafts of the list's local items (run after the catalogue import that created them; ``rows``
    limits it to the rows that import accepted)."""
    parsed = read_item_guides(path, profile=profile, file_name=file_name, rows=rows)
    return apply_upload(actor=actor, parsed=parsed, dry_run=dry_run, all_or_nothing=all_or_nothing)
