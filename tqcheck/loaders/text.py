"""Plain-text loader: blank-line separated paragraphs, with a title and credit lines guessed."""

from __future__ import annotations

import regex

from tqcheck.document import Document, OffsetMap, Scope, Segment, split_paragraphs

_TERMINAL = regex.compile(r"[.!?…:;,\"'”’»)]$")
_CREDIT = regex.compile(r"^(?:©|\(c\)|photo\b|source\b|credit\b)", regex.IGNORECASE)
_SHORT = 120


def _scope(index: int, text: str) -> Scope:
    """Guess a paragraph's scope from its position and shape."""
    single_line = "\n" not in text and "\r" not in text
    short = single_line and len(text) <= _SHORT and not _TERMINAL.search(text)
    if _CREDIT.match(text) and single_line:
        return Scope.CAPTION
    if index == 0 and short:
        return Scope.TITLE
    if index <= 2 and short and len(text) <= 60:
        return Scope.BYLINE
    return Scope.PARAGRAPH


def load_text(path: str, text: str) -> Document:
    """Build a plain-text document whose segments are its paragraphs."""
    segments = tuple(
        Segment(text[s:e], _scope(i, text[s:e]), OffsetMap.identity(s, e - s), i)
        for i, (s, e) in enumerate(split_paragraphs(text))
    )
    return Document(path=path, text=text, segments=segments, format="text")
