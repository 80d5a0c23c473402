"""The titles kind: bare "Title of Body Name" frames, their fix and the body-first rewrite."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from tqcheck.kinds.base import ParamError, Params
from tqcheck.kinds.titles import TitlesKind

PACK = Path(__file__).resolve().parents[1] / "rules" / "ru-en-titles.toml"


def pack_params() -> dict[str, Any]:
    """Return the parameters of TQ230 as the pack gives them."""
    rules = tomllib.loads(PACK.read_text(encoding="utf-8"))["rules"]
    params: dict[str, Any] = next(r for r in rules if r["code"] == "TQ230")["params"]
    return params


@pytest.fixture(scope="module")
def kind() -> TitlesKind:
    """Build the kind from the pack's parameters."""
    return TitlesKind(Params(pack_params()))


@pytest.mark.parametrize(
    ("text", "flagged", "rewrite"),
    [
        (
            "Prices will rise, Minister of Economy Ivan Petrov told reporters.",
            ", Minister",
            "Economy Minister Ivan Petrov",
        ),
        (
            "President of Kazakhstan Ivan Petrov opened the forum.",
            "President",
            "Kazakh President Ivan Petrov",
        ),
        (
            "The ban was lifted, Secretary of the Security Council of the Kyrgyz Republic"
            " Ivan Petrov said.",
            ", Secretary",
            "Kyrgyz Security Council Secretary Ivan Petrov",
        ),
        (
            "The forum was opened by Minister of Science and Higher Education of Kazakhstan"
            " Anna Smirnova.",
            "by Minister",
            "Kazakh Minister of Science and Higher Education Anna Smirnova",
        ),
        (
            "Ex-Minister of Finance of Russia Oleg Ivanov commented on the news.",
            "Ex-Minister",
            "Former Russian Finance Minister Oleg Ivanov",
        ),
        (
            "Ambassador Extraordinary and Plenipotentiary of Kyrgyzstan to Russia Anna Smirnova"
            " met the minister.",
            "Ambassador Extraordinary and Plenipotentiary",
            "Kyrgyz Ambassador to Russia Anna Smirnova",
        ),
        (
            "Minister of Foreign Affairs of the Russian Federation Ivan Petrov said so.",
            "Minister",
            "Russian Foreign Minister Ivan Petrov",
        ),
        (
            "First Deputy Prime Minister of Russia Ivan Petrov visited the plant.",
            "First Deputy Prime Minister",
            "Russian First Deputy Prime Minister Ivan Petrov",
        ),
        (
            "Head of the Ministry of Health of Kyrgyzstan Anna Smirnova said so.",
            "Head",
            "Kyrgyz Head of the Ministry of Health Anna Smirnova",
        ),
        (
            "The keys were handed over by Head of the district Marat Suleimenov.",
            "by Head",
            "the Head of the district, Marat Suleimenov,",
        ),
        (
            "Gas prices were discussed at a meeting with President of Freedonia.",
            "with President",
            "the President of Freedonia …",
        ),
    ],
)
def test_bare_frames_are_flagged_with_a_rewrite(
    kind: TitlesKind, text: str, flagged: str, rewrite: str
) -> None:
    frames = list(kind.frames(text))
    assert len(frames) == 1
    found = frames[0]
    assert text[found.start : found.end] == flagged
    assert kind.rewrite(found, capital=not found.before) == rewrite


@pytest.mark.parametrize(
    "text",
    [
        "The Minister of Economy of Ruritania, Ivan Petrov, told reporters.",
        "Economy Minister Ivan Petrov told reporters.",
        "Secretary of State Mary Jones arrived in Berlin.",
        "He was elected President of the Republic in 2019.",
        "He served as Minister of Finance before that.",
        "Ivan Petrov, Minister of Transport, told reporters.",
        "The meeting was chaired by the former Minister of Finance of Ruritania Ivan Petrov.",
        "The Georgian Minister of Economy Natia Turnava said so.",
        "President of Russia Vladimir Putin: Good afternoon.",
        "He met the Extraordinary and Plenipotentiary Ambassador of Ruritania Oleg Ivanov.",
    ],
)
def test_articled_bare_english_and_predicative_titles_pass(kind: TitlesKind, text: str) -> None:
    assert list(kind.frames(text)) == []


def test_the_fix_inserts_the_article_and_the_message_offers_the_rewrite() -> None:
    from tqcheck.api import check_text

    text = "Prime Minister of Kyrgyzstan Sapar Isakov arrived; he met Ambassador of Ruritania."
    findings = check_text(text, select=["TQ230"], input_format="lines")
    assert [f.suggestions[0] for f in findings] == ["The Prime Minister", "met the Ambassador"]
    assert "“Kyrgyz Prime Minister Sapar Isakov”" in findings[0].message
    assert "“the Ambassador of Ruritania …”" in findings[1].message


def test_parameters_are_validated() -> None:
    params = pack_params()
    for key, value in [("demonyms", {"Kazakhstan": 1}), ("titles", ["Minister", ""])]:
        with pytest.raises(ParamError) as error:
            TitlesKind(Params({**params, key: value}))
        assert error.value.key == key
    with pytest.raises(ParamError, match="unknown parameter"):
        TitlesKind(Params({**params, "bogus": True}))
