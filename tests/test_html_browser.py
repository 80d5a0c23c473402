"""The HTML report in a real headless Chromium: highlights in place, tooltips, filters, safety.

Needs Debian's ``chromium`` package (``/usr/bin/chromium``, or TQCHECK_CHROMIUM) and the
``playwright`` Python package; skips cleanly when either is missing. Screenshots are saved
under ``test-artifacts/`` (git-ignored).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ci_helpers import XSS
from conftest import ARTIFACTS, SEED

from tqcheck.api import check_paths
from tqcheck.findings import Report
from tqcheck.reporters import RenderOptions, renderer


@pytest.fixture(scope="module")
def seed_report() -> Report:
    return check_paths([str(SEED)])


@pytest.fixture
def page_for(browser: Any, tmp_path: Path) -> Iterator[Any]:
    pages: list[Any] = []

    def open_report(report: Report, width: int = 1400) -> Any:
        path = tmp_path / f"report{len(pages)}.html"
        path.write_text(renderer("html")(report, RenderOptions(format="html")), encoding="utf-8")
        page = browser.new_page(viewport={"width": width, "height": 1000})
        page.dialogs = []
        page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.goto(path.as_uri())
        pages.append(page)
        return page

    yield open_report
    for page in pages:
        page.close()


def _screenshot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


# Offset of an element's first character inside the article's text, measured by the browser.
_OFFSET_JS = """([mark, article]) => {
  const range = document.createRange();
  range.setStart(article, 0);
  range.setEndBefore(mark);
  return range.toString().length;
}"""


def test_highlights_sit_on_the_flagged_words(page_for: Any, seed_report: Report) -> None:
    page = page_for(seed_report)
    result = seed_report.results[0]
    article = page.locator("#file-0 .article")
    assert article.evaluate("el => el.textContent") == result.text
    frame = article.bounding_box()
    assert frame is not None
    assert page.locator("mark.f[id]").count() == len(result.findings)
    for index, finding in enumerate(result.findings):
        pieces = page.locator(f'mark.f[data-f="0-{index}"]')
        text = "".join(pieces.evaluate_all("els => els.map(e => e.textContent)"))
        assert text == finding.text, finding
        mark = page.locator(f"#m-0-{index}")
        handle = mark.element_handle()
        offset = page.evaluate(_OFFSET_JS, [handle, article.element_handle()])
        assert offset == finding.offset, finding
        box = mark.bounding_box()
        assert box is not None and box["height"] > 0
        assert (
            frame["x"] - 1 <= box["x"]
            and box["x"] + box["width"] <= frame["x"] + frame["width"] + 1
        )
        assert (
            frame["y"] - 1 <= box["y"]
            and box["y"] + box["height"] <= frame["y"] + frame["height"] + 1
        )
        assert mark.get_attribute("data-rule") == finding.rule
    assert page.errors == []
    _screenshot(page, "html-report-seed.png")


def test_hover_and_focus_show_message_and_fix(page_for: Any, seed_report: Report) -> None:
    page = page_for(seed_report)
    findings = seed_report.results[0].findings
    index = next(i for i, f in enumerate(findings) if f.rule == "TQ201")
    tip = page.locator("#tip")
    assert not tip.is_visible()
    page.hover(f"#m-0-{index}")
    assert tip.is_visible()
    assert findings[index].message in tip.inner_text()
    assert "Heydar Aliyev" in tip.inner_text() and "safe fix" in tip.inner_text()
    _screenshot(page, "html-report-seed-hover.png")
    page.mouse.move(1, 1)
    assert not tip.is_visible()
    other = next(i for i, f in enumerate(findings) if f.rule == "TQ102")
    page.focus(f"#m-0-{other}")
    assert tip.is_visible()
    assert findings[other].message in tip.inner_text() and "amid" in tip.inner_text()
    page.keyboard.press("Tab")  # the next highlight is reachable from the keyboard
    assert page.evaluate("document.activeElement.id") == f"m-0-{other + 1}"
    assert findings[other + 1].message in tip.inner_text()
    page.keyboard.press("Escape")
    assert not tip.is_visible()
    # The side list leads back to the text.
    page.click(f"#item-0-{index} button.goto")
    assert page.evaluate("document.activeElement.id") == f"m-0-{index}"


def test_severity_and_rule_filters(page_for: Any, seed_report: Report) -> None:
    page = page_for(seed_report)
    findings = seed_report.results[0].findings
    warnings = [i for i, f in enumerate(findings) if f.severity.value == "warning"]
    infos = [i for i, f in enumerate(findings) if f.severity.value == "info"]
    assert warnings and infos
    background = "el => getComputedStyle(el).backgroundColor"
    transparent = "rgba(0, 0, 0, 0)"
    assert page.locator(f"#m-0-{warnings[0]}").evaluate(background) != transparent
    page.uncheck('input[name="severity"][value="warning"]')
    for i in warnings:
        assert page.locator(f"#m-0-{i}").evaluate(background) == transparent
        assert not page.locator(f"#item-0-{i}").is_visible()
    for i in infos:
        assert page.locator(f"#m-0-{i}").evaluate(background) != transparent
        assert page.locator(f"#item-0-{i}").is_visible()
    assert page.inner_text("#shown") == f"{len(infos)} of {len(findings)} findings shown"
    page.hover(f"#m-0-{warnings[0]}")
    assert not page.locator("#tip").is_visible()  # a filtered-out finding shows nothing
    page.check('input[name="severity"][value="warning"]')
    assert page.locator(f"#item-0-{warnings[0]}").is_visible()
    assert page.locator(f"#m-0-{warnings[0]}").evaluate(background) != transparent
    page.select_option("#filter-rule", "TQ201")
    visible = [i for i in range(len(findings)) if page.locator(f"#item-0-{i}").is_visible()]
    assert visible == [i for i, f in enumerate(findings) if f.rule == "TQ201"]
    page.click("#filter-reset")
    assert page.inner_text("#shown") == f"{len(findings)} of {len(findings)} findings shown"


def test_narrow_screen_stacks_the_list_under_the_text(page_for: Any, seed_report: Report) -> None:
    page = page_for(seed_report, width=420)
    article = page.locator("#file-0 .article").bounding_box()
    listing = page.locator("#file-0 aside.list").bounding_box()
    assert article is not None and listing is not None
    assert listing["y"] >= article["y"] + article["height"] - 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 420
    _screenshot(page, "html-report-seed-narrow.png")


def test_hostile_article_renders_as_text(page_for: Any, tmp_path: Path) -> None:
    path = tmp_path / "hostile.txt"
    path.write_text(XSS, encoding="utf-8")
    report = check_paths([str(path)])
    page = page_for(report)
    page.wait_for_timeout(300)
    assert page.dialogs == []
    assert page.errors == []
    text = page.locator("#file-0 .article").inner_text()
    assert "<script>alert(1)</script>" in text
    assert '"><img src=x onerror=alert(1)>' in text
    assert page.locator("#file-0 .article img, #file-0 .article script").count() == 0
    assert page.locator("img").count() == 0
    # The findings around the payload are still highlighted in place.
    assert page.locator("mark.f").count() == len(report.results[0].findings) > 0
