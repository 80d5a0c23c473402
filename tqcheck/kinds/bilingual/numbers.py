"""Find the numbers of a Russian source and of its English translation, and match them by value.

Numbers are compared by value after normalising Russian conventions: decimal comma, digit
groups separated by spaces (also NBSP and thin spaces), scale words (``млн``, ``млрд``,
``тыс.`` against million, billion, thousand), percentages, ranges, ordinal suffixes and
dates (``1 мая`` / ``May 1``; ``01.05.2022``), Roman numerals (``XIX век``), and small
number words on either side (``пять`` / ``five``). The words, scales and months are data, in
``numbers-ru-en.toml`` beside this module.
"""

from __future__ import annotations

import functools
import importlib.resources
import tomllib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import regex

from tqcheck.kinds.base import lazy_regex

DATA_FILE = "numbers-ru-en.toml"

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
# Letters of a Roman numeral: a Latin "token" made of them only is a number (XIX век).
ROMAN_LETTERS = frozenset(_ROMAN_VALUES)
WORD = lazy_regex(r"\p{L}+", regex.V1)
CYRILLIC = lazy_regex(r"\p{Cyrillic}", regex.V1)
_DECADE = lazy_regex(r"-?(?:х|e|е|x|ых|ые|ое)\b", regex.V1)
_RU_WORD_SCALE = lazy_regex(r"[ \u00a0]+(тысяч\w*|миллион\w*|миллиард\w*)", regex.V1)
_DIGITS = lazy_regex(r"\d")
# "ма" is May's stem only in these forms (not in "мало", "март", "машина").
_MAY_FORMS = frozenset(("мая", "май", "мае", "маю"))


@dataclass(frozen=True)
class NumberWords:
    """Hold the number words, scale words and month names of numbers-ru-en.toml."""

    scales: Mapping[str, int]  # stem -> multiplier, in file order (the first match wins)
    words_ru: Mapping[str, Decimal]
    stems_ru: Mapping[str, Decimal]  # in file order (the first matching stem wins)
    words_en: Mapping[str, Decimal]
    months_ru: tuple[str, ...]  # stems, January first
    months_en: Mapping[str, Decimal]  # name -> month number


@functools.cache
def number_words() -> NumberWords:
    """Load the number data from the package resource, once (not at import: start-up time)."""
    resource = importlib.resources.files("tqcheck.kinds.bilingual") / DATA_FILE
    text = resource.read_text(encoding="utf-8")
    data = tomllib.loads(text)

    def values(table: str) -> dict[str, Decimal]:
        # Decimals are strings in the file ("1.5"), so that no float rounding creeps in.
        return {word: Decimal(str(value)) for word, value in data[table].items()}

    return NumberWords(
        scales={stem: int(scale) for stem, scale in data["scales"].items()},
        words_ru=values("words_ru"),
        stems_ru=values("stems_ru"),
        words_en=values("words_en"),
        months_ru=tuple(data["months_ru"]),
        months_en={name: Decimal(i + 1) for i, name in enumerate(data["months_en"])},
    )


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
    for stem, scale in number_words().scales.items():
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
    data = number_words()
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
        if value is not None and CYRILLIC.search(text):
            numbers.append(Number(match.start(), match.end(), frozenset({Decimal(value)}), False))
    for match in WORD.finditer(text):
        word = match.group().lower()
        amount = data.words_ru.get(word)
        if amount is None:
            amount = next((v for stem, v in data.stems_ru.items() if word.startswith(stem)), None)
        if amount is not None:
            scale = _RU_WORD_SCALE.match(text, match.end())
            amounts = {amount}
            if scale is not None:
                amounts.add(amount * _scale_of(scale.group(1)))  # "пять тысяч" is 5000
            numbers.append(Number(match.start(), match.end(), frozenset(amounts), False))
        for index, stem in enumerate(data.months_ru):
            if word.startswith(stem) and (stem != "ма" or word in _MAY_FORMS):
                month = Decimal(index + 1)
                numbers.append(Number(match.start(), match.end(), frozenset({month}), False))
    return numbers


def _year(text: str) -> frozenset[Decimal]:
    value = Decimal(text)
    return frozenset({value, value + 2000}) if len(text) == 2 else frozenset({value})


def target_numbers(text: str) -> list[Number]:
    """Return the numbers of an English text, normalised."""
    data = number_words()
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
    for match in WORD.finditer(text):
        word = match.group().lower()
        value = data.words_en.get(word)
        if value is not None:
            numbers.append(Number(match.start(), match.end(), frozenset({value}), False))
        month = data.months_en.get(word)
        if month is not None:
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


def differences(source: str, target: str) -> tuple[list[Number], list[Number]]:
    """Return (source numbers missing in the target, target numbers the source lacks)."""
    if _DIGITS.findall(source) == _DIGITS.findall(target):
        return [], []  # the same digits in the same order: only separators differ (+7 905 ...)
    src, tgt = source_numbers(source), target_numbers(target)
    return unmatched(src, tgt), unmatched(tgt, src)
