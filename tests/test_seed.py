"""The seed article (a real machine-translated Kremlin report) is the first acceptance case."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SAMPLES, SEED, SEED_CONFIG, golden

from tqcheck.api import check_text, fix_text
from tqcheck.findings import Finding

EXPECTED = SAMPLES / "expected"
TEXT = SEED.read_text(encoding="utf-8")


def describe(finding: Finding) -> str:
    fix = finding.fix.applicability.value if finding.fix else "none"
    best = finding.suggestions[0] if finding.suggestions else ""
    shown = finding.text.replace("\u00a0", "<NBSP>").replace("\n", "\\n")
    return (
        f"{finding.line}:{finding.column}-{finding.end_line}:{finding.end_column} "
        f"{finding.rule} {finding.name} fix={fix} text={shown!r} best={best!r}"
    )


@pytest.fixture(scope="module")
def findings() -> list[Finding]:
    return check_text(TEXT, path=SEED.name, config=SEED_CONFIG)


def test_golden_findings(findings: list[Finding]) -> None:
    golden(EXPECTED / f"{SEED.stem}.findings", "\n".join(describe(f) for f in findings) + "\n")


def count(findings: list[Finding], code: str) -> int:
    return sum(1 for f in findings if f.rule == code)


@pytest.mark.parametrize(
    ("code", "text", "best"),
    [
        ("TQ103", "We are with you in the material on", "You and I are well briefed on"),
        ("TQ101", "within the framework of", "under"),
        ("TQ104", "We are aimed at strengthening", "We aim to strengthen"),
        ("TQ105", "thanked for", "thanked his hosts for"),
        ("TQ802", "grandiose", "ambitious"),
        ("TQ801", "fundamental", "key"),
        ("TQ110", "in the wider geography", "further afield"),
        ("TQ107", "the public of our countries", "the people of our countries"),
        ("TQ108", "dedicated to", "marking"),
        ("TQ109", "from the point of view of", "in terms of"),
        ("TQ183", "high", "a high"),
        ("TQ302", '",', ',"'),
        ("TQ310", " :", ": "),
    ],
)
def test_acceptance_finding(findings: list[Finding], code: str, text: str, best: str) -> None:
    matches = [f for f in findings if f.rule == code and f.text == text]
    assert matches, f"{code} did not flag {text!r}"
    assert matches[0].suggestions[0] == best


def test_acceptance_counts(findings: list[Finding]) -> None:
    assert count(findings, "TQ312") == 14  # non-breaking spaces between ordinary words
    assert count(findings, "TQ301") == 5  # split attributions
    assert count(findings, "TQ102") == 2  # against the backdrop of
    assert count(findings, "TQ106") == 2  # progressive development
    patronymics = [f for f in findings if f.rule == "TQ201"]
    assert [f.text for f in patronymics] == ["Aliyevich", "Aliyevich"]
    assert all(f.suggestions[0] == "Heydar Aliyev" and f.fixable for f in patronymics)


@pytest.mark.parametrize(
    "phrase",
    [
        "Ilham Aliyev said.",
        "Vladimir Putin and Ilham Aliyev",
        "the Kremlin",
        "confidence-building measures",
        "Baikal-Amur\u00a0Mainline\u00a0(BAM)",
        "Declaration on Allied Cooperation",
        "February 2022",
        "50th anniversary",
        "In my opinion",
    ],
)
def test_not_flagged(findings: list[Finding], phrase: str) -> None:
    start = 0
    while (start := TEXT.find(phrase, start)) >= 0:
        end = start + len(phrase)
        for f in findings:
            if f.rule == "TQ312":
                continue  # the NBSPs inside "Baikal-Amur Mainline (BAM)" are flagged on purpose
            assert not (f.offset < end and start < f.end_offset), f"{f.rule} flags {phrase!r}"
        start = end


def test_safe_fixes_golden() -> None:
    outcome = fix_text(TEXT, config=SEED_CONFIG)
    assert outcome.converged
    golden(EXPECTED / f"{SEED.stem}.fixed.txt", outcome.text)
    # Only findings without a safe fix remain.
    assert all(not f.fixable for f in check_text(outcome.text, config=SEED_CONFIG))


def test_unsafe_fixes_golden() -> None:
    outcome = fix_text(TEXT, unsafe=True, config=SEED_CONFIG)
    golden(EXPECTED / f"{SEED.stem}.fixed-unsafe.txt", outcome.text)
    assert "We aim to strengthen" in outcome.text
    assert 'Welcome!" Putin said.' in outcome.text
    assert 'many countries," Ilham Aliyev said.' in outcome.text


def test_cli_fix_twice_is_idempotent(tmp_path: Path, cli) -> None:
    target = tmp_path / "article.txt"
    shutil.copy(SEED, target)
    shutil.copy(SAMPLES / "tqcheck.toml", tmp_path)
    code, _, _ = cli("check", str(target), "--fix", "-q")
    assert code == 1  # display-only and unsafe findings remain
    once = target.read_bytes()
    assert once.decode("utf-8") == (EXPECTED / f"{SEED.stem}.fixed.txt").read_text(encoding="utf-8")
    cli("check", str(target), "--fix", "-q")
    assert target.read_bytes() == once
