"""JUnit XML reporter for CI test dashboards (Jenkins, GitLab, Azure, CircleCI...).

One ``testsuite`` per file and one ``testcase`` per finding; a finding at or above
``--fail-on`` is a ``failure``, one below it a passing case. A clean file gets one passing
case so dashboards count it, and a file that could not be read or written gets an ``error``
case. Each suite's properties carry the file's unconfirmed-issue score; with
``--max-penalty`` an ``mqm-penalty`` case passes or fails with the reason. The output
validates against the Ant JUnit schema (windyroad), which requires a ``timestamp`` and a
``hostname``: the timestamp honours ``SOURCE_DATE_EPOCH`` for reproducible reports.
"""

from __future__ import annotations

import os
import socket
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import regex

from tqcheck.findings import FileError, FileResult, Finding, Report
from tqcheck.mqm import CAVEAT
from tqcheck.reporters import RenderOptions
from tqcheck.reporters.present import Gate, gates, suggestion_text
from tqcheck.rule import Severity

# Characters XML 1.0 cannot carry even escaped; a stray one must not make the report invalid.
_NOT_XML = regex.compile(r"[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")
# The test case of the --max-penalty gate (one per file when a limit is set).
GATE = "mqm-penalty"


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def timestamp() -> str:
    """Return the report time (UTC, no zone, as the schema wants); SOURCE_DATE_EPOCH wins."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (
        datetime.fromtimestamp(int(epoch), UTC) if epoch and epoch.isdigit() else datetime.now(UTC)
    )
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def _hostname() -> str:
    try:
        name = socket.gethostname().strip()
    except OSError:
        name = ""
    return name or "localhost"


def _failing(finding: Finding, fail_on: str) -> bool:
    if fail_on == "never":
        return False
    return finding.severity.rank >= Severity(fail_on).rank


def _details(finding: Finding) -> str:
    lines = [
        f"{finding.path}:{finding.line}:{finding.column}: {finding.rule} {finding.message}",
        f"rule: {finding.rule} {finding.name} ({finding.severity.value}, {finding.category})",
        f"text: {finding.text!r}",
    ]
    if finding.suggestions:
        lines.append("suggestions: " + suggestion_text(finding, limit=len(finding.suggestions)))
    if finding.fix is not None:
        lines.append(f"fix ({finding.fix.applicability.value}): {finding.fix.title}")
    return "\n".join(lines)


def _score_properties(gate: Gate) -> list[tuple[str, str]]:
    """Return a file's unconfirmed-issue score as suite properties."""
    document = gate.document
    prefix = "tqcheck.unconfirmed-issue-score"
    return [
        (f"{prefix}.note", CAVEAT),
        (f"{prefix}.penalty", f"{document.penalty:.4g}"),
        (f"{prefix}.per-1000-words", f"{document.per_1k:.2f}"),
        (f"{prefix}.words", str(document.words)),
        (f"{prefix}.counted-issues", str(document.counted)),
        *((f"{prefix}.category.{c.category}", f"{c.penalty:.4g}") for c in document.by_category),
        *([(f"{prefix}.max-penalty", f"{gate.limit:g}")] if gate.limit is not None else []),
    ]


def _suite(
    parent: ET.Element,
    index: int,
    path: str,
    result: FileResult | None,
    errors: list[FileError],
    options: RenderOptions,
    stamp: str,
    host: str,
    signature: str,
    gate: Gate | None = None,
) -> None:
    suite = ET.SubElement(parent, "testsuite")
    properties = ET.SubElement(suite, "properties")
    for name, value in (("tqcheck.signature", signature), ("tqcheck.fail-on", options.fail_on)):
        ET.SubElement(properties, "property", name=name, value=_clean(value))
    if result is None:
        gate = None
    if gate is not None:
        for name, value in _score_properties(gate):
            ET.SubElement(properties, "property", name=name, value=value)
    tests = failures = 0
    findings = result.findings if result is not None else ()
    for finding in findings:
        tests += 1
        case = ET.SubElement(
            suite,
            "testcase",
            classname=_clean(path),
            name=_clean(
                f"{finding.rule} {finding.name} at {finding.line}:{finding.column} "
                f"({finding.severity.value})"
            ),
            time="0",
        )
        if _failing(finding, options.fail_on):
            failures += 1
            failure = ET.SubElement(
                case,
                "failure",
                message=_clean(finding.message),
                type=f"{finding.rule} {finding.severity.value}",
            )
            failure.text = _clean(_details(finding))
    if result is not None and not findings:
        tests += 1
        ET.SubElement(suite, "testcase", classname=_clean(path), name="no findings", time="0")
    if gate is not None and gate.limit is not None:
        # The --max-penalty gate is a test of its own, passing or failing with its reason.
        tests += 1
        case = ET.SubElement(suite, "testcase", classname=_clean(path), name=GATE, time="0")
        if not gate.passed:
            failures += 1
            failure = ET.SubElement(case, "failure", message=_clean(gate.reason), type=GATE)
            failure.text = _clean(f"{path}: {gate.reason}\n{gate.breakdown}")
    for error in errors:
        tests += 1
        case = ET.SubElement(
            suite, "testcase", classname=_clean(path), name="read and check the file", time="0"
        )
        failure = ET.SubElement(case, "error", message=_clean(error.message), type="file-error")
        failure.text = _clean(f"{error.path}: error: {error.message}")
    ET.SubElement(suite, "system-out")
    ET.SubElement(suite, "system-err")
    suite.attrib.update(
        {
            "name": _clean(path) or "-",
            "package": "tqcheck",
            "id": str(index),
            "timestamp": stamp,
            "hostname": host,
            "tests": str(tests),
            "failures": str(failures),
            "errors": str(len(errors)),
            "skipped": "0",
            "time": "0",
        }
    )


def render(report: Report, options: RenderOptions) -> str:
    """Render the report as JUnit XML."""
    root = ET.Element("testsuites")
    stamp, host = timestamp(), _hostname()
    results = {r.path: r for r in report.results}
    errors: dict[str, list[FileError]] = {}
    for error in report.errors:
        errors.setdefault(error.path, []).append(error)
    paths = list(results) + [p for p in errors if p not in results]
    by_path = {gate.path: gate for gate in gates(report)}
    for index, path in enumerate(paths):
        _suite(
            root,
            index,
            path,
            results.get(path),
            errors.get(path, []),
            options,
            stamp,
            host,
            report.signature,
            by_path.get(path),
        )
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
