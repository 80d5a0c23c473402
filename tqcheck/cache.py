"""The result cache: findings of unchanged files under unchanged rules, reused across runs.

Entries live in ``.tqcheck_cache/`` of the working folder (``--cache-dir`` or
``TQCHECK_CACHE_DIR`` moves it), one JSON file per (content, rules, settings) key, written
atomically, so concurrent runs can share the folder: two runs that compute the same key write
the same content. JSON (not pickle) keeps a cache folder committed by someone else from ever
running code. ``--no-cache`` bypasses it; ``tqcheck clean`` removes it. Like ruff's, the folder
carries a ``.gitignore`` of ``*`` (so ``git add -A`` in an article repository never commits it)
and a ``CACHEDIR.TAG`` (so backup tools skip it).

A warm re-run over a thousand articles would spend most of its time opening a thousand small
files, so each run also writes the entries it used into one bundle file (up to a budget of
findings, so a huge corpus does not make it grow without bound); the next run reads that one
file first. Bundle entries are keyed like the others, so a stale bundle is never wrong, only
less useful.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import stat
import tempfile
from pathlib import Path
from typing import Any

CACHE_DIR = ".tqcheck_cache"
ENV_VAR = "TQCHECK_CACHE_DIR"
_LAYOUT = "v1"
_GITIGNORE = "# Automatically created by tqcheck.\n*\n"
# https://bford.info/cachedir/: backup and archiving tools skip a folder holding this file.
_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by tqcheck.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)


def cache_folder(configured: Path | str | None = None) -> Path:
    """Return the result-cache folder: the given one, ``TQCHECK_CACHE_DIR``, or ./.tqcheck_cache."""
    if configured is not None and str(configured):
        return Path(configured)
    from_env = os.environ.get(ENV_VAR)
    if from_env:
        return Path(from_env)
    return Path.cwd() / CACHE_DIR


_BUNDLE = "last-run.json"
# Findings a bundle holds at most (about 1.5 KB each in JSON).
BUNDLE_FINDINGS = 20_000


class ResultCache:
    """Store and fetch per-file results keyed by content and run signature."""

    def __init__(self, folder: Path | None) -> None:
        """Use the cache folder (None disables the cache)."""
        self.folder = folder
        self.root = folder / _LAYOUT if folder is not None else None
        self._marked = False
        self._bundle: dict[str, dict[str, Any]] | None = None  # read on first lookup
        self._used: dict[str, dict[str, Any]] = {}  # this run's entries, for the next bundle
        self._used_findings = 0

    @staticmethod
    def key(data: bytes, signature: str) -> str:
        """Return the cache key of file content checked under a run signature."""
        digest = hashlib.sha256(signature.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
        digest.update(data)
        return digest.hexdigest()

    def _path(self, key: str) -> Path | None:
        return None if self.root is None else self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        """Return the cached entry for key, or None (a damaged entry counts as a miss)."""
        path = self._path(key)
        if path is None or self.root is None:
            return None
        if self._bundle is None:
            self._bundle = _read_json(self.root / _BUNDLE) or {}
        data = self._bundle.get(key)
        if not isinstance(data, dict):
            data = _read_json(path)
        if data is not None:
            self.remember(key, data)
        return data

    def put(self, key: str, entry: dict[str, Any]) -> None:
        """Store an entry atomically; a failure to write only costs the next run time."""
        path = self._path(key)
        if path is None:
            return
        self._mark()
        self.remember(key, entry)
        _write_json(path, entry)

    def _mark(self) -> None:
        """Give a new cache folder its .gitignore and CACHEDIR.TAG (once per run)."""
        if self._marked or self.folder is None:
            return
        self._marked = True
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            for name, text in ((".gitignore", _GITIGNORE), ("CACHEDIR.TAG", _CACHEDIR_TAG)):
                target = self.folder / name
                if not target.exists():
                    write_small_file(target, text)

    def remember(self, key: str, entry: dict[str, Any]) -> None:
        """Keep an entry of this run for the bundle (within the findings budget)."""
        if self.root is None or key in self._used:
            return
        findings = entry.get("findings")
        count = len(findings) if isinstance(findings, list) else 0
        if self._used_findings + count <= BUNDLE_FINDINGS:
            self._used[key] = entry
            self._used_findings += count

    def flush(self) -> None:
        """Write this run's entries as the bundle the next run reads first."""
        if self.root is None or not self._used:
            return
        if self._bundle is not None and self._bundle.keys() == self._used.keys():
            return  # the same run again: the bundle on disk already says this
        self._mark()
        _write_json(self.root / _BUNDLE, self._used)


# A cache file bigger than this is not one tqcheck wrote (or a link to a device).
MAX_CACHE_FILE = 256 * 1024 * 1024


def _read_json(path: Path) -> dict[str, Any] | None:
    """Return a JSON object from a file, or None if it is missing, damaged or not a file."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_CACHE_FILE:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def _write_json(path: Path, value: dict[str, Any]) -> None:
    """Write a JSON object atomically (temporary file, then rename); ignore failures."""
    with contextlib.suppress(OSError, ValueError):
        path.parent.mkdir(parents=True, exist_ok=True)
        # ASCII escapes keep lone surrogates (from JSON Lines or XLIFF input) writable:
        # "\ud800" round-trips through json.loads.
        write_small_file(path, json.dumps(value, ensure_ascii=True))


def write_small_file(path: Path, text: str, prefix: str = ".entry.") -> None:
    """Write text to path atomically: a temporary file beside it, then a rename.

    Raises OSError; the temporary file never stays behind.
    """
    fd, temp = tempfile.mkstemp(prefix=prefix, dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def clean(folder: Path) -> bool:
    """Remove the cache folder; return whether there was one."""
    if not folder.is_dir():
        return False
    shutil.rmtree(folder, ignore_errors=True)
    return True
