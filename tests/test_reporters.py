"""CI output formats: schemas, golden files for the seed article, and exit-code invariance."""

from __future__ import annotations

import dataclasses
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from ci_helpers import (
    BAD,
    CLEAN,
    XSS,
    junit_errors,
    normalise,
    pin_severities,
    sample_tree,
    sarif_errors,
)
from conftest import ROOT, SEED, golden, make_finding

from tqcheck.api import check_paths
from tqcheck.findings import Finding
from tqcheck.reporters import FORMATS, RenderOptions, renderer
from tqcheck.reporters.github import escape_data, escape_property
from tqcheck.reporters.html import _Mark, highlight
from tqcheck.rule import Severity

GOLDEN = ROOT / "tests" / "golden"
SEED_REL = SEED.relative_to(ROOT).as_posix()
NEW_FORMATS = ("sarif", "gitlab", "junit", "github", "rdjson", "jsonl", "html")


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


def seed_output(cli, fmt: str) -> tuple[int, str]:
    code, out, _ = cli("check", SEED_REL, "--format", fmt, "--no-color")
    return code, out


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_golden_seed_output(cli, at_root, fmt: str) -> None:
    _, out = seed_output(cli, fmt)
    name = {
        "text": "seed.text.txt",
        "concise": "seed.concise.txt",
        "gitlab": "seed.gitlab.json",
        "junit": "seed.junit.xml",
        "github": "seed.github.txt",
        "rdjson": "seed.rdjson.json",
    }.get(fmt, f"seed.{fmt}")
    golden(GOLDEN / name, normalise(out))


def test_golden_seed_after_fix_in_text_format(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After --fix the frames show the fixed lines, with carets on what remains."""
    monkeypatch.chdir(tmp_path)
    article = tmp_path / "seed.txt"
    article.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, _ = cli("check", "seed.txt", "--fix", "--no-color", "--no-cache")
    assert code == 1
    golden(GOLDEN / "seed.fix.text.txt", out)
    fixed = article.read_text(encoding="utf-8").splitlines()
    for line in out.splitlines():
        number, bar, shown = line.partition(" | ")
        if bar and number.strip().isdigit() and not shown.startswith("…"):
            expected = fixed[int(number) - 1].replace("\u00a0", " ")
            assert expected.startswith(shown.removesuffix("…")), (shown, expected)


def test_every_format_is_registered_and_lazy() -> None:
    assert set(NEW_FORMATS) <= set(FORMATS)
    for fmt in FORMATS:
        assert callable(renderer(fmt))


# --- SARIF -----------------------------------------------------------------------------------


def test_sarif_seed_is_valid_and_complete(cli, at_root) -> None:
    _, out = seed_output(cli, "sarif")
    log = json.loads(out)
    assert sarif_errors(log) == []
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "tqcheck" and driver["version"] and driver["informationUri"]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["properties"]["signature"].startswith("tqcheck ")
    rules = driver["rules"]
    assert [r["id"] for r in rules] == sorted(r["id"] for r in rules)
    for rule in rules:
        assert rule["name"] and rule["shortDescription"]["text"]
        assert rule["fullDescription"]["text"]
        assert rule["help"]["text"] and rule["help"]["markdown"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
        assert "/" in rule["properties"]["tags"][0]  # the MQM category
    # The seed runs with the default set: no rule here is off by default.
    assert all(r["defaultConfiguration"].get("enabled", True) for r in rules)
    # An opt-in rule (selected by a run's configuration) is described as off by default.
    from tqcheck.api import load_ruleset
    from tqcheck.reporters.sarif import rule_descriptor

    described = rule_descriptor("TQ306", load_ruleset().get("TQ306"))
    assert described["defaultConfiguration"]["enabled"] is False
    text = SEED.read_text(encoding="utf-8")
    data = json.loads(seed_output(cli, "json")[1])
    assert len(run["results"]) == len(data["findings"])
    fingerprints = set()
    for result, finding in zip(run["results"], data["findings"], strict=True):
        assert result["ruleId"] == finding["rule"]
        assert rules[result["ruleIndex"]]["id"] == finding["rule"]
        assert result["level"] == {"info": "note"}.get(finding["severity"], finding["severity"])
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == SEED_REL
        region = location["region"]
        assert (
            region["startLine"],
            region["startColumn"],
            region["endLine"],
            region["endColumn"],
        ) == (finding["line"], finding["column"], finding["end_line"], finding["end_column"])
        assert region["snippet"]["text"] == finding["text"]
        start = region["charOffset"]
        assert text[start : start + region["charLength"]] == finding["text"]
        fingerprints.add(result["partialFingerprints"]["tqcheckFindingHash/v1"])
        if finding["fix"] is not None:
            (change,) = result["fixes"][0]["artifactChanges"]
            edits = [
                (r["deletedRegion"]["charOffset"], r["insertedContent"]["text"])
                for r in change["replacements"]
            ]
            assert edits == [(e["offset"], e["replacement"]) for e in finding["fix"]["edits"]]
        else:
            assert "fixes" not in result
    assert len(fingerprints) == len(run["results"])


def test_sarif_multi_file_with_errors_and_clean_files(cli, tmp_path, monkeypatch) -> None:
    sample_tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, out, err = cli("check", "articles", "missing.txt", "--format", "sarif")
    assert code == 2 and err.count(": error: ") == 3
    log = json.loads(out)
    assert sarif_errors(log) == []
    run = log["runs"][0]
    uris = [a["location"]["uri"] for a in run["artifacts"]]
    assert "articles/sub/also%20clean.txt" in uris and "articles/clean.txt" in uris
    assert run["invocations"][0]["executionSuccessful"] is False
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert len(notes) == 3 and all(n["level"] == "error" for n in notes)
    assert {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    } == {
        "articles/bad.txt",
        "articles/seed.txt",
    }


def test_fingerprints_survive_unrelated_edits(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "a.txt"
    text = SEED.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    before = _fingerprints(check_paths(["a.txt"]))
    edited = text.replace(
        "Safety is also an important issue.",
        "Safety, the agency added, is also an important issue for both sides.\n\nA new line.",
    )
    assert edited != text
    path.write_text("Inserted lead paragraph.\n\n" + edited, encoding="utf-8")
    after = _fingerprints(check_paths(["a.txt"]))
    assert before == after


def _fingerprints(report: Any) -> set[str]:
    log = json.loads(renderer("sarif")(report, RenderOptions(format="sarif")))
    return {r["partialFingerprints"]["tqcheckFindingHash/v1"] for r in log["runs"][0]["results"]}


# --- JUnit -----------------------------------------------------------------------------------


def test_junit_seed_is_valid(cli, at_root) -> None:
    _, out = seed_output(cli, "junit")
    assert junit_errors(out) == []
    assert 'timestamp="1970-01-01T00:00:00"' in out


def test_junit_multi_file_counts(cli, tmp_path, monkeypatch) -> None:
    from lxml import etree

    sample_tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, out, _ = cli("check", "articles", "--format", "junit", "--fail-on", "warning")
    assert code == 2
    assert junit_errors(out) == []
    suites = {s.get("name"): s for s in etree.fromstring(out.encode()).iter("testsuite")}
    assert set(suites) == {
        "articles/bad.txt",
        "articles/binary.txt",
        "articles/clean.txt",
        "articles/latin1.txt",
        "articles/seed.txt",
        "articles/sub/also clean.txt",
    }
    bad = suites["articles/bad.txt"]
    # against-the-backdrop-of is a warning (fails), the NBSP an info finding (passes).
    assert (bad.get("tests"), bad.get("failures"), bad.get("errors")) == ("2", "1", "0")
    clean = suites["articles/clean.txt"]
    assert (clean.get("tests"), clean.get("failures")) == ("1", "0")
    assert clean.find("testcase").get("name") == "no findings"
    binary = suites["articles/binary.txt"]
    assert (binary.get("tests"), binary.get("errors")) == ("1", "1")
    assert binary.find("testcase/error").get("type") == "file-error"
    assert [s.get("id") for s in suites.values()] == [str(i) for i in range(len(suites))]
    _, out, _ = cli("check", "articles", "--format", "junit", "--fail-on", "info")
    suites = {s.get("name"): s for s in etree.fromstring(out.encode()).iter("testsuite")}
    assert suites["articles/bad.txt"].get("failures") == "2"
    _, out, _ = cli("check", "articles", "--format", "junit", "--fail-on", "never")
    assert "<failure" not in out


def test_junit_survives_control_characters(cli, tmp_path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Odd\x0b text against the backdrop of talks.\n", encoding="utf-8")
    _, out, _ = cli("check", str(path), "--format", "junit")
    assert junit_errors(out) == []


# --- GitLab ----------------------------------------------------------------------------------


def test_gitlab_code_quality(cli, tmp_path, monkeypatch) -> None:
    sample_tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    _, out, _ = cli("check", "articles", "--format", "gitlab")
    issues = json.loads(out)
    assert isinstance(issues, list) and issues
    for issue in issues:
        assert issue["description"] and issue["check_name"] and issue["fingerprint"]
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
        assert issue["location"]["path"].startswith("articles/")
        lines = issue["location"]["lines"]
        assert 1 <= lines["begin"] <= lines["end"]
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    bad = [i for i in issues if i["location"]["path"] == "articles/bad.txt"]
    assert {(i["check_name"].split()[0], i["severity"]) for i in bad} == {
        ("TQ102", "minor"),
        ("TQ312", "info"),
    }
    errors = [i for i in issues if i["check_name"] == "file-error"]
    assert {i["location"]["path"] for i in errors} == {"articles/binary.txt", "articles/latin1.txt"}


# --- GitHub ----------------------------------------------------------------------------------


def test_github_escaping() -> None:
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"


def test_github_annotations_most_severe_first_and_summary(cli, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(BAD, encoding="utf-8")
    (tmp_path / "b,c.txt").write_text(
        "Its\u00a0fine.\n\nThey met within the framework of the talks.\n", encoding="utf-8"
    )
    # Make one rule an error so that all three annotation levels appear.
    (tmp_path / "tqcheck.toml").write_text(
        'severity = { TQ101 = "error", TQ102 = "warning", TQ312 = "info" }\n', encoding="utf-8"
    )
    summary = tmp_path / "summary.md"
    summary.write_text("previous step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, out, _ = cli("check", "a.txt", "b,c.txt", "--format", "github")
    assert code == 1
    commands = [line for line in out.splitlines() if line.startswith("::")]
    levels = [c[2 : c.index(" ")] for c in commands]
    order = {"error": 0, "warning": 1, "notice": 2}
    assert levels == sorted(levels, key=order.__getitem__)
    assert set(levels) == {"error", "warning", "notice"}
    calque = next(c for c in commands if "TQ102" in c)
    assert calque.startswith(
        "::warning file=a.txt,line=1,endLine=1,col=24,endColumn=47,"
        "title=TQ102 against-the-backdrop-of::"
    )
    assert "%0Afix: “amid”" in calque
    assert any(c.startswith("::error file=b%2Cc.txt,") for c in commands)
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("previous step\n## tqcheck")
    assert text.count("\n| ") >= len(commands)
    assert "| warning | a.txt:1:24 | TQ102 against-the-backdrop-of |" in text


def test_github_file_errors_are_annotations(cli, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    (tmp_path / "x.txt").write_bytes(b"\x00\x01")
    code, out, _ = cli("check", "x.txt", "--format", "github")
    assert code == 2
    assert out.startswith("::error file=x.txt,title=tqcheck could not check this file::binary")


# --- rdjson ----------------------------------------------------------------------------------


def test_rdjson_byte_columns_and_suggestions(cli, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    pin_severities(tmp_path)
    text = "Встреча — talks took place against the backdrop of a crisis.\u00a0Done.\n"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    _, out, _ = cli("check", "a.txt", "--format", "rdjson")
    data = json.loads(out)
    assert data["source"]["name"] == "tqcheck"
    line = text.splitlines()[0].encode("utf-8")
    by_code = {d["code"]["value"]: d for d in data["diagnostics"]}
    calque = by_code["TQ102"]
    assert calque["severity"] == "WARNING"
    start = calque["location"]["range"]["start"]["column"] - 1
    end = calque["location"]["range"]["end"]["column"] - 1
    assert line[start:end].decode("utf-8") == "against the backdrop of"
    (suggestion,) = calque["suggestions"]
    assert suggestion["text"] == "amid"
    nbsp = by_code["TQ312"]["suggestions"][0]
    s, e = nbsp["range"]["start"]["column"] - 1, nbsp["range"]["end"]["column"] - 1
    assert line[s:e].decode("utf-8") == "\u00a0" and nbsp["text"] == " "


# --- JSON Lines ------------------------------------------------------------------------------


def test_jsonl_matches_json_findings(cli, at_root) -> None:
    _, out = seed_output(cli, "jsonl")
    _, full = seed_output(cli, "json")
    lines = out.splitlines()
    assert [json.loads(line) for line in lines] == json.loads(full)["findings"]
    assert all("\n" not in line for line in lines)


# --- HTML (static checks; the browser tests live in test_html_browser.py) ---------------------


class _Tree(HTMLParser):
    """Collect mark pieces and check the markup nests properly."""

    VOID = frozenset(("meta", "input", "br", "img", "link"))

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.pieces: dict[str, str] = {}
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag not in self.VOID:
            self.stack.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1][0] == tag, f"mis-nested </{tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        for tag, attrs in self.stack:
            if tag == "mark" and attrs.get("data-f"):
                key = str(attrs["data-f"])
                self.pieces[key] = self.pieces.get(key, "") + data


def _finding(start: int, end: int, text: str, rule: str = "TQ999") -> Finding:
    return make_finding(start, end, text=text[start:end], rule=rule, severity=Severity.WARNING)


@pytest.mark.parametrize(
    "spans",
    [
        [(0, 5), (2, 8)],  # crossing
        [(0, 10), (2, 4), (2, 4)],  # nested, identical spans
        [(3, 3), (0, 6), (6, 6)],  # insertion points inside and at the end
        [(0, 4), (4, 8), (1, 7), (7, 9)],
    ],
)
def test_highlight_overlaps_keep_exact_text(spans: list[tuple[int, int]]) -> None:
    text = "a<b>&c\"d'e f"
    marks = [_Mark(str(i), _finding(s, e, text)) for i, (s, e) in enumerate(spans)]
    html = highlight(text, marks)
    tree = _Tree()
    tree.feed(f"<div>{html}</div>")
    assert not tree.stack
    for mark in marks:
        assert tree.pieces.get(mark.ident, "") == mark.finding.text
    assert html.count('tabindex="0"') == len(marks)  # one focusable piece per finding
    plain = re.sub(r"<[^>]+>", "", html)
    assert plain == "a&lt;b&gt;&amp;c&quot;d&#x27;e f"


def test_html_escapes_article_text_and_is_self_contained(cli, tmp_path) -> None:
    path = tmp_path / "hostile.txt"
    path.write_text(XSS, encoding="utf-8")
    pin_severities(tmp_path)
    code, out, _ = cli("check", str(path), "--format", "html")
    assert code == 1
    assert "<script>alert(1)</script>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "<img" not in out and "&lt;img src=x onerror=alert(1)&gt;" in out
    assert out.count("<script>") == 1  # the report's own script
    assert "Content-Security-Policy" in out and "default-src 'none'" in out
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", out)
    assert "@import" not in out and "url(" not in out
    tree = _Tree()
    tree.feed(out)
    assert not [t for t, _ in tree.stack if t not in ("html", "body")]


def test_html_renders_a_score_only_when_the_report_has_one(tmp_path) -> None:
    (tmp_path / "a.txt").write_text(BAD, encoding="utf-8")
    report = check_paths([str(tmp_path / "a.txt")])
    unscored = dataclasses.replace(report, score=None)
    html = renderer("html")(unscored, RenderOptions(format="html"))
    assert 'data-state="absent"' in html and "not computed" in html
    html = renderer("html")(report, RenderOptions(format="html"))
    assert 'data-state="present"' in html and "Unconfirmed-issue score" in html
    assert report.score is not None
    assert f"{report.score.per_1k:.2f}" in html


# --- exit codes are the same whatever the format ---------------------------------------------


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize(
    ("files", "args", "expected"),
    [
        ({"a.txt": BAD}, (), 1),
        ({"a.txt": BAD}, ("--exit-zero",), 0),
        ({"a.txt": BAD}, ("--fail-on", "error"), 0),
        ({"a.txt": BAD}, ("--fail-on", "info", "--ignore", "TQ102"), 1),
        ({"a.txt": CLEAN}, (), 0),
        ({"a.txt": CLEAN, "b.txt": b"\x00"}, (), 2),
    ],
)
def test_format_never_changes_the_exit_code(
    cli,
    tmp_path,
    monkeypatch,
    fmt: str,
    files: dict[str, Any],
    args: tuple[str, ...],
    expected: int,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    pin_severities(tmp_path)
    for name, content in files.items():
        if isinstance(content, bytes):
            (tmp_path / name).write_bytes(content)
        else:
            (tmp_path / name).write_text(content, encoding="utf-8")
    code, _, _ = cli("check", *files, "--format", fmt, *args)
    assert code == expected
    code, _, _ = cli("check", *files, "--format", fmt, "--output", "report.out", *args)
    assert code == expected
    assert (tmp_path / "report.out").exists()


def test_output_file_holds_the_report(cli, at_root, tmp_path) -> None:
    target = tmp_path / "seed.sarif"
    code, out, _ = cli("check", SEED_REL, "--format", "sarif", "--output", str(target))
    assert code == 1 and out == ""
    assert sarif_errors(json.loads(target.read_text(encoding="utf-8"))) == []


def test_paths_are_relative_to_the_repository_root(cli, tmp_path, monkeypatch) -> None:
    (tmp_path / "site" / ".git").mkdir(parents=True)
    pin_severities(tmp_path / "site")
    docs = tmp_path / "site" / "content" / "news"
    docs.mkdir(parents=True)
    (docs / "a.txt").write_text(BAD, encoding="utf-8")
    monkeypatch.chdir(docs)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    _, out, _ = cli("check", "a.txt", "--format", "sarif")
    run = json.loads(out)["runs"][0]
    uri = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "content/news/a.txt"
    _, out, _ = cli("check", "a.txt", "--format", "gitlab")
    assert {i["location"]["path"] for i in json.loads(out)} == {"content/news/a.txt"}
    _, out, _ = cli("check", "a.txt", "--format", "github")
    assert "::warning file=content/news/a.txt," in out
    _, out, _ = cli("check", "a.txt", "--format", "rdjson")
    assert {d["location"]["path"] for d in json.loads(out)["diagnostics"]} == {"content/news/a.txt"}
