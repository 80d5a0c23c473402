"""The registry of rule kinds: built-in kinds plus those plugins register by entry point.

Plugins are never imported implicitly: a kind from the ``tqcheck.kinds`` entry-point group is
loaded only when the configuration names its distribution in ``plugins``.
"""

from __future__ import annotations

from collections.abc import Mapping

from tqcheck.kinds.attribution import AttributionKind
from tqcheck.kinds.balance import BalanceKind
from tqcheck.kinds.base import Checker, Context, Hit, Kind, ParamError, Params, Settings
from tqcheck.kinds.bilingual import KINDS as BILINGUAL_KINDS
from tqcheck.kinds.bilingual import MODES as BILINGUAL_MODES
from tqcheck.kinds.consistency import ConsistencyKind
from tqcheck.kinds.language import LanguageKind
from tqcheck.kinds.ngram import NgramKind
from tqcheck.kinds.patronymic import KINDS as PATRONYMIC_KINDS
from tqcheck.kinds.pattern import PatternKind
from tqcheck.kinds.phrase import PhraseKind
from tqcheck.kinds.script import KINDS as SCRIPT_KINDS
from tqcheck.kinds.spacing import KINDS as SPACING_KINDS
from tqcheck.kinds.suppression import SuppressionKind
from tqcheck.kinds.titles import TitlesKind

_BUILTIN: tuple[type[Kind], ...] = (
    PhraseKind,
    PatternKind,
    *PATRONYMIC_KINDS,
    AttributionKind,
    *SCRIPT_KINDS,
    *SPACING_KINDS,
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
# release: kind -> (the parameter naming the new kind, its values -> the kinds they name). The
# pack loader warns for each rule that uses one. "patronymic" is also the new name of the
# old default mode, so it is read as the alias only when the rule gives a mode.
KIND_ALIASES: dict[str, tuple[str, Mapping[str, str]]] = {
    "bilingual": ("mode", {mode: mode for mode in BILINGUAL_MODES}),
    "spacing": ("mode", {kind.name: kind.name for kind in SPACING_KINDS}),
    "script": ("mode", {kind.name: kind.name for kind in SCRIPT_KINDS}),
    "patronymic": ("mode", {"reference": "patronymic", "address": "patronymic-address"}),
}


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
