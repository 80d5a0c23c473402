"""Text reporter in the style of ruff and rustc: location, code, message, source, carets."""

from __future__ import annotations

from tqcheck.findings import BaselineSummary, Finding, Report
from tqcheck.fix import Applicability
from tqcheck.mqm import RunScore
from tqcheck.reporters import RenderOptions
from tqcheck.reporters.present import FileView, failed_gates, file_views
from tqcheck.rule import Severity
from tqcheck.wording import plural

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


# Frames are this wide when the output is not a terminal (a CI log, a file).
_WIDTH = 100


def _window(source: str, start: int, end: int, width: int = _WIDTH) -> tuple[str, int, int]:
    """Cut a long line to about ``width`` characters around the span, marking cuts with "…"."""
    if len(source) <= width:
        return source, start, end
    room = max(20, width - 2)  # the two ellipses
    left = max(0, min(start - room // 3, len(source) - room))
    right = min(len(source), max(left + room, min(end, left + room)))
    prefix = "…" if left > 0 else ""
    suffix = "…" if right < len(source) else ""
    shift = left - len(prefix)
    return prefix + source[left:right] + suffix, start - shift, min(end, right) - shift


def _names(text: str) -> str:
    """Name the characters of a whitespace run: "NO-BREAK SPACE", "2 × SPACE"."""
    import unicodedata

    if not text:
        return ""
    if len(set(text)) == 1:
        name = unicodedata.name(text[0], f"U+{ord(text[0]):04X}")
        return name if len(text) == 1 else f"{len(text)} × {name}"
    return " + ".join(unicodedata.name(c, f"U+{ord(c):04X}") for c in text)


def _quoted(text: str) -> str:
    return f"“{_visible(text)}”"


def _fix_line(finding: Finding, view: FileView) -> tuple[str, str] | None:
    """Return the label and text of the fix or suggestion line, or None."""
    label = "fix" if finding.fixable else "suggestion"
    correction = view.correction(finding)
    if correction is not None:
        old, new = correction
        if not old.strip() and not new.strip():
            # An invisible change (a no-break space, a doubled space): name the characters.
            shown = f"{_names(old)} → {_names(new) or 'nothing'}"
        elif not new:
            shown = f"delete {_quoted(old)}"
        else:
            shown = f"{_quoted(old)} → {_quoted(new)}"
        others = [s for s in finding.suggestions[1:3]]
        if others:
            shown += "; or " + " | ".join(_quoted(s) if s else "delete" for s in others)
        return label, shown
    if finding.suggestions:
        return label, " | ".join(
            _quoted(s) if s else f"delete {_quoted(finding.text)}" for s in finding.suggestions[:3]
        )
    return None


def render_finding(
    finding: Finding, view: FileView, paint: _Paint, concise: bool, width: int | None = None
) -> str:
    """Render one finding; with its source line, carets and fix unless concise."""
    color = _COLORS[finding.severity]
    head = (
        f"{paint(finding.path, _BOLD)}:{finding.line}:{finding.column}: "
        f"{paint(finding.rule, color, _BOLD)} {_marker(finding)}{finding.message}"
    )
    if concise:
        return head
    out = [head]
    if 0 < finding.line <= view.lines.line_count:
        number = str(finding.line)
        gutter = " " * len(number)
        source = view.snippet_line(finding.line)
        start = finding.column - 1
        end = finding.end_column - 1 if finding.end_line == finding.line else len(source)
        # The frame must fit the terminal, or it wraps and the carets land on the wrong line.
        room = (width or _WIDTH) - len(number) - 3
        source, start, end = _window(source, start, end, max(20, room))
        carets = max(1, end - start)
        out.append(f"{paint(gutter + ' |', _CYAN)}")
        out.append(f"{paint(number + ' |', _CYAN)} {_visible(source)}")
        # The rule's name follows the carets when it fits the width (it must not wrap).
        fits = len(gutter) + 3 + end + 1 + len(finding.name) <= (width or _WIDTH)
        name = f" {paint(finding.name, color)}" if fits else ""
        out.append(
            f"{paint(gutter + ' |', _CYAN)} {' ' * start}{paint('^' * carets, color, _BOLD)}{name}"
        )
        out.append(f"{paint(gutter + ' |', _CYAN)}")
        fix = _fix_line(finding, view)
        if fix is not None:
            label, shown = fix
            out.append(f"{paint(gutter + ' = ', _CYAN)}{paint(label, _GREEN, _BOLD)}: {shown}")
        out.append("")
    return "\n".join(out)


def render(report: Report, options: RenderOptions) -> str:
    """Render every finding, then (unless -q) a summary; counts by rule with --statistics.

    File errors are not part of the report text: the command line writes them to stderr.
    """
    paint = _Paint(options.color)
    concise = options.format == "concise"
    parts: list[str] = []
    for view in file_views(report):
        for finding in view.result.findings:
            parts.append(render_finding(finding, view, paint, concise, options.width))
    if options.statistics:
        parts.append(statistics(report))
    if options.summary:
        parts.append(summary_line(report, paint, show_score=options.show_score))
    return "\n".join(parts) + "\n" if parts else ""


def statistics(report: Report) -> str:
    """Count the findings by rule, most frequent first (like ``ruff --statistics``)."""
    counts: dict[str, tuple[int, int, str]] = {}
    for finding in report.findings:
        count, fixable, _ = counts.get(finding.rule, (0, 0, finding.name))
        counts[finding.rule] = (count + 1, fixable + finding.fixable, finding.name)
    if not counts:
        return ""
    order = sorted(counts.items(), key=lambda item: (-item[1][0], item[0]))
    digits = len(str(order[0][1][0]))
    return (
        "\n".join(
            f"{count:>{digits}}\t{code}\t{'[*]' if fixable else '   '} {name}"
            for code, (count, fixable, name) in order
        )
        + "\n"
    )


def summary_line(report: Report, paint: _Paint | None = None, *, show_score: bool = False) -> str:
    """Summarise counts, fixable findings and fixes applied (and the score with show_score)."""
    paint = paint or _Paint(False)
    summary = report.summary()
    files = summary["files"]
    count = summary["findings"]
    lines: list[str] = []
    if summary["fixed"]:
        by_rule = sorted(summary["fixed_by_rule"].items(), key=lambda item: (-item[1], item[0]))
        detail = ", ".join(f"{code} ×{n}" for code, n in by_rule)
        detail = f" ({detail})" if detail else ""
        lines.append(f"Fixed {plural(summary['fixed'], 'finding')}{detail}.")
    if count == 0:
        lines.append(paint(f"All checks passed ({plural(files, 'file')} checked).", _GREEN, _BOLD))
    else:
        sev = summary["by_severity"]
        detail = ", ".join(f"{sev[s.value]} {s.value}" for s in reversed(Severity) if sev[s.value])
        lines.append(
            paint(f"Found {plural(count, 'finding')} ({detail}) in {plural(files, 'file')}.", _BOLD)
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
        lines.append(paint(f"{plural(summary['errors'], 'file error')}.", _COLORS[Severity.ERROR]))
    if report.baseline is not None:
        lines.append(baseline_line(report.baseline))
    if report.score is not None and report.results and show_score:
        lines.extend(score_lines(report.score, paint))
    # A file over --max-penalty fails the run, so its line is always shown.
    lines.extend(
        paint(f"{gate.path}: {gate.reason}.", _COLORS[Severity.ERROR], _BOLD)
        for gate in failed_gates(report)
    )
    return "\n".join(lines)


def score_lines(score: RunScore, paint: _Paint | None = None) -> list[str]:
    """Summarise the unconfirmed-issue score: total, categories and the highest file."""
    paint = paint or _Paint(False)
    lines = [score.headline()]
    if score.breakdown():
        lines.append(f"  penalty by category: {score.breakdown()}.")
    if len(score.documents) > 1:
        worst = max(score.documents, key=lambda d: (d.per_1k, d.path))
        lines.append(f"  highest: {worst.path} ({worst.per_1k:.2f} per 1,000 words).")
    return lines


def baseline_line(baseline: BaselineSummary) -> str:
    """Say how many findings a baseline hid and how many of its entries are stale."""
    hidden, stale = baseline.baselined, baseline.stale
    findings = plural(hidden, "known finding")
    entries = plural(stale, "stale entry", "stale entries")
    if baseline.updated:
        return f"Updated baseline {baseline.path}: {findings} recorded, {entries} dropped."
    line = f"Baseline {baseline.path}: {findings} hidden, {entries}."
    if stale:
        line += f" Run with --update-baseline to drop {'it' if stale == 1 else 'them'}."
    return line
