"""Load the WMT22 Russian-English corpus used to develop and evaluate tqcheck.

The corpus directory defaults to ``<repo>/../shared/data/wmt22-ru-en`` and can be
overridden with the ``TQCHECK_WMT_DIR`` environment variable.  All line indices in
this module are 0-based.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

Split = Literal["dev", "held"]

ENV_VAR = "TQCHECK_WMT_DIR"
DA_MIN_FIELDS = 4
DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared/data/wmt22-ru-en"


@dataclass(frozen=True, slots=True)
class DocInfo:
    """Describe the document a corpus line belongs to."""

    doc_id: str
    seg_id: int
    domain: str


def corpus_dir() -> Path | None:
    """Return the corpus directory, or None when it is not available."""
    override = os.environ.get(ENV_VAR)
    path = Path(override) if override else DEFAULT_DIR
    return path if (path / "source.ru").is_file() else None


def _require_dir() -> Path:
    """Return the corpus directory or raise when it is missing."""
    path = corpus_dir()
    if path is None:
        msg = f"WMT22 ru-en corpus not found; set {ENV_VAR}"
        raise FileNotFoundError(msg)
    return path


def _read_lines(path: Path) -> list[str]:
    """Read a one-segment-per-line UTF-8 file without trailing newlines."""
    return path.read_text(encoding="utf-8").splitlines()


@cache
def load_source() -> list[str]:
    """Return the Russian source segments."""
    return _read_lines(_require_dir() / "source.ru")


@cache
def load_reference() -> list[str]:
    """Return the human reference translation (translator A)."""
    return _read_lines(_require_dir() / "ref.A.en")


@cache
def load_systems() -> dict[str, list[str]]:
    """Return MT outputs keyed by system name (file stem), sorted by name."""
    sys_dir = _require_dir() / "systems"
    return {p.stem: _read_lines(p) for p in sorted(sys_dir.glob("*.en"))}


@cache
def load_docs() -> dict[int, DocInfo]:
    """Return document information keyed by 0-based line index."""
    docs: dict[int, DocInfo] = {}
    with (_require_dir() / "docs.tsv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            docs[int(row["line"]) - 1] = DocInfo(
                doc_id=row["doc_id"], seg_id=int(row["seg_id"]), domain=row["domain"]
            )
    return docs


@cache
def load_da() -> dict[tuple[str, int], float]:
    """Return DA z-scores keyed by (system name, 0-based line index)."""
    base = _require_dir()
    sys_names: dict[str, str] = {}
    with (base / "da-sys-names.tsv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            sys_names[row["da_sys"]] = Path(row["file"]).stem
    sid_line: dict[int, int] = {}
    with (base / "sid2line.tsv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            sid_line[int(row["sid"])] = int(row["line"]) - 1
    scores: dict[tuple[str, int], float] = {}
    lines = _read_lines(base / "da-seg-scores.csv")
    for raw in lines[1:]:
        fields = raw.split()
        if len(fields) < DA_MIN_FIELDS:
            continue
        scores[(sys_names[fields[0]], sid_line[int(fields[1])])] = float(fields[3])
    return scores


def split_of(doc_id: str) -> Split:
    """Return the split a document belongs to: even rank is dev, odd is held."""
    return "dev" if _doc_rank()[doc_id] % 2 == 0 else "held"


@cache
def _doc_rank() -> dict[str, int]:
    """Map every document id to its rank in plain string order."""
    ids = sorted({info.doc_id for info in load_docs().values()})
    return {doc_id: rank for rank, doc_id in enumerate(ids)}


def lines_in(split: Split) -> list[int]:
    """Return the sorted 0-based line indices that belong to *split*."""
    docs = load_docs()
    return sorted(i for i, info in docs.items() if split_of(info.doc_id) == split)
