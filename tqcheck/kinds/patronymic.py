"""Patronymic kinds: Russian-style "given name + patronymic" in English copy.

A patronymic is recognised only right after a known given name, so surnames that merely look
like patronymics (Abramovich, Jovovich) are not flagged unless they follow a given name, and
not even then when the document uses them alone as a surname.

Two kinds: ``patronymic`` flags them in running text, ``patronymic-address`` in direct address
("Thank you, Ilham Heydarovich!"). Until the next release a pack may still write
``kind = "patronymic"`` with ``mode = "reference"`` or ``mode = "address"`` (see
``KIND_ALIASES`` in :mod:`tqcheck.kinds`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import regex

from tqcheck.document import Segment
from tqcheck.fix import Applicability, Edit
from tqcheck.kinds.base import Context, Hit, LazyPattern, ParamError, Params, lazy_regex
from tqcheck.kinds.family import FamilyKind

_SUFFIXES = (
    "ovich|evich|yevich|ievich|ovitch|evitch|ovych|evych|ich|"
    "ovna|evna|yevna|ievna|ichna|inichna|ivna|ovne"
)
_PATRONYMIC = rf"\p{{Lu}}\p{{Ll}}+?(?:{_SUFFIXES})"
# Suffixes longest first, to recover the father's name a patronymic is built from.
_STRIP = sorted(_SUFFIXES.split("|"), key=len, reverse=True)
# Capitalised words that start a clause rather than continue a name.
_NOT_SURNAMES = frozenset(
    """a an and as at but by for from he her his i if in into it its of on or our she so
    than that the their them then there these they this those to was we were when which who
    with you your said says mr mrs ms dr president minister dear""".split()
)
# Direct address: after "Dear", an opening quotation mark, "Thank you," or a comma that opens a
# vocative ("I am sure, Ilham Heydarovich, that ..."); and followed by a comma or "!".
_ADDRESS_BEFORE = lazy_regex(
    r"(?:\b(?:dear|respected|esteemed|honou?red|beloved)\s*$)|(?:[\"“«„]\s*$)"
    r"|(?:\b(?:thank\s+you|thanks|hello|good\s+(?:morning|afternoon|evening))\s*,?\s*$)"
    r"|(?:\p{Ll}\p{L}*\s*,\s*$)",
    regex.IGNORECASE | regex.V1,
)
_ADDRESS_AFTER = lazy_regex(r"^\s*[,!]")


@dataclass(frozen=True)
class _Name:
    """One "given patronymic [surname]" occurrence in segment offsets."""

    given: tuple[int, int]
    patronymic: tuple[int, int]
    surname: tuple[int, int] | None


class GivenNameKind(FamilyKind, family=True):
    """Base of the patronymic kinds: find "given name + patronymic [surname]" occurrences.

    Both kinds read ``given_names`` and ``not_patronymics``; they differ in which occurrences
    they flag (running text or direct address) and in the hit they make of one.
    """

    parameters = ("given_names", "not_patronymics")

    def __init__(self, params: Params) -> None:
        """Read ``given_names`` and ``not_patronymics``."""
        names = params.get("given_names", list)
        if not names or not all(isinstance(n, str) and n.strip() for n in names):
            raise ParamError("given_names", "expected a non-empty list of names")
        exceptions = params.get("not_patronymics", list, [])
        self.not_patronymics = frozenset(str(n).lower() for n in exceptions)
        super().__init__(params)
        given = "|".join(regex.escape(n) for n in sorted(set(names), key=lambda n: (-len(n), n)))
        self.given_names = frozenset(names)
        self.lower_names = frozenset(n.lower() for n in names)
        # Compiled on first use: most documents never get past the cheap gate below.
        self.pattern = LazyPattern(
            rf"(?<![\p{{L}}-])(?P<given>{given})\s+(?P<pat>{_PATRONYMIC})(?![\p{{L}}-])"
            rf"(?:\s+(?P<sur>\p{{Lu}}[\p{{L}}’'-]+))?"
        )
        self.plain = LazyPattern(
            rf"(?<![\p{{L}}-])(?P<given>{given})\s+(?P<sur>\p{{Lu}}[\p{{L}}’'-]+)"
        )

    def derives_from_name(self, patronymic: str) -> bool:
        """Say whether a -vich/-vna word is built on a known given name (Ivanovich: Ivan).

        This keeps surnames with the same endings (Arestovych, Babich) from being flagged.
        """
        word = patronymic.lower()
        for suffix in _STRIP:
            if word.endswith(suffix) and len(word) > len(suffix) + 1:
                stem = word[: -len(suffix)]
                candidates = {stem, stem + "a", stem + "i", stem + "y", stem + "iy", stem + "o"}
                # Pavel -> Pavlovich, Lev -> Lvovich: the fleeting e reappears in the name.
                candidates.add(stem[:-1] + "e" + stem[-1])
                if candidates & self.lower_names:
                    return True
        return False

    def _names(self, text: str) -> Iterator[_Name]:
        for m in self.pattern.finditer(text, overlapped=False):
            pat = m.group("pat")
            if pat.lower() in self.not_patronymics or not self.derives_from_name(pat):
                continue
            surname = m.span("sur") if m.group("sur") else None
            if surname is not None and not _is_surname(m.group("sur")):
                surname = None
            yield _Name(m.span("given"), m.span("pat"), surname)

    def trigger(self) -> str:
        """Return the endings a patronymic cannot do without (see _might_hold_patronymic)."""
        return "ich|vna|ovne"

    def check_segment(self, segment: Segment, ctx: Context) -> Iterator[Hit]:
        """Yield a hit per patronymic the kind flags, with its fix or suggestion."""
        text = segment.text
        if not _might_hold_patronymic(text):
            return
        for name in self._names(text):
            if self._used_as_surname(ctx, text[slice(*name.patronymic)]):
                continue
            is_address = name.surname is None and (
                _ADDRESS_BEFORE.search(text[: name.given[0]]) is not None
                and _ADDRESS_AFTER.match(text[name.patronymic[1] :]) is not None
            )
            hit = self.hit(name, text, is_address, ctx)
            if hit is not None:
                yield hit

    def hit(self, name: _Name, text: str, is_address: bool, ctx: Context) -> Hit | None:
        """Return the hit for one occurrence, or None where the kind does not flag it."""
        return None

    def _surnames(self, ctx: Context) -> dict[tuple[str, str], set[str]]:
        """Index the document's surnames by (given name, patronymic or "")."""
        return ctx.memo(f"patronymic.surnames.{id(self)}", lambda: self._index(ctx))  # type: ignore[no-any-return]

    def _index(self, ctx: Context) -> dict[tuple[str, str], set[str]]:
        index: dict[tuple[str, str], set[str]] = {}
        for text in _prose(ctx):
            for name in self._names(text):
                if name.surname is not None:
                    given = text[slice(*name.given)]
                    key = (given, text[slice(*name.patronymic)].lower())
                    index.setdefault(key, set()).add(text[slice(*name.surname)])
            for m in self.plain.finditer(text):
                surname = m.group("sur")
                if _is_surname(surname) and not _PATRONYMIC_WORD.fullmatch(surname):
                    index.setdefault((m.group("given"), ""), set()).add(surname)
        return index

    def _used_as_surname(self, ctx: Context, patronymic: str) -> bool:
        """Say whether the document uses the word alone, i.e. as a surname (Abramovich)."""
        standalone: set[str] = ctx.memo(
            f"patronymic.standalone.{id(self)}", lambda: self._standalone(ctx)
        )
        return patronymic in standalone

    def _standalone(self, ctx: Context) -> set[str]:
        found: set[str] = set()
        for text in _prose(ctx):
            for m in _GATE.finditer(text):
                word = m.group(1)
                if not word[0].isupper() or not _PATRONYMIC_WORD.fullmatch(word):
                    continue
                before = text[max(0, m.start() - 40) : m.start()]
                words = before.split()
                # Only whitespace may separate a given name from its patronymic.
                prev = words[-1].lstrip("\"“«„'‘([") if words and before[-1:].isspace() else ""
                if prev not in self.given_names:
                    found.add(word)
        return found


class PatronymicKind(GivenNameKind):
    """Flag patronymics after given names in running text ("Heydar Aliyevich Aliyev said")."""

    name = "patronymic"

    def hit(self, name: _Name, text: str, is_address: bool, ctx: Context) -> Hit | None:
        """Drop the patronymic (or put the known surname in its place); skip direct address."""
        if is_address:
            return None
        given = text[slice(*name.given)]
        patronymic = text[slice(*name.patronymic)]
        start, end = name.patronymic
        if name.surname is not None:
            # "Heydar Aliyevich Aliyev": dropping the patronymic is a deterministic correction.
            edit = Edit(start, name.surname[0], "")
            full = f"{given} {text[slice(*name.surname)]}"
            return Hit(start, end, (full,), (edit,), values={"replacement": full})
        candidates = self._surnames(ctx).get((given, patronymic.lower()), set())
        loose = self._surnames(ctx).get((given, ""), set())
        if len(candidates) == 1:
            surname = next(iter(candidates))
            full = f"{given} {surname}"
            return Hit(
                start, end, (full,), (Edit(start, end, surname),), values={"replacement": full}
            )
        if not candidates and len(loose) == 1:
            surname = next(iter(loose))
            full = f"{given} {surname}"
            return Hit(
                start,
                end,
                (full,),
                (Edit(start, end, surname),),
                applicability=Applicability.UNSAFE,
                values={"replacement": full},
            )
        full = f"{given} <surname>"
        return Hit(
            start,
            end,
            (full,),
            applicability=Applicability.DISPLAY_ONLY,
            values={"replacement": "the given name and surname"},
        )


class PatronymicAddressKind(GivenNameKind):
    """Flag given name + patronymic in direct address ("Thank you, Ilham Heydarovich!")."""

    name = "patronymic-address"

    def hit(self, name: _Name, text: str, is_address: bool, ctx: Context) -> Hit | None:
        """Suggest a title and the surname (Mr Aliyev, President Aliyev) for an address."""
        if not is_address:
            return None
        given = text[slice(*name.given)]
        start, end = name.given[0], name.patronymic[1]
        surnames = self._surnames(ctx).get((given, ""), set())
        if len(surnames) == 1:
            surname = next(iter(surnames))
            president = regex.compile(
                rf"\bPresident\s+(?:\p{{Lu}}\p{{L}}+\s+){{0,2}}{regex.escape(surname)}\b"
            )
            titled = any(president.search(text) for text in _prose(ctx))
            forms = [f"Mr {surname}", f"President {surname}"]
            if titled:
                forms.reverse()
            return Hit(
                start,
                end,
                tuple(forms),
                applicability=Applicability.DISPLAY_ONLY,
                values={"replacement": forms[0]},
            )
        return Hit(
            start,
            end,
            ("Mr <surname>",),
            applicability=Applicability.DISPLAY_ONLY,
            values={"replacement": "a title and the surname"},
        )


# The patronymic kinds, in the order of the old ``mode`` values (reference, address).
KINDS: tuple[type[GivenNameKind], ...] = (PatronymicKind, PatronymicAddressKind)


# A cheap gate (stdlib re, no Unicode-property classes): a capitalised word with a
# patronymic ending must occur before the full given-name pattern is worth running.
_GATE = re.compile(r"\b([^\W\d_][^\W\d_]*?(?:ich|vna|ovne|ichna))\b")


_PATRONYMIC_WORD = lazy_regex(_PATRONYMIC, regex.V1)


def _prose(ctx: Context) -> Iterator[str]:
    """Yield the texts of the segments the kind is looking at (not the whole file)."""
    for segment in ctx.document.segments:
        yield segment.text


def _might_hold_patronymic(text: str) -> bool:
    """Say whether text has a capitalised word ending like a patronymic."""
    if "ich" not in text and "vna" not in text and "ovne" not in text:
        return False  # the common case, decided without a regex
    return any(m.group(1)[0].isupper() for m in _GATE.finditer(text))


def _is_surname(word: str) -> bool:
    """Say whether a capitalised word after a name can be a surname."""
    return word.lower().strip("’'") not in _NOT_SURNAMES and not word.isupper()
