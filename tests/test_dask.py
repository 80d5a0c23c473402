"""A Dask run (tqcheck.dask.check_bag) reports exactly what a local run reports."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("distributed")

from tqcheck.api import Options, check_paths
from tqcheck.dask import check_bag
from tqcheck.findings import Report
from tqcheck.reporters import RenderOptions, renderer

ROOT = Path(__file__).resolve().parents[1]
WMT = ROOT.parent / "shared/data/wmt22-ru-en"


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2,
            processes=True,
            threads_per_worker=1,
            dashboard_address=None,
            silence_logs=40,
        ) as cluster,
        Client(cluster) as c,
    ):
        yield c


def _json(report: Report) -> dict[str, object]:
    data: dict[str, object] = json.loads(
        renderer("json")(report, RenderOptions(format="json", color=False, fail_on="warning"))
    )
    return data


def _same(local: Report, remote: Report) -> None:
    assert [r.path for r in remote.results] == [r.path for r in local.results]
    assert remote.findings == local.findings
    assert remote.errors == local.errors
    for mine, theirs in zip(remote.results, local.results, strict=True):
        assert (mine.text, mine.words, mine.segments) == (
            theirs.text,
            theirs.words,
            theirs.segments,
        )
    assert _json(remote) == _json(local)


def test_samples_equal_local_run(client: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    local = check_paths(["samples/", "missing.txt"])
    remote = check_bag(["samples/", "missing.txt"], scheduler=client, files_per_partition=2)
    assert local.findings
    _same(local, remote)


def test_split_line_file_equals_local_run(
    client: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    lines = [
        "They worked within the framework of the declaration.",
        "",
        "We are aimed at strengthening ties with WНO.\r",
        "The memory of Heydar Aliyevich is dear to us.",
        "   ",
        "A grandiose project « here » : done\u00a0now.",
    ]
    (tmp_path / "hyp.en").write_text("\n".join(lines * 40) + "\n", encoding="utf-8")
    local = check_paths(["hyp.en"])
    remote = check_bag(["hyp.en"], scheduler=client, lines_per_partition=17)
    assert len(local.findings) > 100
    _same(local, remote)


@pytest.mark.skipif(not (WMT / "systems").is_dir(), reason="WMT22 corpus absent")
def test_wmt_lines_equal_local_run(
    client: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    text = (WMT / "systems/Online-Y.en").read_text(encoding="utf-8")
    (tmp_path / "wmt.en").write_text("".join(text.splitlines(keepends=True)[:400]), "utf-8")
    source = (WMT / "source.ru").read_text(encoding="utf-8")
    (tmp_path / "src.ru").write_text("".join(source.splitlines(keepends=True)[:400]), "utf-8")
    local = check_paths(["wmt.en"])
    remote = check_bag(["wmt.en"], scheduler=client, lines_per_partition=90)
    assert local.findings
    _same(local, remote)
    options = Options(source=Path("src.ru"))
    local = check_paths(["wmt.en"], options)
    remote = check_bag(["wmt.en"], scheduler=client, options=options, lines_per_partition=90)
    _same(local, remote)


def test_cli_scheduler_option(
    client: object, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tqcheck.cli import check_command

    monkeypatch.chdir(ROOT)
    address = client.scheduler.address  # type: ignore[attr-defined]
    assert check_command(["samples/"], format="json") == 1
    local = capsys.readouterr().out
    assert check_command(["samples/"], format="json", scheduler=address) == 1
    assert capsys.readouterr().out == local
    assert check_command(["samples/"], fix=True, scheduler=address) == 2
    assert "--fix" in capsys.readouterr().err
