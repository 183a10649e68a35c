"""Which rows moved: the rows present in both versions, outside the largest set that kept its relative order."""

from __future__ import annotations

Score = tuple[int, int, int]


def kept_in_order(sequence: list[int]) -> set[int]:
    """Positions in ``sequence`` (each common row's 0-based rank in the old order, listed in new order) of a longest
    increasing subsequence: the rows that kept their relative order; every other row is reported as moved.

    This is the only alignment of rows in the diff, so a page with 10 rows and one with 10,000 tell the same story.
    Among equally long subsequences it keeps the rows that moved least, then the rows earlier in the old order: of two
    swapped neighbours the one that went up is the one reported, which is how a person describes the edit ("身份证明
    moved above 营业执照") and what the reviewers' screen shows. A plain patience sort keeps whichever run it meets
    last, so reversing three rows would report the middle one, which stayed put, as moved; the scores below do not.

    O(n log n): the best score ending below each old rank is kept in a Fenwick tree of prefix maxima.
    """
    n = len(sequence)
    if not n:
        return set()
    # tree[k]: the best (score, -position) among subsequences ending at a value in k's range of old ranks.
    tree: list[tuple[Score, int] | None] = [None] * (n + 1)
    best: list[Score] = []
    previous: list[int | None] = []
    for j, value in enumerate(sequence):
        own: Score = (1, -abs(value - j), -value)
        found = _prefix_best(tree, value)  # subsequences ending at a smaller old rank
        if found is None:
            score, link = own, None
        else:
            (length, displacement, rank_sum), minus_i = found
            score, link = (length + 1, displacement + own[1], rank_sum + own[2]), -minus_i
        best.append(score)
        previous.append(link)
        _raise(tree, value + 1, (score, -j))
    end: int | None = max(range(n), key=lambda j: best[j])
    kept = set()
    while end is not None:
        kept.add(end)
        end = previous[end]
    return kept


def _prefix_best(tree: list, count: int) -> tuple[Score, int] | None:
    """The best entry among the first ``count`` old ranks; ties go to the earliest position."""
    found = None
    while count > 0:
        entry = tree[count]
        if entry is not None and (found is None or entry > found):
            found = entry
        count -= count & -count
    return found


def _raise(tree: list, index: int, entry: tuple[Score, int]) -> None:
    while index < len(tree):
        if tree[index] is None or entry > tree[index]:
            tree[index] = entry
        index += index & -index
