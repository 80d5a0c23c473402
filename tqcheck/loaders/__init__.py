"""Loaders turn file bytes into a :class:`~tqcheck.document.Document`.

Each loader is chosen by file extension (or ``--input-format``) and produces prose segments with
scopes and exact offset maps back to the decoded text.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterator, Mapping

from tqcheck.document import Document, InputError, decode
from tqcheck.loaders.lines import load_parallel

Loader = Callable[[str, str], Document]


class _Loaders(Mapping[str, Loader]):
    """Map format names to loaders, importing each loader module on first use.

    The Markdown and HTML parsers cost tens of milliseconds to import; a pre-commit run over
    plain-text articles never pays for them.
    """

    def __init__(self, targets: dict[str, str]) -> None:
        self._targets = targets
        self._loaded: dict[str, Loader] = {}

    def __getitem__(self, name: str) -> Loader:
        if name not in self._loaded:
            module, function = self._targets[name].split(":")
            self._loaded[name] = getattr(importlib.import_module(module), function)
        return self._loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._targets)

    def __len__(self) -> int:
        return len(self._targets)


LOADERS: Mapping[str, Loader] = _Loaders(
    {
        "text": "tqcheck.loaders.text:load_text",
        "lines": "tqcheck.loaders.lines:load_lines",
        "markdown": "tqcheck.loaders.markdown:load_markdown",
        "html": "tqcheck.loaders.html:load_html",
        "xliff": "tqcheck.loaders.xliff:load_xliff",
        "po": "tqcheck.loaders.po:load_po",
        "jsonl": "tqcheck.loaders.jsonl:load_jsonl",
    }
)

# Formats that --source can align with: one segment per line.
ALIGNABLE = frozenset(("text", "lines"))

EXTENSIONS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    # sacrebleu / WMT convention: one segment per line.
    ".en": "lines",
    ".hyp": "lines",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xlf": "xliff",
    ".xliff": "xliff",
    ".po": "po",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    "": "text",
}


def format_for(path: str) -> str | None:
    """Return the input format a path's extension selects, or None if it is not an article."""
    # (os.path, not PurePath: this runs once per file of a run over thousands.)
    name = os.path.basename(path.rstrip("/"))
    dot = name.rfind(".")
    suffix = name[dot:] if 0 < dot < len(name) - 1 else ""  # what PurePath.suffix gives
    return EXTENSIONS.get(suffix.lower())


def load_bytes(
    path: str,
    data: bytes,
    *,
    encoding: str | None = None,
    input_format: str | None = None,
    source: str | None = None,
    source_name: str = "the source file",
) -> Document:
    """Decode bytes and build the document with the loader for the format.

    With ``source`` (the decoded text of a line-aligned source file) the document is read
    one segment per line, each with its source line attached.
    """
    fmt = input_format or format_for(path) or "text"
    loader = LOADERS.get(fmt)
    if loader is None:
        known = ", ".join(sorted(LOADERS))
        raise InputError(f"unknown input format {fmt!r} (known: {known})")
    text, enc = decode(data, encoding)
    if source is not None:
        fmt = _aligned_format(fmt)
        document = load_parallel(path, text, source, source_name)
    else:
        document = loader(path, text)
    return Document(
        path=document.path,
        text=document.text,
        segments=document.segments,
        encoding=enc,
        format=fmt,
    )


def load_string(
    path: str, text: str, *, input_format: str = "text", source: str | None = None
) -> Document:
    """Build a document from already decoded text (line-aligned with source, if given)."""
    loader = LOADERS.get(input_format)
    if loader is None:
        raise InputError(f"unknown input format {input_format!r}")
    if source is not None:
        _aligned_format(input_format)
        return load_parallel(path, text, source)
    return loader(path, text)


def _aligned_format(fmt: str) -> str:
    """Return the format of a line-aligned document, refusing formats with their own source."""
    if fmt not in ALIGNABLE:
        raise InputError(
            f"--source needs a line-aligned file (one segment per line), not {fmt}; "
            "XLIFF and PO files carry their own source"
        )
    return "lines"
