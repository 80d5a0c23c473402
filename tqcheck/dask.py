"""Check a large corpus on a Dask cluster (``pip install tqcheck[dask]``).

The input is cut into partitions: groups of article files, and line ranges of large
line-per-segment files (``.en``/``.hyp``, or any file with ``--source``), whose lines are
independent texts. Each partition is checked in a worker with the same engine as a local run;
the client stitches the pieces back together (offsets, line numbers and fixes shifted to the
whole file) so the report equals that of :func:`tqcheck.api.check_paths`: same findings, same
order, same errors.

Dask is imported only when a check runs, so ``import tqcheck`` stays fast. Workers need
tqcheck installed and must see the files and any extra rule-pack folders at the same paths
(a shared file system); line ranges of split files are sent to them by the client.

    from tqcheck.dask import check_bag
    report = check_bag(["archive/"], scheduler="tcp://scheduler:8786")
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqcheck import __version__
from tqcheck.api import (
    STDIN,
    Options,
    config_for,
    count_words,
    engine_for,
    load_ruleset,
    read_source,
    report_rules,
)
from tqcheck.config import Config, ConfigError
from tqcheck.document import Document, InputError, decode
from tqcheck.files import display_path, read_file
from tqcheck.findings import FileError, FileResult, Finding, Report
from tqcheck.loaders import ALIGNABLE, format_for, load_bytes, load_string
from tqcheck.loaders.lines import split_lines
from tqcheck.mqm import score_report
from tqcheck.runner import select_for

LINES_PER_PARTITION = 2000
FILES_PER_PARTITION = 20


@dataclass(frozen=True)
class _FileTask:
    """Check whole files: (absolute path, path shown in the report) pairs."""

    files: tuple[tuple[str, str], ...]
    source: str | None = None


@dataclass(frozen=True)
class _LinesTask:
    """Check lines [first_line, ...) of a line-per-segment file, starting at char offset."""

    shown: str
    text: str
    offset: int
    first_line: int
    source: str | None = None


@dataclass(frozen=True)
class _Part:
    """Hold what a worker returns for one task."""

    results: tuple[FileResult, ...] = ()
    errors: tuple[FileError, ...] = ()
    # For a line range: its findings and segments in whole-file offsets, and its words.
    findings: tuple[Finding, ...] = ()
    segments: tuple[tuple[int, int], ...] = ()
    words: int = 0


@dataclass(frozen=True)
class _Job:
    """Hold one checked path's configuration and its tasks, in report order."""

    config: Config
    # A task, or an error the client found itself (a path that does not exist).
    items: list[_FileTask | _LinesTask | FileError] = field(default_factory=list)
    # shown path -> full decoded text of each split file.
    texts: dict[str, str] = field(default_factory=dict)
    warning: str | None = None  # a folder without article files, a dangling link
    excluded: bool = False  # a named file that --force-exclude left out


def check_bag(
    paths: Sequence[str | Path],
    scheduler: Any = None,
    options: Options | None = None,
    *,
    lines_per_partition: int = LINES_PER_PARTITION,
    files_per_partition: int = FILES_PER_PARTITION,
) -> Report:
    """Check files and folders on a Dask cluster and return the same report as a local run.

    ``scheduler`` is a scheduler address (``tcp://host:8786``), a ``distributed.Client``, a
    Dask scheduler name (``"processes"``, ``"threads"``, ``"sync"``) or None: the current
    distributed client if there is one, else Dask's default scheduler. Large line-per-segment
    files are split every ``lines_per_partition`` lines; other files are checked
    ``files_per_partition`` at a time. ``--fix``, ``--diff`` and stdin are not supported.
    """
    from importlib import import_module

    bags = import_module("dask.bag")  # lazily: importing Dask takes a second
    options = _plain(options or Options())
    if options.fix or options.diff:
        raise ConfigError("a Dask run only checks; --fix and --diff run locally")
    raws = [str(p) for p in paths]
    if STDIN in raws:
        raise ConfigError("a Dask run checks files, not - (stdin)")
    source = read_source(raws, options.source, options.encoding)
    jobs = [_plan(raw, options, source, lines_per_partition, files_per_partition) for raw in raws]
    tasks = [
        (item, job.config)
        for job in jobs
        for item in job.items
        if isinstance(item, _FileTask | _LinesTask)
    ]
    parts: list[_Part] = []
    if tasks:
        bag = bags.from_sequence(tasks, npartitions=len(tasks))
        computed = bag.map(_run_task, options).compute(**_compute_kwargs(scheduler))
        parts = list(computed)
    return _merge(jobs, parts, options)


def _plain(options: Options) -> Options:
    """Drop the per-file callback, which neither pickles nor runs in a worker."""
    return dataclasses.replace(options, on_file=None)


def _compute_kwargs(scheduler: Any) -> dict[str, Any]:
    """Return the ``compute`` keyword arguments that select the scheduler."""
    if scheduler is None:
        try:
            from importlib import import_module

            return {"scheduler": import_module("distributed").default_client()}
        except (ImportError, ValueError):
            return {}
    if isinstance(scheduler, str) and "://" in scheduler:
        from distributed import Client

        return {"scheduler": _client(Client, scheduler)}
    return {"scheduler": scheduler}


_CLIENTS: dict[str, Any] = {}


def _client(factory: Any, address: str) -> Any:
    """Connect to a scheduler once per process and address."""
    client = _CLIENTS.get(address)
    if client is None or client.status in ("closed", "closing"):
        client = _CLIENTS[address] = factory(address, set_as_default=False)
    return client


def _plan(
    raw: str, options: Options, source: str | None, lines_per_part: int, files_per_part: int
) -> _Job:
    """Cut one checked path into tasks, in the order a local run visits its files."""
    config = config_for(raw, options)
    selection = select_for(raw, config, options)
    job = _Job(config, warning=selection.warning, excluded=selection.excluded)
    if selection.error is not None:
        job.items.append(FileError(raw, selection.error))
        return job
    batch: list[tuple[str, str]] = []
    for file in selection.files:
        shown = display_path(file)
        chunks = _split(file, shown, options, source, lines_per_part)
        if chunks is None:
            batch.append((str(file.resolve()), shown))
            if len(batch) >= files_per_part:
                job.items.append(_FileTask(tuple(batch), source))
                batch = []
            continue
        if batch:
            job.items.append(_FileTask(tuple(batch), source))
            batch = []
        text, tasks = chunks
        job.texts[shown] = text
        job.items.extend(tasks)
    if batch:
        job.items.append(_FileTask(tuple(batch), source))
    return job


def _split(
    file: Path, shown: str, options: Options, source: str | None, lines_per_part: int
) -> tuple[str, list[_LinesTask]] | None:
    """Cut a large line-per-segment file into line ranges, or return None to check it whole.

    A file with inline ``tqcheck:`` directives is checked whole: a directive may reach
    across lines.
    """
    fmt = options.input_format or format_for(shown) or "text"
    if fmt != "lines" and not (source is not None and fmt in ALIGNABLE):
        return None
    try:
        data = file.read_bytes()
        text = decode(data, options.encoding)[0]
    except (OSError, InputError):
        return None  # the worker reports it exactly as a local run would
    spans = split_lines(text)
    if len(spans) <= lines_per_part or "tqcheck" in text.lower():
        return None
    source_spans = split_lines(source) if source is not None else None
    if source_spans is not None and len(source_spans) != len(spans):
        return None  # the worker reports the line-count mismatch
    tasks: list[_LinesTask] = []
    for first in range(0, len(spans), lines_per_part):
        last = min(first + lines_per_part, len(spans))
        start = spans[first][0]
        end = spans[last][0] if last < len(spans) else len(text)
        chunk_source = None
        if source is not None and source_spans is not None:
            s_end = source_spans[last][0] if last < len(spans) else len(source)
            chunk_source = source[source_spans[first][0] : s_end]
        tasks.append(_LinesTask(shown, text[start:end], start, first, chunk_source))
    return text, tasks


def _run_task(task: tuple[_FileTask | _LinesTask, Config], options: Options) -> _Part:
    """Check one partition in a worker."""
    item, config = task
    engine = engine_for(config, options)
    if isinstance(item, _LinesTask):
        document = load_string(item.shown, item.text, input_format="lines", source=item.source)
        outcome = engine.run(document)
        return _Part(
            errors=tuple(FileError(item.shown, m) for m in outcome.rule_errors),
            findings=tuple(f.shifted(item.offset, item.first_line) for f in outcome.findings),
            segments=tuple((s.start + item.offset, s.end + item.offset) for s in document.segments),
            words=count_words(document),
        )
    results: list[FileResult] = []
    errors: list[FileError] = []
    for path, shown in item.files:
        try:
            data, _ = read_file(Path(path))
        except OSError as exc:
            errors.append(FileError(shown, f"cannot read: {exc.strerror or exc}"))
            continue
        try:
            document = load_bytes(
                shown,
                data,
                encoding=options.encoding,
                input_format=options.input_format,
                source=item.source,
                source_name=str(options.source),
            )
        except InputError as exc:
            errors.append(FileError(shown, str(exc)))
            continue
        outcome = engine.run(document)
        errors.extend(FileError(shown, m) for m in outcome.rule_errors)
        results.append(_result(shown, outcome.findings, document))
    return _Part(tuple(results), tuple(errors))


def _result(shown: str, findings: Sequence[Finding], document: Document) -> FileResult:
    """Build a file's result as a local run records it."""
    return FileResult(
        shown,
        tuple(findings),
        document.text,
        words=count_words(document),
        segments=tuple((s.start, s.end) for s in document.segments),
    )


def _merge(jobs: list[_Job], parts: list[_Part], options: Options) -> Report:
    """Stitch the partitions back into one report, in local-run order."""
    results: list[FileResult] = []
    errors: list[FileError] = []
    warnings: dict[str, None] = {}
    signature = ""
    rules: dict[str, Any] = {}
    rulesets = []
    pending = iter(parts)
    for job in jobs:
        config = job.config
        ruleset = load_ruleset((*config.packs, *options.packs), config.plugins)
        signature = signature or f"tqcheck {__version__}; packs {ruleset.signature()}"
        warnings.update(dict.fromkeys(ruleset.warnings))
        rules.update({r.code: r for r in engine_for(config, options).rules})
        rulesets.append(ruleset)
        split: dict[str, list[_Part]] = {}
        order: list[str] = []
        for item in [*job.items, None]:
            if not isinstance(item, _LinesTask) or (order and item.shown != order[-1]):
                for shown in order:
                    results.append(_stitch(shown, job.texts[shown], split[shown]))
                    seen: dict[str, None] = {}
                    for part in split[shown]:
                        seen.update(dict.fromkeys(e.message for e in part.errors))
                    errors.extend(FileError(shown, m) for m in seen)
                split, order = {}, []
            if item is None:
                continue
            if isinstance(item, FileError):
                errors.append(item)
                continue
            part = next(pending)
            if isinstance(item, _LinesTask):
                if item.shown not in split:
                    order.append(item.shown)
                split.setdefault(item.shown, []).append(part)
                continue
            results.extend(part.results)
            errors.extend(part.errors)
    report = Report(
        __version__,
        tuple(results),
        tuple(errors),
        signature,
        rules=report_rules(rules, {f.rule for r in results for f in r.findings}, rulesets),
        warnings=(*warnings, *(job.warning for job in jobs if job.warning is not None)),
        excluded=sum(job.excluded for job in jobs),
    )
    if options.baseline is not None:
        from tqcheck.baseline import apply_baseline

        report = apply_baseline(report, options.baseline, update=options.update_baseline)
    first = jobs[0].config if jobs else Config()
    limit = options.max_penalty if options.max_penalty is not None else first.max_penalty
    return score_report(report, first.mqm_weights, limit)


def _stitch(shown: str, text: str, parts: list[_Part]) -> FileResult:
    """Join the line ranges of one file into its result."""
    return FileResult(
        shown,
        tuple(f for part in parts for f in part.findings),
        text,
        words=sum(part.words for part in parts),
        segments=tuple(s for part in parts for s in part.segments),
    )
