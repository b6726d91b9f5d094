"""Where each id is used: every reference in every content file, found through model.REFERENCES.

Works on loaded content (load.py), not on validated content, so an editor can ask where an id is
used while the content still has errors, for example after deleting a page.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from .diagnostics import did_you_mean, field_path
from .load import Document, FieldPath, LoadedContent
from .model import REFERENCES
from .schema import FOLDER_OF

# Each kind's folder in the singular, as `new` and `rename` name it and as messages say it.
SINGULAR = {folder: name for name, folder in FOLDER_OF.items()}


@dataclass(frozen=True, order=True)
class Use:
    """One reference to an id: where it is written, in which field, and what it points at."""

    file: str  # as shown in messages, e.g. 'content/conditions/calf-cramp.yaml'
    line: int
    column: int
    field: str  # e.g. 'causes[0].cause'
    kind: str  # the folder of the kind it points at, e.g. 'causes'
    target: str  # the id it names
    loc: FieldPath = ()  # the field path of the value, for editing it

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.field}"


@dataclass(frozen=True)
class UsedBy:
    """What `used-by ID` answers: the files that define the id, the places that use it, a suggestion."""

    target: str
    defined_in: tuple[tuple[str, str], ...]  # (kind folder, file as shown) for each kind with that id
    uses: tuple[Use, ...]
    suggestion: str  # ' (did you mean 'x'?)' when nothing defines or uses the id, else ''


def entry_id(doc: Document) -> str:
    """The id a file defines: its name without .yaml (validation makes the id field agree)."""
    return PurePosixPath(doc.path).stem


def references(doc: Document) -> Iterator[Use]:
    """Every reference written in one file, in the order of model.REFERENCES."""
    for pattern, target_kind in REFERENCES.get(doc.kind, {}).items():
        for loc, value in walk(doc.data, pattern):
            if isinstance(value, str):
                line, column = doc.position(loc)
                yield Use(doc.path, line, column, field_path(loc), target_kind, value, loc)


def used_by(content: LoadedContent, target: str) -> UsedBy:
    """Where target is used, across every kind, and which files define it."""
    defined = tuple(sorted((doc.kind, doc.path) for doc in content.documents if entry_id(doc) == target))
    uses = tuple(sorted(use for doc in content.documents for use in references(doc) if use.target == target))
    suggestion = ""
    if not defined and not uses:
        suggestion = did_you_mean(target, sorted({entry_id(doc) for doc in content.documents}))
    return UsedBy(target, defined, uses, suggestion)


def ids_of(content: LoadedContent, kind: str) -> list[str]:
    """The ids of every file of one kind (a folder name such as 'causes')."""
    return sorted(entry_id(doc) for doc in content.documents if doc.kind == kind)


def walk(data: Any, pattern: tuple[str, ...], loc: FieldPath = ()) -> Iterator[tuple[FieldPath, Any]]:
    """The values at a REFERENCES pattern ('*' is every item of a list), skipping what is not the expected shape."""
    if not pattern:
        yield loc, data
        return
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        if isinstance(data, list):
            for i, item in enumerate(data):
                yield from walk(item, rest, (*loc, i))
    elif isinstance(data, dict) and data.get(head) is not None:
        yield from walk(data[head], rest, (*loc, head))
