"""Fixes applied to Markdown and HTML never touch the markup around them (issue 14, items 6, 21).

Every rule's bad examples are wrapped, at a random run of words, in inline markup (emphasis,
links, tags with attributes); each fix the engine proposes must leave the markup bytes outside
its edits, and the document's block structure, unchanged.
"""

from __future__ import annotations

import html
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tqcheck.api import engine_for, load_ruleset
from tqcheck.config import Config
from tqcheck.fix import apply_edits
from tqcheck.loaders import load_string

RULES = load_ruleset().rules
ENGINE = engine_for(Config(extend_select=tuple(r.code for r in RULES if not r.enabled)))
EXAMPLES = sorted(
    {
        e.text
        for r in RULES
        for e in r.examples
        if e.bad and e.source is None and "<" not in e.text and "*" not in e.text
    }
)
MARKDOWN_WRAPS = [("*", "*"), ("**", "**"), ("_", "_"), ("[", "](https://example.org/a_b)")]
HTML_WRAPS = [
    ("<em>", "</em>"),
    ('<b class="x">', "</b>"),
    ('<a href="https://example.org/?a=1&amp;b=2">', "</a>"),
    ("<span>", "</span>"),
]
EXAMPLES_RUN = int(
    os.environ.get(
        "TQCHECK_MARKUP_EXAMPLES",
        "5000" if os.environ.get("HYPOTHESIS_PROFILE") == "long" else "150",
    )
)


@st.composite
def wrapped(draw: st.DrawFn, fmt: str) -> tuple[str, list[tuple[int, int]]]:
    """Return a document and the spans of the markup strings inserted into it."""
    text = draw(st.sampled_from(EXAMPLES))
    paragraphs = text.split("\n\n")
    which = draw(st.integers(0, len(paragraphs) - 1))
    words = paragraphs[which].split(" ")
    first = draw(st.integers(0, len(words) - 1))
    last = draw(st.integers(first, min(len(words) - 1, first + 4)))
    opening, closing = draw(st.sampled_from(MARKDOWN_WRAPS if fmt == "markdown" else HTML_WRAPS))
    escape = (lambda s: s) if fmt == "markdown" else (lambda s: html.escape(s, quote=False))
    before = escape(" ".join(words[:first]) + (" " if first else ""))
    inner = escape(" ".join(words[first : last + 1]))
    after = escape((" " if last + 1 < len(words) else "") + " ".join(words[last + 1 :]))
    if fmt == "markdown" and (not inner.strip() or inner != inner.strip()):
        inner = inner.strip() or "x"
    body = before + opening + inner + closing + after
    others = [escape(p) for p in paragraphs]
    others[which] = body
    prefix = "<p>" if fmt == "html" else ""
    suffix = "</p>" if fmt == "html" else ""
    joiner = f"{suffix}\n\n{prefix}"
    document = prefix + joiner.join(others) + suffix + "\n"
    start = document.index(body) + len(before)
    spans = [
        (start, start + len(opening)),
        (start + len(opening) + len(inner), start + len(opening) + len(inner) + len(closing)),
    ]
    return document, spans


def _blocks(fmt: str, text: str) -> tuple[list[str], list[tuple[str, ...]]]:
    """Return the block structure: container tokens, and each paragraph's container path.

    Joining two neighbouring paragraphs of the same container is what the split-attribution
    rules are for; pulling a paragraph into a list item or a quote is not.
    """
    if fmt == "html":
        import re

        count = len(re.findall(r"<p>", text))
        return [], [()] * count
    containers: list[str] = []
    paths: list[tuple[str, ...]] = []
    stack: list[str] = []
    for token in MarkdownIt("commonmark").parse(text):
        if not token.block or token.type == "inline":
            continue
        if token.type == "paragraph_open":
            paths.append(tuple(stack))
        elif token.type.endswith("_open"):
            stack.append(token.type)
            containers.append(token.type)
        elif token.type.endswith("_close") and token.type != "paragraph_close":
            stack.pop()
            containers.append(token.type)
        elif token.type != "paragraph_close":
            containers.append(token.type)
    return containers, paths


ATTRIBUTION = frozenset(r.code for r in RULES if r.kind_name == "attribution")
_ONE_ITEM = ["bullet_list_open", "list_item_open", "list_item_close", "bullet_list_close"]


def _without_one_item_lists(
    blocks: tuple[list[str], list[tuple[str, ...]]],
) -> tuple[list[str], list[tuple[str, ...]]]:
    containers, paths = blocks
    out: list[str] = []
    i = 0
    while i < len(containers):
        if containers[i : i + 4] == _ONE_ITEM:
            i += 4
            continue
        out.append(containers[i])
        i += 1
    inside = ("bullet_list_open", "list_item_open")
    return out, [() if p == inside else p for p in paths]


def _merged(paths: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    return [p for i, p in enumerate(paths) if i == 0 or paths[i - 1] != p]


def _check(fmt: str, document: str, spans: list[tuple[int, int]]) -> None:
    findings = ENGINE.check(load_string(f"x.{'md' if fmt == 'markdown' else 'html'}", document))
    for finding in findings:
        if finding.fix is None:
            continue
        for edit in finding.fix.edits:
            for start, end in spans:
                overlap = edit.offset < end and start < edit.end_offset
                # An edit may span markup only by writing that markup back unchanged.
                kept = (
                    start >= edit.offset
                    and end <= edit.end_offset
                    and (document[start:end] in edit.replacement)
                )
                assert not overlap or kept, (finding.rule, edit, document[start:end], document)
        fixed = apply_edits(document, finding.fix.edits)
        for start, end in spans:
            assert document[start:end] in fixed, (finding.rule, fixed)
        before, after = _blocks(fmt, document), _blocks(fmt, fixed)
        if after != before and finding.rule in ATTRIBUTION:
            # "- said Peskov." after a quote is a one-item list to Markdown; joining it to the
            # quote, which is the fix, dissolves that list, and nothing else may change.
            before = _without_one_item_lists(before)
        assert after[0] == before[0], (finding.rule, document, fixed)
        assert _merged(after[1]) == _merged(before[1]), (finding.rule, document, fixed)


@settings(max_examples=EXAMPLES_RUN, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(wrapped("markdown"))
def test_markdown_fixes_keep_the_markup(case: tuple[str, list[tuple[int, int]]]) -> None:
    _check("markdown", *case)


@settings(max_examples=EXAMPLES_RUN, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(wrapped("html"))
def test_html_fixes_keep_the_markup(case: tuple[str, list[tuple[int, int]]]) -> None:
    _check("html", *case)


def test_name_variant_fix_keeps_emphasis_links_and_tags() -> None:
    """Defect 6: TQ210's span ends where the name ends, not on the markup after it."""
    base = "Zelensky spoke on Monday. Zelensky's office confirmed it. "
    for fmt, text, want in [
        ("md", base + "*Zelenskiy* later left.\n", "*Zelensky*"),
        ("md", base + "[Zelenskiy](http://x) left.\n", "[Zelensky](http://x)"),
        ("html", f"<p>{base}<em>Zelenskiy</em> left.</p>\n", "<em>Zelensky</em>"),
    ]:
        findings = [f for f in ENGINE.check(load_string(f"a.{fmt}", text)) if f.rule == "TQ210"]
        assert [f.text for f in findings] == ["Zelenskiy"]
        assert findings[0].fix is not None
        assert want in apply_edits(text, findings[0].fix.edits)
