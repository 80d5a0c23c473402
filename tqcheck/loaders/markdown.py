r"""Markdown loader: CommonMark parsed by markdown-it-py, prose mapped back to exact offsets.

markdown-it-py gives block tokens with line ranges but no character positions for inline
content. To keep exact offsets the loader wraps each inline rule of the parser and records
which source characters the rule consumed and what it made of them: markup to drop
(``**``, ``[``, ``](url)``), decoded characters (``\*``, ``&amp;``), code and URLs (not
prose), images (their alt text becomes a segment of its own). Everything else in a block's
inline content is prose, copied verbatim; the inline content is then aligned line by line
with the file, below any block-quote or list-item prefixes.
"""

from __future__ import annotations

import enum
import itertools
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import regex
from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from tqcheck.document import Document, Escape, InputError, Scope, Segment
from tqcheck.loaders.mapping import TextBuilder, iter_references

# Inline code, autolinks and images stand in the prose as one neutral character, so that
# "run `ls` now" does not read as "run  now" (a double space) to the rules.
PLACEHOLDER = "\ufffc"
_MARKS = "tqcheck.marks"
_INLINE_RULES = (
    "text",
    "newline",
    "escape",
    "backticks",
    "emphasis",
    "link",
    "image",
    "autolink",
    "html_inline",
    "entity",
)
# Characters that may stand before a block's text on its line: indentation, block-quote
# markers, list markers, ATX heading markers.
_PREFIX = frozenset(" \t>*+-#0123456789.)")
_LINE = regex.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_FRONT_MATTER_KEY = regex.compile(r"^(?P<key>title|description)[ \t]*:[ \t]*(?P<value>.*?)[ \t]*$")
# A top-level TOML title or description on one line: a basic or literal string, then an
# optional comment. Multi-line strings and dotted or quoted keys are not read as prose.
_TOML_KEY = regex.compile(
    r"""^[ \t]*(?P<key>title|description)[ \t]*=[ \t]*"""
    r"""(?P<value>"(?:[^"\\]|\\.)*"(?!")|'[^']*'(?!'))[ \t]*(?:\#.*)?$"""
)
_TOML_TABLE = regex.compile(r"^[ \t]*\[")
_TOML_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


class _Kind(enum.Enum):
    """Say what an inline rule made of the source characters it consumed."""

    DROP = "drop"  # markup: emphasis delimiters, link brackets and destinations, raw HTML
    ATOM = "atom"  # an escape or entity, decoded as a whole
    CODE = "code"  # inline code or an autolink: not prose, one placeholder
    BREAK = "break"  # a line break: keep the newline, drop the next line's indentation
    EMPHASIS = "emphasis"  # one * or _ delimiter: markup, or literal text if unmatched
    IMAGE = "image"  # an image: a placeholder here, its alt text a segment of its own


@dataclass
class _Mark:
    """Record what one inline rule consumed: [start, end) of the block's inline source."""

    kind: _Kind
    start: int
    end: int
    text: str = ""
    token: Token | None = None
    prose: bool = False
    nested: list[_Mark] = field(default_factory=list)
    label: tuple[int, int] = (0, 0)
    title: tuple[int, int] | None = None


def _wrap(name: str, rule: Callable[[StateInline, bool], bool]) -> Callable[..., bool]:
    """Return the inline rule wrapped to record marks in the parse environment."""

    def recorded(state: StateInline, silent: bool) -> bool:
        marks: list[_Mark] | None = state.env.get(_MARKS) if isinstance(state.env, dict) else None
        if silent or marks is None:
            return rule(state, silent)
        start = state.pos
        if name not in ("text", "newline") and state.pending:
            # Flush pending text now so that the tokens after the call are the rule's own.
            state.pushPending()
        before = len(state.tokens)
        label_end = -1
        nested: list[_Mark] = []
        if name == "link":
            label_end = state.md.helpers.parseLinkLabel(state, start, True)
        if name == "image":
            label_end = state.md.helpers.parseLinkLabel(state, start + 1, False)
            state.env[_MARKS] = nested
            try:
                matched = rule(state, silent)
            finally:
                state.env[_MARKS] = marks
        else:
            matched = rule(state, silent)
        if not matched:
            return False
        _record(name, state, start, state.tokens[before:], marks, label_end, nested)
        return True

    return recorded


def _record(
    name: str,
    state: StateInline,
    start: int,
    tokens: list[Token],
    marks: list[_Mark],
    label_end: int,
    nested: list[_Mark],
) -> None:
    """Turn what one rule consumed into marks."""
    end = state.pos
    types = [t.type for t in tokens]
    if name == "newline":
        marks.append(_Mark(_Kind.BREAK, start, end))
    elif name == "escape":
        if "hardbreak" in types:
            marks.append(_Mark(_Kind.DROP, start, start + 1))
            marks.append(_Mark(_Kind.BREAK, start + 1, end))
        elif "text_special" in types:
            marks.append(_Mark(_Kind.ATOM, start, end, tokens[types.index("text_special")].content))
    elif name == "entity" and "text_special" in types:
        marks.append(_Mark(_Kind.ATOM, start, end, tokens[types.index("text_special")].content))
    elif (name == "backticks" and "code_inline" in types) or name == "autolink":
        marks.append(_Mark(_Kind.CODE, start, end))
    elif name == "emphasis":
        marks.extend(
            _Mark(_Kind.EMPHASIS, start + i, start + i + 1, token=t) for i, t in enumerate(tokens)
        )
    elif name == "link":
        marks.append(_Mark(_Kind.DROP, start, start + 1))
        marks.append(_Mark(_Kind.DROP, label_end, end))
    elif name == "image":
        image = next((t for t in tokens if t.type == "image"), None)
        title = _title_span(state.src, label_end, end) if image and image.attrGet("title") else None
        marks.append(
            _Mark(_Kind.IMAGE, start, end, nested=nested, label=(start + 2, label_end), title=title)
        )
    elif name == "html_inline":
        marks.append(_Mark(_Kind.DROP, start, end))


def _title_span(src: str, label_end: int, end: int) -> tuple[int, int] | None:
    """Return the span of an inline image's title text, between its quotes."""
    inner = src[label_end + 1 : end]
    if not inner.startswith("(") or not inner.endswith(")"):
        return None
    body = inner[:-1].rstrip()
    if not body or body[-1] not in "\"')":
        return None
    closing = body[-1]
    opening = "(" if closing == ")" else closing
    position = len(body) - 2
    while position > 0:
        if body[position] == opening and body[position - 1] != "\\":
            break
        position -= 1
    if position <= 0:
        return None
    base = label_end + 1
    return base + position + 1, base + len(body) - 1


def _resolve_emphasis(state: StateInline) -> None:
    """Decide which emphasis delimiters stayed literal text (before text tokens merge)."""
    marks = state.env.get(_MARKS) if isinstance(state.env, dict) else None
    for mark in marks or ():
        if mark.kind is _Kind.EMPHASIS and mark.token is not None:
            mark.prose = mark.token.type == "text" and mark.token.content != ""
            mark.token = None


def _inline_with_marks(state: Any) -> None:
    """Parse each block's inline content, keeping the marks on the block token."""
    for token in state.tokens:
        if token.type == "inline":
            marks: list[_Mark] = []
            state.env[_MARKS] = marks
            token.children = []
            state.md.inline.parse(token.content, state.md, state.env, token.children)
            token.meta["tqcheck.marks"] = marks
    state.env.pop(_MARKS, None)


# Block quotes and lists nested deeper than this are not parsed (markdown-it recurses).
MAX_NESTING = 100


@cache
def _parser() -> MarkdownIt:
    """Build the CommonMark parser with recording inline rules (once)."""
    md = MarkdownIt("commonmark")
    # markdown-it stops parsing (silently) at this depth; _prose reports it instead.
    md.options["maxNesting"] = MAX_NESTING
    for name in _INLINE_RULES:
        index = md.inline.ruler.__find__(name)
        md.inline.ruler.at(name, _wrap(name, md.inline.ruler.__rules__[index].fn))
    join = md.inline.ruler2.__rules__[md.inline.ruler2.__find__("fragments_join")].fn

    def fragments_join(state: StateInline) -> None:
        _resolve_emphasis(state)
        join(state)

    md.inline.ruler2.at("fragments_join", fragments_join)
    md.core.ruler.at("inline", _inline_with_marks)
    return md


@dataclass(frozen=True)
class _Line:
    """Hold one line of the file: where it starts, its text, its terminator."""

    start: int
    text: str
    newline: str


def _lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    for match in _LINE.finditer(text):
        raw = match.group()
        if not raw and match.start() == len(text) and lines:
            break
        body = raw.rstrip("\r\n")
        lines.append(_Line(match.start(), body, raw[len(body) :]))
    return lines


class _Locator:
    """Map each character of a block's inline source to its file offset (-1: unaligned)."""

    def __init__(self, content: str, first_line: int, lines: list[_Line]) -> None:
        self.offsets: list[int] = []
        self.newline_sizes: dict[int, int] = {}
        for number, part in enumerate(content.split("\n")):
            index = first_line + number
            line = lines[index] if index < len(lines) else None
            column = _align(part, line.text) if line is not None else -1
            if line is None or column < 0:
                self.offsets.extend([-1] * len(part))
            else:
                self.offsets.extend(range(line.start + column, line.start + column + len(part)))
            if len(self.offsets) < len(content):  # the "\n" ending this line of content
                if line is None or column < 0:
                    self.offsets.append(-1)
                else:
                    self.newline_sizes[len(self.offsets)] = len(line.newline)
                    self.offsets.append(line.start + len(line.text))

    def shifted(self, start: int, end: int) -> _Locator:
        """Return the locator of the substring [start, end) of the inline source."""
        other = _Locator("", 0, [])
        other.offsets = self.offsets[start:end]
        other.newline_sizes = {
            k - start: v for k, v in self.newline_sizes.items() if start <= k < end
        }
        return other


def _align(part: str, line: str) -> int:
    """Return the column where a line of inline source sits in its file line (-1 if none)."""
    column = line.find(part) if part else len(line)
    while column >= 0:
        if all(c in _PREFIX for c in line[:column]):
            return column
        column = line.find(part, column + 1)
    return -1


def _copy(builder: TextBuilder, src: str, locate: _Locator, start: int, end: int) -> None:
    """Copy inline source characters [start, end) verbatim, with their file offsets."""
    for index in range(start, end):
        char, offset = src[index], locate.offsets[index]
        if offset < 0:
            builder.inserted(char)
        elif char == "\n" and locate.newline_sizes.get(index, 1) != 1:
            builder.atom("\n", offset, offset + locate.newline_sizes[index])
        else:
            builder.verbatim(char, offset)


def _atom_span(locate: _Locator, start: int, end: int) -> tuple[int, int] | None:
    first, last = locate.offsets[start], locate.offsets[end - 1]
    if first < 0 or last < 0:
        return None
    return first, last + 1


def _build(
    src: str, locate: _Locator, marks: list[_Mark], extras: list[tuple[Scope, TextBuilder]]
) -> TextBuilder:
    """Build the prose of one inline source; images add their alt text to extras."""
    builder = TextBuilder()
    cursor = 0
    for mark in sorted(marks, key=lambda m: (m.start, m.end)):
        if mark.start < cursor:
            continue
        _copy(builder, src, locate, cursor, mark.start)
        cursor = mark.end
        if mark.kind is _Kind.ATOM:
            span = _atom_span(locate, mark.start, mark.end)
            if span is None:
                builder.inserted(mark.text)
            else:
                builder.atom(mark.text, *span)
        elif mark.kind is _Kind.CODE:
            builder.inserted(PLACEHOLDER)
        elif mark.kind is _Kind.BREAK:
            _copy(builder, src, locate, mark.start, mark.start + 1)
        elif mark.kind is _Kind.EMPHASIS and mark.prose:
            _copy(builder, src, locate, mark.start, mark.end)
        elif mark.kind is _Kind.IMAGE:
            builder.inserted(PLACEHOLDER)
            lo, hi = mark.label
            alt = _build(src[lo:hi], locate.shifted(lo, hi), mark.nested, extras)
            extras.append((Scope.ALT, alt))
            if mark.title is not None:
                extras.append((Scope.CAPTION, _decode_escaped(src, locate, *mark.title)))
    _copy(builder, src, locate, cursor, len(src))
    return builder


def _decode_escaped(src: str, locate: _Locator, start: int, end: int) -> TextBuilder:
    """Decode a link title: backslash escapes and entities become atoms."""
    builder = TextBuilder()
    index = start
    references = {s + start: (e + start, d) for s, e, d in iter_references(src[start:end])}
    while index < end:
        if src[index] == "\\" and index + 1 < end and src[index + 1] in _ASCII_PUNCTUATION:
            span = _atom_span(locate, index, index + 2)
            if span is not None:
                builder.atom(src[index + 1], *span)
            index += 2
        elif index in references:
            stop, decoded = references[index]
            span = _atom_span(locate, index, stop)
            if span is not None:
                builder.atom(decoded, *span)
            index = stop
        else:
            _copy(builder, src, locate, index, index + 1)
            index += 1
    return builder


def _front_matter(
    text: str, lines: list[_Line]
) -> tuple[int, list[tuple[Scope, TextBuilder, Escape]]]:
    """Return the number of front-matter lines and its title and description as prose.

    YAML front matter is fenced by ``---`` (closed by ``---`` or ``...``), TOML front matter
    (Hugo's default) by ``+++``. Without its closing fence a block is not front matter.
    """
    fence = lines[0].text.rstrip() if lines else ""
    if fence not in ("---", "+++"):
        return 0, []
    closers = ("---", "...") if fence == "---" else ("+++",)
    closing = next((i for i in range(1, len(lines)) if lines[i].text.rstrip() in closers), None)
    if closing is None:
        return 0, []
    if fence == "+++":
        return closing + 1, _toml_front_matter(text, lines[1:closing])
    found: list[tuple[Scope, TextBuilder, Escape]] = []
    for line in lines[1:closing]:
        match = _FRONT_MATTER_KEY.match(line.text)
        if match is None or not match.group("value"):
            continue
        scope = Scope.TITLE if match.group("key") == "title" else Scope.METADATA
        decoded = _yaml_scalar(match.group("value"), line.start + match.start("value"))
        if decoded is not None:
            found.append((scope, *decoded))
    return closing + 1, found


def _toml_front_matter(text: str, lines: list[_Line]) -> list[tuple[Scope, TextBuilder, Escape]]:
    """Return the top-level one-line title and description strings of a TOML block as prose.

    The block must parse (tomllib); an invalid block gives no prose at all, and a value is
    taken only when decoding it here gives exactly what tomllib read, so offsets never lie.
    """
    if not lines:
        return []
    block = text[lines[0].start : lines[-1].start + len(lines[-1].text) + len(lines[-1].newline)]
    try:
        parsed = tomllib.loads(block)
    except (tomllib.TOMLDecodeError, ValueError):
        return []
    found: list[tuple[Scope, TextBuilder, Escape]] = []
    for line in lines:
        if _TOML_TABLE.match(line.text):
            break  # keys after a [table] header are not the page's own
        match = _TOML_KEY.match(line.text)
        if match is None:
            continue
        key = match.group("key")
        decoded = _toml_string(match.group("value"), line.start + match.start("value"))
        if decoded is None or parsed.get(key) != decoded[0].text:
            continue
        scope = Scope.TITLE if key == "title" else Scope.METADATA
        found.append((scope, *decoded))
    return found


def _toml_string(raw: str, start: int) -> tuple[TextBuilder, Escape] | None:
    """Decode a one-line TOML basic ("...") or literal ('...') string with its offsets."""
    builder = TextBuilder()
    if raw.startswith("'"):
        # A literal string has no escapes: a fix can only be written in as it is.
        builder.verbatim(raw[1:-1], start + 1)
        return builder, Escape.TOML_LITERAL
    index = 1
    while index < len(raw) - 1:
        char = raw[index]
        if char != "\\":
            builder.verbatim(char, start + index)
            index += 1
            continue
        code = raw[index + 1]
        if code in _TOML_ESCAPES:
            builder.atom(_TOML_ESCAPES[code], start + index, start + index + 2)
            index += 2
            continue
        size = {"u": 4, "U": 8}.get(code)
        digits = raw[index + 2 : index + 2 + size] if size else ""
        if size is None or len(digits) != size:
            return None
        try:
            builder.atom(chr(int(digits, 16)), start + index, start + index + 2 + size)
        except ValueError:
            return None
        index += 2 + size
    # Basic strings take JSON's escapes (\" \\ \n \uXXXX), so a fix is written in as JSON.
    return builder, Escape.JSON_STRING


def _yaml_scalar(raw: str, start: int) -> tuple[TextBuilder, Escape] | None:
    """Decode a one-line YAML scalar (plain, 'single' or "double" quoted) with its offsets.

    The escape says how a fix is written back: a quote doubled in 'single', backslashed in
    "double"; a plain scalar takes no quote or indicator at all (such a fix is text only).
    """
    builder = TextBuilder()
    if raw[0] == "'" and raw.endswith("'") and len(raw) >= 2:
        index = 1
        while index < len(raw) - 1:
            if raw.startswith("''", index) and index + 1 < len(raw) - 1:
                builder.atom("'", start + index, start + index + 2)
                index += 2
            else:
                builder.verbatim(raw[index], start + index)
                index += 1
        return builder, Escape.YAML_SINGLE
    if raw[0] == '"' and raw.endswith('"') and len(raw) >= 2:
        simple = {'"': '"', "\\": "\\", "/": "/", "n": "\n", "t": "\t", "_": "\u00a0"}
        index = 1
        while index < len(raw) - 1:
            if raw[index] == "\\" and raw[index + 1] in simple and index + 1 < len(raw) - 1:
                builder.atom(simple[raw[index + 1]], start + index, start + index + 2)
                index += 2
            else:
                builder.verbatim(raw[index], start + index)
                index += 1
        return builder, Escape.YAML_DOUBLE
    if raw[0] in "|>[{&*!%@`":
        return None  # block scalars, flow collections, anchors, tags: not a one-line string
    comment = regex.search(r"\s#", raw)
    value = raw[: comment.start()] if comment else raw
    builder.verbatim(value, start)
    return builder, Escape.YAML_PLAIN


def _scope(stack: list[Token]) -> Scope:
    """Return the scope of an inline block from the open block tokens around it."""
    for token in reversed(stack):
        if token.type == "heading_open":
            return Scope.TITLE if token.tag == "h1" else Scope.HEADING
        if token.type == "blockquote_open":
            return Scope.BLOCKQUOTE
        if token.type == "list_item_open":
            return Scope.LIST_ITEM
    return Scope.PARAGRAPH


def _blocks(text: str) -> Iterator[tuple[Scope, TextBuilder, Escape]]:
    """Yield the prose of a Markdown file as (scope, builder, escape) in document order."""
    lines = _lines(text)
    skipped, front = _front_matter(text, lines)
    yield from front
    # Blank the front matter out, keeping its lines, so that token line numbers still
    # index the file's lines.
    body = "\n" * skipped + "".join(f"{line.text}\n" for line in lines[skipped:])
    tokens = _parser().parse(body, {})
    # At the limit markdown-it leaves the innermost container empty and drops its text.
    if any(
        token.nesting == 1 and token.level >= MAX_NESTING - 1 and following.nesting == -1
        for token, following in itertools.pairwise(tokens)
    ):
        raise InputError(
            f"block quotes or lists nested more than {MAX_NESTING - 2} levels deep cannot be "
            "checked as Markdown: flatten them, or check the file with --input-format text"
        )
    stack: list[Token] = []
    previous_image_only = False
    for token in tokens:
        if token.nesting == 1:
            stack.append(token)
        elif token.nesting == -1 and stack:
            stack.pop()
        if token.type != "inline" or token.map is None:
            continue
        marks: list[_Mark] = token.meta.get("tqcheck.marks", [])
        locate = _Locator(token.content, token.map[0], lines)
        extras: list[tuple[Scope, TextBuilder]] = []
        builder = _build(token.content, locate, marks, extras)
        scope = _scope(stack)
        image_only = builder.text.strip() == PLACEHOLDER and any(
            m.kind is _Kind.IMAGE for m in marks
        )
        children = token.children or []
        if (
            previous_image_only
            and scope is Scope.PARAGRAPH
            and len(children) >= 2
            and children[0].type == "em_open"
            and children[-1].type == "em_close"
        ):
            scope = Scope.CAPTION  # *Photo: ...* right under an image
        previous_image_only = image_only
        yield scope, builder, Escape.MARKDOWN
        for extra_scope, extra in extras:
            yield extra_scope, extra, Escape.MARKDOWN


def load_markdown(path: str, text: str) -> Document:
    """Build a Markdown document whose segments are its prose blocks."""
    segments: list[Segment] = []
    for scope, builder, escape in _blocks(text):
        segment = builder.segment(scope, len(segments), escape=escape)
        if segment is not None and segment.text != PLACEHOLDER:
            segments.append(segment)
    return Document(path=path, text=text, segments=tuple(segments), format="markdown")
