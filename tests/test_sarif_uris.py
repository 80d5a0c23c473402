"""SARIF artifact locations: ``%SRCROOT%`` defined, relative URIs under it, ``file://`` outside.

SARIF 2.1.0 §3.14.14 and §3.4: a ``uriBaseId`` names a base defined in the run's
``originalUriBaseIds`` (an absolute URI ending in a slash) and goes only with a relative
``uri``; a file the base does not contain gets an absolute ``file://`` URI and no base.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin

import pytest
from ci_helpers import BAD, pin_severities, sarif_errors

SRCROOT = "%SRCROOT%"
# RFC 3986 §4.1 URI-reference, character level: unreserved, reserved and pct-encoded only.
# The SARIF schema says format "uri-reference", but jsonschema checks that format only when
# an optional RFC 3986 package is installed, so the tests check the characters themselves.
URI_CHARS = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*")
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")

SPACED = "new folder/Ёлка é.txt"  # a space, Cyrillic and a Latin accent in one path


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Make a repository (``site``, with ``.git``) and a folder beside it; cwd in the repo."""
    site = tmp_path / "site"
    (site / ".git").mkdir(parents=True)
    (site / "content").mkdir()
    (tmp_path / "outside").mkdir()
    pin_severities(site)
    pin_severities(tmp_path / "outside")
    (site / "content" / "a.txt").write_text(BAD, encoding="utf-8")
    (tmp_path / "outside" / "b.txt").write_text(BAD, encoding="utf-8")
    monkeypatch.chdir(site)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    return site


def sarif(cli: Any, *args: str) -> dict[str, Any]:
    """Run ``tqcheck check ARGS -f sarif``; return the run, checked against the schema."""
    code, out, _ = cli("check", *args, "--format", "sarif", "--fail-on", "never")
    assert code in (0, 1, 2)
    log = json.loads(out)
    assert sarif_errors(log) == []
    (run,) = log["runs"]
    for location in artifact_locations(run):
        assert_valid_location(run, location)
    return dict(run)


def artifact_locations(run: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Yield every artifactLocation of a run but the base definitions themselves."""
    for artifact in run.get("artifacts", []):
        yield artifact["location"]
    for result in run["results"]:
        for location in result["locations"]:
            yield location["physicalLocation"]["artifactLocation"]
        for fix in result.get("fixes", []):
            for change in fix["artifactChanges"]:
                yield change["artifactLocation"]
    for invocation in run["invocations"]:
        for note in invocation["toolExecutionNotifications"]:
            for location in note.get("locations", []):
                yield location["physicalLocation"]["artifactLocation"]


def assert_valid_location(run: dict[str, Any], location: dict[str, Any]) -> None:
    """Check a location as a consumer would: a URI, and a base only with a relative one."""
    uri = location["uri"]
    assert URI_CHARS.fullmatch(uri), uri
    if SCHEME.match(uri):
        assert "uriBaseId" not in location, location
        assert uri.startswith("file:///"), uri
    elif uri != "-":
        assert location.get("uriBaseId") == SRCROOT, location
        assert SRCROOT in run["originalUriBaseIds"]
        assert not uri.startswith(("/", "../")), uri


def resolve(run: dict[str, Any], location: dict[str, Any]) -> str:
    """Return the absolute URI a consumer resolves a location to."""
    if "uriBaseId" not in location:
        return str(location["uri"])
    base = run["originalUriBaseIds"][location["uriBaseId"]]["uri"]
    return urljoin(base, location["uri"])


def locations_of(run: dict[str, Any], uri: str) -> list[dict[str, Any]]:
    return [loc for loc in artifact_locations(run) if loc["uri"] == uri]


def test_srcroot_is_defined_as_the_repository_root(cli: Any, repo: Path) -> None:
    run = sarif(cli, "content/a.txt")
    base = run["originalUriBaseIds"][SRCROOT]
    assert base == {"uri": repo.resolve().as_uri() + "/"}
    assert base["uri"].startswith("file:///") and base["uri"].endswith("/")


def test_a_file_under_the_root_is_relative_to_srcroot(cli: Any, repo: Path) -> None:
    (repo / "content" / "news").mkdir()
    (repo / "content" / "news" / "c.txt").write_text(BAD, encoding="utf-8")
    # One path as given relative to cwd, one absolute: both are under the root.
    run = sarif(cli, "content/a.txt", str(repo / "content" / "news" / "c.txt"))
    for name in ("content/a.txt", "content/news/c.txt"):
        found = locations_of(run, name)
        # the artifact, at least one result, and its fix
        assert len(found) >= 3, (name, found)
        for location in found:
            assert location["uriBaseId"] == SRCROOT
            assert resolve(run, location) == (repo / name).resolve().as_uri()
    assert any("fixes" in r for r in run["results"])


def test_paths_are_relative_to_the_root_from_a_subfolder(
    cli: Any, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo / "content")
    run = sarif(cli, "a.txt")
    assert run["originalUriBaseIds"][SRCROOT]["uri"] == repo.resolve().as_uri() + "/"
    assert {a["location"]["uri"] for a in run["artifacts"]} == {"content/a.txt"}


@pytest.mark.parametrize("spelling", ["absolute", "relative"])
def test_a_file_outside_the_root_is_an_absolute_file_uri(
    cli: Any, repo: Path, spelling: str
) -> None:
    target = repo.parent / "outside" / "b.txt"
    given = str(target) if spelling == "absolute" else "../outside/b.txt"
    run = sarif(cli, "content/a.txt", given, "--max-penalty", "0")
    expected = target.resolve().as_uri()
    found = locations_of(run, expected)
    # artifact, results, fix, and the --max-penalty notification
    assert len(found) >= 4, json.dumps(run["artifacts"])
    assert all("uriBaseId" not in location for location in found)
    notes = run["invocations"][0]["toolExecutionNotifications"]
    gate = [n for n in notes if n["descriptor"]["id"] == "mqm-penalty"]
    assert {n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for n in gate} == {
        "content/a.txt",
        expected,
    }
    assert set(run["properties"]["unconfirmedIssueScore"]["failed"]) == {
        "content/a.txt",
        expected,
    }
    # The file under the root keeps its relative URI in the same run.
    assert locations_of(run, "content/a.txt")


def test_file_errors_follow_the_same_rule(cli: Any, repo: Path) -> None:
    outside = repo.parent / "outside" / "missing.txt"
    run = sarif(cli, "content/missing.txt", str(outside))
    notes = run["invocations"][0]["toolExecutionNotifications"]
    errors = [n for n in notes if n["descriptor"]["id"] == "file-error"]
    by_uri = {n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: n for n in errors}
    assert set(by_uri) == {"content/missing.txt", outside.resolve().as_uri()}
    inside = by_uri["content/missing.txt"]["locations"][0]["physicalLocation"]
    assert inside["artifactLocation"]["uriBaseId"] == SRCROOT


def test_space_and_non_ascii_are_percent_encoded(cli: Any, repo: Path) -> None:
    inside = repo / "content" / SPACED
    outside = repo.parent / "outside" / SPACED
    for path in (inside, outside):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(BAD, encoding="utf-8")
    run = sarif(cli, f"content/{SPACED}", str(outside))
    relative = "content/new%20folder/%D0%81%D0%BB%D0%BA%D0%B0%20%C3%A9.txt"
    absolute = outside.resolve().as_uri()
    assert absolute.endswith("/new%20folder/%D0%81%D0%BB%D0%BA%D0%B0%20%C3%A9.txt")
    assert {a["location"]["uri"] for a in run["artifacts"]} == {relative, absolute}
    assert unquote(relative) == f"content/{SPACED}"
    for location in locations_of(run, relative):
        assert resolve(run, location) == inside.resolve().as_uri()
    assert all("uriBaseId" not in loc for loc in locations_of(run, absolute))
    assert len(locations_of(run, absolute)) >= 3


def test_characters_a_uri_reserves_are_encoded(cli: Any, repo: Path) -> None:
    # "a:b" would read as a URI scheme, "#" as a fragment and "%" as an escape.
    name = "content/a:b #1 50%.txt"
    (repo / name).write_text(BAD, encoding="utf-8")
    run = sarif(cli, name)
    (artifact,) = run["artifacts"]
    assert artifact["location"]["uri"] == "content/a%3Ab%20%231%2050%25.txt"
    assert resolve(run, artifact["location"]) == (repo / name).resolve().as_uri()


def test_stdin_claims_no_base(cli: Any, repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(BAD.encode("utf-8"))))
    run = sarif(cli, "-")
    (artifact,) = run["artifacts"]
    assert artifact["location"]["uri"] == "-"
    found = list(artifact_locations(run))
    assert len(found) >= 3 and all(loc["uri"] == "-" for loc in found)
    assert all("uriBaseId" not in loc for loc in found)


def test_without_a_repository_the_working_folder_is_the_root(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As for the other reporters: no .git above, so paths are relative to the working folder.
    folder = tmp_path / "plain"
    folder.mkdir()
    pin_severities(folder)
    (folder / "a.txt").write_text(BAD, encoding="utf-8")
    monkeypatch.chdir(folder)
    if any((p / ".git").exists() for p in (folder, *folder.parents)):
        pytest.skip("the temporary folder is inside a repository")
    run = sarif(cli, "a.txt")
    assert run["originalUriBaseIds"][SRCROOT]["uri"] == folder.resolve().as_uri() + "/"
    assert {a["location"]["uri"] for a in run["artifacts"]} == {"a.txt"}
