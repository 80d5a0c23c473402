r"""Turn an English -ing form back into the bare infinitive ("strengthening" -> "strengthen").

Used by replacement templates such as ``we aim to \\g<verb|base>``. English spelling makes
this irregular, so common verbs whose base ends in a silent e, and doubled final consonants,
are handled explicitly; the result is only ever offered in unsafe fixes.
"""

from __future__ import annotations

# Bases ending in -e whose -ing form drops it; the suffix heuristics below cover the rest.
_E_FINAL = frozenset(
    """
    achieve advance analyse analyze argue arrange assume balance become believe
    change charge choose close combine come compare complete continue contribute create
    decide decline declare define deliver derive describe determine diversify double
    emerge encourage engage ensure enhance escalate evaluate examine exchange execute
    expire explore facilitate finance force give guarantee have hope improve include
    increase indicate influence integrate introduce involve issue judge launch leave
    live locate make manage merge minimise minimize move negotiate note oblige oppose
    organise organize overcome participate persuade practise prepare preserve produce
    promote propose prove provide pursue raise realise realize receive reduce release
    remove replace require resolve restore resume retire revive rise save secure
    serve settle shape share solve source stabilise stabilize strive supervise survive
    take terminate trade update use urge value welcome write
    """.split()
)
_DOUBLED_OK = frozenset("ll ss ff zz".split())
_E_SUFFIXES = ("v", "c", "dg", "iz", "yz")


def base_form(word: str) -> str:
    """Return the bare infinitive of an -ing form; other words come back unchanged."""
    lower = word.lower()
    if not lower.endswith("ing") or len(lower) <= 4:
        return word
    stem = lower[:-3]
    if stem + "e" in _E_FINAL:
        base = stem + "e"
    elif stem in _E_FINAL:
        base = stem
    elif len(stem) >= 3 and stem[-1] == stem[-2] and stem[-2:] not in _DOUBLED_OK:
        base = stem[:-1]  # running -> run, stopping -> stop
    elif stem.endswith("y") or stem.endswith("ee"):
        base = stem
    elif stem.endswith(_E_SUFFIXES) and not stem.endswith("ck"):
        base = stem + "e"
    else:
        base = stem
    if word[:1].isupper():
        base = base[:1].upper() + base[1:]
    return base
