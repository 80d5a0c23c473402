"""Run a check over many files: plan the jobs, run them serially or in worker processes.

- Every path argument is resolved to jobs up front (so progress has a total).
- Large line-per-segment files (the WMT/sacrebleu convention) are split into chunks at line
  boundaries and read chunk by chunk, so memory stays flat however big the file is; their
  segments are independent, so the result is the same as checking the whole file at once.
- ``jobs > 1`` runs the jobs in forked worker processes; results come back in job order, so
  the output is identical to a serial run.
- Unchanged files under unchanged rules are answered from the result cache.
"""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
import os
import sys
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tqcheck.cache import ResultCache, cache_folder
from tqcheck.document import Document, InputError, LineIndex, decode
from tqcheck.files import (
    Selection,
    Snapshot,
    WriteError,
    display_path,
    read_file,
    remove_stale_temps,
    select_files,
    write_atomic,
)
from tqcheck.findings import FileError, FileResult, Finding
from tqcheck.ignore import IgnoreRules
from tqcheck.loaders import EXTENSIONS, format_for, load_bytes, load_string
from tqcheck.pipeline import count_words, fix_document

if TYPE_CHECKING:
    from tqcheck.config import Config
    from tqcheck.engine import Engine
    from tqcheck.options import Options

STDIN = "-"
# Line files above this size are checked in chunks of about this many bytes.
CHUNK_BYTES = 1024 * 1024
# Plain-text files above this size are checked in independent chunks too (cut at line ends,
# else at sentence ends or spaces), trading cross-paragraph rules for flat memory.
BIG_TEXT_BYTES = 32 * 1024 * 1024
# Reporters show source lines from the file text; above this size it is not kept in memory.
KEEP_TEXT_BYTES = 32 * 1024 * 1024
# Set by --verbose: print the traceback of an internal error as well as its one line.
TRACEBACK_ENV = "TQCHECK_TRACEBACK"


def internal_error(exc: BaseException) -> str:
    """Return the one-line message of an unexpected exception (a bug to report)."""
    detail = " ".join(str(exc).split())[:200]
    return (
        f"internal error: {type(exc).__name__}: {detail or 'no detail'} "
        "(a bug in tqcheck: please report it with the file; --verbose shows the traceback)"
    )


# Below this much work a process pool costs more than it saves.
PARALLEL_MIN_BYTES = 512 * 1024


@dataclass(frozen=True)
class Job:
    """Say what one unit of work is: a file, a chunk of a big line file, stdin or an error."""

    index: int
    raw: str  # the path argument the job came from (selects the configuration)
    path: str | None  # None for standard input
    shown: str
    chunk: tuple[int, int] | None = None  # byte range of a chunked line file
    last: bool = True  # the last chunk of its file
    error: str | None = None  # a path that could not be planned ("no such file or folder")


@dataclass
class Outcome:
    """Hold what one job produced (chunk outcomes carry their size, for offset shifting)."""

    results: list[FileResult] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    chars: int = 0
    lines: int = 0
    tail: int = 0  # characters after the chunk's last line break (columns of the next chunk)
    fatal: bool = False  # the input could not be read or decoded: no result for the file


def select_for(
    raw: str, config: Config, options: Options, ignore: IgnoreRules | None = None
) -> Selection:
    """Return the files a path argument names under its configuration and the run's options.

    The command line's ``--force-exclude`` / ``--no-respect-gitignore`` win over the
    configuration's settings; the local and the Dask runs both plan through here.
    """

    def choose(flag: bool | None, configured: bool) -> bool:
        return configured if flag is None else flag

    return select_files(
        raw,
        frozenset(ext for ext in EXTENSIONS if ext),
        config.exclude,
        base=config.path.parent if config.path is not None else Path.cwd(),
        respect_ignore_files=choose(options.respect_gitignore, config.respect_gitignore),
        force_exclude=choose(options.force_exclude, config.force_exclude),
        ignore=ignore,
    )


class Runner:
    """Check files with the engines their configurations select."""

    def __init__(
        self,
        options: Options,
        source: str | None,
        engine_for: Callable[[str], tuple[Engine, Config, str]],
        on_file: Callable[[str], None] | None = None,
    ) -> None:
        """Remember the options; ``engine_for(raw)`` gives an argument's engine and signature."""
        self.options = options
        self.source = source
        self.engine_for = engine_for
        self.on_file = on_file
        use_cache = not (options.fix or options.diff) and not options.no_cache
        self.cache = ResultCache(cache_folder(options.cache_dir) if use_cache else None)
        self.ignore = IgnoreRules()  # ignore files read once per run
        self.warnings: list[str] = []  # paths that named no file (empty folders, dead links)
        self.excluded = 0  # files named on the command line that --force-exclude skipped

    # -- planning ---------------------------------------------------------------------------

    def plan(self, paths: Sequence[str]) -> list[Job]:
        """Resolve path arguments into jobs, in output order."""
        jobs: list[Job] = []
        for raw in paths:
            _, config, _ = self.engine_for(raw)
            if raw == STDIN:
                jobs.append(Job(len(jobs), raw, None, STDIN))
                continue
            selection = select_for(raw, config, self.options, self.ignore)
            if selection.warning is not None:
                self.warnings.append(selection.warning)
            self.excluded += selection.excluded
            if selection.error is not None:
                jobs.append(Job(len(jobs), raw, None, raw, error=selection.error))
                continue
            for file in selection.files:
                for chunk, last in self._chunks(file):
                    jobs.append(Job(len(jobs), raw, str(file), display_path(file), chunk, last))
        return jobs

    def _chunks(self, path: Path) -> Iterator[tuple[tuple[int, int] | None, bool]]:
        """Yield the byte ranges a file is checked in (one None range: the whole file)."""
        options = self.options
        fmt = options.input_format or format_for(str(path))
        try:
            size = path.stat().st_size
        except OSError:
            size = 0
        chunkable = (
            ((fmt == "lines" and size > CHUNK_BYTES) or (fmt == "text" and size > BIG_TEXT_BYTES))
            and not (options.fix or options.diff)
            and self.source is None
            and options.encoding in (None, "utf-8", "utf8")
        )
        if not chunkable or _wide_bom(path):
            # UTF-16/32 text cannot be cut at byte offsets found by looking for ASCII bytes.
            yield None, True
            return
        ranges = list(_line_ranges(path, size))
        for i, byte_range in enumerate(ranges):
            yield byte_range, i == len(ranges) - 1

    # -- execution --------------------------------------------------------------------------

    def run(self, jobs: Sequence[Job], workers: int) -> Iterator[tuple[Job, Outcome]]:
        """Yield each job with its outcome, in job order (chunks of a file merged by caller)."""
        total = sum(_size(job) for job in jobs)
        parallel = (
            workers > 1
            and len(jobs) > 1
            and total >= PARALLEL_MIN_BYTES
            and not any(job.path is None and job.error is None for job in jobs)  # stdin
        )
        if not parallel:
            for job in jobs:
                yield job, self.work(job)
            self.cache.flush()
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # Cache hits are answered here: a worker would spend more on sending the findings
        # back than on reading them (a warm re-run over many files never starts a worker).
        keys: dict[int, str] = {}  # the cache keys of the jobs that missed
        cached = {job.index: hit for job in jobs if (hit := self.cached(job, keys)) is not None}
        missing = [job for job in jobs if job.index not in cached]
        global _ACTIVE
        _ACTIVE = self  # forked workers inherit the runner, its engines and caches
        context = multiprocessing.get_context("fork")
        # Never more workers than jobs that need one, nor than cores to run them on.
        workers = max(1, min(workers, len(missing) or 1, os.cpu_count() or 1))
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_watch_parent,
            initargs=(os.getpid(),),
        ) as pool:
            done = iter(pool.map(_work_in_child, missing, chunksize=1) if missing else ())
            for job in jobs:
                if job.index in cached:
                    yield job, cached[job.index]
                    continue
                outcome = next(done)
                if job.index in keys and not outcome.errors and outcome.results:
                    # The worker stored it; this process keeps it for the bundle.
                    self.cache.remember(keys[job.index], self._entry(outcome))
                yield job, outcome
        self.cache.flush()

    def cached(self, job: Job, misses: dict[int, str] | None = None) -> Outcome | None:
        """Return a job's outcome from the result cache, or None (not cached, or no cache).

        ``misses`` receives the cache key of a job that was not in the cache.
        """
        if not self.cache.root or job.path is None or job.error is not None or self.options.fix:
            return None
        _, _, signature = self.engine_for(job.raw)
        try:
            if job.chunk is None:
                data = Path(job.path).read_bytes()
            else:
                data = _read_range(Path(job.path), job.chunk)
        except OSError:
            return None  # the worker reports it
        outcome = Outcome()
        key = self._key(job, data, signature)
        if self._from_cache(key, job.shown, data, outcome):
            return outcome
        if misses is not None:
            misses[job.index] = key
        return None

    def _key(self, job: Job, data: bytes, signature: str) -> str:
        """Return the result-cache key of a job's bytes ("" when there is no cache)."""
        if not self.cache.root or job.path is None:
            return ""
        fmt = self.options.input_format or format_for(job.path)
        return self.cache.key(data, f"{signature}|{fmt}|{job.chunk is not None}")

    def work(self, job: Job) -> Outcome:
        """Run one job in this process; an unexpected exception becomes that file's error.

        A bug must not abort the run: the other files are still checked, and the error names
        the file and the exception so that it can be reported (traceback with --verbose).
        """
        try:
            return self._work(job)
        except Exception as exc:  # any bug in a rule, loader or writer
            outcome = Outcome()
            outcome.errors.append(FileError(job.shown, internal_error(exc)))
            if os.environ.get(TRACEBACK_ENV):
                traceback.print_exc(file=sys.stderr)
            return outcome

    def _work(self, job: Job) -> Outcome:
        outcome = Outcome()
        if job.error is not None:
            outcome.errors.append(FileError(job.shown, job.error))
            return outcome
        engine, _, signature = self.engine_for(job.raw)
        if job.path is None:
            self._check_bytes(engine, STDIN, sys.stdin.buffer.read(), None, None, outcome)
            return outcome
        path = Path(job.path)
        if self.options.fix:
            remove_stale_temps(path)  # leftovers of an earlier run that was killed mid-write
        try:
            if job.chunk is None:
                data, snapshot = read_file(path)
            else:
                data, snapshot = _read_range(path, job.chunk), None
        except OSError as exc:
            outcome.errors.append(FileError(job.shown, f"cannot read: {exc.strerror or exc}"))
            return outcome
        key = self._key(job, data, signature)
        if key and self._from_cache(key, job.shown, data, outcome):
            return outcome
        self._check_bytes(engine, job.shown, data, path, snapshot, outcome, chunk=job.chunk)
        if key and not outcome.errors and outcome.results:
            self._to_cache(key, outcome)
        return outcome

    def _from_cache(self, key: str, shown: str, data: bytes, outcome: Outcome) -> bool:
        entry = self.cache.get(key)
        if entry is None:
            return False
        try:
            _check_entry(entry, len(data))
            findings = tuple(Finding.from_dict(f, path=shown) for f in entry["findings"])
            text = decode(data, self.options.encoding)[0] if entry["keep_text"] else ""
            outcome.results.append(
                FileResult(
                    shown,
                    findings,
                    text,
                    words=entry["words"],
                    segments=tuple(map(tuple, entry["segments"])),
                )
            )
            outcome.chars, outcome.lines = entry["chars"], entry["lines"]
            outcome.tail = entry.get("tail", outcome.chars)
        except (KeyError, TypeError, ValueError, InputError):
            outcome.results.clear()
            return False
        return True

    def _to_cache(self, key: str, outcome: Outcome) -> None:
        self.cache.put(key, self._entry(outcome))

    @staticmethod
    def _entry(outcome: Outcome) -> dict[str, Any]:
        """Return the cache entry of a job's outcome (JSON data)."""
        result = outcome.results[0]
        return {
            "findings": [f.to_dict() for f in result.findings],
            "words": result.words,
            "segments": [list(s) for s in result.segments],
            "keep_text": bool(result.text),
            "chars": outcome.chars,
            "lines": outcome.lines,
            "tail": outcome.tail,
        }

    def _check_bytes(
        self,
        engine: Engine,
        shown: str,
        data: bytes,
        path: Path | None,
        snapshot: Snapshot | None,
        outcome: Outcome,
        chunk: tuple[int, int] | None = None,
    ) -> None:
        options = self.options
        try:
            document = load_bytes(
                shown,
                data,
                encoding=options.encoding,
                input_format="lines" if chunk is not None else options.input_format,
                source=self.source,
                source_name=str(options.source),
            )
        except InputError as exc:
            where = f" (in bytes {chunk[0]}-{chunk[1]})" if chunk is not None else ""
            outcome.errors.append(FileError(shown, f"{exc}{where}"))
            outcome.fatal = True
            return
        if chunk is not None:
            index = LineIndex(document.text)
            outcome.chars = len(document.text)
            outcome.lines = len(index.starts) - 1
            outcome.tail = len(document.text) - index.starts[-1]
        if not (options.fix or options.diff):
            self._record(engine, shown, document, outcome, keep_text=chunk is None)
            return
        fixed = fix_document(engine, document, options.unsafe_fixes, self.source)
        if not fixed.converged:
            rules = ", ".join(fixed.unconverged_codes) or "unknown"
            outcome.errors.append(
                FileError(
                    shown,
                    f"fixes did not converge after {fixed.passes} passes (rules still fixing: "
                    f"{rules}); file left as is: run with --ignore on one of them",
                )
            )
            self._record(engine, shown, document, outcome)
            return
        changed = fixed.text != document.text
        if (
            changed
            and options.fix
            and not options.diff
            and path is not None
            and snapshot is not None
        ):
            try:
                write_atomic(path, document.encoding.encode(fixed.text), snapshot)
            except WriteError as exc:
                outcome.errors.append(FileError(shown, str(exc)))
                self._record(engine, shown, document, outcome)
                return
        if options.diff or not changed:
            checked = document
        else:
            checked = load_string(
                shown, fixed.text, input_format=document.format, source=self.source
            )
        self._record(
            engine,
            shown,
            checked,
            outcome,
            original=document,
            fixed=fixed.applied if options.fix and not options.diff else 0,
            fixed_by_rule=(
                tuple(sorted(fixed.applied_by_code.items()))
                if options.fix and not options.diff
                else ()
            ),
            fixed_text=fixed.text if changed else None,
        )

    def _record(
        self,
        engine: Engine,
        shown: str,
        document: Document,
        outcome: Outcome,
        *,
        original: Document | None = None,
        fixed: int = 0,
        fixed_by_rule: tuple[tuple[str, int], ...] = (),
        fixed_text: str | None = None,
        keep_text: bool = True,
    ) -> None:
        """Check a document and record its result (and any rule that failed on it)."""
        result = engine.run(document)
        outcome.errors.extend(FileError(shown, message) for message in result.rule_errors)
        source = original or document
        keep = keep_text and len(source.text) <= KEEP_TEXT_BYTES
        outcome.results.append(
            FileResult(
                shown,
                tuple(result.findings),
                source.text if keep else "",
                fixed=fixed,
                fixed_by_rule=fixed_by_rule,
                fixed_text=fixed_text,
                words=count_words(source),
                segments=_segments(document, result.findings, keep),
            )
        )


def merge(
    jobs_and_outcomes: Iterator[tuple[Job, Outcome]],
    on_findings: Callable[[Sequence[Finding]], None] | None = None,
) -> Iterator[FileResult | FileError]:
    """Join the chunks of each file into one result, shifting offsets and line numbers.

    ``on_findings`` sees findings as soon as each file or chunk is done (streaming output).
    """
    pending: list[Finding] = []
    segments: list[tuple[int, int]] = []
    words = chars = lines = column = 0
    failed = False
    for job, outcome in jobs_and_outcomes:
        if job.chunk is None:
            yield from outcome.errors
            for result in outcome.results:
                if on_findings is not None:
                    on_findings(result.findings)
                    # Written already: keep only what the summary and score need.
                    result = dataclasses.replace(
                        result, findings=tuple(f.counted() for f in result.findings), text=""
                    )
                yield result
            continue
        if not failed:
            failed = outcome.fatal
            yield from outcome.errors
            for result in outcome.results:
                # A chunk may start inside a line: its first line's columns continue that line.
                shifted = [f.shifted(chars, lines, column) for f in result.findings]
                if on_findings is not None:
                    on_findings(shifted)
                    shifted = [f.counted() for f in shifted]  # written already
                pending.extend(shifted)
                segments.extend((s + chars, e + chars) for s, e in result.segments)
                words += result.words
            chars += outcome.chars
            column = outcome.tail if outcome.lines else column + outcome.tail
            lines += outcome.lines
        if job.last:
            if not failed:
                yield FileResult(
                    job.shown, tuple(pending), "", words=words, segments=tuple(segments)
                )
            pending, segments, words, chars, lines, column, failed = [], [], 0, 0, 0, 0, False


def _segments(
    document: Document, findings: Sequence[Finding], everything: bool
) -> tuple[tuple[int, int], ...]:
    """Return the segment spans the MQM score needs (only those with findings for big files)."""
    spans = tuple((s.start, s.end) for s in document.segments)
    if everything:
        return spans
    # A streamed corpus keeps only the segments its findings fall in (flat memory).
    keys = [span[0] for span in spans]
    kept: dict[tuple[int, int], None] = {}
    for finding in findings:
        index = bisect.bisect_right(keys, finding.offset) - 1
        if index >= 0 and spans[index][0] <= finding.offset < spans[index][1]:
            kept[spans[index]] = None
    return tuple(kept)


def _size(job: Job) -> int:
    if job.chunk is not None:
        return job.chunk[1] - job.chunk[0]
    if job.path is None:
        return 0
    try:
        return os.stat(job.path).st_size
    except OSError:
        return 0


def _line_ranges(path: Path, size: int) -> Iterator[tuple[int, int]]:
    """Yield byte ranges of about CHUNK_BYTES that end just after a line feed.

    A line longer than 64 KiB past the cut is cut after a sentence end or a space instead
    (never inside a UTF-8 character: those bytes are ASCII).
    """
    with path.open("rb") as handle:
        start = 0
        if handle.read(3) == b"\xef\xbb\xbf":
            start = 3  # the UTF-8 byte-order mark belongs to no line
        while start < size:
            end = min(start + CHUNK_BYTES, size)
            if end < size:
                handle.seek(end)
                ahead = handle.read(65536)
                for separator in (b"\n", b". ", b" "):
                    found = ahead.find(separator)
                    if found >= 0:
                        end += found + len(separator)
                        break
                else:
                    # No break in sight: cut before the last character that starts in the
                    # window, never between the bytes of one UTF-8 character.
                    back = len(ahead)
                    while back > 0 and ahead[back - 1] & 0xC0 == 0x80:
                        back -= 1
                    if back > 0 and ahead[back - 1] >= 0xC0:
                        back -= 1  # the lead byte of a character cut short
                    end += back if back > 0 else len(ahead)
            yield start, end
            start = end


_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")


def _wide_bom(path: Path) -> bool:
    """Say whether a file starts with a UTF-16 or UTF-32 byte-order mark."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4)
    except OSError:
        return False
    return head.startswith(_WIDE_BOMS)


def _read_range(path: Path, byte_range: tuple[int, int]) -> bytes:
    with path.open("rb") as handle:
        handle.seek(byte_range[0])
        return handle.read(byte_range[1] - byte_range[0])


def signature_of(
    engine: Engine, ruleset_signature: str, options: Options, source: str | None
) -> str:
    """Return everything that decides a file's findings, for result-cache keys."""
    from tqcheck import __version__

    rules = ",".join(f"{r.code}:{r.severity.value}:{r.applicability.value}" for r in engine.rules)
    source_hash = (
        hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest() if source else ""
    )
    parts: list[Any] = [
        __version__,
        ruleset_signature,
        rules,
        engine.settings,
        options.input_format,
        options.encoding,
        source_hash,
    ]
    return "|".join(str(p) for p in parts)


_ACTIVE: Runner | None = None


def _watch_parent(parent: int) -> None:
    """Make a worker exit as soon as the process that started it is gone.

    A parent killed with SIGKILL cannot stop its pool; without this its workers would live on
    (and keep writing cache entries) as orphans.
    """
    import threading

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(3)

    threading.Thread(target=watch, name="tqcheck-parent-watch", daemon=True).start()


def _work_in_child(job: Job) -> Outcome:
    """Run a job in a forked worker, with the runner inherited from the parent."""
    assert _ACTIVE is not None
    return _ACTIVE.work(job)


def _check_entry(entry: dict[str, Any], size: int) -> None:
    """Raise ValueError unless a result-cache entry has the shape tqcheck writes.

    The cache is a file anyone with write access to the folder can edit: a count of the wrong
    type or an offset past the end of the file must not reach the summary or a reporter.
    A file of ``size`` bytes has at most ``size`` characters and ``size + 1`` lines.
    """
    for key in ("words", "chars", "lines"):
        value = entry[key]
        if type(value) is not int or not 0 <= value <= size + 1:
            raise ValueError(f"cache entry field {key!r} out of range")
    tail = entry.get("tail", entry["chars"])
    if type(tail) is not int or not 0 <= tail <= size:
        raise ValueError("cache entry field 'tail' out of range")
    if not isinstance(entry["keep_text"], bool) or not isinstance(entry["findings"], list):
        raise ValueError("cache entry of the wrong shape")
    segments = entry["segments"]
    if not isinstance(segments, list) or not all(
        isinstance(s, list) and len(s) == 2 and all(type(v) is int and 0 <= v <= size for v in s)
        for s in segments
    ):
        raise ValueError("cache entry segments out of range")
    for finding in entry["findings"]:
        if not isinstance(finding, dict):
            raise ValueError("cache entry finding is not an object")
        end = finding.get("end_offset")
        line = finding.get("end_line")
        if type(end) is not int or end > size or type(line) is not int or line > size + 1:
            raise ValueError("cache entry finding past the end of the file")
