"""Regression tests for the defects an outside attack found (issue 14), one per defect."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import rule_pack
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
    code, _out, err = cli("check", str(article), str(other), "--fix", "--format", "concise")
    assert code == 2
    assert "a.txt: error: file is read-only; fix not written" in err
    assert article.read_text(encoding="utf-8") == FIXABLE
    assert other.read_text(encoding="utf-8") == FIXED


def test_temp_file_that_cannot_be_created_is_a_file_error(tmp_path: Path, cli) -> None:
    """Defect 8: a name too long for the temporary file is reported; later files still fixed."""
    long_name = tmp_path / ("a" * 240 + ".txt")
    long_name.write_text(FIXABLE, encoding="utf-8")
    later = tmp_path / "z.txt"
    later.write_text(FIXABLE, encoding="utf-8")
    code, _out, err = cli("check", str(long_name), str(later), "--fix", "--format", "concise")
    assert code == 2
    assert "cannot write fix: no temporary file beside it" in err
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
    code, _out, err = cli("check", str(article), "--fix", "--format", "concise")
    assert code == 2
    assert "changed on disk since it was read" in err
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
        code, _out, err = cli("check", str(article), "--fix", "--format", "concise")
    assert code == 2
    assert "locked by another process" in err
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
    code, _out, err = cli("check", str(article), "--fix", "--format", "concise")
    assert code == 2
    assert "a.txt: error: file has 2 hard links; fix not written" in err
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


def tqcheck_process(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real command (its entry point sets up the output streams)."""
    return subprocess.run(
        [sys.executable, "-m", "tqcheck", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="surrogateescape",
        check=False,
        cwd=cwd,
        env={**os.environ, **(env or {})},
    )


SURROGATE_LINE = (
    '{"id": "\\ud800", "title": "Talks", '
    '"body": "They worked within the framework of the declaration."}\n'
)


@pytest.mark.parametrize("extra", [(), ("--no-cache", "--format", "json"), ("--format", "jsonl")])
def test_lone_surrogates_reach_the_output_and_the_cache(
    tmp_path: Path, extra: tuple[str, ...]
) -> None:
    """Defect 3: a lone surrogate in JSON Lines crashes neither the cache nor the reporters."""
    (tmp_path / "a.jsonl").write_text(SURROGATE_LINE, encoding="utf-8")
    result = tqcheck_process("check", "a.jsonl", *extra, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "TQ101" in result.stdout and "Traceback" not in result.stderr
    if "json" in extra:
        data = json.loads(result.stdout)
        assert data["findings"][0]["unit"] == "\ud800"
    leftovers = [p for p in tmp_path.rglob("*") if p.name.startswith(".entry.")]
    assert leftovers == []
    again = tqcheck_process("check", "a.jsonl", *extra, cwd=tmp_path)  # warm cache
    assert again.returncode == 1 and again.stdout == result.stdout


def test_deep_json_nesting_is_a_file_error(tmp_path: Path, cli) -> None:
    """Defect 4: 1,000 nested arrays are an input error for that file, not a crash."""
    deep = tmp_path / "deep.jsonl"
    deep.write_text('{"id": ' + "[" * 1000 + "]" * 1000 + ', "body": "x"}\n', encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text("They met within the framework of the visit.\n", encoding="utf-8")
    code, out, err = cli("check", str(deep), str(good), "--format", "concise")
    assert code == 2
    assert "deep.jsonl: error: line 1: JSON nested too deeply" in err
    assert "good.txt:1:" in out


def test_deep_toml_nesting_in_a_config_is_a_usage_error(tmp_path: Path, cli) -> None:
    """Defect 4: a configuration nested 5,000 levels deep is reported, not a traceback."""
    (tmp_path / "tqcheck.toml").write_text("x = " + "[" * 5000 + "]" * 5000 + "\n")
    (tmp_path / "a.txt").write_text("Fine text.\n", encoding="utf-8")
    code, out, err = cli("check", str(tmp_path / "a.txt"))
    assert code == 2
    assert "nested too deeply" in out + err


def test_json_lines_title_after_body_keeps_document_order(tmp_path: Path, cli) -> None:
    """Defect 5: a title key after the body key no longer crashes the split-attribution rule."""
    article = tmp_path / "a.jsonl"
    article.write_text('{"body": "Putin said.", "title": "\\"We will win\\","}\n')
    code, out, _ = cli("check", str(article), "--format", "concise", "--no-cache")
    assert code == 0, out  # in file order the attribution comes first: nothing to join
    assert ": error:" not in out
    from tqcheck.loaders import load_string

    document = load_string("a.jsonl", article.read_text(), input_format="jsonl")
    starts = [segment.start for segment in document.segments]
    assert starts == sorted(starts) and len(starts) == 2


@pytest.mark.parametrize(
    "content", ["[]", "null", '{"version": "0.1.0", "validated": 5}', '{"anchors": [1]}']
)
def test_pack_cache_of_the_wrong_shape_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str
) -> None:
    """Defect 12: valid JSON of the wrong shape in the pack cache is an empty cache."""
    from tqcheck import __version__

    (tmp_path / f"packs-{__version__}.json").write_text(content, encoding="utf-8")
    (tmp_path / "a.txt").write_text("They met within the framework of the visit.\n")
    result = tqcheck_process(
        "check", "a.txt", "--no-cache", cwd=tmp_path, env={"TQCHECK_PACK_CACHE_DIR": str(tmp_path)}
    )
    assert result.returncode == 1, result.stderr
    assert "TQ101" in result.stdout


def test_internal_error_is_one_line_exit_2_and_other_files_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli
) -> None:
    """Defect 25: a bug exits 2 (never 1), names the file, and the run goes on."""
    from tqcheck import runner

    real = runner.Runner._check_bytes

    def broken(self: object, engine: object, shown: str, *args: object, **kw: object) -> None:
        if shown.endswith("a.txt"):
            raise ZeroDivisionError("division by zero")
        real(self, engine, shown, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(runner.Runner, "_check_bytes", broken)
    (tmp_path / "a.txt").write_text("Fine.\n")
    (tmp_path / "b.txt").write_text("They met within the framework of the visit.\n")
    code, out, err = cli(
        "check", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--exit-zero", "--no-cache"
    )
    assert code == 2
    lines = [line for line in (out + err).splitlines() if "internal error" in line]
    assert len(lines) == 1 and "a.txt" in lines[0] and "ZeroDivisionError" in lines[0]
    assert "please report" in lines[0]
    assert "Traceback" not in out + err
    assert "b.txt:1:" in out


def test_symlink_loops_and_dangling_links_in_a_folder_are_skipped(tmp_path: Path, cli) -> None:
    """Defect 9 (and a dangling link): a hostile tree does not abort the run."""
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "a.txt").symlink_to("b.txt")
    (tree / "b.txt").symlink_to("a.txt")
    (tree / "gone.txt").symlink_to("nowhere.txt")
    (tree / "c.txt").write_text("They met within the framework of the visit.\n")
    (tree / "same.txt").symlink_to("c.txt")  # the file itself is checked once, not twice
    code, out, _ = cli("check", str(tree), "--format", "concise", "--no-cache")
    assert code == 1, out
    assert out.count("TQ101") == 1 and "c.txt:1:" in out
    assert "error" not in out.lower().split("found")[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifos_and_devices_are_not_read(tmp_path: Path) -> None:
    """Defect 10: a FIFO in the tree and /dev/zero on the command line end with an error."""
    tree = tmp_path / "tree"
    tree.mkdir()
    os.mkfifo(tree / "pipe.txt")
    (tree / "c.txt").write_text("They met within the framework of the visit.\n")
    result = tqcheck_process("check", "tree", "--format", "concise", cwd=tmp_path)
    assert result.returncode == 1 and "c.txt:1:" in result.stdout  # the FIFO is skipped
    fifo = tqcheck_process(
        "check", "tree/pipe.txt", "/dev/zero", "--format", "concise", cwd=tmp_path
    )
    assert fifo.returncode == 2
    assert "pipe.txt: error: cannot read: not a regular file" in fifo.stdout + fifo.stderr
    assert "/dev/zero" in fifo.stdout + fifo.stderr


@pytest.mark.parametrize(
    "tamper",
    [
        lambda e: e.update(findings=[None]),
        lambda e: e["findings"][0].update(offset="3"),
        lambda e: e["findings"][0].update(
            column='<meta http-equiv="refresh" content="0;url=file:///etc/hostname">'
        ),
        lambda e: e["findings"][0].update(end_offset=10**9),
        lambda e: e.update(words="many"),
        lambda e: e.update(segments=[[0, "x"]]),
    ],
)
def test_tampered_result_cache_entries_are_dropped(tmp_path: Path, tamper: object) -> None:
    """Defect 11: a cache entry of the wrong shape is a miss; the file is checked afresh."""
    (tmp_path / "a.txt").write_text("They met within the framework of the visit.\n")
    first = tqcheck_process("check", "a.txt", "--format", "html", "-o", "r1.html", cwd=tmp_path)
    assert first.returncode == 1, first.stderr
    entries = [
        p for p in (tmp_path / ".tqcheck_cache").rglob("*.json") if p.name != "last-run.json"
    ]
    assert entries
    for path in entries:
        entry = json.loads(path.read_text(encoding="utf-8"))
        tamper(entry)  # type: ignore[operator]
        path.write_text(json.dumps(entry), encoding="utf-8")
    bundle = next((tmp_path / ".tqcheck_cache").rglob("last-run.json"))
    data = json.loads(bundle.read_text(encoding="utf-8"))
    for entry in data.values():
        tamper(entry)  # type: ignore[operator]
    bundle.write_text(json.dumps(data), encoding="utf-8")
    second = tqcheck_process("check", "a.txt", "--format", "html", "-o", "r2.html", cwd=tmp_path)
    assert second.returncode == 1, second.stderr
    report = (tmp_path / "r2.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh"' not in report
    assert (tmp_path / "r1.html").read_text(encoding="utf-8") == report


def test_html_report_escapes_line_and_column_and_forbids_navigation() -> None:
    """Defect 11: every field is escaped, and the CSP restricts navigation."""
    from tqcheck.reporters import html as html_reporter

    assert "navigate-to 'none'" in html_reporter._CSP
    assert "base-uri 'none'" in html_reporter._CSP and "form-action 'none'" in html_reporter._CSP


def test_cache_bundle_linked_to_a_device_is_ignored(tmp_path: Path) -> None:
    """Defect 11: a bundle symlinked to /dev/zero is not read."""
    (tmp_path / "a.txt").write_text("They met within the framework of the visit.\n")
    folder = tmp_path / ".tqcheck_cache" / "v1"
    folder.mkdir(parents=True)
    (folder / "last-run.json").symlink_to("/dev/zero")
    result = tqcheck_process("check", "a.txt", "--format", "concise", cwd=tmp_path)
    assert result.returncode == 1 and "TQ101" in result.stdout


DIFF_FRAGMENTS = [
    "within the framework of",
    "at high level",
    "It is\u00a0done",
    "© Photo :Kremlin",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\u2028",
    "\u2029",
    "\u0085",
    "\x0b",
    "\x0c",
    " ",
    "text",
    ".",
    "«quoted»",
]


@pytest.mark.skipif(shutil.which("patch") is None, reason="GNU patch not installed")
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(DIFF_FRAGMENTS), min_size=1, max_size=25).map("".join))
def test_diff_applied_with_gnu_patch_gives_the_fixed_text(tmp_path: Path, text: str) -> None:
    """Defect 7: --diff is a valid patch (line feeds only; the no-newline marker)."""
    from tqcheck.api import unified_diff
    from tqcheck.findings import FileResult

    fixed = fix_text(text).text
    diff = unified_diff(FileResult("a.txt", (), text, fixed_text=fixed))
    if fixed == text:
        assert diff == ""
        return
    work = tmp_path / "patched"
    work.mkdir(exist_ok=True)
    target = work / "a.txt"
    target.write_bytes(text.encode("utf-8"))
    result = subprocess.run(
        ["patch", "-p1", "-s", "--no-backup-if-mismatch", "-i", "-"],
        input=diff.encode("utf-8"),
        cwd=work,
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, (result.stdout, result.stderr, diff)
    assert target.read_bytes() == fixed.encode("utf-8")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_big_utf16_and_utf32_line_files_are_checked_whole(
    tmp_path: Path, cli, encoding: str
) -> None:
    """Defect 13: a wide-encoded line file over the chunk size is not cut mid-unit."""
    lines = ["A plain line of ordinary English text."] * 20_000
    lines.append("They met within the framework of the visit.")
    path = tmp_path / "big.en"
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    assert path.stat().st_size > 1024 * 1024
    code, out, _ = cli("check", str(path), "--format", "concise", "--no-cache")
    assert code == 1, out[-500:]
    assert f"big.en:{len(lines)}:10: TQ101" in out
    assert ": error:" not in out and "file error" not in out


def test_long_line_without_spaces_is_cut_between_characters(tmp_path: Path, cli) -> None:
    """Defect 13: a 1.2 MB line of em dashes is cut at a character boundary, and checked."""
    path = tmp_path / "dashes.en"
    path.write_text("—" * 400_000 + " They met within the framework of the visit.\n")
    code, out, _ = cli("check", str(path), "--format", "concise", "--no-cache")
    assert code == 1, out[-500:]
    assert "TQ101" in out and ": error:" not in out


def test_xliff_with_a_comment_and_a_processing_instruction_before_the_root() -> None:
    """Defect 20: what may legally precede <xliff> does not make it 'not an XLIFF file'."""
    from tqcheck.loaders import load_string

    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!-- exported by a CAT tool -->\n'
        '<?cat-tool build="7"?>\n'
        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n'
        ' <file source-language="ru" target-language="en" datatype="plaintext" original="a">\n'
        '  <body><trans-unit id="u1"><source>Встреча.</source>'
        "<target>They met within the framework of the visit.</target></trans-unit></body>\n"
        " </file>\n</xliff>\n"
    )
    document = load_string("a.xlf", text, input_format="xliff")
    assert [s.text for s in document.segments] == ["They met within the framework of the visit."]


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_workers_exit_when_their_parent_is_killed(tmp_path: Path) -> None:
    """Defect 17: SIGKILL on a parallel run's parent leaves no orphaned workers."""
    import signal
    import time

    folder = tmp_path / "articles"
    folder.mkdir()
    paragraph = "They met within the framework of the visit, at high level. " * 40 + "\n\n"
    for i in range(60):
        (folder / f"a{i:03}.txt").write_text(paragraph * 30, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "tqcheck", "check", str(folder), "--jobs", "2", "--no-cache"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: list[int] = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(workers) < 2 and process.poll() is None:
        workers = _children(process.pid)
        time.sleep(0.05)
    assert workers, "the run never started its workers"
    process.send_signal(signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.1)
    assert not any(_alive(w) for w in workers)


def test_markdown_nested_too_deeply_is_an_error_not_a_silent_pass(tmp_path: Path, cli) -> None:
    """Defect 23: text markdown-it would drop unparsed is reported, exit 2."""
    deep = tmp_path / "deep.md"
    deep.write_text("> " * 500 + "They met within the framework of the visit.\n")
    code, out, err = cli("check", str(deep), "--format", "concise", "--no-cache")
    assert code == 2
    assert "deep.md: error: block quotes or lists nested more than 98 levels deep" in err
    fine = tmp_path / "fine.md"
    fine.write_text("> " * 90 + "They met within the framework of the visit.\n")
    code, out, _ = cli("check", str(fine), "--format", "concise", "--no-cache")
    assert code == 1 and "TQ101" in out


@pytest.mark.parametrize(
    ("fmt", "text", "fixed"),
    [
        # A split attribution typed as "- said X." is a one-item list to Markdown: joined.
        (
            "markdown",
            '"The talks will go on next week",\n\n- said Dmitry Peskov.\n',
            '"The talks will go on next week," said Dmitry Peskov.\n',
        ),
        # A quote in a list item is not joined with the paragraph after the list.
        (
            "markdown",
            '- "The talks will go on next week",\n\nPeskov said.\n',
            '- "The talks will go on next week",\n\nPeskov said.\n',
        ),
        (
            "html",
            '<p>"The talks go on",</p>\n<p>Peskov said.</p>\n',
            '<p>"The talks go on," Peskov said.</p>\n',
        ),
    ],
)
def test_fixes_keep_the_block_structure(fmt: str, text: str, fixed: str) -> None:
    """Defect 21: a fix never pulls a paragraph into a list."""
    assert fix_text(text, input_format=fmt).text == fixed


def test_a_fix_that_would_create_an_html_tag_in_markdown_is_not_applied() -> None:
    """Defect 21: "50 <thous.> rubles" must not become the tag "<thousand>"."""
    from tqcheck.loaders.structure import structure_keeper

    keeps = structure_keeper("markdown")
    assert keeps is not None
    assert not keeps("They paid 50 <thous.> rubles.\n", "They paid 50 <thousand> rubles.\n")
    assert keeps("They paid 50 thous. rubles.\n", "They paid 50,000 rubles.\n")
    assert fix_text(
        "They paid 50 <thous.> rubles.\n", input_format="markdown", unsafe=True
    ).text == ("They paid 50 <thous.> rubles.\n")


@pytest.mark.parametrize(
    ("name", "digit", "kind", "params", "key"),
    [
        (
            "prefilter",
            "1",
            "pattern",
            "pattern = 'zzzq'\nprefilter = '(x|x)+y'",
            "params.prefilter",
        ),
        (
            "guard",
            "2",
            "phrase",
            "phrases = [{ match = 'zzzq', not_after = '(x|x)+y' }]",
            "params.phrases[0].not_after",
        ),
        (
            "ngram-guard",
            "3",
            "ngram",
            "mt_words = 10\nnative_words = 10\n"
            "ngrams = [{ match = 'zzzq', mt = 3, native = 0, not_after = '(x|x)+y' }]",
            "params.ngrams[0].not_after",
        ),
    ],
)
def test_prefilters_and_phrase_guards_run_under_the_time_budget(
    tmp_path: Path, name: str, digit: str, kind: str, params: str, key: str
) -> None:
    """Defect 2: a catastrophic prefilter or guard is stopped, reported and warned about."""
    import time

    packs = tmp_path / "packs"
    packs.mkdir()
    pack = rule_pack(
        params,
        code=f"TQ99{digit}",
        name=f"catastrophic-{name}",
        kind=kind,
        message="boom",
        applicability="display-only",
        pack_id=f"evil-{name}",
        examples='[[rules.examples]]\nbad = "⟦zzzq⟧"\n\n[[rules.examples]]\ngood = "abc"\n',
    )
    (packs / "evil.toml").write_text(pack, encoding="utf-8")
    (tmp_path / "hostile.txt").write_text("x" * 40 + " zzzq\n", encoding="utf-8")
    (tmp_path / "ok.txt").write_text("They met within the framework of the visit.\n")
    started = time.monotonic()
    result = tqcheck_process(
        "check", "hostile.txt", "ok.txt", "--packs", "packs", "--format", "concise",
        "--no-cache", cwd=tmp_path,
    )  # fmt: skip
    assert time.monotonic() - started < 30
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"rule TQ99{digit} (catastrophic-{name}) exceeded its 1 s time budget" in result.stderr
    assert "ok.txt:1:10: TQ101" in result.stdout
    assert f"key '{key}': nested unbounded repeats" in result.stderr


@pytest.mark.parametrize(
    ("args", "config", "message"),
    [
        (("--jobs", "3000000000"), "", "--jobs 3000000000: expected 1 to 1024"),
        (("--jobs", "0"), "", "--jobs 0: expected 1 to 1024"),
        (("--select", ""), "", "--select: no rule code, prefix or name given"),
        ((), 'plugins = ["no-such-dist"]\n', "plugin 'no-such-dist' is not installed"),
        (
            (),
            "[mqm-weights]\nmajor = 1e308\n",
            "key 'mqm-weights.major': expected a number of at most",
        ),
        ((), "max-penalty = 1e308\n", "key 'max-penalty': expected a number of at most"),
    ],
)
def test_absurd_options_and_config_values_are_usage_errors(
    tmp_path: Path, cli, args: tuple[str, ...], config: str, message: str
) -> None:
    """Defects 14, 19, 22: out-of-range values and silently empty selections are refused."""
    (tmp_path / "a.txt").write_text("They met within the framework of the visit.\n")
    if config:
        (tmp_path / "tqcheck.toml").write_text(config, encoding="utf-8")
    code, out, err = cli("check", str(tmp_path / "a.txt"), *args)
    assert code == 2
    assert message in out + err
    assert "Traceback" not in out + err


def test_verbose_prints_the_traceback_of_an_internal_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli
) -> None:
    """Defect 25: the traceback is there for --verbose only."""
    from tqcheck import runner

    def broken(*_: object, **__: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(runner.Runner, "_check_bytes", broken)
    # --verbose sets the variable for worker processes; this restores its absence afterwards.
    monkeypatch.setenv(runner.TRACEBACK_ENV, "")
    (tmp_path / "a.txt").write_text("Fine.\n")
    code, _, err = cli("check", str(tmp_path / "a.txt"), "--no-cache", "--verbose")
    assert code == 2
    assert "Traceback" in err and "ZeroDivisionError" in err


def test_streamed_run_keeps_only_counted_findings(tmp_path: Path) -> None:
    """Defect 24: a streamed run (JSON Lines) keeps counts, not whole findings, for its summary."""
    import dataclasses

    from tqcheck.api import Options, check_paths

    big = tmp_path / "big.en"
    line = "They met within the framework of the visit at high level.\n"
    big.write_text(line * 30_000, encoding="utf-8")  # over the 1 MB chunk size
    written: list[object] = []
    streamed = check_paths([str(big)], Options(no_cache=True, jobs=1, on_findings=written.extend))
    whole = check_paths([str(big)], Options(no_cache=True, jobs=1))
    assert len(written) == len(whole.findings) == 60_000
    assert all(f.message == "" and f.text == "" for f in streamed.findings)
    assert streamed.summary() == whole.summary()
    assert [dataclasses.replace(f, message="", text="", name="", suggestions=()).offset
            for f in whole.findings] == [f.offset for f in streamed.findings]  # fmt: skip


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_config_that_is_a_device_is_an_error_not_a_hang(tmp_path: Path) -> None:
    """Defect 10: --config /dev/zero is refused before it is read."""
    (tmp_path / "a.txt").write_text("Fine.\n")
    result = tqcheck_process("check", "a.txt", "--config", "/dev/zero", cwd=tmp_path)
    assert result.returncode == 2
    assert "/dev/zero: cannot read: not a regular file" in result.stderr


def test_pack_nested_5000_levels_deep_is_a_pack_error(tmp_path: Path, cli) -> None:
    """Defect 4: a pack of deeply nested arrays is reported, not a RecursionError."""
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "deep.toml").write_text("x = " + "[" * 5000 + "]" * 5000 + "\n")
    (tmp_path / "a.txt").write_text("Fine.\n")
    code, out, err = cli("check", str(tmp_path / "a.txt"), "--packs", str(packs))
    assert code == 2
    assert "deep.toml: invalid TOML: tables or arrays nested too deeply" in out + err


@pytest.mark.parametrize(
    ("name", "content", "extra"),
    [
        (
            "a.xlf",
            '<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="2.0" '
            'xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="ru" trgLang="en">'
            '<file id="f"><unit id="u"><segment><source>a</source><target>They met within '
            'the framework of the visit <cp hex="D800"/>.</target></segment></unit></file>'
            "</xliff>\n",
            (),
        ),
        (
            "a.txt",
            "They met within the framework of the visit \\ud800.\n",
            ("--encoding", "unicode_escape"),
        ),
    ],
)
def test_lone_surrogates_from_xliff_and_escapes_do_not_crash(
    tmp_path: Path, name: str, content: str, extra: tuple[str, ...]
) -> None:
    """Defect 3: an XML character reference or an escape decoding to a lone surrogate."""
    (tmp_path / name).write_text(content, encoding="utf-8")
    for fmt in ("text", "json", "sarif"):
        result = tqcheck_process("check", name, "--format", fmt, *extra, cwd=tmp_path)
        assert result.returncode == 1, result.stderr
        assert "TQ101" in result.stdout and "Traceback" not in result.stderr


def test_a_crash_outside_the_files_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli
) -> None:
    """Defect 25: a bug in a reporter exits 2 with one line, even with --exit-zero."""
    from tqcheck.reporters import text as text_reporter

    def broken(*_: object, **__: object) -> str:
        raise KeyError("boom")

    monkeypatch.setattr(text_reporter, "render", broken)
    (tmp_path / "a.txt").write_text("They met within the framework of the visit.\n")
    code, out, err = cli("check", str(tmp_path / "a.txt"), "--exit-zero", "--no-cache")
    assert code == 2
    assert "internal error: KeyError" in err and "please report" in err
    assert "Traceback" not in out + err
