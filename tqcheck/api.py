"""The importable API: check and fix strings and files. The CLI is a thin layer over this."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path

from tqcheck import __version__
from tqcheck.config import Config, ConfigError, discover
from tqcheck.document import InputError, decode
from tqcheck.engine import Engine
from tqcheck.files import read_regular
from tqcheck.findings import FileError, FileResult, Finding, Report
from tqcheck.fix import FixOutcome
from tqcheck.loaders import load_string
from tqcheck.mqm import score_report
from tqcheck.options import Options as Options  # re-exported: the API's own record
from tqcheck.packs import RuleSet, builtin_packs_dir, load_rules
from tqcheck.pipeline import count_words as count_words  # re-exported for callers
from tqcheck.pipeline import fix_document as fix_document
from tqcheck.pipeline import fix_string
from tqcheck.pipeline import unified_diff as unified_diff
from tqcheck.rule import Rule
from tqcheck.settings import Settings

STDIN = "-"


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
    from tqcheck.config import DASH_STYLES
    from tqcheck.settings import DashStyle, QuoteStyle

    quote = config.quote_style
    if options.quote_style is not None:
        try:
            quote = QuoteStyle(options.quote_style)
        except ValueError:
            raise ConfigError("--quote-style: expected 'us' or 'british'") from None
    dash = config.dash_style
    if options.dash_style is not None:
        try:
            dash = DashStyle(options.dash_style)
        except ValueError:
            raise ConfigError(f"--dash-style: expected {DASH_STYLES}") from None
    return Settings(quote_style=quote, dash_style=dash)


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
        dash_style=options.dash_style,
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
    return fix_string(engine, "<text>", text, input_format, unsafe, source)


def check_paths(paths: Sequence[str], options: Options | None = None) -> Report:
    """Check files, folders (recursively) and ``-`` (stdin); fix them if the options say so.

    Problems with one file (unreadable, undecodable, not writable) are recorded as errors
    and the other files are still checked. Configuration errors raise ConfigError.
    """
    options = options or Options()
    results: list[FileResult] = []
    errors: list[FileError] = []
    session = _Session(paths, options)
    for item in session.iterate():
        if isinstance(item, FileError):
            errors.append(item)
        else:
            results.append(item)
    return session.report(results, errors)


def iter_check(
    paths: Sequence[str], options: Options | None = None
) -> Iterator[FileResult | FileError]:
    """Yield each file's result (or error) as soon as it is known, in output order.

    This is the streaming form of :func:`check_paths` (``--format jsonl`` uses it); it does
    not apply baselines or scores, which need the whole run.
    """
    yield from _Session(paths, options or Options()).iterate()


class _Session:
    """Tie a run's configurations and engines to the runner that executes its jobs."""

    def __init__(self, paths: Sequence[str], options: Options) -> None:
        from tqcheck.runner import Runner

        self.paths = paths
        self.options = options
        self.source = read_source(paths, options.source, options.encoding)
        self.engines: dict[Path | None, tuple[Engine, Config, RuleSet, str]] = {}
        self.by_raw: dict[str, tuple[Engine, Config, str]] = {}
        self.signature = ""
        self.warnings: dict[str, None] = {}
        for raw in paths:  # configuration errors surface before any file is read
            self._engine_for(raw)
        self.runner = Runner(options, self.source, self._engine_for)

    def _engine_for(self, raw: str) -> tuple[Engine, Config, str]:
        if raw in self.by_raw:
            return self.by_raw[raw]
        from tqcheck.runner import signature_of

        config = config_for(raw, self.options)
        if config.path not in self.engines:
            engine, ruleset = _engine(config, _cacheable(self.options))
            key = signature_of(engine, ruleset.signature(), self.options, self.source)
            self.engines[config.path] = (engine, config, ruleset, key)
            self.signature = f"tqcheck {__version__}; packs {ruleset.signature()}"
            self.warnings.update(dict.fromkeys(ruleset.warnings))
        engine, config, _, key = self.engines[config.path]
        self.by_raw[raw] = (engine, config, key)
        return self.by_raw[raw]

    def iterate(self) -> Iterator[FileResult | FileError]:
        from tqcheck.runner import merge

        jobs = self.runner.plan(self.paths)
        if self.options.on_plan is not None:
            self.options.on_plan(len({job.shown for job in jobs}))
        workers = self.options.jobs if self.options.jobs is not None else (os.cpu_count() or 1)
        for item in merge(self.runner.run(jobs, workers), self.options.on_findings):
            if isinstance(item, FileResult) and self.options.on_file is not None:
                self.options.on_file(item.path)
            yield item

    def report(self, results: list[FileResult], errors: list[FileError]) -> Report:
        checked = {r.code: r for engine, *_ in self.engines.values() for r in engine.rules}
        rulesets = [ruleset for _, _, ruleset, _ in self.engines.values()]
        found = {f.rule for result in results for f in result.findings}
        report = Report(
            __version__,
            tuple(results),
            tuple(errors),
            self.signature,
            rules=report_rules(checked, found, rulesets),
            warnings=(*self.warnings, *self.runner.warnings),
            excluded=self.runner.excluded,
        )
        if self.options.baseline is not None:
            from tqcheck.baseline import apply_baseline

            report = apply_baseline(
                report, self.options.baseline, update=self.options.update_baseline
            )
        # Scored after the baseline: the score counts the findings the run reports. Like
        # fail-on, the weights and the limit come from the configuration of the first path.
        first = next(iter(self.engines.values()))[1] if self.engines else Config()
        options = self.options
        limit = options.max_penalty if options.max_penalty is not None else first.max_penalty
        return score_report(report, first.mqm_weights, limit)


def report_rules(
    checked: dict[str, Rule], found: Iterable[str], rulesets: Sequence[RuleSet]
) -> tuple[Rule, ...]:
    """Return the rules a report describes: those checked, and every code a finding carries.

    Suppression findings (TQ901, TQ902) and the side rules a directive is judged with are not
    in the run's selection, but reporters describe them too: the session fills them in, so no
    reporter has to load packs.
    """
    rules = dict(checked)
    for code in sorted(set(found) - set(rules)):
        rule = next((r for rs in rulesets if (r := rs.get(code)) is not None), None)
        if rule is not None:
            rules[code] = rule
    return tuple(rules[code] for code in sorted(rules))


def read_source(paths: Sequence[str], source: Path | None, encoding: str | None) -> str | None:
    """Read and decode the --source file; it aligns with exactly one checked file."""
    if source is None:
        return None
    if len(paths) != 1 or Path(paths[0]).is_dir():
        raise ConfigError("--source aligns with exactly one file to check, not a folder or several")
    try:
        data = read_regular(source)
    except OSError as exc:
        raise ConfigError(f"--source {source}: cannot read: {exc.strerror or exc}") from None
    try:
        return decode(data, encoding)[0]
    except InputError as exc:
        raise ConfigError(f"--source {source}: {exc}") from None


def config_for(raw: str, options: Options) -> Config:
    """Return the configuration that governs a path argument (or --config)."""
    from tqcheck.config import read_config

    if options.config is not None:
        config = read_config(options.config)
        if config is None:
            raise ConfigError(f"{options.config}: no [tool.tqcheck] table")
        return config
    return discover(Path.cwd() if raw == STDIN else Path(raw))
