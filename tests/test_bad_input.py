"""Every bad-input case, built for real: exit 1, a clear message, no traceback, nothing published.

tests/test_cases.py checks what `validate` prints for each folder in tests/cases/bad/.
Here each case is built with `python -m generator build` in a throwaway copy of
the project, as an editor or CI would build it, next to a site/ from an earlier
good build. Every case runs with a previous site/; one case of each class also
runs with no site/ at all. In-process, an audit hook proves that loading a case
opens no file outside the content tree and starts no process.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator import pipeline
from project_layout import clean_env, make_project
from test_cases import TODAY, make_content

ROOT = Path(__file__).resolve().parent.parent
BAD = Path(__file__).parent / "cases" / "bad"
CASES = sorted(p for p in BAD.iterdir() if (p / "content").is_dir())
PAYLOAD_MARKER = "pwned-by-yaml"  # the file the python-tag cases would create if their payload ran
SECRET = "SECRET outside the content tree"  # text of the file a link case points at


def one_per_class(cases: list[Path]) -> list[Path]:
    """The first case of each class (the name before the first hyphen: yaml, file, link, tag, ...)."""
    firsts: dict[str, Path] = {}
    for case in cases:
        firsts.setdefault(case.name.split("-")[0], case)
    return sorted(firsts.values())


def run_build(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m generator build` in project, with review dates checked as of TODAY."""
    return subprocess.run([sys.executable, "-m", "generator", "build", "--today", TODAY, *args], cwd=project,
                          env=clean_env(), capture_output=True, text=True, timeout=300)


def previous_site(project: Path) -> dict[str, bytes]:
    """Put a site/ from an 'earlier build' in place; return its files and bytes."""
    site = project / "site"
    (site / "conditions" / "calf-cramp").mkdir(parents=True)
    (site / "index.html").write_text("<!doctype html><title>Cramp Help</title><p>The earlier good build.</p>\n")
    (site / "conditions" / "calf-cramp" / "index.html").write_text("<p>Calf cramp, as published before.</p>\n")
    (site / "favicon.png").write_bytes(bytes(range(256)))
    return snapshot(site)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def expected_diagnostics(case: Path) -> list[str]:
    """The problem lines of the case's golden output (not the exit code or the count)."""
    lines = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines[1:] if not line.endswith(" warnings.") and not line.endswith(" warning.")]


def assert_refused(case: Path, result: subprocess.CompletedProcess[str], project: Path) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output, output
    for line in expected_diagnostics(case):
        assert line in result.stderr, f"{line!r} missing from the build's report:\n{result.stderr}"
    assert "Nothing was built; the previous site/ is unchanged." in result.stderr
    assert SECRET not in output
    assert not list(project.rglob(PAYLOAD_MARKER)), "a YAML tag ran code"
    assert not list(project.glob(".site-*")), "a staging folder was left behind"


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_build_refuses_case_and_keeps_previous_site(case: Path, tmp_path: Path) -> None:
    make_content(case, tmp_path)
    project = make_project(tmp_path)
    before = previous_site(project)
    result = run_build(project)
    assert_refused(case, result, project)
    assert snapshot(project / "site") == before


@pytest.mark.parametrize("case", one_per_class(CASES), ids=lambda p: p.name)
def test_build_refuses_case_and_writes_no_site(case: Path, tmp_path: Path) -> None:
    make_content(case, tmp_path)
    project = make_project(tmp_path)
    result = run_build(project)
    assert_refused(case, result, project)
    assert not (project / "site").exists()


def test_the_minimal_tree_does_build(tmp_path: Path) -> None:
    """The cases fail because of what they change, not because the project copy cannot build."""
    project = make_project(tmp_path, Path(__file__).parent / "fixtures" / "minimal")
    before = previous_site(project)
    result = run_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert snapshot(project / "site") != before and (project / "site" / "conditions" / "calf-cramp" / "index.html").exists()


# --- in-process: what loading and checking a case touches --------------------------------

_events: list[tuple[str, tuple[Any, ...]]] | None = None
_WATCHED = ("open", "os.listdir", "os.scandir", "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "pty.spawn",
            "os.symlink", "os.remove", "os.rename", "os.mkdir", "shutil.rmtree", "socket.connect")


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _events is not None and event in _WATCHED:
        _events.append((event, args))


sys.addaudithook(_audit)  # hooks cannot be removed; it records only inside recording()


class recording:
    """Collects the audited events (files opened, processes started, ...) raised inside the with block."""

    def __enter__(self) -> list[tuple[str, tuple[Any, ...]]]:
        global _events
        _events = []
        return _events

    def __exit__(self, *exc: object) -> None:
        global _events
        _events = None


def opened_files(events: list[tuple[str, tuple[Any, ...]]]) -> Iterator[Path]:
    for event, args in events:
        if event in ("open", "os.listdir", "os.scandir") and isinstance(args[0], (str, bytes, os.PathLike)):
            yield Path(os.fsdecode(args[0])).absolute()


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_checking_reads_only_the_content_tree_and_runs_nothing(case: Path, tmp_path: Path) -> None:
    content = make_content(case, tmp_path).resolve()
    # and the source articles a case names in site.yaml's seeds_dir (read to find copied wording, never linked)
    seeds = (tmp_path / "outside" / "seeds").resolve()
    allowed = (content, ROOT / "generator", Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(), seeds)
    pipeline.run(content, render_pages=False)  # warm up: imports open library files once
    with recording() as events:
        result = pipeline.run(content, render_pages=True)
    strangers = [p for p in opened_files(events) if not any(p.resolve().is_relative_to(a) for a in allowed)]
    assert strangers == [], f"opened outside the content tree: {strangers}"
    through_links = [p for p in opened_files(events) if p.is_relative_to(content)
                     and any(os.path.islink(part) for part in (p, *p.parents) if part.is_relative_to(content))]
    assert through_links == [], f"followed a link: {through_links}"
    assert not result.ok
    assert [e for e, _ in events if e not in ("open", "os.listdir", "os.scandir")] == [], \
        "checking content started a process or changed files"
    assert not list(tmp_path.rglob(PAYLOAD_MARKER))
