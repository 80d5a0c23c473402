"""File system work: find article files under folders, read them, write fixes atomically."""

from __future__ import annotations

import contextlib
import fnmatch
import hashlib
import os
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

TEMP_SUFFIX = ".tqcheck-tmp"
_SKIP_DIRS = frozenset(("node_modules", "__pycache__", "venv", ".tqcheck_cache"))


class WriteError(Exception):
    """Raise when a fixed file cannot be written safely; the original is left untouched."""


@dataclass(frozen=True)
class Snapshot:
    """Remember what a file looked like when it was read, to detect concurrent edits."""

    size: int
    mtime_ns: int
    sha256: str


def read_file(path: Path) -> tuple[bytes, Snapshot]:
    """Read a file's bytes and take its snapshot."""
    data = path.read_bytes()
    stat = path.stat()
    return data, Snapshot(stat.st_size, stat.st_mtime_ns, hashlib.sha256(data).hexdigest())


def display_path(path: Path) -> str:
    """Return a path relative to the working folder when it lies inside it."""
    if not path.is_absolute() and ".." not in path.parts:
        return path.as_posix()  # already relative to it, as the user wrote it (no syscalls)
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def iter_files(
    root: Path, extensions: frozenset[str], exclude: Sequence[str] = ()
) -> Iterator[Path]:
    """Yield article files under a folder in sorted order.

    Hidden folders, symbolic links to folders (loops) and files whose names match an
    ``exclude`` glob are skipped; only files with one of the given extensions are yielded.
    """
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".")
            and d not in _SKIP_DIRS
            and not (Path(folder) / d).is_symlink()
            and not _excluded(Path(folder) / d, root, exclude)
        )
        for name in sorted(files):
            path = Path(folder) / name
            if name.endswith(TEMP_SUFFIX) or name.startswith("."):
                continue
            if path.suffix.lower() not in extensions or _excluded(path, root, exclude):
                continue
            if path.is_symlink() and not _inside(path, root):
                continue  # never follow a link out of the checked tree
            yield path


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


def _excluded(path: Path, root: Path, patterns: Sequence[str]) -> bool:
    if not patterns:
        return False
    relative = path.relative_to(root).as_posix() if _inside(path, root) else path.as_posix()
    return any(fnmatch.fnmatch(relative, p) or fnmatch.fnmatch(path.name, p) for p in patterns)


def write_atomic(path: Path, data: bytes, snapshot: Snapshot) -> None:
    """Replace a file's content atomically, keeping its permissions.

    The new content goes to a temporary file in the same folder, is flushed to disk, and is
    renamed over the original, so a crash leaves either the old or the new file, never a
    partial one. Refuses read-only files and files changed since ``snapshot`` was taken.
    """
    target = Path(os.path.realpath(path))
    try:
        stat = target.stat()
    except OSError as exc:
        raise WriteError(f"cannot write fix: {exc.strerror}") from None
    if not os.access(target, os.W_OK):
        raise WriteError("file is read-only; fix not written")
    # Size and mtime can stay equal across an edit (coarse clocks), so compare content too.
    current = hashlib.sha256(target.read_bytes()).hexdigest()
    if (stat.st_size, stat.st_mtime_ns) != (snapshot.size, snapshot.mtime_ns) or (
        current != snapshot.sha256
    ):
        raise WriteError("file changed on disk since it was read; fix not written, re-run")
    # The writer's process id is part of the name, so a later run can tell the leftovers of a
    # killed run (safe to delete) from the temporary file of a run still in progress.
    fd, temp_name = tempfile.mkstemp(
        prefix=f".{target.name}.{os.getpid()}.", suffix=TEMP_SUFFIX, dir=target.parent
    )
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, stat.st_mode & 0o7777)
        os.replace(temp_name, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise WriteError(f"cannot write fix: {exc.strerror or exc}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    _sync_folder(target.parent)


def _sync_folder(folder: Path) -> None:
    """Flush the rename to disk where the platform allows it."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def remove_stale_temps(path: Path) -> int:
    """Delete temporary files that a killed ``--fix`` left beside a file; return how many.

    Only files whose writer process no longer exists are removed.
    """
    removed = 0
    target = Path(os.path.realpath(path))
    for temp in target.parent.glob(f".{glob_escape(target.name)}.*{TEMP_SUFFIX}"):
        pid_text = temp.name[len(target.name) + 2 :].split(".", 1)[0]
        if pid_text.isdigit() and _alive(int(pid_text)):
            continue
        with contextlib.suppress(OSError):
            temp.unlink()
            removed += 1
    return removed


def glob_escape(name: str) -> str:
    """Escape glob metacharacters in a file name."""
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def _alive(pid: int) -> bool:
    """Say whether a process with this id exists."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
