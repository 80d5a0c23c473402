"""Spacing kind: spaces where English has none, and none where it has one.

Modes: ``space-before`` (a space before , ; : ! ?), ``missing-space-after`` (``Photo:Kremlin``),
``nbsp`` (a non-breaking space between ordinary words, a leftover of Russian typesetting),
``double-space`` (two or more spaces between words).
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from tqcheck.document import Segment
from tqcheck.fix import Edit
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
                yield Hit(m.start(), m.end(), (" ",), (Edit(m.start(), m.end(), " "),))
