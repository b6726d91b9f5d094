"""`new KIND ID`: a skeleton content file with every field and a note on what goes there.

The notes come from the model's field descriptions (through schema.field_docs),
so they cannot drift from what validation checks. Required fields are left
empty: until an editor fills them in, `validate` reports each one as
"is empty; fill it in", so a half-written page can never be published.
"""

from __future__ import annotations

import textwrap
from collections.abc import Collection
from pathlib import Path

from .model import ID_RE
from .schema import FOLDER_OF, FieldDoc, field_docs, kind_description, modeline

NEW_KINDS = ("condition", "cause", "remedy", "term", "source", "sign", "lookalike")
WIDTH = 100
ID_LENGTH = (2, 60)


class ScaffoldError(ValueError):
    """The skeleton cannot be written: a malformed id, an unknown kind or an existing file."""


def check_id(entry_id: str, taken: Collection[str] = ()) -> None:
    """Refuse a malformed id, suggesting a well-formed one that is not among `taken`."""
    low, high = ID_LENGTH
    if not _valid(entry_id):
        example = "-".join(part for part in "".join(c if c.isalnum() else " " for c in entry_id.lower()).split())
        hint = f" (e.g. '{example}')" if _valid(example) and example not in taken else ""
        raise ScaffoldError(
            f"'{entry_id}' is not a valid id; use {low} to {high} lower-case letters and digits, "
            f"with single hyphens between words{hint}"
        )


def _valid(entry_id: str) -> bool:
    low, high = ID_LENGTH
    return bool(ID_RE.match(entry_id)) and low <= len(entry_id) <= high


def create(content_dir: Path, kind: str, entry_id: str) -> Path:
    """Write content/<folder>/<id>.yaml; refuse a malformed id or a file that already exists."""
    if kind not in NEW_KINDS:
        raise ScaffoldError(f"unknown kind '{kind}'; use one of: {', '.join(NEW_KINDS)}")
    check_id(entry_id)
    folder = content_dir / FOLDER_OF[kind]
    path = folder / f"{entry_id}.yaml"
    existing = [p for p in (path, path.with_suffix(".yml")) if p.exists()]
    if existing:
        raise ScaffoldError(f"{existing[0]} already exists; edit it, or choose another id")
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(skeleton(kind, entry_id), encoding="utf-8")
    return path


def skeleton(kind: str, entry_id: str) -> str:
    """The text of a new content file of this kind."""
    what = kind_description(kind).split(":", 1)[-1].strip()
    lines = [
        modeline(kind),
        f"# A new {kind}: {what}",
        "# How to fill it in:",
        "# - Write your text after the colon of each field, e.g.  title: Calf cramp",
        "# - Lines starting with # are notes for you; they are not shown on the site. Delete them when done.",
        "# - If your text contains ': ' or ' #', or starts with a quote, [, {, - or *, put it all in \"double quotes\".",
        "# - Check your work with `make validate`: it names each problem, its line, and how to fix it.",
        "# - See the page with `make serve`, then open http://127.0.0.1:8000/ in your browser.",
        "",
    ]
    for field in field_docs(kind):
        lines += _field(field, "", entry_id)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _note(text: str, indent: str, hang: str = "") -> list[str]:
    return textwrap.wrap(text, WIDTH - len(indent) - 2, initial_indent=f"{indent}# ",
                         subsequent_indent=f"{indent}# {hang}", break_on_hyphens=False)


def _summary(field: FieldDoc) -> str:
    need = "required" if field.required else "optional"
    return f"{field.name} ({need}; {field.kind}): {field.description}".rstrip()


def _is_id_list(field: FieldDoc) -> bool:
    return field.is_list and field.kind.startswith("list of ids")


def _field(field: FieldDoc, indent: str, entry_id: str) -> list[str]:
    lines = _note(_summary(field), indent)
    if field.name == "id" and not indent:
        return [*lines, f"id: {entry_id}"]
    if field.is_list and field.is_group:
        lines += _note("Each item has:", indent)
        for sub in field.fields:
            lines += _note(f"  {_summary(sub)}", indent, hang="    ")
            for part in sub.fields if sub.is_group else ():  # e.g. a step's picture: its file and alt text
                lines += _note(f"    {_summary(part)}", indent, hang="      ")
        lines += _note("Copy the item (from the hyphen to the end of it) once for each one.", indent)
        if not field.required:
            lines += _note(f"If there are none, delete the item and write  {field.name}: []", indent)
        lines.append(f"{indent}{field.name}:")
        item = [_value_line(sub, indent + "    ") for sub in field.fields]
        item[0] = f"{indent}  - {item[0].lstrip()}"
        return [*lines, *item]
    if _is_id_list(field) and not field.required:
        lines += _note("Write the ids inside the brackets, separated by commas, e.g. [first-id, second-id]. "
                       "Leave [] if there are none.", indent)
        return [*lines, f"{indent}{field.name}: []"]
    if field.is_list:
        lines += _note("Write one item per line, each after a hyphen, like the empty one below.", indent)
        if not field.required:
            lines += _note(f"If there are none, delete the hyphen line and write  {field.name}: []", indent)
        return [*lines, f"{indent}{field.name}:", f"{indent}  -"]
    if field.is_group and field.required:
        lines.append(f"{indent}{field.name}:")
        for sub in field.fields:
            lines += _field(sub, indent + "  ", entry_id)
        return lines
    if field.is_group:
        lines += _note("Leave it empty for now. When the time comes, write it like this:", indent)
        lines += _note(f"  {field.name}:", indent)
        lines += [line for sub in field.fields for line in _note(f"    {sub.name}: {sub.description}", indent)]
        return [*lines, f"{indent}{field.name}:"]
    if field.kind.startswith("text;"):
        lines += _note(f"For more than one paragraph, write  {field.name}: |  and put the paragraphs on the "
                       "lines below, indented by two spaces, with a blank line between them.", indent)
    return [*lines, f"{indent}{field.name}:"]


def _value_line(field: FieldDoc, indent: str) -> str:
    """One field inside a list item: empty, or [] for an optional list."""
    if field.is_list and not field.required:
        return f"{indent}{field.name}: []"
    if field.kind == "true or false" and not field.required:
        return f"{indent}{field.name}: false"
    return f"{indent}{field.name}:"
