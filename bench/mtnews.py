"""Load the mt-news-dev corpus (real machine-translated news with an editor's marks).

The corpus directory defaults to ``<repo>/../shared/data/mt-news-dev`` and can be overridden
with ``TQCHECK_MTNEWS_DIR``; the native-English contrast corpus defaults to
``<repo>/../shared/data/native-en`` (``TQCHECK_NATIVE_DIR``). Article texts stay in
``../shared``: nothing here copies them into the repository.

Halves: files named ``dA-…`` are the *dev* half (rules are tuned on it), ``dB-…`` the *held*
half (reported, not tuned on). Another corpus of the same layout (``index.tsv``, ``articles/``,
``marks/marks.tsv``) can stand in via ``TQCHECK_MTNEWS_DIR``; there ``fT-…`` files are the
tuning half and the rest held.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

Half = Literal["dev", "held"]

MTNEWS_ENV = "TQCHECK_MTNEWS_DIR"
NATIVE_ENV = "TQCHECK_NATIVE_DIR"
_SHARED = Path(__file__).resolve().parents[2] / "shared/data"


@dataclass(frozen=True, slots=True)
class Article:
    """Describe one excerpt: its file name, kind (mt/pro), half and text."""

    name: str
    kind: str
    half: Half
    text: str

    @property
    def words(self) -> int:
        """Return the number of whitespace-separated words."""
        return len(self.text.split())


@dataclass(frozen=True, slots=True)
class Mark:
    """Record one editor's mark: the span it covers and what the editor said of it."""

    file: str
    quote: str
    occurrence: int
    category: str
    severity: str
    fix: str
    note: str
    start: int
    end: int


def mtnews_dir() -> Path | None:
    """Return the mt-news-dev directory, or None when it is not available."""
    override = os.environ.get(MTNEWS_ENV)
    path = Path(override) if override else _SHARED / "mt-news-dev"
    return path if (path / "index.tsv").is_file() else None


def native_path() -> Path | None:
    """Return the native-English corpus file, or None when it is not available."""
    override = os.environ.get(NATIVE_ENV)
    path = (Path(override) if override else _SHARED / "native-en") / "native.en"
    return path if path.is_file() else None


def _require() -> Path:
    path = mtnews_dir()
    if path is None:
        msg = f"mt-news-dev corpus not found; set {MTNEWS_ENV}"
        raise FileNotFoundError(msg)
    return path


# File-name prefixes of the half rules may be tuned on (mt-news-dev's dA, a fresh set's fT).
DEV_PREFIXES = ("dA-", "fT-")


def half_of(name: str) -> Half:
    """Return the half a file belongs to (dA- or fT- → dev, anything else → held)."""
    return "dev" if name.startswith(DEV_PREFIXES) else "held"


@cache
def load_articles() -> tuple[Article, ...]:
    """Return every excerpt listed in index.tsv, in file-name order."""
    root = _require()
    with (root / "index.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    articles = []
    for row in rows[1:]:
        name, kind = row[0], row[1]
        text = (root / "articles" / name).read_text(encoding="utf-8")
        articles.append(Article(name, kind, half_of(name), text))
    return tuple(sorted(articles, key=lambda a: a.name))


def _nth(text: str, quote: str, occurrence: int) -> int:
    start = -1
    for _ in range(occurrence):
        start = text.find(quote, start + 1)
        if start < 0:
            return -1
    return start


@cache
def load_marks() -> tuple[Mark, ...]:
    """Return the editor's marks with their character spans in the article text."""
    root = _require()
    texts = {a.name: a.text for a in load_articles()}
    marks = []
    with (root / "marks" / "marks.tsv").open(encoding="utf-8", newline="") as handle:
        lines = handle.read().split("\n")
    for line in lines[1:]:
        if not line:
            continue
        cells = line.split("\t")
        cells += [""] * (7 - len(cells))
        file, quote, occ, category, severity, fix, note = cells[:7]
        start = _nth(texts[file], quote, int(occ))
        if start < 0:
            msg = f"marks.tsv: {quote!r} (occurrence {occ}) not found in {file}"
            raise ValueError(msg)
        marks.append(
            Mark(file, quote, int(occ), category, severity, fix, note, start, start + len(quote))
        )
    return tuple(marks)


def marked_files() -> tuple[str, ...]:
    """Return the files the editor marked (those with at least one mark)."""
    return tuple(sorted({m.file for m in load_marks()}))


@cache
def load_native() -> tuple[str, ...]:
    """Return the native-English lines."""
    path = native_path()
    if path is None:
        msg = f"native-en corpus not found; set {NATIVE_ENV}"
        raise FileNotFoundError(msg)
    return tuple(path.read_text(encoding="utf-8").splitlines())
