"""Spacing kind: spaces where English has none, and none where it has one.

Modes: ``space-before`` (a space before , ; : ! ?), ``missing-space-after`` (``Photo:Kremlin``),
``nbsp`` (a non-breaking space between ordinary words, a leftover of Russian typesetting),
``double-space`` (two or more spaces between words). Collapsing a double space is a safe fix
only right after punctuation that ends a sentence or clause ("said.  The"); between two words
the gap may be where a dash, "!!!" or a line break was lost ("the plan  Mr Smith said"), so
the fix is then only proposed (unsafe), with a dash offered when a capital follows.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from tqcheck.document import Segment
from tqcheck.fix import Applicability, Edit
from tqcheck.kinds.base import Context, Hit, Kind, ParamError, Params, lazy_regex

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


class SpacingKind(Kind):
    """Flag spacing habits English typography does not share."""

    name = "spacing"
    MODES = ("space-before", "missing-space-after", "nbsp", "double-space")

    def __init__(self, params: Params) -> None:
        """Read ``mode``."""
        self.mode = params.get("mode", str)
        if self.mode not in self.MODES:
            raise ParamError("mode", "expected one of " + ", ".join(self.MODES))
        params.finish()

    def trigger(self) -> str:
        """Return the characters the mode's artifact cannot do without."""
        return {
            "space-before": rf"[ \t{_NBSP}][,;:!?]",
            "missing-space-after": r"[:;,]\p{L}",
            "nbsp": f"[{_NBSP}]",
            "double-space": "  ",
        }[self.mode]

    def check_segment(self, segment: Segment, ctx: Context) -> Iterator[Hit]:
        """Yield a hit per spacing artifact of the rule's mode, each with a safe fix."""
        text = segment.text
        if self.mode == "space-before":
            for m in _SPACE_BEFORE.finditer(text):
                punct = m.group("punct")
                if punct == ":" and regex.match(r"\s*\d", text[m.end() :]):
                    continue  # "10 :30" and scores are not prose punctuation
                after = " " if m.group("next") is not None else ""
                replacement = punct + after
                yield Hit(
                    m.start(),
                    m.end(),
                    (replacement,),
                    (Edit(m.start(), m.end(), replacement),),
                    values={"punct": punct},
                )
        elif self.mode == "missing-space-after":
            for m in _MISSING_AFTER.finditer(text):
                punct = m.group("punct")
                yield Hit(
                    m.start(),
                    m.end(),
                    (punct + " ",),
                    (Edit(m.start(), m.end(), punct + " "),),
                    values={"punct": punct},
                )
        elif self.mode == "nbsp":
            for m in _NBSP_ORDINARY.finditer(text):
                yield Hit(m.start(), m.end(), (" ",), (Edit(m.start(), m.end(), " "),))
        else:
            for m in _DOUBLE.finditer(text):
                yield _double_space_hit(text, m.start(), m.end())


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
