"""Key checks shared by every declarative import profile (item lists, guides).

A profile is written by hand by a 编办 clerk; a typo in an optional key must not be silently ignored, because it
then surfaces as hundreds of unrelated row rejections. So each table of a profile is checked against the keys its
reader knows, and a mistake names the nearest known key (or, for a missing required key, what was found instead).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

from django.utils.translation import gettext_noop

from core.i18n import Message


def nearest_key(key: str, known: Iterable[str]) -> str:
    """The known key a typo most likely meant, or "" when none is close."""
    matches = difflib.get_close_matches(str(key), sorted(known), n=1, cutoff=0.5)
    return matches[0] if matches else ""


def unknown_key_errors(table: Mapping, known: Iterable[str], where: str) -> list[Message]:
    """One message per key of ``table`` that its reader does not know, naming the nearest known key."""
    known = tuple(known)
    errors = []
    for key in sorted(str(k) for k in table if k not in known):
        path = f"{where}.{key}" if where else key
        nearest = nearest_key(key, known)
        if nearest:
            errors.append(
                Message(gettext_noop("未知的键“%(key)s”，是否应为“%(nearest)s”？"), key=path, nearest=nearest)
            )
        else:
            errors.append(
                Message(gettext_noop("未知的键“%(key)s”；可用的键：%(known)s"), key=path, known=sorted(known))
            )
    return errors


def missing_key_error(table: Mapping, key: str, where: str) -> Message:
    """The message for a required key that is absent: what was found instead, so a misspelling is visible."""
    path = f"{where}.{key}" if where else key
    found = sorted(str(k) for k in table)
    nearest = nearest_key(key, found)
    if nearest:
        return Message(gettext_noop("缺少“%(key)s”；找到的是“%(found)s”，是否拼写有误？"), key=path, found=nearest)
    if found:
        return Message(gettext_noop("缺少“%(key)s”；此处只有：%(found)s"), key=path, found=found)
    return Message(gettext_noop("缺少“%(key)s”"), key=path)
