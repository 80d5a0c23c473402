"""The fix model (REDESIGN section 4): applicability, isolation groups, per-rule counts, and a
non-converging fix loop that names its rules."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tqcheck.fix import Applicability, Edit, Fix, fix_to_fixed_point, select_fixes


@dataclass(frozen=True)
class Found:
    """A finding as the fix loop sees it: a rule code and a fix."""

    rule: str
    fix: Fix | None


def test_applies_and_required() -> None:
    safe, unsafe, shown = Applicability.SAFE, Applicability.UNSAFE, Applicability.DISPLAY_ONLY
    assert Applicability.required(unsafe=False) is safe
    assert Applicability.required(unsafe=True) is unsafe
    assert safe.applies(safe) and safe.applies(unsafe)
    assert not unsafe.applies(safe) and unsafe.applies(unsafe)
    assert not shown.applies(unsafe) and not shown.applies(safe)


def test_one_fix_per_isolation_group_and_pass() -> None:
    a = Fix((Edit(0, 1, "A"),), Applicability.SAFE, "a", isolation="quotes")
    b = Fix((Edit(5, 6, "B"),), Applicability.SAFE, "b", isolation="quotes")
    c = Fix((Edit(9, 10, "C"),), Applicability.SAFE, "c")
    assert select_fixes([b, c, a], Applicability.SAFE) == [a, c]


def test_fix_loop_counts_fixes_by_rule_and_runs_isolated_fixes_in_turn() -> None:
    def find(text: str) -> list[Found]:
        found = []
        for i, char in enumerate(text):
            if char == "x":
                edit = Fix((Edit(i, i + 1, "y"),), Applicability.SAFE, "x", isolation="xs")
                found.append(Found("TQ001", edit))
            if char == "z":
                found.append(Found("TQ002", Fix((Edit(i, i + 1, "w"),), Applicability.SAFE, "z")))
        return found

    outcome = fix_to_fixed_point("x x z z x", find)
    assert outcome.text == "y y w w y" and outcome.converged
    assert outcome.applied_by_code == {"TQ001": 3, "TQ002": 2}
    assert outcome.applied == 5
    assert outcome.passes == 3  # one isolated x per pass; the z fixes go in the first


def test_non_converging_loop_names_the_rules() -> None:
    def find(text: str) -> list[Found]:
        # TQ010 and TQ011 rewrite each other's output forever.
        if text.endswith("a"):
            return [Found("TQ010", Fix((Edit(0, len(text), "b"),), Applicability.SAFE, "a"))]
        return [Found("TQ011", Fix((Edit(0, len(text), "a"),), Applicability.SAFE, "b"))]

    outcome = fix_to_fixed_point("a", find, max_passes=4)
    assert not outcome.converged
    assert outcome.unconverged_codes == ("TQ010", "TQ011")
    assert outcome.applied_by_code == {"TQ010": 2, "TQ011": 2}


def test_cli_reports_fixes_by_rule(tmp_path: Path, monkeypatch, cli) -> None:
    import json

    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("Ties\u00a0at high level\u00a0grew.\n", encoding="utf-8")
    code, out, _ = cli("check", "a.txt", "--fix", "--no-cache")
    assert code == 0 and "Fixed 3 findings (TQ312 ×2, TQ183 ×1)." in out
    (tmp_path / "a.txt").write_text("Ties\u00a0at high level\u00a0grew.\n", encoding="utf-8")
    code, out, _ = cli("check", "a.txt", "--fix", "--no-cache", "--format", "json")
    assert json.loads(out)["summary"]["fixed_by_rule"] == {"TQ183": 1, "TQ312": 2}


def test_cli_names_the_rules_of_a_fix_loop_that_does_not_converge(
    tmp_path: Path, monkeypatch, cli
) -> None:
    from conftest import rule_pack

    monkeypatch.chdir(tmp_path)
    packs = tmp_path / "packs"
    packs.mkdir()
    for code, old, new in (("TQ960", "ping", "pong"), ("TQ961", "pong", "ping")):
        examples = f'[[rules.examples]]\nbad = "⟦{old}⟧"\nfix = "{new}"\n'
        examples += '\n[[rules.examples]]\ngood = "y"\n'
        params = f"pattern = '''\\b{old}\\b'''\nreplace = \"{new}\"\n"
        pack = rule_pack(
            params, code=code, name=f"swap-{old}", kind="pattern", applicability="safe",
            pack_id=f"p{code}", examples=examples,
        )  # fmt: skip
        (packs / f"{code}.toml").write_text(pack, encoding="utf-8")
    (tmp_path / "a.txt").write_text("A ping.\n", encoding="utf-8")
    code, _, err = cli("check", "a.txt", "--packs", "packs", "--fix", "--no-cache")
    assert code == 2
    assert "a.txt: error: fixes did not converge after 10 passes" in err
    assert "TQ960, TQ961" in err
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "A ping.\n"  # left as is
