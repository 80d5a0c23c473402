"""Bilingual (source-aware) rules: number normalisation, and WMT22 runs in every format."""

from __future__ import annotations

import json
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from conftest import WMT

from tqcheck.api import check_text
from tqcheck.kinds.bilingual import source_numbers, target_numbers, unmatched


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("Экспорт составил 2,5 млн тонн.", "Exports were 2.5 million tonnes."),
        ("Выпущено 115 тыс. автомобилей.", "115,000 cars were produced."),
        ("Погибли 15 000 человек.", "15,000 people died."),
        ("Погибли 15\u00a0000 человек.", "15 thousand people died."),
        ("Рост на 20% за 5-7 дней.", "A 20 per cent rise in 5–7 days."),
        ("Встреча 1 мая 2022 года.", "The meeting on May 1, 2022."),
        ("Отчет от 01.05.2022.", "The report of 1 May 2022."),
        ("В XIX веке.", "In the 19th century."),
        ("В 90-х годах.", "In the 1990s."),
        ("Пять тысяч долларов.", "$5,000."),
        ("Страны «Большой семерки».", "The G7 countries."),
        ("Пришли пять человек.", "Five people came."),
        ("Позвоните +7 905 989 9172.", "Call +7.905.989.9172."),
    ],
)
def test_numbers_agree_after_normalisation(source: str, target: str) -> None:
    if "+7" not in source:  # the phone number passes on its digits, not its groups
        src, tgt = source_numbers(source), target_numbers(target)
        assert unmatched(src, tgt) == [] and unmatched(tgt, src) == []
    assert check_text(target, select=["TQ70"], source=source) == []


@pytest.mark.parametrize(
    ("source", "target", "rule", "flagged"),
    [
        ("Сэкономлено 336 млн листов.", "36 million sheets were saved.", "TQ701", "36"),
        ("Он получит 20 тысяч долларов.", "He will receive $200,000.", "TQ701", "200,000"),
        ("В 2021 году рост на 3%.", "Growth in 2021.", "TQ702", "Growth in 2021."),
        ("Стихией уничтожены мосты.", "The storm destroyed 25 bridges.", "TQ703", "25"),
    ],
)
def test_number_rules(source: str, target: str, rule: str, flagged: str) -> None:
    findings = check_text(target, select=["TQ7"], source=source)
    assert [(f.rule, f.text) for f in findings] == [(rule, flagged)]


def test_bilingual_rules_need_a_source() -> None:
    assert check_text("It cost 36 million.", select=["TQ7"]) == []


needs_wmt = pytest.mark.skipif(not (WMT / "source.ru").is_file(), reason="WMT22 corpus absent")


def _systems() -> list[Path]:
    return sorted((WMT / "systems").glob("*.en"))


@needs_wmt
def test_bilingual_rules_run_on_every_wmt_system(cli) -> None:
    systems = _systems()
    assert len(systems) == 10
    fired: set[str] = set()
    for system in systems:
        code, out, _ = cli(
            "check", str(system), "--source", str(WMT / "source.ru"), "--select", "TQ7",
            "-f", "json", "--exit-zero",
        )  # fmt: skip
        assert code == 0
        report = json.loads(out)
        assert report["errors"] == []
        fired.update(f["rule"] for f in report["findings"])
    assert {"TQ701", "TQ702", "TQ711", "TQ720"} <= fired


def _pairs(count: int = 50) -> list[tuple[str, str]]:
    source = (WMT / "source.ru").read_text(encoding="utf-8").splitlines()
    target = (WMT / "systems" / "ALMAnaCH-Inria.en").read_text(encoding="utf-8").splitlines()
    # Lines 130-180 hold changed numbers, lost Latin names and a length outlier.
    return list(zip(source[130 : 130 + count], target[130 : 130 + count], strict=True))


def _xliff12(pairs: list[tuple[str, str]]) -> str:
    units = "".join(
        f'<trans-unit id="{i}"><source>{escape(s)}</source><target>{escape(t)}</target>'
        "</trans-unit>\n"
        for i, (s, t) in enumerate(pairs)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" '
        'xmlns="urn:oasis:names:tc:xliff:document:1.2">\n<file source-language="ru" '
        f'target-language="en" datatype="plaintext" original="wmt"><body>\n{units}'
        "</body></file></xliff>\n"
    )


def _xliff20(pairs: list[tuple[str, str]]) -> str:
    units = "".join(
        f'<unit id="{i}"><segment><source>{escape(s)}</source><target>{escape(t)}</target>'
        "</segment></unit>\n"
        for i, (s, t) in enumerate(pairs)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="2.0" '
        'xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="ru" trgLang="en">\n'
        f'<file id="wmt">\n{units}</file></xliff>\n'
    )


def _po(pairs: list[tuple[str, str]]) -> str:
    def quote(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    entries = ['msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n']
    for i, (s, t) in enumerate(pairs):
        entries.append(f'msgctxt "{i}"\nmsgid {quote(s)}\nmsgstr {quote(t)}\n')
    return "\n".join(entries)


@needs_wmt
@pytest.mark.parametrize(("build", "fmt"), [(_xliff12, "xliff"), (_xliff20, "xliff"), (_po, "po")])
def test_unit_formats_give_the_line_aligned_findings(build, fmt: str) -> None:
    pairs = _pairs()
    source = "\n".join(s for s, _ in pairs) + "\n"
    target = "\n".join(t for _, t in pairs) + "\n"
    aligned = check_text(target, select=["TQ7"], input_format="lines", source=source)
    expected = [(f.rule, f.text, f.message) for f in aligned]
    assert len({rule for rule, _, _ in expected}) >= 3
    text = build(pairs)
    found = check_text(text, select=["TQ7"], input_format=fmt)
    decoded = [(f.rule, f.text.replace("&amp;", "&").replace('\\"', '"'), f.message) for f in found]
    assert decoded == expected
