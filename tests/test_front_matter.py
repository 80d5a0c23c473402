"""Front matter in Markdown input: TOML (``+++``, Hugo's default) is skipped like YAML (``---``).

Only the title and description are prose (checked like the YAML ones); every other key, and
the delimiters, are neither reported nor touched by ``--fix``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from tqcheck.api import check_text, fix_text
from tqcheck.document import Scope
from tqcheck.findings import Finding
from tqcheck.loaders import load_string

BODY = "The sides met within the framework of the forum.\n\nAt high level talks were held.\n"

TOML_FRONT = (
    "+++\n"
    'title = "Talks held within the framework of the visit"\n'
    'summary = "within the framework of"\n'
    'teaser = "At high level talks were held."\n'
    "draft = false\n"
    "+++\n"
)
YAML_FRONT = (
    "---\n"
    'title: "Talks held within the framework of the visit"\n'
    'summary: "within the framework of"\n'
    'teaser: "At high level talks were held."\n'
    "draft: false\n"
    "---\n"
)


def _findings(text: str) -> list[Finding]:
    return check_text(text, input_format="markdown")


def _where(findings: list[Finding]) -> list[tuple[str, int, int, str]]:
    return [(f.rule, f.line, f.column, f.text) for f in findings]


def test_toml_keys_other_than_title_are_not_prose() -> None:
    text = TOML_FRONT + "\n" + BODY
    found = _where(_findings(text))
    front_lines = TOML_FRONT.count("\n")
    # The title (line 2) is checked; summary (3) and teaser (4) are not.
    assert [(rule, line) for rule, line, _, _ in found if line <= front_lines] == [("TQ101", 2)]
    assert not any(t == "+++" for _, _, _, t in found)


def test_toml_title_is_checked_like_the_yaml_title() -> None:
    toml, yaml = _findings(TOML_FRONT + "\n" + BODY), _findings(YAML_FRONT + "\n" + BODY)
    assert [(f.rule, f.line, f.column, f.text) for f in toml] == [
        (f.rule, f.line, f.column + (1 if f.line == 2 else 0), f.text) for f in yaml
    ]  # 'title = "' is one character longer than 'title: "'
    title = next(f for f in toml if f.line == 2)
    assert (TOML_FRONT + "\n" + BODY)[title.offset : title.end_offset] == "within the framework of"
    document = load_string("a.md", TOML_FRONT + "\n" + BODY, input_format="markdown")
    scopes = {
        s.scope: s.text for s in document.segments if s.scope in (Scope.TITLE, Scope.METADATA)
    }
    assert scopes == {Scope.TITLE: "Talks held within the framework of the visit"}


def test_toml_description_and_escapes_map_to_the_file() -> None:
    front = (
        "+++\n"
        "# a comment\n"
        'title = "Aliyev \\"talks\\" within the framework of it"  # trailing comment\n'
        "description = 'Held within the framework of the forum'\n"
        "[params]\n"
        'title = "within the framework of"\n'
        "+++\n"
    )
    text = front + "\n" + BODY
    document = load_string("a.md", text, input_format="markdown")
    prose = [(s.scope, s.text) for s in document.segments if s.start < len(front)]
    assert prose == [
        (Scope.TITLE, 'Aliyev "talks" within the framework of it'),
        (Scope.METADATA, "Held within the framework of the forum"),
    ]
    framework = [f for f in _findings(text) if f.rule == "TQ101"]
    for finding in framework:
        assert text[finding.offset : finding.end_offset] == "within the framework of"
    assert [f.line for f in framework] == [3, 4, 9]


def test_fix_leaves_toml_front_matter_bytes_unchanged(
    cli: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    path = tmp_path / "post.md"
    text = TOML_FRONT + "\n" + BODY
    path.write_bytes(text.encode("utf-8"))
    assert fix_text(text, input_format="markdown").text.startswith(TOML_FRONT)
    cli("check", "--fix", str(path))
    fixed = path.read_bytes().decode("utf-8")
    assert fixed.startswith(TOML_FRONT)
    assert fixed == TOML_FRONT + "\n" + BODY.replace("At high level", "At a high level")


def test_findings_after_toml_front_matter_have_the_right_lines() -> None:
    text = TOML_FRONT + "\n" + BODY
    body_start = len(TOML_FRONT) + 1
    after = [f for f in _findings(text) if f.offset >= body_start]
    assert _where(after) == [
        ("TQ101", 8, 15, "within the framework of"),
        ("TQ183", 10, 4, "high"),
    ]
    for finding in after:
        line_start = text.rindex("\n", 0, finding.offset) + 1
        assert finding.column == finding.offset - line_start + 1


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_invalid_toml_is_skipped_without_prose(newline: str) -> None:
    front = '+++\ntitle = "within the framework of\nsummary = within the framework of\n+++\n'
    text = (front + "\n" + BODY).replace("\n", newline)
    document = load_string("a.md", text, input_format="markdown")
    assert all(s.start > len(front) for s in document.segments)
    assert [f.line for f in _findings(text)] == [6, 8]


@pytest.mark.parametrize("fence", ["---", "+++"])
def test_unterminated_front_matter_is_checked_as_markdown(fence: str) -> None:
    # No closing fence: not front matter at all, so the would-be keys are prose, as before.
    text = f"{fence}\nsummary: within the framework of\n\n{BODY}"
    assert [(f.rule, f.line) for f in _findings(text)] == [
        ("TQ101", 2),
        ("TQ101", 4),
        ("TQ183", 6),
    ]


def test_toml_front_matter_only_at_the_start() -> None:
    text = BODY + "\n+++\nsummary = within the framework of\n+++\n"
    assert ("TQ101", 6) in [(f.rule, f.line) for f in _findings(text)]


def test_a_safe_fix_in_the_toml_title_keeps_the_block_valid_toml() -> None:
    # As in YAML front matter, the title is prose: its safe fixes apply, written as TOML.
    text = (
        '+++\ntitle = "At high level \\"talks\\" were held"\n'
        'summary = "At high level"\n+++\n\nBody.\n'
    )
    fixed = fix_text(text, input_format="markdown").text
    block = fixed.split("+++\n")[1]
    assert tomllib.loads(block) == {
        "title": 'At a high level "talks" were held',
        "summary": "At high level",
    }
    yaml = '---\ntitle: "At high level talks were held"\n---\n\nBody.\n'
    assert (
        'title: "At a high level talks were held"' in fix_text(yaml, input_format="markdown").text
    )


QUOTING_PACK_PARAMS = """pattern = '''\\bTalks\\b'''
replace = "Talk's \\"big\\" news"
case_sensitive = true
"""


def quoting_pack(tmp_path: Path) -> Path:
    """Write a one-rule pack whose safe fix writes a quote and double quotes; return its folder."""
    from conftest import rule_pack

    packs = tmp_path / "packs"
    packs.mkdir()
    examples = '[[rules.examples]]\nbad = "⟦Talks⟧ x"\nfix = "Talk\'s \\"big\\" news"\n'
    examples += '\n[[rules.examples]]\ngood = "y"\n'
    (packs / "p.toml").write_text(
        rule_pack(QUOTING_PACK_PARAMS, kind="pattern", applicability="safe", examples=examples),
        encoding="utf-8",
    )
    return packs


@pytest.mark.parametrize(
    ("title_line", "fixed"),
    [
        ("title: 'Talks went well'", True),
        ('title: "Talks went well"', True),
        ("title: Talks went well", False),  # a plain scalar cannot take the quotes
    ],
)
def test_fix_in_yaml_front_matter_keeps_it_valid_yaml(
    tmp_path: Path, cli: Callable[..., tuple[int, str, str]], title_line: str, fixed: bool
) -> None:
    """A fix is written with the quoting of the value it lands in, or not at all."""
    yaml = pytest.importorskip("yaml")
    packs = quoting_pack(tmp_path)
    page = tmp_path / "page.md"
    page.write_text(f"---\n{title_line}\n---\n\nBody.\n", encoding="utf-8")
    cli("check", str(page), "--packs", str(packs), "--select", "TQ950", "--fix", "--no-cache")
    front = page.read_text(encoding="utf-8").split("---")[1]
    title = yaml.safe_load(front)["title"]
    assert title == ('Talk\'s "big" news went well' if fixed else "Talks went well")


def test_fix_in_a_toml_literal_title_never_writes_a_quote(
    tmp_path: Path, cli: Callable[..., tuple[int, str, str]]
) -> None:
    packs = quoting_pack(tmp_path)
    page = tmp_path / "page.md"
    page.write_text("+++\ntitle = 'Talks went well'\n+++\n\nBody.\n", encoding="utf-8")
    code, out, _ = cli(
        "check", str(page), "--packs", str(packs), "--select", "TQ950", "--fix", "--no-cache"
    )
    assert code == 1 and "suggestion:" in out  # offered as text, not applied
    block = page.read_text(encoding="utf-8").split("+++")[1]
    assert tomllib.loads(block)["title"] == "Talks went well"
