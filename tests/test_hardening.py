"""Regression tests for the defects an outside attack found (issue 14), one per defect."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tqcheck import files
from tqcheck.api import fix_text

FIXABLE = "Relations at high level.\n\nIt is\u00a0done,\u00a0and\u00a0the talks ended.\n"
FIXED = fix_text(FIXABLE).text


def test_fixable_sample_changes() -> None:
    assert FIXED != FIXABLE


def test_read_only_file_is_kept_even_for_root(tmp_path: Path, cli) -> None:
    """Defect 1: write permission is read from the mode bits, not os.access (root)."""
    article, other = tmp_path / "a.txt", tmp_path / "b.txt"
    article.write_text(FIXABLE, encoding="utf-8")
    other.write_text(FIXABLE, encoding="utf-8")
    article.chmod(0o444)
    code, out, _ = cli("check", str(article), str(other), "--fix", "--format", "concise")
    assert code == 2
    assert "a.txt: error: file is read-only; fix not written" in out
    assert article.read_text(encoding="utf-8") == FIXABLE
    assert other.read_text(encoding="utf-8") == FIXED


def test_temp_file_that_cannot_be_created_is_a_file_error(tmp_path: Path, cli) -> None:
    """Defect 8: a name too long for the temporary file is reported; later files still fixed."""
    long_name = tmp_path / ("a" * 240 + ".txt")
    long_name.write_text(FIXABLE, encoding="utf-8")
    later = tmp_path / "z.txt"
    later.write_text(FIXABLE, encoding="utf-8")
    code, out, _ = cli("check", str(long_name), str(later), "--fix", "--format", "concise")
    assert code == 2
    assert "cannot write fix: no temporary file beside it" in out
    assert long_name.read_text(encoding="utf-8") == FIXABLE
    assert later.read_text(encoding="utf-8") == FIXED
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([long_name.name, "z.txt"])


def test_edit_made_while_the_fix_is_written_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli
) -> None:
    """Defect 15: the content is checked again right before the rename."""
    article = tmp_path / "a.txt"
    article.write_text(FIXABLE, encoding="utf-8")
    real = files._write_temp
    edited = FIXABLE + "A colleague's paragraph.\n"

    def racing(target: Path, data: bytes, info: os.stat_result) -> str:
        name = real(target, data, info)
        target.write_text(edited, encoding="utf-8")
        return name

    monkeypatch.setattr(files, "_write_temp", racing)
    code, out, _ = cli("check", str(article), "--fix", "--format", "concise")
    assert code == 2
    assert "changed on disk since it was read" in out
    assert article.read_text(encoding="utf-8") == edited
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_file_locked_by_another_writer_is_left_alone(tmp_path: Path, cli) -> None:
    """Defect 15: an advisory lock is taken while the file is rewritten."""
    fcntl = pytest.importorskip("fcntl")
    article = tmp_path / "a.txt"
    article.write_text(FIXABLE, encoding="utf-8")
    with article.open("rb") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        # flock locks belong to the open file description: a second open() conflicts.
        code, out, _ = cli("check", str(article), "--fix", "--format", "concise")
    assert code == 2
    assert "locked by another process" in out
    assert article.read_text(encoding="utf-8") == FIXABLE


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_fix_keeps_the_owner(tmp_path: Path, cli) -> None:
    """Defect 16: the rewritten file keeps its owner and group where permitted."""
    article = tmp_path / "a.txt"
    article.write_text(FIXABLE, encoding="utf-8")
    os.chown(article, 4321, 4322)
    article.chmod(0o640)
    cli("check", str(article), "--fix", "-q")
    info = article.stat()
    assert article.read_text(encoding="utf-8") == FIXED
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (4321, 4322, 0o640)


def test_hard_linked_file_is_refused_with_a_clear_message(tmp_path: Path, cli) -> None:
    """Defect 16: a rename would cut the other links off, so the fix is refused."""
    article = tmp_path / "a.txt"
    article.write_text(FIXABLE, encoding="utf-8")
    os.link(article, tmp_path / "b.txt.bak")
    code, out, _ = cli("check", str(article), "--fix", "--format", "concise")
    assert code == 2
    assert "a.txt: error: file has 2 hard links; fix not written" in out
    assert article.read_text(encoding="utf-8") == FIXABLE
    assert (tmp_path / "b.txt.bak").read_text(encoding="utf-8") == FIXABLE


def test_stale_temp_cleanup_keeps_another_files_temp(tmp_path: Path) -> None:
    """Defect 18: ``a.txt``'s cleanup never takes ``a.txt.99999.md``'s temporary file."""
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a.txt.99999.md").write_text("y", encoding="utf-8")
    # A dead writer's temp of the other file: its name starts like one of a.txt's.
    other = tmp_path / ".a.txt.99999.md.999998.abcdefgh.tqcheck-tmp"
    other.write_text("z", encoding="utf-8")
    own = tmp_path / ".a.txt.999997.ijklmnop.tqcheck-tmp"
    own.write_text("w", encoding="utf-8")
    assert files.remove_stale_temps(tmp_path / "a.txt") == 1
    assert other.exists() and not own.exists()
