"""The translationese pack: its mined figures, the ngram kind, and the mining script."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import translationese
from bench.mtnews import half_of, load_marks, mtnews_dir, native_path
from tqcheck.api import check_text
from tqcheck.kinds.base import ParamError, Params
from tqcheck.kinds.ngram import NgramKind
from tqcheck.packs import load_pack

PACK = Path(__file__).resolve().parent.parent / "rules" / "translationese.toml"
CODES = ("TQ196", "TQ197")
needs_corpus = pytest.mark.skipif(
    mtnews_dir() is None or native_path() is None, reason="mt-news-dev or native-en not available"
)


def pack_ngrams() -> dict[str, tuple[str, int, int]]:
    """Return the pack's n-grams: match -> (rule code, mt count, native count)."""
    out = {}
    for rule in load_pack(PACK).rules:
        assert isinstance(rule.kind, NgramKind)
        for match, ngram in rule.kind.ngrams.items():
            out[match] = (rule.code, ngram.mt, ngram.native)
    return out


def kind(**params: object) -> NgramKind:
    """Build an ngram kind from parameters (corpus sizes default to 1,000 and 10,000 words)."""
    raw: dict[str, object] = {"mt_words": 1000, "native_words": 10000, **params}
    return NgramKind(Params(raw))


def test_pack_agrees_with_review() -> None:
    review = translationese.read_review()
    kept = {g: row for g, row in review.items() if row["verdict"] in ("keep", "keep-strong")}
    ngrams = pack_ngrams()
    assert set(ngrams) == set(kept)
    for gram, (code, mt, native) in ngrams.items():
        row = kept[gram]
        assert (mt, native) == (int(row["mt_count"]), int(row["native_count"])), gram
        assert code == ("TQ196" if row["verdict"] == "keep-strong" else "TQ197"), gram


def test_every_candidate_is_reviewed() -> None:
    rows = translationese.read_review().values()
    assert rows
    for row in rows:
        assert row["verdict"] in ("keep", "keep-strong", "drop"), row["ngram"]
        assert row["reason"].strip(), row["ngram"]


@needs_corpus  # the n-gram's usual spelling is read from the corpus
def test_no_kept_ngram_is_flagged_by_another_rule() -> None:
    for gram in pack_ngrams():
        assert translationese.covered_by(gram) == (), gram


@needs_corpus
def test_corpus_sizes_and_counts_are_current() -> None:
    mt_words, native_words = translationese.corpus_sizes()
    for rule in load_pack(PACK).rules:
        assert isinstance(rule.kind, NgramKind)
        assert (rule.kind.mt_words, rule.kind.native_words) == (mt_words, native_words)
    corpus = translationese.build_corpus()
    for gram, (_, mt, native) in pack_ngrams().items():
        assert (corpus.mt[gram], corpus.native[gram]) == (mt, native), gram


@needs_corpus
def test_training_copy_leaves_the_held_marked_files_unseen() -> None:
    held_marked = {m.file for m in load_marks() if half_of(m.file) == "held"}
    names = {a.name for a in translationese.training_articles()}
    assert held_marked and not names & held_marked
    assert all(name.split("-")[1] == "mt" for name in names)


@needs_corpus
def test_mining_is_deterministic() -> None:
    first = translationese.mine(check_rules=False)
    assert first == translationese.mine(check_rules=False)
    assert [c.z for c in first] == sorted((c.z for c in first), reverse=True)


def test_runs_do_not_cross_punctuation_numbers_or_lines() -> None:
    runs = list(translationese.runs("The sides’ talks, in 2020 went well\nAccording to him"))
    assert runs == [
        ["the", "sides"],
        ["talks"],
        ["in"],
        ["went", "well"],
        ["according", "to", "him"],
    ]


def test_message_quotes_the_measured_contrast() -> None:
    (finding,) = check_text("It is planned to build a school.", select=["TQ196"])
    assert "occurs 7 times in" in finding.message and "never in" in finding.message
    (finding,) = check_text("Fees are set in accordance with the law.", select=["TQ197"])
    assert "× more frequent in machine-translated news" in finding.message
    assert finding.suggestions == ("under", "in line with")


def test_figure_and_advice() -> None:
    rule = kind(ngrams=[{"match": "the sides", "mt": 4, "native": 1, "suggest": ["both"]}])
    ngram = rule.ngrams["the sides"]
    assert rule.evidence(ngram).startswith("is 40× more frequent")
    hint = kind(ngrams=[{"match": "issues of", "mt": 3, "native": 0, "hint": "name it"}])
    assert hint.evidence(hint.ngrams["issues of"]).startswith("occurs 3 times")


def test_longest_ngram_wins_and_case_is_kept() -> None:
    rule = kind(
        ngrams=[
            {"match": "the sides", "mt": 4, "native": 1, "suggest": ["both countries"]},
            {"match": "the sides agreed", "mt": 3, "native": 0, "suggest": ["both agreed"]},
        ]
    )
    text = "The Sides agreed. Then the sides met."
    hits = [(text[m.start() : m.end()], m.start()) for m in rule.pattern.finditer(text)]
    assert hits == [("The Sides agreed", 0), ("the sides", 23)]
    (finding,) = check_text("Despite The Fact That it rained, we went.", select=["TQ197"])
    assert finding.text == "Despite The Fact That" and finding.suggestions[0] == "Although"


def test_guards() -> None:
    # "issues of" + an -ing word is left to TQ893 (issues-of-doing).
    assert check_text("They discussed issues of enhancing trade.", select=["TQ197"]) == []
    assert len(check_text("They discussed issues of trade.", select=["TQ197"])) == 1


def test_ngram_not_across_a_line_break() -> None:
    assert check_text("They covered many issues\nof trade.", select=["TQ197"]) == []
    assert len(check_text("They covered many issues of trade.", select=["TQ197"])) == 1


@pytest.mark.parametrize(
    ("params", "key"),
    [
        ({"ngrams": [{"match": "Issues of", "mt": 3, "native": 0}]}, "ngrams[0].match"),
        ({"ngrams": [{"match": "issues of", "native": 0}]}, "ngrams[0].mt"),
        ({"ngrams": [{"match": "issues of", "mt": 3, "native": 0, "x": 1}]}, "ngrams[0].x"),
        ({"ngrams": []}, "ngrams"),
        (
            {"ngrams": [{"match": "a b", "mt": 3, "native": 0, "only_after": "("}]},
            "ngrams[0].only_after",
        ),
    ],
)
def test_param_errors(params: dict[str, object], key: str) -> None:
    with pytest.raises(ParamError) as info:
        kind(**params)
    assert info.value.key == key
