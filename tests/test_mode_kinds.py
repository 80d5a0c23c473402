"""The spacing, script and patronymic checks as one kind each, and their deprecated `mode` form."""

from __future__ import annotations

from pathlib import Path

import pytest

from tqcheck.engine import Engine
from tqcheck.kinds import BUILTIN_KINDS, KIND_ALIASES, ParamError, Params
from tqcheck.loaders import load_string
from tqcheck.packs import Pack, PackError, load_pack

ROOT = Path(__file__).resolve().parent.parent
HEADER = '[pack]\nid = "user"\nversion = 1\ndescription = "d"\n'
NAMES = '["Sergei", "Anna", "Ivan"]'
# kind -> (the old kind and mode, parameters, a sentence with the artifact, what is flagged).
CASES: dict[str, tuple[str, str, str, str, str]] = {
    "space-before": ("spacing", "space-before", "", "Is it late ? He left .", " ?"),
    "missing-space-after": ("spacing", "missing-space-after", "", "Photo:Agency pool", ":"),
    "nbsp": ("spacing", "nbsp", "", "The plan\u00a0failed, 5\u00a0km away.", "\u00a0"),
    "double-space": ("spacing", "double-space", "", "He left.  The rain  Came", "  "),
    "homoglyph": ("script", "homoglyph", "", "The WН\u041e said so.", "Н\u041e"),
    "cyrillic": ("script", "cyrillic", "min_letters = 3", "Он said да and привет.", "привет"),
    "patronymic": (
        "patronymic",
        "reference",
        f"given_names = {NAMES}",
        "Then Sergei Ivanovich Orlov spoke.",
        "Ivanovich",
    ),
    "patronymic-address": (
        "patronymic",
        "address",
        f"given_names = {NAMES}",
        "Thank you, Sergei Ivanovich, for this.",
        "Sergei Ivanovich",
    ),
}
FAMILIES = {
    "spacing": ("space-before", "missing-space-after", "nbsp", "double-space"),
    "script": ("homoglyph", "cyrillic"),
    "patronymic": ("patronymic", "patronymic-address"),
}


def rule_toml(kind: str, params: str) -> str:
    """Return a one-rule pack body; the examples are there to be valid, not to be tested."""
    table = f"[rules.params]\n{params}\n" if params else ""
    return f"""
[[rules]]
code = "TQ990"
name = "my-check"
kind = "{kind}"
severity = "info"
category = "fluency/punctuation"
message = "m"
applicability = "unsafe"
doc = {{ what = "w", why = "y", use_instead = "u", fix_safety = "f" }}
examples = [{{ bad = "⟦x⟧" }}, {{ good = "y" }}]
{table}"""


def load(tmp_path: Path, kind: str, params: str) -> Pack:
    """Write and load a user pack with one rule."""
    path = tmp_path / "user.toml"
    path.write_text(HEADER + rule_toml(kind, params), encoding="utf-8")
    return load_pack(path)


def findings(pack: Pack, text: str) -> list[tuple[str, tuple[str, ...], int]]:
    """Return what the pack's rule finds in text: flagged text, suggestions, edit count."""
    document = load_string("<text>", text)
    found = Engine(list(pack.rules)).check(document)
    return [(f.text, tuple(f.suggestions), len(f.fix.edits) if f.fix else 0) for f in found]


def test_the_kind_names_are_new_and_clash_with_nothing() -> None:
    names = [name for members in FAMILIES.values() for name in members]
    assert len(set(names)) == len(names)
    for name in names:
        assert BUILTIN_KINDS[name].name == name
    assert "spacing" not in BUILTIN_KINDS
    assert "script" not in BUILTIN_KINDS
    for alias, members in FAMILIES.items():
        key, targets = KIND_ALIASES[alias]
        assert key == "mode"
        assert tuple(targets.values()) == members


def test_the_shipped_packs_use_the_new_kinds_without_warnings() -> None:
    expected = {
        "TQ201": "patronymic",
        "TQ202": "patronymic-address",
        "TQ310": "space-before",
        "TQ311": "missing-space-after",
        "TQ312": "nbsp",
        "TQ313": "double-space",
        "TQ401": "homoglyph",
        "TQ402": "cyrillic",
    }
    kinds: dict[str, str] = {}
    for name in ("ru-en-names", "script", "typography"):
        pack = load_pack(ROOT / "rules" / f"{name}.toml")
        assert pack.warnings == ()
        kinds.update({r.code: r.kind_name for r in pack.rules if r.code in expected})
    assert kinds == expected


@pytest.mark.parametrize("kind", CASES)
def test_a_kind_loads_from_its_own_name(tmp_path: Path, kind: str) -> None:
    _, _, params, text, flagged = CASES[kind]
    pack = load(tmp_path, kind, params)
    assert pack.warnings == ()
    (rule,) = pack.rules
    assert rule.kind_name == kind
    assert type(rule.kind) is BUILTIN_KINDS[kind]
    assert {found for found, _, _ in findings(pack, text)} == {flagged}


def test_homoglyph_rejects_cyrillics_parameter_naming_its_owner(tmp_path: Path) -> None:
    with pytest.raises(ParamError) as error:
        BUILTIN_KINDS["homoglyph"](Params({"min_letters": 3}))
    assert error.value.key == "min_letters"
    assert str(error.value) == "unknown parameter for kind homoglyph (a parameter of cyrillic)"
    with pytest.raises(PackError) as pack_error:
        load(tmp_path, "homoglyph", "min_letters = 3")
    assert str(pack_error.value).endswith(
        "rule TQ990: key 'params.min_letters': unknown parameter for kind homoglyph"
        " (a parameter of cyrillic)"
    )


@pytest.mark.parametrize("kind", FAMILIES["spacing"])
def test_a_spacing_kind_takes_no_parameter(kind: str) -> None:
    # No spacing kind reads a parameter: nothing to name as another spacing kind's, and a
    # parameter of another family's kind is not claimed as a spacing one.
    for key in ("mode", "min_letters"):
        with pytest.raises(ParamError) as error:
            BUILTIN_KINDS[kind](Params({key: 3}))
        assert (error.value.key, str(error.value)) == (key, "unknown parameter")


def test_the_patronymic_kinds_share_their_parameters() -> None:
    for kind in FAMILIES["patronymic"]:
        BUILTIN_KINDS[kind](Params({"given_names": ["Anna"], "not_patronymics": ["Babich"]}))
        with pytest.raises(ParamError) as error:
            BUILTIN_KINDS[kind](Params({"given_names": ["Anna"], "min_letters": 3}))
        assert (error.value.key, str(error.value)) == ("min_letters", "unknown parameter")


@pytest.mark.parametrize("kind", CASES)
def test_the_mode_form_loads_the_kind_with_one_warning(tmp_path: Path, kind: str) -> None:
    old, mode, params, text, _ = CASES[kind]
    new = findings(load(tmp_path, kind, params), text)
    pack = load(tmp_path, old, f'mode = "{mode}"\n{params}')
    (rule,) = pack.rules
    assert rule.kind_name == kind
    assert type(rule.kind) is BUILTIN_KINDS[kind]
    assert "mode" not in rule.params
    assert pack.warnings == (
        f"{tmp_path / 'user.toml'}: rule TQ990: kind = {old!r} with mode = {mode!r} is"
        f" deprecated and goes in the next release: write kind = {kind!r} (without mode)",
    )
    assert findings(pack, text) == new
    assert new  # the sample has the artifact: the two forms agree on something


def test_the_script_mode_form_drops_min_letters_for_homoglyph(tmp_path: Path) -> None:
    # The old kind read min_letters in both modes (homoglyph ignored it): not an error yet.
    pack = load(tmp_path, "script", 'mode = "homoglyph"\nmin_letters = 3')
    (rule,) = pack.rules
    assert rule.kind_name == "homoglyph"
    assert rule.params == {}
    (warning,) = pack.warnings
    assert warning.endswith("(without mode); min_letters (not homoglyph's) ignored")


def test_patronymic_without_mode_is_the_new_kind_not_the_alias(tmp_path: Path) -> None:
    pack = load(tmp_path, "patronymic", f"given_names = {NAMES}")
    assert pack.warnings == ()
    assert [r.kind_name for r in pack.rules] == ["patronymic"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ("", "key 'params.mode': required parameter is missing"),
        ('mode = "nbps"', "key 'params.mode': expected one of " + ", ".join(FAMILIES["spacing"])),
    ],
)
def test_the_spacing_mode_form_still_needs_a_known_mode(
    tmp_path: Path, params: str, message: str
) -> None:
    with pytest.raises(PackError) as error:
        load(tmp_path, "spacing", params)
    assert str(error.value) == f"{tmp_path / 'user.toml'}: rule TQ990: {message}"


def test_the_patronymic_mode_form_names_the_old_modes(tmp_path: Path) -> None:
    with pytest.raises(PackError) as error:
        load(tmp_path, "patronymic", f'mode = "vocative"\ngiven_names = {NAMES}')
    assert str(error.value).endswith("key 'params.mode': expected one of reference, address")
