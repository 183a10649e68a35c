"""Reading the phone numbers out of a guide's contact field as real guides write them.

A published guide's phone field is free text, not a number: ``省厅：020-83135000；广州：020-12345``,
``0763-3362001（工作日9:00-17:30、节假日除外）。``, ``12366-2-4``, ``0777—6428820转8``, ``(0763)3362001 13800138000``.
``parse_phones`` finds every number in it and says, per number, what (if anything) is wrong with it, so C06 reports
each real problem once and nothing for labels, notes or punctuation. It is the only place that reads phone fields.

What counts as a number a member of the public can dial:

* a landline with its area code — ``0763-3362001``, ``07633362001``, ``0763 3362001``, ``(0763)3362001``; area
  codes 010 and 02x have three digits, the others four; the local part has 7 or 8 digits;
* a public service hotline, with or without the city's area code — ``12345``, ``0763-12345``, ``12366``, ``12333``,
  ``12315`` (any ``12xxx``) and the ``96xxx`` lines;
* a 400/800 service number — ``400-888-1234``;
* any of these followed by an extension or menu choice — ``转8001``, ``分机8``, ``-8``, ``-2-4``.

A mobile number is readable but not an office line (a warning); a local number without its area code, a fragment
such as ``0763-33`` or a field with no number at all is an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    LANDLINE = "landline"
    HOTLINE = "hotline"
    SERVICE = "service"  # 400 / 800
    MOBILE = "mobile"
    LOCAL = "local"  # 7–8 digits, no area code
    UNREADABLE = "unreadable"


# What the checks say about each kind: None for a number the public can dial from anywhere.
PROBLEMS: dict[Kind, str | None] = {
    Kind.LANDLINE: None,
    Kind.HOTLINE: None,
    Kind.SERVICE: None,
    Kind.MOBILE: "mobile",
    Kind.LOCAL: "no_area_code",
    Kind.UNREADABLE: "unreadable",
}


@dataclass(frozen=True)
class Phone:
    """One number found in a field.

    ``text`` is the number as written (normalised: half-width digits and brackets, ASCII hyphens); ``line`` the
    digits that identify the line, without extension, so two numbers are the same line when their ``line`` is
    equal (a hotline's ``line`` leaves out the area code: ``0763-12345`` and ``12345`` are one line);
    ``extension`` the extension or menu choice (``8001``, ``2-4``) or "".
    """

    text: str
    kind: Kind
    line: str
    extension: str = ""

    @property
    def problem(self) -> str | None:
        return PROBLEMS[self.kind]


_WIDTH = str.maketrans("０１２３４５６７８９－（）　：，；、／", "0123456789-() :,;、/")
_DASHES = re.compile(r"(?<=\d)\s*[—–‐‑−ー－]+\s*(?=\d)")
_AREA_IN_BRACKETS = re.compile(r"\((0\d{2,3})\)\s*")
_NOTE = re.compile(r"\(([^()]*)\)|【([^【】]*)】|\[([^\[\]]*)\]|〔([^〔〕]*)〕")
_NUMBER_INSIDE = re.compile(r"\d{5,}|\d{3,4}-\d{5,}")
# A numbering or label digit before the number: 1：0760-…, 2、0760-…, (1) is a note and goes with the notes.
_ENUMERATOR = re.compile(r"(?<![\d\-转机])\d{1,2}\s*[:：.．、)）]")
# Clock times (9:00, 14：30, 8点30分) are not numbers; 1：0760-… (a numbered label) is left alone.
_TIME = re.compile(r"(?<!\d)(?:[01]?\d|2[0-4])\s*(?:[:：]\s*[0-5]\d(?!\d)|点(?:\s*[0-5]?\d\s*分?)?)")
_SEPARATORS = re.compile(r"[、,;/|]|\s{2,}|或|及")
_CANDIDATE = re.compile(r"\d(?:[\d\- ]*\d)?(?:\s*(?:转|分机|ext\.?)\s*\d+(?:-\d+)*)?", re.IGNORECASE)
_EXTENSION_SPACES = re.compile(r"\s*(转|分机|ext\.?)\s*", re.IGNORECASE)
_EXTENSION_WORD = re.compile(r"\s*(?:转|分机|ext\.?)\s*(\d+(?:-\d+)*)$", re.IGNORECASE)

_HOTLINE = re.compile(r"^(?:0\d{2,3}-?)?(12\d{3}|96\d{3})((?:-\d{1,4})*)$")
_SERVICE = re.compile(r"^([48]00)-?(\d{3})-?(\d{4})((?:-\d{1,6})*)$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE_HYPHEN = re.compile(r"^(0\d{2,3})-(\d{7,8})((?:-\d{1,6})*)$")
_LANDLINE_PLAIN = re.compile(r"^(0[12]\d|0[3-9]\d{2})(\d{7,8})((?:-\d{1,6})*)$")
_LOCAL = re.compile(r"^(\d{7,8})((?:-\d{1,6})*)$")


def normalise(text: str) -> str:
    """Half-width digits and punctuation, hyphens for every dash written between digits, area codes in brackets
    turned into ``0763-``, notes in brackets and clock times removed."""
    text = (text or "").translate(_WIDTH)
    text = _DASHES.sub("-", text)
    text = _AREA_IN_BRACKETS.sub(r"\1-", text)
    previous = None
    while previous != text:  # nested notes: the innermost first
        previous, text = text, _NOTE.sub(_note, text)
    return _ENUMERATOR.sub(" ", _TIME.sub(" ", text))


def _note(match: re.Match) -> str:
    """A note in brackets is dropped (工作日9:00-17:30、节假日除外), a number in brackets kept (（0760-89817133）)."""
    content = next(group for group in match.groups() if group is not None)
    return f" {content} " if _NUMBER_INSIDE.search(content) else " "


def classify(text: str) -> Phone:
    """What one number, as written, is."""
    compact = text.strip()
    extension = ""
    word = _EXTENSION_WORD.search(compact)
    if word:
        extension, compact = word.group(1), compact[: word.start()]
    compact = compact.replace(" ", "")

    def extra(suffix: str) -> str:
        return "-".join(p for p in (suffix.strip("-"), extension) if p)

    if match := _HOTLINE.match(compact):
        return Phone(text.strip(), Kind.HOTLINE, match.group(1), extra(match.group(2)))
    if match := _SERVICE.match(compact):
        return Phone(text.strip(), Kind.SERVICE, "".join(match.groups()[:3]), extra(match.group(4)))
    if _MOBILE.match(compact.replace("-", "")):
        return Phone(text.strip(), Kind.MOBILE, compact.replace("-", ""), extension)
    if match := _LANDLINE_HYPHEN.match(compact) or _LANDLINE_PLAIN.match(compact):
        return Phone(text.strip(), Kind.LANDLINE, match.group(1) + match.group(2), extra(match.group(3)))
    if match := _LOCAL.match(compact):
        return Phone(text.strip(), Kind.LOCAL, match.group(1), extra(match.group(2)))
    return Phone(text.strip(), Kind.UNREADABLE, re.sub(r"\D", "", compact), extension)


def _readable(kind: Kind) -> bool:
    return kind not in (Kind.UNREADABLE, Kind.LOCAL)


def _numbers_in(candidate: str) -> list[Phone]:
    """Numbers in one run of digits, hyphens and spaces: spaces may sit inside a number (``0763 3362001``,
    ``138 0013 8000``) or between two numbers; the longest join that reads as a number wins."""
    tokens = _EXTENSION_SPACES.sub(r"\1", candidate).split()
    found: list[Phone] = []
    i = 0
    while i < len(tokens):
        for j in range(min(len(tokens), i + 4), i, -1):
            phone = classify(" ".join(tokens[i:j]))
            if phone.kind != Kind.UNREADABLE or j == i + 1:
                found.append(phone)
                i = j
                break
    return found


def parse_phones(text: str | None) -> list[Phone]:
    """Every number in a phone field, in the order written, each once (the first time it is written)."""
    phones: list[Phone] = []
    seen: set[tuple] = set()
    for part in _SEPARATORS.split(normalise(text or "")):
        for match in _CANDIDATE.finditer(part):
            for phone in _numbers_in(match.group()):
                key = (phone.kind, phone.line, phone.extension)  # 0763-3362001 and 07633362001 are one number
                if key not in seen:
                    seen.add(key)
                    phones.append(phone)
    return phones


def same_line(first: Phone, second: Phone) -> bool:
    """Whether two numbers reach the same line (extensions and menu choices aside)."""
    return _readable(first.kind) and first.kind == second.kind and first.line == second.line
