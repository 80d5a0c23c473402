"""MQM-style unconfirmed-issue scores: penalty points from findings, per 1,000 words.

A finding is a *candidate* issue that no reviewer has confirmed, so the score computed here is
an **unconfirmed-issue score**: what the document would score under MQM if every finding were
a real error. It is a triage signal (which article or system to read first), not a quality
verdict, and every place that shows it says so.

Weights follow the WMT MQM studies (Freitag et al. 2021): major 5, minor 1, minor punctuation
0.1, non-translation 25, and at most five issues counted per segment. tqcheck's severities and
categories map onto MQM severities as follows:

- category ``accuracy/untranslated`` → *non-translation*: as in the studies, a segment with a
  non-translation counts as that one issue and nothing else;
- severity ``error`` → *major*;
- severity ``warning`` or ``info`` → *minor*, or *minor punctuation* when the category's
  subcategory is ``punctuation`` or ``typography`` (``fluency/punctuation``,
  ``locale/punctuation``, ``fluency/typography``);
- internal findings (the ``TQ9xx`` family: suppression housekeeping) say nothing about the
  translation and are not counted.

When a segment has more issues than the cap, the heaviest are counted. The penalty per 1,000
words divides by the words of the document's prose segments (a document without words
counts as one word, so a penalty never divides by zero).

Everything here is pure: no I/O, no configuration lookup.
"""

from __future__ import annotations

import bisect
import dataclasses
import enum
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from tqcheck.findings import FileResult, Finding, Report
from tqcheck.rule import Severity
from tqcheck.wording import plural

LABEL = "unconfirmed-issue score"
# Shown next to the score wherever it appears: the findings are candidates, not errors.
CAVEAT = "MQM-style; findings are candidate issues, not confirmed errors"
INTERNAL_PREFIX = "TQ9"
NON_TRANSLATION_CATEGORIES = frozenset(("accuracy/untranslated",))
PUNCTUATION_SUBCATEGORIES = frozenset(("punctuation", "typography"))
_DIGITS = 4  # decimals kept in machine-readable output


class MqmSeverity(enum.Enum):
    """Name the MQM severity levels a finding can be counted as."""

    MAJOR = "major"
    MINOR = "minor"
    PUNCTUATION = "punctuation"  # minor fluency/punctuation
    NON_TRANSLATION = "non-translation"


@dataclass(frozen=True)
class Weights:
    """Hold the penalty of each MQM severity and the per-segment cap."""

    major: float = 5.0
    minor: float = 1.0
    punctuation: float = 0.1
    non_translation: float = 25.0
    max_per_segment: int = 5

    def weight(self, severity: MqmSeverity) -> float:
        """Return the penalty points of one issue of an MQM severity."""
        if severity is MqmSeverity.MINOR:
            return self.minor
        if severity is MqmSeverity.MAJOR:
            return self.major
        if severity is MqmSeverity.PUNCTUATION:
            return self.punctuation
        return self.non_translation

    def with_weight(self, severity: MqmSeverity, points: float) -> Weights:
        """Return a copy with the penalty of one MQM severity changed."""
        if severity is MqmSeverity.MAJOR:
            return dataclasses.replace(self, major=points)
        if severity is MqmSeverity.MINOR:
            return dataclasses.replace(self, minor=points)
        if severity is MqmSeverity.PUNCTUATION:
            return dataclasses.replace(self, punctuation=points)
        return dataclasses.replace(self, non_translation=points)

    def to_dict(self) -> dict[str, Any]:
        """Return the weights in the shape of the ``mqm-weights`` configuration key."""
        return {
            **{s.value: self.weight(s) for s in MqmSeverity},
            "max-per-segment": self.max_per_segment,
        }


def mqm_severity(finding: Finding) -> MqmSeverity | None:
    """Return the MQM severity a finding counts as, or None when it is not scored."""
    if finding.rule.startswith(INTERNAL_PREFIX):
        return None
    if finding.category in NON_TRANSLATION_CATEGORIES:
        return MqmSeverity.NON_TRANSLATION
    if finding.severity is Severity.ERROR:
        return MqmSeverity.MAJOR
    subcategory = finding.category.rpartition("/")[2]
    if subcategory in PUNCTUATION_SUBCATEGORIES:
        return MqmSeverity.PUNCTUATION
    return MqmSeverity.MINOR


@dataclass(frozen=True)
class CategoryScore:
    """Hold one category's share of a score: issues found, issues counted, penalty."""

    category: str
    issues: int
    counted: int
    penalty: float

    def to_dict(self) -> dict[str, Any]:
        """Return the share in the public JSON shape."""
        return {
            "issues": self.issues,
            "counted": self.counted,
            "penalty": round(self.penalty, _DIGITS),
        }


@dataclass(frozen=True)
class DocumentScore:
    """Hold the unconfirmed-issue score of one document."""

    path: str
    words: int
    segments: int
    issues: int  # scored findings (internal ones excluded)
    counted: int  # issues left after the per-segment cap and non-translation rule
    penalty: float
    by_severity: tuple[tuple[MqmSeverity, int], ...]  # counted issues per MQM severity
    by_category: tuple[CategoryScore, ...]  # heaviest first

    @property
    def per_1k(self) -> float:
        """Return the penalty per 1,000 words."""
        return 1000.0 * self.penalty / max(self.words, 1)

    def exceeds(self, limit: float | None) -> bool:
        """Say whether the penalty per 1,000 words is above a limit (None: no limit)."""
        # Rounded as shown, so that a document printed as exactly the limit passes.
        return limit is not None and round(self.per_1k, _DIGITS) > limit

    def to_dict(self, limit: float | None = None) -> dict[str, Any]:
        """Return the score in the public JSON shape."""
        return {
            "path": self.path,
            "words": self.words,
            "segments": self.segments,
            "issues": self.issues,
            "counted": self.counted,
            "penalty": round(self.penalty, _DIGITS),
            "per_1000_words": round(self.per_1k, _DIGITS),
            "by_mqm_severity": {s.value: n for s, n in self.by_severity},
            "by_category": {c.category: c.to_dict() for c in self.by_category},
            "over_max_penalty": self.exceeds(limit),
        }


@dataclass(frozen=True)
class RunScore:
    """Hold the unconfirmed-issue scores of every document of a run, and the gate's limit."""

    weights: Weights
    documents: tuple[DocumentScore, ...]
    max_penalty: float | None = None

    @property
    def penalty(self) -> float:
        """Return the penalty points of all documents together."""
        return math.fsum(d.penalty for d in self.documents)

    @property
    def words(self) -> int:
        """Return the words of all documents together."""
        return sum(d.words for d in self.documents)

    @property
    def per_1k(self) -> float:
        """Return the penalty per 1,000 words over all documents."""
        return 1000.0 * self.penalty / max(self.words, 1)

    @property
    def failed(self) -> tuple[DocumentScore, ...]:
        """Return the documents whose penalty per 1,000 words exceeds ``max_penalty``."""
        return tuple(d for d in self.documents if d.exceeds(self.max_penalty))

    def document(self, path: str) -> DocumentScore | None:
        """Return the score of the document at path, if it was checked."""
        return next((d for d in self.documents if d.path == path), None)

    def by_category(self) -> tuple[CategoryScore, ...]:
        """Return every category's share over all documents, heaviest first."""
        return _merge(c for d in self.documents for c in d.by_category)

    def headline(self) -> str:
        """Return the one-sentence summary the text formats show (label and caveat included)."""
        files = len(self.documents)
        where = f" in {plural(files, 'file')}" if files != 1 else ""
        return (
            f"Unconfirmed-issue score ({CAVEAT}): {self.penalty:.1f} penalty points, "
            f"{self.per_1k:.2f} per 1,000 words ({plural(self.words, 'word')}{where})."
        )

    def breakdown(self) -> str:
        """Return the penalty per category, heaviest first ("" when nothing was counted)."""
        shares = [c for c in self.by_category() if c.counted]
        return ", ".join(f"{c.category} {c.penalty:.1f}" for c in shares)

    def reason(self, document: DocumentScore) -> str:
        """Say why a document fails the ``--max-penalty`` gate."""
        return (
            f"{LABEL} {document.per_1k:.2f} per 1,000 words exceeds --max-penalty "
            f"{self.max_penalty:g} ({document.penalty:.1f} penalty points, "
            f"{plural(document.words, 'word')})"
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the run's scores in the public JSON shape (``summary.score``)."""
        return {
            "label": LABEL,
            "note": CAVEAT,
            "weights": self.weights.to_dict(),
            "max_penalty": self.max_penalty,
            "penalty": round(self.penalty, _DIGITS),
            "words": self.words,
            "per_1000_words": round(self.per_1k, _DIGITS),
            "by_category": {c.category: c.to_dict() for c in self.by_category()},
            "failed": [d.path for d in self.failed],
            "files": [d.to_dict(self.max_penalty) for d in self.documents],
        }


def _merge(shares: Iterable[CategoryScore]) -> tuple[CategoryScore, ...]:
    totals: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0.0])
    for share in shares:
        total = totals[share.category]
        total[0] += share.issues
        total[1] += share.counted
        total[2] += share.penalty
    merged = [CategoryScore(cat, int(t[0]), int(t[1]), t[2]) for cat, t in totals.items()]
    return tuple(sorted(merged, key=lambda c: (-c.penalty, -c.issues, c.category)))


def _segment_keys(
    findings: Sequence[Finding], segments: Sequence[tuple[int, int]]
) -> list[tuple[str, int]]:
    """Return the segment each finding is counted in: the one it starts in (or follows).

    Without segment spans (a result built by hand) each line stands for a segment.
    """
    if not segments:
        return [("line", f.line) for f in findings]
    starts = sorted(start for start, _ in segments)
    return [("segment", bisect.bisect_right(starts, f.offset) - 1) for f in findings]


def score_document(
    path: str,
    findings: Sequence[Finding],
    segments: Sequence[tuple[int, int]],
    words: int,
    weights: Weights | None = None,
) -> DocumentScore:
    """Score one document's findings; ``segments`` are the prose segments' offset spans."""
    weights = weights or Weights()
    groups: dict[tuple[str, int], list[tuple[Finding, MqmSeverity]]] = defaultdict(list)
    for finding, key in zip(findings, _segment_keys(findings, segments), strict=True):
        level = mqm_severity(finding)
        if level is not None:
            groups[key].append((finding, level))
    counted: list[tuple[Finding, MqmSeverity]] = []
    for issues in groups.values():
        untranslated = [item for item in issues if item[1] is MqmSeverity.NON_TRANSLATION]
        if untranslated:
            counted.append(untranslated[0])
            continue
        heaviest = sorted(issues, key=lambda item: (-weights.weight(item[1]), item[0].offset))
        counted.extend(heaviest[: weights.max_per_segment])
    issues_by_category = Counter(f.category for group in groups.values() for f, _ in group)
    counted_by_category = Counter(f.category for f, _ in counted)
    penalty_by_category: dict[str, list[float]] = defaultdict(list)
    for finding, level in counted:
        penalty_by_category[finding.category].append(weights.weight(level))
    shares = (
        CategoryScore(
            category,
            issues_by_category[category],
            counted_by_category[category],
            math.fsum(penalty_by_category[category]),
        )
        for category in issues_by_category
    )
    severities = Counter(level for _, level in counted)
    return DocumentScore(
        path=path,
        words=words,
        segments=len(segments),
        issues=sum(issues_by_category.values()),
        counted=len(counted),
        penalty=math.fsum(weights.weight(level) for _, level in counted),
        by_severity=tuple((s, severities[s]) for s in MqmSeverity),
        by_category=_merge(shares),
    )


def score_result(result: FileResult, weights: Weights | None = None) -> DocumentScore:
    """Score one checked file."""
    return score_document(result.path, result.findings, result.segments, result.words, weights)


def score_report(
    report: Report, weights: Weights | None = None, max_penalty: float | None = None
) -> Report:
    """Return the report with the unconfirmed-issue score of every file attached."""
    weights = weights or Weights()
    documents = tuple(score_result(r, weights) for r in report.results)
    return dataclasses.replace(report, score=RunScore(weights, documents, max_penalty))


def fails(report: Report, fail_on: str) -> bool:
    """Say whether a run fails: a finding at or above ``fail_on``, or a document over the limit.

    ``fail_on`` is a severity name or ``never``; the two gates are independent, so
    ``--fail-on never --max-penalty N`` fails on the penalty alone.
    """
    if report.score is not None and report.score.failed:
        return True
    if fail_on == "never":
        return False
    level = Severity(fail_on).rank
    return any(f.severity.rank >= level for f in report.findings)
