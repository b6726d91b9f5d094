"""Golden cases: each folder under tests/cases/ is content in, expected output out.

A case folder holds:
- content/: files laid over a copy of tests/fixtures/minimal (so a case holds only what it changes);
- delete.txt (optional): paths inside content/ to remove from that copy, one a line;
- generate.txt (optional): files too big or too odd to keep in git, one a line (see _generate);
- outside/ (optional): files copied beside content/, for links that point out of it;
- expected.txt: the exit code and everything `python -m generator validate` prints;
- expected/ (optional): the Markdown pages `render` writes, for cases whose content is valid.

Refresh every expected file with `make golden` (pytest tests/test_cases.py --update-golden).
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.model import ID_RE

CASES = Path(__file__).parent / "cases"
MINIMAL = Path(__file__).parent / "fixtures" / "minimal"
TODAY = "2026-11-21"  # review dates are checked as of this day, so the output never changes with the clock


def _case_dirs() -> list[Path]:
    return sorted(p.parent for p in CASES.rglob("content") if p.is_dir() and (p.parent / "content") == p)


def make_content(case: Path, workdir: Path) -> Path:
    """The minimal tree with the case's files laid over it."""
    content = workdir / "content"
    shutil.copytree(MINIMAL, content)
    for src in sorted((case / "content").rglob("*")):
        if src.is_file():
            dest = content / src.relative_to(case / "content")
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest)
    deletes = case / "delete.txt"
    if deletes.exists():
        for line in deletes.read_text().splitlines():
            if line.strip():
                target = content / line.strip()
                shutil.rmtree(target) if target.is_dir() else target.unlink()
    _generate(case, workdir, content)
    return content


def _generate(case: Path, workdir: Path, content: Path) -> None:
    """Make what generate.txt asks for inside content/: `link PATH TARGET`, `pad PATH FIELD N` or `nest PATH FIELD N`."""
    if (case / "outside").is_dir():
        shutil.copytree(case / "outside", workdir / "outside")
    spec = case / "generate.txt"
    for line in spec.read_text().splitlines() if spec.exists() else []:
        if not line.strip() or line.startswith("#"):
            continue
        action, path, *args = line.split()
        target = content / path
        if action == "link":  # a symlink, e.g. to a file or folder outside content/
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            elif target.exists() or target.is_symlink():
                target.unlink()
            target.symlink_to(args[0])
        elif action in ("pad", "nest"):  # the field set to N characters of words, or to lists N deep
            field, size = args[0], int(args[1])
            value = ("cramp " * (size // 6 + 1))[:size].strip() if action == "pad" else "[" * size + "]" * size
            text = target.read_text(encoding="utf-8")
            text, found = re.subn(rf"(?m)^{field}: .*$", lambda _: f"{field}: {value}", text, count=1)
            target.write_text(text if found else f"{text}{field}: {value}\n", encoding="utf-8")
        else:
            raise ValueError(f"{spec}: unknown action {action!r}")


def run_cli(args: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(args)
    return code, out.getvalue()


@pytest.mark.parametrize("case", _case_dirs(), ids=lambda p: str(p.relative_to(CASES)))
def test_case(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, update_golden: bool) -> None:
    make_content(case, tmp_path)
    monkeypatch.chdir(tmp_path)
    code, output = run_cli(["validate", "--content", "content", "--today", TODAY])
    assert "Traceback" not in output
    actual = f"exit code: {code}\n{output}"
    expected_file = case / "expected.txt"
    if update_golden:
        expected_file.write_text(actual, encoding="utf-8")
    assert actual == expected_file.read_text(encoding="utf-8")

    expected_pages = case / "expected"
    if code == 0 and (expected_pages.exists() or update_golden and not (case / "no-render").exists()):
        assert run_cli(["render", "--content", "content", "--today", TODAY, "--out", "out"])[0] == 0
        if update_golden:
            shutil.rmtree(expected_pages, ignore_errors=True)
            shutil.copytree(tmp_path / "out", expected_pages)
        actual_pages = {p.relative_to(tmp_path / "out"): p.read_text() for p in (tmp_path / "out").rglob("*.md")}
        wanted = {p.relative_to(expected_pages): p.read_text() for p in expected_pages.rglob("*.md")}
        assert actual_pages.keys() == wanted.keys()
        for path, text in wanted.items():
            assert actual_pages[path] == text, f"{path} differs from the golden copy"


# Where a message suggests an id: a reference's did-you-mean, a file to rename to, an id to set.
_REFERENCE_MESSAGE = re.compile(r"unknown (?:condition|cause|remedy|term|source|sign|lookalike) '")
_ID_SUGGESTIONS = re.compile(r"set id: ([^;,)]+?)(?=$|[;,)])|rename (?:the file|it) to ([^;,)]+?)\.yaml"
                             r"|a copy of ([^;,)]+?)\.yaml")


def _suggested_ids(line: str) -> list[str]:
    found = [a or b or c for a, b, c in _ID_SUGGESTIONS.findall(line)]
    if _REFERENCE_MESSAGE.search(line) or re.search(r"\d: id: ", line):
        found += re.findall(r"did you mean '([^']*)'\?", line) + re.findall(r"e\.g\. '([^']*)'", line)
    return found


def test_no_message_suggests_an_invalid_id() -> None:
    """Every id a golden message suggests is one an editor may use: lower-case words joined by hyphens."""
    suggested = {}
    for expected in sorted(CASES.rglob("expected.txt")):
        for line in expected.read_text(encoding="utf-8").splitlines():
            for suggestion in _suggested_ids(line):
                suggested[suggestion] = f"{expected.parent.name}: {line}"
    assert {"stretch-calf", "calf-cramp", "cafe"} <= suggested.keys()  # the check sees the suggestions
    invalid = {s: where for s, where in suggested.items() if not ID_RE.fullmatch(s)}
    assert not invalid, invalid
