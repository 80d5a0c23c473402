"""Mine word n-grams over-represented in machine-translated news against native English.

Run ``python -m bench.translationese`` from the repository root. It counts word 1-4 grams
(lower-cased; a word is letters with inner apostrophes or hyphens; an n-gram never crosses
punctuation, a number or a line break) in

- the *MT-style training copy*: the ``mt`` excerpts of mt-news-dev except the held half's
  marked files (``dB-…`` files with an editor's mark stay unseen), and
- the native-English lines of ``native-en``,

and ranks them by the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi &
Quinn 2008): the formula of :func:`bench.mine.log_odds_z`, with a stronger prior (``--prior``,
10,000 pseudo-counts per n-gram order) because the MT side here is small. A candidate needs at
least ``--min-count`` occurrences in at least ``--min-docs`` MT documents from at least
``--min-sites`` sites (index.tsv) and a z-score of at least ``--min-z``. Each candidate is
checked against the shipped default rules (the ``translationese`` pack excepted), in a neutral
sentence and on its occurrences in the training copy: an n-gram another rule already flags (in
the sentence, or on at least half its occurrences) is marked as covered, so that rule wins.

``--skeleton`` ranks function-word skeletons instead (content words replaced by ``_``), for
reading only. ``--write`` merges the candidates into ``bench/translationese-review.tsv``:
verdicts and suggestions already there are kept, new candidates get verdict ``?``, and covered
candidates are dropped. ``--toml`` prints the ``ngrams`` entries of the kept rows for
``rules/translationese.toml``. Output is deterministic: ties are broken by the n-gram.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import regex

from bench.mine import ngrams
from bench.mtnews import Article, half_of, load_articles, load_marks, load_native, mtnews_dir

HERE = Path(__file__).resolve().parent
REVIEW = HERE / "translationese-review.tsv"
PACK = HERE.parent / "rules" / "translationese.toml"
OWN_CODES = ("TQ196", "TQ197", "TQ198", "TQ199")
MAX_N = 4
# Pseudo-counts of the Dirichlet prior per n-gram order (see log_odds_z).
PRIOR_STRENGTH = 10000.0
WORD_RE = regex.compile(r"\p{L}+(?:['’-]\p{L}+)*")
# Words of one run are separated by blanks only (no punctuation, number or line break).
GAP_RE = regex.compile(r"[^\S\n]+")
# Sentences an n-gram is tried in, to see whether another rule already flags it.
FRAMES = ("They said {} was there.", "{} was there.", "They went to {} on Monday.")
CONTROL = "book"
REVIEW_FIELDS = (
    "ngram",
    "n",
    "mt_count",
    "mt_docs",
    "mt_sites",
    "native_count",
    "ratio",
    "z",
    "verdict",
    "suggest",
    "reason",
)
FUNCTION_WORDS = frozenset(
    """a about above after against all also although among an and any are as at be because been
    before being between both but by can could did do does during each either for from had has
    have having he her here hers him his how however i if in into is it its itself may might
    more most must my neither no nor not of off on once only or other our out over own same
    shall she should since so some such than that the their them then there these they this
    those though through thus to too under until up upon very was we were what when where which
    while who whom whose why will with within without would you your""".split()
)


@dataclass(frozen=True, slots=True)
class Candidate:
    """Hold one mined n-gram: its counts on both sides, spread over MT copy, and score."""

    ngram: str
    mt_count: int
    mt_docs: int
    mt_sites: int
    native_count: int
    ratio: float
    z: float
    covered: tuple[str, ...]

    @property
    def order(self) -> int:
        """Return the number of words."""
        return self.ngram.count(" ") + 1


@dataclass(frozen=True, slots=True)
class Corpus:
    """Hold n-gram counts of both sides and where each MT n-gram occurs."""

    mt: Counter[str]
    native: Counter[str]
    mt_words: int
    native_words: int
    docs: dict[str, set[str]]
    sites: dict[str, set[str]]


def runs(text: str) -> Iterator[list[str]]:
    """Yield the runs of lower-cased words that only blanks separate."""
    run: list[str] = []
    last_end = -1
    for match in WORD_RE.finditer(text):
        if run and not GAP_RE.fullmatch(text, last_end, match.start()):
            yield run
            run = []
        run.append(match.group().lower().replace("’", "'"))
        last_end = match.end()
    if run:
        yield run


def skeleton(run: Sequence[str]) -> list[str]:
    """Return a run with every content word replaced by ``_``."""
    return [w if w in FUNCTION_WORDS else "_" for w in run]


def count(texts: Iterable[str], skeletons: bool = False) -> tuple[Counter[str], int]:
    """Count the 1..4 grams of texts (or of their skeletons); also return the word count."""
    counts: Counter[str] = Counter()
    words = 0
    for text in texts:
        for run in runs(text):
            words += len(run)
            counts.update(ngrams(skeleton(run) if skeletons else run, MAX_N))
    if skeletons:
        counts = Counter({g: c for g, c in counts.items() if set(g.split()) != {"_"}})
    return counts, words


def sites() -> dict[str, str]:
    """Return the site of every excerpt, from index.tsv."""
    root = mtnews_dir()
    if root is None:
        msg = "mt-news-dev corpus not found (../shared/data/mt-news-dev)"
        raise FileNotFoundError(msg)
    with (root / "index.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return {row["file"]: row["site"] for row in rows}


def training_articles() -> list[Article]:
    """Return the MT-style excerpts to mine: every ``mt`` one but the held half's marked files."""
    held_marked = {m.file for m in load_marks() if half_of(m.file) == "held"}
    return [a for a in load_articles() if a.kind == "mt" and a.name not in held_marked]


def build_corpus(skeletons: bool = False) -> Corpus:
    """Count the training MT copy (per document and site) and native-en."""
    site_of = sites()
    mt: Counter[str] = Counter()
    mt_words = 0
    docs: dict[str, set[str]] = defaultdict(set)
    where: dict[str, set[str]] = defaultdict(set)
    for article in training_articles():
        counts, words = count([article.text], skeletons)
        mt.update(counts)
        mt_words += words
        for gram in counts:
            docs[gram].add(article.name)
            where[gram].add(site_of[article.name])
    native, native_words = count(load_native(), skeletons)
    return Corpus(mt, native, mt_words, native_words, dict(docs), dict(where))


def log_odds_z(mt: Counter[str], native: Counter[str], strength: float) -> dict[str, float]:
    """Return the z-score of the MT-vs-native log-odds ratio of every n-gram.

    The formula of :func:`bench.mine.log_odds_z` (informative Dirichlet prior from the pooled
    counts, per n-gram order), with the prior's strength as a parameter: its fixed 1,000
    pseudo-counts suit WMT's large pooled MT output, but here the MT side is 15,000 words and
    native-en ten times that, and so thin a prior keeps every n-gram that native-en never uses
    (the most telling ones) below z = 2 however often MT copy uses it.
    """
    mt_tot: Counter[int] = Counter()
    nat_tot: Counter[int] = Counter()
    for gram, c in mt.items():
        mt_tot[gram.count(" ") + 1] += c
    for gram, c in native.items():
        nat_tot[gram.count(" ") + 1] += c
    out: dict[str, float] = {}
    for gram in mt:
        n = gram.count(" ") + 1
        y_i, y_j = mt[gram], native[gram]
        n_i, n_j = mt_tot[n], nat_tot[n]
        a_w = strength * (y_i + y_j) / (n_i + n_j)
        delta = math.log((y_i + a_w) / (n_i + strength - y_i - a_w)) - math.log(
            (y_j + a_w) / (n_j + strength - y_j - a_w)
        )
        out[gram] = delta / math.sqrt(1.0 / (y_i + a_w) + 1.0 / (y_j + a_w))
    return out


def ratio(mt: int, native: int, mt_words: int, native_words: int) -> float:
    """Return how many times more frequent an n-gram is in MT copy (native count + 0.5)."""
    return (mt / mt_words) / ((native + 0.5) / native_words)


def covered_by(ngram: str, own: Sequence[str] = OWN_CODES) -> tuple[str, ...]:
    """Return the codes of the default rules that flag the n-gram in a neutral sentence.

    The n-gram is tried lower-cased and as the copy most often spells it (name rules are
    case-sensitive). A rule that flags a plain noun in the same slot (CONTROL) reacts to the
    frame, not to the n-gram, and is not counted.
    """
    from tqcheck.api import check_text  # only here: loading the rules takes a moment

    codes: set[str] = set()
    for form in dict.fromkeys((ngram, surface(ngram))):
        for frame in FRAMES:
            start = frame.index("{}")
            found = []
            for words in (form, CONTROL):
                text = frame.format(words[:1].upper() + words[1:] if start == 0 else words)
                end = start + len(words)
                found.append(
                    {
                        f.rule
                        for f in check_text(text)
                        if f.rule not in own and f.offset < end and f.end_offset > start
                    }
                )
            codes |= found[0] - found[1]
    return tuple(sorted(codes))


def surface(ngram: str) -> str:
    """Return the n-gram as the training copy most often spells it (case-sensitive rules)."""
    pattern = ngram_pattern(ngram)
    forms: Counter[str] = Counter()
    for article in training_articles():
        forms.update(" ".join(m.group().split()) for m in pattern.finditer(article.text))
    return min(forms, key=lambda f: (-forms[f], f)) if forms else ngram


def ngram_pattern(ngram: str) -> regex.Pattern[str]:
    """Return a case-insensitive, word-bounded pattern for an n-gram (blanks between words)."""
    body = r"[^\S\n]+".join(regex.escape(w) for w in ngram.split(" "))
    return regex.compile(rf"(?<![\p{{L}}'’-]){body}(?![\p{{L}}'’-])", regex.IGNORECASE)


def other_spans(own: Sequence[str] = OWN_CODES) -> dict[str, list[tuple[int, int, str]]]:
    """Return, per training excerpt, the spans the default rules flag (start, end, code).

    The translationese pack's own findings are included (its codes are in ``own``), so that
    an n-gram the pack already lists is judged on the occurrences the pack flags.
    """
    from tqcheck.api import engine_for
    from tqcheck.loaders import load_string

    engine = engine_for()
    out: dict[str, list[tuple[int, int, str]]] = {}
    for article in training_articles():
        findings = engine.check(load_string(article.name, article.text))
        out[article.name] = [(f.offset, f.end_offset, f.rule) for f in findings]
    return out


def pack_ngrams() -> frozenset[str]:
    """Return the n-grams the translationese pack lists."""
    from tqcheck.kinds.ngram import NgramKind
    from tqcheck.packs import load_pack

    if not PACK.is_file():
        return frozenset()
    rules = load_pack(PACK).rules
    return frozenset(g for r in rules if isinstance(r.kind, NgramKind) for g in r.kind.ngrams)


def covered_in_copy(
    ngram: str,
    spans: dict[str, list[tuple[int, int, str]]],
    listed: frozenset[str] = frozenset(),
    own: Sequence[str] = OWN_CODES,
) -> tuple[str, ...]:
    """Return the other rules whose findings overlap at least half the n-gram's occurrences.

    The occurrences are those in the training copy; for an n-gram the pack lists (``listed``),
    only those the pack flags (its guards may leave the others to another rule).
    """
    pattern = ngram_pattern(ngram)
    total = 0
    hits: Counter[str] = Counter()
    for article in training_articles():
        found = spans[article.name]
        if ngram in listed:
            places = [
                (start, end)
                for start, end, code in found
                if code in own and " ".join(article.text[start:end].lower().split()) == ngram
            ]
        else:
            places = [m.span() for m in pattern.finditer(article.text)]
        for first, last in places:
            total += 1
            hits.update(
                {
                    code
                    for start, end, code in found
                    if code not in own and start < last and end > first
                }
            )
    return tuple(sorted(code for code, n in hits.items() if total and 2 * n >= total))


def mine(
    *,
    min_count: int = 3,
    min_docs: int = 3,
    min_sites: int = 2,
    min_z: float = 2.0,
    strength: float = PRIOR_STRENGTH,
    skeletons: bool = False,
    check_rules: bool = True,
) -> list[Candidate]:
    """Return the candidates that pass the thresholds, best z first (ties: by n-gram)."""
    corpus = build_corpus(skeletons)
    spans = other_spans() if check_rules and not skeletons else {}
    listed = pack_ngrams() if spans else frozenset()
    zs = log_odds_z(corpus.mt, corpus.native, strength)
    out = []
    for gram, z in zs.items():
        mt = corpus.mt[gram]
        if mt < min_count or z < min_z:
            continue
        n_docs = len(corpus.docs.get(gram, ()))
        n_sites = len(corpus.sites.get(gram, ()))
        if n_docs < min_docs or n_sites < min_sites:
            continue
        native = corpus.native[gram]
        out.append(
            Candidate(
                ngram=gram,
                mt_count=mt,
                mt_docs=n_docs,
                mt_sites=n_sites,
                native_count=native,
                ratio=ratio(mt, native, corpus.mt_words, corpus.native_words),
                z=z,
                covered=(
                    tuple(sorted({*covered_by(gram), *covered_in_copy(gram, spans, listed)}))
                    if spans
                    else ()
                ),
            )
        )
    out.sort(key=lambda c: (-round(c.z, 6), c.ngram))
    return out


def corpus_sizes() -> tuple[int, int]:
    """Return the word counts of the MT training copy and of native-en (as mined)."""
    corpus = build_corpus()
    return corpus.mt_words, corpus.native_words


def read_review(path: Path = REVIEW) -> dict[str, dict[str, str]]:
    """Return the reviewed rows by n-gram."""
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return {row["ngram"]: row for row in reader}


def _row(c: Candidate, old: dict[str, str] | None) -> dict[str, str]:
    verdict, suggest, reason = "?", "", ""
    if old is not None and not old["reason"].startswith("covered by"):
        verdict, suggest, reason = old["verdict"], old["suggest"], old["reason"]
    if c.covered:
        verdict, reason = "drop", "covered by " + ", ".join(c.covered)
    return {
        "ngram": c.ngram,
        "n": str(c.order),
        "mt_count": str(c.mt_count),
        "mt_docs": str(c.mt_docs),
        "mt_sites": str(c.mt_sites),
        "native_count": str(c.native_count),
        "ratio": f"{c.ratio:.1f}",
        "z": f"{c.z:.2f}",
        "verdict": verdict,
        "suggest": suggest,
        "reason": reason,
    }


def write_review(candidates: Sequence[Candidate], path: Path = REVIEW) -> int:
    """Merge the candidates into the review file; return the number of unreviewed rows."""
    old = read_review(path)
    rows = [_row(c, old.get(c.ngram)) for c in candidates]
    temporary = path.with_suffix(".tmp")
    with temporary.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(
            handle,
            REVIEW_FIELDS,
            delimiter="\t",
            quoting=csv.QUOTE_NONE,
            quotechar=None,
            lineterminator="\n",
        )
        writer.writeheader()
        writer.writerows(rows)
    temporary.replace(path)  # a failed write never leaves half a review behind
    return sum(row["verdict"] == "?" for row in rows)


def figure(mt: int, native: int, mt_words: int, native_words: int) -> str:
    """Return the rounded ratio for a message: ``40×``, or ``never`` for no native hit."""
    if native == 0:
        return "never"
    value = ratio(mt, native, mt_words, native_words)
    return f"{value:.0f}×" if value >= 10 else f"{value:.1f}×"


def toml_entries(path: Path = REVIEW) -> list[str]:
    """Return the pack entries of the kept rows, strongest first, as TOML inline tables."""
    out = []
    for row in read_review(path).values():
        if row["verdict"] not in ("keep", "keep-strong"):
            continue
        suggest = [s.strip() for s in row["suggest"].split("|") if s.strip()]
        rendered = ", ".join(f'"{s}"' for s in suggest)
        strength = "strong" if row["verdict"] == "keep-strong" else "plain"
        out.append(
            f'  {{ match = "{row["ngram"]}", suggest = [{rendered}], '
            f"mt = {row['mt_count']}, native = {row['native_count']} }},  # {strength}"
        )
    return out


def _print(candidates: Sequence[Candidate]) -> None:
    print("ngram\tn\tmt\tdocs\tsites\tnative\tratio\tz\tcovered")
    for c in candidates:
        cov = ",".join(c.covered)
        print(
            f"{c.ngram}\t{c.order}\t{c.mt_count}\t{c.mt_docs}\t{c.mt_sites}\t"
            f"{c.native_count}\t{c.ratio:.1f}\t{c.z:.2f}\t{cov}"
        )


def main(argv: Sequence[str] | None = None) -> int:
    """Mine, print the ranked candidates; merge them into the review file with ``--write``."""
    parser = argparse.ArgumentParser(prog="python -m bench.translationese", description=__doc__)
    parser.add_argument("--min-count", type=int, default=3)
    parser.add_argument("--min-docs", type=int, default=3)
    parser.add_argument("--min-sites", type=int, default=2)
    parser.add_argument("--min-z", type=float, default=2.0)
    parser.add_argument("--prior", type=float, default=PRIOR_STRENGTH)
    parser.add_argument("--skeleton", action="store_true", help="rank function-word skeletons")
    parser.add_argument("--write", action="store_true", help="merge into the review file")
    parser.add_argument("--toml", action="store_true", help="print the kept rows as pack entries")
    args = parser.parse_args(argv)
    if mtnews_dir() is None:
        print("mt-news-dev corpus not found (../shared/data/mt-news-dev)", file=sys.stderr)
        return 2
    if args.toml:
        mt_words, native_words = corpus_sizes()
        print(f"mt_words = {mt_words}\nnative_words = {native_words}\nngrams = [")
        print("\n".join(toml_entries()))
        print("]")
        return 0
    candidates = mine(
        min_count=args.min_count,
        min_docs=args.min_docs,
        min_sites=args.min_sites,
        min_z=args.min_z,
        strength=args.prior,
        skeletons=args.skeleton,
        check_rules=not args.skeleton,
    )
    _print(candidates)
    if args.write and not args.skeleton:
        todo = write_review(candidates)
        print(f"{len(candidates)} candidates → {REVIEW} ({todo} to review)", file=sys.stderr)
    mt_words, native_words = corpus_sizes()
    print(f"# MT training copy {mt_words} words, native-en {native_words} words", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
