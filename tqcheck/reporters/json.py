"""JSON reporter: the public contract documented in README.md."""

from __future__ import annotations

import json

from tqcheck.findings import Report
from tqcheck.reporters import RenderOptions


def render(report: Report, options: RenderOptions) -> str:
    """Render the report as one JSON object."""
    payload = {
        "version": report.version,
        "findings": [f.to_dict() for f in report.findings],
        "errors": [e.to_dict() for e in report.errors],
        "summary": report.summary(),
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
