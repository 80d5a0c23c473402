"""Find rule packs, parse them with tomllib, validate them strictly, and build a RuleSet.

Packs are data only: nothing in a pack is ever evaluated as code. Every error names the pack
file, the rule and the key.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex

from tqcheck.document import Scope
from tqcheck.files import read_regular
from tqcheck.fix import Applicability
from tqcheck.kinds import KIND_ALIASES, Kind, ParamError, Params, available_kinds
from tqcheck.kinds.anchors import nested_unbounded_repeat
from tqcheck.packcache import get_cache, parse_toml
from tqcheck.rule import MARK_CLOSE, MARK_OPEN, Example, Rule, RuleDoc, Severity

_CODE = regex.compile(r"^TQ\d{3}$")
_NAME = regex.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_CATEGORY = regex.compile(r"^(?:accuracy|fluency|style|locale|terminology)/[a-z][a-z-]*$")
_PACK_KEYS = frozenset(("pack", "rules"))
_PACK_META_KEYS = frozenset(("id", "version", "description"))
_RULE_KEYS = frozenset(
    (
        "code",
        "name",
        "kind",
        "severity",
        "category",
        "message",
        "applicability",
        "enabled",
        "scopes",
        "exclude_scopes",
        "params",
        "doc",
        "examples",
    )
)
_REQUIRED_RULE_KEYS = ("code", "name", "kind", "severity", "category", "message", "applicability")
_DOC_KEYS = ("what", "why", "use_instead", "fix_safety")
_EXAMPLE_KEYS = frozenset(("bad", "good", "fix", "fixed", "suggest", "source", "scope"))
# Keys that describe the segment an example stands in, allowed on good examples too.
_CONTEXT_KEYS = frozenset(("source", "scope"))


class PackError(Exception):
    """Raise for an invalid rule pack; the message names the file, the rule and the key."""


@dataclass(frozen=True)
class Pack:
    """Hold one parsed pack file."""

    id: str
    version: int
    description: str
    path: Path
    sha256: str
    rules: tuple[Rule, ...]
    warnings: tuple[str, ...] = ()


def builtin_packs_dir() -> Path:
    """Return the folder of the shipped packs: in the wheel, or the checkout's ``rules/``."""
    shipped = importlib.resources.files("tqcheck") / "rules"
    if shipped.is_dir():
        return Path(str(shipped))
    # Editable install or source checkout: rules/ sits beside the package.
    return Path(__file__).resolve().parent.parent / "rules"


def pack_files(folder: Path) -> list[Path]:
    """Return the pack files of a folder in name order."""
    if not folder.is_dir():
        raise PackError(f"{folder}: rule pack folder does not exist")
    return sorted(folder.glob("*.toml"))


def _fail(path: Path, rule: str | None, key: str | None, message: str) -> PackError:
    where = str(path)
    if rule:
        where += f": rule {rule}"
    if key:
        where += f": key '{key}'"
    return PackError(f"{where}: {message}")


def parse_example(path: Path, rule: str, index: int, raw: Any) -> Example:
    """Parse one ``[[rules.examples]]`` table."""
    key = f"examples[{index}]"
    if not isinstance(raw, dict):
        raise _fail(path, rule, key, "expected a table with 'bad' or 'good'")
    unknown = sorted(set(raw) - _EXAMPLE_KEYS)
    if unknown:
        raise _fail(path, rule, f"{key}.{unknown[0]}", "unknown example key")
    for name, value in raw.items():
        if not isinstance(value, str):
            raise _fail(path, rule, f"{key}.{name}", "expected a string")
    if ("bad" in raw) == ("good" in raw):
        raise _fail(path, rule, key, "an example has exactly one of 'bad' and 'good'")
    scope: Scope | None = None
    if "scope" in raw:
        try:
            scope = Scope(raw["scope"])
        except ValueError:
            valid = ", ".join(s.value for s in Scope)
            raise _fail(path, rule, f"{key}.scope", f"expected one of: {valid}") from None
    source: str | None = raw.get("source")
    if "good" in raw:
        if set(raw) - _CONTEXT_KEYS != {"good"}:
            raise _fail(path, rule, key, "a good example takes no fix, fixed or suggest")
        if MARK_OPEN in raw["good"] or MARK_CLOSE in raw["good"]:
            raise _fail(path, rule, f"{key}.good", "a good example has no ⟦marked span⟧")
        return Example(text=raw["good"], bad=False, source=source, scope=scope)
    marked: str = raw["bad"]
    if marked.count(MARK_OPEN) != 1 or marked.count(MARK_CLOSE) != 1:
        raise _fail(path, rule, f"{key}.bad", "a bad example marks exactly one ⟦span⟧")
    start = marked.index(MARK_OPEN)
    end = marked.index(MARK_CLOSE) - len(MARK_OPEN)
    if end < start:
        raise _fail(path, rule, f"{key}.bad", "⟦ must come before ⟧")
    text = marked.replace(MARK_OPEN, "").replace(MARK_CLOSE, "")
    return Example(
        text=text,
        bad=True,
        span=(start, end),
        fix=raw.get("fix"),
        fixed=raw.get("fixed"),
        suggest=raw.get("suggest"),
        source=source,
        scope=scope,
    )


def parse_rule(
    path: Path,
    pack_id: str,
    raw: Any,
    kinds: dict[str, type[Kind]],
    lazy: bool = False,
    warnings: list[str] | None = None,
) -> Rule:
    """Validate one ``[[rules]]`` table and set up its kind.

    A deprecated kind alias (see ``KIND_ALIASES``) loads the kind it names and appends a
    warning to ``warnings``.
    """
    if not isinstance(raw, dict):
        raise _fail(path, None, "rules", "expected an array of tables")
    label = str(raw.get("code") or raw.get("name") or "?")
    unknown = sorted(set(raw) - _RULE_KEYS)
    if unknown:
        raise _fail(path, label, unknown[0], "unknown rule key")
    for key in _REQUIRED_RULE_KEYS:
        if key not in raw:
            raise _fail(path, label, key, "required key is missing")
        if not isinstance(raw[key], str) or not raw[key].strip():
            raise _fail(path, label, key, "expected a non-empty string")
    code, name = raw["code"], raw["name"]
    if not _CODE.match(code):
        raise _fail(path, label, "code", f"{code!r} is not TQ followed by three digits")
    if not _NAME.match(name):
        raise _fail(path, label, "name", f"{name!r} is not kebab-case")
    try:
        severity = Severity(raw["severity"])
    except ValueError:
        raise _fail(path, label, "severity", "expected error, warning or info") from None
    if not _CATEGORY.match(raw["category"]):
        raise _fail(
            path,
            label,
            "category",
            "expected accuracy/..., fluency/..., style/..., locale/... or terminology/...",
        )
    try:
        applicability = Applicability(raw["applicability"])
    except ValueError:
        raise _fail(path, label, "applicability", "expected safe, unsafe or display-only") from None
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        raise _fail(path, label, "enabled", "expected true or false")
    scopes = raw.get("scopes", [])
    valid_scopes = {s.value for s in Scope}
    if not isinstance(scopes, list) or not all(s in valid_scopes for s in scopes):
        raise _fail(path, label, "scopes", f"expected a list of: {', '.join(sorted(valid_scopes))}")
    excluded = raw.get("exclude_scopes", [])
    if not isinstance(excluded, list) or not all(s in valid_scopes for s in excluded):
        raise _fail(
            path, label, "exclude_scopes", f"expected a list of: {', '.join(sorted(valid_scopes))}"
        )
    doc = raw.get("doc")
    if not isinstance(doc, dict):
        raise _fail(path, label, "doc", "a [rules.doc] table is required")
    for key in sorted(set(doc) - set(_DOC_KEYS)):
        raise _fail(path, label, f"doc.{key}", "unknown doc key")
    for key in _DOC_KEYS:
        if not isinstance(doc.get(key), str) or not doc[key].strip():
            raise _fail(path, label, f"doc.{key}", "required doc text is missing")
    raw_examples = raw.get("examples")
    if not isinstance(raw_examples, list):
        raise _fail(path, label, "examples", "at least one bad and one good example are required")
    examples = tuple(parse_example(path, label, i, e) for i, e in enumerate(raw_examples))
    if not any(e.bad for e in examples) or all(e.bad for e in examples):
        raise _fail(path, label, "examples", "at least one bad and one good example are required")
    kind_name: str = raw["kind"]
    if kind_name not in kinds and kind_name not in KIND_ALIASES:
        raise _fail(
            path, label, "kind", f"unknown kind {kind_name!r} (known: {', '.join(sorted(kinds))})"
        )
    params_raw = raw.get("params", {})
    if not isinstance(params_raw, dict):
        raise _fail(path, label, "params", "expected a table")
    if _is_alias(kind_name, params_raw, kinds):
        resolved, params_raw, warning = _resolve_alias(path, label, kind_name, params_raw, kinds)
        if warnings is not None:
            warnings.append(warning)
        kind_name = resolved
    try:
        kind = kinds[kind_name](Params(params_raw, lazy=lazy))
    except ParamError as exc:
        raise _fail(path, label, f"params.{exc.key}", str(exc)) from None
    return Rule(
        code=code,
        name=name,
        kind_name=kind_name,
        severity=severity,
        category=raw["category"],
        message=raw["message"],
        applicability=applicability,
        doc=RuleDoc(**{k: doc[k].strip() for k in _DOC_KEYS}),
        examples=examples,
        pack=pack_id,
        kind=kind,
        enabled=enabled,
        scopes=frozenset(Scope(s) for s in scopes),
        exclude_scopes=frozenset(Scope(s) for s in excluded),
        params=params_raw,
    )


def _is_alias(kind: str, params: dict[str, Any], kinds: dict[str, type[Kind]]) -> bool:
    """Say whether a rule's kind is a deprecated alias to resolve.

    An alias that is also a kind's name (``patronymic``, the old default mode) is the alias
    only when the rule gives the parameter the alias reads.
    """
    if kind not in KIND_ALIASES:
        return False
    return kind not in kinds or KIND_ALIASES[kind][0] in params


def _resolve_alias(
    path: Path, label: str, alias: str, params: dict[str, Any], kinds: dict[str, type[Kind]]
) -> tuple[str, dict[str, Any], str]:
    """Return the kind a deprecated alias names, its parameters, and the load-time warning.

    The old kind took every check's parameters on every rule; for the release the alias lives,
    a parameter of another check of the family is dropped with the warning, not an error.
    """
    key, names = KIND_ALIASES[alias]
    try:
        value = Params(params).get(key, str)  # the usual messages: missing, wrong type
        if value not in names:
            raise ParamError(key, "expected one of " + ", ".join(names))
    except ParamError as exc:
        raise _fail(path, label, f"params.{exc.key}", str(exc)) from None
    name = names[value]
    own = set(getattr(kinds[name], "parameters", ()))
    family = {p for n in names.values() for p in getattr(kinds[n], "parameters", ())}
    dropped = sorted(k for k in params if k != key and k in family and k not in own)
    kept = {k: v for k, v in params.items() if k != key and k not in dropped}
    unused = f"; {', '.join(dropped)} (not {name}'s) ignored" if dropped else ""
    warning = (
        f"{path}: rule {label}: kind = {alias!r} with {key} = {value!r} is deprecated and goes"
        f" in the next release: write kind = {name!r} (without {key}){unused}"
    )
    return name, kept, warning


# The shipped packs are under 200 KB together; a pack file over this is not one.
MAX_PACK_BYTES = 16 * 1024 * 1024


def load_pack(path: Path, kinds: dict[str, type[Kind]] | None = None) -> Pack:
    """Parse and validate one pack file."""
    kinds = kinds if kinds is not None else available_kinds()
    try:
        data = read_regular(path, MAX_PACK_BYTES)
    except OSError as exc:
        raise _fail(path, None, None, f"cannot read: {exc.strerror or exc}") from None
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        raw = parse_toml(data.decode("utf-8"), sha256)
    except UnicodeDecodeError:
        raise _fail(path, None, None, "not valid UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise _fail(path, None, None, f"invalid TOML: {exc}") from None
    unknown = sorted(set(raw) - _PACK_KEYS)
    if unknown:
        raise _fail(path, None, unknown[0], "unknown top-level key")
    meta = raw.get("pack")
    if not isinstance(meta, dict):
        raise _fail(path, None, "pack", "a [pack] table with id, version, description is required")
    for key in sorted(set(meta) - _PACK_META_KEYS):
        raise _fail(path, None, f"pack.{key}", "unknown pack key")
    if not isinstance(meta.get("id"), str) or not meta["id"]:
        raise _fail(path, None, "pack.id", "expected a non-empty string")
    if not isinstance(meta.get("version"), int):
        raise _fail(path, None, "pack.version", "expected an integer")
    rules_raw = raw.get("rules", [])
    if not isinstance(rules_raw, list):
        raise _fail(path, None, "rules", "expected [[rules]] tables")
    cache = get_cache()
    # A pack whose exact content was validated before loads with lazily compiled patterns.
    lazy = cache.is_validated(sha256)
    deprecated: list[str] = []
    rules = tuple(parse_rule(path, meta["id"], r, kinds, lazy, deprecated) for r in rules_raw)
    cache.mark_validated(sha256)
    risky = cache.risky.get(sha256) if lazy else None
    if risky is None:
        risky = [
            f"{rule.code}:{key}"
            for rule in rules
            for key, source in _regex_params(rule.params)
            if nested_unbounded_repeat(source)
        ]
        cache.mark_risky(sha256, risky)
    warnings = (*deprecated, *(_risky_warning(path, entry) for entry in risky))
    return Pack(
        id=meta["id"],
        version=meta["version"],
        description=str(meta.get("description", "")),
        path=path,
        sha256=sha256,
        rules=rules,
        warnings=warnings,
    )


def _risky_warning(path: Path, entry: str) -> str:
    """Return the load-time warning for a "CODE:key" entry (a bare code: its pattern)."""
    code, _, key = entry.partition(":")
    return (
        f"{path}: rule {code}: key '{key or 'params.pattern'}': nested unbounded repeats can"
        " backtrack catastrophically (a time budget stops the rule if it does)"
    )


_GUARD_KEYS = ("not_before", "not_after", "only_before", "only_after")


def _regex_params(params: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """Yield (key, source) for every regular expression in a rule's parameters.

    The pattern, the prefilter and each phrase guard all run under the time budget, and all
    get the load-time warning about nested repeats.
    """
    for key in ("pattern", "prefilter"):
        if isinstance(params.get(key), str):
            yield f"params.{key}", params[key]
    for table in ("phrases", "ngrams"):  # the phrase and n-gram kinds' guarded entries
        entries = params.get(table)
        if not isinstance(entries, list):
            continue
        for index, entry in enumerate(entries):
            if isinstance(entry, dict):
                for guard in _GUARD_KEYS:
                    if isinstance(entry.get(guard), str):
                        yield f"params.{table}[{index}].{guard}", entry[guard]


class RuleSet:
    """Hold the rules of the loaded packs, indexed by code and name."""

    def __init__(self, packs: Sequence[Pack]) -> None:
        """Index the packs' rules, rejecting duplicate codes and names across packs."""
        self.packs = tuple(packs)
        self.warnings = tuple(w for pack in self.packs for w in pack.warnings)
        self.by_code: dict[str, Rule] = {}
        self.by_name: dict[str, Rule] = {}
        for pack in self.packs:
            for rule in pack.rules:
                if rule.code in self.by_code:
                    other = self.by_code[rule.code].pack
                    raise _fail(
                        pack.path, rule.code, "code", f"duplicate code (also in pack {other})"
                    )
                if rule.name in self.by_name:
                    other = self.by_name[rule.name].pack
                    raise _fail(
                        pack.path,
                        rule.code,
                        "name",
                        f"duplicate name {rule.name!r} (also in pack {other})",
                    )
                self.by_code[rule.code] = rule
                self.by_name[rule.name] = rule
        self.rules = tuple(sorted(self.by_code.values(), key=lambda r: r.code))

    def find(self, selector: str) -> list[Rule]:
        """Return the rules a selector names: a code, a code prefix (TQ1, TQ10) or a name."""
        selector = selector.strip()
        if selector in self.by_name:
            return [self.by_name[selector]]
        upper = selector.upper()
        if upper == "ALL":
            return list(self.rules)
        if upper.startswith("TQ"):
            return [r for r in self.rules if r.code.startswith(upper)]
        return []

    def get(self, selector: str) -> Rule | None:
        """Return the rule with exactly this code or name."""
        return self.by_code.get(selector.upper()) or self.by_name.get(selector)

    def signature(self) -> str:
        """Return pack ids and content hashes, for reproducibility signatures."""
        return "+".join(f"{p.id}@{p.sha256[:10]}" for p in self.packs)


def load_rules(folders: Iterable[Path], plugins: tuple[str, ...] = ()) -> RuleSet:
    """Load every pack of the given folders into one rule set."""
    try:
        kinds = available_kinds(plugins)
    except LookupError as exc:
        raise PackError(f"configuration: {exc}") from None
    packs: list[Pack] = []
    for folder in folders:
        packs.extend(load_pack(path, kinds) for path in pack_files(folder))
    ruleset = RuleSet(packs)
    get_cache().save()
    return ruleset
