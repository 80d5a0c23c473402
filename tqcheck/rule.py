"""Rule metadata: code, name, severity, MQM category, documentation and examples."""

from __future__ import annotations

import dataclasses
import enum
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tqcheck.document import Scope
from tqcheck.fix import Applicability

if TYPE_CHECKING:
    from tqcheck.kinds.base import Kind


class Severity(enum.Enum):
    """Say how serious a finding is; ``--fail-on`` compares against this order."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        """Return the order info < warning < error."""
        return {"info": 0, "warning": 1, "error": 2}[self.value]


MARK_OPEN = "⟦"
MARK_CLOSE = "⟧"


@dataclass(frozen=True)
class Example:
    """Hold one documented example sentence of a rule.

    A bad example marks the flagged span with ⟦ ⟧; ``fix`` is the expected replacement of the
    marked span, ``fixed`` the expected whole text after the fix, ``suggest`` the expected best
    suggestion when the rule offers no automatic fix.
    """

    text: str
    bad: bool
    span: tuple[int, int] | None = None
    fix: str | None = None
    fixed: str | None = None
    suggest: str | None = None
    source: str | None = None  # the aligned source text, for bilingual rules
    scope: Scope | None = None  # the segment scope the example stands in (default: paragraph)


@dataclass(frozen=True)
class RuleDoc:
    """Document a rule: what it flags, why, what to write instead, and how safe its fix is."""

    what: str
    why: str
    use_instead: str
    fix_safety: str


@dataclass(frozen=True)
class Rule:
    """Hold one configured rule: its metadata and the kind instance that checks it."""

    code: str
    name: str
    kind_name: str
    severity: Severity
    category: str
    message: str
    applicability: Applicability
    doc: RuleDoc
    examples: tuple[Example, ...]
    pack: str
    kind: Kind = field(repr=False, compare=False)
    enabled: bool = True
    scopes: frozenset[Scope] = frozenset()
    params: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    exclude_scopes: frozenset[Scope] = frozenset()

    def applies_to(self, scope: Scope) -> bool:
        """Say whether the rule runs on a segment of this scope (scopes, exclude_scopes)."""
        if self.scopes and scope not in self.scopes:
            return False
        return scope not in self.exclude_scopes

    def format_message(self, **values: str) -> str:
        """Fill the message template's {placeholders}; unknown ones stay as written."""
        return fill_template(self.message, values)

    def with_severity(self, severity: Severity) -> Rule:
        """Return a copy of the rule with another severity."""
        return dataclasses.replace(self, severity=severity)


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill_template(template: str, values: dict[str, str]) -> str:
    """Fill {name} placeholders of a message template, leaving unknown ones as written."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)
