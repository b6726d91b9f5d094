"""Stage 1: loading YAML safely, with positions."""

import pickle
import random
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


def test_a_pickled_document_finds_its_positions_again(minimal_content: Path) -> None:
    """The forked copy that loads half the files sends them without their places (parallel.py)."""
    write(minimal_content, "terms/odd.yaml", "---\nid: odd\nkind: term\nname: odd\ndefinition: Odd.\n")  # for libyaml
    loaded = load_content(minimal_content)
    for doc in loaded.documents:
        copy = pickle.loads(pickle.dumps(doc))
        assert copy.data == doc.data
        assert (copy.places is None) == doc.quick  # a file libyaml read keeps its places
        for loc in [("id",), ("causes", 1, "cause"), ("causes", 1), ("review", "next_review_due"), ("nothing",)]:
            assert copy.position(loc) == doc.position(loc)
            assert copy.key_position(loc) == doc.key_position(loc)
            assert copy.has_value(loc) == doc.has_value(loc)
    assert {doc.quick for doc in loaded.documents} == {True, False}


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
    assert diag.file == "content/terms/cramp.yaml" and diag.line >= 2
    assert diag.message.startswith("YAML syntax error")


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


# The quick reader (quick_yaml.read_plain) must read every file it accepts exactly as libyaml does.
# Texts it reads...
QUICK_CASES = [
    "id: cramp\ntitle: Calf cramp\n",
    "title: A long line\n  that goes on\n\n  and a new paragraph\n   and more\nnext: x\n",
    "list:\n- a\n- b\n  continued\nafter: 1\n",
    "list:\n  - a\n  - b: 1\n    c: 2\n  -   d: 3\n",
    "group:\n  inner:\n    deep: v\n  back: w\nend:\n",
    "empty:\nnext: 1\nlast:",
    "quoted: 'it''s ''here'''\ndouble: \"a: b # c\"\nspace: '  padded  '\n",
    "multi: 'first\n  second\n\n\n  third'\nafter: x\n",
    "closes: 'text\n  '\nopens: '\n  text'\n",
    "folded: >-\n  one\n  two\n\n  three\nkept: >\n  a\n  b\n\nlit: |\n  x\n  y\nlit2: |-\n  z\n\n\n  w\nend: 1\n",
    "flow: [a, b-c, 2010, yes, x y]\nempty: []\nspaced: [ a ,b ]\n",
    "typed: 2026-01-02\nint: 12\nfloat: 1.5\nbool: no\nnothing: ~\nnum_text: 12 apples\nstamp: 2026-01-02 10:00:00\n",
    "sexagesimal: 1:30\nhex: 0x1F\nunder: 1_000\ninf: .inf\ntext: .x\n",
    "# a comment\nid: x  \n  more\n  # a comment ends a value\n"
    "url: https://example.org/a#b\nodd: a#b [c] {d} 'e' \"f\"\n",
    "not_a_document_start: x\n  ---\n  ...\n",
    "windows: line\r\n  breaks\r\nquoted: 'a\r\n\r\n  b'\r\nblock: >-\r\n  c\r\n  d\r\n",
]
# ... and texts it leaves to libyaml: errors, refusals, rarer YAML.
LIBYAML_CASES = [
    "yes: 1\n",
    "a: 1\na: 2\n",
    "a: b: c\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "<<: 1\n",
    "a: 2026-02-30\n",
    "a:\n  b: 1\n c: 2\n",
    "- a\n- b\n",
    "a: [a, [b]]\n",
    "a: 'unclosed\n",
    "a: >\n    more\n  less\n",
    "a: |\n  x\n    deeper\n",
    "a: 1\n\tb: 2\n",
    "a: \"tab\\there\"\n",
    "lone: carriage\rreturn\n",
    "a: 1\n---\nb: 2\n",
    "%YAML 1.1\n---\na: 1\n",
    "a: 'x\n...\n  y'\n",
    "deep:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 12)) + "  " * 12 + "v: 1\n",
    "",
    "# only a comment\n",
]


def _read_both(text: str) -> tuple[object, object, list[str]]:
    """What the quick reader and the libyaml path make of text (as data and positions), and libyaml's messages."""
    from generator import load, quick_yaml

    def flat(read: object) -> object:
        if read is None:
            return None
        data, places = read  # type: ignore[misc]
        return data, places.values, places.keys, places.written

    diagnostics: list = []
    libyaml = flat(load._read_with_libyaml(text, text.encode(), "x.yaml", diagnostics))
    return flat(quick_yaml.read_plain(text)), libyaml, [str(d) for d in diagnostics]


def _positions_by_to_data(text: str) -> tuple[dict[str, int], dict[str, int], dict[str, str]]:
    """The positions the original, exact walk (_to_data) records, keyed as Document keys them."""
    import yaml

    from generator import load
    from generator.yaml_common import LOADER, path_key

    positions: dict = {}
    written: dict = {}
    load._to_data(yaml.compose(text, Loader=LOADER), (), positions, [], "x.yaml", set(), written)
    values = {path_key(loc): line << 20 | column for loc, (line, column) in positions.items()
              if "__key__" not in loc}
    keys = {path_key(loc[:-1]): line << 20 | column for loc, (line, column) in positions.items()
            if "__key__" in loc}
    return values, keys, {path_key(loc): text for loc, text in written.items()}


def _assert_read_alike(text: str) -> bool:
    quick, libyaml, messages = _read_both(text)
    if libyaml is not None:
        assert libyaml[1:] == _positions_by_to_data(text), text
    if quick is not None:
        assert quick == libyaml and not messages, text
    return quick is not None


def test_quick_reader_reads_as_libyaml_does() -> None:
    assert all(_assert_read_alike(text) for text in QUICK_CASES)
    assert not any(_assert_read_alike(text) for text in LIBYAML_CASES)


def test_quick_reader_agrees_on_content_and_near_content() -> None:
    texts = [path.read_text(encoding="utf-8") for path in sorted(Path("content").glob("**/*.yaml"))]
    rng = random.Random(7)
    pieces = [" ", "  ", "\n", "\n\n", "- ", ":", ": ", "#", " #", "'", "''", '"', "[", "]", ",", "&", "*", "!",
              "|", ">", "?", "yes", "12", "2026-01-02", "1:30", "<<", "é", "\n  more text", "\n- x", "\na:", "~"]
    accepted = sum(_assert_read_alike(text) for text in texts)
    assert accepted == len(texts)  # the real content takes the quick path
    for _ in range(1500):
        text = rng.choice(texts)
        for _ in range(rng.randint(1, 3)):
            at = rng.randint(0, len(text))
            if rng.random() < 0.7:
                text = text[:at] + rng.choice(pieces) + text[at:]
            else:
                text = text[:at] + text[at + rng.randint(1, 6):]
        accepted += _assert_read_alike(text)
    assert accepted > 400  # enough mutated files stay within what the quick reader reads


def test_quick_reader_assumptions_about_yaml_types() -> None:
    import yaml

    from generator import quick_yaml
    from generator.yaml_common import LOADER, STR_TAG

    assert None not in LOADER.yaml_implicit_resolvers  # no type is tried for every first character
    resolver = LOADER("")
    # Only a value that starts with a digit (a timestamp) can be read as other than text with a space in it.
    for first in set(quick_yaml._IMPLICIT_TYPES) - quick_yaml._DIGITS - {""}:
        for middle in ("", "rue", "ull", "o", "es", "n", "ff", "1", ".5", "<", "inf", ".nan", "0x1"):
            for value in (f"{first}{middle} x", f"{first}{middle} {middle}"):
                assert resolver.resolve(yaml.ScalarNode, value, (True, False)) == STR_TAG, value


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
