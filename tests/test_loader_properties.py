"""Round-trip properties of every loader: segments map back to the exact file characters.

For generated documents of each format: every run of a segment equals the file's characters
it maps to, every atom decodes (entity, escape, CRLF) to the segment text it stands for, the
only unmapped characters are the loader's placeholders, and applying the fixes leaves every
character outside the prose spans (the markup) byte-identical.
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tqcheck.api import engine_for
from tqcheck.document import Document, InputError
from tqcheck.fix import apply_edits
from tqcheck.loaders import load_string

# 120 examples per loader in the suite; HYPOTHESIS_PROFILE=long (by hand) runs 5,000.
LONG = os.environ.get("HYPOTHESIS_PROFILE") == "long"
PROFILE = settings(
    max_examples=5000 if LONG else 120,
    deadline=None,
    suppress_health_check=list(HealthCheck) if LONG else [HealthCheck.too_slow],
)
PLACEHOLDERS = {"\ufffc", "\n"}

# Prose fragments the rules react to (so that fixes happen), plus plain words.
WORDS = [
    "Putin",
    "said",
    "within the framework of",
    "at high level",
    "Heydar Aliyevich",
    "Aliyev",
    "grandiose project",
    "the public of our countries",
    "word",
    "5 km",
    "2022",
]
PUNCT = [" ", "  ", " :", ", ", ". ", "\u00a0", "'", "«", "»", "?", "-"]
# Hostile material every loader must map exactly (issue 7): combining marks, zero-width and
# bidi characters, Cyrillic look-alikes and words, and a very long token.
PUNCT += ["\u0301", "\u200b", "\u200d", "\u200f", "\u202e", "WНO ", "Известия ", "x" * 500]


def prose(extra: list[str]) -> st.SearchStrategy[str]:
    """Return text that starts with a word (so it never opens a Markdown block)."""
    pieces = st.lists(st.sampled_from(WORDS + PUNCT + extra), min_size=1, max_size=12)
    return st.tuples(st.sampled_from(WORDS), pieces).map(lambda t: t[0] + " " + "".join(t[1]))


def decode_markdown(raw: str) -> str:
    if raw == "''":
        return "'"  # a YAML single-quoted escape in the front matter
    if raw.startswith("\\") and len(raw) == 2:
        return raw[1]
    if raw in ("\r\n", "\r"):
        return "\n"
    return html.unescape(raw)


def decode_markup(raw: str) -> str:
    return "\n" if raw in ("\r\n", "\r") else html.unescape(raw)


def decode_c(raw: str) -> str:
    return {"\\n": "\n", "\\t": "\t", '\\"': '"', "\\\\": "\\", "\\r": "\r"}.get(raw, raw)


def decode_json(raw: str) -> str:
    return json.loads(f'"{raw}"')


def assert_round_trip(document: Document, decode: Callable[[str], str]) -> None:
    """Check that every segment character maps back to the file character it came from."""
    text = document.text
    for segment in document.segments:
        covered = [False] * len(segment.text)
        for seg_start, doc_start, length in segment.offsets.runs:
            assert (
                text[doc_start : doc_start + length] == segment.text[seg_start : seg_start + length]
            )
            covered[seg_start : seg_start + length] = [True] * length
        for seg_start, seg_end, doc_start, doc_end in segment.offsets.atoms:
            assert decode(text[doc_start:doc_end]) == segment.text[seg_start:seg_end]
            covered[seg_start:seg_end] = [True] * (seg_end - seg_start)
        for index, done in enumerate(covered):
            assert done or segment.text[index] in PLACEHOLDERS, (segment.text, index)
        # Character by character through the public mapping, too.
        for index, char in enumerate(segment.text):
            start, end = segment.offsets.span(index, index + 1)
            if char not in PLACEHOLDERS:
                assert decode(text[start:end]).startswith(char) or char in decode(text[start:end])


def skeleton(document: Document) -> str:
    """Return the file with every prose character cut out: the markup, in order."""
    mapped = [False] * len(document.text)
    for segment in document.segments:
        for _, doc_start, length in segment.offsets.runs:
            mapped[doc_start : doc_start + length] = [True] * length
        for _, _, doc_start, doc_end in segment.offsets.atoms:
            mapped[doc_start:doc_end] = [True] * (doc_end - doc_start)
    return "".join(c if not m else "\x00" for c, m in zip(document.text, mapped, strict=True))


def assert_fix_keeps_markup(document: Document, fmt: str) -> None:
    """Apply one pass of safe and unsafe fixes: only prose characters may change."""
    engine = engine_for()
    findings = engine.check(document)
    edits = []
    taken: list[tuple[int, int]] = []
    for finding in findings:
        if finding.fix is None or finding.fix.applicability.value == "display-only":
            continue
        spans = [(e.offset, e.end_offset) for e in finding.fix.edits]
        if any((s < te and ts < e) or s == ts for s, e in spans for ts, te in taken):
            continue
        taken.extend(spans)
        edits.extend(finding.fix.edits)
    if not edits:
        return
    fixed = apply_edits(document.text, edits)
    # Every edit lies inside the prose: outside the edits the text is unchanged, and the
    # markup skeleton around the edits is identical.
    before = skeleton(document)
    for edit in edits:
        region = before[edit.offset : edit.end_offset]
        assert set(region) <= {"\x00"}, f"edit {edit} touches markup {region!r}"
    reloaded = load_string("<fixed>", fixed, input_format=fmt)
    assert len(reloaded.segments) >= 1


# --- Markdown -------------------------------------------------------------------------

MD_INLINE = [
    "**bold**",
    "*em*",
    "`code x`",
    "[link text](http://e.x/a_b)",
    "\\*",
    "&amp;",
    "&nbsp;",
]


@st.composite
def markdown_documents(draw: st.DrawFn) -> str:
    blocks = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["p", "h1", "h2", "quote", "list", "code", "image", "lines"]))
        text = draw(prose(MD_INLINE))
        if kind == "p":
            blocks.append(text)
        elif kind == "h1":
            blocks.append(f"# {text}")
        elif kind == "h2":
            blocks.append(f"## {text} ##")
        elif kind == "quote":
            blocks.append(f"> {text}\n> {draw(prose(MD_INLINE))}")
        elif kind == "list":
            blocks.append(f"- {text}\n- {draw(prose(MD_INLINE))}")
        elif kind == "code":
            blocks.append(f"```\n{text}\n```")
        elif kind == "image":
            blocks.append(f'![{text}](pic.png "Photo :{draw(prose([]))}")')
        else:
            blocks.append(f"{text}\n{draw(prose(MD_INLINE))}")
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    front = "---\ntitle: 'Putin''s title'\nlayout: x\n---\n\n" if draw(st.booleans()) else ""
    return (front + "\n\n".join(blocks) + "\n").replace("\n", newline)


@PROFILE
@given(markdown_documents())
def test_markdown_round_trip(text: str) -> None:
    document = load_string("x.md", text, input_format="markdown")
    assert_round_trip(document, decode_markdown)
    assert_fix_keeps_markup(document, "markdown")


# --- HTML -----------------------------------------------------------------------------

HTML_INLINE = ["<b>bold</b>", "&amp;", "&nbsp;", "&quot;", "&#171;", "<br>", "<code>x y</code>"]


@st.composite
def html_documents(draw: st.DrawFn) -> str:
    parts = ["<!DOCTYPE html><html><head><title>T</title>"]
    parts.append('<script>var s = "within the framework of <p>";</script></head><body>')
    for _ in range(draw(st.integers(1, 6))):
        tag = draw(st.sampled_from(["p", "h1", "li", "blockquote", "figcaption", "pre", "img"]))
        text = draw(prose(HTML_INLINE))
        if tag == "img":
            alt = draw(prose(["&amp;", "&quot;"]))
            parts.append(f'<img src="a.png?x=1&amp;y=2" alt="{alt}" title=\'Photo :x\'>')
        else:
            parts.append(f"<{tag}>{text}</{tag}>")
    parts.append("</body></html>\n")
    return draw(st.sampled_from(["\n", ""])).join(parts)


@PROFILE
@given(html_documents())
def test_html_round_trip(text: str) -> None:
    document = load_string("x.html", text, input_format="html")
    assert_round_trip(document, decode_markup)
    assert_fix_keeps_markup(document, "html")


# --- XLIFF ----------------------------------------------------------------------------


def xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@st.composite
def xliff_documents(draw: st.DrawFn) -> str:
    version = draw(st.sampled_from(["1.2", "2.0"]))
    units = []
    for number in range(draw(st.integers(1, 5))):
        target = xml_escape(draw(prose(["&", "<", "\u00a0"])))
        target += draw(st.sampled_from(["", '<g id="1">word</g>', "&#160;x", '<x id="2"/>']))
        if version == "1.2":
            units.append(
                f'<trans-unit id="u{number}"><source>Путин сказал 5.</source>'
                f"<target>{target}</target></trans-unit>"
            )
        else:
            units.append(
                f'<unit id="u{number}"><segment><source>Путин сказал.</source>'
                f"<target>{target}</target></segment></unit>"
            )
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    if version == "1.2":
        head = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" '
            'xmlns="urn:oasis:names:tc:xliff:document:1.2"><file source-language="ru" '
            'target-language="en" datatype="plaintext" original="x"><body>'
        )
        tail = "</body></file></xliff>\n"
    else:
        head = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="2.0" '
            'xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="ru" trgLang="en">'
            '<file id="f">'
        )
        tail = "</file></xliff>\n"
    return (head + newline.join(units) + tail).replace("\n", newline)


@PROFILE
@given(xliff_documents())
def test_xliff_round_trip(text: str) -> None:
    document = load_string("x.xlf", text, input_format="xliff")
    assert document.segments and all(s.source for s in document.segments)
    assert_round_trip(document, decode_markup)
    assert_fix_keeps_markup(document, "xliff")


# --- PO -------------------------------------------------------------------------------


def c_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


@st.composite
def po_documents(draw: st.DrawFn) -> str:
    entries = ['msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n']
    for number in range(draw(st.integers(1, 5))):
        first = c_escape(draw(prose(['"', "\\", "\n"])))
        second = c_escape(draw(prose(['"'])))
        entries.append(
            f'#: src/x.c:{number}\nmsgid "Путин {number}"\nmsgstr "{first}"\n"{second}"\n'
        )
    return "\n".join(entries)


@PROFILE
@given(po_documents())
def test_po_round_trip(text: str) -> None:
    document = load_string("x.po", text, input_format="po")
    assert document.segments and all(s.source for s in document.segments)
    assert_round_trip(document, decode_c)
    assert_fix_keeps_markup(document, "po")


# --- JSON Lines -----------------------------------------------------------------------


@st.composite
def jsonl_documents(draw: st.DrawFn) -> str:
    lines = []
    for number in range(draw(st.integers(1, 4))):
        # Lone surrogates (issue 14): as "\\ud800" escapes or, unescaped, in the text itself.
        title = draw(prose(['"', "\\", "/", "\ud800"]))
        body = "\n\n".join(draw(st.lists(prose(['"', "\n", "\udfff"]), min_size=1, max_size=3)))
        depth = draw(st.integers(0, 30))
        ident: object = number
        for _ in range(depth):
            ident = [ident]
        fields = [("id", ident), ("title", title), ("body", body)]
        # Any key order: segments must still come in file order.
        record = dict(draw(st.permutations(fields)))
        lines.append(json.dumps(record, ensure_ascii=draw(st.booleans())))
    return "\n".join(lines) + "\n"


@PROFILE
@given(jsonl_documents())
def test_jsonl_round_trip(text: str) -> None:
    document = load_string("x.jsonl", text, input_format="jsonl")
    starts = [segment.start for segment in document.segments]
    assert starts == sorted(starts)
    assert_round_trip(document, decode_json)
    assert_fix_keeps_markup(document, "jsonl")


@PROFILE
@given(st.integers(1, 5000), st.sampled_from(["[", '{"a": ']))
def test_jsonl_nesting_loads_or_is_an_input_error(depth: int, opener: str) -> None:
    closer = "]" if opener == "[" else "}"
    text = '{"id": ' + opener * depth + "1" + closer * depth + ', "body": "x"}\n'
    try:
        document = load_string("x.jsonl", text, input_format="jsonl")
    except InputError as exc:
        assert "nested too deeply" in str(exc)
    else:
        assert [s.text for s in document.segments] == ["x"]


# --- Line-aligned ---------------------------------------------------------------------


@PROFILE
@given(st.lists(prose([]), min_size=1, max_size=6), st.sampled_from(["\n", "\r\n"]))
def test_parallel_round_trip(lines: list[str], newline: str) -> None:
    text = newline.join(lines) + newline
    source = "\n".join(f"Строка {i}" for i in range(len(lines))) + "\n"
    document = load_string("x.en", text, input_format="lines", source=source)
    assert [s.source for s in document.segments] == [f"Строка {i}" for i in range(len(lines))]
    assert_round_trip(document, decode_markup)
    assert_fix_keeps_markup(document, "lines")
