"""Findings and reports: the immutable records every reporter renders."""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tqcheck.fix import Applicability, Edit, Fix
from tqcheck.rule import Rule, Severity

if TYPE_CHECKING:
    from tqcheck.mqm import RunScore


@dataclass(frozen=True, slots=True)
class Finding:
    """Record one candidate issue: where it is, which rule found it, and how to fix it.

    Offsets are character offsets into the decoded file; lines and columns are 1-based and
    the end column is exclusive.
    """

    path: str
    rule: str
    name: str
    severity: Severity
    category: str
    message: str
    line: int
    column: int
    end_line: int
    end_column: int
    offset: int
    end_offset: int
    text: str
    suggestions: tuple[str, ...] = ()
    fix: Fix | None = None
    # The translation unit (XLIFF unit id, PO msgid, JSON Lines id) the finding is in.
    unit: str | None = None

    @property
    def fixable(self) -> bool:
        """Say whether the finding has a safe fix."""
        return self.fix is not None and self.fix.applicability is Applicability.SAFE

    def counted(self) -> Finding:
        """Return the finding reduced to what the summary and the score need.

        A streamed run (``--format jsonl``) has already written the finding in full; it keeps
        this for the exit status, the counts and the score: no message, text or suggestions,
        and a fix without edits that still says how safe it was. Memory then stays near
        200 bytes a finding however big the corpus.
        """
        fix = None if self.fix is None else _COUNTED_FIXES[self.fix.applicability]
        return dataclasses.replace(self, name="", message="", text="", suggestions=(), fix=fix)

    def sort_key(self) -> tuple[str, int, int, str]:
        """Return the key that orders findings by file, position and rule."""
        return (self.path, self.offset, self.end_offset, self.rule)

    def shifted(self, chars: int, lines: int, column: int = 0) -> Finding:
        """Return the finding moved by characters and lines (chunks of big files).

        ``column`` is added to columns on the chunk's first line, for a chunk that starts in
        the middle of a line.
        """
        fix = self.fix
        if fix is not None:
            fix = Fix(tuple(e.shifted(chars) for e in fix.edits), fix.applicability, fix.title)
        return dataclasses.replace(
            self,
            line=self.line + lines,
            end_line=self.end_line + lines,
            column=self.column + (column if self.line == 1 else 0),
            end_column=self.end_column + (column if self.end_line == 1 else 0),
            offset=self.offset + chars,
            end_offset=self.end_offset + chars,
            fix=fix,
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any], path: str | None = None) -> Finding:
        """Rebuild a finding from :meth:`to_dict` output (the result cache stores JSON).

        ``path`` replaces the stored path (a cached file shown under another name). The data
        is checked, not trusted (a cache file can be tampered with): a field of the wrong
        type or out of range is a ValueError.
        """
        if not isinstance(data, dict):
            raise ValueError("a finding must be a JSON object")
        for key in _INT_FIELDS:
            value = data.get(key)
            if type(value) is not int or value < 0:
                raise ValueError(f"finding field {key!r} must be a non-negative integer")
        if data["end_offset"] < data["offset"] or min(data["line"], data["end_line"]) < 1:
            raise ValueError("finding span out of range")
        for key in _STR_FIELDS:
            if not isinstance(data.get(key), str):
                raise ValueError(f"finding field {key!r} must be a string")
        suggestions = data.get("suggestions")
        if not isinstance(suggestions, list) or not all(isinstance(s, str) for s in suggestions):
            raise ValueError("finding field 'suggestions' must be a list of strings")
        if data.get("unit") is not None and not isinstance(data["unit"], str):
            raise ValueError("finding field 'unit' must be a string")
        fix_data = data.get("fix")
        if fix_data is not None and not all(
            isinstance(e.get("replacement"), str) and type(e.get("offset")) is int
            for e in fix_data["edits"]
        ):
            raise ValueError("finding fix edits must have integer offsets and a string")
        fix = None
        if fix_data is not None:
            fix = Fix(
                tuple(
                    Edit(e["offset"], e["end_offset"], e["replacement"]) for e in fix_data["edits"]
                ),
                Applicability(fix_data["applicability"]),
                fix_data["title"],
            )
        return cls(
            path=data["path"] if path is None else path,
            rule=data["rule"],
            name=data["name"],
            severity=Severity(data["severity"]),
            category=data["category"],
            message=data["message"],
            line=data["line"],
            column=data["column"],
            end_line=data["end_line"],
            end_column=data["end_column"],
            offset=data["offset"],
            end_offset=data["end_offset"],
            text=data["text"],
            suggestions=tuple(data["suggestions"]),
            fix=fix,
            unit=data.get("unit"),
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the finding in the public JSON shape (see README)."""
        return {
            "path": self.path,
            "rule": self.rule,
            "name": self.name,
            "severity": self.severity.value,
            "category": self.category,
            "message": self.message,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "offset": self.offset,
            "end_offset": self.end_offset,
            "text": self.text,
            "suggestions": list(self.suggestions),
            "fix": None
            if self.fix is None
            else {
                "applicability": self.fix.applicability.value,
                "title": self.fix.title,
                "edits": [
                    {"offset": e.offset, "end_offset": e.end_offset, "replacement": e.replacement}
                    for e in self.fix.edits
                ],
            },
            **({"unit": self.unit} if self.unit is not None else {}),
        }


_COUNTED_FIXES = {a: Fix((), a, "") for a in Applicability}
_INT_FIELDS = ("line", "column", "end_line", "end_column", "offset", "end_offset")
_STR_FIELDS = ("rule", "name", "category", "message", "text")


@dataclass(frozen=True)
class FileError:
    """Record a file that could not be checked or written, and why."""

    path: str
    message: str

    def to_dict(self) -> dict[str, str]:
        """Return the error in the public JSON shape."""
        return {"path": self.path, "message": self.message}


@dataclass(frozen=True)
class FileResult:
    """Hold what checking one file produced."""

    path: str
    findings: tuple[Finding, ...]
    text: str = field(default="", repr=False)
    fixed: int = 0  # number of fixes applied with --fix
    fixed_by_rule: tuple[tuple[str, int], ...] = ()  # (rule code, fixes applied), by code
    fixed_text: str | None = field(default=None, repr=False)
    words: int = 0
    # Offset spans of the prose segments of the checked text (the MQM score caps per segment).
    segments: tuple[tuple[int, int], ...] = field(default=(), repr=False)

    @property
    def checked_text(self) -> str:
        """Return the text the findings' offsets refer to.

        After ``--fix`` changed a file the findings are those that remain in the fixed text;
        otherwise (no fix, ``--diff``, a fix that could not be written) they are the
        original text's.
        """
        return self.fixed_text if self.fixed and self.fixed_text is not None else self.text


@dataclass(frozen=True)
class BaselineSummary:
    """Say what a baseline did to a run: findings hidden as known, entries no longer seen."""

    path: str
    baselined: int
    stale: int
    updated: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Return the summary in the public JSON shape."""
        return {
            "file": self.path,
            "baselined": self.baselined,
            "stale": self.stale,
            "updated": self.updated,
        }


@dataclass(frozen=True)
class Report:
    """Hold the results of one run over many files."""

    version: str
    results: tuple[FileResult, ...]
    errors: tuple[FileError, ...]
    signature: str = ""
    # The rules the run checked (reporters describe them: SARIF rules[], HTML filters).
    rules: tuple[Rule, ...] = field(default=(), repr=False)
    baseline: BaselineSummary | None = None
    # Problems that did not stop the run: rule packs, folders without article files.
    warnings: tuple[str, ...] = ()
    # Files named on the command line that --force-exclude left out.
    excluded: int = 0
    # The MQM-style unconfirmed-issue score of every file (see tqcheck.mqm).
    score: RunScore | None = None

    @property
    def findings(self) -> list[Finding]:
        """Return every finding, in file then position order."""
        return [f for r in self.results for f in r.findings]

    def summary(self) -> dict[str, Any]:
        """Return the counts a summary line and the JSON summary show."""
        findings = self.findings
        by_severity = Counter(f.severity.value for f in findings)
        by_rule = Counter(f.rule for f in findings)
        fixed_by_rule: Counter[str] = Counter()
        for result in self.results:
            fixed_by_rule.update(dict(result.fixed_by_rule))
        return {
            "files": len(self.results),
            "findings": len(findings),
            "fixable": sum(1 for f in findings if f.fixable),
            "fixed": sum(r.fixed for r in self.results),
            "fixed_by_rule": dict(sorted(fixed_by_rule.items())),
            "errors": len(self.errors),
            "by_severity": {s.value: by_severity.get(s.value, 0) for s in Severity},
            "by_rule": dict(sorted(by_rule.items())),
            **({"baseline": self.baseline.to_dict()} if self.baseline is not None else {}),
            **({"score": self.score.to_dict()} if self.score is not None else {}),
        }

    def worst(self) -> Severity | None:
        """Return the most severe severity among the findings, if any."""
        if not self.findings:
            return None
        return max((f.severity for f in self.findings), key=lambda s: s.rank)
