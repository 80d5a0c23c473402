"""Every rule's documented examples are tests (LanguageTool / pycodestyle style)."""

from __future__ import annotations

import dataclasses

import pytest

from tqcheck.api import check_text, load_ruleset
from tqcheck.config import Config
from tqcheck.document import Document, Scope
from tqcheck.engine import Engine
from tqcheck.fix import apply_edits
from tqcheck.loaders import load_string
from tqcheck.rule import Example, Rule

RULESET = load_ruleset()
CASES = [
    pytest.param(rule, example, id=f"{rule.code}-{'bad' if example.bad else 'good'}{i}")
    for rule in RULESET.rules
    for i, example in enumerate(rule.examples)
]


def example_document(text: str, example: Example) -> Document:
    """Build the document an example stands for: one segment, with its source and scope."""
    if example.source is None and example.scope is None:
        return load_string("<example>", text)
    document = load_string("<example>", text, input_format="lines", source=example.source)
    scope = example.scope or Scope.PARAGRAPH
    segments = tuple(dataclasses.replace(s, scope=scope) for s in document.segments)
    return dataclasses.replace(document, segments=segments)


def run_rule(rule: Rule, text: str, example: Example) -> list:
    return Engine([rule]).check(example_document(text, example))


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_example(rule: Rule, example: Example) -> None:
    findings = run_rule(rule, example.text, example)
    if not example.bad:
        assert findings == [], f"{rule.code} fired on a good example: {findings}"
        return
    assert len(findings) == 1, f"{rule.code}: expected exactly one finding, got {findings}"
    finding = findings[0]
    assert example.span is not None
    assert (finding.offset, finding.end_offset) == example.span, (
        f"{rule.code}: flagged {finding.text!r}, expected "
        f"{example.text[example.span[0] : example.span[1]]!r}"
    )
    if example.suggest is not None:
        assert finding.suggestions and finding.suggestions[0] == example.suggest
    if example.fix is None and example.fixed is None:
        return
    assert finding.fix is not None, f"{rule.code}: bad example expects a fix"
    fixed = apply_edits(example.text, finding.fix.edits)
    if example.fix is not None:
        start, end = example.span
        assert fixed == example.text[:start] + example.fix + example.text[end:]
    if example.fixed is not None:
        assert fixed == example.fixed
    assert run_rule(rule, fixed, example) == [], f"{rule.code} still fires after its own fix"


def test_every_rule_has_bad_and_good_examples() -> None:
    for rule in RULESET.rules:
        assert any(e.bad for e in rule.examples), rule.code
        assert any(not e.bad for e in rule.examples), rule.code


def test_good_examples_are_clean_under_all_default_rules() -> None:
    """Report overlaps: other default rules must not fire on a rule's good examples."""
    engine = Engine([r for r in RULESET.rules if r.enabled])
    noisy = []
    for rule in RULESET.rules:
        for example in rule.examples:
            if example.bad:
                continue
            for finding in engine.check(example_document(example.text, example)):
                noisy.append(f"{finding.rule} on good example of {rule.code}: {finding.text!r}")
    assert noisy == []


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        # A quote closed with a dash before "said X": TQ305 (with quotes), TQ307 (without).
        ('"We are ready", - said Putin.', ["TQ305"]),
        ("We are ready, - said Putin.", ["TQ307"]),
        ("It hits like a cannon, — concluded Sergey Puryasev.", ["TQ307"]),
        ("We eat more, - the doctor argued.", ["TQ307"]),
        # Any other spaced hyphen is only a typographic dash.
        ("The talks went well, - and the sides agreed.", ["TQ306"]),
        ("Such a jacket is ideal - it suits a party.", ["TQ306"]),
    ],
)
def test_each_dash_artifact_is_reported_once(text: str, codes: list[str]) -> None:
    # TQ306 is opt-in (house style); the others never double-report its spans.
    with_dash = Config(extend_select=("TQ306",))
    assert [f.rule for f in check_text(text, config=with_dash)] == codes
