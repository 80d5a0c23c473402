"""Balance kind: opening and closing marks that do not pair up within a paragraph.

Machine translation drops or duplicates brackets and quotation marks when it reorders a
sentence; an unpaired bracket is a strong sign that words went missing around it.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from tqcheck.document import Segment
from tqcheck.fix import Applicability
from tqcheck.kinds.base import Context, Hit, Kind, ParamError, Params, lazy_regex

# Enumerations such as "1) ..., 2) ..." or "a) ..." close a bracket that was never opened.
_ENUMERATOR = lazy_regex(r"(?:^|(?<=\s))(?:\d{1,2}|[a-zA-Zа-яА-Я]|[ivxIVX]{1,4})\)")
_PAIRS = {
    "parentheses": ("(", ")"),
    "brackets": ("[", "]"),
    "curly-quotes": ("“", "”"),
    "guillemets": ("«", "»"),
}


class BalanceKind(Kind):
    """Flag the first unpaired opening or closing mark of a pair in a segment."""

    name = "balance"

    def __init__(self, params: Params) -> None:
        """Read ``pair``: parentheses, brackets, curly-quotes or guillemets."""
        pair = params.get("pair", str)
        if pair not in _PAIRS:
            raise ParamError("pair", "expected one of " + ", ".join(_PAIRS))
        self.open, self.close = _PAIRS[pair]
        self.marks = lazy_regex(f"{regex.escape(self.open)}|{regex.escape(self.close)}")
        self.skip_enumerators = pair == "parentheses"
        params.finish()

    def trigger(self) -> str:
        """Return the test of an unbalanced pair: one of its two marks."""
        return f"{regex.escape(self.open)}|{regex.escape(self.close)}"

    def check_segment(self, segment: Segment, ctx: Context) -> Iterator[Hit]:
        """Yield a hit on an unmatched closing mark, or on the last unmatched opening one."""
        text = segment.text
        if self.open not in text and self.close not in text:
            return
        skipped = (
            {m.end() - 1 for m in _ENUMERATOR.finditer(text)} if self.skip_enumerators else set()
        )
        stack: list[int] = []
        # Visit only the two marks (no per-character loop over long paragraphs).
        for match in self.marks.finditer(text):
            index = match.start()
            if match.group() == self.open:
                stack.append(index)
            elif stack:
                # An open bracket is waiting: "(September 30 - October 1)" closes it, even
                # though "1)" alone would read as an enumerator.
                stack.pop()
            elif index not in skipped:
                yield self._hit(index, "closing")
                return
        if stack:
            yield self._hit(stack[-1], "opening")

    def _hit(self, index: int, side: str) -> Hit:
        other = self.close if side == "opening" else self.open
        return Hit(
            index,
            index + 1,
            applicability=Applicability.DISPLAY_ONLY,
            values={"side": side, "other": other},
        )
