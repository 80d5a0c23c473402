"""Entry point of the ``tqcheck`` command and ``python -m tqcheck``."""

from __future__ import annotations

import sys


def main() -> None:
    """Run the command line; answer ``--version`` before importing anything heavy."""
    if sys.argv[1:] in (["--version"], ["-V"]):
        from tqcheck import __version__

        print(f"tqcheck {__version__}")
        return
    from tqcheck.cli import run

    sys.exit(run())


if __name__ == "__main__":
    main()
