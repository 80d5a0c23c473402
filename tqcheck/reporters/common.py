"""Helpers the machine-readable reporters share: repository paths, rule lookup, positions."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from tqcheck.baseline import FindingKey, finding_keys
from tqcheck.document import LineIndex
from tqcheck.findings import FileResult, Finding, Report
from tqcheck.fix import apply_edits_within
from tqcheck.rule import MARK_CLOSE, MARK_OPEN, Rule

TOOL_NAME = "tqcheck"
INFORMATION_URI = "https://github.com/tqcheck/tqcheck"
STDIN_NAME = "-"


def repository_root(start: Path | None = None) -> Path:
    """Return the enclosing repository's root (the nearest folder with ``.git``), else cwd.

    Code-scanning services resolve report paths against the repository root, so paths in
    SARIF, GitLab, GitHub and reviewdog reports are made relative to it.
    """
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return here


def repo_path(path: str, root: Path) -> str:
    """Return a checked file's path relative to the repository root, with forward slashes."""
    if path == STDIN_NAME:
        return path
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return Path(path).as_posix()


def severity_order(finding: Finding) -> tuple[int, str, int, int, str]:
    """Return a sort key that puts the most severe findings first, then by place."""
    return (-finding.severity.rank, finding.path, finding.offset, finding.end_offset, finding.rule)


def rules_by_code(report: Report) -> dict[str, Rule]:
    """Return the rule of every code the report mentions (the run's rules, else the shipped)."""
    rules = {rule.code: rule for rule in report.rules}
    missing = {f.rule for f in report.findings} - set(rules)
    if missing:
        from tqcheck.api import load_ruleset

        shipped = load_ruleset()
        for code in sorted(missing):
            rule = shipped.get(code)
            if rule is not None:
                rules[code] = rule
    return rules


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


def code_span(text: str) -> str:
    """Return text as a Markdown code span, fenced with enough backticks."""
    fence = "`" * (max(_backtick_runs(text), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _backtick_runs(text: str) -> list[int]:
    runs: list[int] = []
    count = 0
    for char in text:
        if char == "`":
            count += 1
        elif count:
            runs.append(count)
            count = 0
    if count:
        runs.append(count)
    return runs


def _example_text(rule: Rule, index: int) -> str:
    example = rule.examples[index]
    if not example.bad or example.span is None:
        return example.text
    start, end = example.span
    return (
        example.text[:start] + MARK_OPEN + example.text[start:end] + MARK_CLOSE + example.text[end:]
    )


def rule_help_text(rule: Rule) -> str:
    """Return a rule's documentation as plain text (what, why, instead, fix safety, examples)."""
    lines = [
        f"{rule.code} {rule.name} ({rule.severity.value}, {rule.category}, "
        f"fix: {rule.applicability.value})",
        "",
        f"What it flags: {rule.doc.what}",
        f"Why: {rule.doc.why}",
        f"Use instead: {rule.doc.use_instead}",
        f"Fix safety: {rule.doc.fix_safety}",
    ]
    if rule.examples:
        lines.append("")
        lines.append("Examples:")
    for index, example in enumerate(rule.examples):
        label = "bad: " if example.bad else "good:"
        lines.append(f"  {label} {_example_text(rule, index)!r}")
    return "\n".join(lines)


def rule_help_markdown(rule: Rule) -> str:
    """Return a rule's documentation as Markdown (code scanning shows it beside an alert)."""
    parts = [
        f"**{rule.code} `{rule.name}`** — {rule.severity.value}, "
        f"category `{rule.category}`, fix: {rule.applicability.value}",
        "",
        f"**What it flags.** {rule.doc.what}",
        "",
        f"**Why.** {rule.doc.why}",
        "",
        f"**Use instead.** {rule.doc.use_instead}",
        "",
        f"**Fix safety.** {rule.doc.fix_safety}",
    ]
    if rule.examples:
        parts += ["", "**Examples**", ""]
    for index, example in enumerate(rule.examples):
        mark = "✗" if example.bad else "✓"
        text = _example_text(rule, index).replace("\n", "⏎")
        fix = f" → {code_span(example.fix)}" if example.bad and example.fix is not None else ""
        parts.append(f"- {mark} {code_span(text)}{fix}")
    return "\n".join(parts)
