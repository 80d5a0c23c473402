"""Line-aligned loaders: one segment per line, optionally with the aligned source line.

This is the convention of sacrebleu and the WMT test sets: ``hyp.en`` and ``src.ru`` hold
the same number of lines and line N of one translates line N of the other.
"""

from __future__ import annotations

import dataclasses

import regex

from tqcheck.document import Document, InputError, OffsetMap, Scope, Segment

# Only LF, CRLF and CR end a line here (not U+2028 or form feeds), as in sacrebleu's reading.
_LINE = regex.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def split_lines(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) span of every line, without its line terminator."""
    spans: list[tuple[int, int]] = []
    for match in _LINE.finditer(text):
        raw = match.group()
        spans.append((match.start(), match.start() + len(raw.rstrip("\r\n"))))
    return spans


def load_lines(path: str, text: str) -> Document:
    """Build a document with one paragraph segment per non-blank line (index = line - 1)."""
    segments: list[Segment] = []
    for number, (start, end) in enumerate(split_lines(text)):
        line = text[start:end]
        lead = len(line) - len(line.lstrip())
        trail = len(line) - len(line.rstrip())
        if end - trail > start + lead:
            segments.append(
                Segment(
                    line[lead : len(line) - trail],
                    Scope.PARAGRAPH,
                    OffsetMap.identity(start + lead, end - trail - start - lead),
                    number,
                )
            )
    return Document(path=path, text=text, segments=tuple(segments), format="lines")


def load_parallel(path: str, text: str, source: str, source_name: str = "source") -> Document:
    """Build a line-aligned document whose segments carry the same line of the source.

    Raises InputError when the two files have different numbers of lines.
    """
    source_lines = [source[s:e] for s, e in split_lines(source)]
    target_spans = split_lines(text)
    if len(source_lines) != len(target_spans):
        raise InputError(
            f"line count mismatch: {len(target_spans)} lines here but "
            f"{len(source_lines)} in {source_name}; line-aligned files need one line per segment"
        )
    document = load_lines(path, text)
    segments = tuple(
        dataclasses.replace(segment, source=source_lines[segment.index].strip())
        for segment in document.segments
    )
    return dataclasses.replace(document, segments=segments)
