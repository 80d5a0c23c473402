"""The engine's two matcher paths agree: narrowed matchers for small documents, full ones for bulk.

Small documents compile only the phrases and pattern anchors whose words they contain (fast
start-up); big documents and line files use matchers compiled for every rule. Both must find
exactly the same things.
"""

from __future__ import annotations

import itertools

import pytest
from conftest import SAMPLES, WMT

from tqcheck import engine as engine_module
from tqcheck.api import engine_for, load_ruleset
from tqcheck.engine import Engine
from tqcheck.findings import Finding
from tqcheck.kinds.pattern import PatternChecker
from tqcheck.loaders import load_string

RULES = load_ruleset().rules


def _check(engine: Engine, document: object, monkeypatch: pytest.MonkeyPatch, bulk: bool) -> list:
    monkeypatch.setattr(engine_module, "BULK_CHARS", 0 if bulk else 10**12)
    return engine.check(document)  # type: ignore[arg-type]


def _examples_text() -> str:
    """Return every rule's examples (good and bad) as paragraphs of one article."""
    return "\n\n".join(e.text for rule in RULES for e in rule.examples if e.source is None)


@pytest.mark.parametrize("name", ["txt", "md", "html"])
def test_seed_same_findings_on_both_paths(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    path = SAMPLES / f"kremlin-putin-aliyev-meeting.{name}"
    fmt = {"txt": "text", "md": "markdown", "html": "html"}[name]
    document = load_string(str(path), path.read_text(encoding="utf-8"), input_format=fmt)
    engine = Engine(RULES)
    small = _check(engine, document, monkeypatch, bulk=False)
    bulk = _check(Engine(RULES), document, monkeypatch, bulk=True)
    assert small, "the seed has findings"
    assert [f.to_dict() for f in small] == [f.to_dict() for f in bulk]


def test_rule_examples_same_findings_on_both_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    document = load_string("examples.txt", _examples_text())
    small = _check(Engine(RULES), document, monkeypatch, bulk=False)
    bulk = _check(Engine(RULES), document, monkeypatch, bulk=True)
    codes = {f.rule for f in small}
    assert len(codes) > 100, "most rules fire on their own bad examples"
    assert [Finding.to_dict(f) for f in small] == [Finding.to_dict(f) for f in bulk]


@pytest.mark.skipif(not WMT.is_dir(), reason="WMT22 corpus not available")
def test_wmt_documents_same_findings_on_both_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = (WMT / "systems" / "Online-B.en").read_text(encoding="utf-8").splitlines()
    engine = engine_for()
    for start in range(0, len(lines), 100):
        document = load_string(f"part{start}.txt", "\n\n".join(lines[start : start + 100]))
        small = _check(engine, document, monkeypatch, bulk=False)
        bulk = _check(engine, document, monkeypatch, bulk=True)
        assert [f.to_dict() for f in small] == [f.to_dict() for f in bulk], start


def _unplanned(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make line files run every checker on every line (no batch narrowing)."""
    monkeypatch.setattr(Engine, "_candidates", lambda self, batch: dict.fromkeys(self.checkers))
    monkeypatch.setattr(PatternChecker, "candidates", lambda self, batch: None)


def _lines_findings(text: str, source: str | None = None) -> list[dict[str, object]]:
    document = load_string("lines.en", text, input_format="lines", source=source)
    return [f.to_dict() for f in Engine(RULES).check(document)]


def test_line_batches_same_findings_as_line_by_line(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every example on its own line, then pairs of lines joined so matches may meet line ends.
    lines = [e.text.replace("\n", " ") for rule in RULES for e in rule.examples]
    text = "\n".join(lines + [f"{a} {b}" for a, b in itertools.pairwise(lines)])
    planned = _lines_findings(text)
    _unplanned(monkeypatch)
    assert planned == _lines_findings(text)
    assert len({f["rule"] for f in planned}) > 100


@pytest.mark.skipif(not WMT.is_dir(), reason="WMT22 corpus not available")
@pytest.mark.parametrize("system", ["Online-B", "ALMAnaCH-Inria", "ref.A"])
def test_wmt_line_batches_same_findings_as_line_by_line(
    system: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = WMT / f"{system}.en" if system == "ref.A" else WMT / "systems" / f"{system}.en"
    text = path.read_text(encoding="utf-8")
    source = (WMT / "source.ru").read_text(encoding="utf-8")
    planned = _lines_findings(text, source)
    _unplanned(monkeypatch)
    assert planned == _lines_findings(text, source)
    assert planned, "the corpus has findings"


def _documents() -> list[object]:
    """Return the seed in its three formats, the examples article and WMT article chunks."""
    documents: list[object] = []
    for name, fmt in (("txt", "text"), ("md", "markdown"), ("html", "html")):
        path = SAMPLES / f"kremlin-putin-aliyev-meeting.{name}"
        documents.append(load_string(str(path), path.read_text(encoding="utf-8"), input_format=fmt))
    documents.append(load_string("examples.txt", _examples_text()))
    if WMT.is_dir():
        lines = (WMT / "systems" / "Online-W.en").read_text(encoding="utf-8").splitlines()
        documents += [
            load_string(f"part{i}.txt", "\n\n".join(lines[i : i + 150]))
            for i in range(0, len(lines), 150)
        ]
    return documents


def test_documents_batch_narrowing_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    # Bulk documents (here: all of them) are planned like line files: segment-level rules run
    # only on the paragraphs their checker's batch scan picked.
    monkeypatch.setattr(engine_module, "BULK_CHARS", 0)
    documents = _documents()
    engine = Engine(RULES)
    planned = [[f.to_dict() for f in engine.check(d)] for d in documents]  # type: ignore[arg-type]
    _unplanned(monkeypatch)
    engine = Engine(RULES)
    unplanned = [[f.to_dict() for f in engine.check(d)] for d in documents]  # type: ignore[arg-type]
    assert planned == unplanned
    assert sum(map(len, planned)) > 200


def test_one_engine_shared_between_threads_gives_serial_results() -> None:
    # Batch scan results live on the batch, not on the checkers: threads never mix them.
    from concurrent.futures import ThreadPoolExecutor

    lines = [e.text.replace("\n", " ") for rule in RULES for e in rule.examples]
    texts = ["\n".join(lines[i::5] * 3) for i in range(5)] * 2
    engine = Engine(RULES)
    serial = [
        [f.to_dict() for f in engine.check(load_string("x", t, input_format="lines"))]
        for t in texts
    ]

    def check(text: str) -> list[dict[str, object]]:
        document = load_string("x", text, input_format="lines")
        return [f.to_dict() for f in engine.check(document)]

    with ThreadPoolExecutor(max_workers=4) as pool:
        threaded = list(pool.map(check, texts))
    assert threaded == serial
