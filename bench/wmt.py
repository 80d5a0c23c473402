"""Measure every rule on the WMT22 ru-en development corpus (issue 3).

Run ``python -m bench.wmt`` from the repository root. For the ten MT outputs and the human
reference it reports, overall and per rule, on the whole corpus and on each document half
(dev: tuned on; held: held back):

- findings per 1,000 words on MT output vs on the human reference, and their ratio;
- the mean human DA z-score of MT segments a rule fires on vs segments it does not, and the
  ROC-AUC of "flagged" as a predictor of a lower human score;
- fix gain: corpus chrF and BLEU of the safe-fixed MT output vs the reference minus the same
  for the unfixed output, per system, and how many fixed lines got a lower sentence chrF.

``--write-evidence`` stores each rule's figures in ``rules/evidence.json`` (shown by
``tqcheck rule CODE``); ``--sample N`` writes a seeded random sample of findings on the held
half to ``bench/precision-sample.tsv`` for manual judgement.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.corpus import (
    corpus_dir,
    load_da,
    load_docs,
    load_reference,
    load_source,
    load_systems,
    split_of,
)
from tqcheck.api import engine_for, load_ruleset
from tqcheck.engine import Engine
from tqcheck.findings import Finding
from tqcheck.fix import Applicability, fix_to_fixed_point
from tqcheck.loaders import load_string
from tqcheck.rule import Severity

REFERENCE = "ref.A"
EVIDENCE_PATH = Path(__file__).resolve().parents[1] / "rules" / "evidence.json"
SAMPLE_PATH = Path(__file__).resolve().parent / "precision-sample.tsv"
SPLITS = ("all", "dev", "held")
# The judged sample in bench/precision-sample.tsv: `python -m bench.wmt --sample 100`.
SAMPLE_SEED = 7


@dataclass
class Tally:
    """Count hits and words of one output set on one split."""

    words: int = 0
    hits: int = 0
    by_rule: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def per_1k(self, code: str | None = None) -> float:
        """Return hits per 1,000 words (overall or for one rule)."""
        count = self.hits if code is None else self.by_rule.get(code, 0)
        return 1000.0 * count / self.words if self.words else 0.0


@dataclass(frozen=True)
class LineResult:
    """Hold the findings of one line of one output."""

    output: str
    line: int
    findings: tuple[Finding, ...]


def check_lines(
    engine: Engine, output: str, lines: Sequence[str], sources: Sequence[str] | None = None
) -> list[LineResult]:
    """Check each line as its own one-segment document (with its source line, if given)."""
    results = []
    for index, text in enumerate(lines):
        if not text.strip():
            results.append(LineResult(output, index, ()))
            continue
        name = f"{output}:{index + 1}"
        if sources is None:
            document = load_string(name, text)
        else:
            document = load_string(name, text, input_format="lines", source=sources[index])
        results.append(LineResult(output, index, tuple(engine.check(document))))
    return results


@dataclass
class Measures:
    """Hold one mode's hit tallies and the DA z-scores of flagged and unflagged MT segments."""

    mt: dict[str, Tally]
    ref: dict[str, Tally]
    flagged_z: dict[str, dict[str, list[float]]]
    unflagged_z: dict[str, list[float]]
    any_flag: dict[str, list[float]]
    warn_flag: dict[str, list[float]]
    warn_unflagged: dict[str, list[float]]

    def overall(self) -> dict[str, dict[str, float]]:
        """Return, per split, the rates, their ratio, and the DA contrast of flagged segments."""
        out = {}
        for s in SPLITS:
            mt, ref = self.mt[s].per_1k(), self.ref[s].per_1k()
            out[s] = {
                "mt_per_1k": mt,
                "ref_per_1k": ref,
                "ratio": mt / ref if ref else float("inf"),
                "da_flagged": mean(self.any_flag[s]),
                "da_unflagged": mean(self.unflagged_z[s]),
                "auc": auc_lower(self.any_flag[s], self.unflagged_z[s]),
                "flagged_segments": len(self.any_flag[s]),
                "warn_da_flagged": mean(self.warn_flag[s]),
                "warn_da_unflagged": mean(self.warn_unflagged[s]),
                "warn_auc": auc_lower(self.warn_flag[s], self.warn_unflagged[s]),
                "warn_flagged_segments": len(self.warn_flag[s]),
            }
        return out


def measure(
    results: dict[str, list[LineResult]],
    outputs: dict[str, list[str]],
    da: Mapping[tuple[str, int], float],
    split_by_line: Mapping[int, str],
    selected: Collection[str] | None = None,
) -> Measures:
    """Tally hits per output set and split, and sort MT segments' DA by whether a rule fired.

    Every rule's hits are tallied (``by_rule``, ``flagged_z``); the overall figures (``hits``,
    flagged and unflagged segments) count only the ``selected`` rules, by default all.
    """
    m = Measures(
        mt={s: Tally() for s in SPLITS},
        ref={s: Tally() for s in SPLITS},
        flagged_z={s: defaultdict(list) for s in SPLITS},
        unflagged_z={s: [] for s in SPLITS},
        any_flag={s: [] for s in SPLITS},
        warn_flag={s: [] for s in SPLITS},
        warn_unflagged={s: [] for s in SPLITS},
    )
    for name, lines in outputs.items():
        tallies = m.ref if name == REFERENCE else m.mt
        for result in results[name]:
            words = len(lines[result.line].split())
            counted = [f for f in result.findings if selected is None or f.rule in selected]
            for split in ("all", split_by_line[result.line]):
                tally = tallies[split]
                tally.words += words
                tally.hits += len(counted)
                for finding in result.findings:
                    tally.by_rule[finding.rule] += 1
            z = da.get((name, result.line))
            if name == REFERENCE or z is None:
                continue
            warned = any(f.severity.rank >= Severity.WARNING.rank for f in counted)
            for s in ("all", split_by_line[result.line]):
                (m.any_flag if counted else m.unflagged_z)[s].append(z)
                (m.warn_flag if warned else m.warn_unflagged)[s].append(z)
                for code in {f.rule for f in result.findings}:
                    m.flagged_z[s][code].append(z)
    return m


def auc_lower(flagged: Sequence[float], unflagged: Sequence[float]) -> float:
    """Return P(a flagged segment scores lower than an unflagged one), ties counting half."""
    if not flagged or not unflagged:
        return float("nan")
    scored = sorted([(z, 1) for z in flagged] + [(z, 0) for z in unflagged])
    # Mann-Whitney U via average ranks.
    ranks: list[float] = [0.0] * len(scored)
    i = 0
    while i < len(scored):
        j = i
        while j + 1 < len(scored) and scored[j + 1][0] == scored[i][0]:
            j += 1
        for k in range(i, j + 1):
            ranks[k] = (i + j) / 2 + 1
        i = j + 1
    rank_sum = sum(r for r, (_, f) in zip(ranks, scored, strict=True) if f)
    n1, n0 = len(flagged), len(unflagged)
    u_flagged_higher = rank_sum - n1 * (n1 + 1) / 2
    return 1.0 - u_flagged_higher / (n1 * n0)


def mean(values: Iterable[float]) -> float:
    """Return the mean, or NaN for no values."""
    items = list(values)
    return sum(items) / len(items) if items else float("nan")


def fix_gain(
    engine: Engine, systems: dict[str, list[str]], reference: list[str]
) -> tuple[dict[str, dict[str, float]], dict[str, list[tuple[int, int]]]]:
    """Apply safe fixes line by line; return per-system metric deltas and changed lines."""
    import sacrebleu

    gains: dict[str, dict[str, float]] = {}
    per_rule: dict[str, list[tuple[int, int]]] = defaultdict(list)
    chrf = sacrebleu.CHRF()
    for name, lines in systems.items():
        fixed_lines = []
        worse = 0
        changed = 0

        def check(current: str) -> list[Finding]:
            return engine.check(load_string("line", current))

        for text, ref in zip(lines, reference, strict=True):
            outcome = fix_to_fixed_point(text, check, Applicability.SAFE)
            codes = set(outcome.applied_by_code)  # the rules whose fixes changed this line
            fixed_lines.append(outcome.text)
            if outcome.text != text:
                changed += 1
                before = chrf.sentence_score(text, [ref]).score
                after = chrf.sentence_score(outcome.text, [ref]).score
                lower = after < before - 1e-9
                worse += lower
                for code in codes:
                    per_rule[code].append((1, int(lower)))
        bleu_before = sacrebleu.corpus_bleu(lines, [reference]).score
        bleu_after = sacrebleu.corpus_bleu(fixed_lines, [reference]).score
        chrf_before = sacrebleu.corpus_chrf(lines, [reference]).score
        chrf_after = sacrebleu.corpus_chrf(fixed_lines, [reference]).score
        gains[name] = {
            "chrf_before": chrf_before,
            "chrf_gain": chrf_after - chrf_before,
            "bleu_before": bleu_before,
            "bleu_gain": bleu_after - bleu_before,
            "lines_changed": changed,
            "lines_lower_chrf": worse,
        }
    return gains, per_rule


def draw_sample(
    results: Mapping[str, list[LineResult]],
    selected: Collection[str] | None,
    split_by_line: Mapping[int, str],
    size: int,
    seed: int,
) -> list[tuple[str, LineResult, Finding]]:
    """Draw the seeded precision sample: MT findings of the selected rules on the held half.

    The draw is a seeded bottom-k sample (the findings whose keyed hash is smallest), so a rule
    change only swaps the rows it adds or removes: the other judgements stay valid.
    """
    held = [
        (name, r, f)
        for name in sorted(results)
        if name != REFERENCE
        for r in results[name]
        if split_by_line[r.line] == "held"
        for f in r.findings
        if selected is None or f.rule in selected
    ]
    picked = sorted(
        held,
        key=lambda item: sample_key(seed, item[2].rule, item[0], item[1].line, item[2].text),
    )[:size]
    picked.sort(key=lambda item: (item[2].rule, item[0], item[1].line))
    return picked


def sample_key(seed: int, *parts: object) -> str:
    """Return the hash that orders a finding in a seeded bottom-k sample."""
    text = "\x1f".join(str(p) for p in (seed, *parts))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


OVERALL_HEADER = "| split | MT per 1k words | ref per 1k words | MT/ref | DA z flagged | DA z unflagged | Δ | ROC-AUC |"
WARNING_HEADER = "| split | flagged segments | DA z flagged | DA z unflagged | Δ | ROC-AUC |"


def _overall_row(split: str, o: Mapping[str, float]) -> str:
    """Format one split's rates and DA contrast of segments with any finding."""
    return (
        f"| {split} | {o['mt_per_1k']:.3f} | {o['ref_per_1k']:.3f} | {o['ratio']:.1f} | "
        f"{o['da_flagged']:+.3f} | {o['da_unflagged']:+.3f} | "
        f"{o['da_flagged'] - o['da_unflagged']:+.3f} | {o['auc']:.3f} |"
    )


def _warning_row(split: str, o: Mapping[str, float]) -> str:
    """Format one split's DA contrast of segments with a finding at warning or above."""
    return (
        f"| {split} | {o['warn_flagged_segments']:.0f} | {o['warn_da_flagged']:+.3f} | "
        f"{o['warn_da_unflagged']:+.3f} | {o['warn_da_flagged'] - o['warn_da_unflagged']:+.3f} | "
        f"{o['warn_auc']:.3f} |"
    )


def _table(
    header: str,
    row: Callable[[str, Mapping[str, float]], str],
    figures: Mapping[str, Mapping[str, float]],
) -> None:
    """Print a Markdown table with one row per split."""
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for split in SPLITS:
        print(row(split, figures[split]))


def _data_lines(path: Path) -> list[str]:
    """Return a TSV file's lines after the header."""
    return path.read_text(encoding="utf-8").splitlines()[1:]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the evaluation and print the report."""
    parser = argparse.ArgumentParser(prog="python -m bench.wmt", description=__doc__.split("\n")[0])
    parser.add_argument("--write-evidence", action="store_true", help="write rules/evidence.json")
    parser.add_argument("--sample", type=int, default=0, help="write N held-half findings to judge")
    parser.add_argument(
        "--no-fix-gain", action="store_true", help="skip the (slower) fix-gain step"
    )
    parser.add_argument("--all-rules", action="store_true", help="also measure opt-in rules")
    parser.add_argument(
        "--seed", type=int, default=SAMPLE_SEED, help="seed of the precision sample"
    )
    args = parser.parse_args(argv)
    if corpus_dir() is None:
        print("WMT22 corpus not found (set TQCHECK_WMT_DIR)", file=sys.stderr)
        return 2

    ruleset = load_ruleset()
    # Every rule is measured (opt-in ones too, so `tqcheck rule` shows why they are opt-in);
    # the overall figures count the default rules unless --all-rules.
    rules = list(ruleset.rules)
    engine = Engine(rules)
    selected = None if args.all_rules else {r.code for r in rules if r.enabled}
    systems = load_systems()
    reference = load_reference()
    docs = load_docs()
    da = load_da()
    split_by_line = {line: split_of(info.doc_id) for line, info in docs.items()}

    outputs = {**systems, REFERENCE: reference}
    sources = load_source()
    # Each output is checked twice: as a translation on its own, and line-aligned with
    # source.ru, as `tqcheck check X.en --source source.ru` does (the bilingual rules run).
    plain = {name: check_lines(engine, name, lines) for name, lines in outputs.items()}
    paired = {name: check_lines(engine, name, lines, sources) for name, lines in outputs.items()}
    modes = {
        "target only": measure(plain, outputs, da, split_by_line, selected),
        "with source": measure(paired, outputs, da, split_by_line, selected),
    }

    print("# tqcheck on WMT22 ru-en (10 MT systems vs human reference A)\n")
    print(f"rules measured: {len(rules)}; in the overall figures: {len(selected or rules)}\n")
    overall: dict[str, dict[str, dict[str, float]]] = {}
    for mode, m in modes.items():
        overall[mode] = m.overall()
        print(f"## {mode[0].upper()}{mode[1:]}\n")
        _table(OVERALL_HEADER, _overall_row, overall[mode])
        print("\nSegments with a finding at warning or above (what fails CI by default):\n")
        _table(WARNING_HEADER, _warning_row, overall[mode])
        print()
    # Per-rule figures come from the paired run: the monolingual rules find the same there,
    # and the bilingual ones only fire with a source.
    m = modes["with source"]
    mt_tally, ref_tally, flagged_z, unflagged_z = m.mt, m.ref, m.flagged_z, m.unflagged_z

    gains: dict[str, dict[str, float]] = {}
    fix_lines: dict[str, list[tuple[int, int]]] = {}
    if not args.no_fix_gain:
        # The safe fixes a user gets: the default rules' (all rules' with --all-rules).
        gains, fix_lines = fix_gain(
            engine if selected is None else engine_for(), systems, reference
        )
        print("\n## Fix gain (safe fixes) per system\n")
        print(
            "| system | chrF before | chrF gain | BLEU before | BLEU gain | lines changed | lower sentence chrF |"
        )
        print("|---|---|---|---|---|---|---|")
        for name, g in gains.items():
            print(
                f"| {name} | {g['chrf_before']:.2f} | {g['chrf_gain']:+.3f} | {g['bleu_before']:.2f} | "
                f"{g['bleu_gain']:+.3f} | {g['lines_changed']:.0f} | {g['lines_lower_chrf']:.0f} |"
            )
        changed = sum(g["lines_changed"] for g in gains.values())
        lower = sum(g["lines_lower_chrf"] for g in gains.values())
        print(
            f"\nlines changed by safe fixes: {changed:.0f}; lower sentence chrF: {lower:.0f}"
            f" ({100 * lower / changed if changed else 0:.1f} %)"
        )

    print("\n## Per rule (whole corpus, with source; dev / held rates in brackets)\n")
    print(
        "| code | name | MT hits | ref hits | MT/1k | ref/1k | ratio | MT/1k dev | MT/1k held | ref/1k held | DA z flagged | fix lines (lower chrF) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    evidence: dict[str, dict[str, object]] = {}
    for rule in rules:
        code = rule.code
        mt_hits = mt_tally["all"].by_rule.get(code, 0)
        ref_hits = ref_tally["all"].by_rule.get(code, 0)
        mt_rate = mt_tally["all"].per_1k(code)
        ref_rate = ref_tally["all"].per_1k(code)
        ratio = mt_rate / ref_rate if ref_rate else (float("inf") if mt_rate else float("nan"))
        zs = flagged_z["all"].get(code, [])
        fl = fix_lines.get(code, [])
        evidence[code] = {
            "mt_hits": mt_hits,
            "ref_hits": ref_hits,
            "mt_per_1k": round(mt_rate, 4),
            "ref_per_1k": round(ref_rate, 4),
            "ratio": None if ratio != ratio or ratio == float("inf") else round(ratio, 2),
            "da_flagged": round(mean(zs), 3) if zs else None,
            "da_unflagged": round(mean(unflagged_z["all"]), 3),
            "fix_lines": len(fl) if fl else None,
            "fix_chrf_worse": sum(w for _, w in fl) if fl else None,
        }
        if mt_hits or ref_hits:
            print(
                f"| {code} | {rule.name}{'' if rule.enabled else ' (opt-in)'} | {mt_hits} | {ref_hits} | {mt_rate:.3f} | {ref_rate:.3f} | "
                f"{'∞' if ratio == float('inf') else f'{ratio:.1f}'} | {mt_tally['dev'].per_1k(code):.3f} | "
                f"{mt_tally['held'].per_1k(code):.3f} | {ref_tally['held'].per_1k(code):.3f} | "
                f"{mean(zs):+.2f} | {len(fl)} ({sum(w for _, w in fl)}) |"
            )
    silent = [
        r.code
        for r in rules
        if not evidence[r.code]["mt_hits"] and not evidence[r.code]["ref_hits"]
    ]
    print(f"\nrules with no hit on this corpus: {len(silent)}")

    if args.write_evidence:
        payload = {
            "corpus": (
                "WMT22 ru-en general test set, 10 MT systems vs reference A"
                " (2,016 segments, line-aligned with source.ru)"
            ),
            "overall": overall["target only"],
            "overall_with_source": overall["with source"],
            "fix_gain": gains,
            "rules": evidence,
        }
        # Keep the sections other benchmarks write (bench.recall's mt_news figures).
        if EVIDENCE_PATH.is_file():
            previous = json.loads(EVIDENCE_PATH.read_text(encoding="utf-8"))
            payload = {**{k: v for k, v in previous.items() if k not in payload}, **payload}
        EVIDENCE_PATH.write_text(
            json.dumps(payload, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        )
        print(f"\nwrote {EVIDENCE_PATH}")

    if args.sample:
        picked = draw_sample(plain, selected, split_by_line, args.sample, args.seed)
        path = SAMPLE_PATH
        if path.exists() and any(line.split("\t", 1)[0] for line in _data_lines(path)):
            path = path.with_suffix(".new.tsv")  # never overwrite judgements
        with path.open("w", encoding="utf-8") as out:
            out.write(
                "verdict\tsuggestion_ok\trule\tname\tsystem\tline\tflagged\tbest_suggestion\tsegment\treference\tnote\n"
            )
            for name, r, f in picked:
                segment = systems[name][r.line].replace("\t", " ")
                ref = reference[r.line].replace("\t", " ")
                best = f.suggestions[0] if f.suggestions else ""
                out.write(
                    f"\t\t{f.rule}\t{f.name}\t{name}\t{r.line + 1}\t{f.text}\t{best}\t{segment}\t{ref}\t\n"
                )
        print(f"wrote {len(picked)} sampled findings to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
