"""The registry of rule kinds: built-in kinds plus those plugins register by entry point.

Plugins are never imported implicitly: a kind from the ``tqcheck.kinds`` entry-point group is
loaded only when the configuration names its distribution in ``plugins``.
"""

from __future__ import annotations

from tqcheck.kinds.attribution import AttributionKind
from tqcheck.kinds.balance import BalanceKind
from tqcheck.kinds.base import Checker, Context, Hit, Kind, ParamError, Params, Settings
from tqcheck.kinds.bilingual import KINDS as BILINGUAL_KINDS
from tqcheck.kinds.bilingual import MODES as BILINGUAL_MODES
from tqcheck.kinds.consistency import ConsistencyKind
from tqcheck.kinds.language import LanguageKind
from tqcheck.kinds.ngram import NgramKind
from tqcheck.kinds.patronymic import PatronymicKind
from tqcheck.kinds.pattern import PatternKind
from tqcheck.kinds.phrase import PhraseKind
from tqcheck.kinds.script import ScriptKind
from tqcheck.kinds.spacing import SpacingKind
from tqcheck.kinds.suppression import SuppressionKind
from tqcheck.kinds.titles import TitlesKind

_BUILTIN: tuple[type[Kind], ...] = (
    PhraseKind,
    PatternKind,
    PatronymicKind,
    AttributionKind,
    ScriptKind,
    SpacingKind,
    BalanceKind,
    SuppressionKind,
    *BILINGUAL_KINDS,
    ConsistencyKind,
    LanguageKind,
    NgramKind,
    TitlesKind,
)
BUILTIN_KINDS: dict[str, type[Kind]] = {kind.name: kind for kind in _BUILTIN}

# Deprecated kinds that a parameter maps to a built-in kind, kept for user packs for one
# release: kind -> (the parameter naming the new kind, the kinds it may name). The pack
# loader warns for each rule that uses one.
KIND_ALIASES: dict[str, tuple[str, tuple[str, ...]]] = {"bilingual": ("mode", BILINGUAL_MODES)}


def available_kinds(plugins: tuple[str, ...] = ()) -> dict[str, type[Kind]]:
    """Return the built-in kinds plus the kinds of the explicitly enabled plugins."""
    kinds = dict(BUILTIN_KINDS)
    if plugins:
        from importlib.metadata import entry_points  # only when plugins are enabled: slow import

        found: set[str] = set()
        for ep in entry_points(group="tqcheck.kinds"):
            if ep.dist is not None and ep.dist.name in plugins:
                found.add(ep.dist.name)
                loaded = ep.load()
                if isinstance(loaded, type) and issubclass(loaded, Kind):
                    kinds[loaded.name or ep.name] = loaded
        missing = [name for name in plugins if name not in found]
        if missing:
            raise LookupError(
                f"plugin {missing[0]!r} is not installed or has no 'tqcheck.kinds' entry point "
                "(plugins names a distribution: pip install it, or remove it from plugins)"
            )
    return kinds


__all__ = [
    "BUILTIN_KINDS",
    "KIND_ALIASES",
    "Checker",
    "Context",
    "Hit",
    "Kind",
    "ParamError",
    "Params",
    "Settings",
    "available_kinds",
]
