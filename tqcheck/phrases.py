"""Export the phrase lists of the ``phrase`` rules for other tools (grep, textlint-rule-prh).

``tqcheck rules --export-phrases`` prints them; the benchmark (``bench/perf.py``) feeds them to
ripgrep and textlint so that every tool looks for the same phrases.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from tqcheck.rule import Rule

EXPORT_FORMATS = ("text", "prh", "json")


@dataclass(frozen=True)
class ExportedPhrase:
    """Hold one phrase of a phrase rule: the words matched and the suggested replacements."""

    rule: str
    name: str
    match: str
    suggest: tuple[str, ...]


def phrase_entries(rules: Iterable[Rule]) -> list[ExportedPhrase]:
    """Return the phrases of the rules whose kind is ``phrase``, in rule order."""
    entries: list[ExportedPhrase] = []
    for rule in rules:
        if rule.kind_name != "phrase":
            continue
        for raw in rule.params.get("phrases", ()):
            if isinstance(raw, str):
                match, suggest = raw, ()
            elif isinstance(raw, dict) and isinstance(raw.get("match"), str):
                match = raw["match"]
                wanted = raw.get("suggest", ())
                suggest = (wanted,) if isinstance(wanted, str) else tuple(wanted)
            else:
                continue
            entries.append(ExportedPhrase(rule.code, rule.name, " ".join(match.split()), suggest))
    return entries


def render_phrases(entries: list[ExportedPhrase], format: str) -> str:
    """Render phrases as plain lines, a textlint-rule-prh dictionary or JSON."""
    if format == "text":
        unique = dict.fromkeys(e.match.lower() for e in entries)
        return "".join(f"{phrase}\n" for phrase in unique)
    if format == "json":
        rows = [
            {"rule": e.rule, "name": e.name, "match": e.match, "suggest": list(e.suggest)}
            for e in entries
        ]
        return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    if format == "prh":
        return _prh(entries)
    raise ValueError(f"unknown phrase export format {format!r}")


def _prh(entries: list[ExportedPhrase]) -> str:
    """Return a prh YAML dictionary: one case-insensitive, word-bounded pattern per phrase."""
    lines = ["version: 1", "rules:"]
    seen: set[str] = set()
    for entry in entries:
        key = entry.match.lower()
        if key in seen:
            continue
        seen.add(key)
        words = r"\s+".join(_regex_escape(w) for w in entry.match.split())
        # prh needs an expected text; a phrase without a suggestion points at its rule.
        expected = entry.suggest[0] if entry.suggest else f"[{entry.rule} {entry.name}]"
        lines.append(f"  - expected: {json.dumps(expected, ensure_ascii=False)}")
        pattern = "/\\b" + words + "\\b/i"
        lines.append(f"    pattern: {json.dumps(pattern, ensure_ascii=False)}")
        lines.append(f"    prh: {json.dumps(f'{entry.rule} {entry.name}')}")
    return "\n".join(lines) + "\n"


def _regex_escape(word: str) -> str:
    """Escape a word for a JavaScript regular expression."""
    return "".join(f"\\{c}" if c in r"\^$.|?*+()[]{}/" else c for c in word)
