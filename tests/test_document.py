"""Decoding, paragraphs, sentences, offset maps and the line index."""

from __future__ import annotations

import codecs

import pytest

from tqcheck.document import (
    InputError,
    LineIndex,
    OffsetMap,
    Scope,
    decode,
    split_paragraphs,
    split_sentences,
)
from tqcheck.loaders import load_string


@pytest.mark.parametrize(
    ("data", "encoding", "bom"),
    [
        ("Привет, world".encode(), "utf-8", b""),
        (codecs.BOM_UTF8 + b"text", "utf-8", codecs.BOM_UTF8),
        (codecs.BOM_UTF16_LE + "text".encode("utf-16-le"), "utf-16-le", codecs.BOM_UTF16_LE),
        (codecs.BOM_UTF16_BE + "text".encode("utf-16-be"), "utf-16-be", codecs.BOM_UTF16_BE),
    ],
)
def test_decode_round_trips(data: bytes, encoding: str, bom: bytes) -> None:
    text, enc = decode(data)
    assert enc.name == encoding and enc.bom == bom
    assert enc.encode(text) == data


def test_decode_rejects_binary_and_invalid_utf8() -> None:
    with pytest.raises(InputError, match="binary"):
        decode(b"abc\x00def")
    with pytest.raises(InputError, match="not valid UTF-8 at byte 3"):
        decode(b"abc\xff")


def test_decode_with_explicit_encoding() -> None:
    text, enc = decode("Привет".encode("cp1251"), "cp1251")
    assert text == "Привет" and enc.name == "cp1251"
    with pytest.raises(InputError, match="unknown encoding"):
        decode(b"x", "no-such-codec")


def test_line_index_counts_characters_and_all_newline_styles() -> None:
    text = "ab\r\nПривет\rc\nd"
    index = LineIndex(text)
    assert index.position(0) == (1, 1)
    assert index.position(4) == (2, 1)
    assert index.position(text.index("в")) == (2, 4)
    assert index.position(text.index("c")) == (3, 1)
    assert index.position(text.index("d")) == (4, 1)
    assert index.line_text(2) == "Привет"
    assert index.offset(2, 4) == text.index("в")


def test_paragraphs_and_scopes() -> None:
    text = (
        "Headline here\n\nKremlin website\n\n"
        "First paragraph.\nSame paragraph.\n \nSecond one.\n\n© Photo: x"
    )
    assert [text[s:e] for s, e in split_paragraphs(text)] == [
        "Headline here",
        "Kremlin website",
        "First paragraph.\nSame paragraph.",
        "Second one.",
        "© Photo: x",
    ]
    scopes = [s.scope for s in load_string("x", text).segments]
    assert scopes == [Scope.TITLE, Scope.BYLINE, Scope.PARAGRAPH, Scope.PARAGRAPH, Scope.CAPTION]


def test_sentences_respect_abbreviations() -> None:
    text = "Mr. Putin arrived. He met Dr. Smith! Was it useful? Yes."
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "Mr. Putin arrived.",
        "He met Dr. Smith!",
        "Was it useful?",
        "Yes.",
    ]


def test_offset_map_with_gaps() -> None:
    # Segment "ab cd" taken from document "<b>ab</b> cd": runs (0,3,2) and (2,9,3).
    offsets = OffsetMap(((0, 3, 2), (2, 9, 3)))
    assert offsets.to_document(0) == 3
    assert offsets.to_document(1) == 4
    assert offsets.to_document(3) == 10
    assert offsets.is_contiguous(3, 5)
    assert not offsets.is_contiguous(1, 3)
