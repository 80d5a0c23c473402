"""Entry point of the ``tqcheck`` command and ``python -m tqcheck``."""

from __future__ import annotations

import sys


def main() -> None:
    """Run the command line; answer ``--version`` before importing anything heavy."""
    if sys.argv[1:] in (["--version"], ["-V"]):
        from tqcheck import __version__

        print(f"tqcheck {__version__}")
        return
    # A lone surrogate in the input (JSON Lines "\ud800", XLIFF <cp hex="D800"/>) must not
    # crash the output: written as "\ud800" it is also the JSON escape of itself.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    from tqcheck.cli import run

    sys.exit(run())


if __name__ == "__main__":
    main()
