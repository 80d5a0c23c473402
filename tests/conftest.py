"""Shared fixtures: the repository layout, the development corpus, a CLI runner."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tqcheck.cli import run
from tqcheck.config import Config, discover
from tqcheck.findings import Finding
from tqcheck.rule import Severity

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SEED = SAMPLES / "kremlin-putin-aliyev-meeting.txt"
# The samples' own configuration (samples/tqcheck.toml): it only excludes the golden files, so
# the seed acceptance runs with the default rule set.
SEED_CONFIG: Config = discover(SEED)
SHARED = Path(os.environ.get("TQCHECK_SHARED", ROOT.parent / "shared"))
WMT = SHARED / "data" / "wmt22-ru-en"
SCHEMAS = SHARED / "schemas"
UPDATE_GOLDEN = os.environ.get("TQCHECK_UPDATE_GOLDEN") == "1"
# Keep the tests' pack cache out of the user's cache folder (and start each session cold).
os.environ.setdefault("TQCHECK_PACK_CACHE_DIR", tempfile.mkdtemp(prefix="tqcheck-cache-"))


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run the CLI in-process; return (exit status, stdout, stderr)."""

    def invoke(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = run(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


def golden(path: Path, actual: str) -> None:
    """Compare text with a golden file; TQCHECK_UPDATE_GOLDEN=1 rewrites it."""
    if UPDATE_GOLDEN or not path.exists():
        if not UPDATE_GOLDEN and os.environ.get("CI"):
            pytest.fail(f"golden file {path} is missing")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="")
    assert actual == path.read_text(encoding="utf-8"), f"differs from golden file {path}"


MINIMAL_EXAMPLES = '[[rules.examples]]\nbad = "⟦x⟧"\n\n[[rules.examples]]\ngood = "y"\n'


def rule_pack(
    params: str,
    *,
    code: str = "TQ950",
    name: str = "test-rule",
    kind: str = "phrase",
    message: str = "m",
    applicability: str = "unsafe",
    pack_id: str = "test",
    examples: str = MINIMAL_EXAMPLES,
) -> str:
    """Return a one-rule pack (TOML) for tests: the given kind parameters and examples."""
    return f"""[pack]
id = "{pack_id}"
version = 1
description = "a test pack"

[[rules]]
code = "{code}"
name = "{name}"
kind = "{kind}"
severity = "warning"
category = "style/test"
message = "{message}"
applicability = "{applicability}"

[rules.params]
{params}

[rules.doc]
what = "w"
why = "y"
use_instead = "u"
fix_safety = "f"

{examples}"""


def make_finding(
    start: int = 0,
    end: int = 1,
    *,
    text: str | None = None,
    rule: str = "TQ1",
    severity: Severity = Severity.INFO,
) -> Finding:
    """Return a one-line finding over [start, end) for tests (text: the flagged characters)."""
    return Finding(
        path="x",
        rule=rule,
        name=rule.lower(),
        severity=severity,
        category="style/unidiomatic",
        message="m",
        line=1,
        column=start + 1,
        end_line=1,
        end_column=end + 1,
        offset=start,
        end_offset=end,
        text="x" * (end - start) if text is None else text,
    )


# The HTML report in a real browser: Debian's Chromium, driven by playwright (never
# `playwright install`: no browser download).
CHROMIUM = Path(os.environ.get("TQCHECK_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Launch Debian's Chromium once for the browser tests (skip when it is absent)."""
    if not CHROMIUM.exists():
        pytest.skip(f"chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="the playwright package is not installed"
    )
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()
