"""Reference metrics and rankings: ``tqcheck score`` and ``tqcheck rank``.

``score`` computes corpus BLEU, chrF, chrF++ and TER through sacrebleu's Python API, with the
signatures sacrebleu prints, so its numbers are sacrebleu's own; ``--fixed`` also scores the
output after tqcheck's safe fixes and reports the difference. ``rank`` orders several outputs
of the same source by their unconfirmed-issue score (see :mod:`tqcheck.mqm`).

sacrebleu is imported only when a metric is computed: ``tqcheck check`` never pays for it.
Every problem with the input (unreadable files, different numbers of segments, empty input) is
a :class:`ScoreError` whose message is one line.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tqcheck.config import Config, ConfigError, discover
from tqcheck.document import InputError, decode

if TYPE_CHECKING:
    from tqcheck.api import Options
    from tqcheck.findings import Report
    from tqcheck.mqm import DocumentScore

# Formats whose segments are translation units (targets), not lines.
UNIT_FORMATS = frozenset(("xliff", "po"))
LINE_FORMATS = frozenset(("text", "lines"))


class ScoreError(Exception):
    """Raise for input that cannot be scored; the message is one line naming the problem."""


class Metric(enum.Enum):
    """Name the reference metrics ``tqcheck score`` computes (sacrebleu's defaults)."""

    BLEU = "bleu"
    CHRF = "chrf"
    CHRF_PP = "chrf++"  # chrF with word bigrams (word_order=2)
    TER = "ter"

    @property
    def higher_is_better(self) -> bool:
        """Say whether a higher score is better (TER counts edits: lower is better)."""
        return self is not Metric.TER

    def scorer(self, sentence: bool = False) -> Any:
        """Return a sacrebleu metric object (BLEU uses effective order for single sentences)."""
        from sacrebleu.metrics.bleu import BLEU
        from sacrebleu.metrics.chrf import CHRF
        from sacrebleu.metrics.ter import TER

        if self is Metric.BLEU:
            return BLEU(effective_order=sentence)
        if self is Metric.CHRF:
            return CHRF()
        if self is Metric.CHRF_PP:
            return CHRF(word_order=2)
        return TER()


DEFAULT_METRICS = (Metric.BLEU, Metric.CHRF, Metric.TER)


def parse_metrics(value: str) -> tuple[Metric, ...]:
    """Parse a comma-separated metric list such as ``bleu,chrf++``; unknown names are errors."""
    names = [part.strip().lower() for part in value.split(",") if part.strip()]
    if not names:
        raise ScoreError("--metrics: name at least one of bleu, chrf, chrf++, ter")
    metrics: list[Metric] = []
    for name in names:
        try:
            metric = Metric(name)
        except ValueError:
            known = ", ".join(m.value for m in Metric)
            raise ScoreError(f"--metrics: unknown metric {name!r} (choose from {known})") from None
        if metric not in metrics:
            metrics.append(metric)
    return tuple(metrics)


@dataclass(frozen=True)
class Segments:
    """Hold the segments of one file to score, in order, with their unit ids if any."""

    path: str
    texts: tuple[str, ...]
    units: tuple[str | None, ...]
    format: str


def read_segments(path: Path, *, encoding: str | None = None) -> Segments:
    """Read a hypothesis, reference or source file as a list of segments.

    Line files (``.en``, ``.hyp``, ``.txt``, no extension...) give one segment per line, read
    as sacrebleu reads them (lines end at LF; trailing whitespace is dropped). XLIFF and PO
    files give their translated units' targets, with the unit ids.
    """
    from tqcheck.loaders import format_for, load_bytes

    shown = str(path)
    fmt = format_for(shown) or "text"
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ScoreError(f"{shown}: cannot read: {exc.strerror or exc}") from None
    try:
        if fmt in UNIT_FORMATS:
            document = load_bytes(shown, data, encoding=encoding)
            return Segments(
                shown,
                tuple(s.text for s in document.segments),
                tuple(s.unit for s in document.segments),
                fmt,
            )
        if fmt not in LINE_FORMATS:
            raise ScoreError(
                f"{shown}: cannot score a {fmt} file; give one segment per line, XLIFF or PO"
            )
        text = decode(data, encoding)[0]
    except InputError as exc:
        raise ScoreError(f"{shown}: {exc}") from None
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the terminator of the last line does not start another one
    return Segments(shown, tuple(line.rstrip() for line in lines), (None,) * len(lines), "lines")


def align(hypothesis: Segments, other: Segments, role: str) -> tuple[str, ...]:
    """Return other's segments in hypothesis order: by unit id when both have ids, else by line.

    Raises ScoreError when the two do not have the same segments.
    """
    if hypothesis.format in UNIT_FORMATS and other.format in UNIT_FORMATS:
        by_unit = dict(zip(other.units, other.texts, strict=True))
        missing = [u for u in hypothesis.units if u not in by_unit]
        if missing or len(by_unit) != len(hypothesis.units):
            detail = f"unit {missing[0]!r} is missing" if missing else "the units differ"
            raise ScoreError(
                f"{role} {other.path}: {detail}; it must translate the same units as "
                f"{hypothesis.path}"
            )
        return tuple(by_unit[u] for u in hypothesis.units)
    if len(other.texts) != len(hypothesis.texts):
        raise ScoreError(
            f"{role} {other.path} has {len(other.texts)} segments but {hypothesis.path} has "
            f"{len(hypothesis.texts)}; the files must be line-aligned"
        )
    return other.texts


@dataclass(frozen=True)
class CorpusScore:
    """Hold one corpus-level metric score with its sacrebleu signature."""

    metric: Metric
    name: str  # sacrebleu's name: BLEU, chrF2, chrF2++, TER
    score: float
    signature: str
    text: str  # sacrebleu's own line: NAME|SIGNATURE = SCORE details

    def to_dict(self) -> dict[str, Any]:
        """Return the score in the JSON shape of ``tqcheck score``."""
        return {
            "metric": self.metric.value,
            "name": self.name,
            "score": self.score,
            "signature": self.signature,
            "text": self.text,
        }


def corpus_scores(
    hypotheses: Sequence[str], references: Sequence[Sequence[str]], metrics: Sequence[Metric]
) -> tuple[CorpusScore, ...]:
    """Compute corpus scores with sacrebleu; references are one stream per reference file."""
    scores: list[CorpusScore] = []
    for metric in metrics:
        scorer = metric.scorer()
        result = scorer.corpus_score(list(hypotheses), [list(r) for r in references])
        signature = str(scorer.get_signature())
        scores.append(
            CorpusScore(
                metric,
                result.name,
                float(result.score),
                signature,
                result.format(width=2, signature=signature),
            )
        )
    return tuple(scores)


@dataclass(frozen=True)
class LineScore:
    """Hold the sentence scores of one line (1-based), one per metric in order."""

    line: int
    scores: tuple[float, ...]
    hypothesis: str
    references: tuple[str, ...]
    fixed: str | None = None  # the line after safe fixes, when --fixed changed it

    def to_dict(self, metrics: Sequence[Metric]) -> dict[str, Any]:
        """Return the line in the JSON shape of ``tqcheck score --sentence``."""
        return {
            "line": self.line,
            "scores": {m.value: s for m, s in zip(metrics, self.scores, strict=True)},
            "hypothesis": self.hypothesis,
            "references": list(self.references),
            **({"fixed": self.fixed} if self.fixed is not None else {}),
        }


@dataclass(frozen=True)
class ScoreReport:
    """Hold what ``tqcheck score`` computed."""

    hypothesis: str
    references: tuple[str, ...]
    source: str | None
    segments: int
    metrics: tuple[Metric, ...]
    corpus: tuple[CorpusScore, ...]
    fixed: tuple[CorpusScore, ...] | None = None  # the same metrics after safe fixes
    fixed_lines: int = 0  # lines the safe fixes changed
    sentences: tuple[LineScore, ...] = ()
    lowest: tuple[LineScore, ...] = ()

    def gains(self) -> tuple[tuple[Metric, float], ...]:
        """Return each metric's fix gain: after safe fixes minus before (TER: lower is better)."""
        if self.fixed is None:
            return ()
        return tuple(
            (before.metric, after.score - before.score)
            for before, after in zip(self.corpus, self.fixed, strict=True)
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the report in the JSON shape of ``tqcheck score --format json``."""
        return {
            "hypothesis": self.hypothesis,
            "references": list(self.references),
            "source": self.source,
            "segments": self.segments,
            "scores": [s.to_dict() for s in self.corpus],
            "fixed": None
            if self.fixed is None
            else {
                "lines_changed": self.fixed_lines,
                "scores": [s.to_dict() for s in self.fixed],
                "gain": {m.value: g for m, g in self.gains()},
            },
            "sentences": [s.to_dict(self.metrics) for s in self.sentences],
            "lowest": [s.to_dict(self.metrics) for s in self.lowest],
        }


def fix_lines(
    lines: Sequence[str], sources: Sequence[str] | None = None, config: Config | None = None
) -> list[str]:
    """Apply tqcheck's safe fixes to each line on its own (with its source line, if given).

    A line whose fixes do not converge, or would break it in two, is kept as it was: the
    output must stay line-aligned with the references.
    """
    from tqcheck.api import fix_text

    fixed: list[str] = []
    for index, line in enumerate(lines):
        if not line.strip():
            fixed.append(line)
            continue
        source = sources[index] if sources is not None and sources[index].strip() else None
        outcome = fix_text(line, config=config, input_format="lines", source=source)
        ok = outcome.converged and "\n" not in outcome.text and "\r" not in outcome.text
        fixed.append(outcome.text if ok else line)
    return fixed


def sentence_scores(
    hypotheses: Sequence[str],
    references: Sequence[Sequence[str]],
    metrics: Sequence[Metric],
    fixed: Sequence[str] | None = None,
) -> tuple[LineScore, ...]:
    """Score every line on its own against its references."""
    scorers = [m.scorer(sentence=True) for m in metrics]
    lines: list[LineScore] = []
    for index, hypothesis in enumerate(hypotheses):
        refs = [r[index] for r in references]
        scores = tuple(float(s.sentence_score(hypothesis, refs).score) for s in scorers)
        changed = fixed[index] if fixed is not None and fixed[index] != hypothesis else None
        lines.append(LineScore(index + 1, scores, hypothesis, tuple(refs), changed))
    return tuple(lines)


def lowest_lines(lines: Sequence[LineScore], metrics: Sequence[Metric], n: int) -> list[LineScore]:
    """Return the n worst lines by the first metric (highest TER, lowest of the others)."""
    sign = 1.0 if metrics[0].higher_is_better else -1.0
    return sorted(lines, key=lambda s: (sign * s.scores[0], s.line))[:n]


def score_files(
    hypothesis: Path,
    references: Sequence[Path],
    *,
    source: Path | None = None,
    metrics: Sequence[Metric] = DEFAULT_METRICS,
    sentence: bool = False,
    lowest: int | None = None,
    fixed: bool = False,
    encoding: str | None = None,
    config: Config | None = None,
) -> ScoreReport:
    """Score a hypothesis file against one or more reference files (``tqcheck score``)."""
    if not references:
        raise ScoreError("give at least one reference with --ref REF")
    if lowest is not None and lowest < 1:
        raise ScoreError("--lowest: expected a number of at least 1")
    hyp = read_segments(hypothesis, encoding=encoding)
    if not hyp.texts or not any(t.strip() for t in hyp.texts):
        raise ScoreError(f"{hyp.path}: no segments to score (the file is empty)")
    refs = [align(hyp, read_segments(r, encoding=encoding), "reference") for r in references]
    sources = (
        align(hyp, read_segments(source, encoding=encoding), "source")
        if source is not None
        else None
    )
    corpus = corpus_scores(hyp.texts, refs, metrics)
    fixed_texts: list[str] | None = None
    fixed_scores: tuple[CorpusScore, ...] | None = None
    if fixed:
        if config is None:
            try:
                config = discover(hypothesis)
            except ConfigError as exc:
                raise ScoreError(str(exc)) from None
        fixed_texts = fix_lines(hyp.texts, sources, config)
        fixed_scores = corpus_scores(fixed_texts, refs, metrics)
    lines: tuple[LineScore, ...] = ()
    worst: list[LineScore] = []
    if sentence or lowest is not None:
        lines = sentence_scores(hyp.texts, refs, metrics, fixed_texts)
        worst = lowest_lines(lines, metrics, lowest if lowest is not None else 10)
    return ScoreReport(
        hypothesis=hyp.path,
        references=tuple(str(r) for r in references),
        source=str(source) if source is not None else None,
        segments=len(hyp.texts),
        metrics=tuple(metrics),
        corpus=corpus,
        fixed=fixed_scores,
        fixed_lines=sum(
            1 for a, b in zip(hyp.texts, fixed_texts or hyp.texts, strict=True) if a != b
        ),
        sentences=lines if sentence else (),
        lowest=tuple(worst),
    )


def _short(text: str, width: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def render_score(report: ScoreReport, fmt: str = "text") -> str:
    """Render a score report as text (sacrebleu's lines, then fix gain and lines) or JSON."""
    if fmt == "json":
        return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
    refs = ", ".join(report.references)
    out = [f"{report.hypothesis} against {refs} ({report.segments} segments)"]
    out += [s.text for s in report.corpus]
    if report.fixed is not None:
        out += [
            "",
            f"After tqcheck's safe fixes ({report.fixed_lines} of {report.segments} lines "
            "changed):",
        ]
        out += [s.text for s in report.fixed]
        gains = ", ".join(
            f"{s.name} {g:+.2f}" for s, (_, g) in zip(report.corpus, report.gains(), strict=True)
        )
        ter = any(s.name.startswith("TER") for s in report.corpus)
        note = "after - before; for TER lower is better" if ter else "after - before"
        out.append(f"Fix gain ({note}): {gains}")
    names = [s.name for s in report.corpus]
    if report.sentences:
        out += ["", "Sentence scores:", "line\t" + "\t".join(names)]
        out += [f"{s.line}\t" + "\t".join(f"{v:.2f}" for v in s.scores) for s in report.sentences]
    if report.lowest:
        out += ["", f"Lowest {len(report.lowest)} lines by {names[0]}:"]
        for s in report.lowest:
            values = ", ".join(f"{n} {v:.2f}" for n, v in zip(names, s.scores, strict=True))
            out.append(f"  line {s.line} ({values})")
            out.append(f"    hyp: {_short(s.hypothesis)}")
            for ref in s.references:
                out.append(f"    ref: {_short(ref)}")
            if s.fixed is not None:
                out.append(f"    fixed: {_short(s.fixed)}")
    return "\n".join(out) + "\n"


# --- rank -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RankedFile:
    """Hold one ranked output: its unconfirmed-issue score and reference metrics, if any."""

    rank: int
    path: str
    words: int
    findings: int
    penalty: float
    per_1k: float
    metrics: tuple[CorpusScore, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the file in the JSON shape of ``tqcheck rank``."""
        return {
            "rank": self.rank,
            "path": self.path,
            "words": self.words,
            "findings": self.findings,
            "penalty": round(self.penalty, 4),
            "per_1000_words": round(self.per_1k, 4),
            "metrics": {m.name: m.score for m in self.metrics},
        }


@dataclass(frozen=True)
class RankReport:
    """Hold the outputs ranked by unconfirmed-issue penalty per 1,000 words, lowest first."""

    files: tuple[RankedFile, ...]
    reference: str | None = None
    signatures: tuple[tuple[str, str], ...] = ()  # metric name, sacrebleu signature

    @property
    def ranked_by(self) -> str:
        """Say what decides the order: chrF against the reference when there is one."""
        from tqcheck.mqm import LABEL

        issues = f"{LABEL} per 1,000 words (lower is better)"
        if self.reference is None:
            return issues
        chrf = next((name for name, _ in self.signatures if name.startswith("chrF")), "chrF")
        return f"{chrf} against the reference (higher is better), then {issues}"

    def to_dict(self) -> dict[str, Any]:
        """Return the ranking in the JSON shape of ``tqcheck rank --format json``."""
        from tqcheck.mqm import CAVEAT

        return {
            "ranked_by": self.ranked_by,
            "note": CAVEAT,
            "reference": self.reference,
            "signatures": dict(self.signatures),
            "files": [f.to_dict() for f in self.files],
        }


RANK_METRICS = (Metric.BLEU, Metric.CHRF)


def rank_files(
    paths: Sequence[str],
    *,
    reference: Path | None = None,
    options: Options | None = None,
    encoding: str | None = None,
) -> tuple[RankReport, tuple[str, ...]]:
    """Check outputs and rank them; return the ranking and errors.

    ``options`` are the :class:`tqcheck.api.Options` of the check (rule selection, and
    ``source``: a line-aligned source file every output translates, for the bilingual rules).
    Without a reference the order is the penalty per 1,000 words; with one, each output's
    corpus BLEU and chrF against it are computed and chrF decides the order (it tracks human
    judgement far better than the issue score), the penalty breaking ties.
    """
    from tqcheck.api import Options, check_paths

    if not paths:
        raise ScoreError("give the outputs to rank")
    options = options or Options()
    if options.source is None:
        report = check_paths(list(paths), options)
        results, errors_found, documents = report.results, report.errors, _documents(report)
    else:
        # --source aligns with one file at a time: check each output against it on its own.
        results, errors_found, documents = (), (), ()
        for path in paths:
            one = check_paths([path], options)
            results += one.results
            errors_found += one.errors
            documents += _documents(one)
    errors = tuple(f"{e.path}: error: {e.message}" for e in errors_found)
    if not documents:
        detail = ": " + "; ".join(errors) if errors else ""
        raise ScoreError(f"no file could be checked{detail}")
    counts = {r.path: len(r.findings) for r in results}
    ref_texts: Segments | None = None
    if reference is not None:
        ref_texts = read_segments(reference, encoding=encoding)
    signatures: dict[str, str] = {}
    scored: list[tuple[DocumentScore, tuple[CorpusScore, ...]]] = []
    for document in documents:
        metrics: tuple[CorpusScore, ...] = ()
        if ref_texts is not None:
            hyp = read_segments(Path(document.path), encoding=encoding)
            metrics = corpus_scores(hyp.texts, [align(hyp, ref_texts, "reference")], RANK_METRICS)
            signatures.update((m.name, m.signature) for m in metrics)
        scored.append((document, metrics))

    def order(item: tuple[DocumentScore, tuple[CorpusScore, ...]]) -> tuple[float, float, str]:
        document, metrics = item
        chrf = next((m.score for m in metrics if m.name.startswith("chrF")), 0.0)
        return (-chrf, document.per_1k, document.path)

    ranked = [
        RankedFile(
            position,
            document.path,
            document.words,
            counts.get(document.path, 0),
            document.penalty,
            document.per_1k,
            metrics,
        )
        for position, (document, metrics) in enumerate(sorted(scored, key=order), start=1)
    ]
    ranking = RankReport(
        tuple(ranked),
        str(reference) if reference is not None else None,
        tuple(signatures.items()),
    )
    return ranking, errors


def _documents(report: Report) -> tuple[DocumentScore, ...]:
    return report.score.documents if report.score is not None else ()


def render_rank(report: RankReport, fmt: str = "text") -> str:
    """Render a ranking as an aligned text table or JSON."""
    if fmt == "json":
        return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
    from tqcheck.mqm import CAVEAT

    names = [name for name, _ in report.signatures]
    header = ["rank", "file", "words", "findings", "penalty", "per 1k words", *names]
    rows = [
        [
            str(f.rank),
            f.path,
            str(f.words),
            str(f.findings),
            f"{f.penalty:.1f}",
            f"{f.per_1k:.2f}",
            *(f"{m.score:.2f}" for m in f.metrics),
        ]
        for f in report.files
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    numeric = {0, 2, 3, 4, 5, *range(6, len(header))}

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in numeric else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    out = [
        f"Ranked by {report.ranked_by} ({CAVEAT}).",
        line(header),
        *(line(r) for r in rows),
    ]
    if report.reference is not None:
        out.append(f"Reference metrics against {report.reference}:")
        out += [f"  {name}|{signature}" for name, signature in report.signatures]
    return "\n".join(out) + "\n"
