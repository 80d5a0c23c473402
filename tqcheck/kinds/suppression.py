"""The ``suppression`` kind: problems with inline ``tqcheck:`` suppression directives.

Suppressions are applied by the engine (see :mod:`tqcheck.suppress`), after every other rule
has run, because only then is it known which directive silenced a finding. Rules of this kind
say which problem they report: ``unused`` (a directive, or one code in it, that silenced
nothing) or ``invalid`` (an unknown rule code or name, or a malformed directive). The kind
itself finds nothing on its own.
"""

from __future__ import annotations

import enum
from typing import ClassVar

from tqcheck.kinds.base import NEVER, Kind, ParamError, Params


class SuppressionProblem(enum.Enum):
    """Name the problem a suppression rule reports."""

    UNUSED = "unused"
    INVALID = "invalid"


class SuppressionKind(Kind):
    """Report problems the engine finds while applying suppression directives."""

    name: ClassVar[str] = "suppression"
    document_level = True

    def __init__(self, params: Params) -> None:
        """Read which problem the rule reports."""
        raw = params.get("report", str)
        try:
            self.report = SuppressionProblem(raw)
        except ValueError:
            choices = ", ".join(p.value for p in SuppressionProblem)
            raise ParamError("report", f"expected one of: {choices}") from None
        super().__init__(params)

    def trigger(self) -> str:
        """Say the kind never hits from text: the engine's suppressor reports these problems."""
        return NEVER
