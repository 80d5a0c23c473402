"""An on-disk cache of pack analysis, so that start-up stays fast.

Validating a pack compiles every pattern (about a second for the shipped packs) and the
prefilter analysis walks every pattern's source. Both depend only on the pack's content, so
their results are kept in a small JSON file keyed by tqcheck's version and the packs'
SHA-256: packs validated in an earlier run load with lazily compiled patterns. The file holds
data only (hashes and word lists) and any problem reading or writing it just disables it.

Parsing the TOML itself costs about 0.1 s per run for the shipped packs, so the parsed table of
each pack is kept too, as a JSON file named by the pack's SHA-256 (JSON, not marshal or
pickle, so a tampered cache file can at worst be rejected; a pack holding TOML dates, which
JSON cannot hold, is simply not cached).
"""

from __future__ import annotations

import contextlib
import json
import os
import tomllib
from pathlib import Path
from typing import Any

from tqcheck import __version__
from tqcheck.cache import write_small_file

# The result cache is TQCHECK_CACHE_DIR's (tqcheck.cache); this one is per user.
ENV_VAR = "TQCHECK_PACK_CACHE_DIR"
# Bump when the prefilter analysis changes, so cached word lists are recomputed.
ANALYSIS_VERSION = 3


def cache_dir() -> Path | None:
    """Return the user cache folder for tqcheck, or None when caching is disabled."""
    configured = os.environ.get(ENV_VAR)
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tqcheck"


class PackCache:
    """Remember validated pack hashes and each pattern's prefilter words."""

    def __init__(self, path: Path | None) -> None:
        """Read the cache file at path (a missing or unreadable file is an empty cache)."""
        self.path = path
        self.validated: set[str] = set()
        self.anchors: dict[str, list[str] | None] = {}
        # Codes of a pack's rules whose pattern has nested unbounded repeats (a warning).
        self.risky: dict[str, list[str]] = {}
        self.dirty = False
        if path is None:
            return
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            return
        # Valid JSON of the wrong shape (a hand edit, another version) is an empty cache.
        if not isinstance(data, dict) or data.get("version") != __version__:
            return
        validated = data.get("validated", [])
        if isinstance(validated, list):
            self.validated = {v for v in validated if isinstance(v, str)}
        anchors = data.get("anchors", {})
        if isinstance(anchors, dict):
            self.anchors = {
                k: v
                for k, v in anchors.items()
                if v is None or (isinstance(v, list) and all(isinstance(w, str) for w in v))
            }
        risky = data.get("risky", {})
        if isinstance(risky, dict):
            self.risky = {
                k: v
                for k, v in risky.items()
                if isinstance(v, list) and all(isinstance(c, str) for c in v)
            }

    def is_validated(self, sha256: str) -> bool:
        """Say whether a pack with this content was fully validated before."""
        return sha256 in self.validated

    def mark_validated(self, sha256: str) -> None:
        """Record that a pack with this content passed validation."""
        if sha256 not in self.validated:
            self.validated.add(sha256)
            self.dirty = True

    def mark_risky(self, sha256: str, codes: list[str]) -> None:
        """Record which rules of a pack with this content have risky patterns."""
        if self.risky.get(sha256) != codes:
            self.risky[sha256] = codes
            self.dirty = True

    def save(self) -> None:
        """Write the cache atomically if it changed; ignore any failure."""
        if not self.dirty or self.path is None:
            return
        payload = {
            "version": __version__,
            "validated": sorted(self.validated),
            "anchors": self.anchors,
            "risky": self.risky,
        }
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_small_file(self.path, json.dumps(payload, sort_keys=True), prefix=".packs.")
        self.dirty = False


_CACHE: PackCache | None = None


def get_cache() -> PackCache:
    """Return the process-wide pack cache (read once)."""
    global _CACHE
    if _CACHE is None:
        folder = cache_dir()
        _CACHE = PackCache(folder / f"packs-{__version__}.json" if folder else None)
    return _CACHE


def cached_anchors(source: str, verbose: bool) -> frozenset[str] | None:
    """Return a pattern's prefilter words, from the cache or by analysing the source."""
    from tqcheck.kinds.anchors import required_words

    cache = get_cache()
    key = f"{ANALYSIS_VERSION}:{int(verbose)}:{source}"
    if key in cache.anchors:
        words = cache.anchors[key]
        return frozenset(words) if words is not None else None
    found = required_words(source, verbose=verbose)
    cache.anchors[key] = sorted(found) if found is not None else None
    cache.dirty = True
    return found


def parse_toml(text: str, sha256: str) -> dict[str, Any]:
    """Return the parsed TOML of a pack, from the cache when this exact content was seen.

    Raises ``tomllib.TOMLDecodeError`` for invalid TOML (never cached).
    """
    folder = cache_dir()
    path = folder / f"toml-{__version__}" / f"{sha256}.json" if folder else None
    if path is not None:
        with contextlib.suppress(OSError, ValueError, RecursionError):
            data = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(data, dict):
                return data
    try:
        parsed = tomllib.loads(text)
    except RecursionError:
        raise tomllib.TOMLDecodeError("tables or arrays nested too deeply") from None
    if path is not None:
        with contextlib.suppress(OSError, TypeError, ValueError, RecursionError):
            blob = json.dumps(parsed, ensure_ascii=True)  # TypeError: a TOML date

            path.parent.mkdir(parents=True, exist_ok=True)
            write_small_file(path, blob, prefix=".toml.")
    return parsed
