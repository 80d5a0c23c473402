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


MT_NEWS_CORPUS = (
    "mt-news-dev: real machine-translated news with an editor's marks, and native-en: "
    "English-original news (these figures decide the default set)"
)


def rule_evidence(code: str) -> dict[str, Any]:
    """Return a rule's measured figures as data: real MT news copy and WMT22 (empty if none)."""
    evidence = load_evidence()
    found: dict[str, Any] = {}
    mt_news = evidence.get("mt_news", {}).get(code)
    if mt_news:
        found["mt_news"] = mt_news
    wmt = evidence.get("rules", {}).get(code)
    if wmt:
        found["wmt22"] = wmt
    return found


def describe(code: str) -> list[str]:
    """Return the lines that present a rule's evidence (empty if none was measured)."""
    evidence = load_evidence()
    lines = _describe_mt_news(evidence.get("mt_news", {}).get(code))
    figures = evidence.get("rules", {}).get(code)
    if not figures:
        return [*lines, "", "Evidence (WMT22)", "  not measured on WMT22 yet"]
    corpus = evidence.get("corpus", "the development corpus")
    lines += ["", f"Evidence ({corpus}; shown, not gated)"]
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


def _describe_mt_news(figures: dict[str, Any] | None) -> list[str]:
    """Return the lines for a rule's figures on real MT news copy and native English."""
    lines = ["", f"Evidence ({MT_NEWS_CORPUS})"]
    if not figures:
        return [*lines, "  not measured on mt-news-dev yet"]
    precision = figures.get("precision_mt")
    shown = "no findings" if precision is None else f"{100 * precision:.0f} %"
    lines += [
        f"  editor's marks found: {figures.get('marks_found', 0)}",
        f"  findings on marked MT-style excerpts: {figures.get('findings_mt', 0)}",
        f"  of which on a mark or judged real: {shown}",
        f"  hits on native English: {figures.get('native_hits', 0)}"
        f" ({figures.get('native_per_1k') or 0.0:.3f} per 1,000 words)",
    ]
    return lines
