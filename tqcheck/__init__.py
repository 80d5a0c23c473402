"""tqcheck: a rule-based linter for machine-translated Russian-to-English text.

The public API is imported lazily so that ``tqcheck --version`` and small runs start fast::

    import tqcheck
    findings = tqcheck.check_text("We are aimed at strengthening ties.")
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_API = ("check_text", "check_paths", "fix_text", "Options")

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    """Import the API on first use."""
    if name in _API:
        from tqcheck import api

        return getattr(api, name)
    raise AttributeError(f"module 'tqcheck' has no attribute {name!r}")
