"""Correlation statistics for the benchmarks: Pearson, Spearman, Kendall's tau-b.

Short pure-Python versions (scipy is not a dependency); tests/test_scores.py checks them on
textbook cases. Permutation p-values are seeded so that reports are reproducible.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence


def mean(values: Sequence[float]) -> float:
    """Return the arithmetic mean (NaN for no values)."""
    return math.fsum(values) / len(values) if values else float("nan")


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Return Pearson's r (NaN when either side is constant or has fewer than two values)."""
    if len(xs) != len(ys):
        raise ValueError("pearson: sequences differ in length")
    if len(xs) < 2:
        return float("nan")
    mx, my = mean(xs), mean(ys)
    sxy = math.fsum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = math.fsum((x - mx) ** 2 for x in xs)
    syy = math.fsum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return float("nan")
    return sxy / math.sqrt(sxx * syy)


def ranks(values: Sequence[float]) -> list[float]:
    """Return 1-based ranks, ties sharing their average rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    result = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            result[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return result


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Return Spearman's rho: Pearson's r of the (tie-averaged) ranks."""
    return pearson(ranks(xs), ranks(ys))


def kendall_tau(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Return Kendall's tau-b (ties in either variable accounted for), O(n²)."""
    if len(xs) != len(ys):
        raise ValueError("kendall_tau: sequences differ in length")
    concordant = discordant = ties_x = ties_y = 0
    n = len(xs)
    for i in range(n):
        for j in range(i + 1, n):
            dx = xs[i] - xs[j]
            dy = ys[i] - ys[j]
            if dx == 0 and dy == 0:
                continue
            if dx == 0:
                ties_x += 1
            elif dy == 0:
                ties_y += 1
            elif (dx > 0) == (dy > 0):
                concordant += 1
            else:
                discordant += 1
    denominator = math.sqrt((concordant + discordant + ties_x) * (concordant + discordant + ties_y))
    return (concordant - discordant) / denominator if denominator else float("nan")


def permutation_p(
    statistic: Callable[[Sequence[float], Sequence[float]], float],
    xs: Sequence[float],
    ys: Sequence[float],
    *,
    rounds: int = 10_000,
    seed: int = 20261129,
) -> float:
    """Return the two-sided permutation p-value of a correlation statistic.

    The share of random pairings (ys shuffled) whose statistic is at least as far from zero
    as the observed one, counting the observed pairing itself.
    """
    observed = abs(statistic(xs, ys))
    rng = random.Random(seed)
    shuffled = list(ys)
    extreme = 1
    for _ in range(rounds):
        rng.shuffle(shuffled)
        if abs(statistic(xs, shuffled)) >= observed - 1e-12:
            extreme += 1
    return extreme / (rounds + 1)
