"""Pattern kind: a `regex`-module pattern with named groups and replacement templates."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import regex

from tqcheck.document import Scope, Segment
from tqcheck.fix import Applicability, Edit
from tqcheck.kinds.anchors import trie_pattern
from tqcheck.kinds.base import (
    Batch,
    Checker,
    Context,
    Hit,
    Kind,
    LazyPattern,
    ParamError,
    Params,
    compile_pattern,
    match_case,
    timeout_message,
)
from tqcheck.kinds.verbs import base_form
from tqcheck.packcache import cached_anchors

if TYPE_CHECKING:
    from tqcheck.rule import Rule

# A template reference: \g<name> or \g<name|filter>.
_REFERENCE = regex.compile(r"\\g<(\w+)(?:\|([\w-]+))?>")

FILTERS: dict[str, Callable[[str], str]] = {
    "lower": str.lower,
    "upper": str.upper,
    "title": lambda s: s[:1].upper() + s[1:],
    "base": base_form,
}


def check_template(key: str, template: str, pattern: LazyPattern) -> None:
    """Raise ParamError if a template names an unknown group or filter."""
    groups = set(pattern.groupindex)
    for match in _REFERENCE.finditer(template):
        name, filter_name = match.group(1), match.group(2)
        if not name.isdigit() and name not in groups:
            raise ParamError(key, f"template refers to unknown group {name!r}")
        if name.isdigit() and int(name) > pattern.groups:
            raise ParamError(key, f"template refers to missing group {name}")
        if filter_name is not None and filter_name not in FILTERS:
            raise ParamError(key, f"unknown template filter {filter_name!r}")


def expand(template: str, match: regex.Match[str]) -> str:
    """Fill a template from a match; unmatched groups expand to nothing."""

    def ref(m: regex.Match[str]) -> str:
        name, filter_name = m.group(1), m.group(2)
        value = match.group(int(name) if name.isdigit() else name) or ""
        return FILTERS[filter_name](value) if filter_name else value

    return _REFERENCE.sub(ref, template)


class PatternKind(Kind):
    """Flag matches of a pattern (or only its ``mark`` group) and offer a templated fix."""

    name = "pattern"

    def __init__(self, params: Params) -> None:
        """Read ``pattern``, optional ``replace``, ``suggest`` and ``case_sensitive``."""
        case_sensitive = params.get("case_sensitive", bool, False)
        flags = 0 if case_sensitive else regex.IGNORECASE
        pattern = params.regex("pattern", flags=flags)
        assert pattern is not None
        self.pattern = pattern
        # Words one of which every match needs: segments without them are skipped cheaply.
        self.anchors = cached_anchors(pattern.pattern, bool(pattern.flags & regex.VERBOSE))
        self.replace: str | None = params.get("replace", str, None)
        self.suggest: tuple[str, ...] = tuple(params.get("suggest", list, []))
        if not all(isinstance(s, str) for s in self.suggest):
            raise ParamError("suggest", "expected a list of strings")
        if not params.lazy:  # a pack validated before skips this (it compiles the pattern)
            for key, template in [
                ("replace", self.replace),
                *(("suggest", s) for s in self.suggest),
            ]:
                if template is not None:
                    check_template(key, template, self.pattern)
        self.keep_case = params.get("keep_case", bool, True)
        # An explicit cheap test (stdlib re on the lower-cased segment) for patterns without
        # anchor words, such as the number conventions: "\\d,\\d" must occur for TQ601 to run.
        # Compiled with `regex` (not re) so that it runs under the same time budget as the
        # pattern: a user pack's prefilter can backtrack catastrophically too.
        prefilter = params.get("prefilter", str, None)
        self.prefilter = (
            compile_pattern("prefilter", prefilter, lazy=params.lazy)
            if prefilter is not None
            else None
        )
        self.has_mark = "(?P<mark>" in pattern.pattern or "(?<mark>" in pattern.pattern
        params.finish()

    def check_segment(self, segment: Segment, ctx: Context) -> Iterator[Hit]:
        """Yield a hit per match, on the ``mark`` group when the pattern has one."""
        lowered = ctx.lowered(segment)
        if self.anchors is not None and not any(word in lowered for word in self.anchors):
            return
        timeout = ctx.settings.pattern_timeout
        if self.prefilter is not None and not self.prefilter.search(lowered, timeout=timeout):
            return
        yield from self.matches(segment.text, timeout)

    @classmethod
    def checker(cls, rules: list[Rule]) -> Checker:
        """Build a checker that finds every rule's anchor words in one scan per segment."""
        return PatternChecker(rules)

    def matches(self, text: str, timeout: float | None = None) -> Iterator[Hit]:
        """Yield a hit per match of the pattern in text (no prefilter).

        Raises TimeoutError when matching takes longer than ``timeout`` seconds.
        """
        for match in self.pattern.finditer(text, timeout=timeout):
            start, end = match.span("mark") if self.has_mark else match.span()
            if start < 0 or (start == end and self.replace is None):
                continue
            original = text[start:end]
            suggestions: list[str] = []
            edits: tuple[Edit, ...] = ()
            if self.replace is not None:
                replacement = expand(self.replace, match)
                if self.keep_case:
                    replacement = match_case(original, replacement)
                if replacement == original:
                    continue
                suggestions.append(replacement)
                edits = (Edit(start, end, replacement),)
            for template in self.suggest:
                suggestion = expand(template, match)
                if self.keep_case:
                    suggestion = match_case(original, suggestion)
                if suggestion not in suggestions:
                    suggestions.append(suggestion)
            yield Hit(
                start,
                end,
                suggestions=tuple(suggestions),
                edits=edits,
                applicability=None if edits else Applicability.DISPLAY_ONLY,
                # {text} is for reading: a mark that starts with the space before a repeated
                # word shows as “the”, not “ the”.
                values={
                    "text": original.strip() or original,
                    "suggestion": suggestions[0] if suggestions else "",
                },
            )


class PatternChecker(Checker):
    """Run many pattern rules, each only on segments that contain one of its anchor words.

    One scan of the lower-cased segment with an alternation of all anchor words finds the
    candidate rules; rules without anchors always run. The dispatch is exact: an anchor that
    overlaps a longer match found by the scan is also looked up directly.
    """

    def __init__(self, rules: list[Rule]) -> None:
        """Index the rules by anchor word and compile the combined anchor scan."""
        super().__init__(rules)
        self.always: list[Rule] = []
        by_word: dict[str, list[Rule]] = {}
        for rule in rules:
            kind = rule.kind
            assert isinstance(kind, PatternKind)
            if kind.anchors is None:
                self.always.append(rule)
            else:
                for word in kind.anchors:
                    by_word.setdefault(word, []).append(rule)
        self.by_word = by_word
        self.order = {rule.code: i for i, rule in enumerate(rules)}
        self._scan: _AnchorScan | None = None
        # Candidate rules (always-rules and those of the anchors found), by anchors found.
        self._by_anchors: dict[tuple[frozenset[str], Scope, frozenset[str]], list[Rule]] = {}
        # Always-rule prefilters compiled in multi-line mode, for batch scans (see candidates).
        self._multiline: dict[str, LazyPattern] = {}

    @property
    def scan(self) -> _AnchorScan | None:
        """Return the combined anchor scan for bulk input, built on first use."""
        if self._scan is None and self.by_word:
            self._scan = _AnchorScan(sorted(self.by_word, key=lambda w: (-len(w), w)))
        return self._scan

    def candidates(self, batch: Batch) -> None:
        r"""Scan the batch once for each always-rule's prefilter; every line stays a candidate.

        The prefilters run over the joined lines in multi-line mode (``^`` and ``$`` meet each
        line's ends). The lines a prefilter does not touch are noted on the batch, and the rule
        is skipped on them without a per-line search. A prefilter whose match could differ next
        to a line break from one at the end of a text (absolute anchors, negative lookarounds,
        possessive or atomic groups, ``\K``, verbs) is searched line by line as before.
        """
        passing: dict[int, set[str]] = {}
        scanned: set[str] = set()
        lowered = batch.lowered if batch.bulk else None
        if lowered is not None:
            for rule in self.always:
                kind = rule.kind
                assert isinstance(kind, PatternKind)
                if kind.prefilter is None or _EDGE_SENSITIVE.search(kind.prefilter.pattern):
                    continue
                multiline = self._multiline.get(rule.code)
                if multiline is None:
                    flags = kind.prefilter.flags | regex.MULTILINE
                    multiline = LazyPattern(kind.prefilter.pattern, flags)
                    self._multiline[rule.code] = multiline
                try:
                    spans = [m.span() for m in multiline.finditer(lowered, timeout=BATCH_TIMEOUT)]
                except TimeoutError:
                    continue  # not narrowed: each line's own search reports the rule
                scanned.add(rule.code)
                for index in batch.touched(spans):
                    passing.setdefault(index, set()).add(rule.code)
        if scanned:
            batch.notes[id(self)] = (frozenset(scanned), passing)
        return None

    def _skips(self, segment: Segment, ctx: Context) -> frozenset[str]:
        """Return the always-rules whose prefilter the batch scan showed cannot match here."""
        batch = ctx.batch
        note = None if batch is None else batch.notes.get(id(self))
        if note is None:
            return _NONE
        assert batch is not None
        # Only a whole line (not a window of a long one) was scanned as such.
        if len(segment.text) != len(batch.segments[ctx.batch_index].text):
            return _NONE
        scanned: frozenset[str] = note[0]
        passing: dict[int, set[str]] = note[1]
        return scanned.difference(passing.get(ctx.batch_index, ()))

    def anchors_in(self, segment: Segment, ctx: Context) -> set[str]:
        """Return the anchor words that occur in the lower-cased segment."""
        lowered = ctx.lowered(segment)
        if ctx.bulk:
            scan = self.scan
            return scan.present(lowered) if scan is not None else set()
        # A small document: test the few anchors it contains, found once by substring search
        # (no need to compile the scan of every anchor for one article).
        in_document: list[str] = ctx.memo(
            f"anchors:{id(self)}",
            lambda: [w for w in self.by_word if w in ctx.segment_text()],
        )
        return {w for w in in_document if w in lowered}

    def check_segment(self, segment: Segment, ctx: Context) -> Iterator[tuple[Rule, Hit]]:
        """Yield (rule, hit) pairs for the rules whose anchors occur in the segment."""
        present = frozenset(self.anchors_in(segment, ctx))
        skips = self._skips(segment, ctx)
        key = (present, segment.scope, skips)
        candidates = self._by_anchors.get(key)
        if candidates is None:
            chosen = {rule.code: rule for rule in self.always if rule.code not in skips}
            for word in present:
                chosen.update((rule.code, rule) for rule in self.by_word[word])
            # A rule is not run where the engine would drop its hits (out of its scopes).
            candidates = sorted(
                (rule for rule in chosen.values() if rule.applies_to(segment.scope)),
                key=lambda r: self.order[r.code],
            )
            if len(self._by_anchors) > 4096:
                self._by_anchors.clear()
            self._by_anchors[key] = candidates
        timeout = ctx.settings.pattern_timeout
        for rule in candidates:
            kind = rule.kind
            assert isinstance(kind, PatternKind)
            if rule.code in ctx.errors:
                continue
            try:
                if kind.prefilter is not None and not kind.prefilter.search(
                    ctx.lowered(segment), timeout=timeout
                ):
                    continue
                hits = list(kind.matches(segment.text, timeout))
            except TimeoutError:
                ctx.fail(rule.code, timeout_message(rule.code, rule.name, timeout))
                continue
            for hit in hits:
                yield rule, hit


_NONE: frozenset[str] = frozenset()
# A prefilter's scan over a whole batch of lines (up to a chunk of a line file) gets this long.
BATCH_TIMEOUT = 5.0
# Constructs that can match differently next to a line break than at the very start or end of
# a text: absolute anchors, negative lookarounds, possessive and atomic groups, \K, verbs.
_EDGE_SENSITIVE = re.compile(r"\\[AZzGK]|\(\?<?!|\(\?>|[*+?}]\+|\(\*")


class _AnchorScan:
    """Find which of many anchor words occur in a text, with one trie-shaped scan.

    Longest match first at each position is not needed: every found word's contained and
    overlapping anchors are looked up too, so a character trie is exact and fast.
    """

    def __init__(self, words: list[str]) -> None:
        """Compile the scan and index, for each word, the anchors it may hide."""
        self.pattern = re.compile(trie_pattern(words))
        # For each word: the anchors it contains, and the anchors that may start inside it
        # (a suffix of the word is a prefix of the anchor), which the scan can skip over.
        by_prefix: dict[str, list[str]] = {}
        for anchor in words:
            for k in range(1, len(anchor)):
                by_prefix.setdefault(anchor[:k], []).append(anchor)
        anchor_set = set(words)
        self.contained = {
            w: sorted(
                {w[i:j] for i in range(len(w)) for j in range(i + 1, len(w) + 1)} & anchor_set
            )
            for w in words
        }
        self.overlapping = {
            w: sorted({a for i in range(1, len(w)) for a in by_prefix.get(w[i:], ()) if a not in w})
            for w in words
        }

    def present(self, lowered: str) -> set[str]:
        """Return the anchors that occur in the lower-cased text."""
        present: set[str] = set()
        for word in set(self.pattern.findall(lowered)):
            present.update(self.contained[word])
            present.update(a for a in self.overlapping[word] if a in lowered)
        return present
