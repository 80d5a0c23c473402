"""The shipped evidence and the rule set agree with issue 3's policy; the evaluation's maths."""

from __future__ import annotations

import pytest
from conftest import WMT, make_finding

from bench.wmt import REFERENCE, SAMPLE_PATH, SAMPLE_SEED, LineResult, auc_lower, measure
from tqcheck.api import load_ruleset
from tqcheck.engine import Engine
from tqcheck.evidence import load_evidence
from tqcheck.findings import Finding
from tqcheck.rule import Severity


def test_every_rule_was_measured() -> None:
    figures = load_evidence()["rules"]
    missing = [r.code for r in load_ruleset().rules if r.code not in figures]  # opt-in too
    assert missing == []


def test_no_default_rule_fires_on_the_reference_at_half_its_mt_rate() -> None:
    """A rule the human reference trips as often as MT output does is not on by default."""
    figures = load_evidence()["rules"]
    noisy = [
        r.code
        for r in load_ruleset().rules
        if r.enabled and figures[r.code]["ref_per_1k"] > 0.5 * figures[r.code]["mt_per_1k"]
    ]
    assert noisy == []


def test_opt_in_rules_above_the_line_are_the_documented_ones() -> None:
    figures = load_evidence()["rules"]
    rules = load_ruleset().rules
    above = {
        r.code
        for r in rules
        if not r.enabled
        and figures[r.code]["ref_hits"]
        and figures[r.code]["ref_per_1k"] > 0.5 * figures[r.code]["mt_per_1k"]
    }
    assert {"TQ201", "TQ401"} <= above
    for code in ("TQ201", "TQ401"):
        rule = next(r for r in rules if r.code == code)
        assert "Opt-in" in rule.doc.why and f'extend-select = ["{code}"]' in rule.doc.why


def finding(rule: str, severity: Severity = Severity.INFO) -> Finding:
    return make_finding(rule=rule, severity=severity)


def test_auc_counts_how_often_flagged_segments_score_lower() -> None:
    assert auc_lower([-1.0, -2.0], [0.0, 1.0]) == 1.0
    assert auc_lower([1.0], [0.0, 2.0]) == 0.5
    assert auc_lower([0.0], [0.0]) == 0.5  # ties count half
    assert auc_lower([], [0.0]) != auc_lower([], [0.0])  # NaN without a flagged segment


def test_measure_tallies_rates_and_contrasts_da_per_split() -> None:
    outputs = {"sys": ["a b c d", "e f"], REFERENCE: ["a b c d", "e f"]}
    results = {
        "sys": [
            LineResult("sys", 0, (finding("TQ1", Severity.WARNING), finding("TQ2"))),
            LineResult("sys", 1, ()),
        ],
        REFERENCE: [LineResult(REFERENCE, 0, ()), LineResult(REFERENCE, 1, (finding("TQ2"),))],
    }
    da = {("sys", 0): -1.0, ("sys", 1): 0.5, (REFERENCE, 0): 9.0}
    m = measure(results, outputs, da, {0: "dev", 1: "held"})
    assert (m.mt["all"].words, m.mt["all"].hits, m.mt["dev"].hits, m.mt["held"].hits) == (
        6,
        2,
        2,
        0,
    )
    assert m.mt["all"].per_1k("TQ1") == pytest.approx(1000 / 6)
    assert m.ref["all"].by_rule == {"TQ2": 1} and m.ref["held"].hits == 1
    overall = m.overall()
    assert overall["all"]["da_flagged"] == -1.0 and overall["all"]["da_unflagged"] == 0.5
    assert overall["all"]["auc"] == 1.0 and overall["all"]["warn_flagged_segments"] == 1
    assert overall["all"]["ratio"] == pytest.approx((2 / 6) / (1 / 6))
    assert overall["dev"]["flagged_segments"] == 1 and overall["held"]["flagged_segments"] == 0
    assert m.flagged_z["all"] == {"TQ1": [-1.0], "TQ2": [-1.0]}  # the reference's DA is ignored


def judged_rows() -> list[dict[str, str]]:
    lines = SAMPLE_PATH.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]


def test_judged_sample_is_complete_and_precise() -> None:
    rows = judged_rows()
    assert len(rows) == 100
    assert {r["verdict"] for r in rows} <= {"yes", "no"}
    assert {r["suggestion_ok"] for r in rows} <= {"yes", "no"}
    right = sum(r["verdict"] == "yes" and r["suggestion_ok"] == "yes" for r in rows)
    assert right >= 90
    # Every "no" says why.
    assert all(r["note"] for r in rows if "no" in (r["verdict"], r["suggestion_ok"]))


@pytest.mark.skipif(not (WMT / "source.ru").is_file(), reason="WMT22 corpus not available")
def test_judged_sample_is_the_seeded_draw_of_the_default_rules() -> None:
    """`python -m bench.wmt --sample 100` draws exactly the judged findings from today's rules."""
    from bench.corpus import load_docs, load_reference, load_systems, split_of
    from bench.wmt import check_lines, draw_sample

    ruleset = load_ruleset()
    engine = Engine(list(ruleset.rules))
    outputs = {**load_systems(), REFERENCE: load_reference()}
    results = {name: check_lines(engine, name, lines) for name, lines in outputs.items()}
    split_by_line = {line: split_of(info.doc_id) for line, info in load_docs().items()}
    selected = {r.code for r in ruleset.rules if r.enabled}
    picked = draw_sample(results, selected, split_by_line, 100, SAMPLE_SEED)
    drawn = [(f.rule, name, str(r.line + 1), f.text) for name, r, f in picked]
    judged = [(r["rule"], r["system"], r["line"], r["flagged"]) for r in judged_rows()]
    assert drawn == judged
