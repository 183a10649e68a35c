"""The apps import one way: core ← catalogue ← standards ← workflow ← reviews ← cases ← hall ← evaluation ← reporting
← portal.

A module may import its own app and the apps to its left, never one to its right — imports inside functions count
too, since a lazy import is still a dependency. ``config``, ``tests`` and ``bench`` wire or exercise everything and
are exempt."""

from __future__ import annotations

import ast
from pathlib import Path

ORDER = ("core", "catalogue", "standards", "workflow", "reviews", "cases", "hall", "evaluation", "reporting", "portal")
ROOT = Path(__file__).resolve().parents[2]

# Edges that break the order today and are being removed; empty this set as they go, never add to it.
KNOWN_VIOLATIONS: set[tuple[str, str]] = set()


def _parse(path: Path) -> ast.Module:
    """CPython 3.11 before 3.11.8 may raise a spurious "AST constructor recursion depth mismatch" (gh-106905) on a
    file it parses fine a moment later; a second try tells that apart from a real error."""
    source = path.read_text(encoding="utf-8")
    try:
        return ast.parse(source, filename=str(path))
    except SystemError:
        return ast.parse(source, filename=str(path))


def _imported_apps(path: Path) -> set[str]:
    """The first-party apps a module names in any ``import`` or absolute ``from … import`` (relative imports stay
    inside their own app)."""
    found = set()
    for node in ast.walk(_parse(path)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found.update(name.split(".")[0] for name in names if name.split(".")[0] in ORDER)
    return found


def _edges() -> dict[tuple[str, str], list[str]]:
    """Every (importing app, imported app) edge against the order, with the modules that make it."""
    edges: dict[tuple[str, str], list[str]] = {}
    for rank, app in enumerate(ORDER):
        for path in sorted((ROOT / app).rglob("*.py")):
            for imported in _imported_apps(path):
                if ORDER.index(imported) > rank:
                    edges.setdefault((app, imported), []).append(str(path.relative_to(ROOT)))
    return edges


def test_every_app_is_walked():
    assert all((ROOT / app / "__init__.py").exists() for app in ORDER)


def test_apps_import_only_themselves_and_the_apps_below():
    edges = _edges()
    unexpected = {edge: modules for edge, modules in edges.items() if edge not in KNOWN_VIOLATIONS}
    assert unexpected == {}, "imports against the order core ← … ← portal"


def test_known_violations_are_still_there():
    """A known violation that is gone is taken off the list, so the list only shrinks."""
    assert KNOWN_VIOLATIONS - set(_edges()) == set()
