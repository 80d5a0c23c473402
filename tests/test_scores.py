"""Issue 6: the MQM-style unconfirmed-issue score, the --max-penalty gate, score and rank."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest
from ci_helpers import BAD, CLEAN, junit_errors, pin_severities, sarif_errors
from conftest import ROOT, SEED, WMT

from tqcheck.api import check_paths
from tqcheck.config import Config, ConfigError, parse_config
from tqcheck.findings import FileResult, Finding
from tqcheck.mqm import (
    LABEL,
    MqmSeverity,
    Weights,
    fails,
    mqm_severity,
    score_document,
    score_report,
)
from tqcheck.rule import Severity
from tqcheck.scoring import (
    Metric,
    ScoreError,
    parse_metrics,
    rank_files,
    read_segments,
    score_files,
)

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.stats import kendall_tau, pearson, permutation_p, ranks, spearman

needs_wmt = pytest.mark.skipif(not (WMT / "source.ru").is_file(), reason="WMT22 corpus absent")


def finding(
    offset: int,
    *,
    rule: str = "TQ101",
    severity: Severity = Severity.WARNING,
    category: str = "style/unidiomatic",
    line: int = 1,
) -> Finding:
    return Finding(
        "a.txt", rule, "x", severity, category, "m", line, 1, line, 2, offset, offset + 1, "x"
    )


# --- the score itself (pure) ----------------------------------------------------------------


def test_severity_mapping_follows_the_documented_table() -> None:
    assert mqm_severity(finding(0, severity=Severity.ERROR)) is MqmSeverity.MAJOR
    assert mqm_severity(finding(0, severity=Severity.WARNING)) is MqmSeverity.MINOR
    assert mqm_severity(finding(0, severity=Severity.INFO)) is MqmSeverity.MINOR
    for category in ("fluency/punctuation", "locale/punctuation", "fluency/typography"):
        assert mqm_severity(finding(0, category=category)) is MqmSeverity.PUNCTUATION
        assert mqm_severity(finding(0, severity=Severity.INFO, category=category)) is (
            MqmSeverity.PUNCTUATION
        )
        # A punctuation error a rule calls an error is a major punctuation error.
        assert mqm_severity(finding(0, severity=Severity.ERROR, category=category)) is (
            MqmSeverity.MAJOR
        )
    untranslated = finding(0, severity=Severity.INFO, category="accuracy/untranslated")
    assert mqm_severity(untranslated) is MqmSeverity.NON_TRANSLATION
    assert mqm_severity(finding(0, rule="TQ901", category="style/housekeeping")) is None


def test_weights_default_to_the_wmt_mqm_studies() -> None:
    weights = Weights()
    assert [weights.weight(s) for s in MqmSeverity] == [5, 1, 0.1, 25]
    assert weights.max_per_segment == 5
    changed = weights.with_weight(MqmSeverity.NON_TRANSLATION, 10)
    assert changed.non_translation == 10 and changed.major == 5


def test_penalty_per_thousand_words_and_category_breakdown() -> None:
    findings = [
        finding(1, severity=Severity.ERROR, category="accuracy/mistranslation"),
        finding(20),
        finding(30, category="fluency/punctuation"),
        finding(120, category="fluency/typography", severity=Severity.INFO),
    ]
    score = score_document("a.txt", findings, [(0, 100), (100, 200)], words=250)
    assert score.penalty == pytest.approx(5 + 1 + 0.1 + 0.1)
    assert score.per_1k == pytest.approx(6.2 * 4)
    assert score.segments == 2 and score.issues == 4 and score.counted == 4
    shares = {c.category: c.penalty for c in score.by_category}
    assert shares == pytest.approx(
        {
            "accuracy/mistranslation": 5,
            "style/unidiomatic": 1,
            "fluency/punctuation": 0.1,
            "fluency/typography": 0.1,
        }
    )
    assert next(c.category for c in score.by_category) == "accuracy/mistranslation"
    assert dict(score.by_severity)[MqmSeverity.PUNCTUATION] == 2


def test_at_most_five_issues_per_segment_heaviest_first() -> None:
    light = [finding(i, category="fluency/punctuation") for i in range(6)]
    heavy = finding(50, severity=Severity.ERROR, category="accuracy/mistranslation")
    score = score_document("a.txt", [*light, heavy], [(0, 100)], words=100)
    # The major issue and four punctuation ones; two punctuation issues are not counted.
    assert score.counted == 5 and score.issues == 7
    assert score.penalty == pytest.approx(5 + 4 * 0.1)
    two_segments = score_document("a.txt", [*light, heavy], [(0, 3), (3, 100)], words=100)
    assert two_segments.counted == 7
    capped = score_document("a.txt", light, [(0, 100)], 100, Weights(max_per_segment=2))
    assert capped.counted == 2


def test_a_non_translation_counts_the_segment_once_and_alone() -> None:
    untranslated = finding(5, category="accuracy/untranslated", severity=Severity.ERROR)
    other = finding(10, severity=Severity.ERROR)
    elsewhere = finding(150)
    score = score_document(
        "a.txt", [untranslated, other, elsewhere], [(0, 100), (100, 200)], words=40
    )
    assert score.penalty == pytest.approx(25 + 1)
    assert score.counted == 2 and score.issues == 3


def test_internal_findings_and_empty_documents() -> None:
    internal = finding(0, rule="TQ901", category="style/housekeeping")
    score = score_document("a.txt", [internal], [(0, 10)], words=0)
    assert score.penalty == 0 and score.per_1k == 0 and score.issues == 0
    # Without segment spans (a result built by hand) each line stands for a segment.
    lines = [finding(i, line=1 + i // 6) for i in range(12)]
    assert score_document("a.txt", lines, [], words=100).counted == 10


def test_the_limit_compares_the_rounded_figure() -> None:
    score = score_document("a.txt", [finding(0)], [(0, 10)], words=1000)
    assert score.per_1k == pytest.approx(1.0)
    assert not score.exceeds(None) and not score.exceeds(1.0) and score.exceeds(0.99)


def test_score_report_and_the_combined_gate(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_text(BAD, encoding="utf-8")
    (tmp_path / "clean.txt").write_text(CLEAN, encoding="utf-8")
    pin_severities(tmp_path)
    report = check_paths([str(tmp_path)])
    assert report.score is not None
    assert {Path(d.path).name for d in report.score.documents} == {"bad.txt", "clean.txt"}
    bad = next(d for d in report.score.documents if d.path.endswith("bad.txt"))
    assert bad.penalty > 0 and bad.words == len(BAD.split())
    assert fails(report, "warning") and not fails(report, "never")
    gated = score_report(report, Weights(), max_penalty=bad.per_1k - 1)
    assert gated.score is not None and [d.path for d in gated.score.failed] == [bad.path]
    assert fails(gated, "never")
    assert not fails(score_report(report, Weights(), max_penalty=bad.per_1k), "never")


def test_segments_are_recorded_for_every_checked_file(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Title\n\n" + BAD + "\n" + CLEAN, encoding="utf-8")
    result = check_paths([str(article)]).results[0]
    assert isinstance(result, FileResult)
    assert len(result.segments) == 3
    assert all(result.text[s:e].strip() for s, e in result.segments)


# --- configuration --------------------------------------------------------------------------


def test_config_weights_cap_and_limit(tmp_path: Path) -> None:
    path = tmp_path / "tqcheck.toml"
    config = parse_config(
        path,
        {
            "mqm-weights": {"major": 10, "non-translation": 30.5, "punctuation": 0},
            "mqm-max-per-segment": 3,
            "max-penalty": 20,
        },
    )
    assert config.mqm_weights == Weights(
        major=10, minor=1, punctuation=0, non_translation=30.5, max_per_segment=3
    )
    assert config.max_penalty == 20.0
    assert Config().mqm_weights == Weights() and Config().max_penalty is None


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"mqm-weights": {"critical": 10}}, "key 'mqm-weights.critical': unknown MQM severity"),
        ({"mqm-weights": {"major": -1}}, "key 'mqm-weights.major': expected a number"),
        ({"mqm-weights": {"major": "5"}}, "key 'mqm-weights.major': expected a number"),
        ({"mqm-weights": {"minor": True}}, "key 'mqm-weights.minor': expected a number"),
        ({"mqm-weights": 5}, "key 'mqm-weights': expected a table"),
        ({"mqm-max-per-segment": 0}, "key 'mqm-max-per-segment': expected a whole number"),
        ({"mqm-max-per-segment": 2.5}, "key 'mqm-max-per-segment': expected a whole number"),
        ({"max-penalty": -3}, "key 'max-penalty': expected a number of at least 0"),
        ({"max-penalty": math.nan}, "key 'max-penalty': expected a number of at least 0"),
        ({"max-penalty": math.inf}, "key 'max-penalty': expected a finite number"),
    ],
)
def test_config_errors_name_the_key(tmp_path: Path, table: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        parse_config(tmp_path / "tqcheck.toml", table)


def test_configured_weights_change_the_score(cli, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(BAD, encoding="utf-8")
    pin_severities(tmp_path)
    code, out, _ = cli("check", str(tmp_path / "a.txt"), "--format", "json")
    default = json.loads(out)["summary"]["score"]
    with (tmp_path / "tqcheck.toml").open("a", encoding="utf-8") as stream:
        stream.write("mqm-weights = { minor = 2, punctuation = 0 }\nmax-penalty = 1\n")
    code, out, _ = cli("check", str(tmp_path / "a.txt"), "--format", "json", "--fail-on", "never")
    scored = json.loads(out)["summary"]["score"]
    assert scored["weights"]["minor"] == 2 and scored["weights"]["punctuation"] == 0
    assert scored["penalty"] != default["penalty"]
    assert scored["max_penalty"] == 1 and code == 1  # the configured limit gates too


# --- the gate in every CI format ------------------------------------------------------------


@pytest.fixture
def gated(tmp_path: Path) -> Path:
    pin_severities(tmp_path)
    (tmp_path / "bad.txt").write_text(BAD, encoding="utf-8")
    (tmp_path / "clean.txt").write_text(CLEAN, encoding="utf-8")
    return tmp_path


def test_gate_exit_status_composes_with_fail_on(cli, gated: Path) -> None:
    bad, clean = str(gated / "bad.txt"), str(gated / "clean.txt")
    assert cli("check", bad, "--fail-on", "never", "--max-penalty", "10")[0] == 1
    assert cli("check", bad, "--fail-on", "never", "--max-penalty", "100000")[0] == 0
    assert cli("check", bad, "--max-penalty", "100000")[0] == 1  # fail-on warning still fails
    assert cli("check", clean, "--max-penalty", "0")[0] == 0
    assert cli("check", bad, "--max-penalty", "10", "--exit-zero")[0] == 0
    code, _, err = cli("check", bad, "--max-penalty", "-1")
    assert code == 2 and "--max-penalty" in err and len(err.strip().splitlines()) == 1


def test_gate_reason_in_text_output(cli, gated: Path) -> None:
    code, out, _ = cli("check", str(gated), "--fail-on", "never", "--max-penalty", "10")
    assert code == 1
    # The score lines are opt-in (--show-score); the reason a file failed the gate is not.
    assert "Unconfirmed-issue score" not in out
    reason = re.search(r"bad\.txt: unconfirmed-issue score ([\d.]+) per 1,000 words exceeds", out)
    assert reason and "--max-penalty 10" in out
    assert "clean.txt: unconfirmed" not in out
    args = ("--fail-on", "never", "--max-penalty", "10", "--show-score")
    code, shown, _ = cli("check", str(gated), *args)
    assert "Unconfirmed-issue score (MQM-style; findings are candidate issues" in shown
    # -q: the findings only on stdout; why the run fails still goes to stderr.
    code, quiet, err = cli("check", str(gated), "-q", "--fail-on", "never", "--max-penalty", "10")
    assert code == 1 and "exceeds --max-penalty 10" in err
    assert "exceeds" not in quiet and "Found" not in quiet and "TQ" in quiet


def test_gate_reason_in_json_output(cli, gated: Path) -> None:
    code, out, _ = cli(
        "check", str(gated), "-f", "json", "--fail-on", "never", "--max-penalty", "10"
    )
    assert code == 1
    score = json.loads(out)["summary"]["score"]
    assert score["label"] == LABEL and score["max_penalty"] == 10
    files = {Path(f["path"]).name: f for f in score["files"]}
    assert files["bad.txt"]["over_max_penalty"] and not files["clean.txt"]["over_max_penalty"]
    assert files["bad.txt"]["per_1000_words"] > 10 and files["clean.txt"]["penalty"] == 0
    assert [Path(p).name for p in score["failed"]] == ["bad.txt"]
    assert files["bad.txt"]["by_category"] and files["bad.txt"]["words"] == len(BAD.split())


def test_gate_reason_in_junit_output(cli, gated: Path) -> None:
    code, out, _ = cli(
        "check", str(gated), "-f", "junit", "--fail-on", "never", "--max-penalty", "10"
    )
    assert code == 1 and junit_errors(out) == []
    suites = re.findall(r"<testsuite>.*?</testsuite>|<testsuite .*?</testsuite>", out, re.S)
    bad = next(s for s in suites if "bad.txt" in s.split("<properties>")[0])
    assert 'name="mqm-penalty"' in bad
    assert re.search(r'<failure message="unconfirmed-issue score [\d.]+ per 1,000 words', bad)
    assert 'name="tqcheck.unconfirmed-issue-score.per-1000-words"' in bad
    clean = next(s for s in suites if "clean.txt" in s.split("<properties>")[0])
    assert 'name="mqm-penalty" time="0" />' in clean  # the gate passed for this file


def test_gate_reason_in_sarif_output(cli, gated: Path) -> None:
    code, out, _ = cli(
        "check", str(gated), "-f", "sarif", "--fail-on", "never", "--max-penalty", "10"
    )
    assert code == 1
    log = json.loads(out)
    assert sarif_errors(log) == []
    run = log["runs"][0]
    notes = [
        n
        for n in run["invocations"][0]["toolExecutionNotifications"]
        if n["descriptor"]["id"] == "mqm-penalty"
    ]
    assert len(notes) == 1 and "exceeds --max-penalty 10" in notes[0]["message"]["text"]
    uri = notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri.endswith("bad.txt")
    props = run["properties"]
    assert props["unconfirmedIssueScore"]["label"] == LABEL
    assert props["unconfirmedIssueScore"]["failed"][0].endswith("bad.txt")
    assert props["summary"]["score"]["files"]


def test_gate_in_github_and_gitlab_output(cli, gated: Path) -> None:
    args = ("--fail-on", "never", "--max-penalty", "10")
    _, out, _ = cli("check", str(gated / "bad.txt"), "-f", "github", *args)
    assert re.search(r"^::error file=[^\n]*bad\.txt,title=mqm-penalty::", out, re.M)
    assert "tqcheck: Unconfirmed-issue score" not in out  # the score line needs --show-score
    _, out, _ = cli("check", str(gated / "bad.txt"), "-f", "github", *args, "--show-score")
    assert "tqcheck: Unconfirmed-issue score" in out
    _, out, _ = cli("check", str(gated / "bad.txt"), "-f", "gitlab", *args)
    issues = [i for i in json.loads(out) if i["check_name"] == "mqm-penalty"]
    assert len(issues) == 1 and issues[0]["severity"] == "major"


def test_score_shown_in_html_and_github_step_summary(
    cli, gated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = gated / "step.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    cli("check", str(gated / "bad.txt"), "-f", "github", "--max-penalty", "10")
    text = summary.read_text(encoding="utf-8")
    assert "### Unconfirmed-issue score (`--max-penalty 10`)" in text and "| fail |" in text
    _, html, _ = cli("check", str(gated / "bad.txt"), "-f", "html", "--max-penalty", "10")
    assert 'data-state="present"' in html and 'data-gate="fail"' in html
    assert "findings are candidate issues, not confirmed errors" in html


# --- tqcheck score --------------------------------------------------------------------------

HYP = [
    "The meeting took place against the backdrop of talks.",
    "Putin and Aliyev discussed trade , energy and transport.",
    "The sides signed an agreement.",
    "We are with you in the material on each of them.",
]
REF = [
    "The meeting took place amid talks.",
    "Putin and Aliyev discussed trade, energy and transport.",
    "The two sides signed an agreement.",
    "We cover each of them in this article.",
]


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def sacrebleu_cli(ref: Path, hyp: Path, *metrics: str) -> list[dict[str, object]]:
    result = subprocess.run(
        [sys.executable, "-m", "sacrebleu", str(ref), "-i", str(hyp), "-m", *metrics, "-w", "4"],
        capture_output=True,
        text=True,
        check=True,
    )
    parsed = json.loads(result.stdout)
    return parsed if isinstance(parsed, list) else [parsed]


def assert_same_as_sacrebleu(cli, hyp: Path, ref: Path) -> None:
    expected = sacrebleu_cli(ref, hyp, "bleu", "chrf", "ter")
    code, out, err = cli("score", str(hyp), "--ref", str(ref), "--format", "json")
    assert code == 0, err
    ours = json.loads(out)["scores"]
    assert [s["name"] for s in ours] == [e["name"] for e in expected]
    for mine, theirs in zip(ours, expected, strict=True):
        assert round(mine["score"], 4) == pytest.approx(theirs["score"], abs=1e-9)
        assert mine["signature"] == theirs["signature"]
    code, text, _ = cli("score", str(hyp), "--ref", str(ref))
    for theirs in expected:
        assert f"{theirs['name']}|{theirs['signature']} = " in text  # signature printed


def test_score_equals_sacrebleu_cli(cli, tmp_path: Path) -> None:
    hyp = write_lines(tmp_path / "hyp.en", HYP)
    ref = write_lines(tmp_path / "ref.en", REF)
    assert_same_as_sacrebleu(cli, hyp, ref)


@needs_wmt
def test_score_equals_sacrebleu_cli_on_wmt(cli) -> None:
    assert_same_as_sacrebleu(cli, WMT / "systems" / "Online-B.en", WMT / "ref.A.en")


def test_score_chrf_plus_plus_multiple_references_and_signature(tmp_path: Path) -> None:
    hyp = write_lines(tmp_path / "hyp.en", HYP)
    ref = write_lines(tmp_path / "ref.en", REF)
    ref2 = write_lines(tmp_path / "ref2.en", HYP)
    report = score_files(hyp, [ref, ref2], metrics=parse_metrics("chrf++,bleu"))
    chrf_pp, bleu = report.corpus
    assert chrf_pp.name == "chrF2++" and "nw:2" in chrf_pp.signature
    assert "nrefs:2" in bleu.signature
    assert bleu.score == pytest.approx(100.0)  # the hypothesis is one of the references
    with pytest.raises(ScoreError, match="unknown metric 'meteor'"):
        parse_metrics("bleu,meteor")


def test_score_errors_are_one_line_with_exit_2(cli, tmp_path: Path) -> None:
    hyp = write_lines(tmp_path / "hyp.en", HYP)
    short = write_lines(tmp_path / "short.en", REF[:3])
    empty = tmp_path / "empty.en"
    empty.write_text("", encoding="utf-8")
    for args, message in [
        ((str(hyp), "--ref", str(short)), "has 3 segments but"),
        ((str(empty), "--ref", str(short)), "no segments to score"),
        ((str(hyp),), "--ref"),
        ((str(hyp), "--ref", str(tmp_path / "missing.en")), "cannot read"),
        ((str(hyp), "--ref", str(hyp), "--metrics", "rouge"), "unknown metric"),
        ((str(hyp), "--ref", str(hyp), "--source", str(short)), "source"),
        ((str(hyp), "--ref", str(hyp), "--lowest", "0"), "--lowest"),
    ]:
        code, out, err = cli("score", *args)
        assert code == 2 and out == "", args
        assert err.startswith("tqcheck: error: ") and message in err, (args, err)
        assert len(err.strip().splitlines()) == 1


def test_score_fixed_reports_the_fix_gain(cli, tmp_path: Path) -> None:
    hyp = write_lines(tmp_path / "hyp.en", HYP)
    ref = write_lines(tmp_path / "ref.en", REF)
    report = score_files(hyp, [ref], fixed=True, sentence=True, lowest=2)
    assert report.fixed is not None and report.fixed_lines >= 1
    fixed_line = next(s for s in report.sentences if s.fixed is not None)
    assert fixed_line.line == 2 and fixed_line.fixed == REF[1]  # "trade ," → "trade,"
    gains = dict(report.gains())
    # chrF ignores spaces; TER counts the stray token as an edit.
    assert gains[Metric.CHRF] == 0 and gains[Metric.TER] < 0
    fixed_file = write_lines(
        tmp_path / "fixed.en", [s.fixed or s.hypothesis for s in report.sentences]
    )
    plain = score_files(fixed_file, [ref])
    assert [s.score for s in plain.corpus] == [s.score for s in report.fixed]
    assert len(report.sentences) == 4 and len(report.lowest) == 2
    assert report.lowest[0].scores[0] <= report.lowest[1].scores[0]
    code, out, _ = cli("score", str(hyp), "--ref", str(ref), "--fixed", "--lowest", "1")
    assert code == 0
    assert "After tqcheck's safe fixes (1 of 4 lines changed)" in out
    assert re.search(r"Fix gain \(after - before; for TER lower is better\): BLEU [+-]", out)
    assert "Lowest 1 lines by BLEU:" in out and "    hyp: " in out
    code, out, _ = cli("score", str(hyp), "--ref", str(ref), "--fixed", "--format", "json")
    payload = json.loads(out)
    assert payload["fixed"]["lines_changed"] == 1 and set(payload["fixed"]["gain"]) == {
        "bleu",
        "chrf",
        "ter",
    }


def test_score_reads_xliff_and_po_targets(cli, tmp_path: Path) -> None:
    def xliff(lines: list[str], order: list[int]) -> str:
        units = "".join(
            f'<trans-unit id="u{i}"><source>s{i}</source><target>{lines[i]}</target></trans-unit>'
            for i in order
        )
        return (
            '<?xml version="1.0"?><xliff version="1.2"><file source-language="ru" '
            f'target-language="en"><body>{units}</body></file></xliff>'
        )

    hyp = tmp_path / "hyp.xlf"
    hyp.write_text(xliff(HYP, [0, 1, 2, 3]), encoding="utf-8")
    ref = tmp_path / "ref.xlf"
    ref.write_text(xliff(REF, [3, 2, 1, 0]), encoding="utf-8")  # aligned by unit id
    lines = write_lines(tmp_path / "ref.en", REF)
    assert read_segments(hyp).texts == tuple(HYP)
    by_units = score_files(hyp, [ref])
    by_lines = score_files(write_lines(tmp_path / "hyp.en", HYP), [lines])
    assert [s.score for s in by_units.corpus] == [s.score for s in by_lines.corpus]
    po = tmp_path / "hyp.po"
    po.write_text(
        "".join(f'msgid "s{i}"\nmsgstr "{text}"\n\n' for i, text in enumerate(HYP)),
        encoding="utf-8",
    )
    assert read_segments(po).texts == tuple(HYP)
    assert [s.score for s in score_files(po, [lines]).corpus] == [s.score for s in by_lines.corpus]
    code, _, _err = cli("score", str(tmp_path / "hyp.md"), "--ref", str(lines))
    assert code == 2


# --- tqcheck rank ---------------------------------------------------------------------------


def test_rank_orders_by_penalty_per_thousand_words(cli, tmp_path: Path) -> None:
    pin_severities(tmp_path)
    worse = write_lines(tmp_path / "worse.en", HYP)
    better = write_lines(tmp_path / "better.en", REF)
    ref = write_lines(tmp_path / "ref.en", REF)
    ranking, errors = rank_files([str(worse), str(better)])
    assert errors == ()
    assert [Path(f.path).name for f in ranking.files] == ["better.en", "worse.en"]
    assert ranking.files[0].per_1k <= ranking.files[1].per_1k and ranking.files[1].penalty > 0
    code, out, _ = cli("rank", str(worse), str(better), "--ref", str(ref))
    assert code == 0
    rows = [line for line in out.splitlines() if re.match(r"\s*\d+\s", line)]
    assert "better.en" in rows[0] and "worse.en" in rows[1]
    assert "BLEU" in out and "chrF2" in out and "nrefs:1" in out
    assert "lower is better" in out and "candidate issues" in out
    code, out, _ = cli("rank", str(worse), str(better), "--ref", str(ref), "--format", "json")
    payload = json.loads(out)
    assert [Path(f["path"]).name for f in payload["files"]] == ["better.en", "worse.en"]
    assert payload["files"][0]["metrics"]["BLEU"] == pytest.approx(100.0)
    code, _, err = cli("rank", str(worse), "--ref", str(tmp_path / "short.en"))
    assert code == 2 and "cannot read" in err


@needs_wmt
def test_rank_wmt_systems_matches_check(cli) -> None:
    paths = [str(WMT / "systems" / f"{name}.en") for name in ("Online-B", "ALMAnaCH-Inria")]
    ranking, _ = rank_files(paths)
    report = check_paths(paths)
    assert report.score is not None
    for ranked in ranking.files:
        document = report.score.document(ranked.path)
        assert document is not None and document.per_1k == ranked.per_1k


# --- bench statistics -----------------------------------------------------------------------


def test_statistics_on_textbook_cases() -> None:
    xs = [1.0, 2.0, 3.0, 4.0, 5.0]
    assert pearson(xs, [2 * x + 1 for x in xs]) == pytest.approx(1.0)
    assert pearson(xs, [-x for x in xs]) == pytest.approx(-1.0)
    assert math.isnan(pearson(xs, [1.0] * 5))
    # Hand-computed: r = 0.8 for these (classic example).
    assert pearson([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]) == pytest.approx(0.8)
    assert ranks([10, 20, 20, 30]) == [1, 2.5, 2.5, 4]
    assert spearman([1, 2, 3, 4], [1, 3, 2, 4]) == pytest.approx(0.8)
    assert spearman(xs, [x**3 for x in xs]) == pytest.approx(1.0)  # monotone, not linear
    # Kendall: one discordant pair of ten → (9 - 1) / 10.
    assert kendall_tau([1, 2, 3, 4, 5], [1, 2, 3, 5, 4]) == pytest.approx(0.8)
    # tau-b with ties: C=4, D=0, ties in x=1, ties in y=1 → 4 / sqrt(5 * 5).
    assert kendall_tau([1, 1, 2, 3], [1, 2, 2, 3]) == pytest.approx(4 / 5)
    assert permutation_p(pearson, xs, xs, rounds=500) < 0.05
    noise = [0.3, -1.2, 0.8, 0.1, -0.4]
    assert permutation_p(pearson, xs, noise, rounds=500) > 0.2


def test_readme_quotes_the_measured_figures() -> None:
    measured = (ROOT / "bench" / "README-scores.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    issue_row = re.search(
        r"\| tqcheck issue score \(−penalty per 1k words\) \(10 systems\) \| ([+-][\d.]+) \| "
        r"[^|]+ \| ([+-][\d.]+) \|",
        measured,
    )
    chrf_row = re.search(
        r"\| chrF vs ref\.A \(10 systems\) \| ([+-][\d.]+) \| [^|]+ \| ([+-][\d.]+)", measured
    )
    document_row = re.search(r"\| all \| \d+ \| ([+-][\d.]+) \|", measured)
    assert issue_row and chrf_row and document_row
    for figure in (*issue_row.groups(), *chrf_row.groups(), document_row.group(1)):
        assert figure in readme, figure


def test_check_does_not_import_sacrebleu_or_langdetect() -> None:
    code = (
        "import sys\n"
        "from tqcheck.cli import run\n"
        f"run(['check', {str(SEED)!r}, '-q', '--max-penalty', '5'])\n"
        "print(sorted(m for m in ('sacrebleu', 'langdetect') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"
