"""The engine: run the selected rules over a document's segments and produce findings."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tqcheck.document import Document, Segment
from tqcheck.findings import Finding
from tqcheck.fix import Edit, Fix
from tqcheck.kinds import Checker, Context, Hit, Kind, Settings
from tqcheck.kinds.base import Batch
from tqcheck.rule import Rule
from tqcheck.suppress import Suppressor

# Segments longer than this are checked in pieces of about this many characters.
WINDOW_CHARS = 5_000
# Documents at least this long (and line files) are "bulk": checkers use their matchers
# compiled for all rules; smaller ones get matchers narrowed to the words they contain...
BULK_CHARS = 50_000
# ...unless the run has already checked this many documents (a run over many articles).
SMALL_RUN = 4


@dataclass(frozen=True)
class EngineResult:
    """Hold what checking one document produced: findings and rule failures."""

    findings: list[Finding]
    rule_errors: tuple[str, ...] = ()


class Engine:
    """Check documents with a fixed selection of rules (kinds compiled once, here)."""

    def __init__(
        self,
        rules: Sequence[Rule],
        settings: Settings | None = None,
        catalogue: Sequence[Rule] | None = None,
    ) -> None:
        """Group the rules by kind and build each kind's checker once.

        ``catalogue`` is every rule an inline suppression may name (default: the shipped
        packs); the selected ``rules`` are the ones that run.
        """
        self.rules = tuple(rules)
        self.settings = settings or Settings()
        groups: dict[type[Kind], list[Rule]] = {}
        for rule in self.rules:
            groups.setdefault(type(rule.kind), []).append(rule)
        self.checkers: list[Checker] = [cls.checker(group) for cls, group in groups.items()]
        self.suppressor = Suppressor(self.rules, catalogue)
        # Engines for the rules directives name that this one did not select, by their codes.
        self._side: dict[frozenset[str], Engine] = {}
        self._documents = 0  # checked so far (see _context)

    def check(self, document: Document) -> list[Finding]:
        """Return the findings of every rule on the document, sorted and de-duplicated.

        Inline ``tqcheck:`` directives are applied; problems with them are findings too.
        Rules that failed (see :meth:`run`) contribute no findings.
        """
        return self.run(document).findings

    def run(self, document: Document) -> EngineResult:
        """Check a document; return its findings and the rules that failed on it."""
        ctx = self._context(document)
        findings = self.check_unsuppressed(document, ctx)

        def side(codes: frozenset[str], catalogue: dict[str, Rule]) -> list[Finding]:
            engine = self._side.get(codes)
            if engine is None:
                rules = [catalogue[code] for code in sorted(codes)]
                engine = Engine(rules, self.settings, tuple(catalogue.values()))
                self._side[codes] = engine
            return engine.check_unsuppressed(document)

        kept, problems = self.suppressor.apply(document, findings, side)
        if problems:
            extra = [
                _finding(document, rule, hit, hit.start, hit.end, hit.edits)
                for rule, hit in problems
            ]
            kept = sorted([*kept, *extra], key=Finding.sort_key)
        return EngineResult(kept, tuple(ctx.errors.values()))

    def check_unsuppressed(self, document: Document, ctx: Context | None = None) -> list[Finding]:
        """Return the findings of every rule, ignoring inline suppression directives."""
        ctx = ctx or self._context(document)
        findings: dict[tuple[str, int, int], Finding] = {}
        # One scan per checker over all the segments first narrows the segments it runs on.
        batch = Batch(document.segments, bulk=ctx.bulk)
        candidates = self._candidates(batch)
        if document.independent_segments:
            # Each line is its own text: rules and their per-document memos see one segment at
            # a time (the findings still carry the whole file's offsets and line numbers).
            plan: list[list[Checker]] = [[] for _ in document.segments]
            for checker in self.checkers:
                lines = candidates[checker]
                for index in range(len(plan)) if lines is None else sorted(lines):
                    plan[index].append(checker)
            for index, (segment, checkers) in enumerate(zip(document.segments, plan, strict=True)):
                if checkers:
                    view = Context(
                        document.alone(segment),
                        self.settings,
                        ctx.errors,
                        bulk=True,
                        batch=batch,
                        batch_index=index,
                    )
                    self._check_into(findings, document, view.document, view, checkers)
        else:
            ctx.batch = batch
            self._check_into(findings, document, document, ctx, self.checkers, candidates)
        return sorted(findings.values(), key=Finding.sort_key)

    def _context(self, document: Document) -> Context:
        """Return the context of a document check.

        It is "bulk" for line files, big documents, and every document after the first few
        of a run: checkers then compile their matchers for all rules once, instead of ones
        narrowed to the words of each small document (a one-article pre-commit run).
        """
        self._documents += 1
        bulk = (
            document.independent_segments
            or len(document.text) >= BULK_CHARS
            or self._documents > SMALL_RUN
        )
        return Context(document, self.settings, bulk=bulk)

    def _candidates(self, batch: Batch) -> dict[Checker, set[int] | None]:
        """Return, for each checker, the segments it may hit in (None: all of them)."""
        # A segment checked in windows is checked by everything: a window's edges can match
        # where the segment, scanned whole, does not (a batch scan sees whole segments).
        windowed = {i for i, s in enumerate(batch.segments) if len(s.text) > WINDOW_CHARS}
        if len(windowed) == len(batch.segments):
            return dict.fromkeys(self.checkers)  # (one huge paragraph: nothing to narrow)
        result: dict[Checker, set[int] | None] = {}
        for checker in self.checkers:
            found = checker.candidates(batch)
            result[checker] = None if found is None else found | windowed
        return result

    def _check_into(
        self,
        findings: dict[tuple[str, int, int], Finding],
        document: Document,
        view: Document,
        ctx: Context,
        checkers: Sequence[Checker],
        candidates: dict[Checker, set[int] | None] | None = None,
    ) -> None:
        """Run checkers over the segments of ``view`` (part or all of ``document``).

        ``candidates`` limits the segments (indexes in ``view``) each checker's segment-level
        rules run on; document-level rules always see the whole view.
        """
        # Very long paragraphs are checked in sentence-bounded windows (see Segment.windows).
        pieces = [
            (index, piece)
            for index, s in enumerate(view.segments)
            for piece in s.windows(WINDOW_CHARS)
        ]
        for checker in checkers:
            only = None if candidates is None else candidates[checker]
            for index, segment in pieces:
                if only is not None and index not in only:
                    continue
                if candidates is not None:
                    ctx.batch_index = index
                for rule, hit in checker.check_segment(segment, ctx):
                    if not rule.applies_to(segment.scope):
                        continue
                    finding = _from_segment(document, segment, rule, hit)
                    findings.setdefault((rule.code, finding.offset, finding.end_offset), finding)
            for rule, hit in checker.check_document(view, ctx):
                # A document-level hit obeys the scopes of the segment it starts in.
                home = view.segment_at(hit.start)
                if home is not None and not rule.applies_to(home.scope):
                    continue
                finding = _finding(document, rule, hit, hit.start, hit.end, hit.edits)
                findings.setdefault((rule.code, finding.offset, finding.end_offset), finding)


def _from_segment(document: Document, segment: Segment, rule: Rule, hit: Hit) -> Finding:
    """Map a segment-relative hit onto the document."""
    offsets = segment.offsets
    start, end = offsets.span(hit.start, hit.end)
    edits: list[Edit] = []
    for edit in hit.edits:
        if not offsets.is_contiguous(edit.offset, edit.end_offset) or not segment.writable(
            edit.replacement
        ):
            # The edit would swallow markup the segment does not show, or its text cannot be
            # written there (a ": " in a plain YAML title): offer it as text only.
            edits = []
            break
        # Replacements are written into the file as its format requires (&amp; in HTML).
        doc_start, doc_end = offsets.span(edit.offset, edit.end_offset)
        edits.append(Edit(doc_start, doc_end, segment.encode(edit.replacement)))
    finding = _finding(document, rule, hit, start, end, edits)
    return dataclasses.replace(finding, unit=segment.unit) if segment.unit else finding


def _finding(
    document: Document, rule: Rule, hit: Hit, start: int, end: int, edits: Iterable[Edit]
) -> Finding:
    text = document.text[start:end]
    edit_tuple = tuple(edits)
    applicability = rule.applicability
    if hit.applicability is not None:
        applicability = applicability.at_most(hit.applicability)
    fix = Fix(edit_tuple, applicability, _title(document.text, edit_tuple)) if edit_tuple else None
    values = {"text": text, "suggestion": hit.suggestions[0] if hit.suggestions else ""}
    values.update(hit.values)
    line, column = document.lines.position(start)
    end_line, end_column = document.lines.position(end)
    return Finding(
        path=document.path,
        rule=rule.code,
        name=rule.name,
        severity=rule.severity,
        category=rule.category,
        message=rule.format_message(**values),
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        offset=start,
        end_offset=end,
        text=text,
        suggestions=hit.suggestions,
        fix=fix,
    )


def _title(text: str, edits: tuple[Edit, ...]) -> str:
    """Describe a fix in a few words."""
    if len(edits) != 1:
        return f"Apply {len(edits)} edits"
    edit = edits[0]
    old = text[edit.offset : edit.end_offset]
    if not edit.replacement:
        return f"Remove {_show(old)}"
    if not old:
        return f"Insert {_show(edit.replacement)}"
    return f"Replace {_show(old)} with {_show(edit.replacement)}"


def _show(value: str) -> str:
    """Quote a fragment for a fix title, making invisible characters visible."""
    visible = (
        value.replace("\u00a0", "<NBSP>")
        .replace("\u202f", "<NNBSP>")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )
    return f"“{visible}”"
