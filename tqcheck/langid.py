"""Language identification: a cheap English-likeness test first, langdetect only when needed.

langdetect costs about 0.65 s to load its profiles and a few milliseconds per call, and it
misreads short English lines, so it is imported lazily, seeded for reproducible results,
called only on long sentences that fail the English test, and its results are cached.
"""

from __future__ import annotations

from functools import lru_cache

import regex

_WORDS = regex.compile(r"\p{L}+(?:['’]\p{L}+)?", regex.V1)
ENGLISH = frozenset(
    """a about after all also an and any are as at be because been before but by can could
    did do does for from had has have he her his how i if in into is it its just more most
    my no not now of on one only or other our out over said she should so some such than
    that the their them then there these they this those through to under up was we were
    what when where which while who will with would you your year years new people""".split()
)
# Function words of the languages most often left untranslated in ru-en news copy.
FOREIGN = {
    "de": frozenset(
        "der die das und ist nicht mit sich des dem den ein eine zu von auf für".split()
    ),
    "fr": frozenset("le la les et est des une du dans que pour qui pas sur au avec ce".split()),
    "es": frozenset("el la los las y es que de en un una por con para del se no".split()),
    "it": frozenset("il la le e che di è per un una non con del della sono gli".split()),
    "pt": frozenset("o a os as e é que de em um uma para com não do da no na".split()),
    "nl": frozenset("de het een en van is dat niet op te met voor zijn".split()),
    "pl": frozenset("i w nie na się z że do jest to o jak ale".split()),
    "tr": frozenset("ve bir bu da de için ile çok ne olarak daha".split()),
    "uk": frozenset("і в на що не з та як до це".split()),
}


def english_ratio(text: str) -> float:
    """Return the share of words that are common English function words."""
    words = [w.lower() for w in _WORDS.findall(text)]
    if not words:
        return 0.0
    return sum(1 for w in words if w in ENGLISH) / len(words)


def foreign_ratio(text: str, language: str) -> float:
    """Return the share of words that are function words of the given language."""
    vocabulary = FOREIGN.get(language)
    words = [w.lower() for w in _WORDS.findall(text)]
    if vocabulary is None or not words:
        return 0.0
    return sum(1 for w in words if w in vocabulary) / len(words)


@lru_cache(maxsize=4096)
def detect(text: str) -> tuple[str, float]:
    """Return langdetect's most probable language and its probability (seeded, cached)."""
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    try:
        best = detect_langs(text)[0]
    except LangDetectException:
        return "unknown", 0.0
    return str(best.lang), float(best.prob)
