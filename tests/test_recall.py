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
