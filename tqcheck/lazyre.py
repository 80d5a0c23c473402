"""Regular expressions that compile on first use, so that start-up stays fast.

Compiling a few hundred rule patterns costs about a second, and even the module-level
patterns of tqcheck's own modules add up; a run over one article needs only some of them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import regex

# Case-insensitive patterns use simple case folding (one character to one), not version 1's
# default full folding ("ß" = "ss"): English rule patterns never need it, and full folding
# makes compiling about three times slower, which a one-article run pays on every start.
_SIMPLE_CASE = "(?-f)"


class LazyPattern:
    """Hold a `regex` pattern (V1 semantics) that compiles on first use.

    Compiling a few hundred rule patterns costs about a second; a run over one article needs
    only the few whose prefilter words occur, so compilation is deferred until a match is
    attempted.
    """

    __slots__ = ("_compiled", "flags", "pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        """Remember the source and flags; nothing is compiled yet."""
        self.pattern = pattern
        self.flags: int = int(flags | regex.V1)
        self._compiled: regex.Pattern[str] | None = None

    @property
    def compiled(self) -> regex.Pattern[str]:
        """Return the compiled pattern, compiling it the first time."""
        if self._compiled is None:
            self._compiled = regex.compile(_SIMPLE_CASE + self.pattern, self.flags)
        return self._compiled

    @property
    def groupindex(self) -> Mapping[str, int]:
        """Return the named groups of the pattern."""
        return self.compiled.groupindex

    @property
    def groups(self) -> int:
        """Return the number of groups of the pattern."""
        return self.compiled.groups

    def finditer(self, string: str, *args: Any, **kwargs: Any) -> Iterator[regex.Match[str]]:
        """Iterate over the matches in string."""
        return self.compiled.finditer(string, *args, **kwargs)

    def search(self, string: str, *args: Any, **kwargs: Any) -> regex.Match[str] | None:
        """Return the first match in string."""
        return self.compiled.search(string, *args, **kwargs)

    def match(self, string: str, *args: Any, **kwargs: Any) -> regex.Match[str] | None:
        """Return the match at the start of string."""
        return self.compiled.match(string, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        """Delegate other pattern methods (sub, findall, ...) to the compiled pattern."""
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.compiled, name)

    def __getstate__(self) -> tuple[str, int]:
        """Pickle the source only (worker processes recompile what they use)."""
        return self.pattern, self.flags

    def __setstate__(self, state: tuple[str, int]) -> None:
        """Restore from the source."""
        self.pattern, self.flags = state
        self._compiled = None


def lazy_regex(source: str, flags: int = 0) -> LazyPattern:
    """Return a module-level pattern that compiles on first use (start-up stays fast)."""
    return LazyPattern(source, flags)
