"""The HTML report of a structured input (HTML, Markdown, XLIFF) shows the prose, not the markup.

The page renders the segments the engine checked, one row per paragraph, each finding
highlighted inside its paragraph and its card in the same row. The browser tests follow
``test_html_browser.py``: the system Chromium through playwright, skipped cleanly without it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import ARTIFACTS

from tqcheck.api import Options, check_paths
from tqcheck.findings import Report
from tqcheck.reporters import RenderOptions, renderer

SCRIPT_BODY = "zqxScriptBodyMarker"
TRACKER = "zqxtracker"
TRACKING_URL = f"https://track.example.com/click?utm_source={TRACKER}&id=77"
PIXEL = "zqxpixel"

PARAGRAPHS = (
    "The sides met within the framework of the forum & talked. At high level talks were held.",
    "A second paragraph with nothing to flag in it at all, just plain words for a reader.",
    "The third paragraph says that talks were held at high level within the framework of "
    "the summit, and again within the framework of the visit, as the press service said.",
)

PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Talks held in Baku</title>
<script>var {SCRIPT_BODY} = "within the framework of"; fetch("{TRACKING_URL}");</script>
<style>.lead {{ color: red }}</style></head>
<body>
<h1>Leaders meet within the framework of the forum</h1>
<p class="lead">The sides met <a href="{html.escape(TRACKING_URL)}">within the framework</a> of
the forum &amp; talked. At high level talks were held.</p>
<p>A second paragraph with <b>nothing</b> to flag in it at all, just plain words for a reader.</p>
<p><img src="https://pixel.example.net/{PIXEL}.gif" alt="Putin within the framework of the
meeting"></p>
<p>The third paragraph says that talks were held at high level within the framework of
the summit, and again within <a href="{html.escape(TRACKING_URL)}">the framework</a> of the visit,
as the press service said.</p>
</body></html>
"""

MARKDOWN = """+++
title = "Talks within the framework of the visit"
summary = "zqxsummary within the framework of"
+++

The sides met within the framework of the forum. See [the page](https://example.com/zqxlink).

A second paragraph with `zqxcode` and nothing to flag.
"""


def _report(path: Path, text: str, options: Options | None = None) -> tuple[Report, str]:
    path.write_text(text, encoding="utf-8")
    report = check_paths([str(path)], options) if options else check_paths([str(path)])
    return report, renderer("html")(report, RenderOptions(format="html"))


class _Visible(HTMLParser):
    """Collect the page's text and its attribute values (outside script and style)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attributes.extend((name, value or "") for name, value in attrs)
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_html_input_report_has_no_script_body_or_tracking_url(tmp_path: Path) -> None:
    report, page = _report(tmp_path / "page.html", PAGE)
    assert report.results[0].findings
    # Not in the source at all: not as text, not in an attribute, escaped or not.
    for secret in (SCRIPT_BODY, TRACKER, PIXEL, "track.example.com", "lead {"):
        assert secret not in page
        assert secret not in html.unescape(page)
    visible = _Visible()
    visible.feed(page)
    text = _flat("".join(visible.text))
    for paragraph in PARAGRAPHS:
        assert paragraph in text
    assert "Leaders meet within the framework of the forum" in text
    assert "Putin within the framework of the meeting" in text  # the image's alt text
    assert "<p" not in text and "href" not in text


class _Rows(HTMLParser):
    """Record, for every element with an id, the paragraph row (``class="row"``) it is in."""

    VOID = frozenset(("meta", "input", "br", "img", "link", "hr", "wbr"))

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str | None] = []
        self.row_of: dict[str, str | None] = {}
        self.rows = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        row = self.stack[-1] if self.stack else None
        if "row" in (found.get("class") or "").split():
            self.rows += 1
            row = f"row{self.rows}"
        if found.get("id"):
            self.row_of[str(found["id"])] = row
        if tag not in self.VOID:
            self.stack.append(row)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID:
            self.stack.pop()


def test_each_finding_is_highlighted_and_carded_in_its_paragraph_row(tmp_path: Path) -> None:
    report, page = _report(tmp_path / "page.html", PAGE)
    result = report.results[0]
    rows = _Rows()
    rows.feed(page)
    assert rows.rows >= len(PARAGRAPHS) + 1  # the heading, the alt text and the paragraphs
    assert result.findings
    for index, finding in enumerate(result.findings):
        card, mark = rows.row_of.get(f"item-0-{index}"), rows.row_of.get(f"m-0-{index}")
        assert card is not None and card == mark, finding


def test_markdown_input_report_shows_prose_not_front_matter_or_urls(tmp_path: Path) -> None:
    _, page = _report(tmp_path / "post.md", MARKDOWN)
    visible = _Visible()
    visible.feed(page)
    text = _flat("".join(visible.text))
    assert "The sides met within the framework of the forum. See the page." in text
    assert "Talks within the framework of the visit" in text
    for secret in ("zqxsummary", "zqxlink", "zqxcode", "+++"):
        assert secret not in page


def test_html_read_with_an_explicit_input_format_renders_its_prose(tmp_path: Path) -> None:
    options = Options(input_format="html")
    _, page = _report(tmp_path / "page.txt", PAGE, options)
    assert SCRIPT_BODY not in page and TRACKER not in page
    assert PARAGRAPHS[0] in _flat(html.unescape(re.sub(r"<[^>]+>", "", page)))


def test_plain_text_input_keeps_the_whole_article_view(tmp_path: Path) -> None:
    _, page = _report(tmp_path / "a.txt", "\n\n".join(PARAGRAPHS) + "\n")
    assert page.count('class="article"') == 1 and 'class="row"' not in page


# --- in Chromium -------------------------------------------------------------------------------


@pytest.fixture
def open_page(browser: Any, tmp_path: Path) -> Iterator[Callable[..., Any]]:
    pages: list[Any] = []

    def open_report(report_path: Path, width: int = 1400) -> Any:
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.errors = []
        page.requests = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.on("request", lambda request: page.requests.append(request.url))
        page.goto(report_path.as_uri())
        pages.append(page)
        return page

    yield open_report
    for page in pages:
        page.close()


# For every finding: the row its highlight is in, the row its card is in, and the boxes.
_ROWS_JS = """() => Array.from(document.querySelectorAll("li.item[id]")).map(item => {
  const ident = item.id.slice("item-".length);
  const mark = document.getElementById("m-" + ident);
  const row = item.closest(".row");
  const box = el => { const r = el.getBoundingClientRect(); return [r.top, r.bottom]; };
  return {
    ident: ident,
    sameRow: !!mark && !!row && mark.closest(".row") === row,
    first: !!row && row.querySelector("li.item") === item,
    card: box(item),
    row: row ? box(row) : null,
    para: mark ? box(mark.closest(".para")) : null,
    text: mark ? Array.from(document.querySelectorAll('mark.f[data-f="' + ident + '"]'))
      .map(m => m.textContent).join("") : null,
  };
})"""


@pytest.mark.parametrize("width", [1400, 420])
def test_html_input_report_in_chromium(
    open_page: Callable[..., Any],
    tmp_path: Path,
    cli: Callable[..., tuple[int, str, str]],
    width: int,
) -> None:
    source = tmp_path / "page.html"
    source.write_text(PAGE, encoding="utf-8")
    out = tmp_path / "report.html"
    code, _, _ = cli("check", str(source), "--format", "html", "-o", str(out))
    assert code == 1 and out.exists()
    report = check_paths([str(source)])
    findings = report.results[0].findings
    page = open_page(out, width)
    text = _flat(page.evaluate("document.body.innerText"))
    for secret in (SCRIPT_BODY, TRACKER, TRACKING_URL, PIXEL, "<script", "href="):
        assert secret not in text
    for paragraph in PARAGRAPHS:
        assert paragraph in text
    rows = page.evaluate(_ROWS_JS)
    assert len(rows) == len(findings) > 0
    for row, finding in zip(rows, findings, strict=True):
        assert row["sameRow"], row
        top, bottom = row["row"]
        assert top - 1 <= row["card"][0] <= bottom + 1, row  # the card sits in its row
        if width >= 1000 and row["first"]:
            # Side by side: a row's first card starts level with its paragraph.
            assert abs(row["card"][0] - row["para"][0]) < 40, row
        # The highlight is the flagged words as the reader sees them (markup dropped).
        flagged = _flat(html.unescape(re.sub(r"<[^>]+>", "", finding.text)))
        assert _flat(row["text"]) == flagged, row
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.errors == []
    assert all(url.startswith("file:") for url in page.requests), page.requests
    page.hover("#m-0-0")
    assert page.locator("#tip").is_visible()
    assert findings[0].message in page.locator("#tip").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"html-report-html-input-{width}.png"), full_page=True)
