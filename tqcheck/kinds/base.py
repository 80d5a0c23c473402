"""The extension point: a rule *kind* checks text for one family of artifacts.

A TOML rule names a kind and supplies its parameters. Kinds are set up once when the pack is
loaded (parameters validated, patterns compiled); at check time they receive segments (or the
whole document, for kinds that look across paragraphs) and return hits in the coordinates
they were given.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import regex

from tqcheck.document import Document, Scope, Segment
from tqcheck.fix import Applicability, Edit
from tqcheck.lazyre import LazyPattern as LazyPattern
from tqcheck.lazyre import lazy_regex as lazy_regex
from tqcheck.settings import DashStyle as DashStyle  # re-exported for kind authors
from tqcheck.settings import QuoteStyle as QuoteStyle
from tqcheck.settings import Settings as Settings

if TYPE_CHECKING:
    from tqcheck.rule import Rule


class ParamError(Exception):
    """Raise for an invalid rule parameter; ``key`` names the parameter."""

    def __init__(self, key: str, message: str) -> None:
        """Remember the offending key and the problem."""
        super().__init__(message)
        self.key = key


@dataclass(frozen=True)
class Hit:
    """Report one match of a kind: a span, suggestions, and optionally the edits that fix it.

    Offsets are in the coordinates the kind was called with (segment or document). The
    applicability, when given, caps the rule's own applicability for this hit.
    """

    start: int
    end: int
    suggestions: tuple[str, ...] = ()
    edits: tuple[Edit, ...] = ()
    applicability: Applicability | None = None
    values: Mapping[str, str] = field(default_factory=dict)


@dataclass
class Context:
    """Give a kind the document under check and run-wide settings."""

    document: Document
    settings: Settings
    # Rules that failed on this document (code -> message); they are skipped from then on.
    errors: dict[str, str] = field(default_factory=dict)
    # Set for big inputs (large documents, line files): checkers then use their matchers
    # compiled for every rule, instead of ones narrowed to the words of a small document.
    bulk: bool = False
    # For a line of a line file: the batch of lines it was planned in, and its index there
    # (checkers may keep per-line results of their batch scans; see Checker.candidates).
    batch: Batch | None = None
    batch_index: int = -1

    def fail(self, code: str, message: str) -> None:
        """Record that a rule failed on this document; it is skipped for the rest of it."""
        self.errors.setdefault(code, message)

    def memo(self, key: str, build: Any) -> Any:
        """Return a per-document value, building it once (e.g. a name index)."""
        cache = self.document.cache
        if key not in cache:
            cache[key] = build()
        return cache[key]

    def segment_text(self) -> str:
        """Return the lower-cased text of all the document's segments, computed once."""
        return str(
            self.memo(
                "segment-text", lambda: "\n".join(s.text for s in self.document.segments).lower()
            )
        )

    def lowered(self, segment: Segment) -> str:
        """Return the segment's lower-cased text, computed once per segment for prefilters."""
        if self._lowered_for is not segment:
            self._lowered_for = segment
            self._lowered = segment.text.lower()
        return self._lowered

    _lowered_for: Segment | None = None
    _lowered: str = ""


class Params:
    """Read rule parameters strictly: typed getters, and an error for any key left unread."""

    def __init__(self, raw: Mapping[str, Any], *, lazy: bool = False) -> None:
        """Wrap the raw ``[rules.params]`` table.

        ``lazy`` is set for packs already validated in an earlier run (see packcache): their
        patterns compile on first use instead of at load time, which keeps start-up fast.
        """
        self._raw = dict(raw)
        self._read: set[str] = set()
        self.lazy = lazy

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        """Return a parameter of the given type; missing required ones are an error."""
        self._read.add(key)
        if key not in self._raw:
            if default is ...:
                raise ParamError(key, "required parameter is missing")
            return default
        value = self._raw[key]
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
            names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
            raise ParamError(key, f"expected {names}, got {type(value).__name__}")
        return value

    def regex(self, key: str, default: str | None = None, flags: int = 0) -> LazyPattern | None:
        """Return a `regex` pattern parameter (None if absent and no default)."""
        source = self.get(key, str, default)
        if source is None:
            return None
        return compile_pattern(key, source, flags, lazy=self.lazy)

    def finish(self) -> None:
        """Raise for the first parameter that no getter asked for."""
        unknown = sorted(set(self._raw) - self._read)
        if unknown:
            raise ParamError(unknown[0], "unknown parameter")


def compile_pattern(key: str, source: str, flags: int = 0, *, lazy: bool = False) -> LazyPattern:
    """Wrap a `regex` pattern, compiling it now (validation) unless lazy; name the key on error."""
    pattern = LazyPattern(source, flags)
    if not lazy:
        try:
            pattern.compiled  # noqa: B018 - compile now to validate the pack
        except regex.error as exc:
            raise ParamError(key, f"invalid regular expression: {exc}") from None
    return pattern


class Kind:
    """Base class of rule kinds; subclasses set ``name`` and implement a check method.

    ``document_level`` kinds implement :meth:`check_document` and get the whole document
    (their hits are in document offsets); the others implement :meth:`check_segment`.
    """

    name: ClassVar[str] = ""
    document_level: bool = False

    def __init__(self, params: Params) -> None:
        """Validate and compile the rule's parameters (subclasses read them, then finish)."""
        params.finish()

    def check_segment(self, segment: Segment, ctx: Context) -> Iterable[Hit]:
        """Return hits in segment offsets."""
        return ()

    def check_document(self, document: Document, ctx: Context) -> Iterable[Hit]:
        """Return hits in document offsets."""
        return ()

    def trigger(self) -> str | None:
        """Return a pattern a segment must contain for this rule to hit in it, if there is one.

        Used in bulk checks (line files, big documents; see :class:`Batch`): a segment in
        whose text the pattern finds nothing is not given to the rule's segment-level check.
        The pattern must not be able to match a line break. None: no such test, every segment
        is checked; ``NEVER``: the kind never hits from a segment's text.
        """
        return None

    @classmethod
    def checker(cls, rules: list[Rule]) -> Checker:
        """Build the checker that runs all rules of this kind in one pass where it can."""
        return Checker(rules)


# A trigger for kinds that never hit from the text of a segment (see Kind.trigger).
NEVER = "(?!)"


class Batch:
    """Hold many segments (a line file's lines, a document's paragraphs) for one scan of all.

    The texts are joined with line breaks, so one regular-expression scan replaces thousands
    of per-segment calls; :meth:`touched` maps the matches back to segment indexes. Batch scans
    only ever *narrow* the segments a checker runs on: the checker itself then runs on each
    candidate segment as before, so the findings are exactly those of an unnarrowed run.
    """

    def __init__(self, segments: Sequence[Segment], bulk: bool = True) -> None:
        """Join the segments' texts; remember where each one starts.

        ``bulk`` is False for a lone small document: checkers then skip batch scans that
        would cost more to compile than they save (see Context.bulk).
        """
        self.segments = segments
        self.bulk = bulk
        # What checkers learned from their scans, per line (keyed by checker): kept here, not
        # on the checkers, so that engines shared between threads never mix two batches.
        self.notes: dict[int, Any] = {}
        texts = [segment.text for segment in segments]
        self.joined = "\n".join(texts)
        self.starts: list[int] = []
        offset = 0
        for text in texts:
            self.starts.append(offset)
            offset += len(text) + 1
        self._lowered: str | None = None

    @property
    def lowered(self) -> str | None:
        """Return the lower-cased joined text, or None when lower-casing changes its length."""
        if self._lowered is None:
            self._lowered = self.joined.lower()
        return self._lowered if len(self._lowered) == len(self.joined) else None

    def touched(self, spans: Iterable[tuple[int, int]]) -> set[int]:
        """Return the indexes of the segments that the given spans start in or run into.

        A match that runs across a line break may have consumed text in which a per-segment
        scan would have matched, so every segment it touches is a candidate.
        """
        found: set[int] = set()
        starts = self.starts
        for start, end in spans:
            first = bisect.bisect_right(starts, start) - 1
            last = bisect.bisect_right(starts, max(start, end - 1)) - 1
            found.update(range(first, last + 1))
        return found

    def search(self, pattern: Any, lowered: bool = False) -> set[int] | None:
        """Return the segments a compiled pattern matches in (None: cannot tell, check all)."""
        text = self.lowered if lowered else self.joined
        if text is None:
            return None
        return self.touched(m.span() for m in pattern.finditer(text))


class Checker:
    """Run a group of rules of one kind; kinds override this to share work between rules."""

    def __init__(self, rules: list[Rule]) -> None:
        """Keep the rules to run, split once into segment-level and document-level ones."""
        self.rules = rules
        self.segment_rules = [r for r in rules if not r.kind.document_level]
        self.document_rules = [r for r in rules if r.kind.document_level]
        self._trigger: LazyPattern | None = None
        self._by_scope: dict[Scope, list[Rule]] = {}

    def candidates(self, batch: Batch) -> set[int] | None:
        """Return the indexes of the batch's segments worth checking (None: all of them).

        By default, the segments where some rule's :meth:`Kind.trigger` matches, when every
        rule of the group has one.
        """
        if not batch.bulk:
            return None
        if self._trigger is None:
            triggers = [rule.kind.trigger() for rule in self.rules]
            if not triggers or any(t is None for t in triggers):
                return None
            sources = sorted({t for t in triggers if t is not None and t != NEVER})
            if not sources:
                return set()
            self._trigger = LazyPattern("|".join(f"(?:{t})" for t in sources))
        return batch.search(self._trigger)

    def check_segment(self, segment: Segment, ctx: Context) -> Iterator[tuple[Rule, Hit]]:
        """Yield (rule, hit) pairs for one segment."""
        rules = self._by_scope.get(segment.scope)
        if rules is None:
            # A rule is not run where the engine would drop its hits (out of its scopes).
            rules = [r for r in self.segment_rules if r.applies_to(segment.scope)]
            self._by_scope[segment.scope] = rules
        for rule in rules:
            if rule.code in ctx.errors:
                continue
            try:
                hits = list(rule.kind.check_segment(segment, ctx))
            except TimeoutError:
                # A kind that matches under the time budget (guards, user patterns) ran out:
                # the rule is reported once for the file and skipped from here on.
                timeout = ctx.settings.pattern_timeout
                ctx.fail(rule.code, timeout_message(rule.code, rule.name, timeout))
                continue
            for hit in hits:
                yield rule, hit

    def check_document(self, document: Document, ctx: Context) -> Iterator[tuple[Rule, Hit]]:
        """Yield (rule, hit) pairs for a whole document."""
        if not self.document_rules:
            return
        for rule in self.document_rules:
            if rule.code not in ctx.errors:
                for hit in rule.kind.check_document(document, ctx):
                    yield rule, hit


def match_case(original: str, replacement: str) -> str:
    """Return replacement with the capitalisation of original (Title, UPPER or as given)."""
    if not replacement or not original:
        return replacement
    letters = [c for c in original if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return replacement.upper()
    first = original.split()[0] if original.split() else original
    # Only a Titlecase first word signals sentence position: "III quarter" (a numeral) and
    # the pronoun "I" say nothing about where the phrase stands.
    titled = first[:1].isupper() and (first[1:].islower() or (len(first) == 1 and first != "I"))
    if titled:
        return replacement[0].upper() + replacement[1:]
    return replacement


def timeout_message(code: str, name: str, timeout: float) -> str:
    """Describe a rule that ran out of time (reported once per file)."""
    return (
        f"rule {code} ({name}) exceeded its {timeout:g} s time budget and was skipped for this"
        " file; its pattern may backtrack catastrophically"
    )


# Characters of context a phrase guard sees on each side of the match.
GUARD_WINDOW = 120


def compile_guard(key: str, guard: str, source: str, *, lazy: bool = False) -> LazyPattern:
    """Compile a context guard: ``*_after`` guards must end right before the phrase."""
    if guard.endswith("_after"):
        source = f"(?:{source})\\s*$"
    return compile_pattern(key, source, regex.IGNORECASE, lazy=lazy)


def guards_accept(
    text: str,
    start: int,
    end: int,
    *,
    not_before: LazyPattern | None = None,
    not_after: LazyPattern | None = None,
    only_before: LazyPattern | None = None,
    only_after: LazyPattern | None = None,
    timeout: float | None = None,
) -> bool:
    """Say whether the context around text[start:end] passes a phrase's context guards.

    ``*_before`` guards match the text right after the phrase (what comes before something
    else), ``*_after`` guards search the text right before it. Raises TimeoutError when a guard
    takes longer than ``timeout`` seconds (a user pack's guard can backtrack catastrophically).
    """
    after = text[end : end + GUARD_WINDOW]
    before = text[max(0, start - GUARD_WINDOW) : start]
    if not_before is not None and not_before.match(after, timeout=timeout):
        return False
    if only_before is not None and not only_before.match(after, timeout=timeout):
        return False
    if not_after is not None and not_after.search(before, timeout=timeout):
        return False
    return only_after is None or only_after.search(before, timeout=timeout) is not None
