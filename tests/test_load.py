"""Stage 1: loading YAML safely, with positions."""

from pathlib import Path

import pytest

from generator.load import load_content


def write(content: Path, rel: str, text: str) -> None:
    path = content / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_loads_every_kind_with_positions(minimal_content: Path) -> None:
    loaded = load_content(minimal_content)
    assert loaded.diagnostics == ()
    kinds = {(d.kind, d.path.rsplit("/", 1)[-1]) for d in loaded.documents}
    assert ("conditions", "calf-cramp.yaml") in kinds and ("sources", "test-source.yaml") in kinds
    calf = next(d for d in loaded.documents if d.path.endswith("calf-cramp.yaml"))
    # causes[1].cause is on line 21, after "  - cause: " (column 12)
    assert calf.position(("causes", 1, "cause")) == (23, 12)
    assert calf.data["causes"][1]["cause"] == "tired-muscles"


def test_position_falls_back_to_nearest_parent(minimal_content: Path) -> None:
    calf = next(d for d in load_content(minimal_content).documents if d.path.endswith("calf-cramp.yaml"))
    assert calf.position(("causes", 1, "no-such-field")) == calf.position(("causes", 1))


def test_a_document_knows_field_names_empty_values_and_how_plain_values_were_written(minimal_content: Path) -> None:
    write(minimal_content, "terms/cramp.yaml",
          "id: cramp\nkind: term\nname: on\nlist:\n  - 2026-01-02\n  -\nquoted: 'no'\n")
    cramp = next(d for d in load_content(minimal_content).documents if d.path.endswith("/cramp.yaml"))
    assert cramp.key_position(("name",)) == (3, 1) and cramp.position(("name",)) == (3, 7)
    assert cramp.key_position(("list", 0)) is None and cramp.key_position(("missing",)) is None
    assert cramp.has_value(("list", 1)) and not cramp.has_value(("list", 2)) and cramp.data["list"][1] is None
    assert cramp.written_as(("name",)) == "on" and cramp.written_as(("list", 0)) == "2026-01-02"
    assert cramp.written_as(("quoted",)) is None and cramp.written_as(("id",)) is None


def test_duplicate_key_is_an_error_naming_both_lines(minimal_content: Path) -> None:
    write(minimal_content, "terms/cramp.yaml", "id: cramp\nkind: term\nname: cramp\nname: again\ndefinition: x.\n")
    [diag] = load_content(minimal_content).diagnostics
    assert (diag.file, diag.line, diag.column, diag.field) == ("content/terms/cramp.yaml", 4, 1, "name")
    assert "duplicate field (first given on line 3)" in diag.message


def test_python_tags_are_refused_not_run(minimal_content: Path, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    write(minimal_content, "terms/cramp.yaml",
          f"id: !!python/object/apply:os.system ['touch {marker}']\n")
    [diag] = load_content(minimal_content).diagnostics
    assert "tag:yaml.org,2002:python/object/apply:os.system" in diag.message and "not allowed" in diag.message
    assert not marker.exists()


def test_aliases_are_refused(minimal_content: Path) -> None:
    write(minimal_content, "terms/cramp.yaml", "id: &a cramp\nkind: term\nname: *a\ndefinition: x.\n")
    [diag] = load_content(minimal_content).diagnostics
    assert diag.line == 3 and "anchors and aliases" in diag.message


def test_syntax_error_is_located(minimal_content: Path) -> None:
    write(minimal_content, "terms/cramp.yaml", "id: cramp\nkind: [term\nname: cramp\n")
    [diag] = load_content(minimal_content).diagnostics
    assert (diag.file, diag.line, diag.column) == ("content/terms/cramp.yaml", 2, 7)  # the [, not the next line
    assert diag.message.startswith("the list that starts with [ is not closed")


def test_empty_and_non_utf8_files(minimal_content: Path) -> None:
    write(minimal_content, "terms/cramp.yaml", "# only a comment\n")
    (minimal_content / "terms" / "calf-muscle.yaml").write_bytes(b"id: calf-muscle\nname: caf\xe9\n")
    diags = {d.file.rsplit("/", 1)[-1]: d for d in load_content(minimal_content).diagnostics}
    assert "file is empty" in diags["cramp.yaml"].message
    assert (diags["calf-muscle.yaml"].line, diags["calf-muscle.yaml"].column) == (2, 10)
    assert "not UTF-8" in diags["calf-muscle.yaml"].message


def test_wrong_extensions_and_unknown_folders_are_reported(minimal_content: Path) -> None:
    write(minimal_content, "terms/cramp.yml", "id: cramp\n")
    write(minimal_content, "condition/x.yaml", "id: x\n")
    messages = [str(d) for d in load_content(minimal_content).diagnostics]
    assert any("rename the file to cramp.yaml" in m for m in messages)
    assert any(m.startswith("content/condition:1:1: unknown folder") for m in messages)


def test_a_field_name_that_is_not_text_is_reported_not_a_crash(minimal_content: Path) -> None:
    # The message for 'yes' once reused the name of the dict that records how dates were written,
    # so a date later in the same group raised TypeError instead.
    write(minimal_content, "terms/cramp.yaml", "yes: x\nid: cramp\nborn: 2026-01-01\n")
    [diag] = load_content(minimal_content).diagnostics
    assert str(diag) == ("content/terms/cramp.yaml:1:1: 'yes' is not a field name; "
                         "field names are words such as 'title', followed by ': '")


@pytest.mark.parametrize("text", [
    "a:\n" + "".join("  " * depth + "- \n" for depth in range(1, 30)),
    "a: " + "[" * 100_000 + "]" * 100_000 + "\n",
    "- " * 100_000 + "x\n",
    "".join("  " * depth + f"k{depth}:\n" for depth in range(30)),
])
def test_deep_nesting_is_refused_before_it_reaches_the_parser(minimal_content: Path, text: str) -> None:
    write(minimal_content, "terms/cramp.yaml", text)
    [diag] = load_content(minimal_content).diagnostics
    assert diag.message == "lists or fields are nested more than 20 deep here; content files nest only a few levels"
