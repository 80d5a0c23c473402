"""N-gram kind: word sequences measured to be far more frequent in translated than native news.

Each n-gram of a rule carries the counts it was mined with (``bench/translationese.py``): how
often it occurs in the machine-translated news copy (``mt``, out of the rule's ``mt_words``)
and in native English (``native``, out of ``native_words``). The message quotes the measured
contrast, so an editor sees why a fluent-looking phrase was flagged, and the suggestions (when
a drop-in replacement exists) or a hint say what to write instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import regex

from tqcheck.document import Segment
from tqcheck.fix import Applicability, Edit
from tqcheck.kinds.base import (
    Context,
    Hit,
    Kind,
    LazyPattern,
    ParamError,
    Params,
    compile_guard,
    guards_accept,
    match_case,
)

_KEYS = frozenset(
    ("match", "suggest", "hint", "mt", "native", "not_before", "not_after", "only_after")
)
# Words of an n-gram are separated by blanks only: never by a line break (see Kind.trigger).
_GAP = r"[^\S\n]+"
_WORD = regex.compile(r"\p{L}+(?:['’-]\p{L}+)*")


@dataclass(frozen=True)
class Ngram:
    """Hold one measured n-gram: its words, counts, replacements and context guards."""

    match: str
    mt: int
    native: int
    suggest: tuple[str, ...] = ()
    hint: str = ""
    not_before: LazyPattern | None = None
    not_after: LazyPattern | None = None
    only_after: LazyPattern | None = None

    def accepts(self, text: str, start: int, end: int, timeout: float | None = None) -> bool:
        """Say whether the context around text[start:end] passes the guards.

        Raises TimeoutError when a guard takes longer than ``timeout`` seconds.
        """
        return guards_accept(
            text,
            start,
            end,
            not_before=self.not_before,
            not_after=self.not_after,
            only_after=self.only_after,
            timeout=timeout,
        )


def _int(raw: dict[str, Any], key: str, where: str, minimum: int) -> int:
    value = raw.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ParamError(f"{where}.{key}", f"expected an integer of at least {minimum}")
    return value


def _parse(index: int, raw: Any, lazy: bool) -> Ngram:
    where = f"ngrams[{index}]"
    if not isinstance(raw, dict):
        raise ParamError(where, "expected a table {match = ..., mt = ..., native = ...}")
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise ParamError(f"{where}.{unknown[0]}", "unknown n-gram key")
    match = raw.get("match")
    if not isinstance(match, str) or " ".join(_WORD.findall(match)) != match.lower():
        raise ParamError(f"{where}.match", "expected lower-case words separated by spaces")
    suggest = raw.get("suggest", [])
    if isinstance(suggest, str):
        suggest = [suggest]
    if not isinstance(suggest, list) or not all(isinstance(s, str) and s for s in suggest):
        raise ParamError(f"{where}.suggest", "expected a string or a list of strings")
    hint = raw.get("hint", "")
    if not isinstance(hint, str):
        raise ParamError(f"{where}.hint", "expected a string")
    guards: dict[str, LazyPattern] = {}
    for guard in ("not_before", "not_after", "only_after"):
        if guard in raw:
            source = raw[guard]
            if not isinstance(source, str):
                raise ParamError(f"{where}.{guard}", "expected a regular expression string")
            guards[guard] = compile_guard(f"{where}.{guard}", guard, source, lazy=lazy)
    return Ngram(
        match=match,
        mt=_int(raw, "mt", where, 1),
        native=_int(raw, "native", where, 0),
        suggest=tuple(suggest),
        hint=hint,
        **guards,
    )


class NgramKind(Kind):
    """Flag measured translationese n-grams, quoting how much more often MT copy uses them."""

    name = "ngram"

    def __init__(self, params: Params) -> None:
        """Read ``mt_words``, ``native_words`` and ``ngrams`` (tables with counts)."""
        self.mt_words = params.get("mt_words", int)
        self.native_words = params.get("native_words", int)
        if self.mt_words < 1 or self.native_words < 1:
            raise ParamError("mt_words", "corpus sizes must be positive")
        raw = params.get("ngrams", list)
        if not raw:
            raise ParamError("ngrams", "expected at least one n-gram")
        self.ngrams: dict[str, Ngram] = {}
        for i, entry in enumerate(raw):
            ngram = _parse(i, entry, params.lazy)
            if ngram.match in self.ngrams:
                raise ParamError("ngrams", f"duplicate n-gram {ngram.match!r}")
            self.ngrams[ngram.match] = ngram
        params.finish()
        # Longest first, so "the russian federation" wins over "russian federation".
        ordered = sorted(self.ngrams, key=lambda g: (-g.count(" "), -len(g), g))
        body = "|".join(_GAP.join(regex.escape(w) for w in g.split(" ")) for g in ordered)
        self._source = rf"(?i:(?<![\w'’-])(?:{body})(?![\w-]))"
        self.pattern = LazyPattern(self._source)

    def trigger(self) -> str:
        """Return the n-gram alternation itself: a segment without one cannot hit."""
        return self._source

    def evidence(self, ngram: Ngram) -> str:
        """Return the measured contrast, e.g. ``is 40× more frequent in ... than in ...``."""
        if ngram.native == 0:
            return (
                f"occurs {ngram.mt} times in {self.mt_words:,} words of machine-translated"
                f" news and never in {self.native_words:,} words of native English"
            )
        rate = (ngram.mt / self.mt_words) / (ngram.native / self.native_words)
        figure = f"{rate:.0f}" if rate >= 10 else f"{rate:.1f}"
        return f"is {figure}× more frequent in machine-translated news than in native English"

    def check_segment(self, segment: Segment, ctx: Context) -> Iterator[Hit]:
        """Yield a hit per n-gram occurrence that passes its guards."""
        text = segment.text
        timeout = ctx.settings.pattern_timeout
        for m in self.pattern.finditer(text):
            original = m.group()
            ngram = self.ngrams[" ".join(original.lower().replace("’", "'").split())]
            if not ngram.accepts(text, m.start(), m.end(), timeout):
                continue  # a TimeoutError is the checker's to report (Checker.check_segment)
            suggestions = tuple(match_case(original, s) for s in ngram.suggest)
            if suggestions:
                advice = "write " + " or ".join(f"“{s}”" for s in suggestions)
            else:
                advice = ngram.hint or "rephrase"
            yield Hit(
                m.start(),
                m.end(),
                suggestions=suggestions,
                edits=(Edit(m.start(), m.end(), suggestions[0]),) if suggestions else (),
                applicability=None if suggestions else Applicability.DISPLAY_ONLY,
                values={
                    "text": original,
                    "suggestion": suggestions[0] if suggestions else "",
                    "evidence": self.evidence(ngram),
                    "advice": advice,
                },
            )
