"""HTML reporter: one self-contained page a person opens in a browser.

Each article is shown with every finding highlighted in place (``<mark>`` elements at the
exact offsets; nested when findings nest, split into pieces when they cross), coloured by
severity, with the message and fix on hover or keyboard focus and in a side list, filters by
severity, rule and category, a summary, and the run signature.

A plain-text article is shown whole, with the list beside it. A structured input (HTML,
Markdown, XLIFF, PO, JSONL) is shown as its prose: the segments the engine checked, one row
per paragraph, with the findings highlighted inside it and their cards in the same row, so
a card never drifts from its text and the file's markup (scripts, link targets) never
reaches the page.

Safety: everything that comes from an article or a rule is HTML-escaped, and the page's
Content-Security-Policy allows only its own inline style and script (by hash) and no network,
so even text that looks like markup stays text.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from importlib.resources import files
from typing import Any

from tqcheck.document import InputError, LineIndex, Scope, Segment
from tqcheck.findings import FileError, FileResult, Finding, Report
from tqcheck.fix import Applicability
from tqcheck.loaders import LOADERS, format_for
from tqcheck.mqm import CAVEAT
from tqcheck.reporters import RenderOptions
from tqcheck.reporters.common import rules_by_code
from tqcheck.rule import Severity


def _asset(name: str) -> str:
    """Return a file of the report's assets (read once, when the module loads)."""
    return (files("tqcheck.reporters") / "assets" / name).read_text(encoding="utf-8")


_SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)
# What the Markdown and HTML loaders put in the prose for inline code and images.
PLACEHOLDER = "\ufffc"

# The page's style and script are package files (tqcheck/reporters/assets), so they can be
# read, linted and edited as CSS and JavaScript; the page inlines them (it is self-contained).
_CSS = _asset("report.css")

_JS = _asset("report.js")


def _hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


_CSP = (
    "default-src 'none'; "
    f"style-src {_hash(_CSS)}; script-src {_hash(_JS)}; "
    "img-src data:; base-uri 'none'; form-action 'none'; navigate-to 'none'"
)


def _e(value: object) -> str:
    return escape(str(value), quote=True)


@dataclass(frozen=True)
class _Mark:
    """One finding to highlight in a text, with its page-wide id.

    ``span`` is where the finding sits in the rendered text when that is not the file's text
    (a paragraph of an HTML input); without it the finding's own offsets are used.
    """

    ident: str
    finding: Finding
    span: tuple[int, int] | None = None

    @property
    def start(self) -> int:
        """Return the offset of the finding's first character in the rendered text."""
        return self.finding.offset if self.span is None else self.span[0]

    @property
    def end(self) -> int:
        """Return the offset just after the finding in the rendered text."""
        return self.finding.end_offset if self.span is None else self.span[1]


def _attrs(mark: _Mark) -> str:
    f = mark.finding
    return (
        f'data-f="{mark.ident}" data-severity="{f.severity.value}" data-rule="{_e(f.rule)}" '
        f'data-category="{_e(f.category)}"'
    )


def _open(mark: _Mark, first: bool) -> str:
    f = mark.finding
    classes = ["f", f.severity.value]
    if mark.start == mark.end:
        classes.append("zero")
    elif not f.text.strip():
        classes.append("ws")
    if not first:
        classes.append("cont")
        return f'<mark class="{" ".join(classes)}" {_attrs(mark)}>'
    return (
        f'<mark class="{" ".join(classes)}" id="m-{mark.ident}" tabindex="0" '
        f'aria-describedby="d-{mark.ident}" {_attrs(mark)}>'
    )


def highlight(text: str, marks: list[_Mark]) -> str:
    """Return text as HTML with every finding wrapped in ``<mark>`` at its exact offsets.

    Findings that nest become nested marks; a finding that crosses another's boundary is
    split into pieces (the first carries the id, later ones the ``cont`` class), so the
    concatenated text of a finding's pieces is always exactly the flagged text.
    """
    points = sorted({0, len(text)} | {m.start for m in marks} | {m.end for m in marks})
    # Outer findings first: earlier start, then longer span, then report order.
    order = {m.ident: i for i, m in enumerate(sorted(marks, key=_nesting_key))}
    zero = [m for m in marks if m.start == m.end]
    spans = [m for m in marks if m.start < m.end]
    out: list[str] = []
    stack: list[_Mark] = []
    opened: set[str] = set()
    for index, point in enumerate(points):
        following = points[index + 1] if index + 1 < len(points) else None
        wanted = (
            sorted(
                (m for m in spans if m.start <= point < m.end),
                key=lambda m: order[m.ident],
            )
            if following is not None
            else []
        )
        common = 0
        while common < min(len(stack), len(wanted)) and stack[common] is wanted[common]:
            common += 1
        while len(stack) > common:
            stack.pop()
            out.append("</mark>")
        for mark in zero:
            if mark.start == point:
                out.append(_open(mark, first=True) + "</mark>")
        for mark in wanted[common:]:
            out.append(_open(mark, first=mark.ident not in opened))
            opened.add(mark.ident)
            stack.append(mark)
        if following is not None:
            out.append(_e(text[point:following]))
    out.extend("</mark>" for _ in stack)
    return "".join(out)


def _nesting_key(mark: _Mark) -> tuple[int, int, str]:
    return (mark.start, -mark.end, mark.ident)


def _fix_line(finding: Finding) -> str:
    if finding.fix is not None and finding.fix.edits:
        kind = {
            Applicability.SAFE: "safe fix",
            Applicability.UNSAFE: "suggested fix (unsafe)",
            Applicability.DISPLAY_ONLY: "suggestion",
        }[finding.fix.applicability]
        best = f"“{finding.suggestions[0]}”" if finding.suggestions else finding.fix.title
        return f"{kind}: {best}"
    if finding.suggestions:
        return "suggestion: " + " | ".join(f"“{s}”" for s in finding.suggestions[:3])
    return ""


def _quote(text: str) -> str:
    shown = text.replace("\u00a0", "⍽").replace("\u202f", "⍽").replace("\n", "⏎")
    if len(shown) > 60:
        shown = shown[:57] + "…"
    return f"“{shown}”" if shown else "(insertion point)"


def _item(mark: _Mark, shown: str | None = None) -> str:
    """Render a finding's card; ``shown`` is the flagged text as the page shows it, if not f.text.

    (A finding in an HTML input spans the file's markup, links and all; its card quotes the
    words the reader sees instead.)
    """
    f = mark.finding
    fix = _fix_line(f)
    fix_html = f'<span class="fix">{_e(fix)}</span>' if fix else ""
    desc = f.message + (f" — {fix}" if fix else "")
    return (
        f'<li class="item" id="item-{mark.ident}" {_attrs(mark)} data-name="{_e(f.name)}">'
        f'<span class="head"><button type="button" class="goto" data-f="{mark.ident}" '
        f'title="Show in the text">{_e(f.line)}:{_e(f.column)}</button>'
        f'<span class="badge {f.severity.value}">{f.severity.value}</span>'
        f'<span class="code">{_e(f.rule)}</span><span class="name">{_e(f.name)}</span></span>'
        f'<span class="msg">{_e(f.message)}</span>{fix_html}'
        f'<span class="quote">{_e(_quote(f.text if shown is None else shown))}</span>'
        f'<span class="visually-hidden" id="d-{mark.ident}" hidden>{_e(desc)}</span>'
        "</li>"
    )


def _counts(findings: Iterable[Finding]) -> Counter[Severity]:
    return Counter(f.severity for f in findings)


def _badges(findings: tuple[Finding, ...]) -> str:
    if not findings:
        return '<span class="badge clean">clean</span>'
    counts = _counts(findings)
    return "".join(
        f'<span class="badge {s.value}">{counts[s]} {s.value}</span>'
        for s in _SEVERITIES
        if counts[s]
    )


def _file_section(index: int, result: FileResult) -> str:
    marks = [_Mark(f"{index}-{n}", f) for n, f in enumerate(result.findings)]
    segments = prose_segments(result)
    if segments is None:
        body = (
            '<div class="file-body">'
            f'<div class="article" lang="en">{highlight(result.checked_text, marks)}</div>'
            f'<aside class="list" aria-label="Findings in {_e(result.path)}"><ol>'
            f"{''.join(_item(m) for m in marks)}</ol></aside></div>"
        )
    else:
        body = _rows(index, result, segments, marks)
    return (
        f'<section class="panel file" id="file-{index}" aria-labelledby="file-{index}-h">'
        f'<h2 id="file-{index}-h"><span class="mono">{_e(result.path)}</span>'
        f"{_badges(result.findings)}</h2>{body}</section>"
    )


# Inputs whose text is the prose itself: the whole file is shown as it is.
_VERBATIM_FORMATS = frozenset(("text", "lines"))
# Above this size only the format the file name selects is tried (loading is not free).
_PROBE_LIMIT = 4 * 1024 * 1024


def prose_segments(result: FileResult) -> tuple[Segment, ...] | None:
    """Return the prose segments the engine checked in a structured file, else None.

    The result carries the spans of its segments but not the segments, so the checked text
    is loaded again, with the format its name selects first: the segments are used only when
    their spans are exactly the recorded ones (an ``--input-format`` override is found by
    trying the other loaders). Plain text, and anything that does not match, gets None: the
    page then shows the checked text itself.
    """
    text = result.checked_text
    if not text or not result.segments:
        return None
    guess = format_for(result.path)
    formats = [guess] if guess is not None else []
    if len(text) <= _PROBE_LIMIT:
        formats += [name for name in LOADERS if name != guess]
    for name in formats:
        try:
            document = LOADERS[name](result.path, text)
        except (InputError, ValueError, RecursionError):
            continue  # not this format
        if tuple((s.start, s.end) for s in document.segments) == result.segments:
            return None if name in _VERBATIM_FORMATS else document.segments
    return None


@dataclass(frozen=True)
class _Pieces:
    """Hold a segment's map to the file as (segment start, end, file start, end, atom) pieces."""

    items: tuple[tuple[int, int, int, int, bool], ...]
    length: int

    @classmethod
    def of(cls, segment: Segment) -> _Pieces:
        """Collect the runs and atoms of a segment's offset map in segment order."""
        offsets = segment.offsets
        items = [(s, s + n, d, d + n, False) for s, d, n in offsets.runs if n > 0]
        items += [(s, e, d, de, True) for s, e, d, de in offsets.atoms]
        return cls(tuple(sorted(items)), len(segment.text))

    def covers(self, offset: int, empty: bool) -> bool:
        """Say whether a file offset is one of the segment's characters (or, empty, at one)."""
        return any(d <= offset < de or (empty and offset == de) for _, _, d, de, _ in self.items)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Return the segment span of file span [start, end): the characters it touches."""
        first = self.length
        for seg_start, _, doc_start, doc_end, atom in self.items:
            if doc_end > start or (start == end and doc_end == start and not atom):
                first = seg_start if atom else seg_start + max(0, start - doc_start)
                break
        if end <= start:
            return first, first
        last = first
        for seg_start, seg_end, doc_start, _, atom in self.items:
            if doc_start < end:
                size = seg_end - seg_start
                last = max(last, seg_end if atom else seg_start + min(size, end - doc_start))
        return first, last


def _home(finding: Finding, segments: tuple[Segment, ...], pieces: list[_Pieces]) -> int | None:
    """Return the index of the segment a finding starts in (the innermost one), if any."""
    empty = finding.offset == finding.end_offset
    best: int | None = None
    for index, segment in enumerate(segments):
        if not segment.start <= finding.offset <= segment.end:
            continue
        if pieces[index].covers(finding.offset, empty):
            return index
        inner = (
            best is None or segment.end - segment.start < segments[best].end - segments[best].start
        )
        if inner and finding.offset < segment.end:
            best = index
    return best


# What a segment's role is called above its text (paragraphs need no label).
_SCOPE_LABELS = {
    Scope.TITLE: "title",
    Scope.HEADING: "heading",
    Scope.BLOCKQUOTE: "quote",
    Scope.LIST_ITEM: "list item",
    Scope.CAPTION: "caption",
    Scope.BYLINE: "byline",
    Scope.ALT: "image text",
    Scope.METADATA: "metadata",
}


def _rows(index: int, result: FileResult, segments: tuple[Segment, ...], marks: list[_Mark]) -> str:
    """Render a structured file's prose one segment per row, each with its findings' cards."""
    pieces = [_Pieces.of(segment) for segment in segments]
    placed: dict[int, list[_Mark]] = {}
    outside: list[_Mark] = []
    for mark in marks:
        home = _home(mark.finding, segments, pieces)
        if home is None:
            outside.append(mark)
            continue
        span = pieces[home].span(mark.finding.offset, mark.finding.end_offset)
        placed.setdefault(home, []).append(_Mark(mark.ident, mark.finding, span))
    lines = LineIndex(result.checked_text)
    order = sorted(range(len(segments)), key=lambda i: (segments[i].start, i))
    rows = [_row(index, n, segments[n], placed.get(n, []), lines) for n in order]
    if outside:
        rows.append(
            f'<div class="row outside" id="seg-{index}-outside"><div class="para">'
            '<p class="where">Outside the prose (in markup or across paragraphs)</p></div>'
            f'<ol class="notes">{"".join(_item(m) for m in outside)}</ol></div>'
        )
    return f'<div class="rows" aria-label="Prose of {_e(result.path)}">{"".join(rows)}</div>'


def _row(index: int, number: int, segment: Segment, marks: list[_Mark], lines: LineIndex) -> str:
    line = lines.position(segment.start)[0]
    label = _SCOPE_LABELS.get(segment.scope)
    where = [f"line {line}"]
    if segment.unit and segment.unit != segment.source:  # (a PO entry's id is its msgid)
        where.append(f"unit {segment.unit}")
    if label:
        where.append(label)
    source = f'<p class="source" lang="ru">{_e(segment.source)}</p>' if segment.source else ""
    # Inline code and images stand in the prose as one placeholder; show it as a neutral sign.
    text = highlight(segment.text, marks).replace(
        PLACEHOLDER, '<span class="ph" title="code or image (not prose)">\u25a1</span>'
    )
    return (
        f'<div class="row" id="seg-{index}-{number}" data-scope="{segment.scope.value}">'
        f'<div class="para"><p class="where">{_e(" · ".join(where))}</p>{source}'
        f'<div class="prose {segment.scope.value}" lang="en">{text}</div></div>'
        f'<ol class="notes">{"".join(_item(m, segment.text[m.start : m.end]) for m in marks)}'
        "</ol></div>"
    )


def _score(report: Report) -> str:
    """Render the MQM-style unconfirmed-issue score (``report.score``, see tqcheck.mqm).

    Nothing is computed here: without ``report.score`` the section says so.
    """
    score = report.score
    if score is None:
        return (
            '<section class="score" id="score" data-state="absent" '
            'aria-label="Unconfirmed-issue score">'
            "<p><strong>Unconfirmed-issue score</strong>: not computed in this run.</p></section>"
        )
    limit = score.max_penalty
    rows = "".join(
        f'<tr data-gate="{"fail" if d.exceeds(limit) else "ok"}">'
        f'<td class="mono">{_e(d.path)}</td><td class="num">{d.words}</td>'
        f'<td class="num">{d.counted}</td><td class="num">{d.penalty:.1f}</td>'
        f'<td class="num">{d.per_1k:.2f}</td>'
        f"<td>{'' if limit is None else ('over the limit' if d.exceeds(limit) else 'ok')}</td>"
        "</tr>"
        for d in score.documents
    )
    categories = "".join(
        f'<tr><td>{_e(c.category)}</td><td class="num">{c.counted}</td>'
        f'<td class="num">{c.penalty:.1f}</td></tr>'
        for c in score.by_category()
        if c.counted
    )
    weights = ", ".join(f"{k} {v:g}" for k, v in score.weights.to_dict().items())
    gate = "" if limit is None else f" Gate: <code>--max-penalty {limit:g}</code>."
    return (
        '<section class="score" id="score" data-state="present" '
        'aria-label="Unconfirmed-issue score">'
        f'<p><strong>Unconfirmed-issue score</strong> ({_e(CAVEAT)})</p><span class="value">'
        f"{score.per_1k:.2f}</span> penalty points per 1,000 words "
        f'<span class="muted">({score.penalty:.1f} points, {score.words:,} words; '
        f"weights: {_e(weights)}).{gate}</span>"
        '<div class="tables"><div><table><thead><tr><th>file</th><th class="num">words</th>'
        '<th class="num">counted issues</th><th class="num">penalty</th>'
        '<th class="num">per 1,000 words</th><th>gate</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></div>"
        '<div><table><thead><tr><th>category</th><th class="num">counted issues</th>'
        f'<th class="num">penalty</th></tr></thead><tbody>{categories}</tbody></table></div>'
        "</div></section>"
    )


def _summary(report: Report) -> str:
    findings = report.findings
    counts = _counts(findings)
    summary = report.summary()
    cards = [
        ("files", summary["files"], ""),
        ("findings", summary["findings"], ""),
        *((s.value, counts[s], s.value) for s in _SEVERITIES),
        ("safe fixes", summary["fixable"], ""),
    ]
    if report.errors:
        cards.append(("file errors", len(report.errors), "error"))
    card_html = "".join(
        f'<div class="card {cls}"><span class="n">{n}</span>'
        f'<span class="l">{_e(label)}</span></div>'
        for label, n, cls in cards
    )
    rules = rules_by_code(report)
    by_rule = Counter(f.rule for f in findings)
    rule_rows = "".join(
        f'<tr><td class="mono">{_e(code)}</td><td>{_e(_rule_name(code, rules, findings))}</td>'
        f"<td>{_e(_rule_category(code, rules, findings))}</td>"
        f'<td class="num">{count}</td></tr>'
        for code, count in sorted(by_rule.items())
    )
    by_category = Counter(f.category for f in findings)
    category_rows = "".join(
        f'<tr><td>{_e(cat)}</td><td class="num">{count}</td></tr>'
        for cat, count in sorted(by_category.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    tables = (
        '<details class="counts"><summary>Counts per rule and category</summary>'
        '<div class="tables"><div><h3>By rule</h3><table><thead><tr><th>code</th><th>name</th>'
        f'<th>category</th><th class="num">count</th></tr></thead><tbody>{rule_rows}</tbody>'
        "</table></div><div><h3>By category</h3><table><thead><tr><th>category</th>"
        f'<th class="num">count</th></tr></thead><tbody>{category_rows}</tbody></table></div>'
        "</div></details>"
        if findings
        else '<p class="muted">No findings.</p>'
    )
    chips = ""
    if findings:
        rule_chips = "".join(
            f'<button type="button" class="chip" data-filter="rule" data-value="{_e(code)}" '
            f'title="{_e(_rule_name(code, rules, findings))}">{_e(code)} <b>{count}</b></button>'
            for code, count in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        category_chips = "".join(
            f'<button type="button" class="chip" data-filter="category" data-value="{_e(cat)}">'
            f"{_e(cat)} <b>{count}</b></button>"
            for cat, count in sorted(by_category.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        chips = (
            f'<div class="chips"><span class="chips-label">Categories</span>{category_chips}</div>'
            f'<div class="chips"><span class="chips-label">Rules</span>{rule_chips}</div>'
        )
    baseline = ""
    if report.baseline is not None:
        b = report.baseline
        baseline = (
            f'<p class="muted">Baseline <span class="mono">{_e(b.path)}</span>: '
            f"{b.baselined} known findings hidden, {b.stale} stale entries.</p>"
        )
    return (
        '<section class="panel summary" aria-labelledby="summary-h">'
        f'<h2 id="summary-h">Summary</h2><div class="cards">{card_html}</div>'
        f"{_score(report)}{chips}{tables}{baseline}{_toc(report)}{_errors(report.errors)}"
        "</section>"
    )


def _rule_name(code: str, rules: dict[str, Any], findings: list[Finding]) -> str:
    rule = rules.get(code)
    return rule.name if rule is not None else next(f.name for f in findings if f.rule == code)


def _rule_category(code: str, rules: dict[str, Any], findings: list[Finding]) -> str:
    rule = rules.get(code)
    return (
        rule.category if rule is not None else next(f.category for f in findings if f.rule == code)
    )


def _toc(report: Report) -> str:
    if len(report.results) < 2:
        return ""
    items = "".join(
        f'<li><a href="#file-{i}" class="mono">{_e(r.path)}</a> {_badges(r.findings)}</li>'
        if r.findings
        else f'<li><span class="mono">{_e(r.path)}</span> {_badges(r.findings)}</li>'
        for i, r in enumerate(report.results)
    )
    return f'<h3>Files</h3><ol class="toc">{items}</ol>'


def _errors(errors: tuple[FileError, ...]) -> str:
    if not errors:
        return ""
    rows = "".join(
        f'<tr><td class="mono">{_e(e.path)}</td><td>{_e(e.message)}</td></tr>' for e in errors
    )
    return (
        '<h3>Files that could not be checked</h3><table class="errors"><thead><tr><th>file</th>'
        f"<th>error</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _filters(report: Report) -> str:
    findings = report.findings
    counts = _counts(findings)
    boxes = "".join(
        f'<label><input type="checkbox" name="severity" value="{s.value}" checked>'
        f'<span class="dot {s.value}"></span>{s.value} ({counts[s]})</label>'
        for s in _SEVERITIES
    )
    rules = sorted({(f.rule, f.name) for f in findings})
    rule_options = "".join(
        f'<option value="{_e(code)}">{_e(code)} {_e(name)}</option>' for code, name in rules
    )
    categories = sorted({f.category for f in findings})
    category_options = "".join(f'<option value="{_e(c)}">{_e(c)}</option>' for c in categories)
    return (
        '<nav class="panel filters" aria-label="Filter findings">'
        f"<fieldset><legend>Severity</legend>{boxes}</fieldset>"
        '<label>Rule <select id="filter-rule"><option value="">all rules</option>'
        f"{rule_options}</select></label>"
        '<label>Category <select id="filter-category"><option value="">all categories</option>'
        f"{category_options}</select></label>"
        '<button type="button" id="filter-reset">Show all</button>'
        f'<span id="shown" aria-live="polite">{len(findings)} of {len(findings)} findings '
        "shown</span></nav>"
    )


def render(report: Report, options: RenderOptions) -> str:
    """Render the report as one self-contained HTML page."""
    summary = report.summary()
    files = summary["files"]
    title = (
        f"tqcheck report: {summary['findings']} findings in {files} file{'s' if files != 1 else ''}"
    )
    sections = "".join(_file_section(i, r) for i, r in enumerate(report.results) if r.findings)
    if not sections and report.results:
        sections = '<section class="panel"><p>All checked files are clean.</p></section>'
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        f'<meta name="generator" content="tqcheck {_e(report.version)}">'
        f"<title>{_e(title)}</title><style>{_CSS}</style></head>\n<body>"
        '<header class="top"><h1>tqcheck report</h1>'
        f'<p class="sub">{_e(title.removeprefix("tqcheck report: "))}</p>'
        f'<p class="sig" id="signature">{_e(report.signature)}</p></header>\n'
        f"<main>{_summary(report)}{_filters(report)}\n{sections}</main>\n"
        '<div id="tip" role="tooltip" hidden></div>'
        f'<footer>Generated by tqcheck {_e(report.version)} · <span class="mono">'
        f"{_e(report.signature)}</span></footer>\n"
        f"<script>{_JS}</script>\n</body></html>\n"
    )
