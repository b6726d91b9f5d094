"""The scale benchmark: the real content and synthetic sites of 100 and 1,000 conditions.

For each size it measures the generator stages (load to rendered Markdown, in a
fresh process, best of five spread before and after the builds, with their median),
the full site build (`python -m generator build`), the floor (plain `mkdocs build`
with the same mkdocs.yml settings and theme building the same rendered Markdown,
without the generator's plugin and Markdown extension), peak memory of the build,
and the size of the site and of its search index. Then it measures the live preview at every size
(bench/preview.py: save to page, median of 3; the longest request wait during those rebuilds; memory
over 20 saves at the largest size). It prints the tables and writes the same figures to bench.json.

Usage: python bench/run.py [--sizes 3 100 1000] [--json bench.json] [--no-preview]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import preview as preview_bench  # noqa: E402
from synthetic import make_content  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
REAL_SIZE = 3  # the row measured on the real content in content/
DEFAULT_SIZES = (REAL_SIZE, 100, 1000)
STAGES = ("load", "validate", "link", "render")
STAGE_RUNS = 5  # the machine's speed varies from minute to minute: the fastest run is the least disturbed
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


@dataclass
class Row:
    """The figures for one content size; the first nine keys are the ones the issue asks for."""

    n: int  # REAL_SIZE for the real content, whatever its number of conditions
    generator_s: float  # load to rendered Markdown (the fastest of STAGE_RUNS)
    build_s: float  # python -m generator build
    floor_s: float  # plain mkdocs build of the same Markdown, no generator plugin
    peak_mb: float  # of the build, child processes included
    pages: int
    site_bytes: int
    bytes_per_page: int  # HTML bytes per page: what the navigation and page template add per page
    search_index_bytes: int
    search_index_gzip_bytes: int = 0  # what a reader downloads from a server that compresses
    stages_s: dict[str, float] = field(default_factory=dict)
    generator_median_s: float = 0.0  # the median of the STAGE_RUNS runs
    build_to_floor: float = 0.0
    generator_share: float = 0.0  # generator_s / build_s
    generator_cpu_s: float = 0.0
    build_cpu_s: float = 0.0
    floor_cpu_s: float = 0.0
    build_to_floor_cpu: float = 0.0
    generator_share_cpu: float = 0.0
    floor_peak_mb: float = 0.0
    floor_bytes_per_page: int = 0
    preview_rebuild_s: float | None = None  # live preview: save one YAML file -> page served changed (median)
    preview: dict[str, Any] | None = None  # every live-preview figure (bench/preview.py's PreviewRow)
    conditions: int = 0
    content: str = ""


# --- measuring ----------------------------------------------------------------------


class Timing(NamedTuple):
    wall_s: float
    cpu_s: float  # user + system time: on a busy machine a steadier figure than the wall clock
    peak_mb: float


def timed_run(args: list[str], cwd: Path) -> Timing:
    """Run a command; return its wall and CPU time and its peak memory, child processes included."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed in {cwd}:\n{output.decode(errors='replace')[-3000:]}")
    # wait4 covers the child and the children it waited for; Linux gives ru_maxrss in kilobytes.
    return Timing(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def stage_run(content: Path) -> dict[str, Any]:
    """One cold run of load, validate, link and render, in a fresh process: its timings and navigation."""
    done = subprocess.run([sys.executable, __file__, "--stages-only", str(content)], env=ENV,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip()[-3000:])
    return json.loads(done.stdout)


def fastest(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The fastest of the stage runs, with the median of their totals."""
    totals = sorted(sum(run["timings"].values()) for run in runs)
    best = min(runs, key=lambda run: sum(run["timings"].values()))
    return {**best, "median_s": totals[len(totals) // 2]}


def _stages_only(content: Path) -> None:
    """Worker: run the pipeline once in this fresh process, as the build runs it, and print its timings and navigation.

    As in the build, without the paragraphs' reading levels (the checker's warnings that need the CMU dictionary).
    """
    from generator import pipeline

    cpu_start = _cpu_seconds()
    result = pipeline.run(content, today=dt.date.today(), overdue_is_error=False, reading_level=False)
    cpu_s = _cpu_seconds() - cpu_start
    if not result.ok or result.rendered is None:
        raise SystemExit("the content has errors:\n" + "\n".join(map(str, result.diagnostics)))
    conditions = len(result.site.conditions) if result.site else 0
    print(json.dumps({"timings": result.timings, "cpu_s": cpu_s, "nav": result.rendered.nav, "conditions": conditions}))


def _cpu_seconds() -> float:
    """User and system time of this process."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def make_project(workdir: Path, content: Path) -> Path:
    """A throwaway copy of the project layout around the given content (as tests/test_build.py makes it)."""
    project = workdir / "project"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project)
    (project / "theme").symlink_to(ROOT / "theme")
    (project / "generator").symlink_to(ROOT / "generator")
    if content.resolve() != (project / "content").resolve():
        shutil.copytree(content, project / "content")
    return project


def write_floor_config(project: Path, markdown: Path, nav: list[Any]) -> Path:
    """mkdocs.yml without the generator (its plugin and Markdown extension), building the rendered Markdown with its nav."""
    from mkdocs.utils.yaml import yaml_load

    with open(project / "mkdocs.yml", encoding="utf-8") as f:
        config = yaml_load(f)
    config["plugins"] = [plugin for plugin in config.get("plugins", [])
                         if (plugin if isinstance(plugin, str) else next(iter(plugin))) != "cramp-help"]
    config.pop("watch", None)
    # The generator's own Markdown extension is generator work too: the floor is MkDocs, Material and
    # Python-Markdown's extensions only.
    config["markdown_extensions"] = [
        ext for ext in config.get("markdown_extensions", [])
        if not (ext if isinstance(ext, str) else next(iter(ext))).startswith("generator.")
    ]
    config["docs_dir"] = str(markdown)
    config["nav"] = nav
    floor = project / "floor.yml"
    floor.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return floor


def site_figures(site: Path, pages: int) -> tuple[int, int, int, int]:
    """Total bytes of the site, HTML bytes per page (404 page left out), search index bytes and gzipped bytes."""
    total = html = 0
    for path in site.rglob("*"):
        if path.is_file():
            size = path.stat().st_size
            total += size
            if path.suffix == ".html" and path.name != "404.html":
                html += size
    index = (site / "search" / "search_index.json").read_bytes()
    return total, round(html / max(pages, 1)), len(index), len(gzip.compress(index, mtime=0))


def measure(n: int, workdir: Path, *, repeat: int) -> Row:
    """Every figure for one content size; builds are timed `repeat` times and the fastest run kept."""
    if n == REAL_SIZE:
        content, label = ROOT / "content", "real content/"
    else:
        content, label = workdir / "content", "synthetic"
        make_content(content, n)
    project = make_project(workdir, content)
    # The stage runs are spread out, some before the builds and some after, so that one busy spell of the
    # machine does not slow them all.
    runs = [stage_run(project / "content") for _ in range(STAGE_RUNS - STAGE_RUNS // 2)]
    python = sys.executable
    timed_run([python, "-m", "generator", "render", "--allow-overdue", "--out", "markdown"], project)
    pages = sum(1 for _ in (project / "markdown").rglob("*.md"))
    floor_config = write_floor_config(project, project / "markdown", runs[0]["nav"])
    floor_command = [python, "-m", "mkdocs", "build", "--strict", "--clean", "-q", "-f", str(floor_config),
                     "-d", "floor-site"]
    build_command = [python, "-m", "generator", "build", "--allow-overdue"]
    floors, builds = [], []
    for _ in range(repeat):  # taking turns, so a busy moment of the machine hits both alike
        floors.append(timed_run(floor_command, project))
        builds.append(timed_run(build_command, project))
    floor, build = min(floors), min(builds)
    runs += [stage_run(project / "content") for _ in range(STAGE_RUNS // 2)]
    stages = fastest(runs)
    site_bytes, per_page, search_bytes, search_gzip_bytes = site_figures(project / "site", pages)
    _, floor_per_page, _, _ = site_figures(project / "floor-site", pages)
    generator_s = sum(stages["timings"].values())
    return Row(
        n=n, generator_s=round(generator_s, 3), build_s=round(build.wall_s, 2), floor_s=round(floor.wall_s, 2),
        peak_mb=round(build.peak_mb, 1), pages=pages, site_bytes=site_bytes, bytes_per_page=per_page,
        search_index_bytes=search_bytes, search_index_gzip_bytes=search_gzip_bytes,
        stages_s={k: round(stages["timings"][k], 3) for k in STAGES}, generator_median_s=round(stages["median_s"], 3),
        build_to_floor=round(build.wall_s / floor.wall_s, 2), generator_share=round(generator_s / build.wall_s, 3),
        generator_cpu_s=round(stages["cpu_s"], 3), build_cpu_s=round(build.cpu_s, 2),
        floor_cpu_s=round(floor.cpu_s, 2),
        build_to_floor_cpu=round(build.cpu_s / floor.cpu_s, 2),
        generator_share_cpu=round(stages["cpu_s"] / build.cpu_s, 3),
        floor_peak_mb=round(floor.peak_mb, 1), floor_bytes_per_page=floor_per_page,
        conditions=stages["conditions"], content=label,
    )


# --- reporting ----------------------------------------------------------------------


def _table(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(line[i]) for line in (head, *rows)) for i in range(len(head))]
    lines = ["  ".join(cell.rjust(w) for cell, w in zip(line, widths)) for line in (head, *rows)]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def table(rows: list[Row]) -> str:
    """The figures as two plain-text tables, time then size, with what each column means."""
    times = _table(
        ("n", "pages", "load", "validate", "link", "render", "generator", "gen median", "build", "floor", "build/floor",
         "gen/build", "gen cpu", "build cpu", "floor cpu", "cpu ratio"),
        [(str(r.n), str(r.pages), *(f"{r.stages_s[s]:.3f}" for s in STAGES), f"{r.generator_s:.3f}",
          f"{r.generator_median_s:.3f}",
          f"{r.build_s:.2f}", f"{r.floor_s:.2f}", f"{r.build_to_floor:.2f}x", f"{r.generator_share:.1%}",
          f"{r.generator_cpu_s:.2f}", f"{r.build_cpu_s:.2f}", f"{r.floor_cpu_s:.2f}", f"{r.build_to_floor_cpu:.2f}x")
         for r in rows],
    )
    sizes = _table(
        ("n", "conditions", "pages", "peak MB", "floor peak MB", "site MB", "KB/page", "floor KB/page",
         "search KB", "search gzip KB", "preview s"),
        [(str(r.n), str(r.conditions), str(r.pages), f"{r.peak_mb:.0f}", f"{r.floor_peak_mb:.0f}",
          f"{r.site_bytes / 1e6:.1f}", f"{r.bytes_per_page / 1e3:.1f}", f"{r.floor_bytes_per_page / 1e3:.1f}",
          f"{r.search_index_bytes / 1e3:.0f}", f"{r.search_index_gzip_bytes / 1e3:.0f}",
          f"{r.preview_rebuild_s:.2f}" if r.preview_rebuild_s is not None else "-")
         for r in rows],
    )
    notes = (
        f"Seconds. n=3 is the real content/. generator = load+validate+link+render, best of {STAGE_RUNS} (gen median: "
        "their median), each in a fresh process, as the build runs it (without the paragraphs' reading levels); "
        "build = `python -m generator build`; "
        "floor = plain `mkdocs build` of the same rendered Markdown "
        "with the same mkdocs.yml, theme and nav, without the generator's plugin and Markdown extension; "
        "cpu = user+system seconds of the same runs (steadier than the wall clock when the machine is busy); peak = largest resident set of the build's processes; "
        "KB/page = HTML bytes per page; preview = live preview, save to page (median of 3; the table below)."
    )
    return "\n\n".join((times, sizes, notes, targets(rows)))


def targets(rows: list[Row]) -> str:
    """The issue's targets, each with its figure and whether it is met."""
    by_n = {r.n: r for r in rows}
    checks: list[tuple[str, str, bool]] = []
    if 1000 in by_n:
        big = by_n[1000]
        checks += [
            ("full build at most 1.1x the floor at n=1000", f"{big.build_to_floor:.2f}x", big.build_to_floor <= 1.1),
            ("peak memory at n=1000 under 1 GB", f"{big.peak_mb:.0f} MB", big.peak_mb < 1024),
        ]
        if 100 in by_n:
            growth = big.bytes_per_page / by_n[100].bytes_per_page - 1
            checks.append(("bytes per page flat (within 20%) from n=100 to n=1000", f"{growth:+.1%}", abs(growth) <= 0.2))
    if by_n.get(REAL_SIZE):
        real = by_n[REAL_SIZE]
        checks.append(("generator on the real site under 0.2 s", f"{real.generator_s:.2f} s", real.generator_s < 0.2))
    for n in (REAL_SIZE, 1000):
        if by_n.get(n) and by_n[n].preview_rebuild_s is not None:
            preview = by_n[n].preview_rebuild_s
            checks.append((f"live preview save to page under 2 s at n={n}", f"{preview:.2f} s", preview < 2.0))
    lines = [f"  {'met' if ok else 'NOT MET':7}  {what}: {figure}" for what, figure, ok in checks]
    return "\n".join(["Targets:", *lines]) if lines else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES),
                        help=f"numbers of conditions; {REAL_SIZE} means the real content (default: 3 100 1000)")
    parser.add_argument("--json", type=Path, default=ROOT / "bench.json", help="where to write the figures")
    parser.add_argument("--no-preview", action="store_true", help="leave out the live-preview measures")
    parser.add_argument("--repeat", type=int, default=1, help="time each build this many times, keep the fastest")
    parser.add_argument("--stages-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.stages_only:
        _stages_only(args.stages_only)
        return 0
    rows = []
    for n in args.sizes:
        with tempfile.TemporaryDirectory(prefix=f"bench-{n}-") as tmp:
            print(f"measuring n={n} ...", file=sys.stderr, flush=True)
            try:
                rows.append(measure(n, Path(tmp), repeat=args.repeat))
            except RuntimeError as exc:
                if n != REAL_SIZE:
                    raise
                print(f"the real content/ cannot be measured now (it is being written?):\n{exc}", file=sys.stderr)
    previews = []
    if not args.no_preview:
        for row in rows:
            print(f"measuring the live preview at n={row.n} ...", file=sys.stderr, flush=True)
            measured = preview_bench.measure(row.n, saves=3, memory_saves=20 if row.n == max(args.sizes) else 0)
            row.preview_rebuild_s, row.preview = measured.median_s, asdict(measured)
            previews.append(measured)
    args.json.write_text(json.dumps([asdict(r) for r in rows], indent=2) + "\n", encoding="utf-8")
    print(table(rows))
    if previews:
        print("\n" + preview_bench.table(previews))
    return 0


if __name__ == "__main__":
    sys.exit(main())
