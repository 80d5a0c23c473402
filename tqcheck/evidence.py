"""Rule evidence: each rule's measured figures on the development corpus.

``bench/wmt.py`` measures every rule on WMT22 ru-en (MT output vs the human reference, human
DA scores of flagged segments, fix gain) and writes ``rules/evidence.json``; ``tqcheck rule``
shows the figures so users see why a rule exists and how often it is right.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from tqcheck.packs import builtin_packs_dir

EVIDENCE_FILE = "evidence.json"


@lru_cache(maxsize=1)
def load_evidence() -> dict[str, Any]:
    """Return the evidence file's content ({} when it has not been generated)."""
    path = builtin_packs_dir() / EVIDENCE_FILE
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data


def describe(code: str) -> list[str]:
    """Return the lines that present a rule's evidence (empty if none was measured)."""
    evidence = load_evidence()
    figures = evidence.get("rules", {}).get(code)
    if not figures:
        return ["", "Evidence", "  not measured on the development corpus yet"]
    corpus = evidence.get("corpus", "the development corpus")
    lines = ["", f"Evidence ({corpus})"]
    for key, label in (
        ("mt_per_1k", "hits per 1,000 words, MT output"),
        ("ref_per_1k", "hits per 1,000 words, human reference"),
        ("ratio", "MT / reference ratio"),
        ("mt_hits", "hits in MT output (10 systems)"),
        ("ref_hits", "hits in the human reference"),
        ("da_flagged", "mean human DA z of flagged segments"),
        ("da_unflagged", "mean human DA z of other segments"),
        ("fix_lines", "lines changed by its fix"),
        ("fix_chrf_worse", "of which lower sentence chrF"),
    ):
        if key in figures and figures[key] is not None:
            value = figures[key]
            shown = f"{value:.3f}" if isinstance(value, float) else str(value)
            lines.append(f"  {label}: {shown}")
    return lines
