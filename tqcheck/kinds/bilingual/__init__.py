"""Bilingual kinds: compare a translated segment with its aligned Russian source.

Active only on segments that carry a source (XLIFF and PO units, ``--source`` line-aligned
files). One kind per check, each reading only its own parameters:

- ``number-changed``: the two sides disagree on numbers in both directions (a source number
  is missing and the translation has one the source lacks): the translation's number is
  flagged.
- ``number-missing``: a source number does not appear in the translation (the segment is
  flagged).
- ``number-added``: the translation has a number the source lacks.
- ``untranslated`` (``cyrillic_share``, ``min_length``): the translation equals the source,
  or is mostly Cyrillic.
- ``length-ratio`` (``min_ratio``, ``max_ratio``, ``min_length``): the translation is far
  shorter or longer than the source (an omitted or invented sentence).
- ``latin-token`` (``ignore``): a Latin-script token of the source (URL, e-mail, hashtag,
  handle, acronym, brand) is missing from the translation.
- ``quotation-count`` (``min_words``): the source quotes more passages than the translation.
- ``question-lost``: the source asks a question and the translation does not.
- ``name-lost``: a Russian person's surname in the source has no spelling in the translation.

Numbers are matched in :mod:`.numbers` (data in ``numbers-ru-en.toml``), names in
:mod:`.names`. Until the next release a pack may still write ``kind = "bilingual"`` with
``mode = "<kind>"`` (see ``KIND_ALIASES`` in :mod:`tqcheck.kinds`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import regex

from tqcheck.document import Segment
from tqcheck.fix import Applicability
from tqcheck.kinds.base import Batch, Checker, Context, Hit, ParamError, Params, lazy_regex
from tqcheck.kinds.bilingual.names import LatinRun, lost_latin_tokens, lost_surnames, transliterate
from tqcheck.kinds.bilingual.numbers import (
    CYRILLIC,
    Number,
    differences,
    number_words,
    source_numbers,
    target_numbers,
    unmatched,
)
from tqcheck.kinds.family import FamilyKind

if TYPE_CHECKING:
    from tqcheck.rule import Rule

_LETTER = lazy_regex(r"\p{L}", regex.V1)
# Quoted passages: Russian «…» and „…“, English “…”, and straight "…" pairs.
_QUOTED = lazy_regex(r"«(?P<a>[^«»]*)»|„(?P<b>[^„“”]*)[“”]|“(?P<c>[^“”]*)”|\"(?P<d>[^\"]*)\"")
_CLOSERS = "\"'”’»)]»"


class BilingualChecker(Checker):
    """Run bilingual rules only on the segments of a batch that have a source."""

    def candidates(self, batch: Batch) -> set[int]:
        """Return the segments with a source text (the others cannot be compared)."""
        return {
            i for i, s in enumerate(batch.segments) if s.source is not None and s.source.strip()
        }


class SourceKind(FamilyKind, family=True):
    """Base of the bilingual kinds: compare a segment with its source, when it has one.

    Subclasses read their parameters, list them in ``parameters`` (so that another kind's
    parameter is named as such, see :class:`~tqcheck.kinds.family.FamilyKind`) and implement
    :meth:`compare`.
    """

    @classmethod
    def checker(cls, rules: list[Rule]) -> Checker:
        """Build the checker that runs only on segments with a source."""
        return BilingualChecker(rules)

    def check_segment(self, segment: Segment, ctx: Context) -> Iterator[Hit]:
        """Yield hits comparing the segment with its source; nothing without a source."""
        source = segment.source
        target = segment.text
        if source is None or not source.strip() or not target.strip():
            return
        yield from self.compare(source, target)

    def compare(self, source: str, target: str) -> Iterator[Hit]:
        """Yield hits for a translation and its source (both non-blank)."""
        return iter(())


class NumberChangedKind(SourceKind):
    """Flag the translation's numbers when the source has different ones (both sides differ)."""

    name = "number-changed"

    def compare(self, source: str, target: str) -> Iterator[Hit]:
        """Yield each added number, with the missing source numbers as the message value."""
        missing, added = differences(source, target)
        if missing and added:
            was = _shown(source, missing)
            for number in added:
                yield _segment_hit(number.start, number.end, {"source_number": was})


class NumberMissingKind(SourceKind):
    """Flag a segment whose source has a number the translation lacks (and nothing added)."""

    name = "number-missing"

    def compare(self, source: str, target: str) -> Iterator[Hit]:
        """Yield one hit over the segment naming the missing source numbers."""
        missing, added = differences(source, target)
        if missing and not added:
            yield _segment_hit(0, len(target), {"source_number": _shown(source, missing)})


class NumberAddedKind(SourceKind):
    """Flag a number the translation has and the source lacks (when none is missing)."""

    name = "number-added"

    def compare(self, source: str, target: str) -> Iterator[Hit]:
        """Yield each added number."""
        missing, added = differences(source, target)
        if added and not missing:
            for number in added:
                yield _segment_hit(
                    number.start, number.end, {"number": target[number.start : number.end]}
                )


class UntranslatedKind(SourceKind):
    """Flag a translation that is its source, or whose letters are mostly Cyrillic."""

    name = "untranslated"
    parameters = ("min_length", "cyrillic_share")

    def __init__(self, params: Params) -> None:
        """Read the Cyrillic share that counts as untranslated and the minimum letters."""
        self.min_length = int(params.get("min_length", int, 0))
        self.cyrillic_share = float(params.get("cyrillic_share", (int, float), 0.5))
        super().__init__(params)

    def compare(self, source: str, target: str) -> Iterator[Hit]:
        """Yield one hit over the segment with its Cyrillic share."""
        letters = _LETTER.findall(target)
        if not letters or not CYRILLIC.search(source):
            return
        same = " ".join(target.split()).casefold() == " ".join(source.split()).casefold()
        share = len(CYRILLIC.findall(target)) / len(letters)
        if same or (share >= self.cyrillic_share and len(letters) >= self.min_length):
            yield _segment_hit(0, len(target), {"share": f"{share:.0%}"})


class LengthRatioKind(SourceKind):
    """Flag a translation far shorter or longer (in characters) than its source."""

    name = "length-ratio"
    parameters = ("min_ratio", "max_ratio", "min_length")

    def __init__(self, params: Params) -> None:
        """Read the ratio bounds (0 < min_ratio < 1 < max_ratio) and the minimum source length."""
        self.min_ratio = float(params.get("min_ratio", (int, float), 0.0))
        self.max_ratio = float(params.get("max_ratio", (int, float), 0.0))
        self.min_length = int(params.get("min_length", int, 0))
        super().__init__(params)
        if not 0 < self.min_ratio < 1 < self.max_ratio:
            raise ParamError("min_ratio", "length-ratio needs 0 < min_ratio < 1 < max_ratio")

    def compare(self, source: str, target: str) -> Iterator[Hit]:
        """Yield one hit over the segment with the ratio and its direction."""
        if len(source) < self.min_length:
            return
        ratio = len(target) / len(source)
        if ratio < self.min_ratio or ratio > self.max_ratio:
            direction = "shorter" if ratio < 1 else "longer"
            yield _segment_hit(0, len(target), {"ratio": f"{ratio:.2f}", "direction": direction})


class LatinTokenKind(SourceKind):
    """Flag a source's Latin-script tokens (URLs, handles, brands) missing in the translation."""

    name = "latin-token"
    parameters = ("ignore",)

    def __init__(self, params: Params) -> None:
        """Read the words that may be missing (case-insensitive)."""
        self.ignore: frozenset[str] = frozenset(
            w.lower() for w in params.get("ignore", list, []) if isinstance(w, str)
        )
        super().__init__(params)

    def compare(self, source: str, target: str) -> Iterator[Hit]:
        """Yield one hit over the segment naming the lost tokens."""
        lost = lost_latin_tokens(source, target, self.ignore)
        if lost:
            yield _segment_hit(0, len(target), {"token": ", ".join(lost)})


class QuotationCountKind(SourceKind):
    """Flag a translation with fewer quoted passages than its source."""

    name = "quotation-count"
    parameters = ("min_words",)

    def __init__(self, params: Params) -> None:
        """Read how many words a source quotation needs to count."""
        self.min_words = int(params.get("min_words", int, 0))
        super().__init__(params)

    def compare(self, source: str, target: str) -> Iterator[Hit]:
        """Yield one hit over the segment with both counts."""
        count = 0
        for match in _QUOTED.finditer(source):
            inner = next(g for g in match.groups() if g is not None)
            if len(inner.split()) >= self.min_words:
                count += 1
        kept = len(_QUOTED.findall(target))
        if count > kept:
            yield _segment_hit(0, len(target), {"source_count": str(count), "count": str(kept)})


class QuestionLostKind(SourceKind):
    """Flag a translation that does not end with the question mark its source ends with."""

    name = "question-lost"

    def compare(self, source: str, target: str) -> Iterator[Hit]:
        """Yield a hit on the translation's final stop (or its end), suggesting "?"."""
        bare_source = source.strip()
        closed = bare_source.rstrip(_CLOSERS)
        if not closed.endswith("?"):
            return
        if closed != bare_source and bare_source[:1] not in "\"«„“'(":
            return  # the question is a quoted title inside a statement: «Куда ты идешь, Аида?»
        stripped = target.rstrip()
        bare = stripped.rstrip(_CLOSERS)
        if bare.endswith("?") or not bare:
            return
        end = len(bare)
        last = bare[-1]
        start = end - 1 if last in ".!…;:" else end
        yield Hit(
            start,
            end,
            suggestions=("?",),
            applicability=Applicability.DISPLAY_ONLY,
            values={"suggestion": "?"},
        )


class NameLostKind(SourceKind):
    """Flag a Russian person's surname (after a Russian given name) missing in the target."""

    name = "name-lost"

    def compare(self, source: str, target: str) -> Iterator[Hit]:
        """Yield one hit over the segment naming the lost surnames and their transliterations."""
        lost = lost_surnames(source, target)
        if lost:
            shown = ", ".join(f"{name} ({transliterate(name)})" for name in lost)
            yield _segment_hit(0, len(target), {"token": shown})


# The bilingual kinds, in the order of the old ``mode`` values (also the alias's error text).
KINDS: tuple[type[SourceKind], ...] = (
    NumberChangedKind,
    NumberMissingKind,
    NumberAddedKind,
    UntranslatedKind,
    LengthRatioKind,
    LatinTokenKind,
    QuotationCountKind,
    QuestionLostKind,
    NameLostKind,
)
MODES = tuple(kind.name for kind in KINDS)


def _shown(text: str, numbers: list[Number]) -> str:
    return ", ".join(text[n.start : n.end] for n in numbers)


def _segment_hit(start: int, end: int, values: dict[str, str]) -> Hit:
    """Return a description-only hit (bilingual findings need a human)."""
    return Hit(start, end, applicability=Applicability.DISPLAY_ONLY, values=values)


__all__ = [
    "KINDS",
    "MODES",
    "BilingualChecker",
    "LatinRun",
    "Number",
    "SourceKind",
    "number_words",
    "source_numbers",
    "target_numbers",
    "transliterate",
    "unmatched",
]
