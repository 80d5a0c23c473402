"""Run-wide settings the kinds may consult: quotation and dash style, the pattern budget.

They sit below both the configuration (which reads them from ``tqcheck.toml``) and the kinds
(which consult them), so neither has to import the other.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class QuoteStyle(enum.Enum):
    """Say where commas and full stops go relative to a closing quotation mark."""

    US = "us"  # "...future," he said.
    BRITISH = "british"  # "...future", he said. (logical punctuation)


class DashStyle(enum.Enum):
    """Say how a dash between words is written: closed em dash, spaced em or spaced en dash."""

    EM_CLOSED = "em-closed"  # word—word (Chicago, most US books and magazines)
    EM_SPACED = "em-spaced"  # word — word (AP, many news sites)
    EN_SPACED = "en-spaced"  # word – word (most British publishers)


@dataclass(frozen=True)
class Settings:
    """Hold run-wide settings that kinds may consult."""

    quote_style: QuoteStyle = QuoteStyle.US
    dash_style: DashStyle = DashStyle.EM_CLOSED
    # Seconds one pattern may spend on one segment before the rule is dropped for the file
    # (a catastrophic pattern in a user pack must not hang a CI run).
    pattern_timeout: float = 1.0
