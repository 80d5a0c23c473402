"""XLIFF 1.2 and 2.x loader: each unit's target is a segment, with its source attached.

The stdlib expat parser reads the file with every kind of entity handling that can reach
outside the file or blow up refused: a document type declaration (needed for any entity
definition, so for "billion laughs" and for external ``SYSTEM`` entities alike) is an input
error before anything in it is read, and parameter entities are never parsed. Expat reports
the byte position of each event; text between events is either a verbatim copy of the file
or (a predefined entity, a character reference, a CRLF) an atom over its exact source span.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from xml.parsers import expat

from tqcheck.document import Document, Escape, InputError, Scope, Segment
from tqcheck.loaders.mapping import TextBuilder

PLACEHOLDER = "\ufffc"

# Inline elements that stand for native codes: their content is never prose.
_CODE_ELEMENTS = frozenset(("bpt", "ept", "ph", "it", "sub", "originalData"))
# Empty inline elements that stand for a code: one placeholder in the prose.
_PLACEHOLDER_ELEMENTS = frozenset(("x", "bx", "ex", "ph", "sc", "ec", "sm", "em"))
# Elements whose <target> children are not the unit's translation.
_SKIP_CONTAINERS = frozenset(("alt-trans", "seg-source", "notes", "note", "originalData"))


class _Refused(Exception):
    """Raise inside expat callbacks to stop on a construct tqcheck does not accept."""


@dataclass
class _Text:
    """Collect a <source> or <target> element's prose."""

    builder: TextBuilder = field(default_factory=TextBuilder)


@dataclass
class _Unit:
    """Collect one translation unit (1.2 trans-unit, 2.x unit or segment)."""

    id: str
    source: _Text | None = None
    target: _Text | None = None


def _local(name: str) -> str:
    """Return an element name without its namespace (expat joins them with a space)."""
    return name.rsplit(" ", 1)[-1]


class _Reader:
    """Walk expat events and build units with exact character offsets."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.data = text.encode("utf-8")
        # Byte offset of every character (plus the end), to turn expat's byte positions
        # into character offsets.
        self.ascii = len(self.data) == len(text)
        self.byte_starts: list[int] = []
        if not self.ascii:
            position = 0
            for char in text:
                self.byte_starts.append(position)
                position += len(char.encode("utf-8"))
            self.byte_starts.append(position)
        self.events: list[tuple[str, int, str, dict[str, str]]] = []
        self.version = ""

    def char_offset(self, byte_offset: int) -> int:
        """Return the character offset of a byte offset."""
        if self.ascii:
            return byte_offset
        return bisect.bisect_left(self.byte_starts, byte_offset)

    def parse(self) -> None:
        """Run expat over the file, recording events; refuse DTDs and entity declarations."""
        parser = expat.ParserCreate(encoding="UTF-8", namespace_separator=" ")
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        events = self.events

        def refuse_doctype(*_: object) -> None:
            raise _Refused(
                "document type declarations (DTDs) are not allowed in XLIFF input: "
                "entity definitions and external entities are refused"
            )

        def refuse_entity(*_: object) -> None:
            raise _Refused("entity declarations are not allowed in XLIFF input")

        def refuse_external(*_: object) -> int:
            raise _Refused("external entities are not allowed in XLIFF input")

        def start(name: str, attrs: dict[str, str]) -> None:
            events.append(("start", parser.CurrentByteIndex, _local(name), attrs))

        def end(name: str) -> None:
            events.append(("end", parser.CurrentByteIndex, _local(name), {}))

        def data(chunk: str) -> None:
            events.append(("data", parser.CurrentByteIndex, chunk, {}))

        def other(*_: object) -> None:
            events.append(("other", parser.CurrentByteIndex, "", {}))

        def cdata_start() -> None:
            events.append(("cdata", parser.CurrentByteIndex, "", {}))

        def cdata_end() -> None:
            events.append(("cdata-end", parser.CurrentByteIndex, "", {}))

        parser.StartDoctypeDeclHandler = refuse_doctype
        parser.EntityDeclHandler = refuse_entity
        parser.UnparsedEntityDeclHandler = refuse_entity
        parser.ExternalEntityRefHandler = refuse_external
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = data
        parser.CommentHandler = other
        parser.ProcessingInstructionHandler = other
        parser.StartCdataSectionHandler = cdata_start
        parser.EndCdataSectionHandler = cdata_end
        try:
            parser.Parse(self.data, True)
        except _Refused as exc:
            raise InputError(f"line {parser.CurrentLineNumber}: {exc}") from None
        except expat.ExpatError as exc:
            message = expat.errors.messages.get(exc.code, str(exc)) if exc.code else str(exc)
            raise InputError(
                f"malformed XML at line {exc.lineno}, column {exc.offset + 1}: {message}"
            ) from None

    def units(self) -> list[_Unit]:
        """Group the recorded events into units with their source and target prose."""
        events = self.events
        # Comments and processing instructions may come before the root element.
        lead = next((i for i, event in enumerate(events) if event[0] != "other"), len(events))
        events = events[lead:]
        if not events or events[0][0] != "start" or events[0][2] != "xliff":
            root = events[0][2] if events else "none"
            raise InputError(f"not an XLIFF file (root element {root!r}, expected 'xliff')")
        self.version = events[0][3].get("version", "")
        if not (self.version.startswith("1.") or self.version.startswith("2.")):
            raise InputError(f"unsupported XLIFF version {self.version!r} (1.2 and 2.x are)")
        units: list[_Unit] = []
        stack: list[str] = []
        unit_ids: list[str] = []
        current: _Unit | None = None
        text: _Text | None = None
        code_depth = 0
        in_cdata = False
        skip_depth = 0
        for index, (kind, byte_start, name, attrs) in enumerate(events):
            start = self.char_offset(byte_start)
            stop = (
                self.char_offset(events[index + 1][1])
                if index + 1 < len(events)
                else len(self.text)
            )
            if kind == "start":
                stack.append(name)
                if name in _SKIP_CONTAINERS:
                    skip_depth += 1
                if skip_depth:
                    continue
                if name in ("trans-unit", "unit"):
                    unit_ids.append(attrs.get("id", "?"))
                    current = _Unit(unit_ids[-1]) if name == "trans-unit" else None
                elif name == "segment" and unit_ids:
                    segment_id = attrs.get("id")
                    label = f"{unit_ids[-1]}/{segment_id}" if segment_id else unit_ids[-1]
                    current = _Unit(label)
                elif name in ("source", "target") and current is not None and text is None:
                    text = _Text()
                    if name == "source":
                        current.source = text
                    else:
                        current.target = text
                elif text is not None:
                    if name == "cp" and not code_depth:
                        self._code_point(text, attrs, start, index)
                    elif name in _PLACEHOLDER_ELEMENTS and not code_depth:
                        text.builder.inserted(PLACEHOLDER)
                    if name in _CODE_ELEMENTS:
                        code_depth += 1
            elif kind == "end":
                if stack:
                    stack.pop()
                if name in _SKIP_CONTAINERS:
                    skip_depth -= 1
                    continue
                if skip_depth:
                    continue
                if name in ("source", "target") and text is not None and not code_depth:
                    text = None
                elif name in _CODE_ELEMENTS and code_depth:
                    code_depth -= 1
                elif name in ("trans-unit", "segment") and current is not None:
                    units.append(current)
                    current = None
                if name in ("trans-unit", "unit") and unit_ids:
                    unit_ids.pop()
            elif kind == "cdata":
                in_cdata = True
            elif kind == "cdata-end":
                in_cdata = False
            elif kind == "data" and text is not None and not code_depth and not skip_depth:
                raw = self.text[start:stop]
                if raw == name and not in_cdata:
                    text.builder.verbatim(raw, start)
                else:
                    # An entity, a character reference, a CRLF, or CDATA content (whose
                    # escaping differs: an edit there is refused rather than mis-escaped).
                    text.builder.atom(name, start, stop)
        return units

    def _code_point(self, text: _Text, attrs: dict[str, str], start: int, index: int) -> None:
        """Decode an XLIFF 2 <cp hex="..."/> as an atom over the whole element."""
        try:
            char = chr(int(attrs.get("hex", ""), 16))
        except (ValueError, OverflowError):
            char = "\ufffd"
        end_event = self.events[index + 1] if index + 1 < len(self.events) else None
        stop = self.char_offset(end_event[1]) if end_event is not None else len(self.text)
        text.builder.atom(char, start, stop)


def load_xliff(path: str, text: str) -> Document:
    """Build an XLIFF document: one segment per translated unit, its source attached."""
    reader = _Reader(text)
    reader.parse()
    segments: list[Segment] = []
    for unit in reader.units():
        if unit.target is None:
            continue
        source = unit.source.builder.text.strip() if unit.source is not None else None
        segment = unit.target.builder.segment(
            Scope.PARAGRAPH,
            len(segments),
            escape=Escape.MARKUP_TEXT,
            source=source,
            unit=unit.id,
        )
        if segment is not None:
            segments.append(segment)
    return Document(path=path, text=text, segments=tuple(segments), format="xliff")
