"""Reproducible speed benchmark: tqcheck against proselint, textlint (prh) and ripgrep.

    python -m bench.perf [--repeats 3] [--workdir DIR] [--no-readme] [--no-profile]

Builds its corpora from the WMT22 ru-en system outputs in a work folder (a temporary one by
default, never in the repository):

- ``wmt10.en``: the ten system outputs concatenated, one segment per line (2.07 MB);
- ``articles/``: the same text cut into ~1,000 article-sized ``.txt`` files (whole WMT
  documents, paragraphs separated by blank lines);
- ``wmt10x10.en``: ``wmt10.en`` repeated ten times.

Every tool runs as a whole process (start-up included), ``--repeats`` times; the table shows the
median wall time, MB/s and peak RSS (``/usr/bin/time -f %M``, or ``getrusage`` of the children
when it is missing), and each peer's time as a multiple of tqcheck's on the same corpus in the
same run. Peers that are not installed are listed as such. ripgrep and textlint look for
tqcheck's own phrase list (``tqcheck rules --export-phrases``), proselint runs its own rules.
The table, the machine and a py-spy profile of a tqcheck run go to ``bench/README.md``
("Performance" section).
"""

from __future__ import annotations

import argparse
import collections
import datetime
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench import corpus

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "bench" / "README.md"
BIN = Path(sys.executable).parent
ARTICLE_BYTES = 1300  # whole documents up to ~1.3 KB: ~1,000 files from 2.07 MB
HEADING = "## Performance"


@dataclass
class Timing:
    """Hold the runs of one command."""

    label: str
    corpus: str
    size: int  # bytes of input
    seconds: list[float]
    rss_kb: list[int]
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def mb_s(self) -> float:
        return self.size / 1e6 / self.median if self.size else 0.0

    @property
    def rss_mb(self) -> float:
        return max(self.rss_kb) / 1024 if self.rss_kb else 0.0


def tool(name: str) -> str | None:
    """Return the path of a command: the virtualenv's first, then PATH."""
    local = BIN / name
    if local.exists():
        return str(local)
    return shutil.which(name)


def run(
    cmd: list[str], repeats: int, cwd: Path, *, env: dict[str, str] | None = None
) -> tuple[list[float], list[int]]:
    """Run a command repeats times; return wall seconds and peak RSS (KB) of each run."""
    timer = Path("/usr/bin/time")
    seconds: list[float] = []
    rss: list[int] = []
    for _ in range(repeats):
        with tempfile.NamedTemporaryFile("r", suffix=".rss") as out:
            full = [str(timer), "-f", "%M", "-o", out.name, *cmd] if timer.exists() else cmd
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            start = time.perf_counter()
            proc = subprocess.run(
                full,
                cwd=cwd,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                env=env,
                check=False,
            )
            seconds.append(time.perf_counter() - start)
            if proc.returncode not in (0, 1):
                raise RuntimeError(
                    f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr.decode()[-500:]}"
                )
            if timer.exists():
                text = out.read().strip().splitlines()
                rss.append(int(text[-1]) if text else 0)
            else:
                after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
                rss.append(max(after, before))
    return seconds, rss


def build(workdir: Path) -> dict[str, Path]:
    """Write the corpora into workdir and return their paths."""
    systems = corpus.load_systems()
    if len(systems) != 10:
        raise SystemExit(f"expected 10 WMT22 system outputs, found {len(systems)}")
    docs = corpus.load_docs()
    wmt10 = workdir / "wmt10.en"
    text = "".join(line + "\n" for lines in systems.values() for line in lines)
    wmt10.write_text(text, encoding="utf-8")
    (workdir / "wmt10.txt").write_text(text, encoding="utf-8")  # textlint reads .txt only
    (workdir / "wmt10x10.en").write_text(text * 10, encoding="utf-8")
    articles = workdir / "articles"
    if articles.exists():
        shutil.rmtree(articles)
    articles.mkdir()
    count = 0
    for name, lines in systems.items():
        paragraphs: list[str] = []
        last_doc = None
        for index, line in enumerate(lines):
            doc = docs[index].doc_id if index in docs else None
            size = sum(len(p.encode()) + 2 for p in paragraphs)
            if paragraphs and doc != last_doc and size >= ARTICLE_BYTES:
                count += 1
                (articles / f"{count:04d}-{name}.txt").write_text(
                    "\n\n".join(paragraphs) + "\n", encoding="utf-8"
                )
                paragraphs = []
            last_doc = doc
            if line.strip():
                paragraphs.append(line.strip())
        if paragraphs:
            count += 1
            (articles / f"{count:04d}-{name}.txt").write_text(
                "\n\n".join(paragraphs) + "\n", encoding="utf-8"
            )
    small = workdir / "small.txt"
    shutil.copy(sorted(articles.iterdir())[0], small)
    return {
        "wmt10": wmt10,
        "wmt10txt": workdir / "wmt10.txt",
        "x10": workdir / "wmt10x10.en",
        "articles": articles,
        "small": small,
    }


def size_of(path: Path) -> int:
    """Return the bytes of a file or of every file in a folder."""
    if path.is_dir():
        return sum(p.stat().st_size for p in path.iterdir())
    return path.stat().st_size


def machine() -> str:
    """Describe the machine: cores, CPU model, Python."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[2]
    return (
        f"{os.cpu_count()} cores (nproc {_nproc()}), {model}, Python {platform.python_version()}, {platform.system()} {platform.release()}"
        f" (15-minute load average {load:.2f} at the end: other processes shared the cores)"
    )


def _nproc() -> str:
    try:
        return subprocess.run(["nproc"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def _version(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    return (
        (out.stdout or out.stderr).strip().splitlines()[0]
        if (out.stdout or out.stderr).strip()
        else "?"
    )


def benchmark(
    paths: dict[str, Path], workdir: Path, repeats: int
) -> tuple[list[Timing], list[str], list[str]]:
    """Run every tool; return timings, notes and the tool versions."""
    tq = tool("tqcheck")
    if tq is None:
        raise SystemExit("tqcheck is not installed")
    timings: list[Timing] = []
    notes: list[str] = []
    versions = [_version([tq, "--version"])]
    check_help = subprocess.run(
        [tq, "check", "--help"], capture_output=True, text=True, check=False
    ).stdout

    def measure(
        label: str, name: str, cmd: list[str], path: Path, n: int = repeats, note: str = ""
    ) -> Timing:
        print(f"  {label} on {name} x{n} ...", file=sys.stderr, flush=True)
        seconds, rss = run(cmd, n, workdir)
        timing = Timing(label, name, size_of(path), seconds, rss, note)
        timings.append(timing)
        print(
            f"    median {timing.median:.2f} s, {timing.mb_s:.2f} MB/s, {timing.rss_mb:.0f} MB",
            file=sys.stderr,
            flush=True,
        )
        return timing

    def tq_check(path: Path, *extra: str) -> list[str]:
        return [
            tq,
            "check",
            str(path),
            "--format",
            "jsonl",
            "-o",
            "/dev/null",
            "--exit-zero",
            *extra,
        ]

    # Export the phrase list from tqcheck itself, for ripgrep and textlint.
    phrases = workdir / "phrases.txt"
    prh = workdir / "prh.yml"
    for fmt, target in (("text", phrases), ("prh", prh)):
        out = subprocess.run(
            [tq, "rules", "--export-phrases", "--format", fmt],
            capture_output=True,
            text=True,
            check=True,
        )
        target.write_text(out.stdout, encoding="utf-8")
    textlintrc = workdir / "textlintrc.json"
    textlintrc.write_text(
        json.dumps({"rules": {"prh": {"rulePaths": [str(prh)]}}}), encoding="utf-8"
    )
    # proselint stops after 1,000 findings per file by default; lift the cap so it does
    # the whole job, as tqcheck does.
    proselintrc = workdir / "proselintrc.json"
    proselintrc.write_text(json.dumps({"max_errors": 10**9}), encoding="utf-8")
    notes.append(
        f"ripgrep and textlint-rule-prh look for tqcheck's {len(phrases.read_text().splitlines())} phrases (`tqcheck rules --export-phrases`); proselint runs its own default checks, with its 1,000-findings-per-file cap lifted (`max_errors`)."
    )

    no_cache = ("--no-cache",) if "--no-cache" in check_help else ()
    # One process on one core, as the peers run: --jobs 1.
    one_core = ("--jobs", "1") if "--jobs" in check_help else ()
    for key, name in (("wmt10", "wmt10.en"), ("articles", "articles/")):
        path = paths[key]
        measure("tqcheck", name, tq_check(path, *one_core, *no_cache), path)
        rg = tool("rg")
        if rg:
            measure(
                "ripgrep", name, [rg, "-n", "-i", "-w", "-F", "-f", str(phrases), str(path)], path
            )
        proselint = tool("proselint")
        if proselint:
            target = paths["wmt10txt"] if key == "wmt10" else path
            command = [proselint, "check", "--config", str(proselintrc), str(target)]
            measure("proselint", name, command, path)
        textlint = tool("textlint")
        if textlint:
            target = paths["wmt10txt"] if key == "wmt10" else path
            measure(
                "textlint+prh",
                name,
                [textlint, "--config", str(textlintrc), "-f", "json", str(target)],
                path,
            )
    for name, found in (
        ("ripgrep", tool("rg")),
        ("proselint", tool("proselint")),
        ("textlint", tool("textlint")),
    ):
        if found is None:
            notes.append(f"{name}: not installed, not measured.")
    if tool("rg"):
        versions.append(_version([tool("rg") or "rg", "--version"]))
    if tool("proselint"):
        versions.append(
            "proselint "
            + _version(
                [
                    sys.executable,
                    "-c",
                    "import importlib.metadata as m; print(m.version('proselint'))",
                ]
            )
        )
    if tool("textlint"):
        versions.append("textlint " + _version([tool("textlint") or "textlint", "--version"]))

    # Linearity: x10 against x1 (same process shape, ten times the input).
    one = measure(
        "tqcheck", "wmt10x10.en", tq_check(paths["x10"], *one_core, *no_cache), paths["x10"]
    )

    if "--jobs" in check_help:
        two = measure(
            "tqcheck --jobs 2",
            "wmt10x10.en",
            tq_check(paths["x10"], "--jobs", "2", *no_cache),
            paths["x10"],
        )
        notes.append(
            f"--jobs 2 vs --jobs 1 on wmt10x10.en: {one.median / two.median:.2f}x the throughput."
        )
    else:
        notes.append("`tqcheck check --jobs` does not exist yet: parallel throughput not measured.")

    if no_cache:
        cold = measure(
            "tqcheck --no-cache (cold)",
            "articles/",
            tq_check(paths["articles"], *one_core, "--no-cache"),
            paths["articles"],
        )
        run(tq_check(paths["articles"], *one_core), 1, workdir)  # fill the cache
        warm = measure(
            "tqcheck (warm cache)",
            "articles/",
            tq_check(paths["articles"], *one_core),
            paths["articles"],
        )
        notes.append(
            f"Warm result cache over articles/: {cold.median / warm.median:.1f}x faster than cold."
        )
    else:
        notes.append(
            "`tqcheck check --no-cache` does not exist yet (no result cache): warm vs cold not measured."
        )

    measure(
        "tqcheck (start-up)",
        "small.txt",
        # --no-cache: a pre-commit run checks files that just changed.
        [tq, "check", str(paths["small"]), "--exit-zero", "-q", "--no-cache"],
        paths["small"],
        max(repeats, 5),
    )
    measure("tqcheck --version", "-", [tq, "--version"], paths["small"], max(repeats, 5))
    timings[-1].size = 0
    return timings, notes, versions


def table(timings: list[Timing]) -> str:
    """Render the timings as a markdown table, with each tool's time relative to tqcheck's."""
    base = {t.corpus: t.median for t in timings if t.label == "tqcheck"}
    rows = [
        "| tool | corpus | MB | runs | median s | MB/s | peak RSS MB | time vs tqcheck |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for t in timings:
        ratio = (
            f"{t.median / base[t.corpus]:.2f}x" if t.corpus in base and t.label != "tqcheck" else ""
        )
        mb = f"{t.size / 1e6:.2f}" if t.size else "-"
        speed = f"{t.mb_s:.2f}" if t.size else "-"
        rows.append(
            f"| {t.label} | {t.corpus} | {mb} | {len(t.seconds)} | {t.median:.3f} | {speed} | {t.rss_mb:.0f} | {ratio} |"
        )
    return "\n".join(rows)


def profile(paths: dict[str, Path], workdir: Path, top: int = 15) -> str:
    """Profile one tqcheck run over wmt10.en with py-spy; return the top costs as markdown."""
    spy = tool("py-spy")
    if spy is None:
        return "py-spy is not installed: no profile."
    raw = workdir / "profile.txt"
    cmd = [
        spy,
        "record",
        "-r",
        "200",
        "-f",
        "raw",
        "-o",
        str(raw),
        "--",
        sys.executable,
        "-m",
        "tqcheck",
        "check",
        str(paths["wmt10"]),
        "--format",
        "jsonl",
        "-o",
        "/dev/null",
        "--exit-zero",
        "--no-cache",
        "--jobs",
        "1",  # in this process, where py-spy samples
    ]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    if proc.returncode != 0 or not raw.exists():
        return f"py-spy failed: {proc.stderr.strip()[-300:]}"
    own: collections.Counter[str] = collections.Counter()
    total_in: collections.Counter[str] = collections.Counter()
    samples = 0
    for line in raw.read_text(encoding="utf-8").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        samples += n
        frames = [re.sub(r":\d+\)$", ")", f) for f in stack.split(";")]
        own[frames[-1]] += n
        for frame in set(frames):
            total_in[frame] += n
    lines = [
        f"py-spy, 200 samples/s, one `tqcheck check wmt10.en --format jsonl --no-cache --jobs 1` run ({samples} samples).",
        "",
        "| self % | function (file) |",
        "|---:|---|",
    ]
    lines += [f"| {100 * n / samples:.1f} | `{name}` |" for name, n in own.most_common(top)]
    ours = [
        (name, n)
        for name, n in total_in.most_common()
        if "tqcheck/" in name and "__main__" not in name and "cli.py" not in name
    ]
    lines += ["", "| inclusive % | tqcheck function (file) |", "|---:|---|"]
    lines += [f"| {100 * n / samples:.1f} | `{name}` |" for name, n in ours[:top]]
    return "\n".join(lines)


def write_readme(section: str) -> None:
    """Write the Performance section of bench/README.md, keeping every other section."""
    old = README.read_text(encoding="utf-8") if README.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(old):
        new = pattern.sub(lambda _: section, old, count=1)
    else:
        new = old.rstrip("\n") + "\n\n" + section
    README.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Build the corpora, run the tools, print the table and write it to bench/README.md."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.perf", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--repeats", type=int, default=3, help="runs per measurement (median; at least 3)"
    )
    parser.add_argument(
        "--workdir", type=Path, help="folder for the corpora (default: a temporary one)"
    )
    parser.add_argument(
        "--no-readme", action="store_true", help="print only; leave bench/README.md alone"
    )
    parser.add_argument("--no-profile", action="store_true", help="skip the py-spy profile")
    args = parser.parse_args(argv)
    if corpus.corpus_dir() is None:
        print("WMT22 corpus not found; set TQCHECK_WMT_DIR", file=sys.stderr)
        return 2
    repeats = max(3, args.repeats)
    with tempfile.TemporaryDirectory(prefix="tqcheck-perf-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        paths = build(workdir)
        n_articles = sum(1 for _ in paths["articles"].iterdir())
        wmt_mb = size_of(paths["wmt10"]) / 1e6
        print(
            f"corpora in {workdir}: wmt10.en {size_of(paths['wmt10']) / 1e6:.2f} MB, {n_articles} articles, x10 {size_of(paths['x10']) / 1e6:.1f} MB",
            file=sys.stderr,
        )
        timings, notes, versions = benchmark(paths, workdir, repeats)
        prof = "" if args.no_profile else profile(paths, workdir)
    by = {(t.label, t.corpus): t for t in timings}
    x1, x10 = by.get(("tqcheck", "wmt10.en")), by.get(("tqcheck", "wmt10x10.en"))
    if x1 and x10:
        notes.append(
            f"Linearity: wmt10x10.en takes {x10.median / x1.median:.2f}x the time of wmt10.en (10.00 would be linear; start-up is paid once)."
        )
    body = table(timings)
    today = datetime.date.today().isoformat()
    section = "\n".join(
        [
            HEADING,
            "",
            f"Measured {today} with `python -m bench.perf` on {machine()}.",
            f"Tools: {'; '.join(versions)}.",
            f"Corpora (built from the WMT22 ru-en system outputs): `wmt10.en`, the ten systems, one segment per line ({wmt_mb:.2f} MB); "
            f"`articles/`, the same text as {n_articles} article files (whole documents, blank-line paragraphs); `wmt10x10.en`, ten copies. "
            f"Each tool is timed as a whole process (start-up included), median of {repeats}; `time vs tqcheck` is the tool's median over tqcheck's on the same corpus in the same run (above 1 is slower than tqcheck). "
            "tqcheck runs every default rule: `tqcheck check FILE --format jsonl -o /dev/null --exit-zero --no-cache --jobs 1` "
            "(one process, one core, like the peers) unless the label says otherwise; the result-cache rows use the cache, still with `--jobs 1`.",
            "",
            body,
            "",
            *[f"- {note}" for note in notes],
            "",
            *(["### Profile", "", prof, ""] if prof else []),
        ]
    )
    print(section)
    if not args.no_readme:
        write_readme(section + "\n")
        print(f"wrote {README.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
