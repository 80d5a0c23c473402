"""Helpers for the CI-format tests: schema validators, golden normalisation, sample trees."""

from __future__ import annotations

import json
import re
import shutil
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SCHEMAS, SEED

SARIF_SCHEMA = SCHEMAS / "sarif-schema-2.1.0.json"
JUNIT_XSD = SCHEMAS / "junit.xsd"

BAD = "The meeting took place against the backdrop of talks.\u00a0Done.\n"
CLEAN = "The meeting took place amid talks.\n"
XSS = (
    "Title of a hostile article\n\n"
    "The talks took place against the backdrop of <script>alert(1)</script> and\n"
    '"><img src=x onerror=alert(1)> within the framework of a declaration.\n'
)


# The rule packs are tuned all the time; tests about formats pin the severities they rely on
# with a tqcheck.toml instead of depending on the shipped defaults (and select the opt-in
# patronymic rule, as the samples' own configuration does).
PINNED = (
    'extend-select = ["TQ201"]\n'
    'severity = { TQ101 = "warning", TQ102 = "warning", TQ201 = "warning", TQ312 = "info" }\n'
)


def pin_severities(folder: Path) -> None:
    (folder / "tqcheck.toml").write_text(PINNED, encoding="utf-8")


def normalise(text: str) -> str:
    """Blank out what varies without the format changing: packs, host, the clone's folder."""
    text = re.sub(r"packs [\w.-]+@[0-9a-f]{10}(?:\+[\w.-]+@[0-9a-f]{10})*", "packs <packs>", text)
    # SARIF's originalUriBaseIds holds the repository root as an absolute file:// URI.
    text = text.replace(json.dumps(ROOT.as_uri() + "/"), '"file:///<root>/"')
    return re.sub(r'hostname="[^"]*"', 'hostname="<host>"', text)


@cache
def sarif_validator() -> Any:
    if not SARIF_SCHEMA.exists():
        pytest.skip(f"SARIF schema not found at {SARIF_SCHEMA}")
    import jsonschema

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def sarif_errors(log: dict[str, Any]) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in sarif_validator().iter_errors(log)
    ]


@cache
def junit_schema() -> Any:
    if not JUNIT_XSD.exists():
        pytest.skip(f"JUnit schema not found at {JUNIT_XSD}")
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(JUNIT_XSD)))


def junit_errors(xml: str) -> list[str]:
    from lxml import etree

    schema = junit_schema()
    document = etree.fromstring(xml.encode("utf-8"))
    if schema.validate(document):
        return []
    return [str(error) for error in schema.error_log]


def sample_tree(root: Path) -> Path:
    """Make a folder of articles: the seed, a bad one, clean ones, and two unreadable files."""
    articles = root / "articles"
    (articles / "sub").mkdir(parents=True)
    pin_severities(root)
    shutil.copy(SEED, articles / "seed.txt")
    (articles / "bad.txt").write_text(BAD, encoding="utf-8")
    (articles / "clean.txt").write_text(CLEAN, encoding="utf-8")
    (articles / "sub" / "also clean.txt").write_text(CLEAN, encoding="utf-8")
    (articles / "binary.txt").write_bytes(b"\x89PNG\x00\x00\x00")
    (articles / "latin1.txt").write_bytes("caf\xe9 against the backdrop of".encode("latin-1"))
    return articles
