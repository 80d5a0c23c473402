"""Spacing kinds: spaces where English has none, and none where it has one.

One kind per artifact: ``space-before`` (a space before , ; : ! ?), ``missing-space-after``
(``Photo:Kremlin``), ``nbsp`` (a non-breaking space between ordinary words, a leftover of
Russian typesetting), ``double-space`` (two or more spaces between words). Collapsing a double
space is a safe fix only right after punctuation that ends a sentence or clause ("said.  The");
between two words the gap may be where a dash, "!!!" or a line break was lost ("the plan  Mr
Smith said"), so the fix is then only proposed (unsafe), with a dash offered when a capital
follows.

Until the next release a pack may still write ``kind = "spacing"`` with ``mode = "<kind>"``
(see ``KIND_ALIASES`` in :mod:`tqcheck.kinds`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

import regex

from tqcheck.document import Segment
from tqcheck.fix import Applicability, Edit
from tqcheck.kinds.base import Context, Hit, LazyPattern, lazy_regex
from tqcheck.kinds.family import FamilyKind

_NBSP = "\u00a0\u202f"
_SPACE_BEFORE = lazy_regex(
    rf"(?<=[\p{{L}}\p{{N}})\]\"”’])(?P<space>[ \t{_NBSP}]+)(?P<punct>[,;:!?]+)"
    r"(?P<next>(?=[\p{L}\"“]))?(?![:/)(=])",
    regex.V1,
)
_MISSING_AFTER = lazy_regex(
    r"(?<=\p{Ll}{2})(?<!\b(?:https?|ftp|mailto|tel|urn|file|www|sftp|ssh|git|data))"
    r"(?P<punct>[:;,])(?=\p{Lu}\p{Ll}|\p{Ll}{2,}\b)",
    regex.V1,
)
# An NBSP is deliberate next to a digit ("5 km", "10 000") or after an abbreviation
# that must stay with what follows ("No. 5", "Mr Smith", "p. 12").
_NBSP_ORDINARY = lazy_regex(
    rf"(?<=[\p{{L}}.,;:!?\"'”’)\]])(?<!\b(?:Mr|Mrs|Ms|Dr|St|No|p|pp|vol|Fig|ch)\.?)"
    rf"[{_NBSP}](?=[\p{{L}}\"'“‘(\[])",
    regex.V1,
)
_DOUBLE = lazy_regex(r"(?<=\S) {2,}(?=\S)")
# A gap right after sentence or clause punctuation (a closing quote or bracket may follow it)
# and before a word, a number or an opening mark: collapsing it cannot lose anything.
_AFTER_PUNCT = lazy_regex(r"[.!?…,;:][\"'”’»)\]]*\Z", regex.V1)
_BEFORE_WORD = lazy_regex(r"[\p{L}\p{N}\"'“‘«(\[]", regex.V1)
# A lower-case word (or a digit) before the gap and a capital after it: two clauses or a
# heading and a sentence run together, probably with a dash or a full stop lost between them.
_CLAUSE_JOIN = lazy_regex(r"[\p{Ll}\p{N}]\Z", regex.V1)
_CAPITAL = lazy_regex(r"\p{Lu}", regex.V1)


class SpacingKind(FamilyKind, family=True):
    """Base of the spacing kinds: one artifact each, found by one pattern; no parameters.

    A member sets ``pattern`` (the artifact), ``needs`` (its trigger: what a segment cannot
    be without for the pattern to match) and makes a hit of each match in :meth:`hit`.
    """

    pattern: ClassVar[LazyPattern]
    needs: ClassVar[str]

    def trigger(self) -> str:
        """Return the characters the artifact cannot do without."""
        return self.needs

    def check_segment(self, segment: Segment, ctx: Context) -> Iterator[Hit]:
        """Yield a hit per match of the kind's pattern that :meth:`hit` keeps."""
        text = segment.text
        for m in self.pattern.finditer(text):
            hit = self.hit(m, text)
            if hit is not None:
                yield hit

    def hit(self, m: regex.Match[str], text: str) -> Hit | None:
        """Return the hit for one match in text, or None where it is no artifact."""
        raise NotImplementedError


class SpaceBeforeKind(SpacingKind):
    """Flag a space before , ; : ! ? ("Moscow , Russia"); the fix drops the space."""

    name = "space-before"
    pattern = _SPACE_BEFORE
    needs = rf"[ \t{_NBSP}][,;:!?]"

    def hit(self, m: regex.Match[str], text: str) -> Hit | None:
        """Move the mark back to the word; a space follows it when a word did."""
        punct = m.group("punct")
        if punct == ":" and regex.match(r"\s*\d", text[m.end() :]):
            return None  # "10 :30" and scores are not prose punctuation
        after = " " if m.group("next") is not None else ""
        return _replace(m, punct + after, {"punct": punct})


class MissingSpaceAfterKind(SpacingKind):
    """Flag a colon, semicolon or comma glued to the next word ("Photo:Kremlin")."""

    name = "missing-space-after"
    pattern = _MISSING_AFTER
    needs = r"[:;,]\p{L}"

    def hit(self, m: regex.Match[str], text: str) -> Hit | None:
        """Add the space after the mark."""
        punct = m.group("punct")
        return _replace(m, punct + " ", {"punct": punct})


class NbspKind(SpacingKind):
    """Flag a non-breaking space between ordinary words (a Russian typesetting leftover)."""

    name = "nbsp"
    pattern = _NBSP_ORDINARY
    needs = f"[{_NBSP}]"

    def hit(self, m: regex.Match[str], text: str) -> Hit | None:
        """Make the NBSP a plain space."""
        return _replace(m, " ")


class DoubleSpaceKind(SpacingKind):
    """Flag two or more spaces between words; the fix is safe only after punctuation."""

    name = "double-space"
    pattern = _DOUBLE
    needs = "  "

    def hit(self, m: regex.Match[str], text: str) -> Hit | None:
        """Collapse the run of spaces (see :func:`_double_space_hit`)."""
        return _double_space_hit(text, m.start(), m.end())


# The spacing kinds, in the order of the old ``mode`` values.
KINDS: tuple[type[SpacingKind], ...] = (
    SpaceBeforeKind,
    MissingSpaceAfterKind,
    NbspKind,
    DoubleSpaceKind,
)


def _replace(m: regex.Match[str], replacement: str, values: dict[str, str] | None = None) -> Hit:
    """Return a hit on a match whose one suggestion is also its (safe) fix."""
    edit = Edit(m.start(), m.end(), replacement)
    return Hit(m.start(), m.end(), (replacement,), (edit,), values=values or {})


def _double_space_hit(text: str, start: int, end: int) -> Hit:
    """Return the hit for a run of spaces at text[start:end], safe only after punctuation."""
    before = text[max(0, start - 4) : start]
    after = text[end : end + 1]
    edits = (Edit(start, end, " "),)
    if _AFTER_PUNCT.search(before) and _BEFORE_WORD.match(after):
        return Hit(start, end, (" ",), edits)
    suggestions: tuple[str, ...] = (" ",)
    if _CLAUSE_JOIN.search(before) and _CAPITAL.match(after):
        suggestions = (" ", " — ", ". ")
    return Hit(start, end, suggestions, edits, applicability=Applicability.UNSAFE)
