"""File system work: find article files under folders, read them, write fixes atomically."""

from __future__ import annotations

import contextlib
import fnmatch
import hashlib
import os
import re
import stat
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from tqcheck.ignore import IgnoreRules

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


class NotRegularFile(OSError):
    """Raise for a path that is not a regular file (a FIFO, a device, a socket)."""


def read_regular(path: Path, limit: int | None = None) -> bytes:
    """Read a regular file whole, refusing FIFOs and devices and files over ``limit`` bytes.

    Configuration, pack, baseline and source files go through here: ``--config /dev/zero``
    must be an error, not a run that reads until memory runs out.
    """
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise NotRegularFile(0, "not a regular file (a FIFO, device or socket)")
    if limit is not None and info.st_size > limit:
        raise OSError(0, f"larger than {limit // (1024 * 1024)} MB; not read")
    with open(path, "rb") as handle:
        data = handle.read(limit + 1 if limit is not None else -1)
    if limit is not None and len(data) > limit:
        raise OSError(0, f"larger than {limit // (1024 * 1024)} MB; not read")
    return data


def read_file(path: Path) -> tuple[bytes, Snapshot]:
    """Read a regular file's bytes and take its snapshot.

    FIFOs and devices are refused before they are opened: reading one would hang (a FIFO
    with no writer) or never end (``/dev/zero``).
    """
    data = read_regular(path)
    info = path.stat()
    return data, Snapshot(info.st_size, info.st_mtime_ns, hashlib.sha256(data).hexdigest())


def display_path(path: Path) -> str:
    """Return a path relative to the working folder when it lies inside it."""
    if not path.is_absolute() and ".." not in path.parts:
        return path.as_posix()  # already relative to it, as the user wrote it (no syscalls)
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def iter_files(
    root: Path,
    extensions: frozenset[str],
    exclude: Sequence[str] = (),
    ignore: IgnoreRules | None = None,
) -> Iterator[Path]:
    """Yield article files under a folder in sorted order.

    Hidden folders, symbolic links to folders (loops), files whose names match an ``exclude``
    glob and, given ``ignore``, what ``.gitignore`` / ``.ignore`` files leave out are skipped;
    only regular files with one of the given extensions are yielded: links in a loop, dangling
    links, links out of the tree, links to a file that the walk yields anyway (it would be
    checked and scored twice), FIFOs and devices are not.
    """
    if ignore is not None and ignore.ignored(root, is_dir=True):
        return
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".")
            and d not in _SKIP_DIRS
            and not (Path(folder) / d).is_symlink()
            and not _excluded(Path(folder) / d, root, exclude)
            and not (
                ignore is not None
                and ignore.ignored(Path(folder) / d, is_dir=True, parents_checked=True)
            )
        )
        for name in sorted(files):
            path = Path(folder) / name
            if name.endswith(TEMP_SUFFIX) or name.startswith("."):
                continue
            if path.suffix.lower() not in extensions or _excluded(path, root, exclude):
                continue
            if ignore is not None and ignore.ignored(path, parents_checked=True):
                continue
            if not _regular(path):
                continue  # a FIFO would hang the run, a device never ends
            if path.is_symlink():
                target = os.path.realpath(path)
                if not _inside(path, root):
                    continue  # never follow a link out of the checked tree
                if Path(target).suffix.lower() in extensions and not _excluded(
                    Path(target), root, exclude
                ):
                    continue  # the walk yields the file itself
            yield path


@dataclass(frozen=True)
class Selection:
    """What one path argument names: its files, or why it names none."""

    files: tuple[Path, ...] = ()
    error: str | None = None  # the argument names nothing that exists
    warning: str | None = None  # a folder without article files
    excluded: bool = False  # a file named on the command line that --force-exclude skipped


def select_files(
    raw: str,
    extensions: frozenset[str],
    exclude: Sequence[str],
    *,
    base: Path,
    respect_ignore_files: bool = True,
    force_exclude: bool = False,
    ignore: IgnoreRules | None = None,
) -> Selection:
    """Resolve a path argument into the article files it names.

    A folder is walked (``exclude`` globs and, unless ``respect_ignore_files`` is off, ignore
    files leave paths out); a file is taken as named, unless ``force_exclude`` applies the
    same exclusions to it (pre-commit names every file, so its ``exclude`` must hold there).
    """
    path = Path(raw)
    rules = (ignore or IgnoreRules()) if respect_ignore_files else None
    if path.is_dir():
        files = tuple(iter_files(path, extensions, exclude, rules))
        if files:
            return Selection(files)
        shown = ", ".join(sorted(extensions))
        return Selection(warning=f"{raw}: no article files to check here (looked for {shown})")
    if path.is_symlink() and not path.exists():
        # A link to a deleted draft must not fail a pre-commit run over the other files.
        return Selection(warning=f"{raw}: dangling symbolic link (its target is missing); skipped")
    if path.exists():
        if force_exclude and force_excluded(path, exclude, base, rules):
            return Selection(excluded=True)
        return Selection((path,))
    return Selection(error="no such file or folder")


def _regular(path: Path) -> bool:
    """Say whether path is (or links to) a regular file; False for loops and dangling links."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def _inside(path: Path, root: Path) -> bool:
    # realpath, not Path.resolve: it never raises on a symbolic link loop.
    try:
        Path(os.path.realpath(path)).relative_to(os.path.realpath(root))
    except ValueError:
        return False
    return True


def force_excluded(
    path: Path, exclude: Sequence[str], base: Path, ignore: IgnoreRules | None
) -> bool:
    """Say whether a file named on the command line is excluded (``--force-exclude``).

    ``exclude`` globs are matched against the path relative to ``base`` (the configuration's
    folder) and against each of its tails, so a glob written for a folder walk (``drafts/*``
    while walking ``articles/``) excludes ``articles/drafts/a.md`` named on its own too; ignore
    files apply as in a folder walk.
    """
    absolute, top = Path(os.path.abspath(path)), Path(os.path.abspath(base))
    try:
        parts = absolute.relative_to(top).parts
    except ValueError:
        parts = absolute.parts[1:]
    tails = ["/".join(parts[i:]) for i in range(len(parts))]
    if any(fnmatch.fnmatch(tail, p) for tail in tails for p in exclude):
        return True
    return ignore is not None and ignore.ignored(path)


def _excluded(path: Path, root: Path, patterns: Sequence[str]) -> bool:
    if not patterns:
        return False
    relative = path.relative_to(root).as_posix() if _inside(path, root) else path.as_posix()
    return any(fnmatch.fnmatch(relative, p) or fnmatch.fnmatch(path.name, p) for p in patterns)


def write_atomic(path: Path, data: bytes, snapshot: Snapshot) -> None:
    """Replace a file's content atomically, keeping its permissions and, where allowed, owner.

    The new content goes to a temporary file in the same folder, is flushed to disk, and is
    renamed over the original, so a crash leaves either the old or the new file, never a
    partial one. Refuses read-only files (by their mode bits: root may write anything),
    files with more than one hard link (a rename would cut the other names off), and files
    changed since ``snapshot`` was taken. The content is compared again right before the
    rename, under an advisory lock, so an edit made meanwhile is never overwritten.
    """
    target = Path(os.path.realpath(path))
    try:
        info = target.stat()
    except OSError as exc:
        raise WriteError(f"cannot write fix: {exc.strerror}") from None
    if not info.st_mode & WRITE_BITS or not os.access(target, os.W_OK):
        raise WriteError("file is read-only; fix not written")
    if info.st_nlink > 1:
        raise WriteError(
            f"file has {info.st_nlink} hard links; fix not written (replacing it would "
            "break the links): fix a copy, or run without --fix"
        )
    with _locked(target):
        _unchanged_since(target, snapshot)
        temp_name = _write_temp(target, data, info)
        with _removed_on_failure(temp_name):
            # Re-check right before the rename: an edit made while the temporary file was
            # written must win over the fix.
            _unchanged_since(target, snapshot)
            os.replace(temp_name, target)
    _sync_folder(target.parent)


@contextlib.contextmanager
def _removed_on_failure(temp_name: str) -> Iterator[None]:
    """Delete the temporary file if the block fails; an OSError becomes a WriteError."""
    try:
        yield
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        if isinstance(exc, OSError):
            raise WriteError(f"cannot write fix: {exc.strerror or exc}") from None
        raise


# Any write permission bit: a file with none is read-only even for root.
WRITE_BITS = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH


def _unchanged_since(target: Path, snapshot: Snapshot) -> None:
    """Raise WriteError unless the file still has the snapshot's size, time and content."""
    try:
        info = target.stat()
        # Size and mtime can stay equal across an edit (coarse clocks), so compare content.
        current = hashlib.sha256(target.read_bytes()).hexdigest()
    except OSError as exc:
        raise WriteError(f"cannot write fix: {exc.strerror or exc}") from None
    if (info.st_size, info.st_mtime_ns) != (snapshot.size, snapshot.mtime_ns) or (
        current != snapshot.sha256
    ):
        raise WriteError("file changed on disk since it was read; fix not written, re-run")


def _write_temp(target: Path, data: bytes, info: os.stat_result) -> str:
    """Write data to a new temporary file beside target (mode and owner copied); return it."""
    # The writer's process id is part of the name, so a later run can tell the leftovers of a
    # killed run (safe to delete) from the temporary file of a run still in progress.
    try:
        fd, temp_name = tempfile.mkstemp(
            prefix=f".{target.name}.{os.getpid()}.", suffix=TEMP_SUFFIX, dir=target.parent
        )
    except OSError as exc:
        raise WriteError(
            f"cannot write fix: no temporary file beside it ({exc.strerror or exc})"
        ) from None
    with _removed_on_failure(temp_name):
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, info.st_mode & 0o7777)
        if hasattr(os, "chown"):
            # Keep the owner where permitted (root, or a group the user belongs to).
            with contextlib.suppress(OSError):
                os.chown(temp_name, info.st_uid, info.st_gid)
            os.chmod(temp_name, info.st_mode & 0o7777)  # chown may clear set-id bits
    return temp_name


@contextlib.contextmanager
def _locked(target: Path) -> Iterator[None]:
    """Hold an advisory lock on the file while it is rewritten (where the platform has one)."""
    try:
        import fcntl
    except ImportError:  # Windows: no flock; the re-check before the rename still holds
        yield
        return
    try:
        fd = os.open(target, os.O_RDONLY)
    except OSError as exc:
        raise WriteError(f"cannot write fix: {exc.strerror or exc}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise WriteError("file is locked by another process; fix not written, re-run") from None
        yield
    finally:
        os.close(fd)


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

    Only files whose writer process no longer exists are removed, and only this file's:
    the name is parsed whole, so the temporary file of ``a.txt.1234.md`` is not taken for
    one of ``a.txt``.
    """
    removed = 0
    target = Path(os.path.realpath(path))
    own = re.compile(rf"\.{re.escape(target.name)}\.(\d+)\.[A-Za-z0-9_]+{re.escape(TEMP_SUFFIX)}")
    for temp in target.parent.glob(f".{glob_escape(target.name)}.*{TEMP_SUFFIX}"):
        match = own.fullmatch(temp.name)
        if match is None or _alive(int(match.group(1))):
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
