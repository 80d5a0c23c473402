"""Pattern kind: a `regex`-module pattern with named groups and replacement templates."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import regex

from tqcheck.document import Segment
from tqcheck.fix import Applicability, Edit
from tqcheck.kinds.base import Context, Hit, Kind, ParamError, Params, match_case
from tqcheck.kinds.verbs import base_form

# A template reference: \g<name> or \g<name|filter>.
_REFERENCE = regex.compile(r"\\g<(\w+)(?:\|([\w-]+))?>")

FILTERS: dict[str, Callable[[str], str]] = {
    "lower": str.lower,
    "upper": str.upper,
    "title": lambda s: s[:1].upper() + s[1:],
    "base": base_form,
}


def check_template(key: str, template: str, pattern: regex.Pattern[str]) -> None:
    """Raise ParamError if a template names an unknown group or filter."""
    groups = set(pattern.groupindex)
    for match in _REFERENCE.finditer(template):
        name, filter_name = match.group(1), match.group(2)
        if not name.isdigit() and name not in groups:
            raise ParamError(key, f"template refers to unknown group {name!r}")
        if name.isdigit() and int(name) > pattern.groups:
            raise ParamError(key, f"template refers to missing group {name}")
        if filter_name is not None and filter_name not in FILTERS:
            raise ParamError(key, f"unknown template filter {filter_name!r}")


def expand(template: str, match: regex.Match[str]) -> str:
    """Fill a template from a match; unmatched groups expand to nothing."""

    def ref(m: regex.Match[str]) -> str:
        name, filter_name = m.group(1), m.group(2)
        value = match.group(int(name) if name.isdigit() else name) or ""
        return FILTERS[filter_name](value) if filter_name else value

    return _REFERENCE.sub(ref, template)


class PatternKind(Kind):
    """Flag matches of a pattern (or only its ``mark`` group) and offer a templated fix."""

    name = "pattern"

    def __init__(self, params: Params) -> None:
        """Read ``pattern``, optional ``replace``, ``suggest`` and ``case_sensitive``."""
        case_sensitive = params.get("case_sensitive", bool, False)
        flags = 0 if case_sensitive else regex.IGNORECASE
        pattern = params.regex("pattern", flags=flags)
        assert pattern is not None
        self.pattern = pattern
        self.replace: str | None = params.get("replace", str, None)
        self.suggest: tuple[str, ...] = tuple(params.get("suggest", list, []))
        if not all(isinstance(s, str) for s in self.suggest):
            raise ParamError("suggest", "expected a list of strings")
        for key, template in [("replace", self.replace), *(("suggest", s) for s in self.suggest)]:
            if template is not None:
                check_template(key, template, self.pattern)
        self.keep_case = params.get("keep_case", bool, True)
        self.has_mark = "mark" in self.pattern.groupindex
        params.finish()

    def check_segment(self, segment: Segment, ctx: Context) -> Iterator[Hit]:
        """Yield a hit per match, on the ``mark`` group when the pattern has one."""
        for match in self.pattern.finditer(segment.text):
            start, end = match.span("mark") if self.has_mark else match.span()
            if start < 0 or (start == end and self.replace is None):
                continue
            original = segment.text[start:end]
            suggestions: list[str] = []
            edits: tuple[Edit, ...] = ()
            if self.replace is not None:
                replacement = expand(self.replace, match)
                if self.keep_case:
                    replacement = match_case(original, replacement)
                if replacement == original:
                    continue
                suggestions.append(replacement)
                edits = (Edit(start, end, replacement),)
            for template in self.suggest:
                text = expand(template, match)
                text = match_case(original, text) if self.keep_case else text
                if text not in suggestions:
                    suggestions.append(text)
            yield Hit(
                start,
                end,
                suggestions=tuple(suggestions),
                edits=edits,
                applicability=None if edits else Applicability.DISPLAY_ONLY,
                values={"text": original, "suggestion": suggestions[0] if suggestions else ""},
            )
