"""Build segment text piece by piece while keeping its exact map back to the file.

Every loader that strips markup or decodes escapes uses :class:`TextBuilder`: verbatim text
maps character for character, decoded text (an entity, an escape) maps as an indivisible
*atom* onto its whole source span, and text a loader inserts (a placeholder for inline code)
maps nowhere.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from dataclasses import dataclass, field

from tqcheck.document import Escape, OffsetMap, Scope, Segment, split_paragraphs


@dataclass(frozen=True)
class Piece:
    """Hold one piece of segment text and where it came from (doc_start < 0: inserted)."""

    text: str
    doc_start: int = -1
    doc_end: int = -1
    atom: bool = False


@dataclass
class TextBuilder:
    """Accumulate segment text with its source offsets."""

    pieces: list[Piece] = field(default_factory=list)

    def verbatim(self, text: str, doc_start: int) -> None:
        """Append text that is a verbatim copy of the file at doc_start."""
        if not text:
            return
        last = self.pieces[-1] if self.pieces else None
        if last is not None and not last.atom and last.doc_start >= 0 and last.doc_end == doc_start:
            self.pieces[-1] = Piece(last.text + text, last.doc_start, doc_start + len(text))
        else:
            self.pieces.append(Piece(text, doc_start, doc_start + len(text)))

    def atom(self, text: str, doc_start: int, doc_end: int) -> None:
        """Append text decoded from the file span [doc_start, doc_end) as a whole."""
        if text == "" and doc_start == doc_end:
            return
        self.pieces.append(Piece(text, doc_start, doc_end, atom=True))

    def inserted(self, text: str) -> None:
        """Append text that stands for something in the file but copies none of it."""
        if text:
            self.pieces.append(Piece(text))

    def extend(self, other: TextBuilder) -> None:
        """Append another builder's pieces."""
        for piece in other.pieces:
            if piece.atom or piece.doc_start < 0:
                self.pieces.append(piece)
            else:
                self.verbatim(piece.text, piece.doc_start)

    @property
    def text(self) -> str:
        """Return the text built so far."""
        return "".join(piece.text for piece in self.pieces)

    def offsets(self) -> OffsetMap:
        """Return the offset map of the text built so far."""
        runs: list[tuple[int, int, int]] = []
        atoms: list[tuple[int, int, int, int]] = []
        position = 0
        for piece in self.pieces:
            size = len(piece.text)
            if piece.atom:
                atoms.append((position, position + size, piece.doc_start, piece.doc_end))
            elif piece.doc_start >= 0:
                runs.append((position, piece.doc_start, size))
            position += size
        return OffsetMap(tuple(runs), tuple(atoms))

    def slice(self, start: int, end: int) -> TextBuilder:
        """Return the pieces covering text [start, end); atoms are kept whole."""
        result = TextBuilder()
        position = 0
        for piece in self.pieces:
            size = len(piece.text)
            lo, hi = max(start, position), min(end, position + size)
            if lo < hi or (size == 0 and start <= position < end):
                if piece.atom or piece.doc_start < 0:
                    result.pieces.append(piece)
                else:
                    cut = lo - position
                    result.verbatim(piece.text[cut : hi - position], piece.doc_start + cut)
            position += size
        return result

    def stripped(self) -> TextBuilder:
        """Return the builder without leading and trailing whitespace."""
        text = self.text
        lead = len(text) - len(text.lstrip())
        trail = len(text) - len(text.rstrip())
        return self.slice(lead, len(text) - trail)

    def segment(
        self,
        scope: Scope,
        index: int = 0,
        *,
        escape: Escape = Escape.NONE,
        source: str | None = None,
        unit: str | None = None,
    ) -> Segment | None:
        """Return the stripped text as a segment, or None when no prose is left."""
        trimmed = self.stripped()
        text = trimmed.text
        if not text.strip() or all(p.doc_start < 0 for p in trimmed.pieces):
            return None
        return Segment(
            text,
            scope,
            trimmed.offsets(),
            index,
            source=source,
            escape=escape,
            unit=unit,
        )

    def paragraphs(self) -> Iterator[TextBuilder]:
        """Yield the blank-line separated paragraphs of the text."""
        for start, end in split_paragraphs(self.text):
            yield self.slice(start, end)


def add_html_text(builder: TextBuilder, raw: str, doc_start: int) -> None:
    """Append raw HTML/XML-like character data, decoding character references as atoms."""
    cursor = 0
    for ref_start, ref_end, decoded in iter_references(raw):
        builder.verbatim(raw[cursor:ref_start], doc_start + cursor)
        builder.atom(decoded, doc_start + ref_start, doc_start + ref_end)
        cursor = ref_end
    builder.verbatim(raw[cursor:], doc_start + cursor)


def iter_references(raw: str) -> Iterator[tuple[int, int, str]]:
    """Yield (start, end, decoded) for each HTML character reference in raw text."""
    position = raw.find("&")
    while position >= 0:
        end = _reference_end(raw, position)
        if end > position:
            decoded = html.unescape(raw[position:end])
            if decoded != raw[position:end]:
                yield position, end, decoded
                position = raw.find("&", end)
                continue
        position = raw.find("&", position + 1)


def _reference_end(raw: str, position: int) -> int:
    """Return the end of the character reference starting at position (position if none)."""
    index = position + 1
    if index < len(raw) and raw[index] == "#":
        index += 1
        if index < len(raw) and raw[index] in "xX":
            index += 1
            digits = "0123456789abcdefABCDEF"
        else:
            digits = "0123456789"
        start = index
        while index < len(raw) and raw[index] in digits:
            index += 1
        if index == start:
            return position
    else:
        start = index
        while index < len(raw) and raw[index].isascii() and raw[index].isalnum():
            index += 1
        if index == start:
            return position
    if index < len(raw) and raw[index] == ";":
        index += 1
    return index
