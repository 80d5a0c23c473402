"""Bilingual kind: compare a translated segment with its aligned Russian source.

Active only on segments that carry a source (XLIFF and PO units, ``--source`` line-aligned
files). Modes:

- ``number-changed``: the two sides disagree on numbers in both directions (a source number
  is missing and the translation has one the source lacks): the translation's number is
  flagged.
- ``number-missing``: a source number does not appear in the translation (the segment is
  flagged).
- ``number-added``: the translation has a number the source lacks.
- ``untranslated``: the translation equals the source, or is mostly Cyrillic.
- ``length-ratio``: the translation is far shorter or longer than the source (an omitted or
  invented sentence).
- ``latin-token``: a Latin-script token of the source (URL, e-mail, hashtag, handle,
  acronym, brand) is missing from the translation.
- ``quotation-count``: the source quotes more (or fewer) passages than the translation.
- ``question-lost``: the source asks a question and the translation does not.

Numbers are compared by value after normalising Russian conventions: decimal comma, digit
groups separated by spaces (also NBSP and thin spaces), scale words (``млн``, ``млрд``,
``тыс.`` against million, billion, thousand), percentages, ranges, ordinal suffixes and
dates (``1 мая`` / ``May 1``; ``01.05.2022``), Roman numerals (``XIX век``), and small
number words on either side (``пять`` / ``five``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

import regex

from tqcheck.document import Segment
from tqcheck.fix import Applicability
from tqcheck.kinds.base import (
    Batch,
    Checker,
    Context,
    Hit,
    Kind,
    ParamError,
    Params,
    lazy_regex,
)

if TYPE_CHECKING:
    from tqcheck.rule import Rule

MODES = (
    "number-changed",
    "number-missing",
    "number-added",
    "untranslated",
    "length-ratio",
    "latin-token",
    "quotation-count",
    "question-lost",
    "name-lost",
)

_SPACES = " \u00a0\u2009\u202f"
# A Russian number: digit groups separated by (non-breaking, thin) spaces, a decimal comma
# or point, then optionally a scale word. Groups need a left boundary so that "2021 150"
# stays two numbers.
_RU_NUMBER = lazy_regex(
    rf"(?<![\d\p{{L}}.,])(?P<num>\d{{1,3}}(?:[{_SPACES}]\d{{3}})+(?!\d)|\d+)"
    rf"(?:[.,](?P<frac>\d+)(?![.,]?\d))?"
    rf"(?:[{_SPACES}]?(?P<scale>трлн|трилл\w*|млрд|миллиард\w*|млн|миллион\w*|тыс\b\.?|тысяч\w*))?",
    regex.V1,
)
_RU_DATE = lazy_regex(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4}|\d{2})(?![\d])")
_EN_NUMBER = lazy_regex(
    rf"(?<![\d\p{{L}}.,])(?P<num>\d{{1,3}}(?:,\d{{3}})+(?![\d])|\d{{1,3}}(?:[{_SPACES}]\d{{3}})+(?!\d)|\d+)"
    r"(?:(?P<sep>[.,])(?P<frac>\d+)(?![.,]?\d))?"
    r"(?:st|nd|rd|th|s)?"
    rf"(?:[{_SPACES}-]?(?P<scale>trillion|trln|tn|billion|bln|bn|million|mln|mn|m\b|thousand|k\b))?",
    regex.V1 | regex.IGNORECASE,
)
_COVID = lazy_regex(r"covid-?$", regex.I)
_EN_SCALE_ALONE = lazy_regex(
    r"\b(?:a|one)\s+(?P<scale>million|billion|thousand|trillion)\b", regex.I
)
_ROMAN = lazy_regex(r"(?<![\p{L}\d])(?P<roman>[IVXLC]{2,7}|[IVX])(?![\p{L}\d])", regex.V1)
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_ROMAN_LETTERS = frozenset(_ROMAN_VALUES)
_SCALES: dict[str, int] = {
    "трлн": 10**12,
    "трилл": 10**12,
    "млрд": 10**9,
    "миллиард": 10**9,
    "млн": 10**6,
    "миллион": 10**6,
    "тыс": 10**3,
    "тысяч": 10**3,
    "trillion": 10**12,
    "trln": 10**12,
    "tn": 10**12,
    "billion": 10**9,
    "bln": 10**9,
    "bn": 10**9,
    "million": 10**6,
    "mln": 10**6,
    "mn": 10**6,
    "m": 10**6,
    "thousand": 10**3,
    "k": 10**3,
}
_RU_WORDS: dict[str, int | str] = {
    "ноль": 0,
    "один": 1,
    "одна": 1,
    "одно": 1,
    "одного": 1,
    "одной": 1,
    "одному": 1,
    "одним": 1,
    "два": 2,
    "две": 2,
    "двух": 2,
    "двум": 2,
    "двумя": 2,
    "вдвое": 2,
    "дважды": 2,
    "оба": 2,
    "обе": 2,
    "полтора": "1.5",
    "полторы": "1.5",
    "три": 3,
    "трех": 3,
    "трёх": 3,
    "трем": 3,
    "трём": 3,
    "тремя": 3,
    "трижды": 3,
    "втрое": 3,
    "четыре": 4,
    "четырех": 4,
    "четырёх": 4,
    "пять": 5,
    "пяти": 5,
    "шесть": 6,
    "шести": 6,
    "семь": 7,
    "семи": 7,
    "восемь": 8,
    "восьми": 8,
    "девять": 9,
    "девяти": 9,
    "десять": 10,
    "десяти": 10,
    "десяток": 10,
    "десятки": 10,
    "одиннадцать": 11,
    "двенадцать": 12,
    "пятнадцать": 15,
    "двадцать": 20,
    "двадцати": 20,
    "тридцать": 30,
    "сорок": 40,
    "пятьдесят": 50,
    "сто": 100,
    "ста": 100,
    "сотни": 100,
    "сотен": 100,
    "тысяча": 1000,
    "тысячи": 1000,
    "миллион": 10**6,
    "миллиона": 10**6,
    "первый": 1,
    "первая": 1,
    "первое": 1,
    "первого": 1,
    "первой": 1,
    "первом": 1,
    "второй": 2,
    "второго": 2,
    "втором": 2,
    "третий": 3,
    "третьего": 3,
    "третьем": 3,
    "половина": "0.5",
    "половину": "0.5",
    "четверть": 4,
    "треть": 3,
    "дюжина": 12,
    "неделю": 7,
    "неделя": 7,
    "недели": 7,
    "сутки": 24,
    "суток": 24,
    "час": 1,
    "год": 1,
    "полгода": 6,
    "полчаса": 30,
    "минуту": 1,
    "минута": 1,
}
_EN_WORDS: dict[str, int | str] = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "thousand": 1000,
    "million": 10**6,
    "billion": 10**9,
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "twice": 2,
    "double": 2,
    "half": "0.5",
    "both": 2,
    "once": 1,
    "thrice": 3,
    "triple": 3,
    "dozen": 12,
    "dozens": 12,
    "quarter": 4,
    "week": 7,
    "weeks": 7,
    "day": 24,
    "hour": 1,
    "minute": 1,
    "year": 1,
    "a": 1,
    "an": 1,
    "single": 1,
    "pair": 2,
    "couple": 2,
    "hundreds": 100,
    "thousands": 1000,
    "millions": 10**6,
    "noon": 12,
    "midnight": 12,
}
_MONTHS_RU = (
    "январ",
    "феврал",
    "март",
    "апрел",
    "ма",
    "июн",
    "июл",
    "август",
    "сентябр",
    "октябр",
    "ноябр",
    "декабр",
)
_EN_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_WORD = lazy_regex(r"\p{L}+", regex.V1)
_DECADE = lazy_regex(r"-?(?:х|e|е|x|ых|ые|ое)\b", regex.V1)
_RU_WORD_SCALE = lazy_regex(r"[ \u00a0]+(тысяч\w*|миллион\w*|миллиард\w*)", regex.V1)
# Collective numerals and group names: "Большой семерки" is the G7.
_RU_STEMS: dict[str, int] = {
    "семерк": 7,
    "восьмерк": 8,
    "двадцатк": 20,
    "тройк": 3,
    "пятерк": 5,
    "десятк": 10,
    "четверк": 4,
    "шестерк": 6,
    "двойк": 2,
    "сотн": 100,
    "тысяч": 1000,
}
_DIGITS = lazy_regex(r"\d")

# A Latin-script token of a Russian source: URL, e-mail, hashtag, @handle or a word.
_LATIN_TOKEN = lazy_regex(
    r"(?P<url>(?:https?://|www\.)[^\s«»\"“”<>()]+[^\s«»\"“”<>().,;:!?])"
    r"|(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|(?P<tag>(?<![\w])[#@][A-Za-z_][\w.]*[\w])"
    r"|(?P<word>(?<![\p{L}\d@#./-])[A-Za-z][A-Za-z0-9&'’+-]*[A-Za-z0-9+](?![\p{L}\d]))",
    regex.V1,
)
_CYRILLIC = lazy_regex(r"\p{Cyrillic}", regex.V1)
# Between the words of one name: spaces, hyphens, apostrophes (Bet-A-Vib, What's App).
_SEPARATORS = lazy_regex(r"[\s'’-]+", regex.V1)
_RUN_GAP = lazy_regex(r"[ \t'’-]*", regex.V1)
# A joined name shorter than this is not looked for inside the joined translation.
_MIN_COMPACT = 6
# English spellings of names that Russian sources write otherwise (Omikron, Brasil).
_SPELLING = str.maketrans({"k": "c", "z": "s", "y": "i"})
_NAME_FILLERS = frozenset({"the", "of", "and", "for", "&"})


@dataclass(frozen=True)
class LatinRun:
    """Hold adjacent Latin-script tokens of a source (one name, e.g. "Wall Street Journal")."""

    tokens: tuple[tuple[str, bool], ...]  # (token, is it a word)

    @property
    def key(self) -> str:
        """Return the run's words joined, case-folded, letters and digits only."""
        words = "".join(t for t, is_word in self.tokens if is_word)
        return "".join(c for c in words.casefold() if c.isalnum())

    @property
    def initials(self) -> str:
        """Return the initialism of a multi-word capitalised name ("WSJ"), or ""."""
        words = [t for t, is_word in self.tokens if is_word and t.lower() not in _NAME_FILLERS]
        if len(words) < 2 or not all(w[0].isupper() for w in words):
            return ""
        return "".join(w[0] for w in words)


class _KeptNames:
    """Look for a source name the translation writes in another form."""

    def __init__(self, target: str, folded: str) -> None:
        """Index the translation: joined (no spaces, hyphens, apostrophes), respelt, initialisms."""
        # A name joined or split differently (What's App / WhatsApp, Bet-A-Vib / Bet A Vib) or
        # in its English spelling (Omikron / Omicron, Brasil / Brazil) is kept.
        self.compact = _spelling_key(_SEPARATORS.sub("", folded))
        self.initialisms = {w for w in _WORD.findall(target) if w.isupper() and len(w) >= 2}

    def has(self, run: LatinRun) -> bool:
        """Return whether the run's name is in the translation in one of those forms."""
        key = run.key
        return bool(key) and (
            run.initials in self.initialisms
            or (len(key) >= _MIN_COMPACT and _spelling_key(key) in self.compact)
        )


def _spelling_key(text: str) -> str:
    """Fold the letters English and Russian-style spellings of a name swap (k/c, z/s, y/i)."""
    return text.translate(_SPELLING)


def _latin_runs(source: str) -> Iterator[LatinRun]:
    """Yield the source's Latin-script tokens, adjacent words grouped into one run."""
    run: list[tuple[str, bool]] = []
    end = -1
    for match in _LATIN_TOKEN.finditer(source):
        is_word = match.group("word") is not None
        joined = is_word and run and run[-1][1] and _RUN_GAP.fullmatch(source, end, match.start())
        if run and not joined:
            yield LatinRun(tuple(run))
            run = []
        run.append((match.group(), is_word))
        end = match.end()
    if run:
        yield LatinRun(tuple(run))


_LETTER = lazy_regex(r"\p{L}", regex.V1)
# Quoted passages: Russian «…» and „…“, English “…”, and straight "…" pairs.
_QUOTED = lazy_regex(r"«(?P<a>[^«»]*)»|„(?P<b>[^„“”]*)[“”]|“(?P<c>[^“”]*)”|\"(?P<d>[^\"]*)\"")
_CLOSERS = "\"'”’»)]»"


@dataclass(frozen=True)
class Number:
    """Hold one number found in text: its span and the values it may stand for.

    ``required`` numbers must be matched on the other side; number words and month names
    only help to match.
    """

    start: int
    end: int
    values: frozenset[Decimal]
    required: bool = True


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _scale_of(word: str | None) -> int:
    if not word:
        return 1
    word = word.lower().rstrip(".")
    for stem, scale in _SCALES.items():
        if word == stem or (len(stem) > 3 and word.startswith(stem)):
            return scale
    return 1


def _values(integer: str, fraction: str | None, scale: int) -> frozenset[Decimal]:
    base = _decimal(integer + (f".{fraction}" if fraction else ""))
    if base is None:
        return frozenset()
    return frozenset({base, base * scale}) if scale != 1 else frozenset({base})


def _roman(text: str) -> int | None:
    total = 0
    previous = 0
    for char in reversed(text):
        value = _ROMAN_VALUES[char]
        total = total - value if value < previous else total + value
        previous = max(previous, value)
    return total if total > 0 else None


def source_numbers(text: str) -> list[Number]:
    """Return the numbers of a Russian text, normalised."""
    numbers: list[Number] = []
    taken: list[tuple[int, int]] = []
    for match in _RU_DATE.finditer(text):
        day, month, year = (match.group(k) for k in "dmy")
        numbers.append(Number(match.start("d"), match.end("d"), frozenset({Decimal(day)})))
        numbers.append(Number(match.start("m"), match.end("m"), frozenset({Decimal(month)}), False))
        numbers.append(Number(match.start("y"), match.end("y"), _year(year)))
        taken.append(match.span())
    for match in _RU_NUMBER.finditer(text):
        if any(s <= match.start() < e for s, e in taken):
            continue
        integer = regex.sub(rf"[{_SPACES}]", "", match.group("num"))
        values = _values(integer, match.group("frac"), _scale_of(match.group("scale")))
        if _DECADE.match(text, match.end()) and len(integer) == 2 and integer.endswith("0"):
            # "90-х" is "the 1990s" (or the 2000s' decades: "20-х" may be the 2020s).
            values |= {Decimal(1900 + int(integer)), Decimal(2000 + int(integer))}
        end = match.end("num") if match.group("frac") is None else match.end("frac")
        numbers.append(Number(match.start(), end, values))
    for match in _ROMAN.finditer(text):
        value = _roman(match.group("roman"))
        if value is not None and _CYRILLIC.search(text):
            numbers.append(Number(match.start(), match.end(), frozenset({Decimal(value)}), False))
    for match in _WORD.finditer(text):
        word = match.group().lower()
        word_value = _RU_WORDS.get(word)
        if word_value is None:
            word_value = next((v for stem, v in _RU_STEMS.items() if word.startswith(stem)), None)
        if word_value is not None:
            amount = Decimal(str(word_value))
            scale = _RU_WORD_SCALE.match(text, match.end())
            amounts = {amount}
            if scale is not None:
                amounts.add(amount * _scale_of(scale.group(1)))  # "пять тысяч" is 5000
            numbers.append(Number(match.start(), match.end(), frozenset(amounts), False))
        for index, stem in enumerate(_MONTHS_RU):
            if word.startswith(stem) and (stem != "ма" or word in ("мая", "май", "мае", "маю")):
                month = Decimal(index + 1)
                numbers.append(Number(match.start(), match.end(), frozenset({month}), False))
    return numbers


def _year(text: str) -> frozenset[Decimal]:
    value = Decimal(text)
    return frozenset({value, value + 2000}) if len(text) == 2 else frozenset({value})


def target_numbers(text: str) -> list[Number]:
    """Return the numbers of an English text, normalised."""
    numbers: list[Number] = []
    for match in _EN_NUMBER.finditer(text):
        integer = match.group("num").replace(",", "")
        integer = regex.sub(rf"[{_SPACES}]", "", integer)
        fraction = match.group("frac")
        values = _values(integer, fraction, _scale_of(match.group("scale")))
        if match.group("sep") and fraction is not None and len(fraction) == 3:
            # "1,500" written after a decimal point rule: could be either reading.
            values |= _values(integer + fraction, None, _scale_of(match.group("scale")))
        end = match.end("num") if fraction is None else match.end("frac")
        # "COVID-19" names the disease where Russian often writes just "COVID"/"ковид".
        required = not _COVID.search(text, 0, match.start()) or match.group("num") != "19"
        numbers.append(Number(match.start(), end, values, required))
    for match in _EN_SCALE_ALONE.finditer(text):
        scale = _scale_of(match.group("scale"))
        values = frozenset({Decimal(1), Decimal(scale)})
        numbers.append(Number(match.start(), match.end(), values, False))
    for match in _WORD.finditer(text):
        word = match.group().lower()
        if word in _EN_WORDS:
            value = Decimal(str(_EN_WORDS[word]))
            numbers.append(Number(match.start(), match.end(), frozenset({value}), False))
        if word in _EN_MONTHS:
            month = Decimal(_EN_MONTHS.index(word) + 1)
            numbers.append(Number(match.start(), match.end(), frozenset({month}), False))
    return numbers


def unmatched(required: list[Number], available: list[Number]) -> list[Number]:
    """Return the required numbers whose values appear nowhere in the available ones.

    Matching is by multiset: "5 and 5" needs two fives on the other side.
    """
    pool: Counter[Decimal] = Counter()
    for number in available:
        for value in number.values:
            pool[value] += 1
    missing: list[Number] = []
    for number in sorted(required, key=lambda n: n.start):
        if not number.required:
            continue
        found = next((v for v in sorted(number.values) if pool[v] > 0), None)
        if found is None:
            missing.append(number)
        else:
            pool[found] -= 1
    return missing


def _show(value: frozenset[Decimal]) -> str:
    return format(min(value), "f") if value else "?"


class BilingualChecker(Checker):
    """Run bilingual rules only on the segments of a batch that have a source."""

    def candidates(self, batch: Batch) -> set[int]:
        """Return the segments with a source text (the others cannot be compared)."""
        return {
            i for i, s in enumerate(batch.segments) if s.source is not None and s.source.strip()
        }


class BilingualKind(Kind):
    """Compare a segment with its aligned source (only when the segment has one)."""

    name = "bilingual"

    def __init__(self, params: Params) -> None:
        """Read ``mode`` and the mode's thresholds."""
        self.mode = params.get("mode", str)
        if self.mode not in MODES:
            raise ParamError("mode", "expected one of " + ", ".join(MODES))
        self.min_ratio = float(params.get("min_ratio", (int, float), 0.0))
        self.max_ratio = float(params.get("max_ratio", (int, float), 0.0))
        self.min_length = int(params.get("min_length", int, 0))
        self.cyrillic_share = float(params.get("cyrillic_share", (int, float), 0.5))
        self.min_words = int(params.get("min_words", int, 0))
        self.ignore: frozenset[str] = frozenset(
            w.lower() for w in params.get("ignore", list, []) if isinstance(w, str)
        )
        params.finish()
        if self.mode == "length-ratio" and not 0 < self.min_ratio < 1 < self.max_ratio:
            raise ParamError("min_ratio", "length-ratio needs 0 < min_ratio < 1 < max_ratio")

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
        if self.mode.startswith("number-"):
            yield from self._numbers(source, target)
        elif self.mode == "untranslated":
            yield from self._untranslated(source, target)
        elif self.mode == "length-ratio":
            yield from self._length(source, target)
        elif self.mode == "latin-token":
            yield from self._latin(source, target)
        elif self.mode == "quotation-count":
            yield from self._quotes(source, target)
        elif self.mode == "name-lost":
            yield from self._names(source, target)
        else:
            yield from self._question(source, target)

    def _numbers(self, source: str, target: str) -> Iterator[Hit]:
        if _DIGITS.findall(source) == _DIGITS.findall(target):
            return  # the same digits in the same order: only separators differ (+7 905 ...)
        src, tgt = source_numbers(source), target_numbers(target)
        missing = unmatched(src, tgt)
        added = unmatched(tgt, src)
        if self.mode == "number-changed" and missing and added:
            was = ", ".join(source[n.start : n.end] for n in missing)
            for number in added:
                yield _segment_hit(number.start, number.end, {"source_number": was})
        elif self.mode == "number-missing" and missing and not added:
            shown = ", ".join(source[n.start : n.end] for n in missing)
            yield _segment_hit(0, len(target), {"source_number": shown})
        elif self.mode == "number-added" and added and not missing:
            for number in added:
                yield _segment_hit(
                    number.start, number.end, {"number": target[number.start : number.end]}
                )

    def _untranslated(self, source: str, target: str) -> Iterator[Hit]:
        letters = _LETTER.findall(target)
        if not letters or not _CYRILLIC.search(source):
            return
        same = " ".join(target.split()).casefold() == " ".join(source.split()).casefold()
        share = len(_CYRILLIC.findall(target)) / len(letters)
        if same or (share >= self.cyrillic_share and len(letters) >= self.min_length):
            yield _segment_hit(0, len(target), {"share": f"{share:.0%}"})

    def _length(self, source: str, target: str) -> Iterator[Hit]:
        if len(source) < self.min_length:
            return
        ratio = len(target) / len(source)
        if ratio < self.min_ratio or ratio > self.max_ratio:
            direction = "shorter" if ratio < 1 else "longer"
            yield _segment_hit(0, len(target), {"ratio": f"{ratio:.2f}", "direction": direction})

    def _latin(self, source: str, target: str) -> Iterator[Hit]:
        folded = target.casefold().replace("’", "'")
        lost: list[str] = []
        kept: _KeptNames | None = None
        for run in _latin_runs(source.replace("’", "'")):
            missing = [t for t, word in run.tokens if not self._latin_present(t, word, folded)]
            if not missing:
                continue
            kept = kept or _KeptNames(target, folded)  # built only when a token is missing
            if kept.has(run):
                continue  # the name is there, joined, respelt or as its initialism (WSJ)
            for token in missing:
                if token not in lost:
                    lost.append(token)
        if lost:
            yield _segment_hit(0, len(target), {"token": ", ".join(lost)})

    def _latin_present(self, token: str, is_word: bool, folded: str) -> bool:
        """Return whether a source token is in the (case-folded) translation or need not be."""
        if not is_word:
            return token.casefold().rstrip("/") in folded
        if len(token) < 2 or set(token) <= _ROMAN_LETTERS or token.lower() in self.ignore:
            return True
        if not (token.isupper() or any(c.isupper() for c in token[1:]) or token[0].isupper()):
            return True  # a lower-case Latin word may be translated ("online")
        pattern = rf"(?<![\p{{L}}\d]){regex.escape(token.casefold())}(?!\d)"
        return regex.search(pattern, folded, regex.V1) is not None

    def _quotes(self, source: str, target: str) -> Iterator[Hit]:
        def passages(text: str) -> int:
            count = 0
            for match in _QUOTED.finditer(text):
                inner = next(g for g in match.groups() if g is not None)
                if len(inner.split()) >= self.min_words:
                    count += 1
            return count

        src, tgt = passages(source), len(_QUOTED.findall(target))
        if src > tgt:
            yield _segment_hit(0, len(target), {"source_count": str(src), "count": str(tgt)})

    def _question(self, source: str, target: str) -> Iterator[Hit]:
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

    def _names(self, source: str, target: str) -> Iterator[Hit]:
        """Flag a Russian person's surname (after a Russian given name) missing in the target."""
        keys = [
            _name_key(w) for w in _TARGET_WORD.findall(target) if len(w) >= 3 and w[0].isupper()
        ]
        lost: list[str] = []
        for match in _RU_PERSON.finditer(source):
            if match.group("given").lower() not in _RU_GIVEN_NAMES:
                continue
            surname = match.group("surname")
            if surname.lower() in _NOT_SURNAMES:
                continue  # Пётр Первый: a regnal epithet, translated ("Peter the Great")
            wanted = _name_key(transliterate(surname))
            # Spellings differ (Гауэр is Gower, Шульгин Schulgin): only a surname with no
            # capitalised target word at least 60 % alike counts as lost.
            if surname not in lost and not any(_alike(wanted, key) for key in keys):
                lost.append(surname)
        if lost:
            shown = ", ".join(f"{name} ({transliterate(name)})" for name in lost)
            yield _segment_hit(0, len(target), {"token": shown})


# Russian given names (never foreign ones, which are transliterated back inconsistently):
# the word after one of them is taken as a surname the translation must keep.
_RU_GIVEN_NAMES = frozenset(
    """владимир дмитрий сергей алексей александр андрей михаил николай иван игорь олег евгений
    юрий виктор анатолий павел максим денис артем артём антон борис геннадий валерий вячеслав
    константин леонид роман руслан станислав григорий георгий пётр петр фёдор федор илья кирилл
    никита вадим валентин василий ярослав рамзан ильхам гейдар нурсултан касым-жомарт татьяна
    ольга елена мария анна наталья наталия ирина светлана екатерина юлия людмила валентина
    марина галина вероника дарья ксения полина алла лариса""".split()
)
_NOT_SURNAMES = frozenset(
    "первый второй третий четвертый четвёртый великий грозный святой старший младший".split()
)
_RU_PERSON = lazy_regex(
    r"(?<![\p{L}-])(?P<given>\p{Lu}[\p{Cyrillic}-]+)\s+(?P<surname>\p{Lu}\p{Cyrillic}{2,})(?![\p{L}-])",
    regex.V1,
)
_TARGET_WORD = lazy_regex(r"\p{L}[\p{L}'’-]*", regex.V1)
_TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya".split(),
        strict=True,
    )
)


def transliterate(word: str) -> str:
    """Transliterate Cyrillic to Latin (a BGN/PCGN-like scheme, hard and soft signs dropped)."""
    out = []
    for char in word:
        latin = _TRANSLIT.get(char.lower(), char)
        latin = "" if latin == "_" else latin
        out.append(latin.capitalize() if char.isupper() else latin)
    return "".join(out)


def _alike(first: str, second: str) -> bool:
    """Say whether two name keys are spellings of the same name (declension endings aside)."""
    from difflib import SequenceMatcher

    stem = first[:-1] if len(first) > 4 and first[-1] in "aeiu" else first  # Путина -> Putin
    return max(SequenceMatcher(None, f, second).ratio() for f in (first, stem)) >= 0.6


def _name_key(word: str) -> str:
    """Normalise a Latin name so that transliteration variants compare equal."""
    key = word.lower().replace("’", "").replace("'", "")
    for old, new in (("kh", "h"), ("ts", "c"), ("tz", "c"), ("zh", "j"), ("y", "i"), ("ck", "k")):
        key = key.replace(old, new)
    return regex.sub(r"(.)\1", r"\1", key)  # Aliyev / Aliev, Zelenskyy / Zelensky


def _segment_hit(start: int, end: int, values: dict[str, str]) -> Hit:
    """Return a description-only hit (bilingual findings need a human)."""
    return Hit(start, end, applicability=Applicability.DISPLAY_ONLY, values=values)
