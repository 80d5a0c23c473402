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


# Inflections by grammatical slot, in the order a frame expands them.
FORMS = ("base", "third", "past", "participle", "ing")

# Irregular past and past participle (the other forms follow the spelling rules below).
_IRREGULAR: dict[str, tuple[str, str]] = {
    line.split()[0]: (line.split()[1], line.split()[2])
    for line in """
    be was been
    bear bore borne
    become became become
    begin began begun
    bring brought brought
    build built built
    buy bought bought
    choose chose chosen
    come came come
    cost cost cost
    cut cut cut
    do did done
    draw drew drawn
    drive drove driven
    fall fell fallen
    feel felt felt
    find found found
    forecast forecast forecast
    get got got
    give gave given
    go went gone
    grow grew grown
    have had had
    hear heard heard
    hold held held
    keep kept kept
    know knew known
    lay laid laid
    lead led led
    leave left left
    let let let
    lose lost lost
    make made made
    mean meant meant
    meet met met
    pay paid paid
    put put put
    read read read
    rise rose risen
    run ran run
    say said said
    see saw seen
    seek sought sought
    sell sold sold
    send sent sent
    set set set
    show showed shown
    speak spoke spoken
    spend spent spent
    spread spread spread
    stand stood stood
    strike struck struck
    take took taken
    teach taught taught
    tell told told
    think thought thought
    undergo underwent undergone
    understand understood understood
    undertake undertook undertaken
    win won won
    withdraw withdrew withdrawn
    write wrote written
    """.strip().splitlines()
}
_IRREGULAR_THIRD = {"be": "is", "have": "has", "do": "does", "go": "goes"}
# Verbs of more than one syllable stressed on the last, which double the final consonant.
_DOUBLING = frozenset(
    """admit commit compel control deter equip expel forget incur occur omit patrol permit
    prefer propel rebel recur refer regret submit transfer""".split()
)
_VOWELS = "aeiou"


def _doubles(verb: str) -> bool:
    """Say whether the final consonant doubles before -ed and -ing (stop, sum, refer)."""
    if verb in _DOUBLING:
        return True
    if len(verb) < 3 or verb[-1] in _VOWELS + "wxy" or verb[-2] not in _VOWELS:
        return False
    if verb[-3] in _VOWELS:  # meet, need: a long vowel
        return False
    # One syllable only: no other vowel before the last one (sum, plan, stop; not visit).
    return not any(c in _VOWELS for c in verb[:-2].lstrip("y"))


def verb_forms(lemma: str) -> dict[str, str]:
    """Return the five forms of an English verb (base, third, past, participle, ing).

    Irregular pasts come from a table; the rest follow the spelling rules (hold -> held,
    sum -> sums, summed, summing; agree -> agreed; try -> tried).
    """
    verb = lemma.lower()
    if verb in _IRREGULAR_THIRD:
        third = _IRREGULAR_THIRD[verb]
    elif verb.endswith(("s", "x", "z", "ch", "sh", "o")):
        third = verb + "es"
    elif verb.endswith("y") and verb[-2:-1] not in _VOWELS:
        third = verb[:-1] + "ies"
    else:
        third = verb + "s"
    double = _doubles(verb)
    if verb.endswith("ie"):
        ing = verb[:-2] + "ying"
    elif verb == "be" or verb.endswith(("ee", "ye", "oe")):
        ing = verb + "ing"
    elif verb.endswith("e"):
        ing = verb[:-1] + "ing"
    elif double:
        ing = verb + verb[-1] + "ing"
    else:
        ing = verb + "ing"
    if verb in _IRREGULAR:
        past, participle = _IRREGULAR[verb]
    else:
        if verb.endswith("e"):
            past = verb + "d"
        elif verb.endswith("y") and verb[-2:-1] not in _VOWELS:
            past = verb[:-1] + "ied"
        elif double:
            past = verb + verb[-1] + "ed"
        else:
            past = verb + "ed"
        participle = past
    return {"base": verb, "third": third, "past": past, "participle": participle, "ing": ing}


# The forms of "be" and "have" a frame's {be} and {have} slots match, with their grammatical
# slot (which an agreeing verb in a suggestion takes); contractions attach to the word before.
BE_FORMS: tuple[tuple[str, str], ...] = (
    ("is", "third"),
    ("are", "base"),
    ("am", "base"),
    ("was", "past"),
    ("were", "past"),
    ("be", "base"),
    ("been", "participle"),
    ("being", "ing"),
    *(
        (f"{a}{c}", form)
        for a in "'’"
        for c, form in (("s", "third"), ("re", "base"), ("m", "base"))
    ),
)
HAVE_FORMS: tuple[tuple[str, str], ...] = (
    ("has", "third"),
    ("have", "base"),
    ("had", "past"),
    ("having", "ing"),
    *((f"{a}{c}", form) for a in "'’" for c, form in (("ve", "base"), ("d", "past"))),
)
# Adverbs that may stand inside a verb frame ("is also aimed at", "are now aimed at").
ADVERBS: tuple[str, ...] = tuple(
    """also further primarily mainly mostly chiefly largely particularly especially
    specifically exclusively now still already currently not always constantly actively
    jointly firmly fully clearly directly increasingly only initially originally""".split()
)
