"""reviewdog Diagnostic Format (rdjson) reporter.

``reviewdog -f=rdjson`` turns each diagnostic into a review comment and each suggestion into
a suggested change. rdjson columns count UTF-8 bytes (tqcheck's count characters), so
positions are converted here; ranges are end-exclusive in both.
"""

from __future__ import annotations

import json
from typing import Any

from tqcheck.findings import Finding, Report
from tqcheck.fix import Applicability
from tqcheck.reporters import RenderOptions
from tqcheck.reporters.common import INFORMATION_URI, TOOL_NAME
from tqcheck.reporters.present import FileView, file_views
from tqcheck.rule import Severity

SEVERITIES = {Severity.ERROR: "ERROR", Severity.WARNING: "WARNING", Severity.INFO: "INFO"}


def _range(view: FileView, start: int, end: int) -> dict[str, Any]:
    line, column = view.byte_position(start)
    end_line, end_column = view.byte_position(end)
    return {
        "start": {"line": line, "column": column},
        "end": {"line": end_line, "column": end_column},
    }


def _diagnostic(view: FileView, finding: Finding) -> dict[str, Any]:
    diagnostic: dict[str, Any] = {
        "message": finding.message,
        "location": {"path": view.path, "range": _range(view, finding.offset, finding.end_offset)},
        "severity": SEVERITIES[finding.severity],
        "source": {"name": TOOL_NAME, "url": INFORMATION_URI},
        "code": {"value": finding.rule},
    }
    fix = finding.fix
    # Suggested changes are reviewed by a person before they land, so unsafe fixes are
    # offered too; display-only ones are not meant to be applied at all.
    if fix is not None and fix.edits and fix.applicability is not Applicability.DISPLAY_ONLY:
        diagnostic["suggestions"] = [
            {"range": _range(view, e.offset, e.end_offset), "text": e.replacement}
            for e in fix.edits
        ]
    return diagnostic


def build(report: Report) -> dict[str, Any]:
    """Return the rdjson DiagnosticResult of a report."""
    diagnostics = [
        _diagnostic(view, finding)
        for view in file_views(report)
        for finding in view.result.findings
    ]
    worst = report.worst()
    result: dict[str, Any] = {
        "source": {"name": TOOL_NAME, "url": INFORMATION_URI},
        "diagnostics": diagnostics,
    }
    if worst is not None:
        result["severity"] = SEVERITIES[worst]
    return result


def render(report: Report, options: RenderOptions) -> str:
    """Render the report as one rdjson object."""
    return json.dumps(build(report), ensure_ascii=False, indent=2) + "\n"
