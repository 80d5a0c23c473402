"""Measure recall against an editor's marks on real machine-translated news (issue 13).

Run ``python -m bench.recall`` from the repository root. It checks every excerpt of
``../shared/data/mt-news-dev`` with the default configuration (what ``tqcheck check
article.txt`` reports) and the native-English lines of ``../shared/data/native-en``, then
reports, for each half of the marked articles (dev: ``dA-…``, tuned on; held: ``dB-…``):

- recall of the editor's marks, overall, by category and by severity. A mark is *found* when a
  finding overlaps its span and is not much longer than it: at most 3× the mark's length or 30
  characters more, whichever is larger;
- the share of findings on the marked MT-style excerpts that sit on a mark (same test), and the
  share that sit on a mark or were judged real on a reading (``bench/recall-judged.tsv``);
- findings per 1,000 words on the professional excerpts and on native-en, by severity;
- per rule: marks found, findings on and off marks, native-en and professional rates.

``--write`` stores the figures in ``bench/README-recall.md`` and per-rule figures in the
``mt_news`` section of ``rules/evidence.json``; ``--extras`` writes the findings that sit on no
mark to ``bench/recall-extras.new.tsv`` for judging (merge judgements into
``recall-judged.tsv``).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.mtnews import (
    MTNEWS_ENV,
    Article,
    Mark,
    load_articles,
    load_marks,
    load_native,
    mtnews_dir,
)
from bench.wmt import sample_key
from tqcheck.api import engine_for, load_ruleset
from tqcheck.config import Config
from tqcheck.engine import Engine
from tqcheck.findings import Finding
from tqcheck.fix import Applicability, apply_edits_within
from tqcheck.loaders import load_string

HERE = Path(__file__).resolve().parent
README = HERE / "README-recall.md"
JUDGED = HERE / "recall-judged.tsv"
EXTRAS = HERE / "recall-extras.new.tsv"
# Work files with context for judging (third-party text: git-ignored, never committed); the
# judged files keep only the flagged phrase, the fix and the verdict.
FIX_SAMPLE_WORK = HERE / "fix-sample.new.tsv"
FIX_SAMPLE = HERE / "fix-sample.tsv"
FIX_SAMPLE_SEED = 13
FIX_SAMPLE_SIZE = 60
EVIDENCE_PATH = HERE.parent / "rules" / "evidence.json"
HALVES = ("dev", "held")
SEVERITIES = ("error", "warning", "info")
CATEGORIES = (
    "calque",
    "false-friend",
    "name-form",
    "punctuation",
    "number-format",
    "article",
    "untranslated",
    "spacing",
    "syntax",
)
# A whole-sentence finding finds nothing: at most 3x the mark or 30 characters more.
LENGTH_FACTOR = 3
LENGTH_SLACK = 30
CONTEXT = 60


def covers(finding: Finding, start: int, end: int) -> bool:
    """Say whether a finding finds the span [start, end): overlap, and not much longer."""
    apart = finding.end_offset <= start or finding.offset >= end
    # Zero-width findings (an insertion point) count when they sit inside the span.
    inside = finding.offset == finding.end_offset and start <= finding.offset <= end
    if apart and not inside:
        return False
    length = end - start
    limit = max(LENGTH_FACTOR * length, length + LENGTH_SLACK)
    return finding.end_offset - finding.offset <= limit


def judgement_key(file: str, finding: Finding) -> tuple[str, str, int, str]:
    """Return the key a judged extra is stored under: file, rule, offset, flagged text."""
    return (file, finding.rule, finding.offset, finding.text)


def load_judged(path: Path = JUDGED) -> dict[tuple[str, str, int, str], str]:
    """Return the judged extras: key → ``real`` or ``false``."""
    if not path.is_file():
        return {}
    judged = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            key = (row["file"], row["rule"], int(row["offset"]), _unescape(row["text"]))
            judged[key] = row["verdict"].strip()
    return judged


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _unescape(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append({"t": "\t", "n": "\n", "\\": "\\"}.get(text[i + 1], text[i + 1]))
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


@dataclass
class HalfFigures:
    """Hold one half's counts: marks found, findings on and off marks, judged extras."""

    marks: int = 0
    found: int = 0
    by_category: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    by_severity: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    findings: int = 0
    on_mark: int = 0
    judged_real: int = 0
    judged_false: int = 0
    unjudged: int = 0

    @property
    def recall(self) -> float:
        """Return the share of marks found."""
        return self.found / self.marks if self.marks else 0.0

    @property
    def on_mark_share(self) -> float:
        """Return the share of findings that sit on a mark."""
        return self.on_mark / self.findings if self.findings else 0.0

    @property
    def real_share(self) -> float:
        """Return the share of findings on a mark or judged real (unjudged count as false)."""
        good = self.on_mark + self.judged_real
        return good / self.findings if self.findings else 0.0


@dataclass
class RuleFigures:
    """Hold one rule's counts across the corpora."""

    found: Counter[str] = field(default_factory=Counter)  # marks found, by half
    on_mark: Counter[str] = field(default_factory=Counter)
    off_mark: Counter[str] = field(default_factory=Counter)
    judged_real: Counter[str] = field(default_factory=Counter)
    judged_false: Counter[str] = field(default_factory=Counter)
    native: int = 0
    pro: int = 0


@dataclass
class Results:
    """Hold every figure the benchmark reports."""

    halves: dict[str, HalfFigures]
    rules: dict[str, RuleFigures]
    native_words: int
    native_by_severity: Counter[str]
    pro_words: int
    pro_by_severity: Counter[str]
    extras: list[tuple[str, Finding]]
    missed: list[Mark]


def check_article(engine: Engine, article: Article) -> list[Finding]:
    """Check one excerpt as a plain-text article."""
    return engine.check(load_string(article.name, article.text))


def check_native(engine: Engine, lines: Sequence[str]) -> list[Finding]:
    """Check the native-English lines as one line file (each line its own segment)."""
    findings: list[Finding] = []
    chunk = 2000
    for start in range(0, len(lines), chunk):
        text = "\n".join(lines[start : start + chunk]) + "\n"
        findings += engine.check(load_string(f"native.en@{start}", text, input_format="lines"))
    return findings


def measure(engine: Engine, *, native: bool = True, judged_path: Path = JUDGED) -> Results:
    """Run the engine over the corpora and count everything."""
    articles = load_articles()
    marks = load_marks()
    judged = load_judged(judged_path)
    by_file: dict[str, list[Mark]] = defaultdict(list)
    for mark in marks:
        by_file[mark.file].append(mark)
    halves = {h: HalfFigures() for h in HALVES}
    rules: dict[str, RuleFigures] = defaultdict(RuleFigures)
    extras: list[tuple[str, Finding]] = []
    missed: list[Mark] = []
    pro_words = 0
    pro_sev: Counter[str] = Counter()
    for article in articles:
        findings = check_article(engine, article)
        if article.kind == "pro":
            pro_words += article.words
            for f in findings:
                pro_sev[f.severity.value] += 1
                rules[f.rule].pro += 1
        file_marks = by_file.get(article.name)
        if not file_marks:
            continue
        figures = halves[article.half]
        for mark in file_marks:
            hits = [f for f in findings if covers(f, mark.start, mark.end)]
            figures.marks += 1
            figures.by_category[mark.category][1] += 1
            figures.by_severity[mark.severity][1] += 1
            if hits:
                figures.found += 1
                figures.by_category[mark.category][0] += 1
                figures.by_severity[mark.severity][0] += 1
                for code in {f.rule for f in hits}:
                    rules[code].found[article.half] += 1
            else:
                missed.append(mark)
        if article.kind != "mt":
            continue
        for f in findings:
            figures.findings += 1
            if any(covers(f, m.start, m.end) for m in file_marks):
                figures.on_mark += 1
                rules[f.rule].on_mark[article.half] += 1
                continue
            rules[f.rule].off_mark[article.half] += 1
            verdict = judged.get(judgement_key(article.name, f))
            if verdict == "real":
                figures.judged_real += 1
                rules[f.rule].judged_real[article.half] += 1
            elif verdict == "false":
                figures.judged_false += 1
                rules[f.rule].judged_false[article.half] += 1
            else:
                figures.unjudged += 1
                extras.append((article.name, f))
    native_words = 0
    native_sev: Counter[str] = Counter()
    if native:
        lines = load_native()
        native_words = sum(len(line.split()) for line in lines)
        for f in check_native(engine, lines):
            native_sev[f.severity.value] += 1
            rules[f.rule].native += 1
    return Results(
        halves, dict(rules), native_words, native_sev, pro_words, pro_sev, extras, missed
    )


def _pct(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:.1f} %" if whole else "–"


def _per_1k(count: int, words: int) -> str:
    return f"{1000.0 * count / words:.2f}" if words else "–"


def _rate_rows(label: str, words: int, sev: Mapping[str, int]) -> str:
    warn = sev.get("error", 0) + sev.get("warning", 0)
    total = sum(sev.values())
    cells = [_per_1k(sev.get(s, 0), words) for s in SEVERITIES]
    return (
        f"| {label} | {words:,} | {' | '.join(cells)} | {_per_1k(warn, words)} | "
        f"{_per_1k(total, words)} |"
    )


def render(
    results: Results, every_rule: Results | None = None, with_dash: Results | None = None
) -> str:
    """Return the Markdown write-up: overall figures of the default set, then every rule.

    ``with_dash`` is the default set plus the opt-in TQ306 (spaced hyphen as a dash), whose
    trade-off between recall and native-English false alarms the write-up states.
    """
    every_rule = every_rule or results
    h = results.halves
    out = [
        "# Recall on real machine-translated news (issue 13)",
        "",
        "`python -m bench.recall --write` checks every excerpt of `../shared/data/mt-news-dev` "
        "with the default configuration and compares the findings with the editor's marks "
        "(`marks/marks.tsv`: 555 marks on 40 excerpts). A mark is *found* when a finding "
        "overlaps it and is at most 3× its length or 30 characters longer, whichever is larger. "
        "Halves are by file: `dA-…` is *dev* (rules were tuned on it), `dB-…` is *held* "
        "(reported only). False alarms are measured on the 30 professional excerpts and on "
        "`../shared/data/native-en` (English-original text, one segment per line).",
        "",
        "## Recall of the editor's marks",
        "",
        "| | dev | held | all |",
        "|---|---|---|---|",
    ]

    def row(label: str, get: object) -> str:
        cells = []
        total = [0, 0]
        for half in HALVES:
            found, count = get(h[half])  # type: ignore[operator]
            total[0] += found
            total[1] += count
            cells.append(f"{_pct(found, count)} ({found}/{count})")
        cells.append(f"{_pct(total[0], total[1])} ({total[0]}/{total[1]})")
        return f"| {label} | {' | '.join(cells)} |"

    out.append(row("**all marks**", lambda f: (f.found, f.marks)))
    for sev in ("major", "minor"):
        out.append(row(f"{sev}", lambda f, s=sev: tuple(f.by_severity.get(s, [0, 0]))))
    for cat in CATEGORIES:
        out.append(row(f"{cat}", lambda f, c=cat: tuple(f.by_category.get(c, [0, 0]))))
    out += [
        "",
        *_dash_lines(results, with_dash),
        "## Findings on the marked MT-style excerpts",
        "",
        "| | dev | held | all |",
        "|---|---|---|---|",
        row("sit on a mark", lambda f: (f.on_mark, f.findings)),
        row("on a mark or judged real", lambda f: (f.on_mark + f.judged_real, f.findings)),
        row("judged false alarm", lambda f: (f.judged_false, f.findings)),
        row("not judged yet", lambda f: (f.unjudged, f.findings)),
        "",
        "The extras (findings on no mark) were judged on a reading by a reviewer who had not "
        "written the rules; verdicts are in `bench/recall-judged.tsv`.",
        "",
        "## False alarms: findings per 1,000 words",
        "",
        "| corpus | words | error | warning | info | warning and above | any |",
        "|---|---|---|---|---|---|---|",
        _rate_rows("native-en", results.native_words, results.native_by_severity),
        _rate_rows("professional excerpts (30)", results.pro_words, results.pro_by_severity),
        "",
        "The professional excerpts carry a few real marks (0–5 each), so not every finding "
        "there is a false alarm.",
        "",
        "## Safe fixes, judged",
        "",
        *_fix_sample_lines(),
        "",
        "## Per rule",
        "",
        "Every rule, opt-in ones too (the overall figures above count the default set): marks "
        "found (dev/held), findings on a mark and off one on the marked MT-style excerpts, "
        "off-mark findings judged real, and hits on native-en and on the professional excerpts.",
        "",
        "| rule | marks found | on a mark | off a mark | judged real | native-en | pro |",
        "|---|---|---|---|---|---|---|",
    ]
    for code in sorted(every_rule.rules):
        r = every_rule.rules[code]
        out.append(
            f"| {code} | {r.found['dev']}/{r.found['held']} | {sum(r.on_mark.values())} | "
            f"{sum(r.off_mark.values())} | {sum(r.judged_real.values())} | {r.native} | "
            f"{r.pro} |"
        )
    return "\n".join(out) + "\n"


def _dash_lines(results: Results, with_dash: Results | None) -> list[str]:
    if with_dash is None:
        return []

    def recall(r: Results, half: str) -> str:
        f = r.halves[half]
        return f"{_pct(f.found, f.marks)}"

    def native_any(r: Results) -> str:
        return _per_1k(sum(r.native_by_severity.values()), r.native_words)

    return [
        "",
        "With the opt-in TQ306 (a spaced hyphen used as a dash) turned on, recall would be "
        f"{recall(with_dash, 'dev')} on dev and {recall(with_dash, 'held')} on held (against "
        f"{recall(results, 'dev')} and {recall(results, 'held')}), and native-en would get "
        f"{native_any(with_dash)} findings per 1,000 words at any severity (against "
        f"{native_any(results)}): native English uses spaced hyphens as often as MT copy, so "
        "the rule is house style and off by default.",
        "",
    ]


def _fix_sample_lines() -> list[str]:
    rows = read_fix_sample()
    judged = [r for r in rows if r["verdict"] in ("right", "wrong")]
    right = sum(r["verdict"] == "right" for r in judged)
    lines = [
        f"A seeded sample (`--fix-sample 60`, seed {FIX_SAMPLE_SEED}) of the safe fixes on the "
        "MT-style excerpts, each judged in its context by a reviewer who had not written the "
        "rules (`bench/fix-sample.tsv`).",
        "",
        f"**{right} of {len(judged)} judged right** ({len(rows) - len(judged)} not judged). "
        + (
            f"The excerpts have only {len(rows)} safe fixes, so the sample is all of them."
            if len(rows) < FIX_SAMPLE_SIZE
            else ""
        ),
    ]
    wrong = [r for r in judged if r["verdict"] == "wrong"]
    lines += [
        f"- wrong: {r['rule']} “{r['flagged']}” → “{r['replacement']}”: {r['note']}" for r in wrong
    ]
    return lines


def rule_evidence(
    results: Results, codes: Iterable[str]
) -> dict[str, dict[str, float | int | None]]:
    """Return the per-rule figures stored in evidence.json's ``mt_news`` section."""
    out: dict[str, dict[str, float | int | None]] = {}
    for code in sorted(codes):
        r = results.rules.get(code, RuleFigures())
        on = sum(r.on_mark.values())
        real = sum(r.judged_real.values())
        total = on + sum(r.off_mark.values())
        out[code] = {
            "marks_found": sum(r.found.values()),
            "findings_mt": total,
            "precision_mt": (on + real) / total if total else None,
            "native_hits": r.native,
            "native_per_1k": 1000.0 * r.native / results.native_words
            if results.native_words
            else None,
        }
    return out


def write_extras(
    extras: Iterable[tuple[str, Finding]], articles: Mapping[str, str], path: Path = EXTRAS
) -> int:
    """Write the unjudged off-mark findings, with context, for judging."""
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("file\trule\toffset\ttext\tcontext\tmessage\tverdict\n")
        for name, f in extras:
            text = articles[name]
            left = text[max(0, f.offset - CONTEXT) : f.offset]
            right = text[f.end_offset : f.end_offset + CONTEXT]
            context = f"{left}⟦{f.text}⟧{right}"
            handle.write(
                "\t".join(
                    (
                        name,
                        f.rule,
                        str(f.offset),
                        _escape(f.text),
                        _escape(context),
                        _escape(f.message),
                        "",
                    )
                )
                + "\n"
            )
            rows += 1
    return rows


def applied_fixes(engine: Engine) -> list[tuple[str, Finding, str, str]]:
    """Return every safe fix on the MT-style excerpts: file, finding, text before and after.

    Before and after are the fixed span with CONTEXT characters either side, so a reader can
    judge whether the fix is right where it stands.
    """
    rows = []
    for article in load_articles():
        if article.kind != "mt":
            continue
        text = article.text
        for f in check_article(engine, article):
            if f.fix is None or f.fix.applicability is not Applicability.SAFE:
                continue
            edits = sorted(f.fix.edits, key=lambda e: e.offset)
            lo = max(0, edits[0].offset - CONTEXT)
            hi = min(len(text), edits[-1].end_offset + CONTEXT)
            after = apply_edits_within(text, lo, hi, edits)
            rows.append((article.name, f, text[lo:hi], after))
    return rows


FIX_COLUMNS = ("file", "rule", "offset", "flagged", "replacement", "verdict", "note")


def write_fix_sample(engine: Engine, size: int) -> int:
    """Draw a seeded sample of applied safe fixes: the judged file and a work file to judge.

    ``bench/fix-sample.tsv`` gets the drawn fixes (verdicts already there are kept);
    ``bench/fix-sample.new.tsv`` the same rows with the text around each fix, for the judge.
    """
    old: dict[tuple[str, str, str], tuple[str, str]] = {}
    for row in read_fix_sample():
        old[(row["file"], row["rule"], row["offset"])] = (row["verdict"], row["note"])
    rows = applied_fixes(engine)
    picked = fix_sample_indices(rows, size)
    with (
        FIX_SAMPLE.open("w", encoding="utf-8", newline="") as judged,
        FIX_SAMPLE_WORK.open("w", encoding="utf-8", newline="") as work,
    ):
        judged.write("\t".join(FIX_COLUMNS) + "\n")
        work.write("file\trule\toffset\tbefore\tafter\tmessage\n")
        for index in picked:
            name, f, before, after = rows[index]
            replacement = "".join(e.replacement for e in f.fix.edits) if f.fix else ""
            verdict, note = old.get((name, f.rule, str(f.offset)), ("", ""))
            cells = (name, f.rule, str(f.offset), _escape(f.text), _escape(replacement))
            judged.write("\t".join((*cells, verdict, note)) + "\n")
            work.write(
                "\t".join((name, f.rule, str(f.offset), _escape(before), _escape(after), f.message))
                + "\n"
            )
    return len(picked)


def fix_sample_indices(rows: Sequence[tuple[str, Finding, str, str]], size: int) -> list[int]:
    """Return the rows of the seeded bottom-k sample of fixes, in corpus order.

    A rule change only swaps the fixes it adds or removes; the other judgements stay valid.
    """
    keyed = sorted(
        range(len(rows)),
        key=lambda i: sample_key(FIX_SAMPLE_SEED, rows[i][0], rows[i][1].rule, rows[i][1].offset),
    )
    return sorted(keyed[:size])


def read_fix_sample(path: Path = FIX_SAMPLE) -> list[dict[str, str]]:
    """Return the rows of the judged fix sample (empty when it was never drawn)."""
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; print the write-up, or store it with ``--write``."""
    parser = argparse.ArgumentParser(prog="python -m bench.recall", description=__doc__)
    parser.add_argument("--write", action="store_true", help="write README-recall.md, evidence")
    parser.add_argument("--extras", action="store_true", help="write unjudged extras to judge")
    parser.add_argument("--missed", action="store_true", help="print the marks not found")
    parser.add_argument("--no-native", action="store_true", help="skip native-en (faster)")
    parser.add_argument(
        "--corpus", type=Path, help="another marked corpus of mt-news-dev's layout (print only)"
    )
    parser.add_argument(
        "--judged", type=Path, default=JUDGED, help="judged extras (with --corpus: its own)"
    )
    parser.add_argument(
        "--extras-to", type=Path, default=EXTRAS, help="where --extras writes (outside the repo)"
    )
    parser.add_argument(
        "--fix-sample", type=int, metavar="N", help="write N applied safe fixes to judge"
    )
    args = parser.parse_args(argv)
    if args.corpus is not None:
        if args.write or args.fix_sample:
            parser.error("--corpus prints figures only (the stored files are mt-news-dev's)")
        os.environ[MTNEWS_ENV] = str(args.corpus)
    if mtnews_dir() is None:
        print("mt-news-dev corpus not found (../shared/data/mt-news-dev)", file=sys.stderr)
        return 2
    # Every rule runs, opt-in ones too, so that evidence.json shows why a rule is off; the
    # write-up's overall figures count the default set only.
    everything = Engine(list(load_ruleset().rules))
    results = measure(everything, native=not args.no_native, judged_path=args.judged)
    default = measure(engine_for(), native=not args.no_native, judged_path=args.judged)
    with_dash = None
    if args.corpus is None:
        dash = engine_for(Config(extend_select=("TQ306",)))
        with_dash = measure(dash, native=not args.no_native, judged_path=args.judged)
    text = render(default, results, with_dash)
    if args.missed:
        for m in default.missed:
            print(f"MISS {m.file[:24]}\t{m.category}\t{m.severity}\t{m.quote!r}\t{m.fix}")
    if args.extras:
        articles = {a.name: a.text for a in load_articles()}
        count = write_extras(default.extras, articles, args.extras_to)
        print(f"{count} extras → {args.extras_to}", file=sys.stderr)
    if args.fix_sample:
        count = write_fix_sample(engine_for(), args.fix_sample)
        print(f"{count} applied safe fixes → {FIX_SAMPLE}", file=sys.stderr)
    if args.write:
        README.write_text(text, encoding="utf-8")
        evidence = json.loads(EVIDENCE_PATH.read_text(encoding="utf-8"))
        evidence["mt_news"] = rule_evidence(results, (r.code for r in load_ruleset().rules))
        EVIDENCE_PATH.write_text(
            json.dumps(evidence, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
