"""Stage 2: every problem of every file, located, in one run."""

import datetime as dt
from pathlib import Path

from generator.diagnostics import Severity
from generator.load import load_content
from generator.validate import validate

TODAY = dt.date(2026, 11, 21)


def run(content: Path, **kwargs):  # type: ignore[no-untyped-def]
    return validate(load_content(content), today=TODAY, **kwargs)


def edit(content: Path, rel: str, old: str, new: str) -> None:
    path = content / rel
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_minimal_content_is_valid(minimal_content: Path) -> None:
    valid, diagnostics = run(minimal_content)
    assert diagnostics == [] and valid is not None
    assert set(valid.entries["conditions"]) == {"calf-cramp", "foot-cramp"}


def test_all_problems_of_all_files_in_one_run(minimal_content: Path) -> None:
    edit(minimal_content, "conditions/calf-cramp.yaml", "cause: dehydration", "cause: dehydratoin")
    edit(minimal_content, "conditions/foot-cramp.yaml", "body_area: Foot", "body_aera: Foot")
    edit(minimal_content, "remedies/drink-water.yaml", "kind: lifestyle", "kind: diet")
    valid, diagnostics = run(minimal_content)
    assert valid is None
    assert [str(d) for d in sorted(diagnostics)] == [
        "content/conditions/calf-cramp.yaml:21:12: causes[0].cause: unknown cause 'dehydratoin' "
        "(did you mean 'dehydration'?); it must be the id of a file in content/causes/",
        "content/conditions/foot-cramp.yaml:1:1: body_area: required field is missing; add 'body_area:' "
        "(Where in the body, in words, e.g. 'Buttock'.)",
        "content/conditions/foot-cramp.yaml:5:1: body_aera: unknown field 'body_aera' (did you mean 'body_area'?); "
        "allowed fields are: also_called, areas, at_risk, body_area, causes, clue, during, feels_like, how_long, id, "
        "key_facts, medical_name, muscles, prevention, related, review, sign_notes, sources, summary, title, treatment",
        "content/remedies/drink-water.yaml:3:7: kind: expected one of 'technique', 'lifestyle', 'medicine' or "
        "'professional', found 'diet'",
    ]


def test_yes_no_trap_gets_a_hint_to_quote(minimal_content: Path) -> None:
    edit(minimal_content, "terms/cramp.yaml", "name: cramp", "name: no")
    _, [diag] = run(minimal_content)
    assert diag.field == "name" and "expected text, found true/false" in diag.message and "quotes" in diag.message


def test_id_must_match_file_name_and_be_unique_ignoring_case(minimal_content: Path) -> None:
    edit(minimal_content, "causes/dehydration.yaml", "id: dehydration", "id: dehydrated")
    (minimal_content / "causes" / "Tired-muscles.yaml").write_text("")
    _, diagnostics = run(minimal_content)
    messages = [str(d) for d in diagnostics]
    assert any("id 'dehydrated' does not match the file name" in m for m in messages)


def test_deleting_a_used_cause_names_every_place_it_was_used(minimal_content: Path) -> None:
    (minimal_content / "causes" / "dehydration.yaml").unlink()
    valid, diagnostics = run(minimal_content)
    assert valid is None
    assert sorted((d.file, d.line, d.field) for d in diagnostics) == [
        ("content/conditions/calf-cramp.yaml", 21, "causes[0].cause"),
        ("content/conditions/foot-cramp.yaml", 11, "causes[0].cause"),
    ]


def test_related_to_itself(minimal_content: Path) -> None:
    edit(minimal_content, "conditions/calf-cramp.yaml", "condition: foot-cramp", "condition: calf-cramp")
    _, [diag] = run(minimal_content)
    assert diag.field == "related[0].condition" and "cannot be related to itself" in diag.message


def test_review_due_soon_warns_and_overdue_fails(minimal_content: Path) -> None:
    edit(minimal_content, "causes/dehydration.yaml", "next_review_due: 2029-11-21", "next_review_due: 2026-12-01")
    valid, [warning] = run(minimal_content)
    assert valid is not None and warning.severity is Severity.WARNING and "in 10 days" in warning.message
    edit(minimal_content, "causes/dehydration.yaml", "last_reviewed: 2026-11-21, next_review_due: 2026-12-01",
         "last_reviewed: 2023-11-01, next_review_due: 2026-11-01")
    valid, [error] = run(minimal_content)
    assert valid is None and error.severity is Severity.ERROR and "was due on 2026-11-01" in error.message
    valid, [warning] = run(minimal_content, overdue_is_error=False)
    assert valid is not None and warning.severity is Severity.WARNING
