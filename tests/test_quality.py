"""The code base stays ruff- and mypy-clean (the suite enforces it, not a reviewer)."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT

PATHS = [p for p in ("tqcheck", "tests", "bench") if (ROOT / p).is_dir()]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_ruff_lint() -> None:
    result = run("ruff", "check", *PATHS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format() -> None:
    result = run("ruff", "format", "--check", *PATHS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict() -> None:
    result = run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr
