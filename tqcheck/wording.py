"""Small wording helpers shared by the messages and reports: counts with the right plural."""

from __future__ import annotations


def plural(count: int, noun: str, many: str | None = None) -> str:
    """Return "1 file", "2 files", "1,000 words"; ``many`` for irregular plurals ("entries")."""
    word = noun if count == 1 else (many if many is not None else noun + "s")
    return f"{count:,} {word}"
