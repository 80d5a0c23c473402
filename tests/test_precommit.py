"""The published pre-commit hooks, run by the real pre-commit framework on a real git commit.

The hooks are taken from the repository's ``.pre-commit-hooks.yaml`` (id, entry, args,
files, types...) and installed as ``repo: local`` hooks with ``language: system`` pointing at
the tqcheck that runs these tests, so no network install is needed; pre-commit validates the
manifest itself too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

MANIFEST = ROOT / ".pre-commit-hooks.yaml"
BAD = "The meeting took place against the backdrop of talks.\n"
NBSP = "The meeting\u00a0took place amid talks.\n"
GOOD = "The meeting took place amid talks.\n"

yaml = pytest.importorskip("yaml")
pytest.importorskip("pre_commit", reason="pre-commit is not installed")
if shutil.which("git") is None:
    pytest.skip("git is not installed", allow_module_level=True)


def tqcheck_command() -> str:
    script = Path(sys.executable).with_name("tqcheck")
    return str(script) if script.exists() else f"{sys.executable} -m tqcheck"


def hooks() -> dict[str, dict[str, Any]]:
    return {hook["id"]: hook for hook in yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))}


class Repo:
    """A throwaway git repository with pre-commit installed."""

    def __init__(self, root: Path, hook_ids: list[str]) -> None:
        self.root = root
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
            "PRE_COMMIT_HOME": str(root.parent / "pre-commit-home"),
            "GIT_AUTHOR_NAME": "Test",
            "GIT_AUTHOR_EMAIL": "test@example.invalid",
            "GIT_COMMITTER_NAME": "Test",
            "GIT_COMMITTER_EMAIL": "test@example.invalid",
            "NO_COLOR": "1",
        }
        root.mkdir()
        self.run("git", "init", "-q", "-b", "main")
        self.run("git", "config", "commit.gpgsign", "false")
        local = []
        published = hooks()
        for hook_id in hook_ids:
            hook = dict(published[hook_id])
            entry = hook.pop("entry")
            assert entry.startswith("tqcheck ")
            hook.update(entry=tqcheck_command() + entry.removeprefix("tqcheck"), language="system")
            hook.pop("minimum_pre_commit_version", None)
            local.append(hook)
        config = {"repos": [{"repo": "local", "hooks": local}]}
        # The site's own configuration, as a newsroom would pin what fails a commit.
        (root / "tqcheck.toml").write_text(
            'severity = { TQ102 = "warning", TQ312 = "info" }\n', encoding="utf-8"
        )
        (root / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
        assert self.pre_commit("validate-config", ".pre-commit-config.yaml").returncode == 0
        assert self.pre_commit("install").returncode == 0
        self.commit(".pre-commit-config.yaml", "tqcheck.toml", message="configuration")

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            args, cwd=self.root, env=self.env, capture_output=True, text=True, check=False
        )

    def pre_commit(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.run(sys.executable, "-m", "pre_commit", *args)

    def commit(self, *paths: str, message: str = "change") -> subprocess.CompletedProcess[str]:
        self.run("git", "add", *paths)
        return self.run("git", "commit", "-q", "-m", message)

    def write(self, name: str, text: str) -> str:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return name


def test_manifest_is_valid_for_pre_commit(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", str(MANIFEST)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PRE_COMMIT_HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    published = hooks()
    assert set(published) == {"tqcheck", "tqcheck-fix"}
    for hook in published.values():
        assert hook["language"] == "python"


def test_check_hook_refuses_a_bad_article_and_passes_a_good_one(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "site", ["tqcheck"])
    good = repo.commit(repo.write("news/good.txt", GOOD), message="good article")
    assert good.returncode == 0, good.stdout + good.stderr
    bad = repo.commit(repo.write("news/bad.md", BAD), message="bad article")
    output = bad.stdout + bad.stderr
    assert bad.returncode != 0, output
    assert "news/bad.md:1:24: TQ102" in output and "against the backdrop of" in output
    assert "Failed" in output
    log = repo.run("git", "log", "--format=%s").stdout.split("\n")
    assert log[0] == "good article"
    # Files that are not articles are not checked.
    repo.run("git", "reset", "-q", "news/bad.md")
    code = repo.commit(repo.write("tools/notes.py", f"# {BAD}"), message="code")
    assert code.returncode == 0, code.stdout + code.stderr


def test_fix_hook_fixes_then_fails_and_passes_after_staging(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "site", ["tqcheck-fix"])
    name = repo.write("news/article.txt", NBSP)
    first = repo.commit(name, message="article")
    output = first.stdout + first.stderr
    assert first.returncode != 0, output
    assert "files were modified by this hook" in output
    assert (repo.root / name).read_text(encoding="utf-8") == GOOD
    second = repo.commit(name, message="article")
    assert second.returncode == 0, second.stdout + second.stderr


def test_fix_hook_exit_code_outside_pre_commit(cli, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(NBSP, encoding="utf-8")
    args = hooks()["tqcheck-fix"]["entry"].split()[1:]
    code, _, _ = cli(*args, str(path))
    assert code == 1 and path.read_text(encoding="utf-8") == GOOD
    code, _, _ = cli(*args, str(path))
    assert code == 0


def test_exit_non_zero_on_fix_needs_fix(cli, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(NBSP, encoding="utf-8")
    code, _, err = cli("check", str(path), "--exit-non-zero-on-fix")
    assert code == 2 and "--exit-non-zero-on-fix needs --fix" in err
    code, _, _ = cli("check", str(path), "--fix", "--exit-non-zero-on-fix", "--exit-zero")
    assert code == 0 and path.read_text(encoding="utf-8") == GOOD
