"""Derive prefilter words from a regular expression: words every match needs in its text.

A pattern rule only needs to run on a segment whose lower-cased text contains one of its
anchor words, and most segments contain none, so this turns dozens of full regex scans per
segment into a few substring tests. The analysis is conservative: when it cannot prove that
every match contains one of the words, it returns None and the pattern always runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

_ESCAPE_CLASSES = set("bBsSwWdDAZzGhHvVKRX")
_MIN_WORD = 2
# Words so frequent that a prefilter on them rarely skips anything: anchor sets without them
# are preferred.
COMMON = frozenset(
    """the and that from with this have they were said will more most their there which about
    year years side within level time times also after other into than them then these been
    being over only some such when where what while would could should first last next new
    people country countries russia russian state states government president minister
    security issue issues question questions number part given added noted for not are was
    his her its our has had can may one two all any out it in of by to on at is as an be or
    we he""".split()
)


@dataclass
class _Lit:
    char: str


@dataclass
class _Other:
    pass


@dataclass
class _Group:
    alternatives: list[list[tuple[object, bool]]]  # branches of (atom, optional) sequences


class _Unsupported(Exception):
    """Raise when the pattern uses syntax the analysis does not model."""


class _Parser:
    def __init__(self, source: str) -> None:
        self.s = source
        self.i = 0

    def parse(self) -> list[list[tuple[object, bool]]]:
        branches = self._alternation()
        if self.i != len(self.s):
            raise _Unsupported("unbalanced parenthesis")
        return branches

    def _alternation(self) -> list[list[tuple[object, bool]]]:
        branches: list[list[tuple[object, bool]]] = [[]]
        while self.i < len(self.s):
            char = self.s[self.i]
            if char == ")":
                break
            if char == "|":
                self.i += 1
                branches.append([])
                continue
            atom = self._atom()
            optional = self._quantifier()
            if atom is not None:
                branches[-1].append((atom, optional))
        return branches

    def _quantifier(self) -> bool:
        """Consume a quantifier; return True if it allows zero repetitions."""
        if self.i >= len(self.s):
            return False
        char = self.s[self.i]
        optional = False
        if char in "?*":
            optional = True
            self.i += 1
        elif char == "+":
            self.i += 1
            return True  # the atom may repeat: literal words across it are not contiguous
        elif char == "{":
            end = self.s.find("}", self.i)
            body = self.s[self.i + 1 : end] if end > 0 else ""
            if not body or not body.replace(",", "").isdigit():
                return False  # a literal brace
            # Counted repeats never form contiguous words with their neighbours: treat the
            # atom as optional (conservative).
            optional = True
            self.i = end + 1
        else:
            return False
        if self.i < len(self.s) and self.s[self.i] in "?+":
            self.i += 1
        return optional

    def _atom(self) -> object | None:
        s, i = self.s, self.i
        char = s[i]
        if char == "\\":
            return self._escape()
        if char == "[":
            self._skip_class()
            return _Other()
        if char == "(":
            return self._group()
        self.i += 1
        if char in ".^$":
            return _Other()
        return _Lit(char)

    def _escape(self) -> object:
        s = self.s
        self.i += 1
        if self.i >= len(s):
            raise _Unsupported("trailing backslash")
        char = s[self.i]
        self.i += 1
        if char in "pPN" and self.i < len(s) and s[self.i] == "{":
            self.i = s.index("}", self.i) + 1
            return _Other()
        if char == "g" and self.i < len(s) and s[self.i] == "<":
            self.i = s.index(">", self.i) + 1
            return _Other()
        if char == "x":
            self.i += 2
            return _Other()
        if char == "u":
            self.i += 4
            return _Other()
        if char == "U":
            self.i += 8
            return _Other()
        if char.isdigit():
            while self.i < len(s) and s[self.i].isdigit():
                self.i += 1
            return _Other()
        if char.isalpha():
            if char in _ESCAPE_CLASSES or char in "ntrfae":
                return _Other()
            raise _Unsupported(f"escape \\{char}")
        return _Lit(char)

    def _skip_class(self) -> None:
        s = self.s
        depth = 0
        self.i += 1
        if self.i < len(s) and s[self.i] == "^":
            self.i += 1
        if self.i < len(s) and s[self.i] == "]":
            self.i += 1
        while self.i < len(s):
            char = s[self.i]
            if char == "\\":
                self.i += 2
                continue
            if char == "[":
                depth += 1
            elif char == "]":
                if depth == 0:
                    self.i += 1
                    return
                depth -= 1
            self.i += 1
        raise _Unsupported("unterminated character class")

    def _group(self) -> object | None:
        s = self.s
        self.i += 1
        negative = False
        if s.startswith("?", self.i):
            rest = s[self.i + 1 :]
            if rest.startswith("#"):
                self.i = s.index(")", self.i) + 1
                return None
            if rest.startswith(("P=", "P>", "&", "R", "(")):
                raise _Unsupported("backreference or recursion")
            if rest.startswith(("P<", "<")) and not rest.startswith(("<=", "<!")):
                self.i = s.index(">", self.i) + 1
            elif rest.startswith(("=", "!", "<=", "<!")):
                negative = rest.startswith(("!", "<!"))
                self.i += 2 if rest[0] in "=!" else 3
            elif rest.startswith((":", ">", "|")):
                self.i += 2
            else:
                # Inline flags: (?i) (?-i) (?i:...) (?V1) ...
                j = self.i + 1
                while j < len(s) and (s[j].isalnum() or s[j] == "-"):
                    j += 1
                flags = s[self.i + 1 : j]
                if "x" in flags.split("-")[0]:
                    raise _Unsupported("verbose patterns")
                if j < len(s) and s[j] == ")":
                    self.i = j + 1
                    return None
                if j < len(s) and s[j] == ":":
                    self.i = j + 1
                else:
                    raise _Unsupported("group syntax")
        branches = self._alternation()
        if self.i >= len(s) or s[self.i] != ")":
            raise _Unsupported("unbalanced parenthesis")
        self.i += 1
        return _Other() if negative else _Group(branches)


def _sequence_anchors(sequence: list[tuple[object, bool]]) -> frozenset[str] | None:
    candidates: list[frozenset[str]] = []
    word: list[str] = []

    def flush() -> None:
        text = "".join(word).lower()
        if len(text) >= _MIN_WORD:
            candidates.append(frozenset((text,)))
        word.clear()

    for atom, optional in sequence:
        if isinstance(atom, _Lit) and not optional and atom.char.isalpha():
            word.append(atom.char)
            continue
        flush()
        if isinstance(atom, _Group) and not optional:
            inner = _alternation_anchors(atom.alternatives)
            if inner is not None:
                candidates.append(inner)
    flush()
    if not candidates:
        return None
    return max(candidates, key=_score)


def _score(words: frozenset[str]) -> tuple[int, int, int, int]:
    """Rank anchor sets: long uncommon words first, then longer words, then fewer words."""
    shortest = min(len(w) for w in words)
    uncommon = not any(w in COMMON for w in words)
    return (int(uncommon and shortest >= 4), int(shortest >= 3), shortest, -len(words))


def _alternation_anchors(branches: list[list[tuple[object, bool]]]) -> frozenset[str] | None:
    found: set[str] = set()
    for branch in branches:
        anchors = _sequence_anchors(branch)
        if anchors is None:
            return None
        found |= anchors
    return frozenset(found)


def required_words(source: str, verbose: bool = False) -> frozenset[str] | None:
    """Return lower-case words one of which every match's text contains, or None if unknown.

    Lookahead and lookbehind contents count: a match needs that text around it, so the
    segment must contain it.
    """
    if verbose:
        return None
    try:
        return _alternation_anchors(_Parser(source).parse())
    except (_Unsupported, ValueError, IndexError):
        return None


def _repeated_alternative(body: str) -> bool:
    """Say whether a group body has two identical top-level alternatives (``a|a``)."""
    if body.startswith("?"):
        colon = body.find(":")
        flags = body[1:colon].replace("-", "")
        if colon < 0 or not (flags == "" or flags.isalpha()):
            return False  # a lookaround or a conditional, not a plain group
        body = body[colon + 1 :]
    alternatives: list[str] = []
    depth, start, i = 0, 0, 0
    while i < len(body):
        char = body[i]
        if char == "\\":
            i += 2
            continue
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "|" and depth == 0:
            alternatives.append(body[start:i])
            start = i + 1
        i += 1
    alternatives.append(body[start:])
    return len(alternatives) > 1 and len(set(alternatives)) < len(alternatives)


def nested_unbounded_repeat(source: str) -> bool:
    r"""Say whether a pattern repeats, without bound, a group that itself repeats without bound.

    ``(a+)+`` and ``(\\w+\\s*)*`` are the classic shapes of catastrophic backtracking, and so
    is an unbounded repeat of a group with two identical alternatives, ``(a|a)+``; pack loading
    warns about them (the time budget stops them at run time).
    """
    stack: list[bool] = [False]  # per open group: does it contain an unbounded repeat?
    starts: list[int] = [-1]  # per open group: where it opens
    i = 0
    while i < len(source):
        char = source[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            depth, i = 0, i + 1
            while i < len(source) and not (source[i] == "]" and depth == 0):
                if source[i] == "\\":
                    i += 1
                elif source[i] == "[":
                    depth += 1
                elif source[i] == "]":
                    depth -= 1
                i += 1
            i += 1
            continue
        if char == "(":
            stack.append(False)
            starts.append(i)
            i += 1
            continue
        if char == ")" and len(stack) > 1:
            inner = stack.pop()
            body = source[starts.pop() + 1 : i]
            unbounded = _unbounded_quantifier(source, i + 1)
            if unbounded and (inner or _repeated_alternative(body)):
                return True
            stack[-1] = stack[-1] or inner or unbounded
            i += 1
            continue
        if char in "+*" or (char == "{" and _unbounded_quantifier(source, i)):
            stack[-1] = True
        i += 1
    return False


def _unbounded_quantifier(source: str, i: int) -> bool:
    """Say whether an unbounded quantifier (+, *, {n,}) starts at index i."""
    if i >= len(source):
        return False
    if source[i] in "+*":
        return True
    if source[i] == "{":
        end = source.find("}", i)
        body = source[i + 1 : end] if end > 0 else ""
        return body.endswith(",") and body[:-1].isdigit()
    return False


def trie_pattern(words: list[str]) -> str:
    """Return a regex source matching any of the words, shaped as a character trie.

    ``a(?:ctual|d(?:d|vice))`` fails after one character at most positions, where a flat
    alternation of hundreds of words tries every word at every position.
    """
    import re

    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = [re.escape(c) + build(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return f"(?:{body})?"
        return body

    return build(trie)
