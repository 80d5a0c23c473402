"""The work on one document: fix it to a fixed point, count its words, diff it.

The runner (local or Dask) calls these for each file; the API re-exports them. Nothing here
imports the API, so data flows one way: api → runner → pipeline → engine.
"""

from __future__ import annotations

import difflib

from tqcheck.document import Document
from tqcheck.engine import Engine
from tqcheck.findings import FileResult, Finding
from tqcheck.fix import Applicability, FixOutcome, fix_to_fixed_point
from tqcheck.loaders import load_string
from tqcheck.loaders.structure import structure_keeper


def count_words(document: Document) -> int:
    """Count the words of a document's prose segments."""
    return sum(len(segment.text.split()) for segment in document.segments)


def fix_string(
    engine: Engine,
    path: str,
    text: str,
    input_format: str,
    unsafe: bool,
    source: str | None = None,
) -> FixOutcome:
    """Apply fixes to a text of a format until none applies (safe ones unless unsafe)."""

    def check(current: str) -> list[Finding]:
        document = load_string(path, current, input_format=input_format, source=source)
        return engine.check(document)

    return fix_to_fixed_point(
        text,
        check,
        Applicability.required(unsafe),
        keeps=structure_keeper(input_format),
    )


def fix_document(
    engine: Engine, document: Document, unsafe: bool, source: str | None = None
) -> FixOutcome:
    """Apply fixes to a loaded document until none applies (safe ones unless unsafe)."""
    return fix_string(engine, document.path, document.text, document.format, unsafe, source)


def unified_diff(result: FileResult) -> str:
    """Return the unified diff between a file and its fixed text ("" when unchanged).

    The diff is a valid patch: lines are split at line feeds only (as ``patch`` reads them; a
    lone CR, U+2028 or a form feed stays inside its line), and a last line without a line feed
    gets GNU diff's "No newline at end of file" marker.
    """
    if result.fixed_text is None:
        return ""
    out: list[str] = []
    for line in difflib.unified_diff(
        _patch_lines(result.text),
        _patch_lines(result.fixed_text),
        fromfile=f"a/{result.path}",
        tofile=f"b/{result.path}",
    ):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _patch_lines(text: str) -> list[str]:
    """Split text into lines the way patch does: at line feeds, keeping them."""
    lines = text.split("\n")
    tail = lines.pop()
    return [line + "\n" for line in lines] + ([tail] if tail else [])
