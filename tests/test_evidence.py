"""The shipped evidence and the rule set agree with issue 3's policy; the evaluation's maths."""

from __future__ import annotations

import pytest
from conftest import WMT, make_finding

from bench.mtnews import mtnews_dir, native_path
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


def test_every_rule_was_measured_on_mt_news() -> None:
    figures = load_evidence()["mt_news"]
    missing = [r.code for r in load_ruleset().rules if r.code not in figures]
    assert missing == []


# The default-set gate (issue 13; rules/README.md, "The default set"): on by default only
# when a rule rarely fires on native English and what it flags on real MT copy is real.
NATIVE_MAX_WARNING = 0.05  # per 1,000 words: about 8 hits in native-en's 164,000 words
NATIVE_MAX_INFO = 0.4
PRECISION_MIN = 0.75  # on a mark, or judged real on a reading
PRECISION_MIN_FINDINGS = 4


def test_default_rules_are_quiet_on_native_english() -> None:
    figures = load_evidence()["mt_news"]
    noisy = []
    for rule in load_ruleset().rules:
        limit = NATIVE_MAX_INFO if rule.severity is Severity.INFO else NATIVE_MAX_WARNING
        rate = figures[rule.code]["native_per_1k"] or 0.0
        if rule.enabled and rate > limit:
            noisy.append(f"{rule.code} {rule.severity.value}: {rate:.3f} per 1,000 words")
    assert noisy == []


def test_default_rules_are_precise_on_mt_copy() -> None:
    figures = load_evidence()["mt_news"]
    loose = [
        f"{r.code}: {figures[r.code]['precision_mt']:.2f} of {figures[r.code]['findings_mt']}"
        for r in load_ruleset().rules
        if r.enabled
        and figures[r.code]["findings_mt"] >= PRECISION_MIN_FINDINGS
        and figures[r.code]["precision_mt"] < PRECISION_MIN
    ]
    assert loose == []


def test_opt_in_rules_say_why_and_how_to_turn_them_on() -> None:
    for rule in load_ruleset().rules:
        if not rule.enabled:
            assert "opt-in" in rule.doc.why.lower(), rule.code
            assert f'extend-select = ["{rule.code}"]' in rule.doc.why, rule.code


@pytest.mark.skipif(mtnews_dir() is None or native_path() is None, reason="corpora not available")
def test_mt_news_evidence_is_what_bench_recall_measures_today() -> None:
    """The shipped figures are today's: `python -m bench.recall --write` regenerates them."""
    from bench.recall import measure, rule_evidence

    rules = load_ruleset().rules
    measured = rule_evidence(measure(Engine(list(rules))), (r.code for r in rules))
    assert measured == load_evidence()["mt_news"]


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


def test_judged_sample_is_complete() -> None:
    rows = judged_rows()
    assert len(rows) == 100
    assert {r["verdict"] for r in rows} <= {"yes", "no"}
    assert {r["suggestion_ok"] for r in rows} <= {"yes", "no"}
    # Reported, not gated (issue 13): WMT22's near-professional English is not the copy the
    # default set is chosen for; bench/README-rules.md gives the figures.
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
