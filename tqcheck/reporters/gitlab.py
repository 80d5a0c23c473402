"""GitLab Code Quality reporter (a CodeClimate-style JSON array, ``artifacts:reports:codequality``).

Severities map as info → ``info``, warning → ``minor``, error → ``major``; a file tqcheck could
not read is a ``critical`` issue on its line 1 so that it shows in the merge request too.
Fingerprints are the content-based keys of :mod:`tqcheck.baseline`, unique per finding and
stable when other paragraphs change.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from tqcheck.findings import Finding, Report
from tqcheck.reporters import RenderOptions
from tqcheck.reporters.common import TOOL_NAME, repo_path, repository_root
from tqcheck.reporters.present import failed_gates, file_views, suggestion_text
from tqcheck.rule import Severity

SEVERITIES = {Severity.INFO: "info", Severity.WARNING: "minor", Severity.ERROR: "major"}
FILE_ERROR_SEVERITY = "critical"
GATE_SEVERITY = "major"  # a file over --max-penalty
# CodeClimate's category names; every tqcheck finding is about how the text reads.
CATEGORY = "Style"


def build(report: Report) -> list[dict[str, Any]]:
    """Return the Code Quality issues of a report."""
    issues: list[dict[str, Any]] = []
    for view in file_views(report):
        for finding, key in zip(view.result.findings, view.keys, strict=True):
            issues.append(
                {
                    "type": "issue",
                    "engine_name": TOOL_NAME,
                    "check_name": f"{finding.rule} {finding.name}",
                    "description": f"{finding.rule} {finding.message}",
                    "content": {"body": _body(finding)},
                    "categories": [CATEGORY],
                    "severity": SEVERITIES[finding.severity],
                    "fingerprint": key.fingerprint(),
                    "location": {
                        "path": view.path,
                        "lines": {"begin": finding.line, "end": finding.end_line},
                        "positions": {
                            "begin": {"line": finding.line, "column": finding.column},
                            "end": {"line": finding.end_line, "column": finding.end_column},
                        },
                    },
                }
            )
    root = repository_root()
    for error in report.errors:
        path = repo_path(error.path, root)
        digest = hashlib.sha256(f"file-error\x1f{path}\x1f{error.message}".encode()).hexdigest()
        issues.append(
            {
                "type": "issue",
                "engine_name": TOOL_NAME,
                "check_name": "file-error",
                "description": f"tqcheck could not check this file: {error.message}",
                "categories": ["Bug Risk"],
                "severity": FILE_ERROR_SEVERITY,
                "fingerprint": digest[:32],
                "location": {"path": path, "lines": {"begin": 1, "end": 1}},
            }
        )
    issues += _gate_issues(report, root)
    return issues


def _gate_issues(report: Report, root: Path) -> list[dict[str, Any]]:
    """Return an issue on line 1 of every file over ``--max-penalty``, with the reason."""
    issues: list[dict[str, Any]] = []
    for gate in failed_gates(report):
        path = repo_path(gate.path, root)
        digest = hashlib.sha256(f"mqm-penalty\x1f{path}".encode()).hexdigest()
        issues.append(
            {
                "type": "issue",
                "engine_name": TOOL_NAME,
                "check_name": "mqm-penalty",
                "description": gate.reason,
                "content": {"body": f"Penalty by category: {gate.breakdown}"},
                "categories": [CATEGORY],
                "severity": GATE_SEVERITY,
                "fingerprint": digest[:32],
                "location": {"path": path, "lines": {"begin": 1, "end": 1}},
            }
        )
    return issues


def _body(finding: Finding) -> str:
    lines = [f"Category: {finding.category}"]
    if finding.suggestions:
        lines.append("Suggestions: " + suggestion_text(finding, limit=len(finding.suggestions)))
    return "\n".join(lines)


def render(report: Report, options: RenderOptions) -> str:
    """Render the report as a GitLab Code Quality JSON array."""
    return json.dumps(build(report), ensure_ascii=False, indent=2) + "\n"
