"""`rename KIND OLD NEW`: give a content file a new id and rewrite every reference to it, changing nothing else.

Each reference is rewritten where it is written (its line and column), so comments, quotes, layout and
line endings stay byte for byte. Nothing is written unless the content is valid before and the renamed
content validates: the edits are tried on a copy of the content folder first.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from . import pipeline
from .addresses import entry_page
from .diagnostics import Diagnostic, Severity, did_you_mean
from .load import load_content
from .model import KINDS
from .references import SINGULAR, Use, entry_id, references
from .scaffold import ScaffoldError, check_id
from .schema import FOLDER_OF

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class RenameError(ValueError):
    """Nothing was renamed: why, and the checker's messages when the content is the reason."""

    def __init__(self, message: str, diagnostics: Sequence[Diagnostic] = ()) -> None:
        super().__init__(message)
        self.diagnostics = tuple(diagnostics)


@dataclass(frozen=True)
class Renamed:
    kind: str  # the folder, e.g. 'causes'
    old_file: str  # as shown, e.g. 'content/causes/dehydration.yaml'
    new_file: str
    references: tuple[Use, ...]  # every reference rewritten, where it was written
    old_page: str | None  # the page's path before and after, e.g. 'causes/dehydration.md'; None for a source
    new_page: str | None

    @property
    def files(self) -> tuple[str, ...]:
        """The other files whose references were rewritten."""
        return tuple(sorted({use.file for use in self.references}))


def rename(content_dir: Path, kind: str, old: str, new: str, *, shown_as: str = "content",
           today: dt.date | None = None) -> Renamed:
    """Rename content_dir/<kind>/OLD.yaml to NEW.yaml, set its id and rewrite every reference; or raise RenameError."""
    folder = FOLDER_OF.get(kind, kind)
    if folder not in KINDS:
        raise RenameError(f"unknown kind '{kind}'; use one of: {', '.join(FOLDER_OF)}")
    what = SINGULAR[folder]
    here = content_dir / folder
    ids = sorted(path.stem for path in here.glob("*.yaml")) if here.is_dir() else []
    try:
        check_id(new, taken=ids)
    except ScaffoldError as exc:
        raise RenameError(str(exc)) from None
    if old == new:
        raise RenameError(f"the {what} is already called '{old}'")
    if old not in ids:
        elsewhere = [SINGULAR[k] for k in KINDS if k != folder and (content_dir / k / f"{old}.yaml").is_file()]
        hint = did_you_mean(old, ids)
        also = f"; there is a {' and a '.join(elsewhere)} with that id" if elsewhere else ""
        raise RenameError(f"there is no {what} '{old}' in {shown_as}/{folder}/{hint}{also}")
    if new in ids:
        raise RenameError(f"{shown_as}/{folder}/{new}.yaml already exists; choose another id, "
                          f"or see where each is used with `python -m generator used-by {new}`")

    before = pipeline.run(content_dir, today=today, overdue_is_error=False, shown_as=shown_as, render_pages=False)
    if _errors(before.diagnostics):
        raise RenameError("the content has errors (listed above); fix them first, then rename", before.diagnostics)

    rewritten, edits = _edits(content_dir, folder, old, new, shown_as)
    old_path, new_path = here / f"{old}.yaml", here / f"{new}.yaml"
    with tempfile.TemporaryDirectory(prefix="rename-") as scratch:
        trial = Path(scratch) / content_dir.name
        shutil.copytree(content_dir, trial, symlinks=True)
        _apply(trial, edits, trial / folder / old_path.name, trial / folder / new_path.name)
        after = pipeline.run(trial, today=today, overdue_is_error=False, shown_as=shown_as, render_pages=False)
    if _errors(after.diagnostics):
        raise RenameError("renaming would leave the errors listed above, so nothing was changed", after.diagnostics)
    _apply(content_dir, edits, old_path, new_path)
    return Renamed(folder, f"{shown_as}/{folder}/{old_path.name}", f"{shown_as}/{folder}/{new_path.name}",
                   tuple(rewritten), entry_page(folder, old), entry_page(folder, new))


def _errors(diagnostics: Sequence[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


def _edits(content_dir: Path, folder: str, old: str, new: str, shown_as: str) -> tuple[list[Use], dict[Path, str]]:
    """The references to rewrite, and every file's new text, keyed by its path relative to content_dir."""
    loaded = load_content(content_dir, shown_as=shown_as)
    rewritten: list[Use] = []
    texts: dict[Path, str] = {}
    for doc in loaded.documents:
        at = [use for use in references(doc) if use.kind == folder and use.target == old]
        rewritten += at
        places = [(use.line, use.column) for use in at]
        if doc.kind == folder and entry_id(doc) == old:
            places.append(doc.position(("id",)))
        if places:
            relative = Path(doc.kind, PurePosixPath(doc.path).name)
            raw = (content_dir / relative).read_bytes().decode("utf-8")
            texts[relative] = _rewrite(raw, places, old, new, doc.path)
    return sorted(rewritten), texts


def _rewrite(raw: str, places: list[tuple[int, int]], old: str, new: str, shown: str) -> str:
    """raw with old replaced by new at each (line, column), counted from 1; quotes around it are kept."""
    starts = [0, *(m.end() for m in _LINE_BREAK.finditer(raw))]
    for line, column in sorted(set(places), reverse=True):
        at = starts[line - 1] + column - 1
        for quote in ("", '"', "'"):
            written = f"{quote}{old}{quote}"
            if raw.startswith(written, at):
                raw = f"{raw[:at]}{quote}{new}{quote}{raw[at + len(written):]}"
                break
        else:
            raise RenameError(f"{shown}:{line}:{column}: '{old}' is not written plainly here (escaped?); "
                              f"write it as {old}, then rename again")
    return raw


def _apply(content_dir: Path, edits: dict[Path, str], old_path: Path, new_path: Path) -> None:
    """Write every edited file (the renamed one under its new name), each replaced in one step."""
    for relative, text in sorted(edits.items()):
        target = content_dir / relative
        if target == old_path:
            target = new_path
        # load skips dot-files, so a running preview never reads a half-written file
        part = target.with_name(f".{target.name}.part")
        part.write_bytes(text.encode("utf-8"))
        os.replace(part, target)
    if old_path.exists() and new_path.exists():
        old_path.unlink()
