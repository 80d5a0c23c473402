"""Tell whether a fix keeps a marked-up document's structure (Markdown and HTML).

A fix edits prose, but in a Markdown or HTML file its replacement lands among markup: turning
"50 <thous.> rubles" into "50 <thousand> rubles" creates an HTML tag that hides the word, and
joining a list item with the paragraph after it pulls that paragraph into the list. The fixer
asks :func:`structure_keeper` for a check and drops any fix that changes the structure.

Two changes are what fixes are for and are allowed: two neighbouring paragraphs of the same
container joined into one (a split attribution), and a one-item list that follows a paragraph
absorbed into it (``- said Peskov.`` after a quote is a list to Markdown).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from html.parser import HTMLParser
from typing import Any

Keeper = Callable[[str, str], bool]
_Item = tuple[Any, ...]
_ONE_ITEM_OPEN = (("bullet_list_open", "ul"), ("list_item_open", "li"))
_ONE_ITEM_CLOSE = (("list_item_close", "li"), ("bullet_list_close", "ul"))
_BLOCK_TAGS = frozenset(("p", "div", "blockquote", "li", "td", "section"))


def structure_keeper(fmt: str) -> Keeper | None:
    """Return the check for a format (None: plain formats have no structure to keep)."""
    if fmt == "markdown":
        return _keeps(_markdown_items, _markdown_merge)
    if fmt == "html":
        return _keeps(_html_items, _html_merge)
    return None


Merge = Callable[[list[_Item]], tuple[_Item, int] | None]


def _keeps(items: Callable[[str], list[_Item]], merge: Merge) -> Keeper:
    def keeps(before: str, after: str) -> bool:
        old, new = items(before), items(after)
        return old == new or _derives(old, new, merge)

    return keeps


def _derives(old: list[_Item], new: list[_Item], merge: Merge) -> bool:
    """Say whether new is old with some allowed merges applied.

    A search over (position in old, position in new): an item is taken as it is, or merged
    with what follows it once or more. One fix changes a few items, so few states are seen.
    """
    seen: set[tuple[int, int]] = set()
    todo = [(0, 0)]
    while todo:
        i, j = todo.pop()
        if (i, j) in seen:
            continue
        seen.add((i, j))
        if i == len(old) and j == len(new):
            return True
        if i == len(old) or j == len(new):
            continue
        if old[i] == new[j]:
            todo.append((i + 1, j + 1))
        current, k = old[i], i + 1
        # A merge looks at most six items ahead (a paragraph and a one-item list).
        while (merged := merge([current, *old[k : k + 6]])) is not None:
            current, used = merged
            k += used - 1
            if current == new[j]:
                todo.append((k, j + 1))
    return False


def _markdown_items(text: str) -> list[_Item]:
    """Return the block structure with each paragraph as ("P", its inline token types)."""
    tokens = _markdown().parse(text)
    out: list[_Item] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "paragraph_open" and index + 2 < len(tokens):
            out.append(("P", _inline(tokens[index + 1])))
            index += 3
            continue
        if token.type == "inline":
            out.append(("I", _inline(token)))
        else:
            out.append((token.type, token.tag))
        index += 1
    return out


def _inline(token: Any) -> tuple[str, ...]:
    skip = ("text", "softbreak", "hardbreak")
    return tuple(child.type for child in token.children or () if child.type not in skip)


def _markdown_merge(items: list[_Item]) -> tuple[_Item, int] | None:
    """Merge items[0] with what follows it, if allowed: (merged item, items used)."""
    first, rest = items[0], items[1:]
    if first[0] != "P":
        return None
    if rest and rest[0][0] == "P":
        return ("P", first[1] + rest[0][1]), 2
    if (
        len(rest) >= 5
        and tuple(rest[:2]) == _ONE_ITEM_OPEN
        and rest[2][0] == "P"
        and tuple(rest[3:5]) == _ONE_ITEM_CLOSE
    ):
        return ("P", first[1] + rest[2][1]), 6
    return None


@cache
def _markdown() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[_Item] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.items.append(("s", tag, tuple(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.items.append(("se", tag, tuple(attrs)))

    def handle_endtag(self, tag: str) -> None:
        self.items.append(("e", tag))

    def handle_comment(self, data: str) -> None:
        self.items.append(("c", data))


def _html_items(text: str) -> list[_Item]:
    """Return the tags and comments of an HTML text, in order."""
    parser = _Tags()
    parser.feed(text)
    parser.close()
    return parser.items


def _html_merge(items: list[_Item]) -> tuple[_Item, int] | None:
    """Allow dropping "</p><p>" (two paragraphs joined): the item after the pair is kept."""
    rest = items
    if (
        len(rest) >= 3
        and rest[0][0] == "e"
        and rest[0][1] in _BLOCK_TAGS
        and rest[1][0] == "s"
        and rest[1][1] == rest[0][1]
    ):
        return rest[2], 3
    return None
