"""Phrase kind: word-bounded, case-insensitive phrase lists with idiomatic replacements.

All phrase rules of a run share one matcher: a trie-shaped regular expression over the words
of every phrase, so hundreds of phrases cost one scan per segment rather than one per phrase.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import regex

from tqcheck.document import Segment
from tqcheck.fix import Applicability, Edit
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
)

if TYPE_CHECKING:
    from tqcheck.rule import Rule

_GUARDS = ("not_before", "not_after", "only_before", "only_after")
_ENTRY_KEYS = frozenset(("match", "suggest", *_GUARDS))
_END = ""
_SEP = r"\s+"
# How much context a guard pattern may look at on each side of a match.
_WINDOW = 120


@dataclass(frozen=True)
class Phrase:
    """Hold one phrase of a rule: the words to match, suggestions, and context guards."""

    match: str
    key: str
    suggest: tuple[str, ...]
    not_before: LazyPattern | None = None
    not_after: LazyPattern | None = None
    only_before: LazyPattern | None = None
    only_after: LazyPattern | None = None

    def accepts(self, text: str, start: int, end: int) -> bool:
        """Say whether the context around text[start:end] passes the phrase's guards."""
        after = text[end : end + _WINDOW]
        before = text[max(0, start - _WINDOW) : start]
        if self.not_before is not None and self.not_before.match(after):
            return False
        if self.only_before is not None and not self.only_before.match(after):
            return False
        if self.not_after is not None and self.not_after.search(before):
            return False
        return self.only_after is None or self.only_after.search(before) is not None


def phrase_key(text: str) -> str:
    """Return the lookup key of a phrase: lower-cased words joined by single spaces."""
    return " ".join(text.lower().split())


def _parse_entry(index: int, raw: Any, lazy: bool = False) -> Phrase:
    key = f"phrases[{index}]"
    if isinstance(raw, str):
        raw = {"match": raw}
    if not isinstance(raw, dict):
        raise ParamError(key, "expected a table {match = ..., suggest = [...]} or a string")
    unknown = sorted(set(raw) - _ENTRY_KEYS)
    if unknown:
        raise ParamError(f"{key}.{unknown[0]}", "unknown phrase key")
    match = raw.get("match")
    if not isinstance(match, str) or not match.split():
        raise ParamError(f"{key}.match", "expected a non-empty string")
    suggest = raw.get("suggest", [])
    if isinstance(suggest, str):
        suggest = [suggest]
    if not isinstance(suggest, list) or not all(isinstance(s, str) for s in suggest):
        raise ParamError(f"{key}.suggest", "expected a string or a list of strings")
    guards: dict[str, LazyPattern] = {}
    for guard in _GUARDS:
        if guard in raw:
            source = raw[guard]
            if not isinstance(source, str):
                raise ParamError(f"{key}.{guard}", "expected a regular expression string")
            if guard.endswith("_after"):
                # Left-context guards must match right before the phrase.
                source = f"(?:{source})\\s*$"
            guards[guard] = compile_pattern(f"{key}.{guard}", source, regex.IGNORECASE, lazy=lazy)
    return Phrase(match=match, key=phrase_key(match), suggest=tuple(suggest), **guards)


class PhraseKind(Kind):
    """Flag listed phrases; the first suggestion of a phrase is its fix."""

    name = "phrase"

    def __init__(self, params: Params) -> None:
        """Read ``phrases``: strings or tables with match, suggest and guards."""
        raw = params.get("phrases", list)
        if not raw:
            raise ParamError("phrases", "expected at least one phrase")
        self.phrases = tuple(_parse_entry(i, e, params.lazy) for i, e in enumerate(raw))
        keys = [p.key for p in self.phrases]
        duplicates = {k for k in keys if keys.count(k) > 1}
        if duplicates:
            raise ParamError("phrases", f"duplicate phrase {sorted(duplicates)[0]!r}")
        params.finish()

    def check_segment(self, segment: Segment, ctx: Context) -> Iterable[Hit]:
        """Check one rule alone (used when the rule runs outside a shared matcher)."""
        return (hit for _, hit in _Matcher([(self, None)]).scan(segment.text))

    @classmethod
    def checker(cls, rules: list[Rule]) -> Checker:
        """Build one combined matcher for every phrase rule in the run."""
        return PhraseChecker(rules)


class _Matcher:
    """Match many phrases in one pass with a trie-shaped regular expression.

    Compiling the trie of every phrase takes about 0.1 s, which a pre-commit run over one
    article should not pay: for a small text, only the phrases whose words all occur in it are
    compiled (a phrase cannot match otherwise), usually a handful.
    """

    def __init__(self, owners: list[tuple[PhraseKind, Rule | None]]) -> None:
        self.table: dict[str, list[tuple[Phrase, Rule | None]]] = {}
        for kind, rule in owners:
            for phrase in kind.phrases:
                self.table.setdefault(phrase.key, []).append((phrase, rule))
        self.words = {key: tuple(dict.fromkeys(key.split(" "))) for key in self.table}
        self._compiled: dict[frozenset[str] | None, re.Pattern[str]] = {}
        self._folding: re.Pattern[str] | None = None  # compiled only if ever needed

    def keys_in(self, lowered: str) -> frozenset[str] | None:
        """Return the phrases whose every word occurs in the lower-cased text.

        None (all phrases) once the full matcher is compiled anyway. (The engine switches to
        the full matcher after the first few documents of a run, which bounds the narrowed
        ones compiled.)
        """
        if None in self._compiled:
            return None
        return frozenset(
            key for key, words in self.words.items() if all(w in lowered for w in words)
        )

    def source(self, keys: Iterable[str]) -> str:
        """Return the regular expression matching the given phrases (longest first)."""
        trie: dict[str, Any] = {}
        keys = list(keys)
        for key in keys:
            node = trie
            for word in key.split(" "):
                node = node.setdefault(word, {})
            node[_END] = {}
        body = _trie_pattern(trie)
        if body is None:
            return "(?!)"
        # The class of first letters up front lets re skip most positions cheaply (about 30 %
        # faster than starting with the lookbehind); it adds no condition the body lacks.
        firsts = re.escape("".join(sorted({key[0] for key in keys})))
        return rf"(?=[{firsts}])(?<!\w){body}(?!\w)"

    def pattern(self, keys: frozenset[str] | None = None) -> re.Pattern[str]:
        """Return the compiled matcher of some phrases (None: all), compiling it once."""
        compiled = self._compiled.get(keys)
        if compiled is None:
            # Python's re is faster than regex for a large literal alternation, and faster
            # still on text lower-cased once than with IGNORECASE (see bench/README.md).
            compiled = re.compile(self.source(self.table if keys is None else sorted(keys)))
            self._compiled[keys] = compiled
        return compiled

    def scan(
        self, text: str, lowered: str | None = None, keys: frozenset[str] | None = None
    ) -> Iterator[tuple[Rule | None, Hit]]:
        """Yield (rule, hit) per phrase occurrence; ``keys`` limits the phrases looked for."""
        lowered = text.lower() if lowered is None else lowered
        # Lower-casing can change the length of a few characters (İ); then offsets would
        # drift, so fall back to case-insensitive matching on the original text.
        if len(lowered) == len(text):
            matches = self.pattern(keys).finditer(lowered)
        else:
            if self._folding is None:
                self._folding = re.compile(self.source(self.table), re.IGNORECASE)
            matches = self._folding.finditer(text)
        for match in matches:
            start, end = match.span()
            original = text[start:end]
            seen: set[int] = set()
            for phrase, rule in self.table.get(phrase_key(original), ()):
                if id(rule) in seen or not phrase.accepts(text, start, end):
                    continue
                seen.add(id(rule))
                yield rule, _hit(phrase, original, start, end)


def _hit(phrase: Phrase, original: str, start: int, end: int) -> Hit:
    suggestions = tuple(match_case(original, s) for s in phrase.suggest)
    edits = (Edit(start, end, suggestions[0]),) if suggestions else ()
    return Hit(
        start,
        end,
        suggestions=suggestions,
        edits=edits,
        applicability=None if suggestions else Applicability.DISPLAY_ONLY,
        values={"text": original, "suggestion": suggestions[0] if suggestions else ""},
    )


def _trie_pattern(node: dict[str, Any]) -> str | None:
    """Return a regex source matching every word path of a trie, longest first."""
    branches: list[str] = []
    for word in sorted((w for w in node if w != _END), key=lambda w: (-len(w), w)):
        child = node[word]
        rest = _trie_pattern(child)
        token = re.escape(word)
        if rest is None:
            branches.append(token)
        elif _END in child:
            branches.append(f"{token}(?:{_SEP}{rest})?")
        else:
            branches.append(f"{token}{_SEP}{rest}")
    if not branches:
        return None
    return "(?:" + "|".join(branches) + ")"


class PhraseChecker(Checker):
    """Run every phrase rule of a run through one shared matcher."""

    def __init__(self, rules: list[Rule]) -> None:
        """Compile the shared matcher over all phrase rules."""
        super().__init__(rules)
        owners: list[tuple[PhraseKind, Rule | None]] = []
        for rule in rules:
            assert isinstance(rule.kind, PhraseKind)
            owners.append((rule.kind, rule))
        self.matcher = _Matcher(owners)

    def candidates(self, batch: Batch) -> set[int] | None:
        """Return the segments where some phrase occurs, from one scan of the whole batch.

        The pattern's word bounds are lookarounds on word characters, which a line break is
        not, so a phrase inside a line is found exactly as in the line alone.
        """
        if not batch.bulk:
            return None
        return batch.search(self.matcher.pattern(), lowered=True)

    def check_segment(self, segment: Segment, ctx: Context) -> Iterator[tuple[Rule, Hit]]:
        """Yield a (rule, hit) pair per phrase occurrence that passes its guards."""
        keys = None
        if not ctx.bulk:
            # A small document: look only for the phrases whose words it contains.
            keys = ctx.memo(
                f"phrase-keys:{id(self)}", lambda: self.matcher.keys_in(ctx.segment_text())
            )
        for rule, hit in self.matcher.scan(segment.text, ctx.lowered(segment), keys):
            assert rule is not None
            yield rule, hit
