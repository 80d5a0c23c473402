"""Attribution kind: Russian quotation and dash punctuation in English copy.

Russian news closes a quotation with `»,` and continues `— сказал Путин.` Machine translation
turns that into a quotation ending `",` whose attribution sits alone in the next paragraph
(often still opened by the dash), a comma outside the closing quote, or `", - the minister
said` in one paragraph. English puts the attribution after the quote in the same paragraph,
with the comma inside the quotes (US style) or outside (British/logical style), and no dash.

The same Russian dash (тире) also turns up as a spaced hyphen between clauses (written with the
configured dash style instead) and as the *gapping* dash, which stands for a repeated verb
("exports rose by 10%, imports - by 14%") and has no English punctuation equivalent.

Modes: ``split-paragraph`` (document level), ``comma-outside``, ``dash`` (same-paragraph
`", - X said`), ``hyphen-dash`` (spaced hyphen as a dash) and ``gapping``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import regex

from tqcheck.document import Document, Scope, Segment
from tqcheck.fix import Applicability, Edit
from tqcheck.kinds.base import (
    Context,
    DashStyle,
    Hit,
    Kind,
    LazyPattern,
    ParamError,
    Params,
    QuoteStyle,
)

_PRONOUNS = ("he", "she", "they", "it", "we", "i")
_CLOSING = '"”»'
# A double prime after a figure is a common OCR/MT stand-in for a closing quote: 74″, – said.
_PRIME = "″"
_MODES = ("split-paragraph", "comma-outside", "dash", "unquoted", "hyphen-dash", "gapping")
# Attribution verbs when a rule gives none: past and present tense, never nouns in disguise
# ("states" is left out: "the United States" would read as "the United" + a verb).
VERBS = tuple(
    verb.strip()
    for verb in """said, says, noted, notes, added, adds, emphasized, emphasizes, emphasised,
    emphasises, stressed, stresses, stated, explained, explains, told, recalled, recalls,
    continued, continues, concluded, concludes, declared, declares, remarked, replied, answered,
    wrote, writes, underlined, underlines, pointed out, points out, announced, announces,
    believes, believed, thinks, assured, assures, admitted, admits, insisted, insists, warned,
    warns, asked, summed up, specified, clarified, commented, observed, reported, reports,
    informed, informs, quoted, quotes, cited, argued, argues, confirmed, confirms""".split(",")
)
_DASH_TEXT = {
    DashStyle.EM_CLOSED: "—",
    DashStyle.EM_SPACED: " — ",
    DashStyle.EN_SPACED: " – ",
}
# What may follow "X said" in an attribution that ends a quotation: the end of the sentence,
# an appositive or a clause after a comma, or a prepositional phrase ("said at a briefing").
_TAIL = (
    r"(?=\s*(?:[,.;:!?)]|$)|\s+(?i:at|in|on|during|after|before|to|while|when|with|for|from|"
    r"via|through|speaking|today|yesterday|earlier|later|also|again|then)\b)"
)
# The gapping dash: a dash before a preposition and a figure that closes the clause, where a
# verb of the sentence is understood ("imports - by 14.2%", "the second - in 2019").
_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec"
)
_DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tue|Wed|Thu|Fri|Sat|Sun"
_GAP_PREP = (
    r"(?:by|to|in|for|from|at|on|up\s+to|over|under|about|around|almost|nearly|more\s+than|"
    r"less\s+than|just|only)"
)
_GAP_FIGURE = (
    r"[$€£]?\d[\d.,]*(?:[-–]\d[\d.,]*)?\s*(?:%|(?:percent|per\s+cent)\b|"
    r"\p{L}+\.?(?:\s+\p{L}+\.?)?)?(?=\s*(?:[,;)]|\.(?!\d)|$))"
)


class AttributionKind(Kind):
    """Flag Russian attribution and dash punctuation; the ``mode`` says which habit."""

    name = "attribution"

    def __init__(self, params: Params) -> None:
        """Read ``mode`` and, for the attribution modes, ``verbs`` (attribution verbs)."""
        self.mode: str = params.get("mode", str)
        if self.mode not in _MODES:
            raise ParamError("mode", f"expected one of {', '.join(map(repr, _MODES))}")
        verbs = params.get("verbs", list, list(VERBS))
        if not verbs or not all(isinstance(v, str) and v.strip() for v in verbs):
            raise ParamError("verbs", "expected a non-empty list of verbs")
        # Split attributions span two paragraphs, so that mode looks at the whole document.
        self.document_level = self.mode == "split-paragraph"
        # hyphen-dash only: `near = "date"` keeps the spaced hyphens beside a date ("Last
        # weekend - October 28 and 29 - the organizers"), which native English rarely has.
        self.near: str | None = params.get("near", str, None)
        if self.near is not None and (self.near != "date" or self.mode != "hyphen-dash"):
            raise ParamError("near", 'expected "date", with mode = "hyphen-dash"')
        params.finish()
        # Case-sensitive but for the first letter ("Said Putin."): "the United States" has no verb.
        verb = "|".join(
            f"[{v[0].upper()}{v[0]}]{regex.escape(v[1:])}"
            for v in sorted(verbs, key=len, reverse=True)
        )
        verb = f"(?:{verb})"
        pronoun = rf"(?i:{'|'.join(_PRONOUNS)})\b"
        word = r"\p{Lu}[\p{L}’'.-]*"
        name = rf"(?:{word}|of|de|van|von|al|bin|ibn|la|le|du|da)"
        names = rf"(?:{word}(?:\s+{name}){{0,5}})"
        the = r"(?:(?:[Tt]he|[Aa]n?)(?:\s+\p{L}[\p{L}’'-]*){1,6}?)"
        # "Kremlin spokesman Dmitry Peskov", "press secretary Peskov": a title, then a name.
        titled = rf"(?:(?:\p{{L}}[\p{{L}}’'-]*\s+){{0,3}}?{names})"
        speaker = rf"(?:{pronoun}|{the}|{titled})"
        self.attribution = (
            rf"(?:(?P<who>{speaker})\s+{verb}\b|{verb}\s+(?P<who2>{speaker}))(?<!\s(?i:of|de))"
        )
        # A paragraph that is nothing but an attribution: "Putin said." / "- said Putin."
        self.bare = LazyPattern(
            rf"^(?P<dash>[-–—]{{1,2}}\s*)?{self.attribution}(?:\s+[\p{{L}}’'-]+){{0,6}}\.$"
        )
        self.quote_end = LazyPattern(
            rf"(?P<punct>[.!?…]?)(?P<q>[{_CLOSING}]),(?P<dash>\s*[-–—]{{1,2}})?$"
        )
        self.comma_outside = LazyPattern(
            rf"(?<=[\p{{L}}\p{{N}})])(?P<q>[{_CLOSING}]),(?=\s+{self.attribution}\b)"
        )
        # `", - X said` / `" - said X` / `.", - he noted`: a closing quote, maybe a comma, a dash.
        self.dash = LazyPattern(
            rf"(?<=[\p{{L}}\p{{N}})%])(?P<punct>[.!?…]?)(?P<q>[{_CLOSING}{_PRIME}])"
            rf"(?P<comma>,?)[ \t]*[-–—]{{1,2}}[ \t]+(?=\p{{L}})"
        )
        # After `", -` any "X said" is the quotation's attribution; after `" -` (no comma) the
        # attribution must also end there, or "said" may belong to a new clause.
        self.attribution_after_comma = LazyPattern(rf"{self.attribution}\b")
        self.attribution_here = LazyPattern(rf"{self.attribution}{_TAIL}")
        # TQ307's territory: `words, - said X` (the quotation marks are missing altogether).
        self.unquoted = LazyPattern(
            rf"(?<=\p{{L}}[,!?…])(?P<mark>\s+[-—–]{{1,2}})\s+(?={self.attribution}\b)"
        )
        # A spaced hyphen after a word (or a figure: "October 28 and 29 - the organizers"),
        # or one glued to a closing quote or bracket (`"Event"- the winner`).
        self.hyphen = LazyPattern(
            r"(?<=(?P<left>[\p{L}\d])(?P<p>[.;:,!?\"”»)]?)) -(?= [\p{L}\"“«(])"
            r"|(?<=\p{L}[\"”»)])(?P<glued>-)(?= \p{L})"
        )
        self.range_start = LazyPattern(
            rf"(?:.*\b(?:{_MONTHS}|{_DAYS})\.?(?: \d{{1,2}})?|.*\b\d{{1,2}} (?:{_MONTHS})\.?)$"
        )
        self.range_end = LazyPattern(rf"(?:{_MONTHS}|{_DAYS})\b|\d{{1,2}} (?:{_MONTHS})\b")
        day = r"\d{1,2}(?:[-–]\d{1,2})?(?: and \d{1,2})?"
        self.date_before = LazyPattern(
            rf"(?:\b(?:{_MONTHS})\.? {day}(?:,? \d{{4}})?|\b{day} (?:{_MONTHS})\.?(?: \d{{4}})?)$"
        )
        self.date_after = LazyPattern(rf"(?:{_MONTHS})\.? \d{{1,2}}\b|\d{{1,2}} (?:{_MONTHS})\b")
        self.score = LazyPattern(r" \p{L}+(?: \p{L}+)? \d")
        self.gap = LazyPattern(
            rf"(?<=(?:^|[\s(])\p{{L}}[\p{{L}}’'-]*)(?P<mark> [-–—] |—)"
            rf"(?=(?:(?P<prep>{_GAP_PREP})\s+)?{_GAP_FIGURE})"
        )

    def trigger(self) -> str:
        """Return what a hit cannot do without (a line break never matches)."""
        if self.mode == "hyphen-dash":
            return r"[\p{L}\d][.;:,!?\"”»)]? - |\p{L}[\"”»)]- \p{L}"
        if self.mode == "gapping":
            return "[-–—]"
        if self.mode == "dash":
            return f"[{regex.escape(_CLOSING + _PRIME)}],?[ \\t]*[-–—]"
        if self.mode == "unquoted":
            return r"\p{L}[,!?…]\s+[-—–]"
        return f"[{regex.escape(_CLOSING)}],"

    # -- split-paragraph ------------------------------------------------------------------

    def check_document(self, document: Document, ctx: Context) -> Iterator[Hit]:
        """Yield a hit per quotation whose attribution stands alone in the next paragraph."""
        british = ctx.settings.quote_style is QuoteStyle.BRITISH
        segments = document.segments
        for first, second in itertools.pairwise(segments):
            if first.unit != second.unit or first.source is not None:
                continue  # never join two translation units or two aligned lines
            if not first.text.rstrip("-–— \t").endswith(","):
                continue
            quote = self.quote_end.search(first.text)
            if quote is None or len(second.text) > 120:
                continue
            bare = self.bare.match(second.text)
            if bare is None or not _closes_quotation(first.text, quote.start("q")):
                continue  # the mark opens a quotation: this is not a quote's end
            yield self._join(document, first, second, quote, bare, british)

    def _join(
        self,
        document: Document,
        first: Segment,
        second: Segment,
        quote: regex.Match[str],
        bare: regex.Match[str],
        british: bool,
    ) -> Hit:
        """Build the hit that joins a quotation's paragraph and its attribution paragraph."""
        body = bare.end("dash") if bare.group("dash") else 0
        attribution = second.text[body:]
        lead = attribution[0]
        word = attribution.split()[0]
        if bare.group("who2") or (word.lower() in (*_PRONOUNS, "the", "a", "an") and word != "I"):
            lead = lead.lower()  # "The President said." / "Said Peskov." after a quotation
        q_index = quote.start("q")
        size = len(first.text)
        inside, after = _requote(quote.group("punct"), british)
        # Work in segment offsets and map through the segments: in HTML the closing quote may
        # be the six characters of "&quot;", which are kept as written.
        edits = []
        if quote.group("punct") != inside:
            start, end = first.offsets.span(quote.start(), q_index)
            edits.append(Edit(start, end, first.encode(inside)))
        edits.append(
            Edit(
                first.offsets.to_document_end(q_index + 1),
                second.offsets.to_document_end(body + 1),
                first.encode(after + lead),
            )
        )
        separator = document.text[first.end : second.start]
        safe = (
            # The joined text must be writable where it goes (never a ": " into a plain
            # YAML title).
            first.writable(after + lead)
            and first.writable(inside)
            and _joinable(document, first, second, separator)
            and first.offsets.is_contiguous(quote.start(), q_index)
            and first.offsets.is_contiguous(q_index + 1, size)
            and second.offsets.is_contiguous(0, body + 1)
        )
        q = quote.group("q")
        context = first.text[max(0, quote.start() - 24) : quote.start()]
        joined = f"…{context}{inside}{q}{after}{lead}{attribution[1:]}"
        suggestions = [joined]
        who = bare.group("who2")
        if who and who.lower() not in _PRONOUNS:
            # "said Peskov." reads well; "Peskov said." is the plainer order.
            verb = attribution[: bare.start("who2") - body].strip().lower()
            rest = attribution[bare.end("who2") - body :]
            suggestions.append(f"…{context}{inside}{q}{after}{who} {verb}{rest}")
        hit_start, hit_end = first.offsets.span(q_index, size)
        return Hit(
            hit_start,
            hit_end,
            suggestions=tuple(suggestions),
            edits=tuple(edits),
            applicability=None if safe else Applicability.DISPLAY_ONLY,
            values={"attribution": attribution},
        )

    # -- segment modes --------------------------------------------------------------------

    def check_segment(self, segment: Segment, ctx: Context) -> Iterator[Hit]:
        """Yield the hits of the segment-level modes."""
        if self.mode == "comma-outside":
            yield from self._comma_outside(segment, ctx)
        elif self.mode == "dash":
            yield from self._dash(segment, ctx)
        elif self.mode == "unquoted":
            for match in self.unquoted.finditer(segment.text):
                yield Hit(*match.span("mark"))
        elif self.mode == "hyphen-dash":
            yield from self._hyphen_dash(segment, ctx)
        elif self.mode == "gapping":
            yield from self._gapping(segment)

    def _comma_outside(self, segment: Segment, ctx: Context) -> Iterator[Hit]:
        """Yield a hit per `word", he said` (US style only: logical punctuation allows it)."""
        if ctx.settings.quote_style is QuoteStyle.BRITISH:
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
                edits=(Edit(start, start, ","), Edit(start + 1, end, "")),
                values={"suggestion": f",{q}"},
            )

    def _dash(self, segment: Segment, ctx: Context) -> Iterator[Hit]:
        """Yield a hit per `", - X said` / `" - said X`: drop the dash, fix the comma."""
        british = ctx.settings.quote_style is QuoteStyle.BRITISH
        text = segment.text
        for match in self.dash.finditer(text):
            q = match.group("q")
            if q != _PRIME and not _closes_quotation(text, match.start("q")):
                continue
            comma = bool(match.group("comma"))
            recognised = self.attribution_after_comma if comma else self.attribution_here
            attribution = recognised.match(text, match.end())
            if not comma and attribution is None:
                continue  # `"word" - more words`: an English dash after a quote (TQ306's)
            punct = match.group("punct")
            inside, after = _requote(punct, british)
            start, end = match.span()
            q_index = match.start("q")
            if q == _PRIME:
                # 74″, – said: the prime stands for a closing quote; offer the real one.
                edits: tuple[Edit, ...] = (Edit(start, end, f"{inside}”{after}"),)
                shown = f"{inside}”{after}"
            else:
                edits = (Edit(start, q_index, inside), Edit(q_index + 1, end, after))
                shown = f"{inside}{q}{after}"
            # Safe only when nothing but the dash and the comma changes, the attribution is
            # one we recognise, and (without a comma) the quotation is a sentence of its own.
            safe = (
                attribution is not None
                and q != _PRIME
                and (comma or _opens_sentence(text, q_index))
            )
            yield Hit(
                start,
                end,
                suggestions=(shown.strip(),),
                edits=edits,
                applicability=None if safe else Applicability.UNSAFE,
                values={"suggestion": shown.strip()},
            )

    def _hyphen_dash(self, segment: Segment, ctx: Context) -> Iterator[Hit]:
        """Yield a hit per spaced hyphen standing for a dash, fixed to the configured dash."""
        text = segment.text
        dash = _DASH_TEXT[ctx.settings.dash_style]
        for match in self.hyphen.finditer(text):
            start, end = match.start(), match.end() + 1  # " - " with both spaces, or "- "
            glued = match.group("glued") is not None
            before = text[start - 1] if glued else match.group("p") or ""
            if self._range(text, start, end) and (
                self.near is None or self.date_after.match(text, end) is not None
            ):
                # "September 30 - October 1", "Monday - Friday": a range, an unspaced en dash.
                yield Hit(
                    start,
                    end,
                    suggestions=("–",),
                    edits=(Edit(start, end, "–"),),
                    values={"suggestion": "–", "note": " (a range: an unspaced en dash)"},
                )
                continue
            if (self.near is not None) != self._by_date(text, start, end, before):
                continue  # beside a date only the near-date rule (TQ314) speaks, else TQ306
            left_figure = (match.group("left") or "").isdigit() and not before
            if left_figure and self.score.match(text, end - 1) and not self._date_left(text, start):
                continue  # "Chelsea 2 - Arsenal 1": not a dash (but "on May 9 - 40 people came" is)
            if before in (",", "!", "?") and self.unquoted.match(text, start):
                continue  # `words, - said X`: the unquoted rule's (quotation marks missing)
            if before and before in _CLOSING:
                quote = self.dash.match(text, start - 1 if glued else match.start("p"))
                if quote is not None and self.attribution_here.match(text, quote.end()):
                    continue  # `"words" - said X`: the dash rule's
            gap = self.gap.match(text, start)
            if gap is not None and _gapped(text, gap):
                continue  # `imports - by 14%`: the gapping rule's (no dash is right there)
            # After a comma the Russian ", —" needs a choice: the comma or the dash; before
            # "by 14%" the dash may stand for a verb (gapping) and need rewording.
            unsafe = before in (",", ";", ":") or gap is not None
            yield Hit(
                start,
                end,
                suggestions=(dash,),
                edits=(Edit(start, end, dash),),
                applicability=Applicability.UNSAFE if unsafe else None,
                values={"suggestion": dash.strip(), "note": _GAP_NOTE if gap else ""},
            )

    def _by_date(self, text: str, start: int, end: int, before: str) -> bool:
        """Say whether a date ends right before the hyphen or starts right after it."""
        if not before and self._date_left(text, start):
            return True
        return self.date_after.match(text, end) is not None

    def _date_left(self, text: str, start: int) -> bool:
        """Say whether a date ends right before position start."""
        return self.date_before.search(text[max(0, start - 40) : start]) is not None

    def _range(self, text: str, start: int, end: int) -> bool:
        """Say whether the hyphen at [start, end) joins the ends of a date or day range."""
        if not self.range_start.match(text[max(0, start - 24) : start]):
            return False
        return self.range_end.match(text, end) is not None

    def _gapping(self, segment: Segment) -> Iterator[Hit]:
        """Yield a hit per dash standing for an omitted verb (no fix: the text needs words)."""
        for match in self.gap.finditer(segment.text):
            if not _gapped(segment.text, match):
                continue
            start, end = match.span("mark")
            yield Hit(start, end, values={"suggestion": ""})


def _requote(punct: str, british: bool) -> tuple[str, str]:
    """Return what goes before the closing quote and what replaces the comma and dash after it.

    US style puts the comma inside (a full stop before the quote becomes the comma); British
    (logical) style keeps it after the quote; after ! ? … no comma is needed at all.
    """
    if punct in ("!", "?", "…"):
        return punct, " "
    if british:
        return "", ", "
    return ",", " "


_GAP_NOTE = (
    " — unless it stands for an omitted verb (Russian gapping: “imports - by 14%”),"
    " which needs rewording"
)
_CLAUSE = LazyPattern(r"[,;]\s+(?:and\s+)?((?:[\p{L}’'-]+\s+){0,4}[\p{L}’'-]+)$")


def _gapped(text: str, match: regex.Match[str]) -> bool:
    """Say whether a dash before "by 14%" stands for a verb used earlier in the sentence.

    The dash must follow a short noun phrase that opens a clause after a comma or semicolon
    (`, imports - by 14%`), and the same preposition with a figure must come earlier in the
    sentence (`grew by 9%`): "prices rose sharply — by 14%" is an English dash.
    """
    start = match.start("mark")
    sentence = max(
        text.rfind(". ", 0, start), text.rfind("! ", 0, start), text.rfind("? ", 0, start)
    )
    head = text[max(sentence + 1, start - 300) : start]  # a sentence, at most 300 characters
    clause = _CLAUSE.search(head)
    if clause is None:
        return False
    earlier = head[: clause.start()]
    if match.group("prep") is None:
        # "protein - 57, fats - 17", "an engineer - 200": label and value, or a gap the human
        # WMT22 reference keeps too; only the preposition marks the missing verb for sure.
        return False
    prep = regex.escape(match.group("prep"))
    return regex.search(rf"(?i)\b{prep}\s+[$€£]?\d", earlier) is not None


def _joinable(document: Document, first: Segment, second: Segment, separator: str) -> bool:
    """Say whether deleting the separator joins two paragraphs and changes nothing else.

    Plain text and Markdown paragraphs are separated by blank lines; two paragraphs of one
    Markdown blockquote by lines of ``>``; a paragraph and a Markdown list of one item (the
    Russian dash read as a bullet) by a blank line and ``-``; two HTML paragraphs by
    ``</p> <p>`` without attributes on the second one (the first keeps its own).
    """
    if separator.strip() == "":
        return True
    if document.format == "html":
        return (
            first.scope is second.scope is Scope.PARAGRAPH
            and regex.fullmatch(r"\s*</p>\s*<p>\s*", separator, regex.IGNORECASE) is not None
        )
    if document.format == "markdown" and second.scope is Scope.LIST_ITEM:
        # `"...",` then `- said Peskov.`: the dash was read as a bullet of a one-item list.
        if first.scope is not Scope.PARAGRAPH:
            return False
        if regex.fullmatch(r"[ \t]*\n[ \t]*\n-[ \t]+", separator) is None:
            return False
        rest = document.text[second.end :]
        following = rest.lstrip()
        gap = rest[: len(rest) - len(following)]
        return following == "" or (
            gap.count("\n") >= 2 and regex.match(r"(?:[-*+]|\d+[.)])[ \t]", following) is None
        )
    if document.format == "markdown" and first.scope is second.scope is Scope.BLOCKQUOTE:
        lines = separator.split("\n")
        if lines[0].strip() or len(lines) < 2:
            return False
        depths = {line.count(">") for line in lines[1:]}
        return len(depths) == 1 and all(set(line) <= {">", " ", "\t"} for line in lines[1:])
    return False


def _closes_quotation(text: str, index: int) -> bool:
    """Say whether the quotation mark at index closes a quotation opened before it.

    Curly and angle closing marks always close; a straight double quote closes when an odd
    number of straight quotes precede it in the paragraph.
    """
    mark = text[index]
    if mark != '"':
        return True
    return text.count('"', 0, index) % 2 == 1


_OPENERS = {'"': '"', "”": "“", "»": "«"}


def _opens_sentence(text: str, index: int) -> bool:
    """Say whether the quotation closed at index opened at the start of a sentence."""
    opener = _OPENERS.get(text[index])
    if opener is None:
        return False
    start = text.rfind(opener, 0, index)
    if start < 0:
        return False
    before = text[:start].rstrip()
    return before == "" or before[-1] in ".!?:"
