"""GitHub Actions reporter: workflow commands that become annotations on the pull request.

``::error file=…,line=…,endLine=…,col=…,endColumn=…,title=…::message`` per finding, most
severe first (GitHub shows only ten annotations of each level per step). When
``GITHUB_STEP_SUMMARY`` names a file, a Markdown table of every finding is appended to it, so
nothing is lost to that limit.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from tqcheck.findings import Finding, Report
from tqcheck.mqm import RunScore
from tqcheck.reporters import RenderOptions
from tqcheck.reporters.common import repo_path, repository_root, severity_order
from tqcheck.reporters.present import failed_gates, file_views, suggestion_text
from tqcheck.rule import Severity
from tqcheck.wording import plural

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
SUMMARY_ENV = "GITHUB_STEP_SUMMARY"


def escape_data(value: str) -> str:
    """Escape a workflow command's message (``%``, CR and LF)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a workflow command property value (also ``:`` and ``,``)."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def command(
    level: str, message: str, *, title: str, file: str, span: tuple[int, int, int, int] | None
) -> str:
    """Return one workflow command line."""
    props = [f"file={escape_property(file)}"]
    if span is not None:
        line, column, end_line, end_column = span
        props += [f"line={line}", f"endLine={end_line}", f"col={column}"]
        props.append(f"endColumn={end_column}")
    props.append(f"title={escape_property(title)}")
    return f"::{level} {','.join(props)}::{escape_data(message)}"


def _message(finding: Finding) -> str:
    message = finding.message
    if finding.suggestions:
        label = "fix" if finding.fix is not None else "suggestion"
        message += f"\n{label}: " + suggestion_text(finding)
    return message


def render(report: Report, options: RenderOptions) -> str:
    """Render the report as workflow commands (the step summary is ``write_step_summary``'s)."""
    paths = {view.result.path: view.path for view in file_views(report)}
    lines: list[str] = []
    for finding in sorted(report.findings, key=severity_order):
        lines.append(
            command(
                COMMANDS[finding.severity],
                _message(finding),
                title=f"{finding.rule} {finding.name}",
                file=paths.get(finding.path, finding.path),
                span=(finding.line, finding.column, finding.end_line, finding.end_column),
            )
        )
    root = repository_root()
    for error in report.errors:
        lines.append(
            command(
                "error",
                error.message,
                title="tqcheck could not check this file",
                file=repo_path(error.path, root),
                span=None,
            )
        )
    lines += [
        command(
            "error", gate.reason, title="mqm-penalty", file=repo_path(gate.path, root), span=None
        )
        for gate in failed_gates(report)
    ]
    lines.append(_summary_line(report))
    if report.score is not None and report.results and options.show_score:
        lines.append(f"tqcheck: {report.score.headline()}")
    return "\n".join(lines) + "\n"


def write_step_summary(report: Report) -> str | None:
    """Append the Markdown job summary to ``$GITHUB_STEP_SUMMARY``; return a warning or None.

    Called by the command line after rendering, so that rendering stays free of side effects.
    """
    target = os.environ.get(SUMMARY_ENV)
    if not target:
        return None
    paths = {view.result.path: view.path for view in file_views(report)}
    try:
        with Path(target).open("a", encoding="utf-8") as stream:
            stream.write(step_summary(report, paths))
    except OSError as exc:
        return f"{target}: could not write the step summary: {exc.strerror or exc}"
    return None


def _summary_line(report: Report) -> str:
    summary = report.summary()
    sev = summary["by_severity"]
    counts = ", ".join(f"{sev[s.value]} {s.value}" for s in reversed(Severity) if sev[s.value])
    files = plural(summary["files"], "file")
    if not summary["findings"]:
        return f"tqcheck: no findings in {files}."
    return f"tqcheck: {plural(summary['findings'], 'finding')} ({counts}) in {files}."


def _cell(value: str) -> str:
    """Make text safe inside a Markdown table cell (no pipes, breaks or raw HTML)."""
    return (
        value.replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\r\n", " ")
        .replace("\n", " ")
        .replace("\r", " ")
        .replace("\u00a0", "␣")
    )


def _score_table(score: RunScore, paths: dict[str, str]) -> list[str]:
    """Return the unconfirmed-issue score of every file as Markdown (limit and verdict too)."""
    limit = f" (`--max-penalty {score.max_penalty:g}`)" if score.max_penalty is not None else ""
    out = [
        "",
        f"### Unconfirmed-issue score{limit}",
        "",
        _cell(score.headline()),
        "",
        "| file | words | counted issues | penalty | per 1,000 words | gate |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for d in score.documents:
        gate = "fail" if d.exceeds(score.max_penalty) else "ok"
        if score.max_penalty is None:
            gate = ""
        out.append(
            f"| {_cell(paths.get(d.path, d.path))} | {d.words} | {d.counted} | "
            f"{d.penalty:.1f} | {d.per_1k:.2f} | {gate} |"
        )
    if score.breakdown():
        out += ["", f"Penalty by category: {_cell(score.breakdown())}."]
    return out


def step_summary(report: Report, paths: dict[str, str]) -> str:
    """Return the Markdown job summary: counts, then every finding (most severe first)."""
    summary = report.summary()
    findings = sorted(report.findings, key=severity_order)
    out = ["## tqcheck", ""]
    if not findings:
        out.append(f"No findings in {plural(summary['files'], 'file')}.")
    else:
        sev = summary["by_severity"]
        counts = ", ".join(f"{sev[s.value]} {s.value}" for s in reversed(Severity))
        files = plural(summary["files"], "file")
        out.append(f"**{plural(len(findings), 'finding')}** ({counts}) in {files}.")
        by_rule = Counter((f.rule, f.name) for f in findings)
        out += ["", "| rule | name | count |", "|---|---|---:|"]
        for (code, name), count in sorted(by_rule.items()):
            out.append(f"| {code} | {name} | {count} |")
        out += [
            "",
            "| severity | location | rule | text | message | suggestion |",
            "|---|---|---|---|---|---|",
        ]
        for f in findings:
            where = f"{paths.get(f.path, f.path)}:{f.line}:{f.column}"
            best = f.suggestions[0] if f.suggestions else ""
            out.append(
                f"| {f.severity.value} | {_cell(where)} | {f.rule} {f.name} | "
                f"{_cell(f.text)} | {_cell(f.message)} | {_cell(best)} |"
            )
    if report.errors:
        out += ["", "| file | error |", "|---|---|"]
        out += [f"| {_cell(e.path)} | {_cell(e.message)} |" for e in report.errors]
    if report.baseline is not None:
        b = report.baseline
        out += ["", f"Baseline `{b.path}`: {b.baselined} known findings hidden, {b.stale} stale."]
    if report.score is not None and report.results:
        out += _score_table(report.score, paths)
    out += ["", f"<sub>{_cell(report.signature)}</sub>", ""]
    return "\n".join(out) + "\n"
