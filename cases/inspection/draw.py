"""The sample draw: seeded and reproducible.

The population is read in a fixed order (by case id) and grouped into strata sorted by their key; each stratum is
sampled with ``random.Random(seed).sample`` in that order. The same population and seed give the same sample on any
database and any day, so the page can show the seed and anyone can draw again (``tests`` do). The database's own
``random()`` is never used.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Member:
    case_id: int
    stratum_key: int
    stratum_label: str


@dataclass(frozen=True)
class Draw:
    strata: list[dict]
    case_ids: list[int]
    labels: dict[int, str]


def new_seed() -> int:
    return secrets.randbelow(10**9) + 1


def allocate(sizes: list[int], total: int) -> list[int]:
    """Split ``total`` over strata in proportion to their sizes (largest remainder, ties to the earlier stratum),
    never more than a stratum holds."""
    population = sum(sizes)
    if population == 0:
        return [0] * len(sizes)
    total = min(total, population)
    exact = [total * size / population for size in sizes]
    counts = [int(x) for x in exact]
    order = sorted(range(len(sizes)), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return [min(c, s) for c, s in zip(counts, sizes, strict=True)]


def draw(members: Iterable[Member], *, seed: int, per_stratum: int | None = None, total: int | None = None) -> Draw:
    """Draw from ``members``: ``per_stratum`` from each stratum, or ``total`` split over them; neither = all."""
    groups: dict[int, list[Member]] = {}
    for member in sorted(members, key=lambda m: m.case_id):
        groups.setdefault(member.stratum_key, []).append(member)
    keys = sorted(groups)
    sizes = [len(groups[k]) for k in keys]
    if per_stratum is not None:
        wanted = [min(per_stratum, s) for s in sizes]
    elif total is not None:
        wanted = allocate(sizes, total)
    else:
        wanted = sizes
    rng = random.Random(seed)
    strata, case_ids, labels = [], [], {}
    for key, size, n in zip(keys, sizes, wanted, strict=True):
        ids = [m.case_id for m in groups[key]]
        chosen = rng.sample(ids, n)
        label = groups[key][0].stratum_label
        strata.append({"key": key, "label": label, "population": size, "drawn": n})
        case_ids += chosen
        labels.update(dict.fromkeys(chosen, label))
    return Draw(strata=strata, case_ids=case_ids, labels=labels)
