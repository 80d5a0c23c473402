"""Ignore files: which paths ``.gitignore``, ``.ignore`` and ``.git/info/exclude`` leave out.

Folder walks skip what git would not track, as ruff and ripgrep do, so a Hugo ``public/``, a
Jekyll ``_site/`` or a ``dist/`` listed in ``.gitignore`` is never checked. The patterns follow
git's rules (``pathspec``'s ``GitIgnoreSpec``): every ignore file applies to its own folder and
below, a deeper file's patterns win over a shallower one's (``!keep.md`` re-includes), and a
file inside an ignored folder stays ignored. ``.gitignore`` and ``.git/info/exclude`` count only
inside a git work tree (as git sees them); ``.ignore`` counts everywhere (as ripgrep's does).
"""

from __future__ import annotations

import os
from pathlib import Path

from pathspec import GitIgnoreSpec

# A bigger ignore file is not one a person wrote; it is skipped rather than read whole.
MAX_IGNORE_FILE = 1024 * 1024


class IgnoreRules:
    """Answer whether a path is ignored by the ignore files above and beside it."""

    def __init__(self) -> None:
        """Start with no ignore file read; each folder's files are read once, when first needed."""
        self._specs: dict[Path, GitIgnoreSpec | None] = {}
        self._repos: dict[Path, Path | None] = {}

    def ignored(self, path: Path, is_dir: bool = False, *, parents_checked: bool = False) -> bool:
        """Say whether path (a file, or a folder when ``is_dir``) is ignored.

        A path whose enclosing folder is ignored is ignored too, as in git; a folder walk that
        never enters an ignored folder passes ``parents_checked`` to skip that test.
        """
        absolute = Path(os.path.abspath(path))
        repo = self._repo(absolute.parent)
        top = repo if repo is not None else Path(absolute.anchor)
        chain = [absolute.parent, *absolute.parent.parents]
        folders = [f for f in reversed(chain) if f == top or _below(f, top)]
        # The folders on the way down may themselves be ignored ("public/" hides its files).
        if not parents_checked:
            for index, folder in enumerate(folders[1:], start=1):
                if self._decide(folder, folders[:index], is_dir=True, repo=repo):
                    return True
        return self._decide(absolute, folders, is_dir=is_dir, repo=repo)

    def _decide(self, path: Path, folders: list[Path], *, is_dir: bool, repo: Path | None) -> bool:
        state = False
        for folder in folders:
            spec = self._spec(folder, repo)
            if spec is None:
                continue
            relative = path.relative_to(folder).as_posix() + ("/" if is_dir else "")
            result = spec.check_file(relative)
            if result.include is not None:
                state = result.include
        return state

    def _spec(self, folder: Path, repo: Path | None) -> GitIgnoreSpec | None:
        if folder in self._specs:
            return self._specs[folder]
        lines: list[str] = []
        if repo is not None:
            if folder == repo:
                lines += _read_lines(folder / ".git" / "info" / "exclude")
            lines += _read_lines(folder / ".gitignore")
        lines += _read_lines(folder / ".ignore")
        spec = GitIgnoreSpec.from_lines(lines) if lines else None
        self._specs[folder] = spec
        return spec

    def _repo(self, folder: Path) -> Path | None:
        """Return the git work tree that folder is in (the nearest folder with ``.git``)."""
        if folder in self._repos:
            return self._repos[folder]
        found: Path | None = None
        for candidate in (folder, *folder.parents):
            if (candidate / ".git").exists():
                found = candidate
                break
        self._repos[folder] = found
        return found


def _below(path: Path, top: Path) -> bool:
    try:
        path.relative_to(top)
    except ValueError:
        return False
    return True


def _read_lines(path: Path) -> list[str]:
    """Return an ignore file's lines; a missing, odd or unreadable file has none."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_IGNORE_FILE:
            return []
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
