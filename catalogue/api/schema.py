"""Schema hook: the code parameters of every list say the pattern their filter checks (``catalogue.api.filters``), so
a well-formed value is told apart from a malformed one in the schema as in the answers (400 malformed, 404 unknown)."""

from __future__ import annotations

from .filters import DIVISION_CODE, SECTOR_CODE, USCC_ANY_CASE

QUERY_PATTERNS = {
    "division": DIVISION_CODE,
    "parent": DIVISION_CODE,
    "within": DIVISION_CODE,
    "province": DIVISION_CODE,
    "organization": USCC_ANY_CASE,
    "sector": SECTOR_CODE,
}
# Lengths the filters check (``max_length``), which django-filter's schema extension leaves out.
QUERY_MAX_LENGTHS = {"q": 100, "general_item": 14, "item": 64}


def document_code_patterns(result: dict, generator, request, public) -> dict:
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                if parameter.get("in") != "query":
                    continue
                name = parameter.get("name")
                if name in QUERY_PATTERNS:
                    parameter["schema"]["pattern"] = QUERY_PATTERNS[name].pattern
                if name in QUERY_MAX_LENGTHS:
                    parameter["schema"]["maxLength"] = QUERY_MAX_LENGTHS[name]
    return result
