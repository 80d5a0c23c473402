"""JSON Lines reporter: one finding per line, in the JSON format's finding shape.

Lines are written as findings are rendered, so a consumer can stream a large run; file errors
go to standard error, as with the JSON format.
"""

from __future__ import annotations

import json

from tqcheck.findings import Report
from tqcheck.reporters import RenderOptions


def render(report: Report, options: RenderOptions) -> str:
    """Render every finding as one compact JSON object per line."""
    return "".join(
        json.dumps(f.to_dict(), ensure_ascii=False, separators=(",", ":")) + "\n"
        for f in report.findings
    )
