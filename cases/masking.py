"""Masking of an applicant's personal data (个人信息) wherever it is not shown whole: lists, the API, the public
progress page. One place, so every page masks the same way.

- ID numbers keep their first four and last four characters (``4401**********1234``): enough for staff to tell two
  applicants apart and for the applicant to recognise their own, not enough to be used;
- phones keep the first three and last four digits (``138****1234``);
- a person's name keeps the family name (``张*``); an organization's name is public and stays whole.

Short values keep less, so a masked value never gives most of the original away.
"""

from __future__ import annotations

from .models import ApplicantKind

MASK = "*"

# Two-character family names (复姓) common enough to meet at a window; any other name keeps its first character.
COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "诸葛",
        "上官",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "令狐",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "轩辕",
        "端木",
        "独孤",
        "南宫",
        "西门",
        "呼延",
        "申屠",
        "万俟",
    ]
)


def _keep(value: str, head: int, tail: int) -> str:
    return value[:head] + MASK * (len(value) - head - tail) + (value[-tail:] if tail else "")


def mask_id_number(value: str | None) -> str:
    """``440102199001011234`` → ``4401**********1234``. Values of eight characters or fewer keep their last two."""
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) > 8:
        return _keep(value, 4, 4)
    if len(value) > 4:
        return _keep(value, 0, 2)
    return MASK * len(value)


def mask_phone(value: str | None) -> str:
    """``138-0000-1234`` → ``138****1234`` (spaces and dashes dropped first). Numbers shorter than nine characters
    keep their last two digits only."""
    compact = "".join(ch for ch in (value or "") if ch not in " -\u3000")
    if not compact:
        return ""
    if len(compact) >= 9:
        return _keep(compact, 3, 4)
    if len(compact) > 4:
        return _keep(compact, 0, 2)
    return MASK * len(compact)


def mask_person_name(value: str | None) -> str:
    """``张三`` → ``张*``, ``欧阳娜娜`` → ``欧阳*``. A Latin name keeps its first letter."""
    value = (value or "").strip()
    if not value:
        return ""
    head = 2 if value[:2] in COMPOUND_SURNAMES and len(value) > 2 else 1
    return value[:head] + MASK


def applicant_display(kind: str, name: str) -> str:
    """The applicant as the public may see them: a person's family name only, an organization's name whole."""
    return mask_person_name(name) if kind == ApplicantKind.PERSON else (name or "").strip()
