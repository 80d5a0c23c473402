"""The bilingual checks as one kind each: own parameters only, the `mode` alias, the number data."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT
from test_packaging import wheel  # noqa: F401 - the built wheel, shared with its tests

from tqcheck.api import load_ruleset
from tqcheck.engine import Engine
from tqcheck.kinds import BUILTIN_KINDS, ParamError, Params
from tqcheck.loaders import load_string
from tqcheck.packs import PackError, load_pack

BILINGUAL = (
    "number-changed",
    "number-missing",
    "number-added",
    "untranslated",
    "length-ratio",
    "latin-token",
    "quotation-count",
    "question-lost",
    "name-lost",
)
# A valid value for each parameter a bilingual kind reads, and the kind that reads it.
OWN = {
    "untranslated": {"cyrillic_share": 0.5, "min_length": 4},
    "length-ratio": {"min_ratio": 0.5, "max_ratio": 2.0, "min_length": 20},
    "latin-token": {"ignore": ["online"]},
    "quotation-count": {"min_words": 4},
}
FOREIGN = sorted({key for params in OWN.values() for key in params})
HEADER = '[pack]\nid = "user"\nversion = 1\ndescription = "d"\n'
ALIAS_RULE = """
[[rules]]
code = "TQ990"
name = "my-number-check"
kind = "bilingual"
severity = "error"
category = "accuracy/mistranslation"
message = "Number not in the source (the source has {source_number})"
applicability = "display-only"
doc = { what = "w", why = "y", use_instead = "u", fix_safety = "f" }
examples = [
  { source = "Более 500 человек пришли.", bad = "More than ⟦50⟧ people came." },
  { source = "Более 500 человек пришли.", good = "More than 500 people came." },
]
[rules.params]
mode = "number-changed"
"""


def test_every_bilingual_check_is_a_kind_of_its_own() -> None:
    assert set(BILINGUAL) <= set(BUILTIN_KINDS)
    assert "bilingual" not in BUILTIN_KINDS
    shipped = {r.code: r.kind_name for r in load_ruleset().rules if r.code.startswith("TQ7")}
    assert sorted(set(shipped.values())) == sorted(BILINGUAL)


@pytest.mark.parametrize("name", BILINGUAL)
def test_a_kind_accepts_its_own_parameters(name: str) -> None:
    BUILTIN_KINDS[name](Params(OWN.get(name, {})))


@pytest.mark.parametrize(
    ("name", "key"),
    [(name, key) for name in BILINGUAL for key in FOREIGN if key not in OWN.get(name, {})],
)
def test_a_kind_rejects_another_kinds_parameter(name: str, key: str) -> None:
    value = next(params[key] for params in OWN.values() if key in params)
    raw = {**OWN.get(name, {}), key: value}
    with pytest.raises(ParamError) as error:
        BUILTIN_KINDS[name](Params(raw))
    assert error.value.key == key
    owners = ", ".join(k for k in BILINGUAL if key in OWN.get(k, {}))
    assert str(error.value) == f"unknown parameter for kind {name} (a parameter of {owners})"


def test_a_pack_error_names_the_foreign_parameter(tmp_path: Path) -> None:
    body = ALIAS_RULE.replace('kind = "bilingual"', 'kind = "number-changed"')
    body = body.replace('mode = "number-changed"', "min_ratio = 0.5")
    path = tmp_path / "user.toml"
    path.write_text(HEADER + body, encoding="utf-8")
    with pytest.raises(PackError) as error:
        load_pack(path)
    assert str(error.value) == (
        f"{path}: rule TQ990: key 'params.min_ratio': unknown parameter for kind"
        " number-changed (a parameter of length-ratio)"
    )


def test_the_mode_alias_loads_the_kind_and_warns_once(tmp_path: Path) -> None:
    path = tmp_path / "user.toml"
    path.write_text(HEADER + ALIAS_RULE, encoding="utf-8")
    pack = load_pack(path)
    (rule,) = pack.rules
    assert rule.kind_name == "number-changed"
    assert type(rule.kind) is BUILTIN_KINDS["number-changed"]
    assert "mode" not in rule.params
    assert pack.warnings == (
        f"{path}: rule TQ990: kind = 'bilingual' with mode = 'number-changed' is deprecated"
        " and goes in the next release: write kind = 'number-changed' (without mode)",
    )
    # The rule checks: its own examples hold.
    engine = Engine([rule])
    bad, good = rule.examples
    for example, expected in ((bad, ["50"]), (good, [])):
        document = load_string("<text>", example.text, source=example.source)
        assert [f.text for f in engine.check(document)] == expected


def test_the_mode_alias_warns_once_on_the_command_line(tmp_path: Path) -> None:
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "user.toml").write_text(HEADER + ALIAS_RULE, encoding="utf-8")
    (tmp_path / "a.en").write_text("More than 50 people came.\n", encoding="utf-8")
    (tmp_path / "a.ru").write_text("Более 500 человек пришли.\n", encoding="utf-8")
    result = subprocess.run(
        [
            *(sys.executable, "-m", "tqcheck", "check", str(tmp_path / "a.en")),
            *("--source", str(tmp_path / "a.ru"), "--packs", str(packs)),
            *("--select", "TQ990", "--format", "concise", "--no-cache"),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "a.en:1:11: TQ990" in result.stdout
    warned = [line for line in result.stderr.splitlines() if "deprecated" in line]
    assert warned == [
        f"tqcheck: warning: {packs / 'user.toml'}: rule TQ990: kind = 'bilingual' with mode ="
        " 'number-changed' is deprecated and goes in the next release: write kind ="
        " 'number-changed' (without mode)"
    ]


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("", None),
        ("7", "expected str, got int"),
        ('"numbers"', "expected one of " + ", ".join(BILINGUAL)),
    ],
)
def test_the_mode_alias_names_a_bad_mode(tmp_path: Path, mode: str, message: str | None) -> None:
    body = ALIAS_RULE.replace('mode = "number-changed"', f"mode = {mode}" if mode else "")
    path = tmp_path / "user.toml"
    path.write_text(HEADER + body, encoding="utf-8")
    with pytest.raises(PackError) as error:
        load_pack(path)
    expected = message or "required parameter is missing"
    assert str(error.value) == f"{path}: rule TQ990: key 'params.mode': {expected}"


def test_the_number_data_is_a_package_resource() -> None:
    from tqcheck.kinds.bilingual import numbers

    resource = ROOT / "tqcheck" / "kinds" / "bilingual" / "numbers-ru-en.toml"
    data = tomllib.loads(resource.read_text(encoding="utf-8"))
    words = numbers.number_words()
    assert words.words_ru["пять"] == Decimal(5)
    assert words.words_ru["полтора"] == Decimal("1.5")
    assert words.words_en["dozen"] == Decimal(12)
    assert words.months_en["may"] == Decimal(5)
    assert words.scales["млрд"] == 10**9
    # Every table comes from the file, in its order (stems and scales match first-wins).
    assert list(words.words_ru) == list(data["words_ru"])
    assert list(words.stems_ru) == list(data["stems_ru"])
    assert list(words.scales) == list(data["scales"])
    assert words.months_ru == tuple(data["months_ru"])


def test_the_installed_wheel_reads_the_number_data(wheel: Path, tmp_path: Path) -> None:  # noqa: F811
    with zipfile.ZipFile(wheel) as archive:
        assert "tqcheck/kinds/bilingual/numbers-ru-en.toml" in archive.namelist()
        archive.extractall(tmp_path / "site")
    code = (
        "from tqcheck.kinds.bilingual import numbers as n, source_numbers;"
        "print(n.__file__); print(sorted(v for x in source_numbers('пять мая') for v in x.values))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path / "site"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    where, values = result.stdout.splitlines()
    assert where.startswith(str(tmp_path / "site"))
    assert values == "[Decimal('5'), Decimal('5')]"


def test_the_mode_alias_ignores_another_checks_parameter_with_the_warning(tmp_path: Path) -> None:
    """The old kind took every check's parameters on every rule: the alias stays lenient."""
    body = ALIAS_RULE.replace('mode = "number-changed"', 'mode = "number-changed"\nmin_ratio = 0.5')
    path = tmp_path / "user.toml"
    path.write_text(HEADER + body, encoding="utf-8")
    pack = load_pack(path)
    assert [r.kind_name for r in pack.rules] == ["number-changed"]
    assert len(pack.warnings) == 1
    assert "is deprecated" in pack.warnings[0]
    assert "min_ratio (not number-changed's) ignored" in pack.warnings[0]
