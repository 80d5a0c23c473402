"""Measure the bilingual rules (TQ7xx) on WMT22 ru-en against human DA scores.

Each system output is checked as a line-aligned file with ``source.ru`` attached (what
``tqcheck check SYSTEM.en --source source.ru`` does). For every rule the script reports,
per system, how many lines it flags and the mean DA z-score of the flagged lines that were
scored, next to the corpus mean: a precise rule flags lines that humans scored clearly worse.
Opt-in rules are measured too.

Run from the repository root: ``python -m bench.bilingual [--split dev|held|all]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from bench.corpus import corpus_dir, load_da, load_docs, load_source, load_systems, split_of
from tqcheck.api import load_ruleset
from tqcheck.engine import Engine
from tqcheck.loaders.lines import load_parallel


@dataclass(frozen=True)
class Hit:
    """Record one flagged line of one system."""

    rule: str
    system: str
    line: int


def bilingual_hits(lines: Sequence[int] | None = None) -> list[Hit]:
    """Run every TQ7xx rule on every system; return one hit per (rule, system, line)."""
    rules = [r for r in load_ruleset().rules if r.code.startswith("TQ7")]
    engine = Engine(rules)
    source = "\n".join(load_source()) + "\n"
    wanted = set(lines) if lines is not None else None
    hits: set[Hit] = set()
    for name, output in load_systems().items():
        document = load_parallel(f"{name}.en", "\n".join(output) + "\n", source)
        starts = document.lines.starts
        for finding in engine.check(document):
            line = finding.line - 1
            if starts and (wanted is None or line in wanted):
                hits.add(Hit(finding.rule, name, line))
    return sorted(hits, key=lambda h: (h.rule, h.system, h.line))


def _mean(values: Sequence[float]) -> str:
    return f"{statistics.mean(values):+.3f}" if values else "—"


def report(split: str) -> str:
    """Return the Markdown tables of hits and mean DA z per rule and system."""
    docs = load_docs()
    lines = None if split == "all" else [i for i, d in docs.items() if split_of(d.doc_id) == split]
    da = load_da()
    scored = [z for (_, i), z in da.items() if lines is None or i in set(lines)]
    corpus_mean = statistics.mean(scored)
    hits = bilingual_hits(lines)
    systems = list(load_systems())
    by_rule: dict[str, list[Hit]] = defaultdict(list)
    for hit in hits:
        by_rule[hit.rule].append(hit)
    names = {r.code: (r.name, r.enabled) for r in load_ruleset().rules}
    out = [
        f"Split: {split}; corpus mean DA z = {corpus_mean:+.3f} over {len(scored)} scored lines.",
        "",
        "| rule | name | hits | scored | mean DA z | Δ vs corpus | " + " | ".join(systems) + " |",
        "|---|---|---|---|---|---|" + "---|" * len(systems),
    ]
    for code in sorted(names):
        if not code.startswith("TQ7"):
            continue
        rule_hits = by_rule.get(code, [])
        zs = [da[(h.system, h.line)] for h in rule_hits if (h.system, h.line) in da]
        delta = f"{statistics.mean(zs) - corpus_mean:+.3f}" if zs else "—"
        cells = []
        for system in systems:
            own = [h for h in rule_hits if h.system == system]
            own_z = [da[(h.system, h.line)] for h in own if (h.system, h.line) in da]
            cells.append(f"{len(own)} ({_mean(own_z)})" if own else "0")
        name, enabled = names[code]
        label = name if enabled else f"{name} (opt-in)"
        out.append(
            f"| {code} | {label} | {len(rule_hits)} | {len(zs)} | {_mean(zs)} | {delta} | "
            + " | ".join(cells)
            + " |"
        )
    return "\n".join(out) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Print the report; exit 1 when the corpus is missing."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--split", choices=("dev", "held", "all"), default="all")
    args = parser.parse_args(argv)
    if corpus_dir() is None:
        print("WMT22 corpus not found (set TQCHECK_WMT_DIR)", file=sys.stderr)
        return 1
    sys.stdout.write(report(args.split))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
