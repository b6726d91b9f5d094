"""The editor's report and tools, used as an editor would: report --due, report --changed, used-by, rename, new."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.cli import main
from generator.load import load_content
from generator.model import REFERENCES
from generator.references import references, used_by

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "fixtures" / "minimal"
TODAY = "2026-11-21"


def run(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(args)
        except SystemExit as exc:  # argparse: wrong usage
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def set_due(path: Path, due: str) -> None:
    """Set a page's next review, and its last one 3 years before."""
    last = f"{int(due[:4]) - 3}{due[4:]}"
    path.write_text(re.sub(r"last_reviewed: [0-9-]+, next_review_due: [0-9-]+",
                           f"last_reviewed: {last}, next_review_due: {due}", path.read_text()))


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(MINIMAL, tmp_path / "content")
    return tmp_path / "content"


# --- used-by ----------------------------------------------------------------------------


def test_every_reference_field_is_found_at_the_place_its_id_is_written() -> None:
    """On the real content: each kind's reference fields are all found, and each position points at the id."""
    loaded = load_content(ROOT / "content")
    seen: set[tuple[str, tuple[str, ...]]] = set()
    for doc in loaded.documents:
        lines = doc.text.splitlines()
        for use in references(doc):
            written = lines[use.line - 1][use.column - 1:]
            assert written.lstrip("\"'").startswith(use.target), (str(use), written)
            pattern = tuple("*" if isinstance(part, int) else part for part in use.loc)
            assert REFERENCES[doc.kind][pattern] == use.kind
            seen.add((doc.kind, pattern))
    assert {("conditions", ("causes", "*", "cause")), ("conditions", ("muscles", "*")), ("causes", ("remedies", "*")),
            ("remedies", ("evidence", "sources", "*")), ("conditions", ("related", "*", "condition")),
            ("conditions", ("key_facts", "*", "sources", "*")), ("lookalikes", ("sources", "*"))} <= seen


def test_used_by_lists_every_place_with_file_line_column_and_field(content: Path) -> None:
    code, out, err = run(["used-by", "dehydration", "--content", "content"])
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "'dehydration' is a cause: content/causes/dehydration.yaml",
        "content/conditions/calf-cramp.yaml:21:12: causes[0].cause  (a cause)",
        "content/conditions/foot-cramp.yaml:11:12: causes[0].cause  (a cause)",
        "Used in 2 places.",
    ]


def test_used_by_finds_ids_in_lists_and_groups_of_every_kind(content: Path) -> None:
    found = used_by(load_content(content), "test-source")
    assert {use.field for use in found.uses} == {"sources[0]", "key_facts[0].sources[0]", "evidence.sources[0]"}
    assert {use.file.split("/")[1] for use in found.uses} == {"causes", "conditions", "lookalikes", "remedies", "signs"}
    code, out, _ = run(["used-by", "foot-cramp", "--content", "content"])
    assert code == 0 and "content/conditions/calf-cramp.yaml:27:16: related[0].condition  (a condition)" in out
    code, out, _ = run(["used-by", "wakes-you", "--content", "content"])
    assert code == 0 and out.splitlines()[-1] == "No file refers to it."


def test_used_by_finds_signs_conditions_and_conditions_sign_notes(content: Path) -> None:
    sign = content / "signs" / "wakes-you.yaml"
    sign.write_text(sign.read_text().replace("conditions: [calf-cramp]", "conditions: [calf-cramp, foot-cramp]"))
    foot = content / "conditions" / "foot-cramp.yaml"
    foot.write_text(foot.read_text() + "sign_notes:\n  - sign: wakes-you\n    note: Common with foot cramps.\n")
    assert run(["validate", "--content", "content", "--today", TODAY])[0] == 0
    code, out, _ = run(["used-by", "foot-cramp", "--content", "content"])
    assert code == 0 and "content/signs/wakes-you.yaml:5:26: conditions[1]  (a condition)" in out.splitlines()
    code, out, _ = run(["used-by", "wakes-you", "--content", "content"])
    assert code == 0 and "content/conditions/foot-cramp.yaml:15:11: sign_notes[0].sign  (a sign)" in out.splitlines()
    code, out, _ = run(["rename", "sign", "wakes-you", "wakes-you-up", "--content", "content", "--today", TODAY])
    assert code == 0 and "  content/conditions/foot-cramp.yaml:15:11: sign_notes[0].sign" in out.splitlines()
    assert "  - sign: wakes-you-up\n" in foot.read_text()


def test_used_by_names_each_kind_that_has_the_id(content: Path) -> None:
    shutil.copy(content / "terms" / "cramp.yaml", content / "terms" / "dehydration.yaml")
    code, out, _ = run(["used-by", "dehydration", "--content", "content"])
    assert code == 0
    assert out.splitlines()[:2] == ["'dehydration' is a cause: content/causes/dehydration.yaml",
                                    "'dehydration' is a term: content/terms/dehydration.yaml"]


def test_used_by_an_unknown_id_says_so_with_a_suggestion(content: Path) -> None:
    code, out, err = run(["used-by", "dehidration", "--content", "content"])
    assert (code, out) == (1, "")
    assert err == "No content file has the id 'dehidration' (did you mean 'dehydration'?), and no file refers to it.\n"


def test_used_by_a_deleted_page_lists_the_references_left_behind(content: Path) -> None:
    (content / "causes" / "tired-muscles.yaml").unlink()
    code, out, _ = run(["used-by", "tired-muscles", "--content", "content"])
    assert code == 0
    assert out.splitlines() == [
        "No content file has the id 'tired-muscles', but these places refer to it; change or delete each reference "
        "(`make validate` lists them too):",
        "content/conditions/calf-cramp.yaml:23:12: causes[1].cause  (a cause)",
    ]


def test_used_by_names_the_files_it_cannot_read(content: Path) -> None:
    foot = content / "conditions" / "foot-cramp.yaml"
    foot.write_text(foot.read_text().replace("title: Foot cramp", "title: 'Foot cramp"))
    code, out, err = run(["used-by", "dehydration", "--content", "content"])
    assert code == 0 and "content/conditions/calf-cramp.yaml:21:12: causes[0].cause  (a cause)" in out
    assert err == ("Not searched, as they cannot be read (`make validate` says why): "
                   "content/conditions/foot-cramp.yaml\n")


# --- rename ------------------------------------------------------------------------------


def test_rename_rewrites_every_reference_and_nothing_else(content: Path) -> None:
    # References written every way an editor might: quoted, in a flow list, with a comment, with Windows line ends.
    calf = content / "conditions" / "calf-cramp.yaml"
    calf.write_text(calf.read_text().replace("  - cause: dehydration\n",
                                             "  - cause: 'dehydration'   # the usual one\n"))
    foot = content / "conditions" / "foot-cramp.yaml"
    foot.write_bytes(foot.read_bytes().replace(b"\n", b"\r\n"))
    cause = content / "causes" / "dehydration.yaml"
    cause.write_text(cause.read_text().replace("id: dehydration", 'id: "dehydration"  # keep'))
    before = snapshot(content)

    code, out, err = run(["rename", "cause", "dehydration", "not-drinking-enough", "--content", "content",
                          "--today", TODAY])
    assert (code, err) == (0, ""), err
    after = snapshot(content)
    expected = dict(before)
    del expected["causes/dehydration.yaml"]
    expected["causes/not-drinking-enough.yaml"] = before["causes/dehydration.yaml"].replace(
        b'id: "dehydration"', b'id: "not-drinking-enough"')
    expected["conditions/calf-cramp.yaml"] = before["conditions/calf-cramp.yaml"].replace(
        b"cause: 'dehydration'   # the usual one", b"cause: 'not-drinking-enough'   # the usual one")
    expected["conditions/foot-cramp.yaml"] = before["conditions/foot-cramp.yaml"].replace(
        b"cause: dehydration\r\n", b"cause: not-drinking-enough\r\n")
    assert after == expected
    assert out.splitlines() == [
        "Renamed content/causes/dehydration.yaml to content/causes/not-drinking-enough.yaml, set its id to "
        "not-drinking-enough and changed 2 references in 2 files:",
        "  content/conditions/calf-cramp.yaml:21:12: causes[0].cause",
        "  content/conditions/foot-cramp.yaml:11:12: causes[0].cause",
        "Its page is now http://127.0.0.1:8000/causes/not-drinking-enough/ (it was "
        "http://127.0.0.1:8000/causes/dehydration/); links to the old address from outside this site will stop "
        "working.",
        "The content is still valid.",
    ]
    assert run(["validate", "--content", "content", "--today", TODAY])[0] == 0


def test_rename_a_source_used_in_flow_lists_of_every_kind(content: Path) -> None:
    before = snapshot(content)
    code, out, _ = run(["rename", "sources", "test-source", "nhs-test", "--content", "content", "--today", TODAY])
    assert code == 0 and "changed 11 references in 10 files:" in out and "Its page" not in out
    after = snapshot(content)
    assert "sources/test-source.yaml" not in after
    for name, text in before.items():
        new_name = name.replace("test-source", "nhs-test")
        assert after[new_name] == text.replace(b"test-source", b"nhs-test")
    assert run(["validate", "--content", "content", "--today", TODAY])[0] == 0
    assert run(["used-by", "test-source", "--content", "content"])[0] == 1


@pytest.mark.parametrize(("args", "reason"), [
    (["cause", "dehydration", "Fluid Loss"],
     "'Fluid Loss' is not a valid id; use 2 to 60 lower-case letters and digits, with single hyphens between words "
     "(e.g. 'fluid-loss')"),
    (["cause", "tired-muscles", "Dehydration"],  # 'dehydration' is taken: no suggestion rather than a wrong one
     "'Dehydration' is not a valid id; use 2 to 60 lower-case letters and digits, with single hyphens between words"),
    (["cause", "dehydration", "X"],  # 'x' would be too short
     "'X' is not a valid id; use 2 to 60 lower-case letters and digits, with single hyphens between words"),
    (["cause", "dehydration", "tired-muscles"],
     "content/causes/tired-muscles.yaml already exists; choose another id, or see where each is used with "
     "`python -m generator used-by tired-muscles`"),
    (["cause", "dehidration", "fluid-loss"],
     "there is no cause 'dehidration' in content/causes/ (did you mean 'dehydration'?)"),
    (["remedy", "calf-cramp", "calf-cramps"],
     "there is no remedy 'calf-cramp' in content/remedies/; there is a condition with that id"),
    (["cause", "dehydration", "dehydration"], "the cause is already called 'dehydration'"),
])
def test_rename_changes_nothing_and_says_why(content: Path, args: list[str], reason: str) -> None:
    before = snapshot(content)
    code, out, err = run(["rename", *args, "--content", "content", "--today", TODAY])
    assert (code, out) == (1, "")
    assert err == f"Nothing was renamed: {reason}.\n"
    assert snapshot(content) == before


def test_rename_refuses_content_with_errors(content: Path) -> None:
    foot = content / "conditions" / "foot-cramp.yaml"
    foot.write_text(foot.read_text().replace("cause: dehydration", "cause: dehidration"))
    before = snapshot(content)
    code, _, err = run(["rename", "cause", "dehydration", "fluid-loss", "--content", "content", "--today", TODAY])
    assert code == 1
    assert "content/conditions/foot-cramp.yaml:11:12: causes[0].cause: unknown cause 'dehidration'" in err
    assert err.endswith("Nothing was renamed: the content has errors (listed above); fix them first, then rename.\n")
    assert snapshot(content) == before


def test_rename_allows_an_overdue_review(content: Path) -> None:
    set_due(content / "causes" / "dehydration.yaml", "2026-01-01")
    code, _, err = run(["rename", "cause", "dehydration", "fluid-loss", "--content", "content", "--today", TODAY])
    assert code == 0, err
    assert (content / "causes" / "fluid-loss.yaml").exists()


def test_rename_refuses_an_unknown_kind(content: Path) -> None:
    code, _, err = run(["rename", "thing", "a-b", "c-d", "--content", "content"])
    assert code == 2
    assert "unknown kind 'thing'; use one of: condition, cause, remedy, term, source, sign, lookalike" in err


# --- report --due ---------------------------------------------------------------------------


def test_report_due_lists_overdue_first_then_soonest(content: Path) -> None:
    set_due(content / "conditions" / "foot-cramp.yaml", "2026-12-01")
    set_due(content / "remedies" / "stretch-calf.yaml", "2026-11-01")
    set_due(content / "lookalikes" / "blood-clot.yaml", "2027-02-19")  # the 90th day
    set_due(content / "causes" / "tired-muscles.yaml", "2027-02-20")  # the 91st: not listed
    code, out, err = run(["report", "--due", "90", "--content", "content", "--today", TODAY])
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "Reviews due within 90 days of 2026-11-21, soonest first:",
        "  overdue by 20 days  2026-11-01  content/remedies/stretch-calf.yaml  (remedy: Stretch the calf)  "
        "http://127.0.0.1:8000/remedies/stretch-calf/",
        "  due in 10 days      2026-12-01  content/conditions/foot-cramp.yaml  (condition: Foot cramp)  "
        "http://127.0.0.1:8000/conditions/foot-cramp/",
        "  due in 90 days      2027-02-19  content/lookalikes/blood-clot.yaml  "
        "(lookalike: Blood clot in the leg (DVT))  http://127.0.0.1:8000/lookalikes/blood-clot/",
        "3 pages due, 1 of them overdue. After a clinician has checked a page, set its last_reviewed to that day "
        "and next_review_due to 3 years later.",
    ]


def test_report_due_says_when_nothing_is_due(content: Path) -> None:
    set_due(content / "causes" / "tired-muscles.yaml", "2029-01-05")
    code, out, _ = run(["report", "--due", "30", "--content", "content", "--today", TODAY])
    assert code == 0
    assert out == ("No page is due for review within 30 days of 2026-11-21; the next is "
                   "content/causes/tired-muscles.yaml, due on 2029-01-05.\n")


@pytest.mark.parametrize("days", ["-5", "ninety", "9.5"])
def test_report_due_needs_a_number_of_days(content: Path, days: str) -> None:
    code, _, err = run(["report", "--due", days, "--content", "content"])
    assert code == 2 and "is not a number of days; write it in digits, e.g. 90" in err


def test_report_due_and_changed_do_not_go_together(content: Path) -> None:
    assert run(["report", "--due", "9", "--changed", "--content", "content"])[0] == 2


# --- report --changed ------------------------------------------------------------------------


def git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), "-c", "user.name=Editor", "-c", "user.email=editor@example.org", *args],
                   check=True, capture_output=True)


def test_report_changed_lists_the_pages_that_differ_from_the_last_commit(content: Path) -> None:
    git(content.parent, "init", "--quiet")
    git(content.parent, "add", "content")
    git(content.parent, "commit", "--quiet", "-m", "content")
    assert run(["report", "--changed", "--content", "content", "--today", TODAY])[1] == \
        "No page differs from the last commit.\n"

    remedy = content / "remedies" / "stretch-calf.yaml"
    remedy.write_text(remedy.read_text().replace("Hold for 30 seconds.", "Hold for 40 seconds."))
    code, out, err = run(["report", "--changed", "--content", "content", "--today", TODAY])
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "1 page differs from the last commit (preview with `make serve`):",
        "  changed  remedies/stretch-calf.md  http://127.0.0.1:8000/remedies/stretch-calf/",
    ]

    git(content.parent, "commit", "--quiet", "-am", "remedy")
    shutil.copy(content / "terms" / "cramp.yaml", content / "terms" / "spasm.yaml")
    term = content / "terms" / "spasm.yaml"
    term.write_text(term.read_text().replace("id: cramp", "id: spasm").replace("name: cramp", "name: spasm")
                    .replace("[cramps]", "[spasms]"))  # a glossary word may belong to one term only
    code, out, _ = run(["report", "--changed", "--content", "content", "--today", TODAY])
    assert code == 0
    assert "  new      glossary/spasm.md         http://127.0.0.1:8000/glossary/spasm/" in out.splitlines()
    assert "  changed  glossary/index.md         http://127.0.0.1:8000/glossary/" in out.splitlines()


def test_report_changed_outside_a_git_checkout_says_so(content: Path) -> None:
    if subprocess.run(["git", "-C", str(content), "rev-parse"], capture_output=True).returncode == 0:
        pytest.skip("the temporary folder is inside a git checkout")
    code, out, err = run(["report", "--changed", "--content", "content", "--today", TODAY])
    assert (code, out) == (1, "")
    assert err == ("Cannot list the changed pages: content/ is not in a git checkout, "
                   "so there is no last commit to compare with.\n")


# --- new ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "shown"), [
    ("condition", "the page at http://127.0.0.1:8000/conditions/test-new/"),
    ("term", "the page at http://127.0.0.1:8000/glossary/test-new/"),
    ("sign", "it on every page it applies to, and on http://127.0.0.1:8000/get-help/"),
    ("source", "it in the sources list of each page that cites it"),
])
def test_new_prints_where_to_see_the_page(content: Path, kind: str, shown: str) -> None:
    code, out, _ = run(["new", kind, "test-new"])
    assert code == 0 and out.rstrip().endswith(f"`make serve` to see {shown}.")


# --- where editors find them ---------------------------------------------------------------


@pytest.mark.parametrize(("target", "command"), [
    (["due"], "-m generator report --due 90"),
    (["due", "DAYS=30"], "-m generator report --due 30"),
    (["changed"], "-m generator report --changed"),
    (["used-by", "ID=dehydration"], "-m generator used-by dehydration"),
    (["rename", "KIND=cause", "OLD=dehydration", "NEW=fluid-loss"], "-m generator rename cause dehydration fluid-loss"),
])
def test_make_targets_run_the_commands_and_are_in_both_guides(target: list[str], command: str) -> None:
    dry_run = subprocess.run(["make", "--dry-run", "--no-print-directory", "--always-make", *target], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout
    assert dry_run.splitlines()[-1].endswith(command)
    assert f"\n{target[0]}: $(STAMP)  ## " in (ROOT / "Makefile").read_text()
    assert f"`make {target[0]}" in (ROOT / "README.md").read_text()
    assert f"| `make {target[0]}" in (ROOT / "content" / "README.md").read_text()


def test_help_lists_the_editors_tools() -> None:
    out = run(["--help"])[1]
    assert "used-by" in out and "rename" in out
    out = run(["report", "--help"])[1]
    assert "--due DAYS" in out and "--changed" in out
