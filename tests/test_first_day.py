"""Issue 15: the first day in a real content repository and CI.

File discovery (ignore files, --force-exclude, empty folders, dangling links), output streams
(-q, -qq, file errors on stderr in every format, --statistics, --show-score), frames that fit
the terminal, fix display, `tqcheck rule --format json`, `tqcheck rank`, usage lines and the
small wording fixes. Each test names the behaviour a content repository's CI depends on.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BAD = "The talks took place within the framework of the visit.\n"
NBSP = "The talks\u00a0took place at high level.\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def checked(out: str) -> set[str]:
    """Return the file names a JSON report has findings for."""
    return {Path(f["path"]).as_posix() for f in json.loads(out)["findings"]}


def git_init(root: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)


# -- file discovery ----------------------------------------------------------------------------


def test_gitignore_is_respected_when_walking(tmp_path: Path, monkeypatch, cli) -> None:
    monkeypatch.chdir(tmp_path)
    git_init(tmp_path)
    write(tmp_path / ".gitignore", "public/\n_site/\n*.draft.md\n!keep.draft.md\n")
    write(tmp_path / "content" / "a.md", BAD)
    write(tmp_path / "content" / "b.draft.md", BAD)
    write(tmp_path / "content" / "keep.draft.md", BAD)
    write(tmp_path / "public" / "a.html", f"<p>{BAD}</p>")
    write(tmp_path / "content" / "_site" / "x.md", BAD)
    write(tmp_path / "content" / "sub" / ".gitignore", "local.md\n")
    write(tmp_path / "content" / "sub" / "local.md", BAD)
    write(tmp_path / "content" / "sub" / "kept.md", BAD)
    _, out, _ = cli("check", ".", "--format", "json", "--no-cache")
    assert checked(out) == {"content/a.md", "content/keep.draft.md", "content/sub/kept.md"}
    _, out, _ = cli("check", ".", "--format", "json", "--no-cache", "--no-respect-gitignore")
    assert "public/a.html" in checked(out) and "content/sub/local.md" in checked(out)


def test_gitignore_counts_only_in_a_git_work_tree_but_ignore_files_always(
    tmp_path: Path, monkeypatch, cli
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / ".gitignore", "a.md\n")
    write(tmp_path / ".ignore", "b.md\n")
    write(tmp_path / "a.md", BAD)
    write(tmp_path / "b.md", BAD)
    _, out, _ = cli("check", ".", "--format", "json", "--no-cache")
    assert checked(out) == {"a.md"}  # no .git here: git itself would not read .gitignore


def test_respect_gitignore_setting(tmp_path: Path, monkeypatch, cli) -> None:
    monkeypatch.chdir(tmp_path)
    git_init(tmp_path)
    write(tmp_path / ".gitignore", "dist/\n")
    write(tmp_path / "dist" / "a.md", BAD)
    write(tmp_path / "tqcheck.toml", "respect-gitignore = false\n")
    _, out, _ = cli("check", ".", "--format", "json", "--no-cache")
    assert checked(out) == {"dist/a.md"}
    write(tmp_path / "tqcheck.toml", 'respect-gitignore = "no"\n')
    code, _, err = cli("check", ".", "--no-cache")
    assert code == 2 and "respect-gitignore" in err and "true or false" in err


def test_force_exclude_applies_to_files_named_on_the_command_line(
    tmp_path: Path, monkeypatch, cli
) -> None:
    """pre-commit names every staged file: without --force-exclude `exclude` is ignored."""
    monkeypatch.chdir(tmp_path)
    git_init(tmp_path)
    write(tmp_path / "tqcheck.toml", 'exclude = ["drafts/*", "README.md"]\n')
    write(tmp_path / ".gitignore", "public/\n")
    files = [
        write(tmp_path / "articles" / "drafts" / "a.md", BAD),
        write(tmp_path / "README.md", BAD),
        write(tmp_path / "public" / "p.md", BAD),
        write(tmp_path / "articles" / "b.md", BAD),
    ]
    names = [str(p.relative_to(tmp_path)) for p in files]
    _, out, _ = cli("check", *names, "--format", "json", "--no-cache")
    assert len(checked(out)) == 4
    code, out, _ = cli("check", *names, "--format", "json", "--no-cache", "--force-exclude")
    assert code == 1 and checked(out) == {"articles/b.md"}
    # Only excluded files named: nothing to do, and that is not an error (a commit that only
    # touches drafts must pass the hook).
    code, out, err = cli("check", names[0], names[1], "--force-exclude", "--no-cache")
    assert code == 0, err
    write(tmp_path / "tqcheck.toml", 'exclude = ["drafts/*"]\nforce-exclude = true\n')
    code, _, _ = cli("check", names[0], "--no-cache")
    assert code == 0


def test_empty_or_mistyped_folder_is_exit_2_with_a_warning(
    tmp_path: Path, monkeypatch, cli
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty").mkdir()
    write(tmp_path / "empty" / "notes.py", "x = 1\n")
    code, out, err = cli("check", "empty")
    assert code == 2
    assert "All checks passed" not in out
    assert "empty: no article files to check here" in err and "no files were checked" in err
    code, _, err = cli("check", "artciles")
    assert code == 2 and "artciles: error: no such file or folder" in err
    # One empty folder among others that have articles: a warning, the run goes on.
    write(tmp_path / "articles" / "a.txt", BAD)
    code, out, err = cli("check", "articles", "empty")
    assert code == 1 and "TQ101" in out and "empty: no article files" in err


def test_dangling_symlink_is_skipped_with_a_warning(tmp_path: Path, monkeypatch, cli) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "a.txt", BAD)
    (tmp_path / "gone.txt").symlink_to(tmp_path / "deleted.txt")
    code, out, err = cli("check", "a.txt", "gone.txt")
    assert code == 1 and "TQ101" in out
    assert "gone.txt: dangling symbolic link" in err and ": error:" not in err


# -- output streams ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "concise", "json", "sarif", "github", "junit"])
def test_file_errors_go_to_stderr_in_every_format(
    tmp_path: Path, monkeypatch, cli, fmt: str
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "a.txt", BAD)
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\x00\xd8broken")
    report = tmp_path / "report.out"
    code, out, err = cli("check", "a.txt", "bad.txt", "missing.txt", "-f", fmt, "-o", str(report))
    assert code == 2
    assert out == ""  # the report went to the file
    errors = [line for line in err.splitlines() if ": error: " in line]
    assert len(errors) == 2
    assert any(line.startswith("missing.txt: error:") for line in errors)
    assert any(line.startswith("bad.txt: error:") for line in errors)


def test_quiet_prints_diagnostics_only_and_qq_nothing(tmp_path: Path, monkeypatch, cli) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "a.txt", BAD)
    code, out, _ = cli("check", "a.txt", "-q", "--no-cache")
    assert code == 1
    assert "a.txt:1:" in out and "TQ101" in out
    assert "Found" not in out and "fixable" not in out
    code, out, err = cli("check", "a.txt", "missing.txt", "-qq", "--no-cache")
    assert code == 2 and out == ""
    assert err.strip() == "missing.txt: error: no such file or folder"
    code, out, _ = cli("check", "a.txt", "-qq", "--no-cache")
    assert code == 1 and out == ""


def test_score_lines_only_with_show_score_and_statistics_by_rule(
    tmp_path: Path, monkeypatch, cli
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "a.txt", BAD + NBSP + NBSP)
    _, out, _ = cli("check", "a.txt", "--no-cache")
    assert "Unconfirmed-issue score" not in out and "penalty" not in out
    _, out, _ = cli("check", "a.txt", "--no-cache", "--show-score")
    assert "Unconfirmed-issue score" in out
    _, out, _ = cli("check", "a.txt", "--no-cache", "--statistics", "-q")
    rows = [line.split("\t") for line in out.splitlines() if "\t" in line]
    assert rows[0][:2] == ["2", "TQ183"] or rows[0][:2] == ["2", "TQ312"]
    assert ["1", "TQ101", "    within-the-framework-of"] in rows


def test_score_words_and_files_are_pluralised(tmp_path: Path, monkeypatch, cli) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "one.txt", "Hello.\n")
    _, out, _ = cli("check", "one.txt", "--no-cache", "--show-score")
    assert "(1 word)." in out and "1 words" not in out


# -- the text frames ---------------------------------------------------------------------------


def test_frames_fit_the_terminal_width(tmp_path: Path, monkeypatch, cli) -> None:
    monkeypatch.chdir(tmp_path)
    long = "Officials said many things. " * 8 + "They met within the framework of the visit.\n"
    write(tmp_path / "a.txt", long)
    for columns in (60, 80, 120):
        monkeypatch.setenv("COLUMNS", str(columns))
        _, out, _ = cli("check", "a.txt", "--no-cache", "--select", "TQ101")
        frame = [line for line in out.splitlines() if line.startswith(("1 |", "  |"))]
        assert frame and all(len(line) <= columns for line in frame), (columns, frame)
        source = next(line for line in frame if line.startswith("1 |"))
        carets = next(line for line in frame if "^" in line)
        start = carets.index("^")
        assert source[start : start + len("within")] == "within"


def test_after_fix_the_frame_shows_the_fixed_line(tmp_path: Path, monkeypatch, cli) -> None:
    """The carets are computed on the fixed text, so the line shown must be the fixed one."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "a.txt", "Ties at high level\u00a0grew within the framework of the visit.\n")
    code, out, _ = cli("check", "a.txt", "--fix", "--no-cache", "--select", "TQ183,TQ312,TQ101")
    assert code == 1
    fixed = (tmp_path / "a.txt").read_text(encoding="utf-8")
    assert fixed == "Ties at a high level grew within the framework of the visit.\n"
    source = next(line for line in out.splitlines() if line.startswith("1 |"))
    assert source == "1 | " + fixed.rstrip("\n")
    carets = next(line for line in out.splitlines() if "^" in line)
    start = carets.index("^")
    assert source[start:].startswith("within the framework of")


def test_fix_display_shows_context_and_deletions(tmp_path: Path, monkeypatch, cli) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "a.txt", "Relations are at high level.\n\nThe the plan was approved.\n")
    _, out, _ = cli("check", "a.txt", "--no-cache", "--select", "TQ183,TQ332")
    assert "fix: “at high level.” → “at a high level.”" in out or (
        "fix: “at high level” → “at a high level”" in out
    )
    assert "Repeated word “the”" in out  # no leading space in the message
    assert "suggestion: “The the plan” → “The plan”" in out
    assert "fix: “”" not in out and "fix: “a high”" not in out


# -- commands ----------------------------------------------------------------------------------


def test_rule_command_json_and_readable_examples(cli) -> None:
    code, out, _ = cli("rule", "TQ101", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["code"] == "TQ101" and data["name"] == "within-the-framework-of"
    assert set(data["doc"]) == {"what", "why", "use_instead", "fix_safety"}
    bad = next(e for e in data["examples"] if e["bad"])
    assert "⟦" in bad["marked"] and "⟦" not in bad["fixed"] and bad["fixed"] != bad["text"]
    assert "mt_news" in data["evidence"]
    code, out, _ = cli("rule", "TQ101")
    assert code == 0
    assert "'" not in "".join(line for line in out.splitlines() if line.startswith("  ✗"))
    assert any(line.startswith("    → ") for line in out.splitlines())
    code, _, err = cli("rule", "TQ101", "--format", "yaml")
    assert code == 2 and "--format" in err


def test_usage_lines_name_arguments_plainly() -> None:
    for command, expected in (
        ("check", "Usage: tqcheck check [OPTIONS] PATH..."),
        ("score", "Usage: tqcheck score [OPTIONS] HYPOTHESIS"),
        ("rank", "Usage: tqcheck rank [OPTIONS] PATH..."),
        ("rule", "Usage: tqcheck rule [OPTIONS] CODE"),
    ):
        result = subprocess.run(
            [sys.executable, "-m", "tqcheck", command, "--help"],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "COLUMNS": "100"},
        )
        assert result.stdout.splitlines()[0] == expected
        assert "{" not in result.stdout.splitlines()[0]


def test_unknown_encoding_is_a_usage_error(tmp_path: Path, monkeypatch, cli) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "a.txt", BAD)
    code, out, err = cli("check", "a.txt", "--encoding", "latin-9x")
    assert code == 2 and out == ""
    assert err.strip() == (
        "tqcheck: error: unknown --encoding 'latin-9x' (a Python codec name, e.g. cp1251)"
    )


def test_rank_by_chrf_with_a_reference_relative_paths_and_source(
    tmp_path: Path, monkeypatch, cli
) -> None:
    monkeypatch.chdir(tmp_path)
    # b has more findings but is much closer to the reference: with --ref, chrF decides.
    a = write(tmp_path / "out" / "a.txt", "Talks went well.\nPrices rose.\n")
    b = write(
        tmp_path / "out" / "b.txt",
        "The talks within the framework of the visit went well.\nPrices rose by 5 %.\n",
    )
    write(tmp_path / "ref.txt", "The talks during the visit went well.\nPrices rose by 5%.\n")
    write(tmp_path / "src.txt", "Переговоры прошли хорошо.\nЦены выросли на 5 %.\n")
    code, out, _ = cli("rank", str(a.resolve()), str(b.resolve()), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [f["path"] for f in data["files"]] == ["out/a.txt", "out/b.txt"]
    code, out, _ = cli("rank", "out/a.txt", "out/b.txt", "--ref", "ref.txt", "-f", "json")
    data = json.loads(out)
    assert data["ranked_by"].startswith("chrF")
    assert [f["path"] for f in data["files"]] == ["out/b.txt", "out/a.txt"]
    code, out, err = cli("rank", "out/a.txt", "out/b.txt", "--source", "src.txt", "-f", "json")
    assert code == 0, err
    assert {f["path"] for f in json.loads(out)["files"]} == {"out/a.txt", "out/b.txt"}
    code, out, _ = cli("rank", "out/a.txt", "out/b.txt", "--ref", "ref.txt")
    assert out.splitlines()[0].startswith("Ranked by chrF2 against the reference")


def test_github_step_summary_and_fix_gain_wording(tmp_path: Path, monkeypatch, cli) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "clean.txt", "The talks went well.\n")
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    cli("check", "clean.txt", "--format", "github", "--no-cache")
    assert "No findings in 1 file." in summary.read_text(encoding="utf-8")
    write(tmp_path / "hyp.en", "Talks went well\u00a0today.\n")
    write(tmp_path / "ref.en", "Talks went well today.\n")
    code, out, _ = cli("score", "hyp.en", "--ref", "ref.en", "--fixed", "--metrics", "bleu,chrf")
    assert code == 0 and "Fix gain (after - before):" in out and "TER" not in out
    code, out, _ = cli("score", "hyp.en", "--ref", "ref.en", "--fixed")
    assert "for TER lower is better" in out


def test_github_step_summary_is_written_by_the_command_not_the_renderer(
    tmp_path: Path, monkeypatch, cli
) -> None:
    """Rendering has no side effects; an unwritable summary file is a warning on stderr."""
    from tqcheck.api import check_paths
    from tqcheck.reporters import RenderOptions, renderer

    monkeypatch.chdir(tmp_path)
    write(tmp_path / "a.txt", BAD)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    renderer("github")(check_paths(["a.txt"]), RenderOptions(format="github"))
    assert not summary.exists()
    cli("check", "a.txt", "-f", "github", "--no-cache")
    assert "TQ101" in summary.read_text(encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "missing" / "summary.md"))
    code, out, err = cli("check", "a.txt", "-f", "github", "--no-cache")
    assert code == 1 and "::warning" in out
    assert "could not write the step summary" in err


def test_github_summary_line_is_pluralised(tmp_path: Path, monkeypatch, cli) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    write(tmp_path / "a.txt", BAD)
    _, out, _ = cli("check", "a.txt", "-f", "github", "--no-cache")
    assert out.splitlines()[-1] == "tqcheck: 1 finding (1 warning) in 1 file."
