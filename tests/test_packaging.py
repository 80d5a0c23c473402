"""The wheel ships the rule packs, and an installed wheel finds them at run time."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, SEED


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    (path,) = out.glob("tqcheck-*.whl")
    return path


def tracked_packs() -> set[str]:
    listed = subprocess.run(
        ["git", "ls-files", "rules"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if listed.returncode != 0 or not listed.stdout.strip():
        pytest.skip("not a git checkout")
    return {Path(p).name for p in listed.stdout.split() if p.endswith((".toml", ".json"))}


def test_wheel_holds_exactly_the_tracked_packs(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    shipped = {Path(n).name for n in names if n.startswith("tqcheck/rules/")}
    assert shipped - {"README.md"} == tracked_packs()
    assert not any(n.startswith("rules/") for n in names)
    assert not any("tests/" in n or "samples/" in n for n in names)
    # The HTML report's style and script ship as package files.
    assert {"tqcheck/reporters/assets/report.css", "tqcheck/reporters/assets/report.js"} <= set(
        names
    )


def test_installed_wheel_finds_its_packs(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    code = (
        "import sys; from tqcheck.packs import builtin_packs_dir; from tqcheck.cli import run;"
        "print(builtin_packs_dir()); sys.exit(run(['check', sys.argv[1], '--format', 'concise']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(SEED)],
        cwd=tmp_path,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[0] == str(target / "tqcheck" / "rules")
    assert "TQ201" in result.stdout
