"""The runner: parallel jobs, chunked line files, the result cache, streamed JSON Lines."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import SEED

from tqcheck import runner
from tqcheck.api import Options, check_paths
from tqcheck.engine import Engine

LINES = [
    "Within the framework of the visit, the sides signed three agreements.",
    "Prices rose against the background of a weaker rouble ,and demand fell.",
    "The WНO said that 5 % of patients were in Kiev.",
    "An ordinary sentence about the weather.",
    "Ilham Aliyev met Heydar Aliyevich Aliyev's son.",
]


def corpus(path: Path, repeat: int) -> Path:
    path.write_text("\n".join(LINES * repeat) + "\n", encoding="utf-8")
    return path


def count_engine_runs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record each Engine.run call (a cache hit makes none)."""
    calls: list[str] = []
    real_run = Engine.run

    def counting_run(self: Engine, document: object) -> object:
        calls.append("run")
        return real_run(self, document)  # type: ignore[arg-type]

    monkeypatch.setattr(Engine, "run", counting_run)
    return calls


def articles(folder: Path, texts: list[str]) -> Path:
    """Write one article file per text (a00.txt, a01.txt, ...) into a new folder."""
    folder.mkdir()
    for i, text in enumerate(texts):
        (folder / f"a{i:02}.txt").write_text(text, encoding="utf-8")
    return folder


def findings(report: object) -> list[dict[str, object]]:
    return [f.to_dict() for f in report.findings]  # type: ignore[attr-defined]


def test_chunked_line_file_equals_whole_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = corpus(tmp_path / "corpus.en", 400)
    whole = check_paths([str(big)], Options(no_cache=True, jobs=1))
    monkeypatch.setattr(runner, "CHUNK_BYTES", 2000)  # many chunks, cut at line ends
    chunked = check_paths([str(big)], Options(no_cache=True, jobs=1))
    assert findings(chunked) == findings(whole)
    assert len(findings(whole)) > 400
    assert chunked.results[0].words == whole.results[0].words


def test_parallel_run_is_identical_to_serial(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = SEED.read_text(encoding="utf-8")
    folder = articles(
        tmp_path / "articles", [text if i % 3 else "A clean article.\n" for i in range(24)]
    )
    corpus(folder / "big.en", 300)
    monkeypatch.setattr(runner, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(runner, "CHUNK_BYTES", 3000)
    serial = check_paths([str(folder)], Options(no_cache=True, jobs=1))
    parallel = check_paths([str(folder)], Options(no_cache=True, jobs=2))
    assert [r.path for r in parallel.results] == [r.path for r in serial.results]
    assert findings(parallel) == findings(serial)
    assert parallel.summary() == serial.summary()


def test_parallel_warm_run_answers_hits_without_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    text = SEED.read_text(encoding="utf-8")
    folder = articles(
        tmp_path / "articles", [text if i % 2 else "A clean article.\n" for i in range(12)]
    )
    corpus(folder / "big.en", 300)
    monkeypatch.setattr(runner, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(runner, "CHUNK_BYTES", 3000)
    cold = check_paths(["articles"], Options(no_cache=True, jobs=1))
    check_paths(["articles"], Options(jobs=2))  # fills the cache
    (folder / "a03.txt").write_text(text + "\nMore at high level.\n", "utf-8")
    hits: list[str] = []
    real = runner.Runner.cached

    def recording(
        self: runner.Runner, job: runner.Job, misses: dict[int, str] | None = None
    ) -> runner.Outcome | None:
        outcome = real(self, job, misses)
        if outcome is not None:
            hits.append(job.shown)
        return outcome

    monkeypatch.setattr(runner.Runner, "cached", recording)
    warm = check_paths(["articles"], Options(jobs=2))
    # Every unchanged file (and every chunk of the line file) was answered in this process;
    # only the edited article went to a worker.
    path = "articles/a03.txt"
    assert set(hits) == {r.path for r in warm.results} - {path}
    assert hits.count("articles/big.en") > 1  # every chunk
    assert [r.path for r in warm.results] == [r.path for r in cold.results]
    assert len([f for f in findings(warm) if f["path"] == path]) == (
        len([f for f in findings(cold) if f["path"] == path]) + 1
    )
    others = [f for f in findings(warm) if f["path"] != path]
    assert others == [f for f in findings(cold) if f["path"] != path]


def test_result_cache_reuses_unchanged_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    article = tmp_path / "a.txt"
    article.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    cold = check_paths([str(article)], Options(jobs=1))
    assert (tmp_path / ".tqcheck_cache").is_dir()
    calls = count_engine_runs(monkeypatch)
    warm = check_paths([str(article)], Options(jobs=1))
    assert calls == []  # answered from the cache
    assert findings(warm) == findings(cold)
    assert warm.results[0].text == cold.results[0].text
    # A different selection is a different key; an edited file is a different key.
    check_paths([str(article)], Options(jobs=1, ignore=("TQ312",)))
    assert calls == ["run"]
    article.write_text(
        article.read_text(encoding="utf-8") + "\nMore at high level.\n", encoding="utf-8"
    )
    edited = check_paths([str(article)], Options(jobs=1))
    assert calls == ["run", "run"]
    assert len(edited.findings) == len(cold.findings) + 1
    check_paths([str(article)], Options(jobs=1, no_cache=True))
    assert calls == ["run", "run", "run"]


def test_warm_run_reads_the_bundle_of_the_last_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    text = SEED.read_text(encoding="utf-8")
    articles(tmp_path / "articles", [f"Article {i}.\n\n{text}" for i in range(6)])
    cold = check_paths(["articles"], Options(jobs=1))
    store = tmp_path / ".tqcheck_cache" / "v1"
    bundle = store / "last-run.json"
    assert len(json.loads(bundle.read_text(encoding="utf-8"))) == 6
    for entry in store.glob("*/*.json"):
        entry.unlink()  # only the bundle is left
    calls = count_engine_runs(monkeypatch)
    warm = check_paths(["articles"], Options(jobs=1))
    assert calls == [] and findings(warm) == findings(cold)
    bundle.write_text("{not json", encoding="utf-8")  # a damaged bundle is only a miss
    again = check_paths(["articles"], Options(jobs=1))
    assert len(calls) == 6 and findings(again) == findings(cold)
    assert len(json.loads(bundle.read_text(encoding="utf-8"))) == 6  # rewritten


def test_damaged_cache_entries_are_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    article = tmp_path / "a.txt"
    article.write_text("It is\u00a0done.\n", encoding="utf-8")
    first = check_paths([str(article)], Options(jobs=1))
    for entry in (tmp_path / ".tqcheck_cache").rglob("*.json"):
        entry.write_text("{not json", encoding="utf-8")
    again = check_paths([str(article)], Options(jobs=1))
    assert findings(again) == findings(first)


def test_clean_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("It is\u00a0done.\n", encoding="utf-8")
    cli("check", "a.txt")
    assert (tmp_path / ".tqcheck_cache").is_dir()
    code, out, _ = cli("clean")
    assert code == 0 and "Removed .tqcheck_cache/" in out
    assert not (tmp_path / ".tqcheck_cache").exists()


def test_jsonl_streams_the_same_lines(tmp_path: Path, cli) -> None:
    big = corpus(tmp_path / "corpus.en", 50)
    out_file = tmp_path / "out.jsonl"
    code, _, _ = cli("check", str(big), "--format", "jsonl", "-o", str(out_file), "--no-cache")
    assert code == 1
    streamed = [json.loads(line) for line in out_file.read_text(encoding="utf-8").splitlines()]
    code, out, _ = cli("check", str(big), "--format", "json", "--no-cache")
    assert streamed == json.loads(out)["findings"]


def test_jobs_option_is_validated(cli, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x\n", encoding="utf-8")
    code, _, err = cli("check", str(tmp_path / "a.txt"), "--jobs", "0")
    assert code == 2 and "--jobs 0" in err


def test_long_paragraph_is_checked_in_windows() -> None:
    from tqcheck.api import check_text

    sentence = "The sides worked within the framework of the deal. "
    text = sentence * 2000  # one 100,000-character paragraph
    found = [f for f in check_text(text) if f.rule == "TQ101"]
    assert len(found) == 2000
    assert all(text[f.offset : f.end_offset] == "within the framework of" for f in found)


def test_huge_single_line_text_is_chunked_with_exact_positions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sentence = "The sides worked within the framework of the deal at high level. "
    text = "Title line\n" + sentence * 300 + "\n"
    path = tmp_path / "huge.txt"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(runner, "BIG_TEXT_BYTES", 1000)
    monkeypatch.setattr(runner, "CHUNK_BYTES", 700)
    report = check_paths([str(path)], Options(no_cache=True, jobs=1))
    found = [f for f in report.findings if f.rule == "TQ101"]
    assert len(found) == 300
    lines = text.splitlines()
    for finding in report.findings:
        assert text[finding.offset : finding.end_offset] == finding.text
        line = lines[finding.line - 1]
        assert line[finding.column - 1 : finding.column - 1 + len(finding.text)] == finding.text


def test_cache_folder_is_ignored_by_git_and_tagged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli
) -> None:
    """The cache never shows up in `git status` of an article repository (like ruff's)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TQCHECK_CACHE_DIR", raising=False)
    (tmp_path / "a.txt").write_text("It is\u00a0done.\n", encoding="utf-8")
    cli("check", "a.txt")
    folder = tmp_path / ".tqcheck_cache"
    assert (folder / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    assert (
        (folder / "CACHEDIR.TAG")
        .read_text(encoding="utf-8")
        .startswith("Signature: 8a477f597d28d172789f06886806bc55")
    )
    if shutil.which("git") is not None:
        subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=all"],
            cwd=tmp_path,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        assert status.split() == ["??", "a.txt"]


@pytest.mark.parametrize("how", ["option", "env"])
def test_cache_dir_moves_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli, how: str
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TQCHECK_CACHE_DIR", raising=False)
    (tmp_path / "a.txt").write_text("It is\u00a0done.\n", encoding="utf-8")
    elsewhere = tmp_path / "build" / "cache"
    if how == "env":
        monkeypatch.setenv("TQCHECK_CACHE_DIR", str(elsewhere))
        args: tuple[str, ...] = ()
    else:
        args = ("--cache-dir", str(elsewhere))
    cli("check", "a.txt", *args)
    assert not (tmp_path / ".tqcheck_cache").exists()
    assert list((elsewhere / "v1").rglob("*.json")) and (elsewhere / ".gitignore").is_file()
    code, out, _ = cli("clean", *args)
    assert code == 0 and "Removed build/cache/" in out
    assert not elsewhere.exists()
