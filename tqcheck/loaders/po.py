r"""gettext PO loader: each translated msgstr is a segment, with its msgid attached as source.

A small parser of its own (polib does not report positions): every string literal of a
``msgstr`` (the first and its continuation lines) is decoded with its escapes as atoms over
their exact source characters (``\"`` is one ``"``, ``\n`` one newline), so a finding
points at the file's characters and a fix writes an escaped replacement into the literal.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from tqcheck.document import Document, Escape, InputError, Scope, Segment
from tqcheck.loaders.mapping import TextBuilder

_KEYWORD = regex.compile(r"^(?P<key>msgctxt|msgid_plural|msgid|msgstr(?:\[(?P<n>\d+)\])?)[ \t]*")
_SIMPLE_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    '"': '"',
    "\\": "\\",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
    "?": "?",
    "'": "'",
}
_LINE = regex.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")


@dataclass
class _Field:
    """Collect one keyword's string literals: decoded text with offsets."""

    key: str
    line: int
    builder: TextBuilder = field(default_factory=TextBuilder)


@dataclass
class _Entry:
    """Collect the fields of one PO entry."""

    line: int
    fields: dict[str, _Field] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)


def _string(line: str, start: int, base: int, number: int, builder: TextBuilder) -> None:
    """Decode the string literal starting at line[start] (a quote) into builder."""
    if start >= len(line) or line[start] != '"':
        raise InputError(f"line {number}: expected a quoted string")
    index = start + 1
    while index < len(line):
        char = line[index]
        if char == '"':
            if line[index + 1 :].strip():
                raise InputError(f"line {number}: unexpected text after the closing quote")
            return
        if char == "\\":
            if index + 1 >= len(line):
                break
            escape = line[index + 1]
            if escape in _SIMPLE_ESCAPES:
                builder.atom(_SIMPLE_ESCAPES[escape], base + index, base + index + 2)
                index += 2
                continue
            octal = regex.match(r"[0-7]{1,3}", line[index + 1 :])
            hexa = regex.match(r"x[0-9a-fA-F]{1,2}", line[index + 1 :])
            if octal or hexa:
                digits = (octal or hexa).group()  # type: ignore[union-attr]
                value = int(digits, 8) if octal else int(digits[1:], 16)
                size = 1 + len(digits)
                builder.atom(chr(value), base + index, base + index + size)
                index += size
                continue
            raise InputError(f"line {number}: invalid escape sequence \\{escape}")
        builder.verbatim(char, base + index)
        index += 1
    raise InputError(f"line {number}: unterminated string (truncated entry?)")


def _entries(text: str) -> list[_Entry]:
    """Parse the file into entries; raise InputError naming the line of any problem."""
    entries: list[_Entry] = []
    entry: _Entry | None = None
    last: _Field | None = None

    def close() -> None:
        nonlocal entry, last
        if entry is not None:
            keys = entry.order
            if "msgid" not in keys:
                raise InputError(f"line {entry.line}: entry without msgid")
            if not any(k.startswith("msgstr") for k in keys):
                raise InputError(
                    f"line {entry.fields['msgid'].line}: truncated entry: msgid without msgstr"
                )
            entries.append(entry)
        entry, last = None, None

    for number, match in enumerate(_LINE.finditer(text), start=1):
        raw = match.group()
        if not raw and match.start() == len(text):
            break
        line = raw.rstrip("\r\n")
        base = match.start()
        stripped = line.strip()
        if not stripped:
            close()
            continue
        if stripped.startswith("#"):
            # Comments belong to the next entry: they end the current one once it has
            # its msgstr (obsolete "#~" entries are comments too).
            if entry is not None and any(k.startswith("msgstr") for k in entry.order):
                close()
            continue
        indent = len(line) - len(line.lstrip())
        if stripped.startswith('"'):
            if last is None:
                raise InputError(f"line {number}: string continuation without a keyword")
            _string(line, indent, base, number, last.builder)
            continue
        keyword = _KEYWORD.match(line, indent)
        if keyword is None:
            word = stripped.split()[0]
            raise InputError(f"line {number}: unknown keyword {word!r}")
        key = keyword.group("key")
        # msgctxt and msgid start a new entry (a msgid right after its msgctxt excepted);
        # closing an entry that has no msgstr yet reports it as truncated.
        continues = key == "msgid" and entry is not None and entry.order == ["msgctxt"]
        if key in ("msgctxt", "msgid") and not continues:
            close()
        if entry is None:
            entry = _Entry(number)
        if key in entry.fields:
            raise InputError(f"line {number}: duplicate {key} in one entry")
        if key.startswith("msgstr") and "msgid" not in entry.fields:
            raise InputError(f"line {number}: msgstr without msgid")
        last = _Field(key, number)
        entry.fields[key] = last
        entry.order.append(key)
        _string(line, keyword.end(), base, number, last.builder)
    close()
    return entries


def load_po(path: str, text: str) -> Document:
    """Build a PO document: one segment per translated msgstr, its msgid as source."""
    segments: list[Segment] = []
    for entry in _entries(text):
        msgid = entry.fields["msgid"].builder.text
        if not msgid:
            continue  # the header entry
        context = entry.fields.get("msgctxt")
        unit = f"{context.builder.text}|{msgid}" if context is not None else msgid
        unit = unit if len(unit) <= 60 else unit[:59] + "…"
        plural = entry.fields.get("msgid_plural")
        for key in entry.order:
            if not key.startswith("msgstr"):
                continue
            source = (
                plural.builder.text
                if plural is not None and key not in ("msgstr", "msgstr[0]")
                else msgid
            )
            segment = entry.fields[key].builder.segment(
                Scope.PARAGRAPH,
                len(segments),
                escape=Escape.C_STRING,
                source=source,
                unit=unit,
            )
            if segment is not None:
                segments.append(segment)
    return Document(path=path, text=text, segments=tuple(segments), format="po")
