"""Fixes as data: edits with a safety level, applied without overlaps."""

from __future__ import annotations

import enum
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass


class Applicability(enum.Enum):
    """Say how safe a fix is to apply without a human looking at it."""

    DISPLAY_ONLY = "display-only"
    UNSAFE = "unsafe"
    SAFE = "safe"

    @property
    def rank(self) -> int:
        """Return the order display-only < unsafe < safe."""
        return _RANK[self]

    def at_most(self, other: Applicability) -> Applicability:
        """Return the less safe of two applicabilities."""
        return self if self.rank <= other.rank else other


_RANK = {Applicability.DISPLAY_ONLY: 0, Applicability.UNSAFE: 1, Applicability.SAFE: 2}


@dataclass(frozen=True, order=True)
class Edit:
    """Replace the characters [offset, end_offset) with replacement."""

    offset: int
    end_offset: int
    replacement: str

    def __post_init__(self) -> None:
        """Reject inverted or negative spans."""
        if not 0 <= self.offset <= self.end_offset:
            raise ValueError(f"invalid edit span [{self.offset}, {self.end_offset})")

    def shifted(self, delta: int) -> Edit:
        """Return the edit moved by delta characters."""
        return Edit(self.offset + delta, self.end_offset + delta, self.replacement)


@dataclass(frozen=True)
class Fix:
    """Hold sorted, non-overlapping edits that together correct one finding."""

    edits: tuple[Edit, ...]
    applicability: Applicability
    title: str

    def __post_init__(self) -> None:
        """Keep the edits sorted and reject edits that overlap each other."""
        ordered = tuple(sorted(self.edits))
        for first, second in itertools.pairwise(ordered):
            if second.offset < first.end_offset:
                raise ValueError("edits of one fix overlap")
        object.__setattr__(self, "edits", ordered)

    @property
    def start(self) -> int:
        """Return the offset of the first edit."""
        return self.edits[0].offset if self.edits else 0

    @property
    def end(self) -> int:
        """Return the end offset of the last edit."""
        return self.edits[-1].end_offset if self.edits else 0


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits to text (edits must not overlap)."""
    parts: list[str] = []
    cursor = 0
    for edit in sorted(edits):
        if edit.offset < cursor or edit.end_offset > len(text):
            raise ValueError(f"edit [{edit.offset}, {edit.end_offset}) overlaps or is out of range")
        parts.append(text[cursor : edit.offset])
        parts.append(edit.replacement)
        cursor = edit.end_offset
    parts.append(text[cursor:])
    return "".join(parts)


def apply_edits_within(text: str, start: int, end: int, edits: Iterable[Edit]) -> str:
    """Return text[start:end] with edits applied (each edit must lie inside the span)."""
    shifted = [Edit(e.offset - start, e.end_offset - start, e.replacement) for e in edits]
    if any(e.offset < 0 for e in shifted):
        raise ValueError("an edit starts before the span")
    return apply_edits(text[start:end], shifted)


def select_fixes(fixes: Iterable[Fix], minimum: Applicability) -> list[Fix]:
    """Choose fixes at or above a safety level, in start order, skipping any that overlap.

    An overlap is a shared character, or two edits inserting at the same point (their
    relative order would be arbitrary). Skipped fixes are picked up by the next pass of the
    fixed-point loop, after the text has been re-checked.
    """
    chosen: list[Fix] = []
    taken: list[Edit] = []
    candidates = sorted(
        (f for f in fixes if f.edits and f.applicability.rank >= minimum.rank),
        key=lambda f: (f.start, f.end),
    )
    for fix in candidates:
        if any(_conflicts(edit, other) for edit in fix.edits for other in taken):
            continue
        chosen.append(fix)
        taken.extend(fix.edits)
    return chosen


def _conflicts(a: Edit, b: Edit) -> bool:
    if a.offset < b.end_offset and b.offset < a.end_offset:
        return True
    return a.offset == b.offset and (a.offset == a.end_offset or b.offset == b.end_offset)


@dataclass(frozen=True)
class FixOutcome:
    """Say what fixing a text to a fixed point did."""

    text: str
    applied: int
    passes: int
    converged: bool


MAX_PASSES = 10


def fix_to_fixed_point(
    text: str,
    find_fixes: Callable[[str], Iterable[Fix]],
    minimum: Applicability = Applicability.SAFE,
    max_passes: int = MAX_PASSES,
    keeps: Callable[[str, str], bool] | None = None,
) -> FixOutcome:
    """Apply non-overlapping fixes, re-check, and repeat until no fix applies.

    Stops after ``max_passes`` passes; ``converged`` is False if fixes were still being
    applied then (rules that keep rewriting each other's output). ``keeps(before, after)``,
    when given, vets each fix on its own: one that changes the document's structure (a new
    HTML tag in Markdown, a paragraph pulled into a list) is not applied.
    """
    applied = 0
    for passes in range(1, max_passes + 1):
        chosen = select_fixes(find_fixes(text), minimum)
        if keeps is not None:
            chosen = _kept(text, chosen, keeps)
        if not chosen:
            return FixOutcome(text, applied, passes - 1, True)
        new_text = apply_edits(text, (e for f in chosen for e in f.edits))
        if new_text == text:
            return FixOutcome(text, applied, passes - 1, True)
        text = new_text
        applied += len(chosen)
    remaining = select_fixes(find_fixes(text), minimum)
    if keeps is not None:
        remaining = _kept(text, remaining, keeps)
    return FixOutcome(text, applied, max_passes, not remaining)


def _kept(text: str, chosen: list[Fix], keeps: Callable[[str, str], bool]) -> list[Fix]:
    """Return the fixes that keep the structure.

    All of them when they keep it together (one check, the common case); else each vetted
    alone, and only the first of those if they still break it together.
    """
    if not chosen or keeps(text, apply_edits(text, (e for f in chosen for e in f.edits))):
        return chosen
    vetted = [f for f in chosen if keeps(text, apply_edits(text, f.edits))]
    if len(vetted) > 1 and not keeps(text, apply_edits(text, (e for f in vetted for e in f.edits))):
        return vetted[:1]
    return vetted
