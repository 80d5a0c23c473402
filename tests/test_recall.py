"""The recall benchmark's matching rule and corpus loading (issue 13)."""

from __future__ import annotations

import pytest
from conftest import make_finding as finding

from bench.mtnews import half_of, load_marks, mtnews_dir
from bench.recall import covers, judgement_key


def test_a_finding_finds_a_mark_it_overlaps() -> None:
    assert covers(finding(10, 20), 15, 25)
    assert covers(finding(0, 12), 10, 20)
    assert not covers(finding(0, 10), 10, 20)  # touching is not overlapping
    assert not covers(finding(20, 30), 10, 20)


def test_a_finding_much_longer_than_the_mark_finds_nothing() -> None:
    # A 4-character mark: at most max(3 x 4, 4 + 30) = 34 characters.
    assert covers(finding(0, 34), 10, 14)
    assert not covers(finding(0, 35), 10, 14)
    # A 20-character mark: at most max(60, 50) = 60 characters.
    assert covers(finding(0, 60), 10, 30)
    assert not covers(finding(0, 61), 10, 30)


def test_an_insertion_point_inside_the_mark_finds_it() -> None:
    assert covers(finding(12, 12), 10, 20)
    assert not covers(finding(25, 25), 10, 20)


def test_halves_are_by_file_name() -> None:
    assert half_of("dA-mt-01-x.txt") == "dev"
    assert half_of("dB-pro-02-y.txt") == "held"


def test_judgement_key_names_the_finding() -> None:
    assert judgement_key("a.txt", finding(3, 5)) == ("a.txt", "TQ1", 3, "xx")


@pytest.mark.skipif(mtnews_dir() is None, reason="mt-news-dev not available")
def test_every_mark_is_located_in_its_article() -> None:
    root = mtnews_dir()
    assert root is not None
    marks = load_marks()
    assert len(marks) == 555
    texts: dict[str, str] = {}
    for mark in marks:
        if mark.file not in texts:
            texts[mark.file] = (root / "articles" / mark.file).read_text(encoding="utf-8")
        assert texts[mark.file][mark.start : mark.end] == mark.quote


def test_fix_sample_is_fully_judged_and_right() -> None:
    """Issue 13: safe fixes judged right on the sample (at least 59 in 60; here every one)."""
    from bench.recall import read_fix_sample

    rows = read_fix_sample()
    assert len(rows) >= 50
    assert {r["verdict"] for r in rows} <= {"right", "wrong"}
    wrong = [r for r in rows if r["verdict"] == "wrong"]
    assert len(wrong) <= len(rows) // 60, wrong
    assert all(r["note"] for r in wrong)


@pytest.mark.skipif(mtnews_dir() is None, reason="mt-news-dev not available")
def test_fix_sample_is_the_seeded_draw_of_todays_safe_fixes() -> None:
    """`python -m bench.recall --fix-sample 60` draws exactly the judged fixes."""
    from bench.recall import applied_fixes, fix_sample_indices, read_fix_sample
    from tqcheck.api import engine_for

    rows = applied_fixes(engine_for())
    picked = fix_sample_indices(rows, 60)
    drawn = [(rows[i][0], rows[i][1].rule, str(rows[i][1].offset)) for i in picked]
    judged = [(r["file"], r["rule"], r["offset"]) for r in read_fix_sample()]
    assert drawn == judged


@pytest.mark.skipif(mtnews_dir() is None, reason="mt-news-dev not available")
def test_every_finding_off_a_mark_was_judged() -> None:
    """The share "on a mark or judged real" counts every finding (none left unjudged)."""
    from bench.recall import measure
    from tqcheck.api import engine_for

    results = measure(engine_for(), native=False)
    assert [(name, f.rule, f.offset) for name, f in results.extras] == []
    for half in results.halves.values():
        assert half.real_share >= 0.9
