"""Language kind: whole sentences left in a language other than English (in Latin script).

Cyrillic text is the script kind's business; this kind catches untranslated French, German,
Spanish... passages, and only on sentences long enough to judge that fail a cheap
English-likeness test, where langdetect is confident and the language's own function words
confirm it.
"""

from __future__ import annotations

from collections.abc import Iterator

from tqcheck.document import Segment
from tqcheck.fix import Applicability
from tqcheck.kinds.base import Context, Hit, Kind, Params, lazy_regex
from tqcheck.langid import FOREIGN, detect, english_ratio, foreign_ratio

_CYRILLIC = lazy_regex(r"\p{Cyrillic}")
_LETTER = lazy_regex(r"\p{L}")
NAMES = {
    "de": "German", "fr": "French", "es": "Spanish", "it": "Italian", "pt": "Portuguese",
    "nl": "Dutch", "pl": "Polish", "tr": "Turkish", "uk": "Ukrainian",
}  # fmt: skip


class LanguageKind(Kind):
    """Flag sentences that are confidently not English."""

    name = "language"

    def __init__(self, params: Params) -> None:
        """Read thresholds: ``min_words``, ``max_english``, ``min_probability``."""
        self.min_words = params.get("min_words", int, 6)
        self.max_english = params.get("max_english", float, 0.12)
        self.min_probability = params.get("min_probability", float, 0.95)
        self.min_foreign = params.get("min_foreign", float, 0.12)
        params.finish()

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
