"""Phrase kind: word-bounded, case-insensitive phrase lists with idiomatic replacements.

All phrase rules of a run share one matcher: a trie-shaped regular expression over the words
of every phrase, so hundreds of phrases cost one scan per segment rather than one per phrase.

A phrase may be a *frame*: slots in braces stand for a class of words and are expanded into
plain phrases when the pack loads, so the shared matcher (and the narrowing of batch scans to
a phrase's words) works on frames unchanged:

- ``{be}``: is, are, am, was, were, be, been, being and the contractions 's, 're, 'm (which
  attach to the word before);
- ``{have}``: has, have, had, having, 've, 'd;
- ``{adv}``: nothing or one adverb of a small list (also, further, mainly, now, still, not...);
- ``{hold:verb}``: any form of the verb: hold, holds, held, holding;
- ``{a|b|c}``: one of the given words or phrases; an empty choice (``{s|}``) makes it optional.

Suggestions may repeat what a slot matched: ``{be}``, ``{have}``, ``{adv}``, or ``{1}``,
``{2}``... for the slots in order; ``{aim:verb}`` in a suggestion agrees with the first verb
slot of the match (``is aimed at`` -> ``aims to``, ``were aimed at`` -> ``aimed to``). Guards may
use ``{adv}`` (an optional adverb with its leading space), ``{ing}`` (an -ing word) and
``{be}``. A phrase may be listed again after guarded entries: the first entry whose guards
accept a match gives its suggestions, so the words that follow can pick the replacement.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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
    compile_guard,
    guards_accept,
    match_case,
    timeout_message,
)
from tqcheck.kinds.verbs import ADVERBS, BE_FORMS, HAVE_FORMS, verb_forms

if TYPE_CHECKING:
    from tqcheck.rule import Rule

_GUARDS = ("not_before", "not_after", "only_before", "only_after")
_ENTRY_KEYS = frozenset(("match", "suggest", *_GUARDS))
_END = ""
_SEP = r"\s+"
# How much context a guard pattern may look at on each side of a match.
# A frame slot: {be}, {have}, {adv}, {hold:verb}, {a|b|c}; and in suggestions {1}, {2}...
_SLOT = re.compile(r"\{([^{}]*)\}")
# At most this many phrases from one frame (a typo such as {be} {be} {adv} {adv} fails loudly).
_MAX_EXPANSIONS = 5000
_APOSTROPHES = "'’"
# Regular-expression forms of the slots a guard may use.
_GUARD_SLOTS = {
    "{adv}": r"(?:\s+(?:" + "|".join(ADVERBS) + r"))?",
    "{ing}": r"\p{L}+ing\b",
    "{be}": r"(?:" + "|".join(re.escape(w) for w, _ in BE_FORMS) + r")",
}


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

    @property
    def guarded(self) -> bool:
        """Say whether the phrase has a context guard."""
        guards = (self.not_before, self.not_after, self.only_before, self.only_after)
        return any(g is not None for g in guards)

    def accepts(self, text: str, start: int, end: int, timeout: float | None = None) -> bool:
        """Say whether the context around text[start:end] passes the phrase's guards."""
        return guards_accept(
            text,
            start,
            end,
            not_before=self.not_before,
            not_after=self.not_after,
            only_before=self.only_before,
            only_after=self.only_after,
            timeout=timeout,
        )


def phrase_key(text: str) -> str:
    """Return the lookup key of a phrase: lower-cased words joined by single spaces."""
    return " ".join(text.lower().split())


@dataclass(frozen=True)
class _Choice:
    """Hold one word a frame slot can stand for, with its verb form (base, past...) if any."""

    text: str
    form: str | None = None


def _slot_choices(key: str, name: str) -> tuple[_Choice, ...]:
    """Return what a frame slot of a match stands for; ParamError for an unknown slot."""
    if name == "be":
        return tuple(_Choice(word, form) for word, form in BE_FORMS)
    if name == "have":
        return tuple(_Choice(word, form) for word, form in HAVE_FORMS)
    if name == "adv":
        return (_Choice(""), *(_Choice(word) for word in ADVERBS))
    if name.endswith(":verb"):
        lemma = name[: -len(":verb")]
        if not lemma.isalpha():
            raise ParamError(key, f"expected a verb before ':verb' in {{{name}}}")
        by_text: dict[str, _Choice] = {}
        for form, word in verb_forms(lemma).items():
            by_text.setdefault(word, _Choice(word, form))
        return tuple(by_text.values())
    if "|" in name:
        return tuple(_Choice(" ".join(choice.split())) for choice in name.split("|"))
    raise ParamError(key, f"unknown frame slot {{{name}}} (use be, have, adv, VERB:verb or a|b)")


def _join(parts: Iterable[str]) -> str:
    """Join a frame's literal parts and slot words; contractions attach to the word before."""
    text = ""
    for part in parts:
        if part[:1] in _APOSTROPHES and part[1:2].isalpha():
            text = text.rstrip()
        text += part
    return " ".join(text.split())


def _fill(key: str, template: str, slots: list[tuple[str, _Choice]], phrase: str) -> str:
    """Fill a suggestion template from what the slots of one expansion of a frame stand for."""

    def ref(name: str) -> str:
        if name.isdigit():
            if not 1 <= int(name) <= len(slots):
                raise ParamError(
                    key, f"suggestion refers to slot {{{name}}}, which the match lacks"
                )
            return slots[int(name) - 1][1].text
        if name in ("be", "have", "adv"):
            for slot, choice in slots:
                if slot == name:
                    return choice.text
            raise ParamError(key, f"suggestion refers to {{{name}}}, which the match lacks")
        if name.endswith(":verb") and name[: -len(":verb")].isalpha():
            for _, choice in slots:
                if choice.form is not None:
                    return verb_forms(name[: -len(":verb")])[choice.form]
            raise ParamError(
                key, f"{{{name}}} needs a verb slot ({{be}}, {{have}}, ...) in the match"
            )
        raise ParamError(key, f"unknown suggestion slot {{{name}}}")

    pieces = _SLOT.split(template)
    text = _join(piece if i % 2 == 0 else ref(piece) for i, piece in enumerate(pieces))
    if phrase[:1] in _APOSTROPHES and text[:1] not in _APOSTROPHES:
        # The match starts with a contraction ('re aimed at): keep the word before apart.
        text = " " + text
    return text


def _expand(key: str, match: str) -> list[tuple[str, list[tuple[str, _Choice]]]]:
    """Return the plain phrases of a frame, each with what its slots stand for."""
    pieces = _SLOT.split(match)
    names = pieces[1::2]
    if not names:
        return [(match, [])]
    choices = [_slot_choices(key, name) for name in names]
    count = 1
    for options in choices:
        count *= len(options)
    if count > _MAX_EXPANSIONS:
        raise ParamError(key, f"the frame expands to {count} phrases (at most {_MAX_EXPANSIONS})")
    phrases: list[tuple[str, list[tuple[str, _Choice]]]] = []
    for combination in itertools.product(*choices):
        parts = [pieces[0]]
        for choice, literal in zip(combination, pieces[2::2], strict=True):
            parts += [choice.text, literal]
        text = _join(parts)
        if text:
            slot_names = ["verb" if n.endswith(":verb") else n for n in names]
            phrases.append((text, list(zip(slot_names, combination, strict=True))))
    return phrases


def _parse_entry(index: int, raw: Any, lazy: bool = False) -> list[Phrase]:
    """Read one entry of ``phrases``: a plain phrase or a frame, expanded into phrases."""
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
            for slot, expansion in _GUARD_SLOTS.items():
                source = source.replace(slot, expansion)
            guards[guard] = compile_guard(f"{key}.{guard}", guard, source, lazy=lazy)
    phrases: dict[str, Phrase] = {}
    for text, slots in _expand(f"{key}.match", match):
        if phrase_key(text) in phrases:
            continue  # one word standing for two slots (held: past and participle)
        suggestions = tuple(dict.fromkeys(_fill(f"{key}.suggest", s, slots, text) for s in suggest))
        phrases[phrase_key(text)] = Phrase(
            match=text, key=phrase_key(text), suggest=suggestions, **guards
        )
    return list(phrases.values())


class PhraseKind(Kind):
    """Flag listed phrases; the first suggestion of a phrase is its fix."""

    name = "phrase"

    def __init__(self, params: Params) -> None:
        """Read ``phrases``: strings or tables with match, suggest and guards."""
        raw = params.get("phrases", list)
        if not raw:
            raise ParamError("phrases", "expected at least one phrase")
        self.phrases = tuple(
            phrase for i, e in enumerate(raw) for phrase in _parse_entry(i, e, params.lazy)
        )
        # A phrase may come again only after guarded entries (the first that accepts wins):
        # after an unguarded one it could never match.
        unguarded: set[str] = set()
        for phrase in self.phrases:
            if phrase.key in unguarded:
                raise ParamError("phrases", f"duplicate phrase {phrase.key!r}")
            if not phrase.guarded:
                unguarded.add(phrase.key)
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
        # A phrase that starts with a contraction ('re aimed at) starts right after a word.
        return rf"(?=[{firsts}])(?:(?<!\w)|(?=['’])){body}(?!\w)"

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
        self,
        text: str,
        lowered: str | None = None,
        keys: frozenset[str] | None = None,
        timeout: float | None = None,
        on_timeout: Callable[[Rule | None], None] | None = None,
    ) -> Iterator[tuple[Rule | None, Hit]]:
        """Yield (rule, hit) per phrase occurrence; ``keys`` limits the phrases looked for.

        A guard that runs out of ``timeout`` rejects its phrase and is reported through
        ``on_timeout`` (without a handler the TimeoutError propagates).
        """
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
                if id(rule) in seen:
                    continue
                try:
                    accepted = phrase.accepts(text, start, end, timeout)
                except TimeoutError:
                    if on_timeout is None:
                        raise
                    on_timeout(rule)
                    continue
                if not accepted:
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
        timeout = ctx.settings.pattern_timeout

        def timed_out(rule: Rule | None) -> None:
            if rule is not None:
                ctx.fail(rule.code, timeout_message(rule.code, rule.name, timeout))

        scan = self.matcher.scan(segment.text, ctx.lowered(segment), keys, timeout, timed_out)
        for rule, hit in scan:
            assert rule is not None
            if rule.code not in ctx.errors:
                yield rule, hit
