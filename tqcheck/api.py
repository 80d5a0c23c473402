"""The importable API: check and fix strings and files. The CLI is a thin layer over this."""

from __future__ import annotations

import difflib
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from tqcheck import __version__
from tqcheck.config import Config, ConfigError, discover
from tqcheck.document import Document, InputError, decode
from tqcheck.engine import Engine, minimum_applicability
from tqcheck.files import (
    Snapshot,
    WriteError,
    display_path,
    iter_files,
    read_file,
    write_atomic,
)
from tqcheck.findings import FileError, FileResult, Finding, Report
from tqcheck.fix import FixOutcome, fix_to_fixed_point
from tqcheck.kinds import Settings
from tqcheck.loaders import EXTENSIONS, load_bytes, load_string
from tqcheck.packs import RuleSet, builtin_packs_dir, load_rules
from tqcheck.rule import Rule

STDIN = "-"


@dataclass(frozen=True)
class Options:
    """Hold the per-run choices of the command line (None means: take the config's)."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    packs: tuple[Path, ...] = ()
    config: Path | None = None
    quote_style: str | None = None
    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False
    encoding: str | None = None
    input_format: str | None = None
    # A line-aligned source-language file: line N of the checked file translates its line N.
    source: Path | None = None
    on_file: Callable[[str], None] | None = field(default=None, compare=False)
    # Report only findings this baseline file does not know (see tqcheck.baseline).
    baseline: Path | None = None
    update_baseline: bool = False


@lru_cache(maxsize=8)
def load_ruleset(packs: tuple[Path, ...] = (), plugins: tuple[str, ...] = ()) -> RuleSet:
    """Load the shipped packs plus extra pack folders (cached per run)."""
    return load_rules((builtin_packs_dir(), *packs), plugins)


def select_rules(ruleset: RuleSet, config: Config, options: Options | None = None) -> list[Rule]:
    """Apply select / extend-select / ignore and severity overrides; unknown names are errors.

    The default selection is every enabled rule. Naming an opt-in rule by exact code or
    name selects it; a prefix (TQ1, TQ10) or ALL selects only enabled rules.
    """
    options = options or Options()
    select = options.select if options.select is not None else config.select
    extend = (*config.extend_select, *options.extend_select)
    ignore = (*config.ignore, *options.ignore)

    def resolve(selectors: Iterable[str], source: str) -> list[Rule]:
        chosen: list[Rule] = []
        for selector in selectors:
            for part in (p for p in selector.split(",") if p.strip()):
                exact = ruleset.get(part.strip())
                found = [exact] if exact is not None else ruleset.find(part)
                if not found:
                    raise ConfigError(f"{source}: unknown rule code or name {part.strip()!r}")
                chosen.extend(r for r in found if r.enabled or exact is not None)
        return chosen

    where = str(config.path) if config.path else "command line"
    rules = [r for r in ruleset.rules if r.enabled] if select is None else resolve(select, where)
    rules += resolve(extend, where)
    dropped = {r.code for r in resolve(ignore, where)}
    for code, _ in config.severity:
        if ruleset.get(code) is None:
            raise ConfigError(f"{where}: severity override for unknown rule {code!r}")
    chosen: dict[str, Rule] = {}
    for rule in rules:
        if rule.code in dropped or rule.code in chosen:
            continue
        override = config.severity_for(rule.code, rule.name)
        chosen[rule.code] = rule.with_severity(override) if override else rule
    return sorted(chosen.values(), key=lambda r: r.code)


def settings_for(config: Config, options: Options) -> Settings:
    """Combine configuration and command-line settings for the kinds."""
    from tqcheck.kinds.base import QuoteStyle

    quote = config.quote_style
    if options.quote_style is not None:
        try:
            quote = QuoteStyle(options.quote_style)
        except ValueError:
            raise ConfigError("--quote-style: expected 'us' or 'british'") from None
    return Settings(quote_style=quote)


@lru_cache(maxsize=8)
def _engine(config: Config, options: Options) -> tuple[Engine, RuleSet]:
    ruleset = load_ruleset((*config.packs, *options.packs), config.plugins)
    engine = Engine(
        select_rules(ruleset, config, options), settings_for(config, options), ruleset.rules
    )
    return engine, ruleset


def engine_for(config: Config | None = None, options: Options | None = None) -> Engine:
    """Return the engine for a configuration and options (built once and cached)."""
    return _engine(config or Config(), _cacheable(options or Options()))[0]


def _cacheable(options: Options) -> Options:
    # Per-file callbacks do not change the engine; drop them from the cache key.
    return Options(
        select=options.select,
        extend_select=options.extend_select,
        ignore=options.ignore,
        packs=options.packs,
        quote_style=options.quote_style,
    )


def _options(select: Sequence[str] | None, ignore: Sequence[str]) -> Options:
    return Options(select=tuple(select) if select is not None else None, ignore=tuple(ignore))


def check_text(
    text: str,
    *,
    path: str = "<text>",
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
    config: Config | None = None,
    input_format: str = "text",
    source: str | None = None,
) -> list[Finding]:
    """Check a string and return its findings (line-aligned with ``source``, if given)."""
    engine = engine_for(config, _options(select, ignore))
    return engine.check(load_string(path, text, input_format=input_format, source=source))


def fix_text(
    text: str,
    *,
    unsafe: bool = False,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
    config: Config | None = None,
    input_format: str = "text",
    source: str | None = None,
) -> FixOutcome:
    """Apply fixes to a string until none applies; safe ones only unless unsafe is True."""
    engine = engine_for(config, _options(select, ignore))
    return _fix(engine, "<text>", text, input_format, unsafe, source)


def _fix(
    engine: Engine,
    path: str,
    text: str,
    input_format: str,
    unsafe: bool,
    source: str | None = None,
) -> FixOutcome:
    def fixes(current: str) -> Iterable[object]:
        document = load_string(path, current, input_format=input_format, source=source)
        return [f.fix for f in engine.check(document) if f.fix is not None]

    return fix_to_fixed_point(text, fixes, minimum_applicability(unsafe))  # type: ignore[arg-type]


def count_words(document: Document) -> int:
    """Count the words of a document's prose segments."""
    return sum(len(segment.text.split()) for segment in document.segments)


@dataclass
class _Run:
    """Collect per-file results of one run."""

    results: list[FileResult] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    source: str | None = None  # the decoded --source file


def check_paths(paths: Sequence[str], options: Options | None = None) -> Report:
    """Check files, folders (recursively) and ``-`` (stdin); fix them if the options say so.

    Problems with one file (unreadable, undecodable, not writable) are recorded as errors
    and the other files are still checked. Configuration errors raise ConfigError.
    """
    options = options or Options()
    run = _Run(source=_read_source(paths, options.source, options.encoding))
    extensions = frozenset(ext for ext in EXTENSIONS if ext)
    engines: dict[Path | None, tuple[Engine, Config]] = {}
    signature = ""
    for raw in paths:
        config = _config_for(raw, options)
        key = config.path
        if key not in engines:
            engine, ruleset = _engine(config, _cacheable(options))
            engines[key] = (engine, config)
            signature = f"tqcheck {__version__}; packs {ruleset.signature()}"
        engine = engines[key][0]
        if raw == STDIN:
            _check_stdin(engine, options, run)
            continue
        path = Path(raw)
        if path.is_dir():
            for file in iter_files(path, extensions, config.exclude):
                _check_file(engine, file, options, run)
        elif path.exists():
            _check_file(engine, path, options, run)
        else:
            run.errors.append(FileError(raw, "no such file or folder"))
    checked = {r.code: r for engine, _ in engines.values() for r in engine.rules}
    report = Report(
        __version__,
        tuple(run.results),
        tuple(run.errors),
        signature,
        rules=tuple(checked[code] for code in sorted(checked)),
    )
    if options.baseline is not None:
        from tqcheck.baseline import apply_baseline

        report = apply_baseline(report, options.baseline, update=options.update_baseline)
    return report


def _read_source(paths: Sequence[str], source: Path | None, encoding: str | None) -> str | None:
    """Read and decode the --source file; it aligns with exactly one checked file."""
    if source is None:
        return None
    if len(paths) != 1 or Path(paths[0]).is_dir():
        raise ConfigError("--source aligns with exactly one file to check, not a folder or several")
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise ConfigError(f"--source {source}: cannot read: {exc.strerror or exc}") from None
    try:
        return decode(data, encoding)[0]
    except InputError as exc:
        raise ConfigError(f"--source {source}: {exc}") from None


def _config_for(raw: str, options: Options) -> Config:
    from tqcheck.config import read_config

    if options.config is not None:
        config = read_config(options.config)
        if config is None:
            raise ConfigError(f"{options.config}: no [tool.tqcheck] table")
        return config
    return discover(Path.cwd() if raw == STDIN else Path(raw))


def _check_stdin(engine: Engine, options: Options, run: _Run) -> None:
    data = sys.stdin.buffer.read()
    _check_bytes(engine, STDIN, data, None, options, run, None)


def _check_file(engine: Engine, path: Path, options: Options, run: _Run) -> None:
    shown = display_path(path)
    if options.on_file is not None:
        options.on_file(shown)
    try:
        data, snapshot = read_file(path)
    except OSError as exc:
        run.errors.append(FileError(shown, f"cannot read: {exc.strerror or exc}"))
        return
    _check_bytes(engine, shown, data, path, options, run, snapshot)


def _check_bytes(
    engine: Engine,
    shown: str,
    data: bytes,
    path: Path | None,
    options: Options,
    run: _Run,
    snapshot: Snapshot | None,
) -> None:
    try:
        document = load_bytes(
            shown,
            data,
            encoding=options.encoding,
            input_format=options.input_format,
            source=run.source,
            source_name=str(options.source),
        )
    except InputError as exc:
        run.errors.append(FileError(shown, str(exc)))
        return
    if not (options.fix or options.diff):
        findings = engine.check(document)
        run.results.append(
            FileResult(shown, tuple(findings), document.text, words=count_words(document))
        )
        return
    outcome = _fix(engine, shown, document.text, document.format, options.unsafe_fixes, run.source)
    if not outcome.converged:
        run.errors.append(
            FileError(
                shown, f"fixes did not converge after {outcome.passes} passes; file left as is"
            )
        )
        findings = engine.check(document)
        run.results.append(
            FileResult(shown, tuple(findings), document.text, words=count_words(document))
        )
        return
    fixed_text = outcome.text
    changed = fixed_text != document.text
    if changed and options.fix and not options.diff and path is not None and snapshot is not None:
        try:
            write_atomic(path, document.encoding.encode(fixed_text), snapshot)
        except WriteError as exc:
            run.errors.append(FileError(shown, str(exc)))
            findings = engine.check(document)
            run.results.append(
                FileResult(shown, tuple(findings), document.text, words=count_words(document))
            )
            return
    remaining_doc = (
        load_string(shown, fixed_text, input_format=document.format, source=run.source)
        if changed
        else document
    )
    findings = engine.check(remaining_doc) if not options.diff else engine.check(document)
    run.results.append(
        FileResult(
            shown,
            tuple(findings),
            document.text,
            fixed=outcome.applied if options.fix and not options.diff else 0,
            fixed_text=fixed_text if changed else None,
            words=count_words(document),
        )
    )


def unified_diff(result: FileResult) -> str:
    """Return the unified diff between a file and its fixed text ("" when unchanged)."""
    if result.fixed_text is None:
        return ""
    return "".join(
        difflib.unified_diff(
            result.text.splitlines(keepends=True),
            result.fixed_text.splitlines(keepends=True),
            fromfile=f"a/{result.path}",
            tofile=f"b/{result.path}",
        )
    )
