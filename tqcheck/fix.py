"""Fixes as data: edits with a safety level, applied without overlaps."""

from __future__ import annotations

import enum
import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol


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

    def applies(self, required: Applicability) -> bool:
        """Say whether a fix of this safety may be applied where ``required`` is asked for."""
        return self.rank >= required.rank

    @classmethod
    def required(cls, unsafe: bool) -> Applicability:
        """Return the least safe fix --fix applies (with or without --unsafe-fixes)."""
        return cls.UNSAFE if unsafe else cls.SAFE


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
    # Fixes of one isolation group never apply in the same pass (as in ruff): each sees the
    # text the previous one left, after a re-check.
    isolation: str | None = None

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
    groups: set[str] = set()
    candidates = sorted(
        (f for f in fixes if f.edits and f.applicability.applies(minimum)),
        key=lambda f: (f.start, f.end),
    )
    for fix in candidates:
        if any(_conflicts(edit, other) for edit in fix.edits for other in taken):
            continue
        if fix.isolation is not None and fix.isolation in groups:
            continue
        chosen.append(fix)
        taken.extend(fix.edits)
        if fix.isolation is not None:
            groups.add(fix.isolation)
    return chosen


def _conflicts(a: Edit, b: Edit) -> bool:
    if a.offset < b.end_offset and b.offset < a.end_offset:
        return True
    return a.offset == b.offset and (a.offset == a.end_offset or b.offset == b.end_offset)


class Fixable(Protocol):
    """What the fix loop needs of a finding: its rule's code and its fix, if any."""

    @property
    def rule(self) -> str:
        """Return the code of the rule that made the finding."""
        ...

    @property
    def fix(self) -> Fix | None:
        """Return the finding's fix (None: nothing to apply)."""
        ...


@dataclass(frozen=True)
class FixOutcome:
    """Say what fixing a text to a fixed point did, and which rules did it."""

    text: str
    applied: int
    passes: int
    converged: bool
    # How many fixes each rule's findings applied, and, when the loop did not converge, the
    # rules whose fixes were still applying in the last pass or would apply after it.
    applied_by_code: Counter[str] = field(default_factory=Counter)
    unconverged_codes: tuple[str, ...] = ()


MAX_PASSES = 10


def fix_to_fixed_point(
    text: str,
    find: Callable[[str], Sequence[Fixable]],
    minimum: Applicability = Applicability.SAFE,
    max_passes: int = MAX_PASSES,
    keeps: Callable[[str, str], bool] | None = None,
) -> FixOutcome:
    """Apply non-overlapping fixes, re-check, and repeat until no fix applies.

    ``find(text)`` checks a text and returns its findings. Stops after ``max_passes`` passes;
    ``converged`` is False if fixes were still being applied then (rules that keep rewriting
    each other's output), and ``unconverged_codes`` names those rules. ``keeps(before,
    after)``, when given, vets each fix on its own: one that changes the document's structure
    (a new HTML tag in Markdown, a paragraph pulled into a list) is not applied.
    """
    applied: Counter[str] = Counter()

    def choose(current: str) -> list[tuple[str, Fix]]:
        """Return this pass's fixes with the code of the rule each belongs to."""
        owners: dict[int, str] = {}
        fixes: list[Fix] = []
        for finding in find(current):
            if finding.fix is not None:
                owners[id(finding.fix)] = finding.rule
                fixes.append(finding.fix)
        chosen = select_fixes(fixes, minimum)
        if keeps is not None:
            chosen = _kept(current, chosen, keeps)
        return [(owners[id(f)], f) for f in chosen]

    last: set[str] = set()  # the rules that applied fixes in the last pass
    for passes in range(1, max_passes + 1):
        chosen = choose(text)
        if not chosen:
            return FixOutcome(text, sum(applied.values()), passes - 1, True, applied)
        new_text = apply_edits(text, (e for _, f in chosen for e in f.edits))
        if new_text == text:
            return FixOutcome(text, sum(applied.values()), passes - 1, True, applied)
        text = new_text
        applied.update(code for code, _ in chosen)
        last = {code for code, _ in chosen}
    remaining = choose(text)
    # Rules that rewrite each other's output take turns: name those of the last pass too.
    codes = tuple(sorted({code for code, _ in remaining} | last)) if remaining else ()
    return FixOutcome(text, sum(applied.values()), max_passes, not remaining, applied, codes)


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
