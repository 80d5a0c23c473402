"""The per-run choices of a check: what the command line (or a caller) asks for.

``Options`` is the one record the CLI builds and the API, session and runner read; None in a
field means "take the configuration's".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tqcheck.findings import Finding


@dataclass(frozen=True)
class Options:
    """Hold the per-run choices of the command line (None means: take the config's)."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    packs: tuple[Path, ...] = ()
    config: Path | None = None
    quote_style: str | None = None
    dash_style: str | None = None
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
    # Fail a document whose unconfirmed-issue penalty per 1,000 words is above this.
    max_penalty: float | None = None
    # Worker processes (None: one per core) and the result cache (see tqcheck.runner).
    jobs: int | None = None
    no_cache: bool = False
    # The result-cache folder (None: TQCHECK_CACHE_DIR, else .tqcheck_cache in the working folder).
    cache_dir: Path | None = None
    # File discovery (None: take the configuration's respect-gitignore / force-exclude).
    respect_gitignore: bool | None = None
    force_exclude: bool | None = None
    on_plan: Callable[[int], None] | None = field(default=None, compare=False)
    # Called with findings as soon as a file (or a chunk of a big line file) is checked.
    on_findings: Callable[[Sequence[Finding]], None] | None = field(default=None, compare=False)
