"""Baselines: remember today's findings so that CI fails only on new ones.

A finding is keyed by its content, never by its line number: the file, the rule, the flagged
text, a few normalised words of context around it (inside its paragraph) and an occurrence
index among findings with the same key. Editing another paragraph therefore leaves every key
unchanged, and an old finding does not come back just because the text above it moved.

The same key, hashed, is the stable fingerprint the SARIF and GitLab reports carry.

Baseline file (JSON, sorted, no timestamps, so it diffs well under review)::

    {
      "tool": "tqcheck",
      "version": 1,
      "entries": [
        {"path": "content/a.txt", "rule": "TQ201", "text": "Aliyevich",
         "context": "memory of Heydar ⟦Aliyevich⟧ that we see", "occurrence": 0}
      ]
    }

Paths are relative to the folder that holds the baseline file.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import regex

from tqcheck.config import ConfigError
from tqcheck.files import read_regular
from tqcheck.findings import BaselineSummary, FileResult, Finding, Report
from tqcheck.rule import MARK_CLOSE, MARK_OPEN

FORMAT_VERSION = 1
CONTEXT_WORDS = 3
# How far to look for context words; a paragraph break ends the context earlier.
_CONTEXT_REACH = 160
_PARAGRAPH_BREAK = regex.compile(r"(?:\r\n|\r|\n)[ \t\u00a0]*(?:\r\n|\r|\n)")
_T = TypeVar("_T")


class BaselineError(ConfigError):
    """Raise for a baseline file that cannot be read, parsed or written."""


@dataclass(frozen=True, order=True)
class FindingKey:
    """Identify a finding by content: stable when unrelated parts of the file change."""

    path: str
    rule: str
    text: str
    context: str
    occurrence: int

    def fingerprint(self) -> str:
        """Return a hex digest of the key (the fingerprint reports carry)."""
        joined = "\x1f".join((self.path, self.rule, self.text, self.context, str(self.occurrence)))
        return hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()[:32]

    def to_dict(self) -> dict[str, Any]:
        """Return the key as a baseline entry."""
        return dataclasses.asdict(self)


def context_of(text: str, start: int, end: int) -> str:
    """Return the flagged span with a few normalised words either side, within its paragraph.

    Whitespace runs (non-breaking spaces and line breaks included) become one space, so
    re-wrapping a paragraph does not change the context.
    """
    before = _PARAGRAPH_BREAK.split(text[max(0, start - _CONTEXT_REACH) : start])[-1]
    after = _PARAGRAPH_BREAK.split(text[end : end + _CONTEXT_REACH])[0]
    # A word cut by the reach window is dropped: it would change when text far away changes.
    before_words = before.split()
    if start - _CONTEXT_REACH > 0 and before_words and not before[:1].isspace():
        before_words = before_words[1:]
    after_words = after.split()
    if end + _CONTEXT_REACH < len(text) and after_words and not after[-1:].isspace():
        after_words = after_words[:-1]
    flagged = " ".join(text[start:end].split()) or text[start:end]
    left = " ".join(before_words[-CONTEXT_WORDS:])
    right = " ".join(after_words[:CONTEXT_WORDS])
    # Keep glued punctuation glued ("Welcome!⟦",⟧") so the context reads like the text.
    left_gap = " " if left and start > 0 and text[start - 1].isspace() else ""
    right_gap = " " if right and end < len(text) and text[end].isspace() else ""
    return f"{left}{left_gap}{MARK_OPEN}{flagged}{MARK_CLOSE}{right_gap}{right}".strip()


def finding_keys(result: FileResult, path: str | None = None) -> list[FindingKey]:
    """Return the keys of a file's findings, in the findings' order.

    ``path`` replaces the result's path in the keys (baselines store paths relative to the
    baseline file; reports use paths relative to the repository root).
    """
    return keys_for(result.findings, result.checked_text, path or result.path)


def keys_for(findings: Sequence[Finding], text: str, path: str) -> list[FindingKey]:
    """Key findings of one text; identical keys are told apart by their occurrence index."""
    seen: Counter[tuple[str, str, str]] = Counter()
    keys: list[FindingKey] = []
    for finding in findings:
        context = context_of(text, finding.offset, finding.end_offset)
        base = (finding.rule, finding.text, context)
        keys.append(FindingKey(path, finding.rule, finding.text, context, seen[base]))
        seen[base] += 1
    return keys


def baseline_path_key(path: str, baseline_dir: Path) -> str:
    """Return a checked file's path as the baseline stores it: relative to its folder."""
    if path == "-":
        return path
    try:
        relative = os.path.relpath(os.path.abspath(path), os.path.abspath(baseline_dir))
    except ValueError:  # another drive on Windows: no relative path exists
        return Path(path).as_posix()
    return Path(relative).as_posix()


def read_baseline(path: Path) -> list[FindingKey]:
    """Read a baseline file; any problem is a BaselineError naming the file."""
    try:
        raw = json.loads(read_regular(path).decode("utf-8"))
    except FileNotFoundError:
        raise BaselineError(
            f"--baseline {path}: no such file (create it with --update-baseline)"
        ) from None
    except OSError as exc:
        raise BaselineError(f"--baseline {path}: cannot read: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BaselineError(f"--baseline {path}: not a tqcheck baseline: {exc}") from None
    except RecursionError:
        raise BaselineError(
            f"--baseline {path}: not a tqcheck baseline: nested too deeply"
        ) from None
    if (
        not isinstance(raw, dict)
        or raw.get("tool") != "tqcheck"
        or raw.get("version") != FORMAT_VERSION
    ):
        raise BaselineError(
            f"--baseline {path}: not a tqcheck baseline (version {FORMAT_VERSION} expected)"
        )
    entries = raw.get("entries")
    if not isinstance(entries, list):
        raise BaselineError(f"--baseline {path}: 'entries' must be a list")
    keys: list[FindingKey] = []
    for index, entry in enumerate(entries):
        try:
            keys.append(
                FindingKey(
                    path=_field(entry, "path", str),
                    rule=_field(entry, "rule", str),
                    text=_field(entry, "text", str),
                    context=_field(entry, "context", str),
                    occurrence=_field(entry, "occurrence", int),
                )
            )
        except (TypeError, KeyError) as exc:
            raise BaselineError(f"--baseline {path}: entries[{index}]: {exc}") from None
    return keys


def _field(entry: Any, name: str, kind: type[_T]) -> _T:
    if not isinstance(entry, dict) or name not in entry:
        raise KeyError(f"missing key {name!r}")
    value = entry[name]
    if not isinstance(value, kind) or isinstance(value, bool):
        raise TypeError(f"key {name!r}: expected {kind.__name__}")
    return value


def render_baseline(keys: Iterable[FindingKey]) -> str:
    """Return the baseline file text: sorted entries, one per line block, stable."""
    payload = {
        "tool": "tqcheck",
        "version": FORMAT_VERSION,
        "entries": [k.to_dict() for k in sorted(set(keys))],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def write_baseline(path: Path, keys: Iterable[FindingKey]) -> None:
    """Write a baseline file atomically (a temporary file renamed over the old one)."""
    text = render_baseline(keys)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temp, path)
    except OSError as exc:
        raise BaselineError(f"--baseline {path}: cannot write: {exc.strerror or exc}") from None


def apply_baseline(report: Report, path: Path, *, update: bool = False) -> Report:
    """Hide the findings a baseline knows; with update, first record the current findings.

    Stale entries are those of files checked in this run that no current finding matches;
    entries of files this run did not check are kept as they are (and are not stale), so a
    pre-commit run over a few files neither reports nor drops the rest of the baseline.
    With update, the stale count is the number of entries the update dropped.
    """
    folder = path.parent
    current: dict[str, list[FindingKey]] = {}
    for result in report.results:
        key_path = baseline_path_key(result.path, folder)
        current[key_path] = finding_keys(result, key_path)
    found = {k for keys in current.values() for k in keys}
    known = set(_existing(path) if update else read_baseline(path))
    stale = sum(1 for k in known if k.path in current and k not in found)
    if update:
        kept = [k for k in known if k.path not in current]
        write_baseline(path, [*kept, *found])
        known = set(read_baseline(path))
    results: list[FileResult] = []
    baselined = 0
    for result in report.results:
        keys = current[baseline_path_key(result.path, folder)]
        fresh = tuple(f for f, k in zip(result.findings, keys, strict=True) if k not in known)
        baselined += len(result.findings) - len(fresh)
        results.append(dataclasses.replace(result, findings=fresh))
    summary = BaselineSummary(path.as_posix(), baselined, stale, update)
    return dataclasses.replace(report, results=tuple(results), baseline=summary)


def _existing(path: Path) -> list[FindingKey]:
    """Return the entries of an existing baseline, or none when there is no file yet."""
    if not path.exists():
        return []
    return read_baseline(path)
