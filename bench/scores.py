"""Does the unconfirmed-issue score agree with human judgement? (issue 6)

Run ``python -m bench.scores`` from the repository root: it prints a Markdown report and
writes it to ``bench/README-scores.md`` (``--no-write`` only prints).

- System level: the ten WMT22 ru-en systems ranked by tqcheck's unconfirmed-issue penalty per
  1,000 words (each system output checked as one line-aligned file, exactly what
  ``tqcheck rank systems/*.en --ref ref.A.en`` does) against the human ranking (segment DA
  z-scores averaged per system): Kendall's tau-b and Pearson r, with corpus chrF and BLEU
  against reference A computed by the same code for comparison.
- Document level: each (system, document) pair checked as its own line-aligned file;
  Spearman's rho between its penalty per 1,000 words and the mean DA z of that system's
  segments in that document, with document chrF for comparison.

Penalties are negated before correlating (lower penalty = better translation), so for every
metric a positive correlation means agreement with the human scores. p-values are two-sided
permutation tests with a fixed seed.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.corpus import corpus_dir, load_da, load_docs, load_reference, load_systems, split_of
from bench.stats import kendall_tau, mean, pearson, permutation_p, ranks, spearman
from tqcheck.api import count_words, engine_for
from tqcheck.loaders import load_string
from tqcheck.mqm import Weights, score_document
from tqcheck.scoring import Metric, corpus_scores, rank_files

README = Path(__file__).resolve().parent / "README-scores.md"
SYSTEM_ROUNDS = 10_000
DOCUMENT_ROUNDS = 2_000


@dataclass(frozen=True)
class SystemRow:
    """Hold one system's human score, issue score and reference metrics."""

    name: str
    da: float
    da_segments: int
    per_1k: float
    penalty: float
    words: int
    chrf: float
    bleu: float


@dataclass(frozen=True)
class DocumentRow:
    """Hold one (system, document) pair's scores."""

    system: str
    doc_id: str
    split: str
    da: float
    per_1k: float
    chrf: float


def system_rows(base: Path) -> tuple[list[SystemRow], str]:
    """Rank the system files with tqcheck's own ``rank`` code and attach their DA means."""
    da = load_da()
    by_system: dict[str, list[float]] = defaultdict(list)
    for (system, _), z in da.items():
        by_system[system].append(z)
    paths = [str(p) for p in sorted((base / "systems").glob("*.en"))]
    ranking, errors = rank_files(paths, reference=base / "ref.A.en")
    if errors:
        raise SystemExit("; ".join(errors))
    rows = []
    for ranked in ranking.files:
        name = Path(ranked.path).stem
        metrics = {m.metric: m.score for m in ranked.metrics}
        rows.append(
            SystemRow(
                name,
                mean(by_system[name]),
                len(by_system[name]),
                ranked.per_1k,
                ranked.penalty,
                ranked.words,
                metrics[Metric.CHRF],
                metrics[Metric.BLEU],
            )
        )
    signatures = "; ".join(f"{name}|{sig}" for name, sig in ranking.signatures)
    return rows, signatures


def document_rows() -> list[DocumentRow]:
    """Check every (system, document) pair as its own file and pair it with its DA mean."""
    systems = load_systems()
    reference = load_reference()
    docs = load_docs()
    da = load_da()
    lines_of: dict[str, list[int]] = defaultdict(list)
    for line, info in sorted(docs.items()):
        lines_of[info.doc_id].append(line)
    engine = engine_for()
    weights = Weights()
    rows: list[DocumentRow] = []
    for system, output in systems.items():
        for doc_id, lines in sorted(lines_of.items()):
            zs = [da[(system, line)] for line in lines if (system, line) in da]
            if not zs:
                continue  # nobody scored this system on this document
            text = "\n".join(output[line] for line in lines) + "\n"
            document = load_string(f"{system}/{doc_id}", text, input_format="lines")
            score = score_document(
                document.path,
                engine.check(document),
                [(s.start, s.end) for s in document.segments],
                count_words(document),
                weights,
            )
            hyps = [output[line] for line in lines]
            refs = [reference[line] for line in lines]
            chrf = corpus_scores(hyps, [refs], (Metric.CHRF,))[0].score
            rows.append(DocumentRow(system, doc_id, split_of(doc_id), mean(zs), score.per_1k, chrf))
    return rows


def _p(value: float) -> str:
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


def system_section(rows: Sequence[SystemRow], signatures: str) -> list[str]:
    """Report the system-level table and correlations."""
    [r.da for r in rows]
    human_rank = {r.name: i for i, r in enumerate(sorted(rows, key=lambda r: -r.da), start=1)}
    out = [
        "## System level (10 systems)",
        "",
        "Human score: segment DA z averaged per system (`da-seg-scores.csv`). Issue score: "
        "`tqcheck rank systems/*.en --ref ref.A.en` (whole file, default rules and weights).",
        "",
        "| system | DA z (segments) | DA rank | penalty / 1k words | issue rank | penalty | "
        "words | chrF | BLEU |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for issue_rank, r in enumerate(rows, start=1):
        out.append(
            f"| {r.name} | {r.da:+.3f} ({r.da_segments}) | {human_rank[r.name]} | "
            f"{r.per_1k:.3f} | {issue_rank} | {r.penalty:.1f} | {r.words} | "
            f"{r.chrf:.2f} | {r.bleu:.2f} |"
        )
    out += [
        "",
        "| score vs human DA z | Kendall tau-b | p | Pearson r | p |",
        "|---|---|---|---|---|",
    ]
    outlier = min(rows, key=lambda r: r.da)
    for subset, note in ((rows, ""), ([r for r in rows if r is not outlier], "without ")):
        human = [r.da for r in subset]
        columns = {
            "tqcheck issue score (−penalty per 1k words)": [-r.per_1k for r in subset],
            "chrF vs ref.A": [r.chrf for r in subset],
            "BLEU vs ref.A": [r.bleu for r in subset],
        }
        scope = f"{len(subset)} systems" + (f", {note}{outlier.name}" if note else "")
        for label, values in columns.items():
            tau, corr = kendall_tau(values, human), pearson(values, human)
            p_tau = permutation_p(kendall_tau, values, human, rounds=SYSTEM_ROUNDS)
            p_r = permutation_p(pearson, values, human, rounds=SYSTEM_ROUNDS)
            out.append(
                f"| {label} ({scope}) | {tau:+.3f} | {_p(p_tau)} | {corr:+.3f} | {_p(p_r)} |"
            )
    out += [
        "",
        f"{outlier.name}, the system humans scored far lowest, dominates Pearson r; the second "
        "block leaves it out.",
        "",
        f"sacrebleu signatures: {signatures}",
    ]
    return out


def document_section(rows: Sequence[DocumentRow]) -> list[str]:
    """Report the document-level Spearman correlations, overall and per split."""
    out = [
        "## Document level (system × document pairs)",
        "",
        "Each pair's output checked as its own line-aligned file; human score: mean DA z of "
        "that system's scored segments in that document; chrF: corpus chrF of the document "
        "against reference A.",
        "",
        "| split | pairs | Spearman: issue score (−penalty) | p | Spearman: chrF | p | "
        "pairs with a penalty | DA z with / without a penalty |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for split in ("all", "dev", "held"):
        chosen = [r for r in rows if split in ("all", r.split)]
        da = [r.da for r in chosen]
        issue = [-r.per_1k for r in chosen]
        chrf = [r.chrf for r in chosen]
        da_ranks = ranks(da)
        rho = spearman(issue, da)
        rho_chrf = spearman(chrf, da)
        p = permutation_p(pearson, ranks(issue), da_ranks, rounds=DOCUMENT_ROUNDS)
        p_chrf = permutation_p(pearson, ranks(chrf), da_ranks, rounds=DOCUMENT_ROUNDS)
        flagged = [r.da for r in chosen if r.per_1k > 0]
        clean = [r.da for r in chosen if r.per_1k == 0]
        out.append(
            f"| {split} | {len(chosen)} | {rho:+.3f} | {_p(p)} | {rho_chrf:+.3f} | {_p(p_chrf)} | "
            f"{len(flagged)} | {mean(flagged):+.3f} / {mean(clean):+.3f} |"
        )
    return out


HEADER = """# Unconfirmed-issue score vs human judgement on WMT22 ru-en

Generated by `python -m bench.scores` (do not edit by hand). The score is tqcheck's MQM-style
*unconfirmed-issue* penalty (default weights: major 5, minor 1, minor punctuation 0.1,
non-translation 25, at most 5 issues per segment) per 1,000 words; findings are candidate
issues, not confirmed errors. Penalties are negated before correlating, so a positive
correlation means agreement with the human DA scores for every row. p-values: two-sided
permutation tests (10,000 rounds at system level, 2,000 at document level, fixed seed).
"""


def main(argv: Sequence[str] | None = None) -> int:
    """Compute the correlations, print the report and write bench/README-scores.md."""
    parser = argparse.ArgumentParser(prog="python -m bench.scores", description=__doc__)
    parser.add_argument("--no-write", action="store_true", help=f"do not write {README.name}")
    args = parser.parse_args(argv)
    base = corpus_dir()
    if base is None:
        print("WMT22 corpus not found (set TQCHECK_WMT_DIR)", file=sys.stderr)
        return 2
    systems, signatures = system_rows(base)
    documents = document_rows()
    lines = [HEADER, *system_section(systems, signatures), "", *document_section(documents)]
    report = "\n".join(lines) + "\n"
    print(report, end="")
    if not args.no_write:
        README.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
