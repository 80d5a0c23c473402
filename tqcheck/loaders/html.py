"""HTML loader: prose of headings, paragraphs, list items, quotes, captions and alt/title text.

The stdlib ``html.parser`` tokenizes the file (it follows the HTML5 rules for script and
style content, comments, character references and attribute syntax) and reports the position
of every token, so each piece of text keeps its exact span in the file. Character
references are decoded for checking and map to their whole source span (``&nbsp;`` is one
U+00A0 in the segment); a fix writes its replacement escaped. Script, style, code and pre
content is never prose.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from html.parser import HTMLParser

import regex

from tqcheck.document import Document, Escape, Scope, Segment
from tqcheck.loaders.mapping import TextBuilder, add_html_text

# Inline code, images and line breaks stand in the prose as one neutral character.
PLACEHOLDER = "\ufffc"

# Elements whose content is never prose; the inline ones leave a placeholder in the text.
_SKIP = frozenset(
    "script style code pre kbd samp var template textarea svg math noscript iframe object "
    "select button".split()
)
_INLINE_SKIP = frozenset("code kbd samp var".split())
_VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr keygen".split()
)
# Elements that end one piece of prose and begin another.
_BLOCK = frozenset(
    "address article aside blockquote body caption dd details dialog div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 head header hgroup hr html legend li "
    "main nav ol p section summary table tbody td tfoot th thead title tr ul".split()
)
_META_NAMES = frozenset(
    "description og:title og:description twitter:title twitter:description".split()
)
# Attribute syntax as html.parser reads it (its ``attrfind_tolerant``), to find value spans.
_ATTRIBUTE = regex.compile(
    r"""((?<=['"\s/])[^\s/>][^\s/=>]*)(\s*=+\s*('[^']*'|"[^"]*"|(?!['"])[^>\s]*))?(?:\s|/(?!>))*"""
)
_TAG_NAME = regex.compile(r"<[a-zA-Z][^\t\n\r\f />\x00]*(?:\s|/(?!>))*")


class _Event(enum.Enum):
    """Name the kinds of token the scanner records."""

    START = "start"
    END = "end"
    DATA = "data"
    OTHER = "other"


@dataclass(frozen=True)
class _Token:
    """Hold one token: its kind, where it starts, the tag and raw start-tag text."""

    event: _Event
    offset: int
    tag: str = ""
    raw: str = ""
    self_closing: bool = False


class _Scanner(HTMLParser):
    """Record every token html.parser reports, with its character offset."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.tokens: list[_Token] = []
        self._line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Record a start tag with its raw text."""
        raw = self.get_starttag_text() or ""
        self.tokens.append(_Token(_Event.START, self._offset(), tag, raw))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Record a self-closing tag."""
        raw = self.get_starttag_text() or ""
        self.tokens.append(_Token(_Event.START, self._offset(), tag, raw, self_closing=True))

    def handle_endtag(self, tag: str) -> None:
        """Record an end tag."""
        self.tokens.append(_Token(_Event.END, self._offset(), tag))

    def handle_data(self, data: str) -> None:
        """Record text."""
        self.tokens.append(_Token(_Event.DATA, self._offset()))

    def handle_entityref(self, name: str) -> None:
        """Record a named character reference (decoded later from the raw span)."""
        self.tokens.append(_Token(_Event.DATA, self._offset()))

    def handle_charref(self, name: str) -> None:
        """Record a numeric character reference (decoded later from the raw span)."""
        self.tokens.append(_Token(_Event.DATA, self._offset()))

    def handle_comment(self, data: str) -> None:
        """Record a comment (never prose)."""
        self.tokens.append(_Token(_Event.OTHER, self._offset()))

    def handle_decl(self, decl: str) -> None:
        """Record a doctype."""
        self.tokens.append(_Token(_Event.OTHER, self._offset()))

    def handle_pi(self, data: str) -> None:
        """Record a processing instruction."""
        self.tokens.append(_Token(_Event.OTHER, self._offset()))

    def unknown_decl(self, data: str) -> None:
        """Record a CDATA section or other declaration."""
        self.tokens.append(_Token(_Event.OTHER, self._offset()))


@dataclass
class _Block:
    """Collect the prose of one block element."""

    scope: Scope
    builder: TextBuilder
    first: int  # document offset where the block's first text starts (for ordering)
    escape: Escape = Escape.MARKUP_TEXT


def _block_scope(stack: list[tuple[str, str]]) -> Scope:
    """Return the scope of text given the open elements (tag, raw start tag) around it."""
    quoted = any(tag == "blockquote" for tag, _ in stack)
    for tag, raw in reversed(stack):
        if tag == "h1":
            return Scope.TITLE
        if tag in ("h2", "h3", "h4", "h5", "h6"):
            return Scope.HEADING
        if tag == "figcaption" or tag == "caption":
            return Scope.CAPTION
        if tag == "li":
            return Scope.LIST_ITEM
        if tag == "title":
            return Scope.METADATA
        if tag == "address" or regex.search(r"class\s*=\s*[\"']?[^\"'>]*\bbyline\b", raw):
            return Scope.BYLINE
        if tag in ("p", "blockquote", "dd", "dt", "td", "th", "div"):
            break
    return Scope.BLOCKQUOTE if quoted else Scope.PARAGRAPH


def _attribute_blocks(token: _Token) -> list[_Block]:
    """Return the prose attributes of a start tag: alt, title, meta descriptions."""
    raw = token.raw
    head = _TAG_NAME.match(raw)
    if head is None:
        return []
    values: dict[str, tuple[int, int, bool]] = {}
    position = head.end()
    while position < len(raw):
        match = _ATTRIBUTE.match(raw, position)
        if match is None:
            break
        name = match.group(1).lower()
        value = match.group(3)
        if value is not None and name not in values:
            start = match.start(3)
            quoted = value[:1] in ("'", '"')
            if quoted:
                values[name] = (start + 1, start + len(value) - 1, True)
            else:
                values[name] = (start, start + len(value), False)
        position = match.end()
    blocks: list[_Block] = []
    wanted: list[tuple[str, Scope]] = [("alt", Scope.ALT), ("title", Scope.ALT)]
    if token.tag == "meta":
        meta_name = values.get("name") or values.get("property")
        if meta_name is not None and raw[meta_name[0] : meta_name[1]].lower() in _META_NAMES:
            wanted.append(("content", Scope.METADATA))
    for name, scope in wanted:
        if name in values:
            start, end, quoted = values[name]
            builder = TextBuilder()
            add_html_text(builder, raw[start:end], token.offset + start)
            escape = Escape.MARKUP_ATTRIBUTE if quoted else Escape.HTML_UNQUOTED
            blocks.append(_Block(scope, builder, token.offset + start, escape))
    return blocks


def load_html(path: str, text: str) -> Document:
    """Build an HTML document whose segments are its prose blocks and prose attributes."""
    scanner = _Scanner(text)
    scanner.feed(text)
    scanner.close()
    tokens = scanner.tokens
    ends = [t.offset for t in tokens[1:]] + [len(text)]
    stack: list[tuple[str, str]] = []
    skipping = 0
    blocks: list[_Block] = []
    current: _Block | None = None

    def flush() -> None:
        nonlocal current
        if current is not None:
            blocks.append(current)
        current = None

    def block_here(offset: int) -> _Block:
        nonlocal current
        if current is None:
            current = _Block(_block_scope(stack), TextBuilder(), offset)
        return current

    for token, end in zip(tokens, ends, strict=True):
        if token.event is _Event.START:
            tag = token.tag
            if skipping == 0:
                blocks.extend(_attribute_blocks(token))
            if tag in _SKIP:
                if skipping == 0 and tag in _INLINE_SKIP and current is not None:
                    current.builder.inserted(PLACEHOLDER)
                if not token.self_closing:
                    skipping += 1
                    stack.append((tag, token.raw))
                continue
            if tag in _BLOCK:
                flush()
            elif skipping == 0 and tag in ("br", "img") and current is not None:
                current.builder.inserted("\n" if tag == "br" else PLACEHOLDER)
            if tag not in _VOID and not token.self_closing:
                stack.append((tag, token.raw))
        elif token.event is _Event.END:
            tag = token.tag
            if any(open_tag == tag for open_tag, _ in stack):
                while stack:
                    open_tag, _ = stack.pop()
                    if open_tag in _SKIP:
                        skipping -= 1
                    if open_tag == tag:
                        break
            if tag in _BLOCK and skipping == 0:
                flush()
        elif token.event is _Event.DATA and skipping == 0:
            raw = text[token.offset : end]
            if current is None and not raw.strip():
                continue
            add_html_text(block_here(token.offset).builder, raw, token.offset)
    flush()
    blocks.sort(key=lambda b: b.first)
    segments: list[Segment] = []
    for block in blocks:
        segment = block.builder.segment(block.scope, len(segments), escape=block.escape)
        if segment is not None and segment.text.strip(PLACEHOLDER + " \n"):
            segments.append(segment)
    return Document(path=path, text=text, segments=tuple(segments), format="html")
