"""Russian attribution punctuation (TQ301, TQ302, TQ305, TQ307) and dashes (TQ306, TQ308).

Each case runs through the public API in plain text, Markdown and HTML: the fixed text after
``fix_text`` (safe fixes, then unsafe ones), and no finding of the family after the fix.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tqcheck.api import Options, check_text, fix_text, settings_for
from tqcheck.config import Config, ConfigError, parse_config
from tqcheck.fix import Applicability
from tqcheck.kinds.base import DashStyle, QuoteStyle

FAMILY = ["TQ301", "TQ302", "TQ304", "TQ305", "TQ306", "TQ307", "TQ308"]


def findings(text: str, input_format: str = "text", config: Config | None = None) -> list[str]:
    """Return the family's findings as CODE:text."""
    found = check_text(text, select=FAMILY, input_format=input_format, config=config)
    return [f"{f.rule}:{f.text}" for f in found]


def fixed(
    text: str, input_format: str = "text", *, unsafe: bool = False, config: Config | None = None
) -> str:
    """Return the text after the family's fixes."""
    return fix_text(
        text, select=FAMILY, input_format=input_format, unsafe=unsafe, config=config
    ).text


SAFE_JOINS = [
    # Split paragraph, the attribution opened by a hyphen, an en dash or an em dash.
    ("text", '"The talks will go on",\n\n- said Peskov.', '"The talks will go on," said Peskov.'),
    (
        "text",
        '"The talks will go on",\n\n— said the minister.',
        '"The talks will go on," said the minister.',
    ),
    ("text", '"The talks will go on",\n\n– Peskov said.', '"The talks will go on," Peskov said.'),
    (
        "text",
        '"The talks will go on",\n\nThe press service reported.',
        '"The talks will go on," the press service reported.',
    ),
    ("text", '"The talks will go on", -\n\nhe noted.', '"The talks will go on," he noted.'),
    ("text", '"Welcome!",\n\n- Putin said.', '"Welcome!" Putin said.'),
    # Same paragraph: `", - X said`, `", – said X`, `", — he noted`, `" - said X`.
    (
        "text",
        '"The talks will go on", - the President said.',
        '"The talks will go on," the President said.',
    ),
    ("text", '"The talks will go on", – said Peskov.', '"The talks will go on," said Peskov.'),
    ("text", "“The talks will go on”, — he noted.", "“The talks will go on,” he noted."),
    ("text", '"The talks will go on" - said Peskov.', '"The talks will go on," said Peskov.'),
    ("text", '"We will win." - he said.', '"We will win," he said.'),
    ("text", '"Is it over?", - he asked.', '"Is it over?" he asked.'),
    # Markdown: plain paragraphs, one blockquote, a one-item "list" made of the dash.
    (
        "markdown",
        '"The talks will go on",\n\n- said Peskov.\n',
        '"The talks will go on," said Peskov.\n',
    ),
    (
        "markdown",
        '> "The talks will go on",\n>\n> — said Peskov.\n',
        '> "The talks will go on," said Peskov.\n',
    ),
    (
        "markdown",
        '"The talks *will* go on", - the President said.\n',
        '"The talks *will* go on," the President said.\n',
    ),
    # HTML: two bare paragraphs; entities and inline markup are kept as written.
    (
        "html",
        '<p>"The talks will go on",</p>\n<p>— said Peskov.</p>',
        '<p>"The talks will go on," said Peskov.</p>',
    ),
    (
        "html",
        "<p>&quot;The talks will go on&quot;, &ndash; the President said.</p>",
        "<p>&quot;The talks will go on,&quot; the President said.</p>",
    ),
    (
        "html",
        '<p>"The <b>talks</b> will go on", - the President said.</p>',
        '<p>"The <b>talks</b> will go on," the President said.</p>',
    ),
]


@pytest.mark.parametrize(("input_format", "text", "expected"), SAFE_JOINS)
def test_safe_fix_joins_the_attribution(input_format: str, text: str, expected: str) -> None:
    assert findings(text, input_format)
    assert fixed(text, input_format) == expected
    assert findings(expected, input_format) == []


def test_one_report_per_attribution() -> None:
    """TQ302, TQ305, TQ306 and TQ304 never report the same quotation's dash or comma twice."""
    assert findings('"The talks will go on", - the President said.') == ['TQ305:", - ']
    assert findings('"The talks will go on" - said Peskov.') == ['TQ305:" - ']
    assert findings('"The talks will go on",\n\n– Peskov said.') == ['TQ301:",']
    assert findings("The talks will go on, - he stressed.") == ["TQ307: -"]


def test_british_quote_style_keeps_the_comma_outside() -> None:
    config = Config(quote_style=QuoteStyle.BRITISH)
    text = '"The talks will go on", - the President said.\n\n"We agree",\n\n- said Peskov.'
    expected = '"The talks will go on", the President said.\n\n"We agree", said Peskov.'
    assert fixed(text, config=config) == expected
    assert findings(expected, config=config) == []


UNSAFE_ONLY = [
    # An attribution verb we do not know: the dash goes, the comma moves, but only on request.
    ("«The talks will go on», – говорится.", "«The talks will go on,» говорится."),
    # A quotation inside a sentence: "said X" may not be its attribution.
    ('He called it "a disaster" - said Peskov.', 'He called it "a disaster," said Peskov.'),
    # A double prime standing for the closing quote.
    ("There are 74″, – the statement said.", "There are 74,” the statement said."),
]


@pytest.mark.parametrize(("text", "expected"), UNSAFE_ONLY)
def test_unsure_attributions_are_fixed_only_unsafely(text: str, expected: str) -> None:
    assert fixed(text) == text
    assert fixed(text, unsafe=True) == expected


def test_joins_through_other_markup_are_shown_not_applied() -> None:
    html = '<p>"The talks will go on",</p><p class="note">Putin said.</p>'
    (finding,) = check_text(html, select=["TQ301"], input_format="html")
    assert finding.fix is not None and finding.fix.applicability is Applicability.DISPLAY_ONLY
    assert finding.suggestions[0].endswith('," Putin said.')
    listed = '"The talks will go on",\n\n- said Peskov.\n- Another item.\n'
    assert fixed(listed, "markdown") == listed


def test_verb_first_attribution_offers_the_plain_order() -> None:
    (finding,) = check_text('"We agree",\n\n- said Dmitry Peskov.', select=["TQ301"])
    assert finding.suggestions == (
        '…"We agree," said Dmitry Peskov.',
        '…"We agree," Dmitry Peskov said.',
    )


def test_no_attribution_without_a_verb_or_a_closing_quote() -> None:
    assert findings('They met officials from the "Big Three", the United States among them.') == []
    assert findings('He said: "The talks will go on" — and left.') == []


GAPPING = [
    "Freight traffic grew by 9%, passenger transport - by 14.2%.",
    "The first school was built in 2015, the second – in 2019.",
    "Prices for fuel rose by 3 percent, for bread—by 5 percent.",
    "Applications grew by 25% worldwide, and the number of downloads - by 8%.",
]


@pytest.mark.parametrize("text", GAPPING)
def test_gapping_dash_is_reported_and_never_fixed(text: str) -> None:
    assert [f.split(":")[0] for f in findings(text)] == ["TQ308"]
    assert fixed(text) == text
    assert fixed(text, unsafe=True) == text


def test_hyphen_before_a_figure_without_a_parallel_clause_is_fixed_only_unsafely() -> None:
    text = "Passenger transport - by 14.2%."
    (finding,) = check_text(text, select=["TQ306"])
    assert finding.fix is not None and finding.fix.applicability is Applicability.UNSAFE
    assert "omitted verb" in finding.message
    assert fixed(text) == text
    assert fixed(text, unsafe=True) == "Passenger transport—by 14.2%."


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        (DashStyle.EM_CLOSED, "Do not sleep on it—air it first."),
        (DashStyle.EM_SPACED, "Do not sleep on it — air it first."),
        (DashStyle.EN_SPACED, "Do not sleep on it – air it first."),
    ],
)
def test_dash_style(style: DashStyle, expected: str) -> None:
    config = Config(dash_style=style)
    text = "Do not sleep on it - air it first."
    (finding,) = check_text(text, select=["TQ306"], config=config)
    assert finding.message == f"Spaced hyphen used as a dash: write “{style_dash(style)}”"
    assert fixed(text, config=config) == expected
    assert findings(expected, config=config) == []
    glued = 'The prize went to "Best Event"- the winner.'
    assert fixed(glued, config=config) == glued.replace("- ", _dash(style))


def style_dash(style: DashStyle) -> str:
    """Return the dash character of a style."""
    return "–" if style is DashStyle.EN_SPACED else "—"


def _dash(style: DashStyle) -> str:
    return {DashStyle.EM_CLOSED: "—", DashStyle.EM_SPACED: " — ", DashStyle.EN_SPACED: " – "}[style]


def test_dash_style_in_html_and_markdown() -> None:
    config = Config(dash_style=DashStyle.EM_SPACED)
    assert fixed("<p>On <i>Monday</i> - and only then.</p>", "html", config=config) == (
        "<p>On <i>Monday</i> — and only then.</p>"
    )
    assert fixed("On *Monday* - and only then.\n", "markdown") == "On *Monday*—and only then.\n"


def test_ranges_take_an_en_dash_and_double_hyphens_are_left() -> None:
    assert fixed("Open Monday - Friday, from September 30 - October 1.") == (
        "Open Monday–Friday, from September 30–October 1."
    )
    assert findings("Some residents -- mostly pensioners -- stayed.") == []
    assert findings("Chelsea 2 - Arsenal 1 was the final score.") == []


def test_dash_style_configuration(tmp_path: Path) -> None:
    config = parse_config(tmp_path / "tqcheck.toml", {"dash-style": "en-spaced"})
    assert config.dash_style is DashStyle.EN_SPACED
    assert settings_for(config, Options()).dash_style is DashStyle.EN_SPACED
    assert settings_for(config, Options(dash_style="em-spaced")).dash_style is DashStyle.EM_SPACED
    assert settings_for(Config(), Options()).dash_style is DashStyle.EM_CLOSED
    with pytest.raises(ConfigError, match="dash-style"):
        parse_config(tmp_path / "tqcheck.toml", {"dash-style": "hyphen"})
    with pytest.raises(ConfigError, match="--dash-style"):
        settings_for(Config(), Options(dash_style="hyphen"))


def test_dash_style_on_the_command_line(tmp_path: Path) -> None:
    from tqcheck.cli import check_command

    path = tmp_path / "article.txt"
    path.write_text("Do not sleep on it - air it first.\n", encoding="utf-8")
    code = check_command(
        [str(path)], fix=True, select=["TQ306"], dash_style="en-spaced", no_cache=True
    )
    assert code == 0
    assert path.read_text(encoding="utf-8") == "Do not sleep on it – air it first.\n"
    (tmp_path / "tqcheck.toml").write_text('dash-style = "em-spaced"\n', encoding="utf-8")
    path.write_text("Do not sleep on it - air it first.\n", encoding="utf-8")
    check_command([str(path)], fix=True, select=["TQ306"], no_cache=True)
    assert path.read_text(encoding="utf-8") == "Do not sleep on it — air it first.\n"
