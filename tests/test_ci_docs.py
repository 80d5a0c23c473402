"""The CI examples in docs/ci.md run: every tqcheck command line in them is one tqcheck accepts.

The GitHub Actions workflow and the GitLab CI job are parsed as YAML, shell snippets line by
line; each ``tqcheck`` command is run, in document order, in a folder whose ``articles/`` is
a copy of the samples, and any report it writes is validated.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path
from typing import Any

import pytest
from ci_helpers import junit_errors, sarif_errors
from conftest import ROOT, SAMPLES

yaml = pytest.importorskip("yaml")

DOC = ROOT / "docs" / "ci.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def blocks() -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in FENCE.finditer(DOC.read_text(encoding="utf-8"))]


def shell_lines(value: Any) -> list[str]:
    """Return the shell lines of a YAML value (run: strings, script: lists)."""
    if isinstance(value, str):
        return value.replace("\\\n", " ").splitlines()
    if isinstance(value, list):
        return [line for item in value for line in shell_lines(item)]
    return []


def yaml_commands(document: Any) -> list[str]:
    lines: list[str] = []
    if isinstance(document, dict):
        for key, value in document.items():
            if key in ("run", "script", "before_script", "after_script"):
                lines += shell_lines(value)
            else:
                lines += yaml_commands(value)
    elif isinstance(document, list):
        for item in document:
            lines += yaml_commands(item)
    return lines


def tqcheck_commands(lines: list[str]) -> list[list[str]]:
    commands = []
    for line in lines:
        for part in re.split(r"\|\||&&|\||;", line):
            words = shlex.split(part, comments=True)
            if words and words[0] == "tqcheck":
                commands.append(words[1:])
    return commands


def doc_commands() -> dict[str, list[list[str]]]:
    found: dict[str, list[list[str]]] = {"github": [], "gitlab": [], "shell": []}
    for lang, body in blocks():
        if lang == "yaml":
            document = yaml.safe_load(body)
            if isinstance(document, dict) and "jobs" in document:
                found["github"] += tqcheck_commands(yaml_commands(document))
            elif isinstance(document, dict) and "repos" not in document:
                found["gitlab"] += tqcheck_commands(yaml_commands(document))
        elif lang in ("sh", "bash", "shell"):
            found["shell"] += tqcheck_commands(body.splitlines())
    return found


def test_docs_have_the_examples_and_readme_links_them() -> None:
    found = doc_commands()
    assert found["github"] and found["gitlab"] and found["shell"]
    text = DOC.read_text(encoding="utf-8")
    assert "github/codeql-action/upload-sarif" in text
    assert "codequality:" in text
    workflow = next(
        yaml.safe_load(body)
        for lang, body in blocks()
        if lang == "yaml" and "jobs" in yaml.safe_load(body)
    )
    steps = workflow["jobs"]["tqcheck"]["steps"]
    upload = next(s for s in steps if "upload-sarif" in s.get("uses", ""))
    assert upload["with"]["sarif_file"] == "tqcheck.sarif"
    assert workflow["permissions"]["security-events"] == "write"
    assert "docs/ci.md" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_pre_commit_snippet_names_published_hooks() -> None:
    published = {h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    snippets = [
        yaml.safe_load(body)
        for lang, body in blocks()
        if lang == "yaml" and "repos" in (yaml.safe_load(body) or {})
    ]
    assert snippets
    used = {h["id"] for s in snippets for repo in s["repos"] for h in repo["hooks"]}
    assert used and used <= published


@pytest.mark.parametrize("kind", ["shell", "github", "gitlab"])
def test_documented_commands_run_against_the_samples(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    shutil.copytree(SAMPLES, tmp_path / "articles")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))
    commands = doc_commands()[kind]
    assert commands
    for args in commands:
        code, out, err = cli(*args)
        assert code in (0, 1), f"tqcheck {shlex.join(args)} -> {code}: {err}"
        assert args[0] == "check" and "articles/" in args
        if "--exit-zero" in args:
            assert code == 0
        if "--output" in args:
            target = Path(args[args.index("--output") + 1])
            check_report(args[args.index("--format") + 1], target.read_text(encoding="utf-8"))
        elif "--format" in args:
            check_report(args[args.index("--format") + 1], out)


def check_report(fmt: str, text: str) -> None:
    if fmt == "sarif":
        assert sarif_errors(json.loads(text)) == []
    elif fmt == "junit":
        assert junit_errors(text) == []
    elif fmt == "gitlab":
        issues = json.loads(text)
        assert issues and all(i["location"]["path"].startswith("articles/") for i in issues)
    elif fmt == "rdjson":
        assert json.loads(text)["diagnostics"]
    elif fmt == "github":
        assert text.startswith("::")
