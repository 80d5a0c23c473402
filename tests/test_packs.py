"""Strict validation of rule packs: every error names the pack file, the rule and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from tqcheck.packs import PackError, RuleSet, load_pack, load_rules

GOOD_RULE = """
[[rules]]
code = "TQ950"
name = "test-rule"
kind = "phrase"
severity = "warning"
category = "style/unidiomatic"
message = "m"
applicability = "unsafe"
[rules.params]
phrases = [{ match = "foo bar", suggest = ["baz"] }]
[rules.doc]
what = "w"
why = "y"
use_instead = "u"
fix_safety = "f"
[[rules.examples]]
bad = "a ⟦foo bar⟧ b"
fix = "baz"
[[rules.examples]]
good = "a baz b"
"""
HEADER = '[pack]\nid = "test"\nversion = 1\ndescription = "d"\n'


def write(tmp_path: Path, body: str, name: str = "pack.toml") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_valid_pack_loads(tmp_path: Path) -> None:
    pack = load_pack(write(tmp_path, GOOD_RULE))
    assert [r.code for r in pack.rules] == ["TQ950"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'severity = "warning"',
            'severity = "warning"\ncolour = "red"',
            "rule TQ950: key 'colour': unknown rule key",
        ),
        ('kind = "phrase"', 'kind = "nonsense"', "rule TQ950: key 'kind': unknown kind 'nonsense'"),
        ('code = "TQ950"', 'code = "X1"', "key 'code'"),
        ('name = "test-rule"', 'name = "Test Rule"', "key 'name': 'Test Rule' is not kebab-case"),
        ('severity = "warning"', 'severity = "fatal"', "key 'severity'"),
        ('category = "style/unidiomatic"', 'category = "grammar"', "key 'category'"),
        ('applicability = "unsafe"', 'applicability = "maybe"', "key 'applicability'"),
        (
            'bad = "a ⟦foo bar⟧ b"',
            'bad = "a foo bar b"',
            "key 'examples[0].bad': a bad example marks exactly one",
        ),
        (
            'good = "a baz b"',
            'good = "a baz b"\nfix = "x"',
            "key 'examples[1]': a good example takes no fix",
        ),
        ('fix_safety = "f"', "", "key 'doc.fix_safety': required doc text is missing"),
        (
            'phrases = [{ match = "foo bar", suggest = ["baz"] }]',
            'phrases = [{ match = "foo bar", sugest = ["baz"] }]',
            "key 'params.phrases[0].sugest': unknown phrase key",
        ),
        (
            'phrases = [{ match = "foo bar", suggest = ["baz"] }]',
            "phrases = []\nextra = 1",
            "key 'params.",
        ),
    ],
)
def test_invalid_rule_is_reported_with_file_rule_and_key(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    assert old in GOOD_RULE
    path = write(tmp_path, GOOD_RULE.replace(old, new, 1))
    with pytest.raises(PackError) as info:
        load_pack(path)
    assert str(path) in str(info.value)
    assert message in str(info.value)


def test_invalid_pattern_is_reported(tmp_path: Path) -> None:
    body = GOOD_RULE.replace('kind = "phrase"', 'kind = "pattern"').replace(
        'phrases = [{ match = "foo bar", suggest = ["baz"] }]', "pattern = '''(unclosed'''"
    )
    with pytest.raises(PackError, match=r"key 'params.pattern': invalid regular expression"):
        load_pack(write(tmp_path, body))


def test_duplicate_code_and_name_across_packs(tmp_path: Path) -> None:
    write(tmp_path, GOOD_RULE, "a.toml")
    write(tmp_path, GOOD_RULE.replace('name = "test-rule"', 'name = "other-rule"'), "b.toml")
    with pytest.raises(PackError, match=r"b\.toml: rule TQ950: key 'code': duplicate code"):
        load_rules([tmp_path])
    (tmp_path / "b.toml").write_text(HEADER + GOOD_RULE.replace("TQ950", "TQ951"), encoding="utf-8")
    with pytest.raises(PackError, match=r"key 'name': duplicate name 'test-rule'"):
        load_rules([tmp_path])


def test_invalid_toml_and_unknown_top_level_key(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[pack\n", encoding="utf-8")
    with pytest.raises(PackError, match=r"bad\.toml: invalid TOML"):
        load_pack(bad)
    with pytest.raises(PackError, match=r"key 'settings': unknown top-level key"):
        load_pack(write(tmp_path, GOOD_RULE + "\n[settings]\nx = 1\n"))


def test_python_looking_values_are_data(tmp_path: Path) -> None:
    body = GOOD_RULE.replace(
        'message = "m"', "message = \"__import__('os').system('touch PWNED')\""
    )
    pack = load_pack(write(tmp_path, body))
    assert pack.rules[0].message.startswith("__import__")
    assert not Path("PWNED").exists()


def test_selectors() -> None:
    from tqcheck.api import load_ruleset

    rules: RuleSet = load_ruleset()
    assert [r.code for r in rules.find("TQ21")] == ["TQ210"]
    assert {"TQ201", "TQ202"} <= {r.code for r in rules.find("TQ20")}
    assert rules.get("russian-patronymic") is rules.get("TQ201")
    assert rules.find("nonexistent") == []


def test_messages_are_english_with_russian_only_in_a_final_bracket() -> None:
    """Issue 13: an editor who reads no Russian understands every message."""
    import re

    from tqcheck.api import load_ruleset

    cyrillic = re.compile(r"[\u0400-\u04ff]")
    russian_only = [
        f"{r.code}: {r.message}"
        for r in load_ruleset().rules
        if cyrillic.search(re.sub(r"\s*\(Russian [^()]*\)\s*$", "", r.message))
    ]
    assert russian_only == []
