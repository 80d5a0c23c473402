"""The ``tqcheck`` command line: option parsing only; the work happens in :mod:`tqcheck.api`.

Every command body returns an exit status (0 clean, 1 findings, 2 usage/config/input error),
so tests call them directly.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer
import typer.core

from tqcheck import __version__

if TYPE_CHECKING:
    from tqcheck.findings import Finding
    from tqcheck.rule import Example


class _Command(typer.core.TyperCommand):
    """A command whose usage line names its arguments the usual way: ``PATH...``, ``[REF]``.

    Typer 0.28 without rich prints required arguments as ``{paths}...``.
    """

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        """Return the usage line's pieces: [OPTIONS], then each argument's metavar."""
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                name = param.metavar or (param.name or "").upper()
                if param.nargs != 1 and not name.endswith("..."):
                    name += "..."
                pieces.append(name if param.required else f"[{name}]")
        return pieces


app = typer.Typer(
    name="tqcheck",
    help="Find machine-translation artifacts in Russian-to-English news text.",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

# --cache-dir, shared by `check` and `clean` so both find the same folder.
CacheDir = Annotated[
    Path | None,
    typer.Option(
        "--cache-dir",
        metavar="DIR",
        envvar="TQCHECK_CACHE_DIR",
        help="Result cache folder (default: .tqcheck_cache in the working folder).",
    ),
]


def _error(message: str) -> int:
    typer.echo(f"tqcheck: error: {message}", err=True)
    return EXIT_ERROR


def _use_color(flag: bool | None, stream: object) -> bool:
    if flag is not None:
        return flag
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return bool(getattr(stream, "isatty", lambda: False)())


# More workers than this is a typo: the runner caps workers at the cores anyway.
MAX_JOBS = 1024


def _split(values: list[str] | None) -> tuple[str, ...]:
    return tuple(p.strip() for v in values or () for p in v.split(",") if p.strip())


class _Progress:
    """Show a progress bar on a terminal (stderr) when a run takes more than half a second."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.count = 0
        self.total = 0
        self.started = time.monotonic()
        self.shown = False

    def plan(self, total: int) -> None:
        """Learn how many files the run will check."""
        self.total = total

    def __call__(self, path: str) -> None:
        self.count += 1
        if not self.enabled or time.monotonic() - self.started < 0.5:
            return
        self.shown = True
        width = 30
        share = self.count / self.total if self.total else 0.0
        filled = min(width, int(width * share))
        bar = "█" * filled + "░" * (width - filled)
        counter = f"{self.count}/{self.total}" if self.total else str(self.count)
        sys.stderr.write(f"\r\033[K{bar} {counter} files  {path[-50:]}")
        sys.stderr.flush()

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tqcheck {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Find machine-translation artifacts in Russian-to-English news text."""


@app.command(cls=_Command)
def check(
    paths: Annotated[
        list[str],
        typer.Argument(metavar="PATH...", help="Files, folders (recursed) or - for stdin."),
    ],
    format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="Output format: text, concise, json, jsonl, sarif, gitlab, junit, github, "
            "rdjson or html.",
        ),
    ] = "text",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to a file.")
    ] = None,
    fix: Annotated[bool, typer.Option("--fix", help="Apply safe fixes in place.")] = False,
    unsafe_fixes: Annotated[
        bool, typer.Option("--unsafe-fixes", help="With --fix or --diff, also apply unsafe fixes.")
    ] = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="Show the fixes as a diff; change nothing.")
    ] = False,
    select: Annotated[
        list[str] | None,
        typer.Option("--select", help="Rule codes, prefixes or names to run (comma-separated)."),
    ] = None,
    extend_select: Annotated[
        list[str] | None, typer.Option("--extend-select", help="Rules to add to the selection.")
    ] = None,
    ignore: Annotated[list[str] | None, typer.Option("--ignore", help="Rules to skip.")] = None,
    fail_on: Annotated[
        str | None,
        typer.Option(
            "--fail-on", help="Lowest severity that fails the run: error, warning, info, never."
        ),
    ] = None,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Exit 0 even with findings.")
    ] = False,
    packs: Annotated[
        list[Path] | None, typer.Option("--packs", help="Extra rule pack folder.")
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", help="Use this tqcheck.toml / pyproject.toml.")
    ] = None,
    quote_style: Annotated[str | None, typer.Option("--quote-style", help="us or british.")] = None,
    dash_style: Annotated[
        str | None,
        typer.Option("--dash-style", help="em-closed (word—word), em-spaced or en-spaced."),
    ] = None,
    encoding: Annotated[
        str | None, typer.Option("--encoding", help="Decode input with this encoding.")
    ] = None,
    input_format: Annotated[
        str | None, typer.Option("--input-format", help="Override the format chosen by extension.")
    ] = None,
    source: Annotated[
        Path | None,
        typer.Option(
            "--source", help="Line-aligned source file: line N of PATH translates its line N."
        ),
    ] = None,
    color: Annotated[
        bool | None, typer.Option("--color/--no-color", help="Force colour on or off.")
    ] = None,
    quiet: Annotated[
        int,
        typer.Option(
            "--quiet",
            "-q",
            count=True,
            help="Print the findings only (no summary); -qq prints nothing but file errors.",
        ),
    ] = 0,
    statistics: Annotated[
        bool,
        typer.Option("--statistics", help="After the findings, count them by rule."),
    ] = False,
    show_score: Annotated[
        bool,
        typer.Option("--show-score", help="After the summary, print the unconfirmed-issue score."),
    ] = False,
    force_exclude: Annotated[
        bool | None,
        typer.Option(
            "--force-exclude/--no-force-exclude",
            help="Apply exclude (and ignore files) to files named on the command line too.",
            show_default=False,
        ),
    ] = None,
    respect_gitignore: Annotated[
        bool | None,
        typer.Option(
            "--respect-gitignore/--no-respect-gitignore",
            help="Skip what .gitignore / .ignore leave out when walking folders (default: on).",
            show_default=False,
        ),
    ] = None,
    verbose: Annotated[
        bool,
        typer.Option("--verbose", help="Print the traceback of an internal error as well."),
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", help="Worker processes (default: one per core)."),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Do not read or write the result cache.")
    ] = False,
    cache_dir: CacheDir = None,
    baseline: Annotated[
        Path | None,
        typer.Option("--baseline", help="Report only findings this baseline file does not know."),
    ] = None,
    update_baseline: Annotated[
        bool,
        typer.Option("--update-baseline", help="Record the current findings in --baseline FILE."),
    ] = False,
    exit_non_zero_on_fix: Annotated[
        bool,
        typer.Option("--exit-non-zero-on-fix", help="With --fix, exit 1 when a file was changed."),
    ] = False,
    max_penalty: Annotated[
        float | None,
        typer.Option(
            "--max-penalty",
            help="Fail a file whose unconfirmed-issue penalty per 1,000 words is above N.",
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler", help="Check on a Dask cluster at this address (tcp://host:8786)."
        ),
    ] = None,
) -> None:
    """Check articles and report (or fix) translation artifacts."""
    if verbose:
        from tqcheck.runner import TRACEBACK_ENV

        os.environ[TRACEBACK_ENV] = "1"  # forked workers inherit it
    raise typer.Exit(
        check_command(
            paths,
            format=format,
            output=output,
            fix=fix,
            unsafe_fixes=unsafe_fixes,
            diff=diff,
            select=select,
            extend_select=extend_select,
            ignore=ignore,
            fail_on=fail_on,
            exit_zero=exit_zero,
            packs=packs,
            config=config,
            quote_style=quote_style,
            dash_style=dash_style,
            encoding=encoding,
            input_format=input_format,
            source=source,
            color=color,
            quiet=quiet,
            statistics=statistics,
            show_score=show_score,
            force_exclude=force_exclude,
            respect_gitignore=respect_gitignore,
            jobs=jobs,
            no_cache=no_cache,
            cache_dir=cache_dir,
            baseline=baseline,
            update_baseline=update_baseline,
            exit_non_zero_on_fix=exit_non_zero_on_fix,
            max_penalty=max_penalty,
            scheduler=scheduler,
        )
    )


def check_command(
    paths: list[str],
    *,
    format: str = "text",
    output: Path | None = None,
    fix: bool = False,
    unsafe_fixes: bool = False,
    diff: bool = False,
    select: list[str] | None = None,
    extend_select: list[str] | None = None,
    ignore: list[str] | None = None,
    fail_on: str | None = None,
    exit_zero: bool = False,
    packs: list[Path] | None = None,
    config: Path | None = None,
    quote_style: str | None = None,
    dash_style: str | None = None,
    encoding: str | None = None,
    input_format: str | None = None,
    source: Path | None = None,
    color: bool | None = None,
    quiet: int = 0,
    statistics: bool = False,
    show_score: bool = False,
    force_exclude: bool | None = None,
    respect_gitignore: bool | None = None,
    jobs: int | None = None,
    no_cache: bool = False,
    cache_dir: Path | None = None,
    baseline: Path | None = None,
    update_baseline: bool = False,
    exit_non_zero_on_fix: bool = False,
    max_penalty: float | None = None,
    scheduler: str | None = None,
) -> int:
    """Run ``tqcheck check`` and return its exit status."""
    from tqcheck.api import Options, check_paths, unified_diff
    from tqcheck.config import FAIL_ON, ConfigError
    from tqcheck.packs import PackError
    from tqcheck.reporters import FORMATS, RenderOptions, renderer

    if format not in FORMATS:
        return _error(f"unknown --format {format!r} (choose from {', '.join(FORMATS)})")
    if fail_on is not None and fail_on not in FAIL_ON:
        return _error(f"unknown --fail-on {fail_on!r} (choose from {', '.join(FAIL_ON)})")
    if encoding is not None and not _known_encoding(encoding):
        return _error(f"unknown --encoding {encoding!r} (a Python codec name, e.g. cp1251)")
    if unsafe_fixes and not (fix or diff):
        return _error("--unsafe-fixes needs --fix or --diff")
    if update_baseline and baseline is None:
        return _error("--update-baseline needs --baseline FILE")
    if exit_non_zero_on_fix and not fix:
        return _error("--exit-non-zero-on-fix needs --fix")
    if max_penalty is not None and not 0 <= max_penalty < float("inf"):
        return _error(f"--max-penalty {max_penalty:g}: expected a number of at least 0")
    if input_format is not None:
        from tqcheck.loaders import LOADERS

        if input_format not in LOADERS:
            return _error(
                f"unknown --input-format {input_format!r} (choose from {', '.join(LOADERS)})"
            )
    for pack in packs or ():
        if not pack.is_dir():
            return _error(f"--packs {pack}: not a folder")
    if jobs is not None and not 1 <= jobs <= MAX_JOBS:
        return _error(f"--jobs {jobs}: expected 1 to {MAX_JOBS} (workers never exceed the cores)")
    if select is not None and not _split(select):
        return _error("--select: no rule code, prefix or name given (use ALL for every rule)")
    stdin_fix = fix and not diff and "-" in paths
    if stdin_fix and len(paths) > 1:
        return _error("--fix with - (stdin) cannot be combined with other paths")
    progress = _Progress(sys.stderr.isatty() and format in ("text", "concise") and not quiet)
    options = Options(
        select=_split(select) if select else None,
        extend_select=_split(extend_select),
        ignore=_split(ignore),
        packs=tuple(p.resolve() for p in packs or ()),
        config=config,
        quote_style=quote_style,
        dash_style=dash_style,
        fix=fix,
        unsafe_fixes=unsafe_fixes,
        diff=diff,
        encoding=encoding,
        input_format=input_format,
        source=source,
        on_file=progress,
        baseline=baseline,
        update_baseline=update_baseline,
        max_penalty=max_penalty,
        jobs=jobs,
        no_cache=no_cache,
        cache_dir=cache_dir,
        force_exclude=force_exclude,
        respect_gitignore=respect_gitignore,
        on_plan=progress.plan,
    )
    # JSON Lines streams: each file's findings are written as soon as the file is checked.
    streamed = format == "jsonl" and baseline is None and not (fix or diff)
    sink = None
    if streamed:
        try:
            sink = (
                output.open("w", encoding="utf-8", errors="backslashreplace")
                if output is not None
                else sys.stdout
            )
        except OSError as exc:
            return _error(f"--output {output}: {exc.strerror or exc}")
        options = dataclasses.replace(options, on_findings=_jsonl_writer(sink))
    try:
        if scheduler is None:
            report = check_paths(paths, options)
        else:
            from importlib.util import find_spec

            if find_spec("distributed") is None:
                return _error("--scheduler needs Dask: pip install 'tqcheck[dask]'")
            from tqcheck.dask import check_bag

            try:
                report = check_bag(paths, scheduler, options)
            except OSError as exc:  # the scheduler cannot be reached
                return _error(f"--scheduler {scheduler}: {exc}")
    except (ConfigError, PackError) as exc:
        return _error(str(exc))
    finally:
        progress.close()
        if sink is not None and sink is not sys.stdout:
            sink.close()
    for warning in report.warnings:
        typer.echo(f"tqcheck: warning: {warning}", err=True)
    # File errors go to stderr in every format (like ruff's), so `-o report.txt` in CI still
    # says in the log which file failed and why.
    for error in report.errors:
        typer.echo(f"{error.path}: error: {error.message}", err=True)

    if not report.results and not report.errors and not report.excluded:
        # An empty or mistyped folder must not pass CI as "all checks passed".
        typer.echo(
            f"tqcheck: warning: no files were checked: {', '.join(paths)} named no article file",
            err=True,
        )
        return EXIT_ERROR

    threshold = fail_on or _configured_fail_on(paths, config) or "warning"
    if stdin_fix:
        result = report.results[0] if report.results else None
        if result is not None:
            sys.stdout.write(result.fixed_text if result.fixed_text is not None else result.text)
    elif diff:
        if quiet < 2:
            sys.stdout.write("".join(unified_diff(r) for r in report.results))
    elif streamed:
        pass
    elif quiet < 2 or output is not None:
        stream = sys.stdout if output is None else None
        render_options = RenderOptions(
            format=format,
            color=_use_color(color, stream) if output is None else False,
            fail_on=threshold,
            summary=not quiet,
            statistics=statistics,
            show_score=show_score,
            width=_frame_width(stream),
        )
        text = renderer(format)(report, render_options)
        if output is not None:
            try:
                output.write_text(text, encoding="utf-8", errors="backslashreplace")
            except OSError as exc:
                return _error(f"--output {output}: {exc.strerror or exc}")
        else:
            sys.stdout.write(text)
        if format == "github":
            from tqcheck.reporters.github import write_step_summary

            problem = write_step_summary(report)
            if problem is not None:
                typer.echo(f"tqcheck: warning: {problem}", err=True)

    if quiet:
        from tqcheck.reporters.present import failed_gates

        # -q drops the summary, but a run that fails on the score must still say why.
        for gate in failed_gates(report):
            typer.echo(f"{gate.path}: {gate.reason}.", err=True)

    if report.errors:
        return EXIT_ERROR
    if diff:
        return (
            EXIT_FINDINGS if any(r.fixed_text is not None for r in report.results) else EXIT_CLEAN
        )
    if exit_zero:
        return EXIT_CLEAN
    if exit_non_zero_on_fix and any(r.fixed for r in report.results):
        return EXIT_FINDINGS  # a pre-commit style hook must fail when it changed a file
    from tqcheck.mqm import fails

    return EXIT_FINDINGS if fails(report, threshold) else EXIT_CLEAN


def _known_encoding(name: str) -> bool:
    """Say whether name is a text codec Python knows (a usage error otherwise, not a file's)."""
    import codecs

    try:
        return codecs.lookup(name)._is_text_encoding
    except LookupError:
        return False


def _frame_width(stream: object) -> int | None:
    """Return the terminal's width for the text frames (None: not a terminal, use 100)."""
    import shutil

    if os.environ.get("COLUMNS", "").isdigit():
        return max(40, int(os.environ["COLUMNS"]))
    if not bool(getattr(stream, "isatty", lambda: False)()):
        return None
    return max(40, shutil.get_terminal_size().columns)


def _jsonl_writer(sink: TextIO) -> Callable[[Sequence[Finding]], None]:
    """Return a callback that writes findings as JSON lines and flushes them."""
    import json

    def write(findings: Sequence[Finding]) -> None:
        for finding in findings:
            sink.write(json.dumps(finding.to_dict(), ensure_ascii=False, separators=(",", ":")))
            sink.write("\n")
        sink.flush()

    return write


def _configured_fail_on(paths: list[str], config: Path | None) -> str | None:
    from tqcheck.config import discover, read_config

    found = (
        read_config(config)
        if config is not None
        else discover(Path(paths[0]) if paths[0] != "-" else Path.cwd())
    )
    return found.fail_on if found is not None and found.path is not None else None


@app.command("clean", cls=_Command)
def clean_cmd(
    cache_dir: CacheDir = None,
) -> None:
    """Remove the result cache (.tqcheck_cache/ of the current folder, or --cache-dir)."""
    from tqcheck.cache import cache_folder, clean
    from tqcheck.files import display_path

    folder = cache_folder(cache_dir)
    shown = display_path(folder)
    removed = clean(folder)
    typer.echo(f"Removed {shown}/." if removed else f"No {shown}/ here.")
    raise typer.Exit(EXIT_CLEAN)


@app.command("score", cls=_Command)
def score_cmd(
    hypothesis: Annotated[
        Path, typer.Argument(metavar="HYPOTHESIS", help="System output: lines, XLIFF or PO.")
    ],
    ref: Annotated[
        list[Path] | None, typer.Option("--ref", "-r", help="Reference file (repeatable).")
    ] = None,
    source: Annotated[
        Path | None, typer.Option("--source", help="Line-aligned source (for bilingual fixes).")
    ] = None,
    metrics: Annotated[
        str, typer.Option("--metrics", "-m", help="Comma-separated: bleu, chrf, chrf++, ter.")
    ] = "bleu,chrf,ter",
    sentence: Annotated[
        bool, typer.Option("--sentence", help="Also score every line, and show the lowest.")
    ] = False,
    lowest: Annotated[
        int | None, typer.Option("--lowest", help="Show the N lowest-scoring lines.")
    ] = None,
    fixed: Annotated[
        bool, typer.Option("--fixed", help="Also score the output after safe fixes (fix gain).")
    ] = False,
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    encoding: Annotated[
        str | None, typer.Option("--encoding", help="Decode input with this encoding.")
    ] = None,
) -> None:
    """Score a system output against references with sacrebleu (BLEU, chrF, chrF++, TER)."""
    raise typer.Exit(
        score_command(
            hypothesis,
            refs=ref or [],
            source=source,
            metrics=metrics,
            sentence=sentence,
            lowest=lowest,
            fixed=fixed,
            format=format,
            encoding=encoding,
        )
    )


def score_command(
    hypothesis: Path,
    *,
    refs: list[Path],
    source: Path | None = None,
    metrics: str = "bleu,chrf,ter",
    sentence: bool = False,
    lowest: int | None = None,
    fixed: bool = False,
    format: str = "text",
    encoding: str | None = None,
) -> int:
    """Run ``tqcheck score`` and return its exit status."""
    from tqcheck.scoring import ScoreError, parse_metrics, render_score, score_files

    if format not in ("text", "json"):
        return _error(f"unknown --format {format!r} (choose from text, json)")
    try:
        report = score_files(
            hypothesis,
            refs,
            source=source,
            metrics=parse_metrics(metrics),
            sentence=sentence,
            lowest=lowest,
            fixed=fixed,
            encoding=encoding,
        )
    except ScoreError as exc:
        return _error(str(exc))
    sys.stdout.write(render_score(report, format))
    return EXIT_CLEAN


@app.command("rank", cls=_Command)
def rank_cmd(
    paths: Annotated[
        list[str], typer.Argument(metavar="PATH...", help="System outputs or articles to rank.")
    ],
    ref: Annotated[
        Path | None, typer.Option("--ref", "-r", help="Reference: show BLEU and chrF too.")
    ] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    config: Annotated[
        Path | None, typer.Option("--config", help="Use this tqcheck.toml / pyproject.toml.")
    ] = None,
    input_format: Annotated[
        str | None, typer.Option("--input-format", help="Override the format chosen by extension.")
    ] = None,
    source: Annotated[
        Path | None,
        typer.Option(
            "--source", help="Line-aligned source file every output translates (bilingual rules)."
        ),
    ] = None,
) -> None:
    """Rank outputs of the same source: by chrF with --ref, else by unconfirmed-issue score."""
    raise typer.Exit(
        rank_command(
            paths,
            ref=ref,
            format=format,
            config=config,
            input_format=input_format,
            source=source,
        )
    )


def rank_command(
    paths: list[str],
    *,
    ref: Path | None = None,
    format: str = "text",
    config: Path | None = None,
    input_format: str | None = None,
    source: Path | None = None,
) -> int:
    """Run ``tqcheck rank`` and return its exit status."""
    from tqcheck.api import Options
    from tqcheck.config import ConfigError
    from tqcheck.packs import PackError
    from tqcheck.scoring import ScoreError, rank_files, render_rank

    if format not in ("text", "json"):
        return _error(f"unknown --format {format!r} (choose from text, json)")
    options = Options(config=config, input_format=input_format, source=source)
    try:
        ranking, errors = rank_files(paths, reference=ref, options=options)
    except (ScoreError, ConfigError, PackError) as exc:
        return _error(str(exc))
    sys.stdout.write(render_rank(ranking, format))
    for error in errors:
        typer.echo(error, err=True)
    return EXIT_ERROR if errors else EXIT_CLEAN


@app.command("rules", cls=_Command)
def rules_cmd(
    all_rules: Annotated[
        bool, typer.Option("--all", help="Include opt-in (disabled) rules.")
    ] = False,
    packs: Annotated[
        list[Path] | None, typer.Option("--packs", help="Extra rule pack folder.")
    ] = None,
    format: Annotated[
        str, typer.Option("--format", "-f", help="text or json (with --export-phrases: prh).")
    ] = "text",
    export_phrases: Annotated[
        bool,
        typer.Option("--export-phrases", help="Print the phrase lists of the phrase rules."),
    ] = False,
) -> None:
    """List the rules: code, name, severity, category and fix availability."""
    raise typer.Exit(
        rules_command(
            all_rules=all_rules, packs=packs, format=format, export_phrases=export_phrases
        )
    )


def rules_command(
    *,
    all_rules: bool = False,
    packs: list[Path] | None = None,
    format: str = "text",
    export_phrases: bool = False,
) -> int:
    """Print the rule table and return the exit status."""
    import json

    from tqcheck.api import load_ruleset
    from tqcheck.packs import PackError

    try:
        ruleset = load_ruleset(tuple(p.resolve() for p in packs or ()))
    except PackError as exc:
        return _error(str(exc))
    rules = [r for r in ruleset.rules if all_rules or r.enabled]
    if export_phrases:
        from tqcheck.phrases import EXPORT_FORMATS, phrase_entries, render_phrases

        if format not in EXPORT_FORMATS:
            return _error(f"unknown --format {format!r} (choose from {', '.join(EXPORT_FORMATS)})")
        sys.stdout.write(render_phrases(phrase_entries(rules), format))
        return EXIT_CLEAN
    if format == "json":
        typer.echo(
            json.dumps(
                [
                    {
                        "code": r.code,
                        "name": r.name,
                        "kind": r.kind_name,
                        "severity": r.severity.value,
                        "category": r.category,
                        "applicability": r.applicability.value,
                        "enabled": r.enabled,
                        "pack": r.pack,
                    }
                    for r in rules
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
        return EXIT_CLEAN
    if format != "text":
        return _error(f"unknown --format {format!r} (choose from text, json)")
    marks = {"safe": "[*]", "unsafe": "[~]", "display-only": "   "}
    for r in rules:
        off = "" if r.enabled else "  (opt-in)"
        mark = marks[r.applicability.value]
        typer.echo(f"{r.code}  {mark}  {r.severity.value:<7}  {r.name:<38} {r.category}{off}")
    typer.echo(f"\n{len(rules)} rules. [*] safe fix, [~] unsafe fix (needs --unsafe-fixes).")
    return EXIT_CLEAN


@app.command("rule", cls=_Command)
def rule_cmd(
    code: Annotated[
        str,
        typer.Argument(metavar="CODE", help="Rule code (TQ201) or name (russian-patronymic)."),
    ],
    packs: Annotated[
        list[Path] | None, typer.Option("--packs", help="Extra rule pack folder.")
    ] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Explain one rule: what it flags, why, what to write instead, fix safety, examples."""
    raise typer.Exit(rule_command(code, packs=packs, format=format))


def rule_command(code: str, *, packs: list[Path] | None = None, format: str = "text") -> int:
    """Print one rule's documentation and return the exit status."""
    import json

    from tqcheck.api import load_ruleset
    from tqcheck.evidence import describe, rule_evidence
    from tqcheck.packs import PackError

    if format not in ("text", "json"):
        return _error(f"unknown --format {format!r} (choose from text, json)")
    try:
        ruleset = load_ruleset(tuple(p.resolve() for p in packs or ()))
    except PackError as exc:
        return _error(str(exc))
    rule = ruleset.get(code)
    if rule is None:
        return _error(f"unknown rule {code!r}; `tqcheck rules --all` lists them")
    examples = [_example_view(e) for e in rule.examples]
    if format == "json":
        data = {
            "code": rule.code,
            "name": rule.name,
            "kind": rule.kind_name,
            "severity": rule.severity.value,
            "category": rule.category,
            "applicability": rule.applicability.value,
            "enabled": rule.enabled,
            "pack": rule.pack,
            "message": rule.message,
            "doc": {
                "what": rule.doc.what,
                "why": rule.doc.why,
                "use_instead": rule.doc.use_instead,
                "fix_safety": rule.doc.fix_safety,
            },
            "examples": examples,
            "evidence": rule_evidence(rule.code),
        }
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return EXIT_CLEAN
    status = "enabled by default" if rule.enabled else "opt-in (enable with --extend-select)"
    lines = [
        f"{rule.code} {rule.name}",
        "",
        f"  kind: {rule.kind_name}    severity: {rule.severity.value}    category: {rule.category}",
        f"  fix: {rule.applicability.value}    pack: {rule.pack}    {status}",
        "",
        "What it flags",
        f"  {rule.doc.what}",
        "",
        "Why",
        f"  {rule.doc.why}",
        "",
        "Use instead",
        f"  {rule.doc.use_instead}",
        "",
        "Fix safety",
        f"  {rule.doc.fix_safety}",
        "",
        "Examples (✗ flagged, ✓ not flagged)",
    ]
    for example in examples:
        shown = example["marked"].replace("\n", "⏎")
        lines.append(f"  {'✗' if example['bad'] else '✓'} {shown}")
        if example.get("fixed") is not None:
            lines.append(f"    → {example['fixed'].replace(chr(10), '⏎')}")
        elif example.get("suggestion") is not None:
            lines.append(f"    suggestion: “{example['suggestion']}”")
    lines.extend(describe(rule.code))
    typer.echo("\n".join(lines))
    return EXIT_CLEAN


def _example_view(example: Example) -> dict[str, Any]:
    """Return an example as plain data: its text, the marked text, and the text after the fix."""
    from tqcheck.rule import MARK_CLOSE, MARK_OPEN

    view: dict[str, Any] = {"bad": example.bad, "text": example.text}
    marked = example.text
    if example.bad and example.span is not None:
        s, e = example.span
        marked = example.text[:s] + MARK_OPEN + example.text[s:e] + MARK_CLOSE + example.text[e:]
        view["span"] = [s, e]
        if example.fixed is not None:
            view["fixed"] = example.fixed
        elif example.fix is not None:
            view["fixed"] = example.text[:s] + example.fix + example.text[e:]
        if example.suggest is not None:
            view["suggestion"] = example.suggest
    view["marked"] = marked
    if example.scope is not None:
        view["scope"] = example.scope.value
    if example.source is not None:
        view["source"] = example.source
    return view


def run(argv: list[str] | None = None) -> int:
    """Run the command line with argv and return the exit status (never raises SystemExit)."""
    try:
        app(args=argv, prog_name="tqcheck")
    except SystemExit as exc:
        code = exc.code
        if code is None:
            return EXIT_CLEAN
        if isinstance(code, int):
            return code
        typer.echo(str(code), err=True)
        return EXIT_ERROR
    except Exception as exc:  # a bug outside a file's own work (a reporter, the summary)
        from tqcheck.runner import TRACEBACK_ENV, internal_error

        if os.environ.get(TRACEBACK_ENV) or "--verbose" in (argv or sys.argv[1:]):
            import traceback

            traceback.print_exc()
        typer.echo(f"tqcheck: error: {internal_error(exc)}", err=True)
        return EXIT_ERROR  # never 1: CI must not read a crash as findings
    return EXIT_CLEAN
