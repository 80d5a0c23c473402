"""Loaders turn file bytes into a :class:`~tqcheck.document.Document`.

Each loader is chosen by file extension (or ``--input-format``) and produces prose segments with
scopes and exact offset maps back to the decoded text.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath

from tqcheck.document import Document, InputError, decode
from tqcheck.loaders.text import load_text

Loader = Callable[[str, str], Document]

LOADERS: dict[str, Loader] = {
    "text": load_text,
}

EXTENSIONS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".en": "text",
    "": "text",
}


def format_for(path: str) -> str | None:
    """Return the input format a path's extension selects, or None if it is not an article."""
    return EXTENSIONS.get(PurePath(path).suffix.lower())


def load_bytes(
    path: str, data: bytes, *, encoding: str | None = None, input_format: str | None = None
) -> Document:
    """Decode bytes and build the document with the loader for the format."""
    fmt = input_format or format_for(path) or "text"
    loader = LOADERS.get(fmt)
    if loader is None:
        known = ", ".join(sorted(LOADERS))
        raise InputError(f"unknown input format {fmt!r} (known: {known})")
    text, enc = decode(data, encoding)
    document = loader(path, text)
    return Document(
        path=document.path,
        text=document.text,
        segments=document.segments,
        encoding=enc,
        format=fmt,
    )


def load_string(path: str, text: str, *, input_format: str = "text") -> Document:
    """Build a document from already decoded text."""
    loader = LOADERS.get(input_format)
    if loader is None:
        raise InputError(f"unknown input format {input_format!r}")
    return loader(path, text)
