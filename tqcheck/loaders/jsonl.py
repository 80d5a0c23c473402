r"""JSON Lines loader for batch pipelines: one article per line, ``{"id", "title", "body"}``.

The title is a title segment and each blank-line separated paragraph of the body a paragraph
segment. Offsets point into the JSON string literal itself: an escape (``\n``, ``\"``,
``\u00a0``) is decoded as an atom over its exact source characters, and a fix writes its
replacement JSON-escaped.
"""

from __future__ import annotations

import json

import regex

from tqcheck.document import Document, Escape, InputError, Scope, Segment
from tqcheck.loaders.mapping import TextBuilder

_LINE = regex.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_WHITESPACE = regex.compile(r"[ \t\r\n]*")
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_DECODER = json.JSONDecoder()


def _fields(line: str, number: int) -> dict[str, tuple[int, int]]:
    """Return each top-level key's value span in a line holding one JSON object."""
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"line {number}: invalid JSON: {exc.msg} (column {exc.colno})") from None
    except RecursionError:
        raise InputError(f"line {number}: JSON nested too deeply") from None
    if not isinstance(value, dict):
        raise InputError(f"line {number}: expected a JSON object per line")
    spans: dict[str, tuple[int, int]] = {}
    index = _WHITESPACE.match(line).end() + 1  # type: ignore[union-attr]
    while True:
        index = _WHITESPACE.match(line, index).end()  # type: ignore[union-attr]
        if line[index] == "}":
            return spans
        key, index = _DECODER.raw_decode(line, index)
        index = _WHITESPACE.match(line, index).end() + 1  # type: ignore[union-attr]  # ":"
        index = _WHITESPACE.match(line, index).end()  # type: ignore[union-attr]
        _, end = _DECODER.raw_decode(line, index)
        spans[key] = (index, end)  # the last of duplicate keys wins, as in json.loads
        index = _WHITESPACE.match(line, end).end()  # type: ignore[union-attr]
        if line[index] == ",":
            index += 1


def _string(line: str, start: int, end: int, base: int) -> TextBuilder:
    """Decode the JSON string literal line[start:end] (with quotes) into a builder."""
    builder = TextBuilder()
    index = start + 1
    stop = end - 1
    while index < stop:
        char = line[index]
        if char != "\\":
            builder.verbatim(char, base + index)
            index += 1
            continue
        escape = line[index + 1]
        if escape != "u":
            builder.atom(_ESCAPES[escape], base + index, base + index + 2)
            index += 2
            continue
        code = int(line[index + 2 : index + 6], 16)
        size = 6
        low = line[index + 6 : index + 12]
        if 0xD800 <= code < 0xDC00 and regex.fullmatch(r"\\u[dD][c-fC-F][0-9a-fA-F]{2}", low):
            code = 0x10000 + ((code - 0xD800) << 10) + (int(low[2:], 16) - 0xDC00)
            size = 12
        builder.atom(chr(code), base + index, base + index + size)
        index += size
    return builder


def load_jsonl(path: str, text: str) -> Document:
    """Build a document from JSON Lines articles: titles and body paragraphs."""
    segments: list[Segment] = []
    for number, match in enumerate(_LINE.finditer(text), start=1):
        raw = match.group()
        if not raw and match.start() == len(text):
            break
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        spans = _fields(line, number)
        unit: str | None = None
        if "id" in spans:
            ident = json.loads(line[slice(*spans["id"])])
            unit = ident if isinstance(ident, str) else json.dumps(ident)
        parts: list[tuple[int, Scope, TextBuilder]] = []
        for key, scope in (("title", Scope.TITLE), ("body", Scope.PARAGRAPH)):
            if key not in spans or line[spans[key][0]] != '"':
                continue
            start = spans[key][0]
            builder = _string(line, *spans[key], match.start())
            if scope is Scope.TITLE:
                parts.append((start, scope, builder))
            else:
                parts.extend((start, scope, paragraph) for paragraph in builder.paragraphs())
        # Segments follow the file's order, whichever key comes first on the line: rules that
        # look across segments (split attributions) make edits that must not run backwards.
        parts.sort(key=lambda part: part[0])
        for _, scope, builder in parts:
            segment = builder.segment(scope, len(segments), escape=Escape.JSON_STRING, unit=unit)
            if segment is not None:
                segments.append(segment)
    return Document(path=path, text=text, segments=tuple(segments), format="jsonl")
