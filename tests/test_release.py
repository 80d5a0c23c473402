"""The install recipes and the pre-commit snippet of README and docs/ci.md, run for real.

A machine that has only the repository URL installs tqcheck with ``pip install "tqcheck @
git+URL@TAG"`` (or pipx / uv) and wires the hooks with ``repo: URL`` and ``rev: TAG``. These
tests check that every recipe names the same URL and release tag, that the tag exists in this
repository on a commit whose version matches, and then follow the recipes against a local
clone of this repository (the clone stands in for the URL): pip resolves the tag, and the real
pre-commit framework installs the hooks from the tag and runs them on a content repository.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import ROOT

REPO_URL = "https://github.com/tqcheck/tqcheck"
DOCS = (ROOT / "README.md", ROOT / "docs" / "ci.md")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
# pip, pipx and uv install lines that name tqcheck from git.
RECIPE = re.compile(r"(?:pip|pipx|uv tool) install [\"']?(?:tqcheck @ )?git\+(\S+?)[\"']?$", re.M)

if shutil.which("git") is None:
    pytest.skip("git is not installed", allow_module_level=True)


def version() -> str:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return str(data["project"]["version"])


TAG = f"v{version()}"


def git(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=False, env=env
    )
    if result.returncode != 0:
        raise AssertionError(f"git {' '.join(args)}: {result.stderr.strip()}")
    return result.stdout.strip()


def require_tag() -> None:
    """Skip when this checkout cannot hold the tag (not a git clone, or a shallow one)."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout (an unpacked sdist): no tags to test")
    if git("rev-parse", "--is-shallow-repository") == "true":
        pytest.skip("shallow clone: tags on older commits are not fetched")
    if git("tag", "--list", TAG) != TAG:
        # A clone made with --no-tags (or a mirror without them) cannot show the release; the
        # repository itself carries it (git tag shows it in a full clone).
        pytest.skip(f"tag {TAG} is not in this clone (cloned without tags?)")


def precommit_snippets() -> list[str]:
    snippets = []
    for doc in DOCS:
        for lang, body in FENCE.findall(doc.read_text(encoding="utf-8")):
            if lang == "yaml" and "repos:" in body and "tqcheck" in body:
                snippets.append(body)
    return snippets


def test_every_recipe_names_this_repository_at_the_release_tag() -> None:
    recipes = [m for doc in DOCS for m in RECIPE.findall(doc.read_text(encoding="utf-8"))]
    assert len(recipes) >= 5, recipes  # README: pip, pipx, uv; ci.md: GitHub, GitLab
    assert set(recipes) == {f"{REPO_URL}@{TAG}"}
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        assert "pip install tqcheck\n" not in text, f"{doc.name}: tqcheck is not on PyPI"
    snippets = precommit_snippets()
    assert len(snippets) == 2
    for snippet in snippets:
        assert f"repo: {REPO_URL}\n" in snippet and f"rev: {TAG}\n" in snippet


def test_the_release_tag_is_on_a_commit_of_this_version() -> None:
    require_tag()
    at_tag = git("show", f"{TAG}:pyproject.toml")
    assert tomllib.loads(at_tag)["project"]["version"] == version()
    assert git("show", f"{TAG}:.pre-commit-hooks.yaml")
    git("merge-base", "--is-ancestor", TAG, "HEAD")  # the release is in main's history


@pytest.fixture(scope="module")
def upstream(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a local clone of this repository, standing in for its URL."""
    require_tag()
    clone = tmp_path_factory.mktemp("upstream") / "tqcheck"
    git("clone", "--quiet", "--no-local", str(ROOT), str(clone), cwd=clone.parent)
    return clone


def test_pip_recipe_resolves_the_tag(upstream: Path, tmp_path: Path) -> None:
    # file://localhost/…: older pip (packaging < 22) rejects a git+file URL with no host.
    spec = f"tqcheck @ git+file://localhost{upstream.as_posix()}@{TAG}"
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--no-deps", "--ignore-installed",
         "--no-cache-dir", spec],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Would install tqcheck-{version()}" in result.stdout


BAD = "Relations are at high level.\n\nTalks took place\u00a0within the framework of the visit.\n"
CLEAN = "Relations are at a high level.\n\nTalks took place during the visit.\n"


def test_precommit_snippet_installs_and_runs_the_hooks_from_the_tag(
    upstream: Path, tmp_path: Path
) -> None:
    """README's snippet, literally, with the clone as the repository URL."""
    pytest.importorskip("pre_commit", reason="pre-commit is not installed")
    snippet = precommit_snippets()[0].replace(f"repo: {REPO_URL}", f"repo: {upstream}")
    site = tmp_path / "site"
    site.mkdir()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "TQCHECK_"))},
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
        "NO_COLOR": "1",
    }
    git("init", "-q", "-b", "main", cwd=site, env=env)
    (site / ".pre-commit-config.yaml").write_text(snippet, encoding="utf-8")
    (site / "tqcheck.toml").write_text('exclude = ["drafts/*"]\n', encoding="utf-8")
    article = site / "articles" / "talks.md"
    article.parent.mkdir()
    article.write_text(BAD, encoding="utf-8")
    draft = site / "drafts" / "draft.md"
    draft.parent.mkdir()
    draft.write_text(BAD, encoding="utf-8")
    git("add", "-A", cwd=site, env=env)

    def precommit() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "run", "--all-files"],
            cwd=site,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=900,
        )

    first = precommit()
    log = first.stdout + first.stderr
    assert first.returncode == 1, log
    assert "files were modified by this hook" in log
    fixed = article.read_text(encoding="utf-8")
    assert "at a high level" in fixed and "\u00a0" not in fixed  # the safe fixes
    assert "within the framework of" in fixed  # an unsafe rewrite is left to the editor
    assert draft.read_text(encoding="utf-8") == BAD  # excluded, although pre-commit named it
    assert "TQ101" in log and "draft.md" not in log
    git("add", "-A", cwd=site, env=env)
    second = precommit()
    assert second.returncode == 1  # the calque still fails the check hook
    assert "TQ101" in second.stdout
    article.write_text(CLEAN, encoding="utf-8")
    git("add", "-A", cwd=site, env=env)
    third = precommit()
    assert third.returncode == 0, third.stdout + third.stderr
    # The hooks' result cache never shows up as an untracked file.
    assert ".tqcheck_cache" not in git("status", "--porcelain", "--untracked-files=all", cwd=site)
