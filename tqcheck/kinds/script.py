"""Script kinds: Cyrillic letters left in English text.

Two kinds: ``homoglyph``, Cyrillic look-alike letters inside Latin words or numbers (``WНO``,
``50°С``, ``105х195``), which spell-checkers and search miss, and ``cyrillic``
(``min_letters``), Cyrillic words left untranslated. Until the next release a pack may still
write ``kind = "script"`` with ``mode = "<kind>"`` (see ``KIND_ALIASES`` in :mod:`tqcheck.kinds`).
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from tqcheck.document import Segment
from tqcheck.fix import Applicability, Edit
from tqcheck.kinds.base import Context, Hit, Params, lazy_regex
from tqcheck.kinds.family import FamilyKind

# Cyrillic letters that look like Latin ones, and the Latin letter each is mistaken for.
HOMOGLYPHS: dict[str, str] = {
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w",
    "һ": "h", "ѵ": "v", "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O",
    "Р": "P", "С": "C", "Т": "T", "Х": "X", "У": "Y", "І": "I", "Ј": "J", "Ѕ": "S", "Һ": "H",
    "Ү": "Y", "Ԛ": "Q", "Ԝ": "W",
}  # fmt: skip
# Lower-case в, к, м, н, т look like Latin only in some fonts; never auto-fix them.
_UNSAFE = frozenset("вкмнт")

_TOKEN = lazy_regex(r"[\p{L}\p{N}°]+", regex.V1)
_CYRILLIC = lazy_regex(r"\p{Cyrillic}+", regex.V1)
_MIXED = lazy_regex(r"(?=[\p{L}\p{N}°]*\p{Cyrillic})(?=[\p{L}\p{N}°]*[\p{Latin}\p{N}°])")
_RUN = lazy_regex(
    r"(?<![\p{L}\p{N}°])\p{Cyrillic}[\p{Cyrillic}\p{M}]*"
    r"(?:[\s\p{P}\p{N}]+\p{Cyrillic}[\p{Cyrillic}\p{M}]*)*(?![\p{L}\p{N}°])",
    regex.V1,
)
# Internationalised domain names and URLs are written in Cyrillic on purpose (премия.рф).
_URL_TOKEN = lazy_regex(
    r"://|^www\.|\.(?:рф|рус|укр|бел|срб|мкд|қаз|москва|дети|онлайн|сайт)(?:\W|$)|@",
    regex.V1 | regex.IGNORECASE,
)


class ScriptKind(FamilyKind, family=True):
    """Base of the script kinds: nothing to find in a segment without a Cyrillic letter."""

    def trigger(self) -> str:
        """Return the test every artifact of the family passes: a Cyrillic letter."""
        return r"\p{Cyrillic}"

    def check_segment(self, segment: Segment, ctx: Context) -> Iterator[Hit]:
        """Yield the kind's hits in a segment that has Cyrillic."""
        text = segment.text
        if _CYRILLIC.search(text):
            yield from self.scan(text)

    def scan(self, text: str) -> Iterator[Hit]:
        """Yield hits in a text known to hold a Cyrillic letter."""
        return iter(())


class HomoglyphKind(ScriptKind):
    """Flag Cyrillic look-alike letters inside Latin words and numbers (WНO, 50°С)."""

    name = "homoglyph"

    def scan(self, text: str) -> Iterator[Hit]:
        """Yield a hit per mixed token, with the Latin spelling when every letter has one."""
        for token in _TOKEN.finditer(text):
            word = token.group()
            if not _CYRILLIC.search(word) or not regex.search(r"[\p{Latin}\p{N}°]", word):
                continue
            letters = [m for m in _CYRILLIC.finditer(word)]
            latin_letters = regex.findall(r"\p{Latin}", word)
            cyrillic_count = sum(len(m.group()) for m in letters)
            if not latin_letters and cyrillic_count > 2:
                continue  # a Cyrillic word next to digits ("2022 году") is untranslated text
            start = token.start() + letters[0].start()
            end = token.start() + letters[-1].end()
            edits: list[Edit] = []
            replacement_ok = True
            unsafe = False
            for m in letters:
                for i, char in enumerate(m.group()):
                    latin = HOMOGLYPHS.get(char)
                    if latin is None:
                        replacement_ok = False
                        break
                    unsafe = unsafe or char in _UNSAFE
                    pos = token.start() + m.start() + i
                    edits.append(Edit(pos, pos + 1, latin))
            if not replacement_ok:
                yield Hit(
                    start, end, applicability=Applicability.DISPLAY_ONLY, values={"token": word}
                )
                continue
            fixed = "".join(HOMOGLYPHS.get(c, c) for c in text[start:end])
            yield Hit(
                start,
                end,
                suggestions=(fixed,),
                edits=tuple(edits),
                applicability=Applicability.UNSAFE if unsafe else None,
                values={"token": word, "suggestion": fixed},
            )


class CyrillicKind(ScriptKind):
    """Flag runs of Cyrillic words left in the English text."""

    name = "cyrillic"
    parameters = ("min_letters",)

    def __init__(self, params: Params) -> None:
        """Read ``min_letters`` (shorter runs are ignored)."""
        self.min_letters = params.get("min_letters", int, 1)
        super().__init__(params)

    def scan(self, text: str) -> Iterator[Hit]:
        """Yield a description-only hit per run outside URLs and Latin tokens."""
        for run in _RUN.finditer(text):
            if _in_url(text, run.start(), run.end()):
                continue
            if _MIXED.match(text, run.start()) and _TOKEN.match(text, run.start()):
                token = _TOKEN.match(text, run.start())
                if token is not None and regex.search(r"[\p{Latin}\p{N}°]", token.group()):
                    continue  # a homoglyph inside a Latin token, the homoglyph kind's business
            letters = len(regex.findall(r"\p{Cyrillic}", run.group()))
            if letters < self.min_letters:
                continue
            yield Hit(
                run.start(),
                run.end(),
                applicability=Applicability.DISPLAY_ONLY,
                values={"text": run.group()},
            )


# The script kinds, in the order of the old ``mode`` values.
KINDS: tuple[type[ScriptKind], ...] = (HomoglyphKind, CyrillicKind)


def _in_url(text: str, start: int, end: int) -> bool:
    """Say whether a span lies inside a URL, a domain name or an e-mail address."""
    left = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start)) + 1
    right_candidates = [i for i in (text.find(" ", end), text.find("\n", end)) if i >= 0]
    right = min(right_candidates) if right_candidates else len(text)
    return _URL_TOKEN.search(text[left:right]) is not None
