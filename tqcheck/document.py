"""The document model: decoded text, segments with scopes and offset maps, a line index.

Every offset in tqcheck is a character offset into the decoded text of a file. A segment is a
piece of prose (a paragraph, a title, a caption...) whose characters map back to the file's
characters through an :class:`OffsetMap`, so findings inside stripped markup still point at the
exact source characters.
"""

from __future__ import annotations

import bisect
import codecs
import enum
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

import regex

from tqcheck.lazyre import lazy_regex


class InputError(Exception):
    """Raise for input that cannot be read as a document (the message names the problem)."""


class Scope(enum.Enum):
    """Say what role a segment plays in the article."""

    TITLE = "title"
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    BLOCKQUOTE = "blockquote"
    LIST_ITEM = "list-item"
    CAPTION = "caption"
    BYLINE = "byline"
    ALT = "alt"
    METADATA = "metadata"


class Escape(enum.Enum):
    """Say how text written into a segment's source file must be escaped.

    Loaders set this per segment, so that a fix writing ``&`` into HTML writes ``&amp;`` and
    a fix writing a double quote into a PO string writes it backslash-escaped.
    """

    NONE = "none"  # plain text, parallel files
    MARKUP_TEXT = "markup-text"  # HTML/XML element content: & < >
    MARKUP_ATTRIBUTE = "markup-attribute"  # quoted HTML/XML attribute value: also " '
    HTML_UNQUOTED = "html-unquoted"  # unquoted HTML attribute value: also spaces, = and `
    MARKDOWN = "markdown"  # CommonMark inline text: characters that would start markup
    C_STRING = "c-string"  # a gettext PO string literal
    JSON_STRING = "json-string"  # a JSON string literal
    # Front matter: a YAML 'single' or "double" quoted scalar, a plain YAML scalar, and a
    # TOML 'literal' string (which has no escapes at all).
    YAML_SINGLE = "yaml-single"
    YAML_DOUBLE = "yaml-double"
    YAML_PLAIN = "yaml-plain"
    TOML_LITERAL = "toml-literal"

    def writable(self, text: str) -> bool:
        """Say whether text can be written here at all without changing how the file parses.

        A plain YAML scalar cannot hold ": ", " #" or a quote or indicator at its start, and
        nothing escapes them there; a TOML literal string cannot hold a "'". A fix whose
        replacement cannot be written is offered as text only.
        """
        if "\n" in text or "\r" in text:
            return self not in _ONE_LINE
        if self is Escape.YAML_PLAIN:
            return not any(c in _YAML_INDICATORS for c in text)
        if self is Escape.TOML_LITERAL:
            return "'" not in text
        return True

    def encode(self, text: str) -> str:
        """Return text escaped for this context."""
        if self in (Escape.NONE, Escape.YAML_PLAIN, Escape.TOML_LITERAL) or not text:
            return text
        if self is Escape.YAML_SINGLE:
            return text.replace("'", "''")
        if self is Escape.YAML_DOUBLE:
            return text.replace("\\", "\\\\").replace('"', '\\"')
        if self is Escape.C_STRING:
            return "".join(_C_ESCAPES.get(c, c) for c in text)
        if self is Escape.JSON_STRING:
            return json.dumps(text, ensure_ascii=False)[1:-1]
        if self is Escape.MARKDOWN:
            return "".join("\\" + c if c in _MARKDOWN_SPECIAL else c for c in text)
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        if self is Escape.MARKUP_TEXT:
            return escaped
        escaped = escaped.replace('"', "&quot;").replace("'", "&#39;")
        if self is Escape.HTML_UNQUOTED:
            escaped = "".join(_UNQUOTED.get(c, c) for c in escaped)
        return escaped


_C_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}
# Characters that end or change a plain YAML scalar ("a: b", " #", a leading quote or "&").
_YAML_INDICATORS = frozenset(":#'\"{}[]&*!|>%@`,")
# Contexts a line break cannot be written into (it would end the value).
_ONE_LINE = frozenset(
    {Escape.YAML_SINGLE, Escape.YAML_DOUBLE, Escape.YAML_PLAIN, Escape.TOML_LITERAL}
)
_MARKDOWN_SPECIAL = frozenset("\\`*_[]<&")
_UNQUOTED = {" ": "&#32;", "\t": "&#9;", "\n": "&#10;", "=": "&#61;", "`": "&#96;"}


@dataclass(frozen=True)
class Encoding:
    """Record how a file was encoded so that a fixed file is written back the same way."""

    name: str  # a Python codec name without BOM handling, e.g. "utf-8", "utf-16-le"
    bom: bytes = b""

    def encode(self, text: str) -> bytes:
        """Encode text with this encoding, BOM included."""
        return self.bom + text.encode(self.name)


UTF8 = Encoding("utf-8")

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode(data: bytes, encoding: str | None = None) -> tuple[str, Encoding]:
    """Decode file bytes: UTF-8, UTF-8/16/32 with BOM, or the explicitly given encoding.

    Raises InputError for binary data (NUL bytes without a UTF-16/32 BOM) and for bytes that
    are not valid in the detected or given encoding.
    """
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}") from None
        try:
            return data.decode(encoding), Encoding(encoding)
        except UnicodeDecodeError as exc:
            raise InputError(
                f"cannot decode as {encoding} at byte {exc.start}: {exc.reason}"
            ) from None
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(name), Encoding(name, bom)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"invalid {name} after the byte-order mark at byte {exc.start + len(bom)}"
                ) from None
    if b"\x00" in data:
        raise InputError("binary file (contains NUL bytes); not a text article")
    try:
        return data.decode("utf-8"), UTF8
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not valid UTF-8 at byte {exc.start} ({exc.reason}); "
            "pass --encoding (e.g. --encoding cp1251) if the file uses another encoding"
        ) from None


@dataclass(frozen=True)
class OffsetMap:
    """Map segment character offsets to document character offsets.

    ``runs`` holds ``(segment_start, document_start, length)`` triples in increasing order;
    inside a run characters map one to one. Characters a loader inserted (for example a space
    standing for a markup line break) belong to no run and map to the next mapped character.
    """

    runs: tuple[tuple[int, int, int], ...]
    # ``(segment_start, segment_end, document_start, document_end)``: segment text decoded
    # from a document span as a whole (an entity such as ``&nbsp;``, an escape such as
    # ``\"``, a CRLF read as one line break). An atom is indivisible: a span that cuts
    # through one is not contiguous, and a span covering one covers its whole source.
    atoms: tuple[tuple[int, int, int, int], ...] = ()

    @classmethod
    def identity(cls, document_start: int, length: int) -> OffsetMap:
        """Build the map of a segment that is a verbatim slice of the document."""
        return cls(((0, document_start, length),))

    @cached_property
    def _pieces(self) -> list[_Piece]:
        pieces = [_Piece(s, s + n, d, d + n, False) for s, d, n in self.runs if n > 0]
        pieces.extend(_Piece(s, e, d, de, True) for s, e, d, de in self.atoms)
        pieces.sort()
        return pieces

    @cached_property
    def _starts(self) -> list[int]:
        return [piece.seg_start for piece in self._pieces]

    def to_document(self, offset: int) -> int:
        """Return the document offset of a segment offset used as a span start.

        An offset inside an atom maps to the atom's start; an offset at the end of a run
        with no piece right after it maps to the run's end; an offset on inserted characters
        maps to the next mapped character.
        """
        pieces = self._pieces
        if not pieces:
            return 0
        index = bisect.bisect_right(self._starts, offset) - 1
        if index < 0:
            return pieces[0].doc_start
        piece = pieces[index]
        if offset < piece.seg_end:
            return piece.inside(offset)
        if offset == piece.seg_end or index + 1 == len(pieces):
            return piece.doc_end
        return pieces[index + 1].doc_start

    def to_document_end(self, offset: int) -> int:
        """Return the document offset of a segment offset used as an exclusive span end.

        The end of a character maps to the end of its source: just after a run character,
        or after an atom's whole source span, never onto markup that follows it.
        """
        pieces = self._pieces
        if offset <= 0 or not pieces:
            return self.to_document(offset)
        index = bisect.bisect_right(self._starts, offset - 1) - 1
        if index < 0 or offset - 1 >= pieces[index].seg_end:
            return self.to_document(offset)  # the last character was inserted by the loader
        piece = pieces[index]
        return piece.doc_end if piece.atom else piece.doc_start + (offset - piece.seg_start)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Return the document span of segment span [start, end)."""
        first = self.to_document(start)
        if end <= start:
            return first, first
        return first, max(first, self.to_document_end(end))

    def is_contiguous(self, start: int, end: int) -> bool:
        """Say whether segment span [start, end) maps onto one unbroken document span.

        Inserted characters, skipped markup between pieces, and atoms cut in the middle all
        make a span non-contiguous: an edit there would rewrite what the segment does not show.
        """
        if end <= start:
            return True
        pieces = self._pieces
        index = bisect.bisect_right(self._starts, start) - 1
        if index < 0:
            return False
        cursor, doc_cursor = start, -1
        while cursor < end:
            if index >= len(pieces):
                return False
            piece = pieces[index]
            if not piece.seg_start <= cursor < piece.seg_end:
                return False
            if piece.atom and (cursor != piece.seg_start or end < piece.seg_end):
                return False
            if doc_cursor >= 0 and piece.inside(cursor) != doc_cursor:
                return False
            if end >= piece.seg_end:
                doc_cursor = piece.doc_end
            cursor = piece.seg_end
            index += 1
        return True


class _Piece(NamedTuple):
    """Map segment span [seg_start, seg_end) onto document span [doc_start, doc_end)."""

    seg_start: int
    seg_end: int
    doc_start: int
    doc_end: int
    atom: bool  # decoded as a whole: inner offsets have no document position of their own

    def inside(self, offset: int) -> int:
        """Return the document offset of a segment offset inside this piece."""
        return self.doc_start if self.atom else self.doc_start + (offset - self.seg_start)


@dataclass(frozen=True)
class Segment:
    """Hold one piece of prose with its scope and its map back to the document."""

    text: str
    scope: Scope
    offsets: OffsetMap
    index: int = 0
    # The aligned source-language text (a translation unit's source, the same line of a
    # parallel file); bilingual rules run only on segments that have one.
    source: str | None = None
    # How replacement text must be written back into the file at this segment.
    escape: Escape = Escape.NONE
    # The translation unit or record the segment belongs to (XLIFF/PO/JSONL id), if any.
    unit: str | None = None

    @property
    def start(self) -> int:
        """Return the document offset of the segment's first character."""
        return self.offsets.to_document(0)

    @property
    def end(self) -> int:
        """Return the document offset just after the segment's last character."""
        return self.offsets.to_document_end(len(self.text))

    def encode(self, replacement: str) -> str:
        """Return replacement text escaped for writing into the file at this segment."""
        return self.escape.encode(replacement)

    def writable(self, replacement: str) -> bool:
        """Say whether replacement can be written into the file at this segment at all."""
        return self.escape.writable(replacement)

    def windows(self, size: int) -> list[Segment]:
        """Split a very long verbatim segment into pieces of about ``size`` characters.

        Cuts fall after a sentence end (or, failing that, at a space), where no rule's match
        can span them. Prefilters then work per piece, so a 50 MB paragraph costs what its
        pieces cost. Segments shorter than size, or mapped through markup, stay whole.
        """
        text = self.text
        runs = self.offsets.runs
        identity = len(runs) == 1 and runs[0][0] == 0 and runs[0][2] == len(text)
        if len(text) <= size or not identity or self.offsets.atoms:
            return [self]
        base = runs[0][1]
        pieces: list[Segment] = []
        start = 0
        while start < len(text):
            end = min(start + size, len(text))
            if end < len(text):
                # Look for a cut in the second half of the window: a sentence end, else a space.
                window = text[start + size // 2 : end]
                found = max(window.rfind(". "), window.rfind("! "), window.rfind("? "))
                if found < 0:
                    found = window.rfind(" ")
                if found >= 0:
                    end = start + size // 2 + found + 1
            piece = text[start:end]
            pieces.append(
                Segment(piece, self.scope, OffsetMap.identity(base + start, len(piece)), self.index)
            )
            start = end
        return pieces

    def sentences(self) -> list[tuple[int, int]]:
        """Return the sentence spans of the segment as (start, end) segment offsets."""
        return split_sentences(self.text)


class LineIndex:
    """Convert character offsets to 1-based (line, column) positions and back."""

    _NEWLINE = lazy_regex(r"\r\n|\r|\n")

    def __init__(self, text: str) -> None:
        """Index the line starts of text (LF, CRLF and lone CR all end a line)."""
        self._text = text
        self.starts: list[int] = [0] + [m.end() for m in self._NEWLINE.finditer(text)]

    def position(self, offset: int) -> tuple[int, int]:
        """Return the 1-based line and column of an offset; columns count characters."""
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1

    def offset(self, line: int, column: int) -> int:
        """Return the offset of a 1-based (line, column) position."""
        return self.starts[line - 1] + column - 1

    def line_text(self, line: int) -> str:
        """Return the text of a 1-based line without its line terminator."""
        start = self.starts[line - 1]
        end = self.starts[line] if line < len(self.starts) else len(self._text)
        return self._text[start:end].rstrip("\r\n")

    @property
    def line_count(self) -> int:
        """Return the number of lines."""
        return len(self.starts)


@dataclass(frozen=True)
class Document:
    """Hold one decoded file: its text, how it was encoded, and its prose segments."""

    path: str
    text: str
    segments: tuple[Segment, ...]
    encoding: Encoding = UTF8
    format: str = "text"
    cache: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def lines(self) -> LineIndex:
        """Return the line index of the text (built once)."""
        return LineIndex(self.text)

    @property
    def independent_segments(self) -> bool:
        """Say whether the segments are unrelated texts (one segment per line, WMT style).

        Rules that look across paragraphs (name consistency, split attributions) then look
        within one segment at a time, so a corpus can be checked in chunks, in parallel or
        streamed, with the same result.
        """
        return self.format == "lines"

    @cached_property
    def _segment_starts(self) -> list[int]:
        return [segment.start for segment in self.segments]

    def segment_at(self, offset: int) -> Segment | None:
        """Return the segment containing a document offset, if any."""
        index = bisect.bisect_right(self._segment_starts, offset) - 1
        if index >= 0:
            segment = self.segments[index]
            if segment.start <= offset < segment.end:
                return segment
        return None

    def alone(self, segment: Segment) -> Document:
        """Return a view of this document holding only one of its segments (same text)."""
        return Document(self.path, self.text, (segment,), self.encoding, self.format)

    def iter_segments(self, *scopes: Scope) -> Iterator[Segment]:
        """Yield segments, optionally only those in the given scopes."""
        for segment in self.segments:
            if not scopes or segment.scope in scopes:
                yield segment


# A paragraph break is a line break, optional horizontal space, and another line break.
_PARAGRAPH_BREAK = lazy_regex(r"(?:\r\n|\r|\n)(?:[ \t\u00a0]*(?:\r\n|\r|\n))+")

# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st no vs etc e.g i.e prof gen col lt sgt jr sr inc ltd co corp "
    "jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n p pp vol fig approx".split()
)
_SENTENCE_END = lazy_regex(r"[.!?…]+[\"'”’»)\]]*(?=\s+[\"'“‘«(\[]?[\p{Lu}\p{N}])")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split text into sentence spans (start, end), trimming surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        word = regex.search(r"([\p{L}.]+)\.$", text[start : match.start() + 1])
        if word and match.group().startswith(".") and word.group(1).lower() in _ABBREVIATIONS:
            continue
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    return [span for s, e in spans if (span := _trim(text, s, e))[1] > span[0]]


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """Split text into blank-line separated paragraph spans, trimming outer whitespace."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [span for s, e in spans if (span := _trim(text, s, e))[1] > span[0]]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Return [start, end) without surrounding whitespace, copying nothing (huge paragraphs)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
