"""Phrase frames: slots expanded into plain phrases at load time, agreeing suggestions, guards."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import rule_pack

from tqcheck import engine as engine_module
from tqcheck.engine import Engine
from tqcheck.findings import Finding
from tqcheck.kinds.base import ParamError, Params
from tqcheck.kinds.phrase import PhraseKind
from tqcheck.kinds.verbs import verb_forms
from tqcheck.loaders import load_string
from tqcheck.packs import PackError, load_pack


def kind(*phrases: object) -> PhraseKind:
    """Build a phrase kind from raw entries."""
    return PhraseKind(Params({"phrases": list(phrases)}))


def findings(tmp_path: Path, phrases: str, text: str, bulk: bool = False) -> list[Finding]:
    """Check text with one frame rule written as a pack."""
    path = tmp_path / "pack.toml"
    pack = rule_pack(f"phrases = {phrases}", name="test-frame", message="m {suggestion}")
    path.write_text(pack, encoding="utf-8")
    rule = load_pack(path).rules[0]
    old = engine_module.BULK_CHARS
    engine_module.BULK_CHARS = 0 if bulk else 10**12
    try:
        return Engine([rule]).check(load_string("t.txt", text))
    finally:
        engine_module.BULK_CHARS = old


@pytest.mark.parametrize(
    ("lemma", "forms"),
    [
        ("hold", ("hold", "holds", "held", "held", "holding")),
        ("sum", ("sum", "sums", "summed", "summed", "summing")),
        ("visit", ("visit", "visits", "visited", "visited", "visiting")),
        ("agree", ("agree", "agrees", "agreed", "agreed", "agreeing")),
        ("carry", ("carry", "carries", "carried", "carried", "carrying")),
        ("take", ("take", "takes", "took", "taken", "taking")),
        ("refer", ("refer", "refers", "referred", "referred", "referring")),
        ("focus", ("focus", "focuses", "focused", "focused", "focusing")),
    ],
)
def test_verb_forms(lemma: str, forms: tuple[str, ...]) -> None:
    assert tuple(verb_forms(lemma).values()) == forms


def test_frame_expands_be_adverbs_and_contractions() -> None:
    keys = {p.key for p in kind("{be} {adv} aimed at").phrases}
    assert {"is aimed at", "were aimed at", "is also aimed at", "are not aimed at"} <= keys
    assert {"'re aimed at", "’s now aimed at", "been aimed at"} <= keys
    assert "aimed at" not in keys  # {be} is not optional


def test_verb_slot_and_choices() -> None:
    keys = {p.key for p in kind("{hold:verb} {talks|a meeting|}").phrases}
    assert keys == {
        f"{verb} {tail}".strip()
        for verb in ("hold", "holds", "held", "holding")
        for tail in ("talks", "a meeting", "")
    }


def test_suggestions_repeat_slots_and_agree_with_the_verb() -> None:
    phrases = {
        p.key: p.suggest
        for p in kind(
            {
                "match": "{be} {adv} aimed at",
                "suggest": ["{be} {adv} focused on", "{adv} {aim:verb} to"],
            }
        ).phrases
    }
    assert phrases["is also aimed at"] == ("is also focused on", "also aims to")
    assert phrases["were aimed at"] == ("were focused on", "aimed to")
    assert phrases["being aimed at"] == ("being focused on", "aiming to")
    # A contraction attaches to the word before the match; other replacements keep a space.
    assert phrases["'re aimed at"] == ("'re focused on", " aim to")
    numbered = {
        p.key: p.suggest
        for p in kind(
            {
                "match": "{sum:verb} up the {results|totals}",
                "suggest": "{take:verb} stock of the {2}",
            }
        ).phrases
    }
    assert numbered["summed up the totals"] == ("took stock of the totals",)


def test_contraction_matches_after_its_word(tmp_path: Path) -> None:
    rule = '[{ match = "{be} aimed at", suggest = ["{aim:verb} to"], only_after = "\\\\bwe" }]'
    found = findings(tmp_path, rule, "We're aimed at growth. The plan is aimed at growth.")
    assert [(f.text, f.suggestions) for f in found] == [("'re aimed at", (" aim to",))]


def test_guard_slots_and_first_accepting_entry_wins(tmp_path: Path) -> None:
    rule = """[
  { match = "in the framework of", suggest = ["during"], only_before = '\\s+the\\s+visit' },
  { match = "in the framework of", suggest = ["under"], only_before = '{adv}\\s+{ing}' },
  { match = "in the framework of", suggest = ["as part of"] },
]"""
    text = (
        "It was signed in the framework of the visit. "
        "They met in the framework of also joining. "
        "It grew in the framework of the plan."
    )
    for bulk in (False, True):
        found = findings(tmp_path, rule, text, bulk=bulk)
        assert [f.suggestions[0] for f in found] == ["during", "under", "as part of"]


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        (["{bee} aimed at"], "unknown frame slot {bee}"),
        (["{be} {be} {adv} {adv} aimed"], "expands to"),
        ([{"match": "aimed at", "suggest": "{be} focused"}], "which the match lacks"),
        ([{"match": "{tired|weary} of", "suggest": "{aim:verb} to"}], "needs a verb slot"),
        (["aimed at", "aimed at"], "duplicate phrase 'aimed at'"),
        (["{be} aimed at", "is aimed at"], "duplicate phrase 'is aimed at'"),
    ],
)
def test_frame_errors(entries: list[object], message: str) -> None:
    with pytest.raises(ParamError, match=message.replace("{", r"\{").replace("}", r"\}")):
        kind(*entries)


def test_a_guarded_entry_may_come_before_the_same_phrase() -> None:
    phrases = kind({"match": "aimed at", "only_before": r"\s+us"}, "aimed at").phrases
    assert [p.guarded for p in phrases] == [True, False]


def test_pack_error_names_the_key(tmp_path: Path) -> None:
    path = tmp_path / "pack.toml"
    path.write_text(rule_pack('phrases = ["{nope} x"]', name="test-frame"), encoding="utf-8")
    with pytest.raises(PackError, match=r"params\.phrases\[0\]\.match"):
        load_pack(path)
