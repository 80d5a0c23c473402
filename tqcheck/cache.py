"""The result cache: findings of unchanged files under unchanged rules, reused across runs.

Entries live in ``.tqcheck_cache/`` of the working folder, one JSON file per (content, rules,
settings) key, written atomically, so concurrent runs can share the folder: two runs that
compute the same key write the same content. JSON (not pickle) keeps a cache folder committed
by someone else from ever running code. ``--no-cache`` bypasses it; ``tqcheck clean``
removes it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

CACHE_DIR = ".tqcheck_cache"
_LAYOUT = "v1"


class ResultCache:
    """Store and fetch per-file results keyed by content and run signature."""

    def __init__(self, root: Path | None) -> None:
        """Use the cache folder at root (None disables the cache)."""
        self.root = root / CACHE_DIR / _LAYOUT if root is not None else None

    @staticmethod
    def key(data: bytes, signature: str) -> str:
        """Return the cache key of file content checked under a run signature."""
        digest = hashlib.sha256(signature.encode("utf-8"))
        digest.update(b"\0")
        digest.update(data)
        return digest.hexdigest()

    def _path(self, key: str) -> Path | None:
        return None if self.root is None else self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        """Return the cached entry for key, or None (a damaged entry counts as a miss)."""
        path = self._path(key)
        if path is None:
            return None
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def put(self, key: str, entry: dict[str, Any]) -> None:
        """Store an entry atomically; a failure to write only costs the next run time."""
        path = self._path(key)
        if path is None:
            return
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=".entry.", dir=path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    json.dump(entry, handle, ensure_ascii=False)
                os.replace(temp, path)
            except OSError:
                with contextlib.suppress(OSError):
                    os.unlink(temp)


def clean(root: Path) -> bool:
    """Remove the cache folder under root; return whether there was one."""
    folder = root / CACHE_DIR
    if not folder.is_dir():
        return False
    shutil.rmtree(folder, ignore_errors=True)
    return True
