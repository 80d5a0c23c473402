"""Mine n-grams that are over-represented in MT output relative to the reference.

Run ``python -m bench.mine`` from the repository root.  Two modes:

``ngrams`` (default)
    Rank 1-5 word n-grams by the log-odds ratio with an informative Dirichlet
    prior (Monroe, Colaresi & Quinn 2008) between pooled MT output (each of the
    10 systems weighted equally) and the human reference, on one split.

``frames``
    For Russian source frames (``в рамках``, ``на фоне`` ...) find the source lines
    that contain them and compare which English n-grams MT and the reference use
    on exactly those lines.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import regex

from bench import corpus

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

TOKEN_RE = regex.compile(r"\p{L}+(?:['’]\p{L}+)*|\p{N}+(?:[.,]\p{N}+)*|[%№$€£]")
RU_TOKEN_RE = regex.compile(r"\p{L}+")
MAX_N = 5
PRIOR_STRENGTH = 1000.0
PER_THOUSAND = 1000.0

# Russian source frames: display name -> regex over the lowercased source line.
DEFAULT_FRAMES: dict[str, str] = {
    "в рамках": r"\bв\s+рамках\b",
    "на фоне": r"\bна\s+фоне\b",
    "на территории": r"\bна\s+территори[ии]\b",
    "в том числе": r"\bв\s+том\s+числе\b",
    "с точки зрения": r"\bс\s+точки\s+зрения\b",
    "в настоящее время": r"\bв\s+настоящее\s+время\b",
    "по словам": r"\bпо\s+словам\b",
    "осуществлять": r"\bосуществ\p{L}*",
    "проводить переговоры": r"\bпровод\p{L}*\s+переговор|\bпровел\p{L}*\s+переговор",
    "являться": r"\bявля\p{L}*|\bявил\p{L}*",
    "данный": r"\bданн(?:ый|ого|ому|ым|ом|ая|ой|ую|ое|ые|ых|ыми)\b",
    "ряд": r"\bряд(?:а|у|ом)?\b",
    "так называемый": r"\bтак\s+называем\p{L}*",
    "реализовать": r"\bреализ\p{L}*",
    "актуальный": r"\bактуальн\p{L}*",
    "в ходе": r"\bв\s+ходе\b",
    "в целях": r"\bв\s+целях\b",
    "в связи с": r"\bв\s+связи\s+с\b",
    "по итогам": r"\bпо\s+итогам\b",
    "в адрес": r"\bв\s+адрес\b",
    "на сегодняшний день": r"\bна\s+сегодняшний\s+день\b",
    "принять участие": r"\bприн\p{L}*\s+участи",
    "оказать помощь": r"\bоказ\p{L}*\s+(?:\p{L}+\s+)?помощ",
    "в отношении": r"\bв\s+отношении\b",
    "со стороны": r"\bсо\s+стороны\b",
    "в режиме": r"\bв\s+режиме\b",
    "на уровне": r"\bна\s+уровне\b",
    "в качестве": r"\bв\s+качестве\b",
    "в данном случае": r"\bв\s+данном\s+случае\b",
    "при этом": r"\bпри\s+этом\b",
    "таким образом": r"\bтаким\s+образом\b",
    "в частности": r"\bв\s+частности\b",
    "посвящённый": r"\bпосвящ\p{L}*",
    "мероприятие": r"\bмероприяти\p{L}*",
    "перспектива": r"\bперспектив\p{L}*",
    "комплекс": r"\bкомплекс\p{L}*",
    "ликвидировать": r"\bликвид\p{L}*",
    "контроль": r"\bконтрол\p{L}*",
    "население": r"\bнаселени\p{L}*",
    "специалист": r"\bспециалист\p{L}*",
    "эксплуатация": r"\bэксплуатаци\p{L}*",
    "целесообразно": r"\bцелесообразн\p{L}*",
    "соответствующий": r"\bсоответствующ\p{L}*",
    "в свою очередь": r"\bв\s+свою\s+очередь\b",
    "общественность": r"\bобщественност\p{L}*",
    "масштабный": r"\bмасштабн\p{L}*",
    "грандиозный": r"\bграндиозн\p{L}*",
    "нацелены": r"\bнацелен\p{L}*",
    "поступательный": r"\bпоступательн\p{L}*",
    "в результате": r"\bв\s+результате\b",
    "с целью": r"\bс\s+целью\b",
    "за счёт": r"\bза\s+сч[её]т\b",
    "по данным": r"\bпо\s+данным\b",
    "в условиях": r"\bв\s+условиях\b",
    "в сфере": r"\bв\s+сфер[еы]\b",
    "в области": r"\bв\s+области\b",
    "на данный момент": r"\bна\s+данный\s+момент\b",
    "то есть": r"\bто\s+есть\b",
    "кроме того": r"\bкроме\s+того\b",
    "вместе с тем": r"\bвместе\s+с\s+тем\b",
    "в первую очередь": r"\bв\s+первую\s+очередь\b",
    "в целом": r"\bв\s+целом\b",
}


@dataclass(frozen=True, slots=True)
class NgramStat:
    """Hold the statistics reported for one n-gram."""

    ngram: str
    mt_count: int
    ref_count: int
    mt_per_1k: float
    ref_per_1k: float
    z: float
    da_delta_sys: float | None
    da_delta_line: float | None
    da_n: int
    n_systems: int


def tokens(text: str) -> list[str]:
    """Split English text into lowercased word tokens."""
    return [t.lower().replace("’", "'") for t in TOKEN_RE.findall(text)]


def ngrams(toks: Sequence[str], max_n: int = MAX_N) -> Iterable[str]:
    """Yield every 1..max_n gram of *toks* joined by single spaces."""
    for n in range(1, max_n + 1):
        for i in range(len(toks) - n + 1):
            yield " ".join(toks[i : i + n])


def _order(gram: str) -> int:
    """Return the number of words in *gram*."""
    return gram.count(" ") + 1


def log_odds_z(mt: Counter[str], ref: Counter[str], n_systems: int) -> dict[str, float]:
    """Return the z-score of the MT-vs-ref log-odds ratio for every n-gram.

    MT counts are divided by *n_systems* so that the pooled MT corpus has the size
    of a single system; the prior is the combined corpus, scaled to
    ``PRIOR_STRENGTH`` pseudo-counts per n-gram order.
    """
    mt_tot: dict[int, float] = defaultdict(float)
    ref_tot: dict[int, float] = defaultdict(float)
    for gram, c in mt.items():
        mt_tot[_order(gram)] += c / n_systems
    for gram, c in ref.items():
        ref_tot[_order(gram)] += c
    out: dict[str, float] = {}
    for gram in set(mt) | set(ref):
        n = _order(gram)
        y_i = mt[gram] / n_systems
        y_j = ref[gram]
        n_i, n_j = mt_tot[n], ref_tot[n]
        a_w = PRIOR_STRENGTH * (y_i + y_j) / (n_i + n_j)
        a_0 = PRIOR_STRENGTH
        delta = math.log((y_i + a_w) / (n_i + a_0 - y_i - a_w)) - math.log(
            (y_j + a_w) / (n_j + a_0 - y_j - a_w)
        )
        var = 1.0 / (y_i + a_w) + 1.0 / (y_j + a_w)
        out[gram] = delta / math.sqrt(var)
    return out


def _mean(values: Sequence[float]) -> float | None:
    """Return the arithmetic mean or None for an empty sequence."""
    return sum(values) / len(values) if values else None


@dataclass
class _Counts:
    """Accumulate n-gram counts for the reference and the pooled MT output."""

    ref: Counter[str]
    mt: Counter[str]
    ref_words: int
    mt_words: int
    systems: dict[str, set[str]]
    segments: dict[str, set[tuple[str, int]]]


def _count(lines: Sequence[int]) -> _Counts:
    """Count n-grams on *lines* in the reference and in every MT system."""
    ref_lines = corpus.load_reference()
    counts = _Counts(Counter(), Counter(), 0, 0, defaultdict(set), defaultdict(set))
    for i in lines:
        toks = tokens(ref_lines[i])
        counts.ref_words += len(toks)
        counts.ref.update(ngrams(toks))
    for name, outputs in corpus.load_systems().items():
        for i in lines:
            toks = tokens(outputs[i])
            counts.mt_words += len(toks)
            grams = list(ngrams(toks))
            counts.mt.update(grams)
            for gram in set(grams):
                counts.systems[gram].add(name)
                counts.segments[gram].add((name, i))
    return counts


def _da_deltas(
    segments: Iterable[tuple[str, int]],
    sys_mean: dict[str, float],
    line_scores: dict[int, list[tuple[str, float]]],
) -> tuple[list[float], list[float]]:
    """Return DA z deltas of *segments* vs their system mean and vs the line mean."""
    da = corpus.load_da()
    d_sys: list[float] = []
    d_line: list[float] = []
    for name, i in segments:
        score = da.get((name, i))
        if score is None:
            continue
        d_sys.append(score - sys_mean[name])
        others = [zz for s, zz in line_scores[i] if s != name]
        if others:
            d_line.append(score - sum(others) / len(others))
    return d_sys, d_line


def mine_ngrams(split: corpus.Split, min_mt: int, min_systems: int) -> list[NgramStat]:
    """Compute log-odds statistics for all n-grams on *split*, best first."""
    lines = corpus.lines_in(split)
    systems = corpus.load_systems()
    da = corpus.load_da()
    counts = _count(lines)

    line_set = set(lines)
    sys_mean = {
        name: _mean([z for (s, i), z in da.items() if s == name and i in line_set]) or 0.0
        for name in systems
    }
    line_scores: dict[int, list[tuple[str, float]]] = defaultdict(list)
    for (name, i), z in da.items():
        line_scores[i].append((name, z))

    zs = log_odds_z(counts.mt, counts.ref, len(systems))
    stats: list[NgramStat] = []
    for gram, z in zs.items():
        n_sys = len(counts.systems[gram])
        if counts.mt[gram] < min_mt or n_sys < min_systems:
            continue
        d_sys, d_line = _da_deltas(counts.segments[gram], sys_mean, line_scores)
        stats.append(
            NgramStat(
                ngram=gram,
                mt_count=counts.mt[gram],
                ref_count=counts.ref[gram],
                mt_per_1k=PER_THOUSAND * counts.mt[gram] / counts.mt_words,
                ref_per_1k=PER_THOUSAND * counts.ref[gram] / counts.ref_words,
                z=z,
                da_delta_sys=_mean(d_sys),
                da_delta_line=_mean(d_line),
                da_n=len(d_sys),
                n_systems=n_sys,
            )
        )
    stats.sort(key=lambda s: s.z, reverse=True)
    return stats


def _fmt(value: float | None) -> str:
    """Format an optional float for the table."""
    return "   n/a" if value is None else f"{value:+.3f}"


def write_ngram_table(stats: Sequence[NgramStat], top: int, out: TextIO) -> None:
    """Write the top *top* n-grams as a tab-separated table."""
    header = (
        "ngram\tmt_count\tref_count\tmt_per_1k\tref_per_1k\tz\t"
        "da_vs_sys\tda_vs_line\tda_n\tn_systems"
    )
    out.write(header + "\n")
    out.writelines(
        f"{s.ngram}\t{s.mt_count}\t{s.ref_count}\t{s.mt_per_1k:.4f}\t"
        f"{s.ref_per_1k:.4f}\t{s.z:.2f}\t{_fmt(s.da_delta_sys)}\t"
        f"{_fmt(s.da_delta_line)}\t{s.da_n}\t{s.n_systems}\n"
        for s in stats[:top]
    )


def frame_table(split: corpus.Split | None, frames: dict[str, str], top: int, out: TextIO) -> None:
    """Tabulate the English n-grams MT and the reference use for each source frame.

    For each frame, an n-gram's MT share is the fraction of (system, line) outputs
    on frame lines that contain it; the reference share is the fraction of
    reference lines.  N-grams are ranked by MT share minus reference share.
    """
    source = corpus.load_source()
    ref = corpus.load_reference()
    systems = corpus.load_systems()
    lines = corpus.lines_in(split) if split else list(range(len(source)))
    for name, pattern in frames.items():
        frame_re = regex.compile(pattern, regex.IGNORECASE)
        hit = [i for i in lines if frame_re.search(source[i].lower())]
        out.write(f"\n## {name}  ({len(hit)} source lines)\n")
        if not hit:
            continue
        mt_df: Counter[str] = Counter()
        ref_df: Counter[str] = Counter()
        for i in hit:
            ref_df.update(set(ngrams(tokens(ref[i]), 4)))
            for outputs in systems.values():
                mt_df.update(set(ngrams(tokens(outputs[i]), 4)))
        n_mt = len(hit) * len(systems)
        rows = sorted(
            mt_df,
            key=lambda g: mt_df[g] / n_mt - ref_df[g] / len(hit),
            reverse=True,
        )
        out.write("ngram\tmt_share\tref_share\n")
        out.writelines(
            f"{gram}\t{mt_df[gram] / n_mt:.3f}\t{ref_df[gram] / len(hit):.3f}\n"
            for gram in rows[:top]
        )


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments and run the selected mining mode."""
    parser = argparse.ArgumentParser(prog="python -m bench.mine", description=__doc__)
    parser.add_argument("mode", nargs="?", choices=["ngrams", "frames"], default="ngrams")
    parser.add_argument("--split", choices=["dev", "held", "all"], default="dev")
    parser.add_argument("--top", type=int, default=300)
    parser.add_argument("--min-mt", type=int, default=10)
    parser.add_argument("--min-systems", type=int, default=3)
    parser.add_argument("--frames", nargs="*", help="restrict to these frame names")
    parser.add_argument("--out", type=Path, help="write the table here, not stdout")
    args = parser.parse_args(argv)

    if corpus.corpus_dir() is None:
        sys.stderr.write(f"corpus not found; set {corpus.ENV_VAR}\n")
        return 2
    out: TextIO = args.out.open("w", encoding="utf-8") if args.out else sys.stdout
    try:
        if args.mode == "ngrams":
            split: corpus.Split = "held" if args.split == "held" else "dev"
            stats = mine_ngrams(split, args.min_mt, args.min_systems)
            write_ngram_table(stats, args.top, out)
        else:
            frames = DEFAULT_FRAMES
            if args.frames:
                frames = {k: v for k, v in DEFAULT_FRAMES.items() if k in args.frames}
            frame_split: corpus.Split | None = None if args.split == "all" else args.split
            frame_table(frame_split, frames, args.top, out)
    finally:
        if args.out:
            out.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
