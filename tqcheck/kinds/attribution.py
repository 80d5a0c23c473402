"""Attribution kind: Russian quotation layout around "X said" in English copy.

Russian news closes a quotation with `»,` and continues `— сказал Путин.` Machine translation
turns that into a quotation ending `",` whose attribution sits alone in the next paragraph, or
a comma outside the closing quote. English puts the attribution after the quote in the same
paragraph, with the comma inside the quotes (US style) or outside (British/logical style).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import regex

from tqcheck.document import Document, Segment
from tqcheck.fix import Applicability, Edit
from tqcheck.kinds.base import Context, Hit, Kind, LazyPattern, ParamError, Params, QuoteStyle

_PRONOUNS = ("he", "she", "they", "it", "we", "i")
_CLOSING = '"”»'


class AttributionKind(Kind):
    """Flag split ("split-paragraph") or mis-punctuated ("comma-outside") attributions."""

    name = "attribution"

    def __init__(self, params: Params) -> None:
        """Read ``verbs`` (attribution verbs) and ``mode``."""
        verbs = params.get("verbs", list)
        if not verbs or not all(isinstance(v, str) and v.strip() for v in verbs):
            raise ParamError("verbs", "expected a non-empty list of verbs")
        self.mode: str = params.get("mode", str)
        if self.mode not in ("split-paragraph", "comma-outside"):
            raise ParamError("mode", "expected 'split-paragraph' or 'comma-outside'")
        # Split attributions span two paragraphs, so that mode looks at the whole document.
        self.document_level = self.mode == "split-paragraph"
        params.finish()
        verb = "|".join(regex.escape(v) for v in sorted(verbs, key=len, reverse=True))
        pronoun = "|".join(_PRONOUNS)
        name = r"(?:\p{Lu}[\p{L}’'.-]*|of|de|van|von|al|bin|ibn|la|le|du|da)"
        the = r"(?:[Tt]he(?:\s+[\p{L}’'-]+){1,4}?)"
        speaker = rf"(?:(?i:{pronoun})|{the}|{name}(?:\s+{name}){{0,5}})"
        # A paragraph that is nothing but an attribution: "Putin said." / "said Putin."
        self.bare = LazyPattern(
            rf"^(?:(?P<who>{speaker})\s+(?i:{verb})|(?i:{verb})\s+(?P<who2>{speaker}))"
            rf"(?:\s+[\p{{L}}’'-]+){{0,6}}\.$"
        )
        self.quote_end = LazyPattern(rf"(?P<punct>[.!?…]?)(?P<q>[{_CLOSING}]),$")
        self.comma_outside = LazyPattern(
            rf"(?<=[\p{{L}}\p{{N}})])(?P<q>[{_CLOSING}]),(?=\s+{speaker}\s+(?i:{verb})\b)"
        )

    def trigger(self) -> str:
        """Return what both modes need: a closing quotation mark followed by a comma."""
        return f"[{regex.escape(_CLOSING)}],"

    def check_document(self, document: Document, ctx: Context) -> Iterator[Hit]:
        """Yield a hit per quotation whose attribution stands alone in the next paragraph."""
        british = ctx.settings.quote_style is QuoteStyle.BRITISH
        segments = document.segments
        for first, second in itertools.pairwise(segments):
            if first.unit != second.unit or first.source is not None:
                continue  # never join two translation units or two aligned lines
            if not first.text.endswith(","):
                continue
            quote = self.quote_end.search(first.text)
            if quote is None or len(second.text) > 100 or not self.bare.match(second.text):
                continue
            if not _closes_quotation(first.text, quote.start("q")):
                continue  # the mark opens a quotation: this is not a quote's end
            end = first.end  # just after the comma
            start_next = second.start
            separator = document.text[end:start_next]
            q = quote.group("q")
            punct = quote.group("punct")
            lead = second.text[0]
            word = second.text.split()[0]
            if word.lower() in _PRONOUNS and word != "I":
                lead = lead.lower()
            # Work in segment offsets and map through the segments: in HTML the closing
            # quote may be the six characters of "&quot;".
            size = len(first.text)
            if punct in ("!", "?", "…"):
                cut, replacement = size - 1, " "
            elif british:
                cut, replacement = size - 2 - len(punct), f"{q}, "
            else:
                cut, replacement = size - 2 - len(punct), f",{q} "
            edit_start = first.offsets.to_document(cut)
            edit = Edit(
                edit_start,
                second.offsets.to_document_end(1),
                first.encode(replacement + lead),
            )
            safe = (
                separator.strip() == ""
                and first.offsets.is_contiguous(cut, size)
                and second.offsets.is_contiguous(0, 1)
            )
            context = first.text[max(0, cut - 24) : cut]
            joined = f"…{context}{replacement}{lead}{second.text[1:]}"
            hit_start, hit_end = first.offsets.span(size - 2, size)
            yield Hit(
                hit_start,
                hit_end,
                suggestions=(joined,),
                edits=(edit,),
                applicability=None if safe else Applicability.DISPLAY_ONLY,
                values={"attribution": second.text},
            )

    def check_segment(self, segment: Segment, ctx: Context) -> Iterator[Hit]:
        """Yield a hit per `word", he said` (US style only: logical punctuation allows it)."""
        if self.mode != "comma-outside" or ctx.settings.quote_style is QuoteStyle.BRITISH:
            return
        if not any(q + "," in segment.text for q in _CLOSING):
            return  # cheap gate: no closing quote followed by a comma
        for match in self.comma_outside.finditer(segment.text):
            q = match.group("q")
            start, end = match.span()
            if not _closes_quotation(segment.text, start):
                continue  # a quotation opens here ("...", he said needs a quote to close)
            yield Hit(
                start,
                end,
                suggestions=(f",{q}",),
                edits=(Edit(start, end, f",{q}"),),
                values={"suggestion": f",{q}"},
            )


def _closes_quotation(text: str, index: int) -> bool:
    """Say whether the quotation mark at index closes a quotation opened before it.

    Curly and angle closing marks always close; a straight double quote closes when an odd
    number of straight quotes precede it in the paragraph.
    """
    mark = text[index]
    if mark != '"':
        return True
    return text.count('"', 0, index) % 2 == 1
