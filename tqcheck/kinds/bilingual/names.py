"""Find the names of a Russian source that its translation must keep.

Two families: Latin-script tokens (URLs, e-mails, hashtags, handles, acronyms, brands), which
come through unchanged, and Russian people's surnames, which come through transliterated.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import regex

from tqcheck.kinds.base import lazy_regex
from tqcheck.kinds.bilingual.numbers import ROMAN_LETTERS, WORD

# A Latin-script token of a Russian source: URL, e-mail, hashtag, @handle or a word.
_LATIN_TOKEN = lazy_regex(
    r"(?P<url>(?:https?://|www\.)[^\s«»\"“”<>()]+[^\s«»\"“”<>().,;:!?])"
    r"|(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|(?P<tag>(?<![\w])[#@][A-Za-z_][\w.]*[\w])"
    r"|(?P<word>(?<![\p{L}\d@#./-])[A-Za-z][A-Za-z0-9&'’+-]*[A-Za-z0-9+](?![\p{L}\d]))",
    regex.V1,
)
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
        self.initialisms = {w for w in WORD.findall(target) if w.isupper() and len(w) >= 2}

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


def latin_runs(source: str) -> Iterator[LatinRun]:
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


def lost_latin_tokens(source: str, target: str, ignore: frozenset[str]) -> list[str]:
    """Return the source's Latin-script tokens missing from the translation, in source order.

    ``ignore`` holds lower-case words that may be missing (translated or dropped on purpose).
    """
    folded = target.casefold().replace("’", "'")
    lost: list[str] = []
    kept: _KeptNames | None = None
    for run in latin_runs(source.replace("’", "'")):
        missing = [t for t, word in run.tokens if not _latin_present(t, word, folded, ignore)]
        if not missing:
            continue
        kept = kept or _KeptNames(target, folded)  # built only when a token is missing
        if kept.has(run):
            continue  # the name is there, joined, respelt or as its initialism (WSJ)
        for token in missing:
            if token not in lost:
                lost.append(token)
    return lost


def _latin_present(token: str, is_word: bool, folded: str, ignore: frozenset[str]) -> bool:
    """Return whether a source token is in the (case-folded) translation or need not be."""
    if not is_word:
        return token.casefold().rstrip("/") in folded
    if len(token) < 2 or set(token) <= ROMAN_LETTERS or token.lower() in ignore:
        return True
    if not (token.isupper() or any(c.isupper() for c in token[1:]) or token[0].isupper()):
        return True  # a lower-case Latin word may be translated ("online")
    pattern = rf"(?<![\p{{L}}\d]){regex.escape(token.casefold())}(?!\d)"
    return regex.search(pattern, folded, regex.V1) is not None


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


def lost_surnames(source: str, target: str) -> list[str]:
    """Return the surnames of Russian people (after a Russian given name) missing in the target."""
    keys = [_name_key(w) for w in _TARGET_WORD.findall(target) if len(w) >= 3 and w[0].isupper()]
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
    return lost


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
    from difflib import SequenceMatcher  # only when a source names a person: start-up time

    stem = first[:-1] if len(first) > 4 and first[-1] in "aeiu" else first  # Путина -> Putin
    return max(SequenceMatcher(None, f, second).ratio() for f in (first, stem)) >= 0.6


def _name_key(word: str) -> str:
    """Normalise a Latin name so that transliteration variants compare equal."""
    key = word.lower().replace("’", "").replace("'", "")
    for old, new in (("kh", "h"), ("ts", "c"), ("tz", "c"), ("zh", "j"), ("y", "i"), ("ck", "k")):
        key = key.replace(old, new)
    return regex.sub(r"(.)\1", r"\1", key)  # Aliyev / Aliev, Zelenskyy / Zelensky
