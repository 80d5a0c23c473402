"""The command line: output contract, exit codes, errors, configuration, fixing files."""

from __future__ import annotations

import codecs
import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SEED

from tqcheck.files import Snapshot, WriteError, read_file, write_atomic

BAD = "The meeting took place within the framework of talks.\u00a0Done.\n"
CLEAN = "The meeting took place amid talks.\n"
FINDING_KEYS = {
    "path",
    "rule",
    "name",
    "severity",
    "category",
    "message",
    "line",
    "column",
    "end_line",
    "end_column",
    "offset",
    "end_offset",
    "text",
    "suggestions",
    "fix",
}


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_json_contract(cli, tmp_path: Path) -> None:
    code, out, _ = cli("check", str(write(tmp_path / "a.txt", BAD)), "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert set(data) == {"version", "findings", "errors", "summary"}
    assert data["errors"] == []
    by_rule = {f["rule"]: f for f in data["findings"]}
    assert set(by_rule) == {"TQ101", "TQ312"}
    for finding in data["findings"]:
        assert set(finding) == FINDING_KEYS
    calque = by_rule["TQ101"]
    assert calque["text"] == "within the framework of"
    assert (calque["line"], calque["column"], calque["end_line"], calque["end_column"]) == (
        1,
        24,
        1,
        47,
    )
    assert BAD[calque["offset"] : calque["end_offset"]] == calque["text"]
    assert calque["suggestions"][0] == "during"  # talks are an event
    assert calque["fix"]["applicability"] == "unsafe"
    assert calque["fix"]["edits"] == [{"offset": 23, "end_offset": 46, "replacement": "during"}]
    assert by_rule["TQ312"]["fix"]["applicability"] == "safe"
    assert data["summary"]["findings"] == 2 and data["summary"]["files"] == 1


def test_text_output_ruff_style(cli, tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", BAD)
    code, out, _ = cli("check", str(path), "--no-color")
    assert code == 1
    first = out.splitlines()[0]
    assert first.endswith(
        "a.txt:1:24: TQ101 Word-for-word bureaucratese: write “during” (Russian «в рамках»)"
    )
    assert "^^^^^^^^^^^^^^^^^^^^^^^ within-the-framework-of" in out
    assert "TQ312 [*] Non-breaking space" in out
    assert "Found 2 findings (1 warning, 1 info) in 1 file." in out
    assert "\033[" not in out


def test_color_can_be_forced(cli, tmp_path: Path) -> None:
    _, out, _ = cli("check", str(write(tmp_path / "a.txt", BAD)), "--color")
    assert "\033[" in out


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), 1),
        (("--fail-on", "error"), 0),
        (("--fail-on", "info"), 1),
        (("--fail-on", "never"), 0),
        (("--exit-zero",), 0),
        (("--ignore", "TQ101"), 0),  # only the info-level NBSP remains
        (("--ignore", "TQ101", "--fail-on", "info"), 1),
        (("--select", "TQ312", "--format", "json"), 0),
    ],
)
def test_exit_codes(cli, tmp_path: Path, args: tuple[str, ...], expected: int) -> None:
    code, _, _ = cli("check", str(write(tmp_path / "a.txt", BAD)), *args)
    assert code == expected


def test_clean_file(cli, tmp_path: Path) -> None:
    code, out, _ = cli("check", str(write(tmp_path / "a.txt", CLEAN)))
    assert code == 0
    assert "All checks passed (1 file checked)." in out


def test_bad_inputs_are_one_line_errors_and_other_files_still_checked(cli, tmp_path: Path) -> None:
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\x00\x00\x00")
    (tmp_path / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    write(tmp_path / "good.txt", BAD)
    missing = str(tmp_path / "missing.txt")
    code, out, err = cli("check", str(tmp_path), missing, "--format", "json")
    assert code == 2
    data = json.loads(out)
    errors = {Path(e["path"]).name: e["message"] for e in data["errors"]}
    assert errors["binary.txt"].startswith("binary file")
    assert (
        "not valid UTF-8 at byte 3" in errors["latin1.txt"] and "--encoding" in errors["latin1.txt"]
    )
    assert errors["missing.txt"] == "no such file or folder"
    assert {f["rule"] for f in data["findings"]} == {"TQ101", "TQ312"}
    assert len(err.strip().splitlines()) == 3
    # Text format: the same errors, one line each, on stderr (like ruff), not in the report.
    code, out, err = cli("check", str(tmp_path), "--no-color")
    assert code == 2
    assert sum(1 for line in err.splitlines() if ": error: " in line) == 2
    assert ": error: " not in out


def test_encoding_option(cli, tmp_path: Path) -> None:
    path = tmp_path / "cp.txt"
    path.write_bytes("Встреча прошла against the backdrop of talks.".encode("cp1251"))
    code, out, _ = cli("check", str(path), "--encoding", "cp1251", "--format", "json")
    assert code == 1
    assert {f["rule"] for f in json.loads(out)["findings"]} == {"TQ102", "TQ402"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--select", "TQ999"), "unknown rule code or name 'TQ999'"),
        (("--ignore", "no-such-rule"), "unknown rule code or name 'no-such-rule'"),
        (("--format", "yaml"), "unknown --format 'yaml'"),
        (("--fail-on", "fatal"), "unknown --fail-on 'fatal'"),
        (("--unsafe-fixes",), "--unsafe-fixes needs --fix or --diff"),
        (("--quote-style", "french"), "--quote-style"),
    ],
)
def test_usage_errors(cli, tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    code, _out, err = cli("check", str(write(tmp_path / "a.txt", BAD)), *args)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_malformed_pack_folder(cli, tmp_path: Path) -> None:
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "broken.toml").write_text(
        '[pack]\nid = "x"\nversion = 1\n[[rules]]\ncode = "TQ990"\n', encoding="utf-8"
    )
    code, _, err = cli("check", str(write(tmp_path / "a.txt", BAD)), "--packs", str(packs))
    assert code == 2
    assert "broken.toml: rule TQ990: key 'name': required key is missing" in err
    assert len(err.strip().splitlines()) == 1


def test_extra_pack_folder_adds_rules(cli, tmp_path: Path) -> None:
    packs = tmp_path / "packs"
    packs.mkdir()
    from test_packs import GOOD_RULE, HEADER

    (packs / "extra.toml").write_text(HEADER + GOOD_RULE, encoding="utf-8")
    code, out, _ = cli(
        "check",
        str(write(tmp_path / "a.txt", "Say foo bar.")),
        "--packs",
        str(packs),
        "--format",
        "json",
    )
    assert code == 1
    assert [f["rule"] for f in json.loads(out)["findings"]] == ["TQ950"]


def test_config_discovery_and_validation(cli, tmp_path: Path) -> None:
    project = tmp_path / "site"
    (project / "content").mkdir(parents=True)
    article = write(project / "content" / "a.txt", BAD)
    (project / "pyproject.toml").write_text(
        '[tool.tqcheck]\nignore = ["TQ312"]\nseverity = { TQ101 = "error" }\n', encoding="utf-8"
    )
    code, out, _ = cli("check", str(article), "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert [(f["rule"], f["severity"]) for f in data["findings"]] == [("TQ101", "error")]
    (project / "tqcheck.toml").write_text(
        'select = ["TQ312"]\nfail-on = "info"\n', encoding="utf-8"
    )
    code, out, _ = cli("check", str(article), "--format", "json")
    assert [f["rule"] for f in json.loads(out)["findings"]] == ["TQ312"]
    assert code == 1  # fail-on = "info" from the config file
    (project / "tqcheck.toml").write_text('selekt = ["TQ312"]\n', encoding="utf-8")
    code, _, err = cli("check", str(article))
    assert code == 2
    assert "unknown key 'selekt'" in err and "tqcheck.toml" in err
    (project / "tqcheck.toml").write_text('quote-style = "french"\n', encoding="utf-8")
    code, _, err = cli("check", str(article))
    assert code == 2 and "quote-style" in err


def test_quote_style_british(cli, tmp_path: Path) -> None:
    text = '"It matters for many countries",\n\nIlham Aliyev said.\n\n"It is key", he added.\n'
    path = write(tmp_path / "a.txt", text)
    _code, out, _ = cli("check", str(path), "--quote-style", "british", "--format", "json")
    rules = [f["rule"] for f in json.loads(out)["findings"]]
    assert rules == ["TQ301"]
    cli("check", str(path), "--quote-style", "british", "--fix")
    assert path.read_text(encoding="utf-8").startswith(
        '"It matters for many countries", Ilham Aliyev said.'
    )


@pytest.mark.parametrize(
    ("encoding", "bom", "newline"),
    [
        ("utf-8", b"", "\n"),
        ("utf-8", codecs.BOM_UTF8, "\r\n"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "\r\n"),
        ("utf-8", b"", "\r"),
    ],
)
def test_fix_keeps_encoding_bom_newlines_and_mode(
    cli, tmp_path: Path, encoding: str, bom: bytes, newline: str
) -> None:
    text = newline.join(["Title at high level", "", "It is\u00a0done.", ""])
    path = tmp_path / "a.txt"
    path.write_bytes(bom + text.encode(encoding))
    os.chmod(path, 0o640)
    code, _, _ = cli("check", str(path), "--fix", "-q")
    assert code == 0
    expected = newline.join(["Title at a high level", "", "It is done.", ""])
    assert path.read_bytes() == bom + expected.encode(encoding)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert not [p for p in tmp_path.iterdir() if p.name != "a.txt"]  # no temp files left


def test_diff_changes_nothing(cli, tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", BAD)
    code, out, _ = cli("check", str(path), "--diff")
    assert code == 1
    assert "-The meeting took place within the framework of talks.\u00a0Done." in out
    assert "+The meeting took place within the framework of talks. Done." in out
    code, out, _ = cli("check", str(path), "--diff", "--unsafe-fixes")
    assert "+The meeting took place during talks. Done." in out
    assert path.read_text(encoding="utf-8") == BAD


def test_stdin(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BAD.encode())))
    code, out, _ = cli("check", "-", "--format", "json")
    assert code == 1
    assert {f["path"] for f in json.loads(out)["findings"]} == {"-"}
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BAD.encode())))
    code, out, _ = cli("check", "-", "--fix")
    assert out == "The meeting took place within the framework of talks. Done.\n"


def test_read_only_file_is_reported_and_left_alone(cli, tmp_path: Path) -> None:
    # Read-only is decided by the mode bits, so this holds for root too (issue 14).
    path = write(tmp_path / "a.txt", BAD)
    os.chmod(path, 0o444)
    code, _, _ = cli("check", str(path), "--fix")
    assert code == 2
    assert path.read_text(encoding="utf-8") == BAD


def test_write_refuses_read_only_and_concurrently_changed_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "a.txt", BAD)
    _data, snapshot = read_file(path)
    monkeypatch.setattr(os, "access", lambda *a, **k: False)
    with pytest.raises(WriteError, match="read-only"):
        write_atomic(path, b"new", snapshot)
    monkeypatch.undo()
    path.write_text(BAD + "edited by someone else\n", encoding="utf-8")
    with pytest.raises(WriteError, match="changed on disk"):
        write_atomic(path, b"new", snapshot)
    assert path.read_text(encoding="utf-8").endswith("edited by someone else\n")


def test_failed_write_leaves_original_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "a.txt", BAD)
    _, snapshot = read_file(path)

    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(WriteError, match="No space left"):
        write_atomic(path, b"new content", snapshot)
    assert path.read_text(encoding="utf-8") == BAD
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_snapshot_detects_same_size_edits(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "abc")
    _, snapshot = read_file(path)
    assert isinstance(snapshot, Snapshot)
    path.write_text("xyz", encoding="utf-8")
    os.utime(path, ns=(snapshot.mtime_ns, snapshot.mtime_ns))
    with pytest.raises(WriteError, match="changed on disk"):
        write_atomic(path, b"new", snapshot)


def test_folder_recursion_skips_hidden_links_and_unknown_types(cli, tmp_path: Path) -> None:
    root = tmp_path / "articles"
    (root / "sub").mkdir(parents=True)
    (root / ".git").mkdir()
    write(root / "sub" / "a.txt", BAD)
    write(root / ".git" / "b.txt", BAD)
    write(root / "notes.py", BAD)
    outside = write(tmp_path / "outside.txt", BAD)
    (root / "link.txt").symlink_to(outside)
    (root / "loop").symlink_to(root)
    _code, out, _ = cli("check", str(root), "--format", "json")
    paths = {Path(f["path"]).name for f in json.loads(out)["findings"]}
    assert paths == {"a.txt"}


def test_rules_and_rule_commands(cli) -> None:
    code, out, _ = cli("rules")
    assert code == 0
    assert "TQ101  [~]  warning  within-the-framework-of" in out
    assert "TQ201  [*]  warning  russian-patronymic" in out
    assert "TQ306" not in out  # opt-in: listed with --all
    code, out, _ = cli("rules", "--all")
    assert code == 0
    assert "TQ306" in out and "(opt-in)" in out
    code, out, _ = cli("rule", "russian-patronymic")
    assert code == 0
    assert out.startswith("TQ201 russian-patronymic")
    for heading in ("What it flags", "Why", "Use instead", "Fix safety", "Examples"):
        assert heading in out
    code, _, err = cli("rule", "TQ999")
    assert code == 2 and "unknown rule 'TQ999'" in err


def test_console_script_version_and_seed() -> None:
    exe = [sys.executable, "-m", "tqcheck"]
    result = subprocess.run([*exe, "--version"], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and result.stdout.startswith("tqcheck ")
    result = subprocess.run(
        [*exe, "check", str(SEED), "--format", "concise"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "TQ201" in result.stdout
