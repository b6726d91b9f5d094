"""The editors' command line, used as an editor would: new -> fill in -> validate; schema, guide, report."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml

from generator import schema
from generator.cli import _parser, main
from generator.readability import main_text, smog, word_count
from generator.scaffold import NEW_KINDS, skeleton
from generator.schema import FieldDoc, field_docs

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "fixtures" / "minimal"
TODAY = "2026-11-21"

# What an editor would type into each empty field of a skeleton (ids are those of the minimal fixture).
ANSWERS = {
    "title": "Test cramp", "summary": "A short test summary.", "body_area": "Leg", "how_long": "A few minutes.",
    "text": "Stretch the calf.", "cause": "dehydration", "note": "Often happen together.", "level": "see-a-doctor",
    "sign": "The cramp lasts more than 10 minutes.", "condition": "foot-cramp", "how_it_causes": "It tires muscles.",
    "last_reviewed": "2026-11-21", "next_review_due": "2029-11-21", "strength": "good", "definition": "A test word.",
    "name": "test muscle", "publisher": "NHS", "clue": "One calf swells and stays sore.",
    "differs": "It lasts for days.", "what_to_do": "See a doctor today.",
}
KIND_ANSWERS = {"condition": {"sign": "long-cramp"}, "remedy": {"kind": "technique"}, "term": {"kind": "muscle"}, "source": {"kind": "health-service"},
                "sign": {"sign": "Your skin peels and itches after the cramp."}}
LIST_ANSWERS = {"also_called": "test spasm", "feels_like": "A hard knot.", "sources": "test-source",
                "examples": "Hot weather", "steps": "Hold for 30 seconds.", "cautions": "Stop if it hurts.",
                "also_matches": "test muscles", "areas": "calf", "details": "It itches.", "advice": "Rest."}
EMPTY_FIELD = re.compile(r"^(\s*)(- )?([a-z_]+):\s*$")
EMPTY_ITEM = re.compile(r"^(\s*)-\s*$")


def run(args: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            code = main(args)
        except SystemExit as exc:  # argparse: wrong usage
            code = int(exc.code or 0)
    return code, out.getvalue()


def fill_in(text: str, kind: str) -> str:
    """Type an answer after every empty field and list item an editor must fill; leave optional ones empty."""
    answers = {**ANSWERS, **KIND_ANSWERS.get(kind, {})}
    lines, current = [], ""
    for line in text.splitlines():
        field, item = EMPTY_FIELD.match(line), EMPTY_ITEM.match(line)
        if field:
            current = field.group(3)
            if current in answers:
                line = f"{line.rstrip()} {answers[current]}"
        elif item:
            line = f"{line.rstrip()} {LIST_ANSWERS[current]}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def all_fields(fields: tuple[FieldDoc, ...]) -> list[FieldDoc]:
    return [f for field in fields for f in (field, *all_fields(field.fields))]


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(MINIMAL, tmp_path / "content")
    return tmp_path / "content"


# --- every command --------------------------------------------------------------------

COMMANDS = sorted(_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]


def test_the_issue_commands_are_all_there() -> None:
    assert {"validate", "render", "build", "serve", "new", "schema", "report"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    code, output = run([command, "--help"])
    assert code == 0
    assert output.startswith(f"usage: python -m generator {command}")


@pytest.mark.parametrize("args", [[], ["publish"], ["validate", "--nope"], ["new", "condition"],
                                  ["new", "thing", "x-y"], ["validate", "--today", "21/11/2026"]])
def test_wrong_usage_exits_2(args: list[str]) -> None:
    assert run(args)[0] == 2


# --- new ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", NEW_KINDS)
def test_new_writes_a_skeleton_that_fails_only_with_fill_it_in_messages(kind: str, content: Path) -> None:
    code, output = run(["new", kind, "test-new"])
    assert code == 0, output
    path = next(content.glob("*/test-new.yaml"))
    assert "Fill in every empty field" in output and str(path.relative_to(content.parent)) in output

    code, output = run(["validate", "--content", "content", "--today", TODAY])
    assert code == 1 and "Traceback" not in output
    problems = [line for line in output.splitlines() if line.startswith("content/")]
    assert problems and all("test-new.yaml" in line for line in problems), output
    assert all(": is empty; " in line or ": this item is empty; " in line for line in problems), output


@pytest.mark.parametrize("kind", NEW_KINDS)
def test_a_filled_in_skeleton_is_valid_content(kind: str, content: Path) -> None:
    assert run(["new", kind, "test-new"])[0] == 0
    path = next(content.glob("*/test-new.yaml"))
    path.write_text(fill_in(path.read_text(encoding="utf-8"), kind), encoding="utf-8")

    code, output = run(["validate", "--content", "content", "--today", TODAY])
    assert (code, output.splitlines()[-1][:16]) == (0, "Content is valid"), output
    assert run(["render", "--content", "content", "--today", TODAY, "--out", "out"])[0] == 0
    text = path.read_text(encoding="utf-8")
    as_editor_sees_it = yaml.load(text, Loader=_DatesAsText)  # noqa: S506 - a SafeLoader
    jsonschema.Draft7Validator(schema.json_schema(kind)).validate(as_editor_sees_it)


class _DatesAsText(yaml.SafeLoader):
    """YAML 1.2, as VS Code reads it: a date is text."""


_DatesAsText.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@pytest.mark.parametrize("kind", NEW_KINDS)
def test_skeleton_notes_every_field_with_its_description(kind: str) -> None:
    text = skeleton(kind, "test-new")
    assert yaml.safe_load(text)["id"] == "test-new"
    assert text.splitlines()[0] == schema.modeline(kind)
    notes = " ".join(line.strip()[1:].strip() for line in text.splitlines() if line.strip().startswith("#"))
    for field in all_fields(field_docs(kind)):
        assert f"{field.name} (" in notes or f"{field.name}: {field.description}" in notes, field.name
        assert field.description in notes, f"{field.name}: {field.description!r} is not in the skeleton"


def test_new_refuses_an_existing_file(content: Path) -> None:
    before = (content / "conditions" / "calf-cramp.yaml").read_text()
    code, output = run(["new", "condition", "calf-cramp"])
    assert code == 1
    assert "content/conditions/calf-cramp.yaml already exists; edit it, or choose another id" in output
    assert (content / "conditions" / "calf-cramp.yaml").read_text() == before


@pytest.mark.parametrize(("bad_id", "suggestion"), [
    ("Test_Cramp", "(e.g. 'test-cramp')"), ("test cramp", "(e.g. 'test-cramp')"), ("../escape", "(e.g. 'escape')"),
    ("double--hyphen", "(e.g. 'double-hyphen')"), ("x", ""), ("start-", "(e.g. 'start')"),
])
def test_new_refuses_a_malformed_id(bad_id: str, suggestion: str, content: Path) -> None:
    code, output = run(["new", "condition", bad_id])
    assert code == 2
    assert f"argument ID: '{bad_id}' is not a valid id; use 2 to 60 lower-case letters and digits" in output
    assert suggestion in output
    assert sorted(p.name for p in (content / "conditions").iterdir()) == ["calf-cramp.yaml", "foot-cramp.yaml"]


# --- schema and guide -------------------------------------------------------------------


def test_schema_check_passes_for_the_committed_schemas() -> None:
    assert run(["schema", "--check"]) == (0, "")


def test_schema_writes_every_kind_and_check_finds_stale_ones(tmp_path: Path) -> None:
    assert run(["schema", "--check", "--out", str(tmp_path)])[0] == 1
    assert run(["schema", "--out", str(tmp_path)])[0] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{k}.schema.json" for k in schema.MODELS)
    assert run(["schema", "--check", "--out", str(tmp_path)])[0] == 0
    (tmp_path / "term.schema.json").write_text("{}")
    code, output = run(["schema", "--check", "--out", str(tmp_path)])
    assert code == 1 and "term.schema.json: out of date" in output


def test_editors_guide_field_reference_is_up_to_date() -> None:
    code, output = run(["guide", "--check", "--guide", str(ROOT / "content" / "README.md")])
    assert code == 0, output + "\nRun `python -m generator guide` and commit content/README.md."


def test_guide_command_rewrites_only_the_generated_section(tmp_path: Path) -> None:
    guide = tmp_path / "README.md"
    guide.write_text(f"# Guide\n\nBefore.\n\n{schema.GUIDE_START}\nSTALE REFERENCE\n{schema.GUIDE_END}\n\nAfter.\n")
    assert run(["guide", "--check", "--guide", str(guide)])[0] == 1
    assert run(["guide", "--guide", str(guide)])[0] == 0
    text = guide.read_text()
    assert text.startswith("# Guide\n\nBefore.\n\n") and text.endswith(f"{schema.GUIDE_END}\n\nAfter.\n")
    assert "STALE REFERENCE" not in text and "| `review.next_review_due` | yes | date, YYYY-MM-DD |" in text
    assert run(["guide", "--check", "--guide", str(guide)])[0] == 0


# --- report -------------------------------------------------------------------------------


def test_report_lists_every_page_with_its_score_dates_and_orphans(content: Path) -> None:
    code, output = run(["report", "--content", "content", "--today", TODAY])
    assert code == 0, output
    assert run(["render", "--content", "content", "--today", TODAY, "--out", "out"])[0] == 0
    rows = {line.split()[0]: line.split()[1:] for line in output.splitlines()[1:] if line.split()[:1] != []
            and line.split()[0].endswith(".md")}
    pages = sorted(str(p.relative_to(content.parent / "out")) for p in (content.parent / "out").rglob("*.md"))
    assert sorted(rows) == pages
    calf = (content.parent / "out" / "conditions" / "calf-cramp.md").read_text()
    assert rows["conditions/calf-cramp.md"] == [f"{smog(main_text(calf)):.1f}", str(word_count(main_text(calf))),
                                                "1", "2026-11-21", "2029-11-21"]
    assert rows["about.md"][3:] == ["-", "-"]
    assert "  glossary/ (1): cramp" in output.splitlines()  # calf-cramp links the calf muscle, nothing links 'cramp'


def test_report_marks_reviews_due_soon_and_overdue(content: Path) -> None:
    path = content / "conditions" / "foot-cramp.yaml"
    path.write_text(re.sub(r"next_review_due: [0-9-]+", "next_review_due: 2026-12-01", path.read_text()))
    code, output = run(["report", "--content", "content", "--today", TODAY])
    assert code == 0 and "2026-12-01 (due in 10 days)" in output
    code, output = run(["report", "--content", "content", "--today", "2027-01-01"])
    assert code == 0 and "2026-12-01 (overdue)" in output


# --- review governance -------------------------------------------------------------------


def test_overdue_review_fails_validate_unless_allowed(content: Path) -> None:
    path = content / "conditions" / "foot-cramp.yaml"
    path.write_text(re.sub(r"review: .*", "review: {last_reviewed: 2023-11-01, next_review_due: 2026-11-01}",
                           path.read_text()))
    code, output = run(["validate", "--content", "content", "--today", TODAY])
    assert code == 1 and ": review.next_review_due: review was due on 2026-11-01" in output
    code, output = run(["validate", "--content", "content", "--today", TODAY, "--allow-overdue"])
    assert code == 0 and ": warning: review.next_review_due: review was due on 2026-11-01" in output


def test_the_real_content_passes_validate_as_ci_runs_it() -> None:
    """CI's form: no --allow-overdue, today's date; a review past its date fails the build."""
    code, output = run(["validate", "--content", str(ROOT / "content"), "--today", dt.date.today().isoformat()])
    assert code == 0, output


# --- the editors' guide -----------------------------------------------------------------

GUIDE = ROOT / "content" / "README.md"


def guide_section(start: str, end: str) -> str:
    text = GUIDE.read_text(encoding="utf-8")
    return text.split(start, 1)[1].split(end, 1)[0]


def worked_example() -> str:
    return guide_section("<!-- worked example", "**4.").split("```yaml\n", 1)[1].split("```", 1)[0]


@pytest.fixture
def real_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return tmp_path / "content"


def test_the_guides_worked_example_is_valid_content(real_content: Path) -> None:
    (real_content / "conditions" / "foot-cramps.yaml").write_text(worked_example(), encoding="utf-8")
    code, output = run(["validate", "--content", "content", "--allow-overdue"])
    assert code == 0, "the worked example in content/README.md no longer validates:\n" + output


def test_the_guides_example_messages_are_what_validate_prints(real_content: Path) -> None:
    shown = [line for line in guide_section("**4. Fix", "**5.").splitlines() if line.startswith("content/")]
    assert len(shown) == 2
    example = real_content / "conditions" / "foot-cramps.yaml"
    with_typos = worked_example().replace("areas: [foot]", "areas: [feet]", 1)
    example.write_text(with_typos.replace("cause: dehydration", "cause: dehidration"), encoding="utf-8")
    assert shown[0] in run(["validate", "--content", "content", "--allow-overdue"])[1].splitlines()
    example.write_text(example.read_text().replace("areas: [feet]", "areas: [foot]"), encoding="utf-8")
    assert shown[1] in run(["validate", "--content", "content", "--allow-overdue"])[1].splitlines()
