"""Inline suppressions: ignore[...] for the next block, disable=/enable= ranges, TQ901/TQ902."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tqcheck.api import check_text
from tqcheck.findings import Finding
from tqcheck.loaders import LOADERS
from tqcheck.suppress import Action, parse_directives

CALQUE = "The talks took place against the backdrop of a crisis."
OTHER = "Ties developed within the framework of the declaration."


def rules(findings: list[Finding]) -> list[str]:
    return [f.rule for f in findings]


def flagged(findings: list[Finding], text: str) -> list[tuple[str, str]]:
    return [(f.rule, text[f.offset : f.end_offset]) for f in findings]


@pytest.mark.parametrize(
    "directive",
    [
        "tqcheck: ignore[TQ102] quoted from the agency",
        "# tqcheck: ignore[against-the-backdrop-of] quoted",
        "// tqcheck: ignore[TQ1]",
        "-- tqcheck: ignore[ALL] reviewed",
        "<!-- tqcheck: ignore[TQ102, russian-patronymic] reviewed -->",
    ],
)
def test_ignore_applies_to_the_next_paragraph_only(directive: str) -> None:
    text = f"{directive}\n\n{CALQUE}\n\n{CALQUE}\n"
    findings = check_text(text, ignore=["TQ901"])
    assert flagged(findings, text) == [("TQ102", "against the backdrop of")]
    assert findings[0].offset > text.index(CALQUE) + len(CALQUE)


def test_directive_glued_to_its_paragraph_covers_the_rest_of_it() -> None:
    text = f"# tqcheck: ignore[TQ102] verbatim\n{CALQUE}\n\n{CALQUE}\n"
    findings = check_text(text)
    assert len(findings) == 1 and findings[0].offset > len(text) // 2


def test_crlf_line_directives() -> None:
    text = f"tqcheck: ignore[TQ102]\r\n\r\n{CALQUE}\r\n\r\n{CALQUE}\r\n"
    assert len(check_text(text)) == 1


def test_disable_enable_range() -> None:
    text = (
        f"{CALQUE}\n\n<!-- tqcheck: disable=TQ102,within-the-framework-of -->\n\n{CALQUE}\n\n"
        f"{OTHER}\n\n<!-- tqcheck: enable=TQ102 -->\n\n{CALQUE}\n\n{OTHER}\n"
    )
    findings = check_text(text)
    starts = [text.index(CALQUE), text.rindex(CALQUE)]
    assert [(f.rule, f.offset) for f in findings] == [
        ("TQ102", starts[0] + CALQUE.index("against")),
        ("TQ102", starts[1] + CALQUE.index("against")),
    ]


def test_disable_without_enable_runs_to_the_end() -> None:
    text = f"{CALQUE}\n\ntqcheck: disable=TQ102\n\n{CALQUE}\n\n{CALQUE}\n"
    assert len(check_text(text)) == 1


def test_unused_suppressions_are_reported_per_code() -> None:
    text = f"tqcheck: ignore[TQ102, russian-patronymic] reviewed\n\n{CALQUE}\n"
    findings = check_text(text)
    assert flagged(findings, text) == [("TQ901", "russian-patronymic")]
    assert findings[0].severity.value == "info"
    assert findings[0].category == "style/housekeeping"
    assert "next block" in findings[0].message


def test_unmatched_enable_and_unused_disable() -> None:
    text = f"tqcheck: disable=TQ201\n\n{CALQUE}\n\ntqcheck: enable=TQ201,TQ312\n"
    findings = check_text(text)
    assert flagged(findings, text) == [
        ("TQ901", "TQ201"),
        ("TQ102", "against the backdrop of"),
        ("TQ901", "TQ312"),
    ]


@pytest.mark.parametrize(
    ("text", "span"),
    [
        (f"tqcheck: ignore[TQ999, TQ102] typo\n\n{CALQUE}\n", "TQ999"),
        (f"tqcheck: disable=no-such-rule\n\n{CALQUE}\n", "no-such-rule"),
        (f"<!-- tqcheck: ignore TQ102 -->\n\n{CALQUE}\n", "<!-- tqcheck: ignore TQ102 -->"),
        (f"tqcheck: ignore[] empty\n\n{CALQUE}\n", "tqcheck: ignore[] empty"),
    ],
)
def test_invalid_suppressions(text: str, span: str) -> None:
    findings = check_text(text)
    invalid = [f for f in findings if f.rule == "TQ902"]
    assert [text[f.offset : f.end_offset] for f in invalid] == [span]
    assert invalid[0].severity.value == "warning"


def test_usage_is_judged_even_for_rules_the_run_did_not_select() -> None:
    used = f"tqcheck: ignore[TQ102]\n\n{CALQUE}\n"
    assert check_text(used, select=["TQ3", "TQ9"]) == []
    unused = "tqcheck: ignore[TQ102]\n\nThe talks went well.\n"
    assert rules(check_text(unused, select=["TQ3", "TQ9"])) == ["TQ901"]


def test_internal_rules_can_be_deselected_while_suppression_still_works() -> None:
    text = f"tqcheck: ignore[TQ102, TQ201]\n\n{CALQUE}\n\n{CALQUE}\n"
    assert rules(check_text(text, ignore=["TQ901"])) == ["TQ102"]
    assert rules(check_text(text)) == ["TQ901", "TQ102"]


def test_findings_inside_a_directive_are_not_article_text() -> None:
    text = f"tqcheck: ignore[TQ102] it says against the backdrop of , twice\n\n{CALQUE}\n"
    assert check_text(text) == []


def test_fix_leaves_suppressed_text_alone(cli, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(
        "tqcheck: ignore[TQ312]\n\nIt is\u00a0done.\n\nIt is\u00a0done.\n", encoding="utf-8"
    )
    code, _, _ = cli("check", str(path), "--fix")
    assert code == 0
    assert path.read_text(encoding="utf-8") == (
        "tqcheck: ignore[TQ312]\n\nIt is\u00a0done.\n\nIt is done.\n"
    )


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_comment_directives_in_markup_formats(fmt: str) -> None:
    if fmt not in LOADERS:
        pytest.skip(f"no {fmt} loader")
    if fmt == "markdown":
        text = f"# Title\n\n<!-- tqcheck: ignore[TQ102] quoted -->\n\n{CALQUE}\n\n{CALQUE}\n"
    else:
        text = (
            "<html><body><h1>Title</h1>\n<!-- tqcheck: ignore[TQ102] quoted -->\n"
            f"<p>{CALQUE}</p>\n<p>{CALQUE}</p>\n<!-- tqcheck: disable=TQ102 -->\n"
            f"<p>{CALQUE}</p></body></html>\n"
        )
    findings = check_text(text, input_format=fmt)
    assert rules(findings) == ["TQ102"]
    second = text.index(CALQUE, text.index(CALQUE) + 1)
    assert findings[0].offset == second + CALQUE.index("against")


def test_cli_json_reports_suppression_findings(cli, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("tqcheck: ignore[TQ999]\n\nThe talks went well.\n", encoding="utf-8")
    code, out, _ = cli("check", str(path), "--format", "json")
    assert code == 1  # TQ902 is a warning
    assert [f["rule"] for f in json.loads(out)["findings"]] == ["TQ902"]


def test_parse_directives() -> None:
    text = (
        "intro\n  ;; tqcheck: disable=TQ1, TQ2 why not\n<!--tqcheck:enable=TQ1-->\n"
        "<!-- tqcheck: ignore[ALL]\n  spans lines -->\n% tqcheck: nonsense\n"
    )
    directives = parse_directives(text)
    assert [d.action for d in directives] == [Action.DISABLE, Action.ENABLE, Action.IGNORE, None]
    assert [s.text for s in directives[0].selectors] == ["TQ1", "TQ2"]
    assert directives[0].reason == "why not"
    assert [text[s.start : s.end] for s in directives[1].selectors] == ["TQ1"]
    assert directives[2].reason == "spans lines"
    assert directives[3].problem is not None
    assert parse_directives("no directives here") == []
