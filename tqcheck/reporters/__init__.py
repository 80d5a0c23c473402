"""Reporters render a :class:`~tqcheck.findings.Report`; one module per output format.

Reporters are imported only when their format is asked for, which keeps start-up fast.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from tqcheck.findings import Report

FORMATS: dict[str, str] = {
    "text": "tqcheck.reporters.text",
    "concise": "tqcheck.reporters.text",
    "json": "tqcheck.reporters.json",
    "jsonl": "tqcheck.reporters.jsonl",
    "sarif": "tqcheck.reporters.sarif",
    "gitlab": "tqcheck.reporters.gitlab",
    "junit": "tqcheck.reporters.junit",
    "github": "tqcheck.reporters.github",
    "rdjson": "tqcheck.reporters.rdjson",
    "html": "tqcheck.reporters.html",
}


@dataclass(frozen=True)
class RenderOptions:
    """Say how to render: colour, which format variant, what counts as failing."""

    format: str = "text"
    color: bool = False
    fail_on: str = "warning"
    show_fixes: bool = True
    # The text formats: the summary after the findings (off with -q), counts by rule
    # (--statistics), the unconfirmed-issue score (--show-score), and the width of the source
    # frames (the terminal's; None when not a terminal).
    summary: bool = True
    statistics: bool = False
    show_score: bool = False
    width: int | None = None


def renderer(fmt: str) -> Callable[[Report, RenderOptions], str]:
    """Return the render function of a format (imported on demand)."""
    module = importlib.import_module(FORMATS[fmt])
    render: Callable[[Report, RenderOptions], str] = module.render
    return render
