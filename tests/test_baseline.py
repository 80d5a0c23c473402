"""Baselines: content-keyed, stable under unrelated edits, counting baselined and stale."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from ci_helpers import pin_severities
from conftest import SEED

from tqcheck.baseline import FindingKey, context_of, read_baseline, render_baseline

TEXT = SEED.read_text(encoding="utf-8")
UNRELATED = "Safety is also an important issue."
NEW_ARTIFACT = "Among the topics on the agenda is the transport system."


@pytest.fixture
def article(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    pin_severities(tmp_path)
    (tmp_path / "news").mkdir()
    shutil.copy(SEED, tmp_path / "news" / "seed.txt")
    return tmp_path / "news" / "seed.txt"


def summary(cli, *args: str) -> tuple[int, dict]:
    code, out, _ = cli("check", "news", "--format", "json", *args)
    return code, json.loads(out)


def seed_count(cli) -> int:
    """Return how many findings the seed article has today (the packs keep evolving)."""
    count = summary(cli)[1]["summary"]["findings"]
    assert count > 10
    return count


def test_update_then_check_reports_nothing_new(cli, article: Path) -> None:
    total = seed_count(cli)
    code, data = summary(cli, "--baseline", "base.json", "--update-baseline")
    assert code == 0 and data["findings"] == []
    recorded = data["summary"]["baseline"]
    assert recorded == {"file": "base.json", "baselined": total, "stale": 0, "updated": True}
    entries = json.loads(Path("base.json").read_text(encoding="utf-8"))["entries"]
    assert len(entries) == total
    assert {e["path"] for e in entries} == {"news/seed.txt"}
    assert entries == sorted(entries, key=lambda e: tuple(e.values()))
    patronymic = [e for e in entries if e["rule"] == "TQ201"]
    assert [e["context"] for e in patronymic] == [
        "memory of Heydar ⟦Aliyevich⟧ that we see",
        "you noted, Heydar ⟦Aliyevich⟧ Aliyev actively participated",
    ]
    code, data = summary(cli, "--baseline", "base.json")
    assert code == 0 and data["findings"] == []
    assert data["summary"]["baseline"]["baselined"] == total


def test_unrelated_edit_keeps_findings_baselined_and_new_artifact_is_one(
    cli, article: Path
) -> None:
    total = seed_count(cli)
    cli("check", "news", "--baseline", "base.json", "--update-baseline")
    # Edit an unrelated paragraph (and shift every line below the top by two).
    edited = TEXT.replace(UNRELATED, "Safety, Aliyev stressed, is also a key issue for the region.")
    article.write_text("A new first paragraph.\n\n" + edited, encoding="utf-8")
    code, data = summary(cli, "--baseline", "base.json")
    assert (code, data["findings"]) == (0, [])
    assert data["summary"]["baseline"]["stale"] == 0
    # One new artifact, in an old paragraph: exactly one new finding.
    article.write_text(
        edited.replace(NEW_ARTIFACT, NEW_ARTIFACT[:-1] + " within the framework of the talks."),
        encoding="utf-8",
    )
    code, data = summary(cli, "--baseline", "base.json")
    assert code == 1
    assert [(f["rule"], f["text"]) for f in data["findings"]] == [
        ("TQ101", "within the framework of")
    ]
    assert data["summary"]["baseline"]["baselined"] == total
    code, out, _ = cli("check", "news", "--baseline", "base.json", "--no-color")
    assert "Found 1 finding" in out
    assert f"Baseline base.json: {total} known findings hidden, 0 stale entries." in out


def test_fixed_artifacts_make_stale_entries(cli, article: Path) -> None:
    total = seed_count(cli)
    cli("check", "news", "--baseline", "base.json", "--update-baseline")
    article.write_text(
        TEXT.replace("Heydar Aliyevich that", "Heydar Aliyev that"), encoding="utf-8"
    )
    code, data = summary(cli, "--baseline", "base.json")
    assert code == 0
    assert data["summary"]["baseline"] == {
        "file": "base.json",
        "baselined": total - 1,
        "stale": 1,
        "updated": False,
    }
    _, out, _ = cli("check", "news", "--baseline", "base.json", "--no-color")
    assert "1 stale entry. Run with --update-baseline to drop it." in out
    _, out, _ = cli("check", "news", "--baseline", "base.json", "--update-baseline", "--no-color")
    assert (
        f"Updated baseline base.json: {total - 1} known findings recorded, 1 stale entry dropped."
        in out
    )
    assert len(read_baseline(Path("base.json"))) == total - 1


def test_identical_findings_are_counted_by_occurrence(cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    pin_severities(tmp_path)
    (tmp_path / "news").mkdir()
    line = "They met against the backdrop of talks."
    article = tmp_path / "news" / "a.txt"
    article.write_text(f"{line}\n\n{line}\n", encoding="utf-8")
    cli("check", "news", "--baseline", "base.json", "--update-baseline")
    assert [k.occurrence for k in read_baseline(Path("base.json"))] == [0, 1]
    article.write_text(f"{line}\n\n{line}\n\n{line}\n", encoding="utf-8")
    code, data = summary(cli, "--baseline", "base.json")
    assert code == 1 and len(data["findings"]) == 1


def test_entries_of_unchecked_files_are_kept_and_not_stale(cli, article: Path) -> None:
    other = article.parent / "other.txt"
    other.write_text("They met against the backdrop of talks.\n", encoding="utf-8")
    cli("check", "news", "--baseline", "base.json", "--update-baseline")
    other.write_text("They met amid talks.\n", encoding="utf-8")
    code, out, _ = cli("check", str(article), "--baseline", "base.json", "--format", "json")
    assert code == 0 and json.loads(out)["summary"]["baseline"]["stale"] == 0
    cli("check", str(article), "--baseline", "base.json", "--update-baseline")
    assert "news/other.txt" in {k.path for k in read_baseline(Path("base.json"))}


def test_baseline_paths_are_relative_to_the_baseline_file(cli, article: Path) -> None:
    total = seed_count(cli)
    Path("ci").mkdir()
    cli("check", "news", "--baseline", "ci/base.json", "--update-baseline")
    assert {k.path for k in read_baseline(Path("ci/base.json"))} == {"../news/seed.txt"}
    code, data = summary(cli, "--baseline", "ci/base.json")
    assert code == 0 and data["summary"]["baseline"]["baselined"] == total


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file (create it with --update-baseline)"),
        ("{not json", "not a tqcheck baseline"),
        ('{"tool": "other", "version": 1, "entries": []}', "not a tqcheck baseline"),
        ('{"tool": "tqcheck", "version": 1, "entries": [{"path": 1}]}', "entries[0]"),
    ],
)
def test_bad_baseline_files_are_usage_errors(
    cli, article: Path, content: str | None, message: str
) -> None:
    if content is not None:
        Path("base.json").write_text(content, encoding="utf-8")
    code, _, err = cli("check", "news", "--baseline", "base.json")
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1


def test_update_baseline_needs_a_file(cli, article: Path) -> None:
    code, _, err = cli("check", "news", "--update-baseline")
    assert code == 2 and "--update-baseline needs --baseline FILE" in err


def test_baseline_file_is_stable() -> None:
    keys = [
        FindingKey("b.txt", "TQ2", "x", "a ⟦x⟧ b", 0),
        FindingKey("a.txt", "TQ1", "y", "⟦y⟧", 1),
        FindingKey("a.txt", "TQ1", "y", "⟦y⟧", 0),
    ]
    text = render_baseline(keys)
    assert text == render_baseline(reversed(keys))
    assert [e["occurrence"] for e in json.loads(text)["entries"]] == [0, 1, 0]


@pytest.mark.parametrize(
    ("text", "span", "expected"),
    [
        (
            "one two three four FLAG five six seven eight",
            (19, 23),
            "two three four ⟦FLAG⟧ five six seven",
        ),
        ("first para.\n\nFLAG then\nmore  words here", (13, 17), "⟦FLAG⟧ then more words"),
        ('Welcome!",\n\nPutin said.', (8, 10), 'Welcome!⟦",⟧'),
        ("a\u00a0b", (1, 2), "a⟦\u00a0⟧b"),
    ],
)
def test_context_is_normalised_and_stays_in_its_paragraph(
    text: str, span: tuple[int, int], expected: str
) -> None:
    assert context_of(text, *span) == expected
