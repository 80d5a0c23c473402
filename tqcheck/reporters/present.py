"""One view of a run that every reporter renders from: checked files and the score gate.

A reporter never reads a file or recomputes what the run decided. ``FileView`` is one checked
file (its path relative to the repository root, the text its findings' offsets refer to — the
fixed text after ``--fix`` — with its line index, fingerprints and each fix's visible change);
``Gate`` is one file's verdict under ``--max-penalty``, made once from the run's score.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from tqcheck.baseline import FindingKey, finding_keys
from tqcheck.document import LineIndex
from tqcheck.findings import FileResult, Finding, Report
from tqcheck.fix import apply_edits_within
from tqcheck.mqm import DocumentScore
from tqcheck.reporters.common import repo_path, repository_root


@dataclass(frozen=True)
class FileView:
    """Present one file's results the way reporters need them: paths, lines, fingerprints."""

    result: FileResult
    path: str  # relative to the repository root

    @cached_property
    def keys(self) -> tuple[FindingKey, ...]:
        """Return each finding's content fingerprint (computed when a reporter asks)."""
        return tuple(finding_keys(self.result, self.path))

    @property
    def text(self) -> str:
        """Return the text the findings' offsets refer to (the fixed text after --fix)."""
        return self.result.checked_text

    def correction(self, finding: Finding) -> tuple[str, str] | None:
        """Return the text a finding's fix changes and what it becomes, for display.

        The span covers the finding and every edit; a fix that adds or removes a word also shows
        the word on either side ("at high level" → "at a high level"). None when the fix crosses a
        line break (a joined paragraph reads better as the rule's own suggestion).
        """
        if finding.fix is None or not finding.fix.edits:
            return None
        edits = sorted(finding.fix.edits, key=lambda e: e.offset)
        start = min(finding.offset, edits[0].offset)
        end = max(finding.end_offset, max(e.end_offset for e in edits))
        text = self.text
        old, new = text[start:end], apply_edits_within(text, start, end, edits)
        if "\n" in old or "\r" in old:
            return None
        short = len(old.split()) <= 1 or not new.strip()
        if old.strip() and short and len(old.split()) != len(new.split()):
            # A word added or removed ("at high level" → "at a high level"): show its neighbours.
            start, end = _word_before(text, start), _word_after(text, end)
            old, new = text[start:end], apply_edits_within(text, start, end, edits)
        return old, new

    @cached_property
    def lines(self) -> LineIndex:
        """Return the line index of the text."""
        return LineIndex(self.text)

    def position(self, offset: int) -> tuple[int, int]:
        """Return the 1-based (line, character column) of an offset."""
        return self.lines.position(offset)

    def byte_position(self, offset: int) -> tuple[int, int]:
        """Return the 1-based (line, UTF-8 byte column) of an offset (reviewdog counts bytes)."""
        line, column = self.lines.position(offset)
        start = self.lines.starts[line - 1]
        return line, len(self.text[start : start + column - 1].encode("utf-8", "surrogatepass")) + 1

    def snippet_line(self, line: int) -> str:
        """Return the text of a 1-based line."""
        return self.lines.line_text(line)


# A word shown around a fix never reaches into markup ("level</h1>" shows as "level").
_MARKUP = frozenset("<>")


def _word_before(text: str, start: int) -> int:
    """Return where the word before start begins (on the same line)."""
    i = start
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    while i > 0 and not text[i - 1].isspace() and text[i - 1] not in _MARKUP:
        i -= 1
    return i


def _word_after(text: str, end: int) -> int:
    """Return where the word after end ends (on the same line)."""
    i = end
    while i < len(text) and text[i] in " \t":
        i += 1
    while i < len(text) and not text[i].isspace() and text[i] not in _MARKUP:
        i += 1
    return i


def file_views(report: Report, root: Path | None = None) -> list[FileView]:
    """Return a view of every checked file, paths relative to the repository root."""
    root = root or repository_root()
    views: list[FileView] = []
    for result in report.results:
        path = repo_path(result.path, root)
        views.append(FileView(result, path))
    return views


@dataclass(frozen=True)
class Gate:
    """Say how one file fares under ``--max-penalty``: the verdict, its reason, its score."""

    path: str  # as the run shows it (relative to the working folder when inside it)
    passed: bool
    reason: str  # why it failed ("" when it passed or no limit was set)
    breakdown: str  # the run's penalty per category, heaviest first
    limit: float | None  # the --max-penalty limit (None: no gate, only a score)
    document: DocumentScore

    @property
    def properties(self) -> dict[str, Any]:
        """Return the file's score in the public JSON shape."""
        return self.document.to_dict(self.limit)


def gates(report: Report) -> tuple[Gate, ...]:
    """Return every scored file's gate, in report order (none without a score)."""
    score = report.score
    if score is None:
        return ()
    limit = score.max_penalty
    breakdown = score.breakdown()  # run-wide: computed once, not per file
    return tuple(
        Gate(
            document.path,
            not document.exceeds(limit),
            score.reason(document) if document.exceeds(limit) else "",
            breakdown,
            limit,
            document,
        )
        for document in score.documents
    )


def failed_gates(report: Report) -> tuple[Gate, ...]:
    """Return the gates of the files over ``--max-penalty``."""
    return tuple(g for g in gates(report) if not g.passed)


def suggestion_text(finding: Finding, limit: int = 3) -> str:
    """Return a finding's suggestions as “a” | “b” (the first ``limit``), or ""."""
    return " | ".join(f"“{s}”" for s in finding.suggestions[:limit])
