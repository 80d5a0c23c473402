"""SARIF 2.1.0 reporter, shaped for GitHub code scanning (upload-sarif).

Columns count Unicode code points, as tqcheck's do, and the run says so (``columnKind``).
A file under the repository root (see :func:`~tqcheck.reporters.common.repository_root`) is
a relative, percent-encoded URI under the ``%SRCROOT%`` base, which ``originalUriBaseIds``
defines as the root's ``file://`` URI; any other file is an absolute ``file://`` URI with no
base, and stdin is ``-`` with no base (SARIF 2.1.0 §3.4, §3.14.14). Fingerprints are
content-based (see :mod:`tqcheck.baseline`) so alerts survive edits elsewhere in the file.
The run's properties carry the unconfirmed-issue score; a file over ``--max-penalty`` is an
error notification with descriptor ``mqm-penalty`` (the tool itself did not fail).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from tqcheck.findings import Finding, Report
from tqcheck.fix import Edit
from tqcheck.mqm import LABEL
from tqcheck.reporters import RenderOptions
from tqcheck.reporters.common import (
    INFORMATION_URI,
    STDIN_NAME,
    TOOL_NAME,
    repository_root,
    rule_help_markdown,
    rule_help_text,
    rules_by_code,
)
from tqcheck.reporters.present import FileView, failed_gates, file_views
from tqcheck.rule import Rule, Severity

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "tqcheckFindingHash/v1"
GATE_ID = "mqm-penalty"  # the notification of a file over --max-penalty
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# GitHub's own severity vocabulary for rules (problem.severity).
PROBLEM_SEVERITY = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "recommendation",
}


def _first_sentence(text: str) -> str:
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


def rule_descriptor(code: str, rule: Rule | None) -> dict[str, Any]:
    """Describe a rule for ``tool.driver.rules``."""
    if rule is None:
        return {"id": code, "name": code, "shortDescription": {"text": code}}
    dimension = rule.category.split("/", 1)[0]
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": _first_sentence(rule.doc.what)},
        "fullDescription": {"text": f"{rule.doc.what} {rule.doc.why}"},
        "help": {"text": rule_help_text(rule), "markdown": rule_help_markdown(rule)},
        # An opt-in rule (selected by this run's configuration) is off by default.
        "defaultConfiguration": {"level": LEVELS[rule.severity]}
        | ({} if rule.enabled else {"enabled": False}),
        "properties": {
            "tags": [rule.category, dimension, "translation-quality"],
            "category": rule.category,
            "precision": "high",
            "problem.severity": PROBLEM_SEVERITY[rule.severity],
            "applicability": rule.applicability.value,
            "pack": rule.pack,
        },
    }


@dataclass(frozen=True)
class Locator:
    """Turn checked paths into SARIF artifact locations against one repository root."""

    root: Path  # absolute and resolved, as repository_root returns it

    def base_ids(self) -> dict[str, Any]:
        """Return ``run.originalUriBaseIds``: ``%SRCROOT%`` as the root's ``file://`` URI."""
        uri = self.root.as_uri()
        # §3.14.14: a base URI ends with a slash, or relative URIs would replace its last part.
        return {SRCROOT: {"uri": uri if uri.endswith("/") else uri + "/"}}

    def location(self, path: str) -> dict[str, Any]:
        """Return the artifactLocation of a checked path (as given on the command line)."""
        if path == STDIN_NAME:
            # Not a file: a relative name with no base, so no viewer looks for it in the root.
            return {"uri": path, "description": {"text": "standard input"}}
        # abspath, not resolve: the same test as repo_path, so a path is relative in SARIF
        # exactly when the other reporters (and the fingerprints) make it relative.
        absolute = Path(os.path.abspath(path))
        try:
            relative = absolute.relative_to(self.root)
        except ValueError:
            # §3.4.4: a uriBaseId only goes with a relative reference; "../" out of the
            # base would name a file the base does not contain.
            return {"uri": absolute.as_uri()}
        # fsencode: a name that is not valid UTF-8 keeps its bytes, percent-encoded.
        return {"uri": quote(os.fsencode(relative.as_posix()), safe="/"), "uriBaseId": SRCROOT}

    def uri(self, path: str) -> str:
        """Return the URI of a checked path, relative to the root when it is under it."""
        return str(self.location(path)["uri"])


def _artifact_location(locator: Locator, view: FileView, index: int) -> dict[str, Any]:
    return locator.location(view.result.path) | {"index": index}


def _region(view: FileView, start: int, end: int, snippet: bool) -> dict[str, Any]:
    line, column = view.position(start)
    end_line, end_column = view.position(end)
    region: dict[str, Any] = {
        "startLine": line,
        "startColumn": column,
        "endLine": end_line,
        "endColumn": end_column,
        "charOffset": start,
        "charLength": end - start,
    }
    if snippet:
        region["snippet"] = {"text": view.text[start:end]}
    return region


def _context_region(view: FileView, finding: Finding) -> dict[str, Any]:
    """Return the whole lines around a finding, for viewers that show surrounding text."""
    text = "\n".join(view.snippet_line(n) for n in range(finding.line, finding.end_line + 1))
    return {
        "startLine": finding.line,
        "startColumn": 1,
        "endLine": finding.end_line,
        "endColumn": len(view.snippet_line(finding.end_line)) + 1,
        "snippet": {"text": text},
    }


def _replacement(view: FileView, edit: Edit) -> dict[str, Any]:
    return {
        "deletedRegion": _region(view, edit.offset, edit.end_offset, snippet=False),
        "insertedContent": {"text": edit.replacement},
    }


def _result(
    locator: Locator,
    view: FileView,
    index: int,
    finding: Finding,
    rule_index: int,
    fingerprint: str,
) -> dict[str, Any]:
    location = {
        "physicalLocation": {
            "artifactLocation": _artifact_location(locator, view, index),
            "region": _region(view, finding.offset, finding.end_offset, snippet=True),
            "contextRegion": _context_region(view, finding),
        }
    }
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "kind": "fail",
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        "properties": {
            "name": finding.name,
            "category": finding.category,
            "suggestions": list(finding.suggestions),
        },
    }
    if finding.fix is not None and finding.fix.edits:
        result["fixes"] = [
            {
                "description": {
                    "text": f"{finding.fix.title} ({finding.fix.applicability.value} fix)"
                },
                "artifactChanges": [
                    {
                        "artifactLocation": _artifact_location(locator, view, index),
                        "replacements": [_replacement(view, e) for e in finding.fix.edits],
                    }
                ],
            }
        ]
        result["properties"]["applicability"] = finding.fix.applicability.value
    return result


def _gate_notifications(report: Report, locator: Locator) -> list[dict[str, Any]]:
    """Return an error notification for every file over ``--max-penalty``, with the reason."""
    return [
        {
            "level": "error",
            "message": {"text": f"{gate.path}: {gate.reason}"},
            "descriptor": {"id": GATE_ID},
            "locations": [{"physicalLocation": {"artifactLocation": locator.location(gate.path)}}],
            "properties": gate.properties,
        }
        for gate in failed_gates(report)
    ]


def build(report: Report) -> dict[str, Any]:
    """Return the SARIF log of a report as a JSON-ready dict."""
    locator = Locator(repository_root())
    views = file_views(report, locator.root)
    known = rules_by_code(report)
    codes = sorted({f.rule for f in report.findings})
    rule_index = {code: i for i, code in enumerate(codes)}
    results: list[dict[str, Any]] = []
    for index, view in enumerate(views):
        for finding, key in zip(view.result.findings, view.keys, strict=True):
            results.append(
                _result(locator, view, index, finding, rule_index[finding.rule], key.fingerprint())
            )
    notifications = [
        {
            "level": "error",
            "message": {"text": error.message},
            "descriptor": {"id": "file-error"},
            "locations": [{"physicalLocation": {"artifactLocation": locator.location(error.path)}}],
        }
        for error in report.errors
    ]
    notifications += _gate_notifications(report, locator)
    properties: dict[str, Any] = {"signature": report.signature, "summary": report.summary()}
    if report.score is not None:
        # Also at the top of the bag, where dashboards look for run-level metrics.
        properties["unconfirmedIssueScore"] = {
            "label": LABEL,
            "penalty": round(report.score.penalty, 4),
            "per1000Words": round(report.score.per_1k, 4),
            "maxPenalty": report.score.max_penalty,
            "failed": [locator.uri(gate.path) for gate in failed_gates(report)],
        }
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": TOOL_NAME,
                "version": report.version,
                "semanticVersion": report.version,
                "informationUri": INFORMATION_URI,
                "rules": [rule_descriptor(code, known.get(code)) for code in codes],
            }
        },
        "originalUriBaseIds": locator.base_ids(),
        "columnKind": "unicodeCodePoints",
        "artifacts": [
            {"location": locator.location(view.result.path), "roles": ["analysisTarget"]}
            for view in views
        ],
        "invocations": [
            {
                "executionSuccessful": not report.errors,
                "toolExecutionNotifications": notifications,
            }
        ],
        "results": results,
        "properties": properties,
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report: Report, options: RenderOptions) -> str:
    """Render the report as a SARIF 2.1.0 log."""
    return json.dumps(build(report), ensure_ascii=False, indent=2) + "\n"
