"""Inline suppressions: ``tqcheck:`` directives written into the article itself.

Directives are found by scanning the document text, not the loader's output, so they work
the same for every input format:

- ``<!-- tqcheck: ignore[TQ201, russian-patronymic] reason -->`` (Markdown, HTML) or a line
  ``tqcheck: ignore[TQ201] reason`` (plain text; a comment-like prefix ``#``, ``//``, ``--``,
  ``;`` or ``%`` may stand before it) silences those rules in the next block: the first
  segment that starts after the directive (in plain text, the next paragraph; when the
  directive line shares a paragraph with the text after it, the rest of that paragraph).
- ``tqcheck: disable=TQ201,TQ312`` silences the rules from the directive to a matching
  ``tqcheck: enable=TQ201`` (or to the end of the file).

Rules are named by code, name, code prefix (``TQ3``) or ``ALL``. Findings inside a directive
are dropped (a directive is not article text). A directive code that silenced nothing is
reported by the ``unused`` suppression rule (TQ901); an unknown code or a malformed directive
by the ``invalid`` one (TQ902). Whether a code silenced something is decided exactly: a rule
the run did not select is run on the side, for this purpose only, when a directive names it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

import regex

from tqcheck.document import Document
from tqcheck.findings import Finding
from tqcheck.kinds.base import Hit
from tqcheck.kinds.suppression import SuppressionKind, SuppressionProblem
from tqcheck.lazyre import lazy_regex
from tqcheck.rule import Rule

if TYPE_CHECKING:
    from collections.abc import Callable

    # Check the document with the rules of these codes (from the catalogue), unsuppressed.
    SideCheck = Callable[[frozenset[str], dict[str, Rule]], Iterable[Finding]]

MARKER = "tqcheck:"

_DIRECTIVE = lazy_regex(
    r"""
    <!--[ \t]*tqcheck:[ \t]*(?P<comment>(?s:.*?))[ \t\r\n]*-->
    |
    ^[ \t]*(?:\#+|//+|--|;+|%+)?[ \t]*tqcheck:[ \t]*(?P<line>[^\r\n]*?)[ \t]*(?=\r\n|\r|\n|\Z)
    """,
    regex.VERBOSE | regex.MULTILINE,
)
_IGNORE = lazy_regex(r"ignore\[(?P<codes>[^\]\r\n]*)\](?P<reason>.*)", regex.DOTALL)
_RANGE = lazy_regex(
    r"(?P<action>disable|enable)=(?P<codes>[\w-]+(?:[ \t]*,[ \t]*[\w-]+)*)(?P<reason>.*)",
    regex.DOTALL,
)
_CODE = lazy_regex(r"[^,\s]+")


class Action(enum.Enum):
    """Say what a directive does."""

    IGNORE = "ignore"
    DISABLE = "disable"
    ENABLE = "enable"


@dataclass(frozen=True)
class Selector:
    """Hold one rule selector written in a directive, with its span in the document."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Directive:
    """Hold one ``tqcheck:`` directive: its span, action and selectors (or why it is bad)."""

    start: int
    end: int
    action: Action | None
    selectors: tuple[Selector, ...] = ()
    reason: str = ""
    problem: str | None = None


def parse_directives(text: str) -> list[Directive]:
    """Return every directive in a text, in order; malformed ones carry a problem."""
    if MARKER not in text:
        return []
    directives: list[Directive] = []
    for match in _DIRECTIVE.finditer(text):
        group = "comment" if match.group("comment") is not None else "line"
        body, body_start = match.group(group), match.start(group)
        parsed = _IGNORE.fullmatch(body) or _RANGE.fullmatch(body)
        if parsed is None:
            directives.append(
                Directive(
                    match.start(),
                    match.end(),
                    None,
                    problem="malformed directive; write ignore[CODES], disable=CODES "
                    "or enable=CODES",
                )
            )
            continue
        action = Action(parsed.group("action")) if "action" in parsed.re.groupindex else None
        codes_start = body_start + parsed.start("codes")
        selectors = tuple(
            Selector(m.group(), codes_start + m.start(), codes_start + m.end())
            for m in _CODE.finditer(parsed.group("codes"))
        )
        if not selectors:
            directives.append(
                Directive(match.start(), match.end(), None, problem="no rule code given")
            )
            continue
        directives.append(
            Directive(
                match.start(),
                match.end(),
                action or Action.IGNORE,
                selectors,
                parsed.group("reason").strip(),
            )
        )
    return directives


@dataclass(frozen=True)
class Region:
    """Silence some rules on [start, end) on behalf of one selector of one directive."""

    directive: int
    selector: int
    codes: frozenset[str]
    start: int
    end: int

    def covers(self, finding: Finding) -> bool:
        """Say whether the region silences a finding (by rule and start position)."""
        if finding.rule not in self.codes:
            return False
        # A zero-width finding at the very end of the block (an insertion) belongs to it.
        at_end = finding.offset == finding.end_offset == self.end
        return self.start <= finding.offset and (finding.offset < self.end or at_end)


@dataclass
class _Plan:
    """Collect the regions and selector problems of one document's directives."""

    regions: list[Region] = field(default_factory=list)
    unknown: list[tuple[Selector, str]] = field(default_factory=list)
    # Selectors that can be unused, with the text explaining where they looked.
    judged: dict[tuple[int, int], str] = field(default_factory=dict)
    unmatched_enables: list[Selector] = field(default_factory=list)


@lru_cache(maxsize=1)
def _builtin_catalogue() -> tuple[Rule, ...]:
    from tqcheck.packs import builtin_packs_dir, load_rules

    return load_rules((builtin_packs_dir(),)).rules


class Suppressor:
    """Apply a document's directives to an engine's findings and report directive problems."""

    def __init__(self, rules: Sequence[Rule], catalogue: Sequence[Rule] | None = None) -> None:
        """Remember the selected rules and the rules directives may name."""
        self.rules = tuple(rules)
        self._catalogue = tuple(catalogue) if catalogue is not None else None
        self.reporters: dict[SuppressionProblem, Rule] = {
            rule.kind.report: rule for rule in self.rules if isinstance(rule.kind, SuppressionKind)
        }

    @property
    def catalogue(self) -> dict[str, Rule]:
        """Return every known rule by code (loaded on first use)."""
        rules = self._catalogue if self._catalogue is not None else _builtin_catalogue()
        known = {rule.code: rule for rule in rules}
        for rule in self.rules:
            known.setdefault(rule.code, rule)
        return known

    def resolve(self, selector: str, catalogue: dict[str, Rule]) -> frozenset[str]:
        """Return the codes a selector names (empty when it names no known rule)."""
        wanted = selector.strip()
        upper = wanted.upper()
        if upper == "ALL":
            return frozenset(catalogue)
        if upper in catalogue:
            return frozenset((upper,))
        by_name = [code for code, rule in catalogue.items() if rule.name == wanted]
        if by_name:
            return frozenset(by_name)
        if regex.fullmatch(r"TQ\d{1,2}", upper):
            return frozenset(code for code in catalogue if code.startswith(upper))
        return frozenset()

    def apply(
        self, document: Document, findings: list[Finding], side: SideCheck
    ) -> tuple[list[Finding], list[tuple[Rule, Hit]]]:
        """Return the findings no directive silences, and the directive problems to report.

        ``side(codes, catalogue)`` checks the document with rules the run did not select,
        so that a directive naming one of them is judged used or unused exactly.
        """
        directives = parse_directives(document.text)
        if not directives:
            return findings, []
        catalogue = self.catalogue
        plan = self._plan(document, directives, catalogue)

        def inside(finding: Finding) -> bool:
            return any(
                d.start <= finding.offset and finding.end_offset <= d.end for d in directives
            )

        internal = {rule.code for rule in self.reporters.values()}
        kept: list[Finding] = []
        used: set[tuple[int, int]] = set()
        for finding in findings:
            if finding.rule not in internal and inside(finding):
                continue
            covering = [s for s in plan.regions if s.covers(finding)]
            used.update((s.directive, s.selector) for s in covering)
            if not covering:
                kept.append(finding)
        for finding in self._side_findings(plan, catalogue, side):
            if not inside(finding):
                used.update((s.directive, s.selector) for s in plan.regions if s.covers(finding))
        problems = self._problems(directives, plan, used)
        return kept, problems

    def _plan(
        self, document: Document, directives: list[Directive], catalogue: dict[str, Rule]
    ) -> _Plan:
        plan = _Plan()
        text_end = len(document.text)
        open_ranges: dict[str, tuple[int, int, int]] = {}  # code -> (directive, selector, start)
        closed: list[tuple[int, int, int, str, int]] = []  # (directive, selector, start, code, end)
        for d_index, directive in enumerate(directives):
            if directive.action is None:
                continue
            for s_index, selector in enumerate(directive.selectors):
                codes = self.resolve(selector.text, catalogue)
                if not codes:
                    plan.unknown.append((selector, f"unknown rule code or name {selector.text!r}"))
                    continue
                ref = (d_index, s_index)
                if directive.action is Action.IGNORE:
                    start, end = _next_block(document, directive.end)
                    plan.regions.append(Region(d_index, s_index, codes, start, end))
                    plan.judged[ref] = "it flagged nothing in the next block"
                elif directive.action is Action.DISABLE:
                    for code in sorted(codes):
                        open_ranges.setdefault(code, (d_index, s_index, directive.end))
                    plan.judged[ref] = "it flagged nothing before the matching enable"
                else:
                    closing = sorted(code for code in codes if code in open_ranges)
                    if not closing:
                        plan.unmatched_enables.append(selector)
                    for code in closing:
                        opened = open_ranges.pop(code)
                        closed.append((*opened, code, directive.start))
        for code, opened in open_ranges.items():
            closed.append((*opened, code, text_end))
        for d_index, s_index, start, code, end in closed:
            plan.regions.append(Region(d_index, s_index, frozenset((code,)), start, end))
        return plan

    def _side_findings(
        self, plan: _Plan, catalogue: dict[str, Rule], side: SideCheck
    ) -> Iterable[Finding]:
        """Return the findings of the rules directives name that the run did not select."""
        selected = {rule.code for rule in self.rules}
        wanted = frozenset(
            code
            for region in plan.regions
            for code in region.codes
            if code not in selected and not isinstance(catalogue[code].kind, SuppressionKind)
        )
        return side(wanted, catalogue) if wanted else []

    def _problems(
        self, directives: list[Directive], plan: _Plan, used: set[tuple[int, int]]
    ) -> list[tuple[Rule, Hit]]:
        problems: list[tuple[Rule, Hit]] = []
        invalid = self.reporters.get(SuppressionProblem.INVALID)
        unused = self.reporters.get(SuppressionProblem.UNUSED)
        if invalid is not None:
            for directive in directives:
                if directive.problem is not None:
                    hit = Hit(directive.start, directive.end, values={"detail": directive.problem})
                    problems.append((invalid, hit))
            for selector, detail in plan.unknown:
                problems.append(
                    (invalid, Hit(selector.start, selector.end, values={"detail": detail}))
                )
        if unused is not None:
            for (d_index, s_index), detail in plan.judged.items():
                if (d_index, s_index) not in used:
                    selector = directives[d_index].selectors[s_index]
                    hit = Hit(selector.start, selector.end, values={"detail": detail})
                    problems.append((unused, hit))
            for selector in plan.unmatched_enables:
                detail = "no disable= for it is open here"
                problems.append(
                    (unused, Hit(selector.start, selector.end, values={"detail": detail}))
                )
        return problems


def _next_block(document: Document, after: int) -> tuple[int, int]:
    """Return the span of the block after a directive: the next segment, or the rest of one.

    When the directive shares a segment with text that follows it (a directive line glued
    to its paragraph in plain text), the block is the rest of that segment.
    """
    text = document.text
    for segment in document.segments:
        start, end = segment.start, segment.end
        if start < after < end and text[after:end].strip():
            rest = after + (len(text[after:end]) - len(text[after:end].lstrip()))
            return rest, end
        if start >= after:
            return start, end
    return len(text), len(text)
