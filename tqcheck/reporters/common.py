"""Helpers the reporters share: repository paths, rule lookup and rule help, code spans."""

from __future__ import annotations

import os
from pathlib import Path

from tqcheck.findings import Finding, Report
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
    """Return the rules the report describes, by code (the session filled in every code)."""
    return {rule.code: rule for rule in report.rules}


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
