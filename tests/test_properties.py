"""Property tests: offsets inside the text, fixes touch only their edits, idempotent fixing."""

from __future__ import annotations

import itertools
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tqcheck.api import check_text, fix_text, load_ruleset
from tqcheck.engine import SMALL_RUN, Engine
from tqcheck.fix import Applicability, Edit, Fix, apply_edits, select_fixes
from tqcheck.kinds.base import Batch, Checker
from tqcheck.loaders import load_string

# Text built from fragments the rules care about, mixed with arbitrary characters.
FRAGMENTS = [
    "within the framework of",
    "Against the backdrop of",
    "Heydar Aliyevich",
    "Aliyev",
    "Heydar Aliyevich Aliyev",
    '",\n\n',
    "Putin said.",
    '", he emphasized.',
    " :",
    ":",
    "\u00a0",
    "  ",
    "WНO",
    "50°С",
    "Известия",
    "at high level",
    "We are aimed at strengthening",
    "grandiose project",
    "a fundamental country",
    "«",
    "»",
    "\r\n",
    "\n\n",
    "\r",
    " ",
    ".",
    ",",
    "the public of our countries",
    "dedicated to the 50th anniversary",
    "thanked for the",
    "\u200b",
    "\u0301",
    "\u200f",
    "Roman Abramovich",
    "5\u00a0km",
]
# Hostile material: NUL, BOM, bidi overrides, joiners, combining marks, lone surrogates (as XML
# character references can produce), odd line breaks, a very long token, unpaired brackets.
FRAGMENTS += [
    "\x00", "\ufeff", "\u202e", "\u2066", "\u200d", "e\u0301\u0301", "\ud800", "\udfff",
    "\r\r\n", "\u2028", "\u0085", "x" * 3000, "«»", "„“", "(((", ")))", "Ѕ", "І", "Һ",
]  # fmt: skip
texts = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=30).map(
    "".join
)
# Bounded in the normal suite; `HYPOTHESIS_PROFILE=long pytest tests/test_properties.py` runs
# the long fuzzing profile by hand.
settings.register_profile(
    "ci", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "long", max_examples=5000, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
PROFILE = settings()


@PROFILE
@given(texts)
def test_findings_lie_inside_the_text(text: str) -> None:
    lines = text.splitlines(keepends=True) or [""]
    for finding in check_text(text):
        assert 0 <= finding.offset <= finding.end_offset <= len(text)
        assert finding.text == text[finding.offset : finding.end_offset]
        assert finding.line >= 1 and finding.column >= 1
        assert finding.line <= max(1, len(lines) + 1)
        if finding.fix is not None:
            for edit in finding.fix.edits:
                assert 0 <= edit.offset <= edit.end_offset <= len(text)


@PROFILE
@given(texts)
def test_fixing_is_idempotent_and_leaves_no_safe_fix(text: str) -> None:
    once = fix_text(text)
    assert once.converged
    twice = fix_text(once.text)
    assert twice.text == once.text
    assert not [f for f in check_text(once.text) if f.fixable]


@PROFILE
@given(texts)
def test_fixing_never_adds_fixable_findings(text: str) -> None:
    before = [f for f in check_text(text) if f.fixable]
    after = [f for f in check_text(fix_text(text).text) if f.fixable]
    assert len(after) <= len(before)


@PROFILE
@given(
    st.text(max_size=60),
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 5), st.text(max_size=3)), max_size=8),
)
def test_applying_fixes_changes_only_edited_characters(
    text: str, raw: list[tuple[int, int, str]]
) -> None:
    fixes = []
    for start, length, replacement in raw:
        start = min(start, len(text))
        end = min(start + length, len(text))
        fixes.append(Fix((Edit(start, end, replacement),), Applicability.SAFE, "t"))
    chosen = select_fixes(fixes, Applicability.SAFE)
    edits = sorted(e for f in chosen for e in f.edits)
    for first, second in itertools.pairwise(edits):
        assert first.end_offset <= second.offset
    result = apply_edits(text, edits)
    # Rebuild the expected text piece by piece: untouched characters are copied verbatim.
    expected, cursor = [], 0
    for edit in edits:
        expected.append(text[cursor : edit.offset])
        expected.append(edit.replacement)
        cursor = edit.end_offset
    expected.append(text[cursor:])
    assert result == "".join(expected)


def test_select_fixes_skips_overlaps_and_same_point_insertions() -> None:
    a = Fix((Edit(0, 5, "x"),), Applicability.SAFE, "a")
    b = Fix((Edit(3, 8, "y"),), Applicability.SAFE, "b")
    c = Fix((Edit(8, 8, "i"),), Applicability.SAFE, "c")
    d = Fix((Edit(8, 8, "j"),), Applicability.SAFE, "d")
    e = Fix((Edit(9, 10, "z"),), Applicability.UNSAFE, "e")
    assert select_fixes([b, a, c, d, e], Applicability.SAFE) == [a, c]
    assert select_fixes([e], Applicability.UNSAFE) == [e]


# -- batch narrowing (engine planning) never changes findings --------------------------------

PLAN_FRAGMENTS = [
    *FRAGMENTS,
    "İstanbul",  # lower-casing changes its length: batch scans must step aside
    " - ",
    " -- ",
    "—",
    "- Yes, - he said.",
    "5,5 million",
    "1 000 000",
    "№ 5",
    "XIX century",
    "5 %",
    '"Yes",',
    "”,",
    "(",
    ")",
    "²die",
    "die Regierung hat das Gesetz nicht für",
    " la situation est très grave pour les gens et",
    "tqcheck: ignore TQ101",
    "Zelensky Zelenskyy",
    "the the",
    "Sergei Aleksandrovich",
]
plan_texts = st.lists(
    st.one_of(st.sampled_from(PLAN_FRAGMENTS), st.text(max_size=6)), max_size=40
).map("".join)


class _Unplanned(Engine):
    """An engine that runs every checker on every segment (no batch narrowing)."""

    def _candidates(self, batch: Batch) -> dict[Checker, set[int] | None]:
        return dict.fromkeys(self.checkers)


_RULES = [rule for rule in load_ruleset().rules if rule.enabled]
_PLANNED = Engine(_RULES)
_UNPLANNED = _Unplanned(_RULES)


def _bulk(engine: Engine) -> Engine:
    engine._documents = SMALL_RUN  # past the first few documents: bulk checks
    return engine


@PROFILE
@given(plan_texts)
def test_batch_narrowing_never_changes_findings(text: str) -> None:
    for fmt in ("lines", "text"):
        document = load_string("x", text, input_format=fmt)
        planned = [f.to_dict() for f in _bulk(_PLANNED).check(document)]
        unplanned = [f.to_dict() for f in _bulk(_UNPLANNED).check(document)]
        assert planned == unplanned, fmt
