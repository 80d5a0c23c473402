"""Fault injection: runaway patterns, processes killed mid-write, failing disks, racing edits."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, rule_pack

from tqcheck import runner
from tqcheck.api import fix_text

CATASTROPHIC_PACK = rule_pack(
    "pattern = '''(x+x+)+y'''",
    code="TQ990",
    name="catastrophic",
    kind="pattern",
    message="boom",
    applicability="display-only",
    pack_id="evil",
    examples='[[rules.examples]]\nbad = "⟦xxy⟧"\n\n[[rules.examples]]\ngood = "abc"\n',
)

FIXABLE = (
    "Title at high level\n\nIt is\u00a0done,\u00a0and\u00a0the talks ended.\n\n© Photo :Kremlin\n"
)


def tqcheck(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tqcheck", *args],
        capture_output=True,
        text=True,
        check=False,
        **kwargs,  # type: ignore[arg-type]
    )


def test_catastrophic_user_pattern_is_stopped_and_reported(tmp_path: Path) -> None:
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "evil.toml").write_text(CATASTROPHIC_PACK, encoding="utf-8")
    (tmp_path / "hostile.txt").write_text("x" * 20000 + "\n", encoding="utf-8")
    (tmp_path / "ok.txt").write_text("Within the framework of talks.\n", encoding="utf-8")
    started = time.monotonic()
    result = tqcheck(
        "check",
        str(tmp_path / "hostile.txt"),
        str(tmp_path / "ok.txt"),
        "--packs",
        str(packs),
        "--format",
        "concise",
    )
    elapsed = time.monotonic() - started
    assert elapsed < 20, f"run took {elapsed:.1f} s"
    assert result.returncode == 2
    assert "rule TQ990 (catastrophic) exceeded its 1 s time budget" in result.stderr
    assert "ok.txt:1:1: TQ101" in result.stdout  # the other file was still checked
    assert "nested unbounded repeats" in result.stderr  # warned at pack load
    # The second load reads the pack's analysis from the cache and still warns.
    again = tqcheck("check", str(tmp_path / "ok.txt"), "--packs", str(packs))
    assert "nested unbounded repeats" in again.stderr


def _make_articles(folder: Path, count: int) -> dict[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    originals = {}
    for index in range(count):
        text = f"Article {index}\n\n" + FIXABLE * 30
        (folder / f"a{index:03}.txt").write_text(text, encoding="utf-8")
        originals[f"a{index:03}.txt"] = text
    return originals


def test_sigkill_during_fix_never_leaves_partial_files(tmp_path: Path) -> None:
    """Kill --fix at random moments, many times: every file is the old or the new version."""
    rng = random.Random(7)
    originals = _make_articles(tmp_path / "template", 40)
    expected = {name: fix_text(text).text for name, text in originals.items()}
    # Calibrate how long a full run takes, then kill at random points inside that window.
    work = tmp_path / "calibrate"
    _make_articles(work, 40)
    started = time.monotonic()
    tqcheck("check", str(work), "--fix", "-q")
    duration = time.monotonic() - started
    kills, mixed_runs = 0, 0
    runs = int(os.environ.get("TQCHECK_SIGKILL_RUNS", "12"))  # more by hand
    for attempt in range(runs):
        work = tmp_path / f"run{attempt}"
        _make_articles(work, 40)
        process = subprocess.Popen(
            [sys.executable, "-m", "tqcheck", "check", str(work), "--fix", "-q"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.2, duration))
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            kills += 1
        process.wait()
        states = set()
        for name, text in originals.items():
            content = (work / name).read_text(encoding="utf-8")
            assert content in (text, expected[name]), f"{name} is partial after kill {attempt}"
            states.add(content == expected[name])
        mixed_runs += len(states) == 2
        # The next run finishes the job and leaves no temporary file behind.
        tqcheck("check", str(work), "--fix", "-q")
        leftovers = [p.name for p in work.iterdir() if p.name.startswith(".")]
        assert leftovers == []
        for name in originals:
            assert (work / name).read_text(encoding="utf-8") == expected[name]
    assert kills >= runs // 2, f"only {kills} of {runs} runs were killed mid-way"
    print(f"SIGKILL runs: {kills} killed, {mixed_runs} stopped between files")


def test_stale_temp_files_of_dead_writers_are_cleaned(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(FIXABLE, encoding="utf-8")
    dead = tmp_path / ".a.txt.999999.abcd.tqcheck-tmp"  # no such process
    dead.write_text("half-written", encoding="utf-8")
    alive = tmp_path / f".a.txt.{os.getpid()}.efgh.tqcheck-tmp"  # a writer still running
    alive.write_text("in progress", encoding="utf-8")
    result = tqcheck("check", str(article), "--fix", "-q")
    assert result.returncode in (0, 1)
    assert not dead.exists()
    assert alive.exists()


def test_full_disk_is_reported_per_file_and_others_fixed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli
) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(FIXABLE, encoding="utf-8")
    second.write_text(FIXABLE, encoding="utf-8")
    real_fsync = os.fsync
    calls = {"n": 0}

    def failing_fsync(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", failing_fsync)
    code, _out, err = cli("check", str(first), str(second), "--fix", "--format", "concise")
    assert code == 2
    assert "a.txt: error: cannot write fix: No space left on device" in err
    assert first.read_text(encoding="utf-8") == FIXABLE  # untouched
    assert second.read_text(encoding="utf-8") == fix_text(FIXABLE).text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]


def test_file_changed_between_read_and_write_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli
) -> None:
    article = tmp_path / "a.txt"
    article.write_text(FIXABLE, encoding="utf-8")
    real_read = runner.read_file

    def racing_read(path: Path) -> tuple[bytes, object]:
        result = real_read(path)
        path.write_text(FIXABLE + "A colleague's new paragraph.\n", encoding="utf-8")
        return result

    monkeypatch.setattr(runner, "read_file", racing_read)
    code, _out, err = cli("check", str(article), "--fix", "--format", "concise")
    assert code == 2
    assert "changed on disk since it was read" in err
    assert article.read_text(encoding="utf-8").endswith("A colleague's new paragraph.\n")


def test_read_only_file_is_reported_and_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli
) -> None:
    article = tmp_path / "a.txt"
    article.write_text(FIXABLE, encoding="utf-8")
    other = tmp_path / "b.txt"
    other.write_text(FIXABLE, encoding="utf-8")
    real_access = os.access
    monkeypatch.setattr(
        os,
        "access",
        lambda p, mode, **k: False if Path(p).name == "a.txt" else real_access(p, mode),
    )
    code, _out, err = cli("check", str(article), str(other), "--fix", "--format", "concise")
    assert code == 2
    assert "a.txt: error: file is read-only; fix not written" in err
    assert article.read_text(encoding="utf-8") == FIXABLE
    assert other.read_text(encoding="utf-8") != FIXABLE


def test_security_policy_exists() -> None:
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    for topic in ("network", "entry point", "Reporting"):
        assert topic.lower() in text.lower()


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("deep.html", "<div>" * 3000 + "<p>Talks at high level.</p>" + "</div>" * 3000),
        ("deep.md", "> " * 90 + "Talks at high level.\n"),
        ("mixed.txt", "WНO\u202e said\u200b at high level\r\nx\rIt is\u00a0done.\n" * 200),
    ],
)
def test_deeply_nested_and_mixed_input_is_checked(
    tmp_path: Path, cli, name: str, text: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    code, out, err = cli("check", str(path), "--format", "json", "--no-cache")
    assert code in (0, 1), err
    data = __import__("json").loads(out)
    for finding in data["findings"]:
        assert text[finding["offset"] : finding["end_offset"]] == finding["text"]


def test_comma_rule_knows_whether_a_quote_closes() -> None:
    from tqcheck.kinds.attribution import _closes_quotation

    text = 'He said "yes", he said.'
    assert _closes_quotation(text, text.index('",'))
    opening = 'word", he said'  # no quotation was opened before this mark
    assert not _closes_quotation(opening, 4)
    assert _closes_quotation("future”, he said", 6)
