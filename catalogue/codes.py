"""Codes of the catalogue: unified social credit codes (GB 32100), organization codes (GB 11714), general-catalogue
codes and implementation codes (domain decision 3).

Pure functions, no database: the services, forms, importers and the province-scale generator all build and check
codes here, so there is one definition of a valid code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_noop

from core.i18n import Message

# GB 32100-2015: 31 characters, I O Z S V excluded.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_RE = re.compile(r"^[0-9A-HJ-NP-RTUW-Y]{2}\d{6}[0-9A-HJ-NP-RTUW-Y]{10}$")

# GB 11714-1997 organization code (the 9-character body of a credit code).
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

GENERAL_CODE_RE = re.compile(
    r"^(?P<province>\d{2})(?P<type>\d{2})(?P<sector>\d{2})(?P<main>\d{3})(?P<sub>\d{3}|\d{2}Y)$"
)
HANDLE_CODE_RE = re.compile(r"^(?P<parent>\d{11}[\dY])(?P<handle>\d{2})$")

LEVEL_DIGITS = {"national": "1", "province": "2", "city": "3", "county": "4", "township": "5"}

# Type schemes (domain decision 2): the type digits of a general-catalogue code are kept as the province issued them;
# the item's national type is reached through the scheme of whoever issued the code. Guangdong numbers 其他行政权力
# 20 and 公共服务 21 where the national scheme has 10 and 20. A new scheme is one more entry here.
NATIONAL_TYPES = ("01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "20")
TYPE_SCHEMES: dict[str, dict[str, str]] = {
    "national": {digits: digits for digits in NATIONAL_TYPES},
    "guangdong": {
        **{digits: digits for digits in NATIONAL_TYPES if digits not in ("10", "20")},
        "20": "10",
        "21": "20",
    },
}


class CodeError(ValueError):
    """A code that does not follow its rule; the message is fit to show a user, and keeps its source text (a
    ``Message``) so an import can show it later in the reader's language."""


def uscc_check_char(first17: str) -> str:
    """The 18th character of a unified social credit code, from its first 17."""
    total = 0
    for char, weight in zip(first17, USCC_WEIGHTS, strict=True):
        value = USCC_ALPHABET.find(char)
        if value < 0:
            raise CodeError(Message(gettext_noop("统一社会信用代码含有不允许的字符“%(char)s”"), char=char))
        total += value * weight
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(code: str) -> str:
    """Return the code normalised to upper case, or raise CodeError saying what is wrong."""
    code = (code or "").strip().upper()
    if len(code) != 18:
        raise CodeError(Message(gettext_noop("统一社会信用代码应为18位，当前为%(n)s位"), n=len(code)))
    if not USCC_RE.match(code):
        raise CodeError(
            Message(gettext_noop("统一社会信用代码格式不正确（第3至8位应为行政区划代码，不得含有 I、O、Z、S、V）"))
        )
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise CodeError(
            Message(
                gettext_noop("统一社会信用代码校验位错误：应为“%(expected)s”，实为“%(actual)s”"),
                expected=expected,
                actual=code[17],
            )
        )
    return code


def org_code_check_char(first8: str) -> str:
    """The check character of a GB 11714 organization code."""
    total = 0
    for char, weight in zip(first8, ORG_WEIGHTS, strict=True):
        value = int(char) if char.isdigit() else ord(char) - 55
        total += value * weight
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def make_uscc(*, division_code: str, serial: int, registry: str = "1", category: str = "1") -> str:
    """A valid credit code for a body registered by the establishment office (机构编制, 机关): ``11`` + division +
    organization code + check character. Used by the demo data and the generator; real codes are entered, not made."""
    body = f"{serial:08d}"[-8:]
    org9 = body + org_code_check_char(body)
    first17 = f"{registry}{category}{division_code[:6]}{org9}"
    return first17 + uscc_check_char(first17)


@dataclass(frozen=True)
class GeneralCode:
    province: str
    item_type: str
    sector: str
    main: int
    sub: int | None  # None: a main item that has sub items (code ends in Y)
    handle: int | None = None

    def __str__(self) -> str:
        sub = "00Y" if self.sub is None else f"{self.sub:03d}"
        code = f"{self.province}{self.item_type}{self.sector}{self.main:03d}{sub}"
        if self.handle is not None:
            code += f"{self.handle:02d}"
        return code


def parse_general_code(code: str) -> GeneralCode:
    """Split a general-catalogue code (12 characters, 14 for a handling item) into its parts."""
    code = (code or "").strip().upper()
    handle = None
    if len(code) == 14:
        match = HANDLE_CODE_RE.match(code)
        if not match:
            raise CodeError(Message(gettext_noop("业务办理项编码应为12位通用目录编码加2位顺序号")))
        code, handle = match["parent"], int(match["handle"])
    match = GENERAL_CODE_RE.match(code)
    if not match:
        raise CodeError(
            Message(gettext_noop("通用目录编码应为12位：省2位+类型2位+部门2位+主项3位+子项3位（含子项的主项以Y结尾）"))
        )
    sub = None if match["sub"].endswith("Y") else int(match["sub"])
    return GeneralCode(match["province"], match["type"], match["sector"], int(match["main"]), sub, handle)


def scheme_type(digits: str, scheme: str) -> str | None:
    """The national type the type digits of a code stand for in ``scheme``, or None when the scheme has no such
    digits."""
    return TYPE_SCHEMES.get(scheme, {}).get(digits)


def scheme_for(digits: str, item_type: str, preferred: str = "national") -> str | None:
    """A scheme in which ``digits`` stand for ``item_type``: ``preferred`` when it does, else the first shipped one
    that does, else None (so an item keeps a scheme its own code agrees with)."""
    if scheme_type(digits, preferred) == item_type:
        return preferred
    return next((name for name, mapping in TYPE_SCHEMES.items() if mapping.get(digits) == item_type), None)


def implementation_code(*, uscc: str, level: str, general_code: str) -> str:
    """The 31-character implementation code (33 for a handling item): credit code + level digit + general code."""
    digit = LEVEL_DIGITS.get(level, level)
    if digit not in LEVEL_DIGITS.values():
        raise CodeError(Message(gettext_noop("未知的行使层级：%(level)s"), level=level))
    general_code = (general_code or "").strip().upper()
    parse_general_code(general_code)
    return f"{validate_uscc(uscc)}{digit}{general_code}"


def parse_implementation_code(code: str) -> tuple[str, str, str]:
    """(credit code, level digit, general code) of a 31/33-character implementation code, each part validated."""
    code = (code or "").strip().upper()
    if len(code) not in (31, 33):
        raise CodeError(Message(gettext_noop("实施编码应为31位（业务办理项33位），当前为%(n)s位"), n=len(code)))
    uscc, digit, general = validate_uscc(code[:18]), code[18], code[19:]
    if digit not in LEVEL_DIGITS.values():
        raise CodeError(Message(gettext_noop("实施编码第19位应为层级代码1至5，实为“%(digit)s”"), digit=digit))
    parse_general_code(general)
    return uscc, digit, general
