"""Article formats: Markdown, HTML, XLIFF, PO, JSON Lines, line-aligned files, and their errors."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from conftest import SAMPLES, SEED

from tqcheck.api import check_text, fix_text
from tqcheck.document import Escape, InputError, Scope
from tqcheck.loaders import format_for, load_string

SEED_MD = SAMPLES / "kremlin-putin-aliyev-meeting.md"
SEED_HTML = SAMPLES / "kremlin-putin-aliyev-meeting.html"


def findings_of(path: Path, fmt: str) -> list[tuple[str, str]]:
    text = path.read_text(encoding="utf-8")
    return [(f.rule, html.unescape(f.text)) for f in check_text(text, input_format=fmt)]


@pytest.mark.parametrize(("path", "fmt"), [(SEED_MD, "markdown"), (SEED_HTML, "html")])
def test_seed_formats_give_the_plain_text_findings(path: Path, fmt: str) -> None:
    expected = findings_of(SEED, "text")
    assert findings_of(path, fmt) == expected
    assert len(expected) > 20


@pytest.mark.parametrize(("path", "fmt"), [(SEED_MD, "markdown"), (SEED_HTML, "html")])
def test_seed_findings_sit_on_prose_never_in_code_script_or_urls(path: Path, fmt: str) -> None:
    text = path.read_text(encoding="utf-8")
    forbidden = [
        m.span()
        for m in re.finditer(
            r"<script.*?</script>|<style.*?</style>|<pre>.*?</pre>|```.*?```|"
            r"https?://[^\s)\"]+|^---.*?^---$",
            text,
            re.S | re.M,
        )
    ]
    findings = check_text(text, input_format=fmt)
    for finding in findings:
        assert not any(s <= finding.offset < e for s, e in forbidden), finding
        # The flagged characters are exactly the file's characters at the position.
        assert text[finding.offset : finding.end_offset] == finding.text
        line = text.splitlines()[finding.line - 1]
        assert line[finding.column - 1 :].startswith(finding.text.split("\n")[0])


def test_formats_are_chosen_by_extension() -> None:
    assert format_for("a.md") == "markdown"
    assert format_for("a.HTML") == "html"
    assert format_for("a.xlf") == format_for("a.xliff") == "xliff"
    assert format_for("a.po") == "po"
    assert format_for("a.jsonl") == "jsonl"


def test_markdown_scopes_and_stripped_inline_markup() -> None:
    text = (
        '---\ntitle: "Putin\'s visit"\ndescription: A meeting today\ndate: 2024\n---\n'
        "# Heading with **bold**\n\nSee [the report](http://x.org/within) and `code` here.\n\n"
        '> Quoted text\n\n- item one\n\n![Photo :Kremlin](p.jpg "A caption")\n\n'
        "```\nwithin the framework of\n```\n<!-- a comment -->\n"
    )
    document = load_string("a.md", text, input_format="markdown")
    shown = [(s.scope, s.text) for s in document.segments]
    assert shown == [
        (Scope.TITLE, "Putin's visit"),
        (Scope.METADATA, "A meeting today"),
        (Scope.TITLE, "Heading with bold"),
        (Scope.PARAGRAPH, "See the report and \ufffc here."),
        (Scope.BLOCKQUOTE, "Quoted text"),
        (Scope.LIST_ITEM, "item one"),
        (Scope.ALT, "Photo :Kremlin"),
        (Scope.CAPTION, "A caption"),
    ]
    link = document.segments[3]
    start, end = link.offsets.span(4, 14)
    assert text[start:end] == "the report"
    assert not link.offsets.is_contiguous(0, 10)  # "See the re" spans the "[" markup


def test_html_entities_map_to_the_whole_entity_and_fixes_replace_it() -> None:
    text = "<p>It is&nbsp;done &amp; dusted.</p>"
    document = load_string("a.html", text, input_format="html")
    segment = document.segments[0]
    assert segment.text == "It is\u00a0done & dusted."
    assert segment.offsets.span(5, 6) == (text.index("&nbsp;"), text.index("&nbsp;") + 6)
    assert fix_text(text, input_format="html").text == "<p>It is done &amp; dusted.</p>"


def test_replacements_are_escaped_for_the_file() -> None:
    assert Escape.MARKUP_TEXT.encode('R&D <b> "x"') == 'R&amp;D &lt;b&gt; "x"'
    assert Escape.MARKUP_ATTRIBUTE.encode("a\"b'c") == "a&quot;b&#39;c"
    assert Escape.HTML_UNQUOTED.encode("a b") == "a&#32;b"
    assert Escape.C_STRING.encode('say "hi"\n') == 'say \\"hi\\"\\n'
    assert Escape.JSON_STRING.encode('a"b\\') == 'a\\"b\\\\'
    assert Escape.MARKDOWN.encode("a*b") == "a\\*b"


def test_html_never_checks_script_style_code_pre_and_reads_attributes() -> None:
    text = (
        '<script>x = "within the framework of"</script><style>a{}</style>'
        "<p>Fine <code>within the framework of</code> text.</p><pre>at high level</pre>"
        "<img alt=\"Photo :Kremlin\" title='A &quot;title&quot;'><figcaption>Cap</figcaption>"
    )
    document = load_string("a.html", text, input_format="html")
    assert [(s.scope, s.text) for s in document.segments] == [
        (Scope.PARAGRAPH, "Fine \ufffc text."),
        (Scope.ALT, "Photo :Kremlin"),
        (Scope.ALT, 'A "title"'),
        (Scope.CAPTION, "Cap"),
    ]
    assert [f.rule for f in check_text(text, input_format="html")] == ["TQ310"]


XLIFF12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file source-language="ru" target-language="en" datatype="plaintext" original="a">
  <body>
   <trans-unit id="intro">
    <source>Более 500 субъектов получили отсрочку.</source>
    <target>More than 50 entities received a deferral &amp; more.</target>
   </trans-unit>
   <trans-unit id="nbsp">
    <source>Встреча.</source>
    <target>The&#160;meeting took place.</target>
   </trans-unit>
  </body>
 </file>
</xliff>
"""

XLIFF20 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="ru" trgLang="en">
 <file id="f1">
  <unit id="u1">
   <segment id="s1">
    <source>Более 500 субъектов получили отсрочку.</source>
    <target>More than <pc id="1">50</pc> entities received a deferral.</target>
   </segment>
  </unit>
 </file>
</xliff>
"""


@pytest.mark.parametrize(("text", "unit"), [(XLIFF12, "intro"), (XLIFF20, "u1/s1")])
def test_xliff_targets_with_sources_and_unit_ids(text: str, unit: str) -> None:
    document = load_string("a.xlf", text, input_format="xliff")
    first = document.segments[0]
    assert first.source == "Более 500 субъектов получили отсрочку."
    assert first.unit == unit
    findings = [f for f in check_text(text, input_format="xliff") if f.rule == "TQ701"]
    assert [f.text for f in findings] == ["50"]
    target_line = next(i for i, line in enumerate(text.splitlines(), 1) if "than " in line)
    assert findings[0].line == target_line


def test_xliff_fix_writes_back_the_target_only(tmp_path: Path, cli) -> None:
    path = tmp_path / "a.xlf"
    path.write_bytes(XLIFF12.encode("utf-8"))
    code, _, _ = cli("check", str(path), "--fix", "-q")
    fixed = path.read_text(encoding="utf-8")
    assert fixed == XLIFF12.replace("The&#160;meeting", "The meeting")
    assert code == 1  # the changed number remains


PO = r"""# Translator comment
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"

#: src/a.c:10
msgid "Встреча прошла в Кремле."
msgstr "The meeting took place "
"within the framework of the \"visit\".\n"

msgid "Один файл"
msgid_plural "%d файлов"
msgstr[0] "One file"
msgstr[1] "%d files"
"""


def test_po_msgstr_continuations_and_escapes_map_exactly() -> None:
    document = load_string("a.po", PO, input_format="po")
    segment = document.segments[0]
    assert segment.text == 'The meeting took place within the framework of the "visit".'
    assert segment.source == "Встреча прошла в Кремле."
    quote = segment.text.index('"')
    start, end = segment.offsets.span(quote, quote + 1)
    assert PO[start:end] == '\\"'
    phrase = segment.text.index("within")
    start, end = segment.offsets.span(phrase, phrase + 23)
    assert PO[start:end] == "within the framework of"
    assert [s.source for s in document.segments[1:]] == ["Один файл", "%d файлов"]


def test_po_fix_writes_an_escaped_replacement(tmp_path: Path) -> None:
    text = 'msgid "Да"\nmsgstr "It is\u00a0\\"done\\"."\n'
    assert fix_text(text, input_format="po").text == 'msgid "Да"\nmsgstr "It is \\"done\\"."\n'


def test_jsonl_titles_bodies_and_escapes() -> None:
    text = (
        '{"id": "a1", "title": "Putin at high level.", '
        '"body": "First \\"one\\".\\n\\nSecond\\u00a0one."}\n'
    )
    document = load_string("a.jsonl", text, input_format="jsonl")
    assert [(s.scope, s.text, s.unit) for s in document.segments] == [
        (Scope.TITLE, "Putin at high level.", "a1"),
        (Scope.PARAGRAPH, 'First "one".', "a1"),
        (Scope.PARAGRAPH, "Second\u00a0one.", "a1"),
    ]
    nbsp = document.segments[2].offsets.span(6, 7)
    assert text[nbsp[0] : nbsp[1]] == "\\u00a0"
    rules = {f.rule for f in check_text(text, input_format="jsonl")}
    assert {"TQ320", "TQ312"} <= rules  # a headline full stop; an NBSP in a body paragraph
    assert '"title": "Putin at a high level"' in fix_text(text, input_format="jsonl").text


BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<xliff version="1.2"><file><body><trans-unit id="1"><source>a</source>
<target>&lol3;</target></trans-unit></body></file></xliff>
"""
XXE = """<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<xliff version="1.2"><file><body><trans-unit id="1"><source>a</source>
<target>&x;</target></trans-unit></body></file></xliff>
"""


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bomb.xlf", BOMB, "document type declarations"),
        ("xxe.xlf", XXE, "document type declarations"),
        ("broken.xlf", '<xliff version="1.2"><file><body>', "malformed XML at line 1"),
        ("undefined.xlf", '<xliff version="1.2"><x>&x;</x></xliff>', "undefined entity"),
        ("other.xlf", "<html></html>", "not an XLIFF file"),
        ("truncated.po", 'msgid "a"\nmsgstr "b"\n\nmsgid "c"\n', "truncated entry"),
        ("open.po", 'msgid "a"\nmsgstr "b\n', "unterminated string"),
        ("bad.jsonl", '{"title": "a"\n', "line 1: invalid JSON"),
    ],
)
def test_malformed_input_is_a_one_line_error(
    tmp_path: Path, cli, name: str, content: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    code, out, err = cli("check", str(path))
    assert code == 2
    lines = [line for line in (out + err).splitlines() if "error:" in line]
    assert len(lines) == 1 and message in lines[0] and lines[0].startswith(f"{path}: error:")
    assert "root:" not in out + err  # nothing from /etc/passwd was read


def test_entities_are_never_expanded(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="document type"):
        load_string("bomb.xlf", BOMB, input_format="xliff")


def test_source_line_count_mismatch_is_an_error(tmp_path: Path, cli) -> None:
    (tmp_path / "hyp.en").write_text("One.\nTwo.\n", encoding="utf-8")
    (tmp_path / "src.ru").write_text("Один.\n", encoding="utf-8")
    code, out, err = cli("check", str(tmp_path / "hyp.en"), "--source", str(tmp_path / "src.ru"))
    assert code == 2
    lines = [line for line in (out + err).splitlines() if "error:" in line]
    assert len(lines) == 1 and "line count mismatch: 2 lines here but 1" in lines[0]


def test_source_needs_one_line_aligned_file(tmp_path: Path, cli) -> None:
    (tmp_path / "src.ru").write_text("Один.\n", encoding="utf-8")
    code, _, err = cli("check", str(tmp_path), "--source", str(tmp_path / "src.ru"))
    assert code == 2 and "--source" in err


def test_parallel_check_attaches_sources(tmp_path: Path, cli) -> None:
    (tmp_path / "hyp.en").write_text("It costs 50 rubles.\nFine.\n", encoding="utf-8")
    (tmp_path / "src.ru").write_text("Это стоит 500 рублей.\nХорошо.\n", encoding="utf-8")
    code, out, _ = cli(
        "check", str(tmp_path / "hyp.en"), "--source", str(tmp_path / "src.ru"), "-f", "concise"
    )
    assert code == 1
    assert "hyp.en:1:10: TQ701" in out


def test_headline_rule_runs_on_titles_only() -> None:
    md = "# Putin met Aliyev.\n\nA paragraph ends with a full stop.\n"
    findings = [f for f in check_text(md, input_format="markdown") if f.rule == "TQ320"]
    assert [(f.line, f.text) for f in findings] == [(1, ".")]
    assert fix_text(md, input_format="markdown").text.startswith("# Putin met Aliyev\n")


def test_unit_findings_name_their_unit_in_json(cli, tmp_path: Path) -> None:
    path = tmp_path / "a.xlf"
    path.write_text(XLIFF12, encoding="utf-8")
    code, out, _ = cli("check", str(path), "-f", "json", "--select", "TQ701")
    finding = json.loads(out)["findings"][0]
    assert (finding["unit"], finding["line"], finding["text"]) == ("intro", 7, "50")
    assert code == 1
