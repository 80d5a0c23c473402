"""Text reporter in the style of ruff and rustc: location, code, message, source, carets."""

from __future__ import annotations

from tqcheck.findings import BaselineSummary, Finding, Report
from tqcheck.fix import Applicability
from tqcheck.mqm import RunScore
from tqcheck.reporters import RenderOptions
from tqcheck.rule import Severity

_RESET = "\033[0m"
_BOLD = "\033[1m"
_DIM = "\033[2m"
_COLORS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
_CYAN = "\033[36m"
_GREEN = "\033[32m"


class _Paint:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, *codes: str) -> str:
        if not self.enabled or not codes:
            return text
        return "".join(codes) + text + _RESET


def _marker(finding: Finding) -> str:
    if finding.fix is None:
        return ""
    if finding.fix.applicability is Applicability.SAFE:
        return "[*] "
    return ""


def _visible(text: str) -> str:
    return text.replace("\t", " ").replace("\u00a0", " ").replace("\u202f", " ")


_WIDTH = 100


def _window(source: str, start: int, end: int) -> tuple[str, int, int]:
    """Cut a long line to about _WIDTH characters around the span, marking cuts with an ellipsis."""
    if len(source) <= _WIDTH:
        return source, start, end
    left = max(0, min(start - 30, len(source) - _WIDTH))
    right = min(len(source), max(left + _WIDTH, end + 10))
    prefix = "…" if left > 0 else ""
    suffix = "…" if right < len(source) else ""
    shift = left - len(prefix)
    return prefix + source[left:right] + suffix, start - shift, end - shift


def render_finding(finding: Finding, lines: list[str], paint: _Paint, concise: bool) -> str:
    """Render one finding; with source lines unless concise."""
    color = _COLORS[finding.severity]
    head = (
        f"{paint(finding.path, _BOLD)}:{finding.line}:{finding.column}: "
        f"{paint(finding.rule, color, _BOLD)} {_marker(finding)}{finding.message}"
    )
    if concise:
        return head
    out = [head]
    if 0 < finding.line <= len(lines):
        number = str(finding.line)
        gutter = " " * len(number)
        source = lines[finding.line - 1]
        start = finding.column - 1
        end = finding.end_column - 1 if finding.end_line == finding.line else len(source)
        source, start, end = _window(source, start, end)
        width = max(1, end - start)
        out.append(f"{paint(gutter + ' |', _CYAN)}")
        out.append(f"{paint(number + ' |', _CYAN)} {_visible(source)}")
        out.append(
            f"{paint(gutter + ' |', _CYAN)} {' ' * start}{paint('^' * width, color, _BOLD)} "
            f"{paint(finding.name, color)}"
        )
        out.append(f"{paint(gutter + ' |', _CYAN)}")
        if finding.suggestions:
            label = "fix" if finding.fixable else "suggestion"
            shown = " | ".join(f"“{_visible(s)}”" for s in finding.suggestions[:3])
            out.append(f"{paint(gutter + ' = ', _CYAN)}{paint(label, _GREEN, _BOLD)}: {shown}")
        out.append("")
    return "\n".join(out)


def render(report: Report, options: RenderOptions) -> str:
    """Render every finding and error, then a summary line."""
    paint = _Paint(options.color)
    concise = options.format == "concise"
    parts: list[str] = []
    for result in report.results:
        lines = result.text.splitlines()
        for finding in result.findings:
            parts.append(render_finding(finding, lines, paint, concise))
    for error in report.errors:
        label = paint("error", _COLORS[Severity.ERROR], _BOLD)
        parts.append(f"{paint(error.path, _BOLD)}: {label}: {error.message}")
    parts.append(summary_line(report, paint))
    return "\n".join(parts) + "\n"


def summary_line(report: Report, paint: _Paint | None = None) -> str:
    """Summarise counts, fixable findings and fixes applied in one or two lines."""
    paint = paint or _Paint(False)
    summary = report.summary()
    files = summary["files"]
    count = summary["findings"]
    file_word = "file" if files == 1 else "files"
    lines: list[str] = []
    if summary["fixed"]:
        lines.append(f"Fixed {summary['fixed']} finding{'s' if summary['fixed'] != 1 else ''}.")
    if count == 0:
        lines.append(paint(f"All checks passed ({files} {file_word} checked).", _GREEN, _BOLD))
    else:
        sev = summary["by_severity"]
        detail = ", ".join(f"{sev[s.value]} {s.value}" for s in reversed(Severity) if sev[s.value])
        plural = "s" if count != 1 else ""
        lines.append(
            paint(f"Found {count} finding{plural} ({detail}) in {files} {file_word}.", _BOLD)
        )
        fixable = summary["fixable"]
        unsafe = sum(
            1
            for f in report.findings
            if f.fix is not None and f.fix.applicability is Applicability.UNSAFE
        )
        if fixable:
            lines.append(f"[*] {fixable} fixable with --fix.")
        if unsafe:
            lines.append(f"{unsafe} more fixable with --fix --unsafe-fixes.")
    if summary["errors"]:
        lines.append(
            paint(
                f"{summary['errors']} file error{'s' if summary['errors'] != 1 else ''}.",
                _COLORS[Severity.ERROR],
            )
        )
    if report.baseline is not None:
        lines.append(baseline_line(report.baseline))
    if report.score is not None and report.results:
        lines.extend(score_lines(report.score, paint))
    return "\n".join(lines)


def score_lines(score: RunScore, paint: _Paint | None = None) -> list[str]:
    """Summarise the unconfirmed-issue score: total, categories, worst file, files over limit."""
    paint = paint or _Paint(False)
    lines = [score.headline()]
    if score.breakdown():
        lines.append(f"  penalty by category: {score.breakdown()}.")
    if len(score.documents) > 1:
        worst = max(score.documents, key=lambda d: (d.per_1k, d.path))
        lines.append(f"  highest: {worst.path} ({worst.per_1k:.2f} per 1,000 words).")
    for document in score.failed:
        reason = f"{document.path}: {score.reason(document)}."
        lines.append(paint(reason, _COLORS[Severity.ERROR], _BOLD))
    return lines


def baseline_line(baseline: BaselineSummary) -> str:
    """Say how many findings a baseline hid and how many of its entries are stale."""
    hidden, stale = baseline.baselined, baseline.stale
    findings = f"{hidden} known finding{'s' if hidden != 1 else ''}"
    entries = f"{stale} stale entr{'ies' if stale != 1 else 'y'}"
    if baseline.updated:
        return f"Updated baseline {baseline.path}: {findings} recorded, {entries} dropped."
    line = f"Baseline {baseline.path}: {findings} hidden, {entries}."
    if stale:
        line += " Run with --update-baseline to drop them."
    return line
