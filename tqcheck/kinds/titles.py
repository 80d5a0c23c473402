"""Titles kind: a title + "of" + body used like a Russian title, without an article.

Russian «Министр экономики Грузии Натия Турнава заявила» has no article; MT keeps the frame
and writes "Minister of Economy of Georgia Natia Turnava said". English either takes the
article (and commas round the name) or puts the body in front as a modifier: "Georgian Economy
Minister Natia Turnava". The kind finds the bare frame with a pattern built from word lists in
the pack (titles, modifiers, body words, determiners) and offers both repairs: the article as
the fix, the modifier-first form as an alternative built from the body ("Economy Minister",
"Kazakh President", "Kazakhstan's Minister of Science") with a table of demonyms.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import regex

from tqcheck.document import Segment
from tqcheck.fix import Edit
from tqcheck.kinds.base import Context, Hit, Kind, LazyPattern, ParamError, Params

# Where a sentence starts: the segment start, after a full stop not closing an initial
# ("U.S."), or after a colon or an opening quotation mark.
_SENTENCE_START = r"(?<=^|(?<!\b\p{Lu})[.!?]\s+|[:\"“”«»]\s*)"
# What may follow a personal name: punctuation (not a colon: speaker labels), the end, a
# lower-case word (a verb, a connector) or a spaced dash.
_AFTER_NAME = r"(?=\s*(?:[,.;!?)]|$)|\s+\p{Ll}|\s+[—–-]\s)"
_CONNECTORS = ("of", "the", "and", "for", "on", "in")


def _words(values: list[str]) -> str:
    """Return an alternation of phrases, longest first, spaces matching any white space."""
    phrases = sorted(set(values), key=lambda p: (-len(p), p))
    return "|".join(
        regex.escape(p).replace(r"\ ", r"\s+").replace(r"\-", r"[\s\-]") for p in phrases
    )


def _drop_the(text: str) -> str:
    """Return text without a leading "the"."""
    return regex.sub(r"^the\s+", "", text)


def _string_list(params: Params, key: str, default: list[str] | None = None) -> list[str]:
    """Return a list-of-strings parameter (a missing one is an error unless defaulted)."""
    value = params.get(key, list, default if default is not None else ...)
    if not all(isinstance(item, str) and item.strip() for item in value):
        raise ParamError(key, "expected a list of non-empty strings")
    return list(value)


@dataclass(frozen=True)
class TitleMatch:
    """One bare title frame: what precedes it, the title words, the body and the name."""

    start: int
    end: int
    before: str  # the flagged words before the title ("met ", ", "), empty at a sentence start
    title: str
    prep: str  # "of" or "for"
    body: str  # "Economy", "the Security Council of the Kyrgyz Republic"
    dest: str  # " to Freedonia" after an envoy's own country, or empty
    name: str  # the personal name after the body, or empty


class TitlesKind(Kind):
    """Flag a bare "Title of Body Name" frame; fix with "the", suggest the modifier-first form."""

    name = "titles"

    def __init__(self, params: Params) -> None:
        """Read the word lists and the demonym table, and build the pattern."""
        titles = _string_list(params, "titles")
        modifiers = _string_list(params, "modifiers", [])
        post_modifiers = _string_list(params, "post_modifiers", [])
        bare = _string_list(params, "bare_bodies", [])
        self.body_words = frozenset(_string_list(params, "body_words"))
        place_words = _string_list(params, "place_words", [])
        determiners = _string_list(params, "determiners")
        adjectives = _string_list(params, "adjectives", [])
        after_words = _string_list(params, "after_words", [])
        demonyms = params.get("demonyms", dict, {})
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in demonyms.items()):
            raise ParamError("demonyms", "expected a table of country = adjective strings")
        self.demonyms: Mapping[str, str] = dict(demonyms)
        forms = params.get("modifier_forms", dict, {})
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in forms.items()):
            raise ParamError("modifier_forms", "expected a table of body = modifier strings")
        self.modifier_forms: Mapping[str, str] = dict(forms)
        params.finish()
        self.heads = frozenset(word.lower() for t in titles for word in regex.split(r"[\s\-]+", t))
        mods = rf"(?:(?:{_words(modifiers)})[\s\-]+){{0,3}}" if modifiers else ""
        post = rf"(?:\s+(?:{_words(post_modifiers)}))?" if post_modifiers else ""
        keep = rf"(?!\s+of\s+(?:{_words(bare)})\b)" if bare else ""
        chain = rf"{mods}(?:{_words(titles)}){post}{keep}"
        # A body word: initials ("U.S."), a short abbreviation ("St."), a capitalised word, a
        # connector or a listed lower-case place word; a full stop ends a sentence otherwise.
        token = r"(?:(?:\p{Lu}\.)+|\p{Lu}\p{Ll}{0,2}\.|\p{Lu}[\p{L}\-’']*"
        token += f"|{'|'.join(_CONNECTORS)}"
        token += f"|{_words(place_words)})" if place_words else ")"
        ends = "|".join(_CONNECTORS)
        body = rf"\s+(?P<prep>of|for)\s+(?P<body>{token}(?:\s+{token}){{0,14}}?(?<!\b(?:{ends})))"
        # Words of bodies and of the countries in the demonym table are never name words.
        not_names = self.body_words | {w for c in self.demonyms for w in c.split()}
        name_word = (
            rf"(?!(?:{_words(sorted(not_names))})\b)\p{{Lu}}\p{{Ll}}+(?:-\p{{Lu}}\p{{Ll}}+)?"
        )
        name = rf"(?P<name>{name_word}(?:\s+{name_word}){{1,2}})"
        skip = _words(determiners + adjectives)
        # After a listed verb or preposition the title needs "the" even without a name.
        # "and" inside a title ("Extraordinary and Plenipotentiary") does not start one.
        inside = rf"(?<!(?:{_words(modifiers)})\s+)" if modifiers else ""
        verb = (
            rf"{inside}(?P<mark>(?P<before>\b(?:{_words(after_words)})\s+)(?P<title>{chain}))"
            rf"(?={body}\s+{name}{_AFTER_NAME}|{body}{_AFTER_NAME})"
            if after_words
            else "(?!)"
        )
        # After any other lower-case word, a comma or a dash: only before a name.
        word = (
            rf"{inside}(?P<mark>(?P<before>\b(?!(?:{skip})\s)\p{{Ll}}+\s+|,\s+|[—–]\s+)"
            rf"(?P<title>{chain}))"
            rf"(?={body}\s+{name}{_AFTER_NAME})"
        )
        # At a sentence start: before a name, also after "to" + a second body (envoys) or a
        # comma ("Head of the region, Ivan Petrov said").
        start = (
            rf"{_SENTENCE_START}(?P<mark>(?P<before>)(?P<title>{chain}))"
            rf"(?={body}(?:(?P<dest>\s+to\s+{token}(?:\s+{token}){{0,6}}?)?\s+{name}{_AFTER_NAME}"
            rf"|,\s+{name}(?:,|\s+\p{{Ll}})))"
        )
        self.pattern = LazyPattern(f"{verb}|{word}|{start}", 0)
        # Compiled on first use, like the pattern: most documents never reach a title.
        self.modifiers = LazyPattern(
            rf"^(?:(?:{_words(modifiers)})[\s\-]+)*" if modifiers else "^", 0
        )
        # Formal titles dropped from the body-first form ("Ambassador Extraordinary and …").
        self.post_modifiers = LazyPattern(
            rf"(?:^|\s+)(?:{_words(post_modifiers)})(?=\s|$)\s*" if post_modifiers else "(?!)",
            0,
        )
        # One word of a title must occur; single words, so the test never spans a line break.
        heads = sorted({w for t in titles for w in regex.split(r"[\s\-]+", t)})
        self._trigger = rf"\b(?:{'|'.join(regex.escape(w) for w in heads)})\b"

    def trigger(self) -> str:
        """Return the test a segment must pass: one of the title words."""
        return self._trigger

    def check_segment(self, segment: Segment, ctx: Context) -> Iterator[Hit]:
        """Yield a hit per bare title frame, with "the" as the fix."""
        lowered = ctx.lowered(segment)
        if not any(head in lowered for head in self.heads):
            return
        try:  # a segment that takes over the time budget is skipped, not allowed to hang a run
            frames = list(self.frames(segment.text, ctx.settings.pattern_timeout))
        except TimeoutError:
            return
        for found in frames:
            article = "The " if not found.before else "the "
            replacement = f"{found.before}{article}{found.title}"
            yield Hit(
                found.start,
                found.end,
                suggestions=(replacement,),
                edits=(Edit(found.start, found.end, replacement),),
                values={
                    "text": segment.text[found.start : found.end],
                    "suggestion": replacement,
                    "rewrite": self.rewrite(found, capital=not found.before),
                },
            )

    def frames(self, text: str, timeout: float | None = None) -> Iterator[TitleMatch]:
        """Yield the bare title frames of a text (TimeoutError after ``timeout`` seconds)."""
        for match in self.pattern.finditer(text, timeout=timeout):
            yield TitleMatch(
                match.start("mark"),
                match.end("mark"),
                match.group("before") or "",
                match.group("title"),
                match.group("prep") or "of",
                match.group("body") or "",
                match.group("dest") or "",
                match.group("name") or "",
            )

    def rewrite(self, found: TitleMatch, capital: bool) -> str:
        """Return the body-first form of the frame, or the article-and-commas form."""
        title = regex.sub(r"\s+", " ", found.title)
        body = regex.sub(r"\s+", " ", found.body)
        dest = regex.sub(r"\s+", " ", found.dest)
        article = "The" if capital else "the"
        if not found.name:  # mid-sentence, no name: the body may go on past what was matched
            return f"{article} {title} {found.prep} {body} …"
        fallback = f"{article} {title} {found.prep} {body}{dest}, {found.name},"
        mods = self.modifiers.match(title)
        lead = mods.group(0) if mods else ""
        head = self.post_modifiers.sub("", title[len(lead) :]).strip()
        lead = self.post_modifiers.sub("", lead)
        lead = regex.sub(r"^(?:Ex|ex)[\s\-]+", "former ", lead)
        if capital:
            lead = lead[:1].upper() + lead[1:]
        plain = _drop_the(body)
        if found.prep != "of" or not all(
            w[:1].isupper() or w in _CONNECTORS for w in plain.split()
        ):
            return fallback
        country, rest = self._country(plain)
        short = _drop_the(rest)
        short = self.modifier_forms.get(short, short)
        if country is None:
            if not self._short(short):
                return fallback
            return f"{lead}{short} {head}{dest} {found.name}"  # "Economy Minister Ivan Petrov"
        demonym = self.demonyms[country]
        if lead and not lead.lower().startswith("former"):  # "Russian First Deputy Prime …"
            demonym, lead = f"{demonym} {lead.strip()}", ""
            if capital:
                demonym = demonym[:1].upper() + demonym[1:]
        if not short:  # "President of Kazakhstan" → "Kazakh President"
            return f"{lead}{demonym} {head}{dest} {found.name}"
        if self._short(short):  # "Secretary of the Security Council of …" → "Kyrgyz Security …"
            return f"{lead}{demonym} {short} {head}{dest} {found.name}"
        # "Kazakh Minister of Science and Higher Education …", "Kyrgyz Head of the Ministry …"
        article_kept = "the " if body.startswith("the ") else ""
        return f"{lead}{demonym} {head} of {article_kept}{rest}{dest} {found.name}"

    def _country(self, body: str) -> tuple[str | None, str]:
        """Split "X of [the] Country" into the country key and X (empty when body is a country)."""
        for country in sorted(self.demonyms, key=len, reverse=True):
            for form in (country, f"the {country}"):
                if body == form:
                    return country, ""
                for joint in (f" of {form}", f" of the {form}"):
                    if body.endswith(joint) and body != joint.strip():
                        return country, body[: -len(joint)]
        return None, body

    def _short(self, body: str) -> bool:
        """Say whether a body reads well as a modifier: one to three words, no "of"/"and"."""
        words = body.split()
        return 0 < len(words) <= 3 and not any(w in _CONNECTORS for w in words)
