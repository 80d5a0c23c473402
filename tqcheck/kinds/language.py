"""Language kind: whole sentences left in a language other than English (in Latin script).

Cyrillic text is the script kind's business; this kind catches untranslated French, German,
Spanish... passages, and only on sentences long enough to judge that fail a cheap
English-likeness test, where langdetect is confident and the language's own function words
confirm it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from tqcheck.document import Segment
from tqcheck.fix import Applicability
from tqcheck.kinds.anchors import trie_pattern
from tqcheck.kinds.base import (
    Batch,
    Checker,
    Context,
    Hit,
    Kind,
    Params,
    lazy_regex,
)
from tqcheck.langid import ENGLISH, FOREIGN, detect, english_ratio, foreign_ratio

if TYPE_CHECKING:
    from tqcheck.rule import Rule

_CYRILLIC = lazy_regex(r"\p{Cyrillic}")
_LETTER = lazy_regex(r"\p{L}")
NAMES = {
    "de": "German", "fr": "French", "es": "Spanish", "it": "Italian", "pt": "Portuguese",
    "nl": "Dutch", "pl": "Polish", "tr": "Turkish", "uk": "Ukrainian",
}  # fmt: skip


class LanguageChecker(Checker):
    """Run language rules only on lines that hold a non-English function word of a language.

    A sentence without one has at least as many English function words as it has function
    words of any one language we know, so when ``min_foreign`` exceeds ``max_english`` it
    cannot pass both tests: the scan for those words over a whole batch of lines is exact.
    """

    def __init__(self, rules: list[Rule]) -> None:
        """Compile the scan when every rule's thresholds allow it."""
        super().__init__(rules)
        kinds = [rule.kind for rule in rules]
        exact = all(isinstance(k, LanguageKind) and k.min_foreign > k.max_english for k in kinds)
        words = sorted(set().union(*FOREIGN.values()) - ENGLISH, key=lambda w: (-len(w), w))
        # On lower-cased text; the bounds only refuse ASCII letters (a token is a run of
        # letters, so this finds every token that is one of the words, and then some).
        self.source = rf"(?<![a-z])(?:{trie_pattern(words)})(?![a-z])" if exact else None
        self._scan: re.Pattern[str] | None = None  # compiled on first use (re: faster here)

    def candidates(self, batch: Batch) -> set[int] | None:
        """Return the lines holding a non-English function word (None: check them all)."""
        if self.source is None or not batch.bulk:
            return None
        if self._scan is None:
            self._scan = re.compile(self.source)
        return batch.search(self._scan, lowered=True)


class LanguageKind(Kind):
    """Flag sentences that are confidently not English."""

    name = "language"

    def __init__(self, params: Params) -> None:
        """Read thresholds: ``min_words``, ``max_english``, ``min_probability``."""
        self.min_words = params.get("min_words", int, 6)
        self.max_english = params.get("max_english", float, 0.12)
        self.min_probability = params.get("min_probability", float, 0.95)
        self.min_foreign = params.get("min_foreign", float, 0.13)
        params.finish()

    @classmethod
    def checker(cls, rules: list[Rule]) -> Checker:
        """Build the checker that skips lines without foreign function words."""
        return LanguageChecker(rules)

    def check_segment(self, segment: Segment, ctx: Context) -> Iterator[Hit]:
        """Yield a hit per sentence langdetect and the function-word test call non-English."""
        text = segment.text
        for start, end in segment.sentences():
            sentence = text[start:end]
            if len(sentence.split()) < self.min_words or _CYRILLIC.search(sentence):
                continue
            if english_ratio(sentence) > self.max_english:
                continue  # cheap: most English sentences stop here
            if len(_LETTER.findall(sentence)) < 30:
                continue
            if max(foreign_ratio(sentence, lang) for lang in FOREIGN) < self.min_foreign:
                continue  # no language we know is present enough: skip langdetect
            language, probability = detect(sentence)
            if language == "en" or language not in FOREIGN or probability < self.min_probability:
                continue
            if foreign_ratio(sentence, language) < self.min_foreign:
                continue
            yield Hit(
                start,
                end,
                applicability=Applicability.DISPLAY_ONLY,
                values={"language": NAMES.get(language, language)},
            )
