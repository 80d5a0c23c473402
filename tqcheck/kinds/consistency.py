"""Consistency kind: one name spelled several ways in one article (Aliyev / Aliev).

Russian names reach English through several transliteration systems, and machine translation
picks a different one from sentence to sentence. Capitalised words are clustered by a
transliteration-insensitive key (no predefined list of names); every form other than the most
frequent one is flagged with that form as the suggestion.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from functools import lru_cache

import regex

from tqcheck.document import Document
from tqcheck.fix import Edit
from tqcheck.kinds.base import Context, Hit, Kind, Params

_WORD = regex.compile(r"(?<![\p{L}\p{N}-])\p{Lu}\p{Ll}[\p{Ll}’'-]*\p{Ll}(?![\p{L}\p{N}])", regex.V1)
# Transliteration variants, each rewritten to one canonical spelling.
_RULES: tuple[tuple[regex.Pattern[str], str], ...] = tuple(
    (regex.compile(pattern), replacement)
    for pattern, replacement in (
        (r"(?:iy|yy|ij|yj|ii|i)$", "y"),  # Zelensky / Zelenskyy / Zelenskiy / Zelenskij
        (r"(?:ytch|itch|ych)$", "ich"),  # Yanukovych / Yanukovich
        (r"(?<=[aeiou])y(?=[aeiou])", ""),  # Aliyev / Aliev, Sergeyev / Sergeev
        (r"(?:ow|off)$", "ov"),  # Peskow / Peskov, Smirnoff / Smirnov
        (r"ks", "x"),  # Aleksandr / Alexandr
        (r"(?<=[^aeiou])j(?=[aeiou])", "y"),  # Jurij / Yury (after the final rules)
    )
)


@lru_cache(maxsize=65536)
def variant_key(word: str) -> str:
    """Return the transliteration-insensitive key of a capitalised word."""
    key = _strip_possessive(word).lower()
    for pattern, replacement in _RULES:
        key = pattern.sub(replacement, key)
    return key


def _strip_possessive(word: str) -> str:
    """Drop a final 's or apostrophe (a possessive), without a regex call."""
    if word.endswith(("'s", "’s")):
        return word[:-2]
    if word.endswith(("'", "’")):
        return word[:-1]
    return word


class ConsistencyKind(Kind):
    """Flag minority spellings of a name that the same document spells another way."""

    name = "consistency"
    document_level = True

    def __init__(self, params: Params) -> None:
        """Read ``min_length`` (shorter words are ignored)."""
        self.min_length = params.get("min_length", int, 5)
        params.finish()

    def check_document(self, document: Document, ctx: Context) -> Iterator[Hit]:
        """Yield a hit on each occurrence of a minority spelling, suggesting the majority one."""
        # First the forms alone (cheap): most documents, and nearly every single line, have
        # no key spelled two ways, and then no offsets are needed at all.
        forms_of: dict[str, set[str]] = {}
        for segment in document.segments:
            for word in _WORD.findall(segment.text):
                form = _strip_possessive(word)
                if len(form) >= self.min_length:
                    forms_of.setdefault(variant_key(form), set()).add(form)
        if all(len(forms) < 2 for forms in forms_of.values()):
            return
        occurrences: list[tuple[int, int, str, str]] = []
        for segment in document.segments:
            for match in _WORD.finditer(segment.text):
                form = _strip_possessive(match.group())
                if len(form) < self.min_length:
                    continue
                key = variant_key(form)
                if len(forms_of[key]) < 2:
                    continue
                if not segment.offsets.is_contiguous(match.start(), match.start() + len(form)):
                    continue  # the word is split by markup; leave it to a human
                start = segment.offsets.to_document(match.start())
                end = segment.offsets.to_document_end(match.start() + len(form))
                occurrences.append((start, end, form, key))
        forms_by_key: dict[str, Counter[str]] = {}
        first_seen: dict[str, int] = {}
        for start, _, form, key in occurrences:
            forms_by_key.setdefault(key, Counter())[form] += 1
            first_seen.setdefault(form, start)
        for start, end, form, key in occurrences:
            forms = forms_by_key[key]
            if len(forms) < 2:
                continue
            best = max(forms, key=lambda f: (forms[f], -first_seen[f]))
            if form == best:
                continue
            others = ", ".join(sorted(f for f in forms if f != form))
            yield Hit(
                start,
                end,
                suggestions=(best,),
                edits=(Edit(start, end, best),),
                values={"text": form, "suggestion": best, "others": others},
            )
