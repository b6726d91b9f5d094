"""Stage 1, load: read every content file as plain data, keeping where each value was written.

YAML is parsed with the safe loader only. Anchors and aliases, custom tags and
duplicate keys are refused, so a content file can never run code or expand
into a huge document.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic
from .model import KINDS

try:  # libyaml is 10 to 18 times faster and still gives every node's line and column
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - only without libyaml
    _Loader = yaml.SafeLoader

MAX_FILE_BYTES = 1_000_000
SITE_FILE = "site.yaml"
_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}

Position = tuple[int, int]
FieldPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Document:
    """One content file: its kind, its data and the position of every value in it."""

    kind: str
    path: str  # as shown in messages, e.g. 'content/causes/dehydration.yaml'
    data: Any
    positions: dict[FieldPath, Position] = field(repr=False)

    def position(self, loc: FieldPath) -> Position:
        """The position of loc, or of the nearest enclosing value that has one."""
        loc = tuple(loc)
        while loc not in self.positions and loc:
            loc = loc[:-1]
        return self.positions.get(loc, (1, 1))


@dataclass(frozen=True)
class LoadedContent:
    site: Document | None
    documents: tuple[Document, ...]
    diagnostics: tuple[Diagnostic, ...]


def load_content(content_dir: Path, shown_as: str = "content") -> LoadedContent:
    """Load site.yaml and every file under content_dir/<kind>/."""
    diagnostics: list[Diagnostic] = []
    documents: list[Document] = []
    site = None
    site_path = content_dir / SITE_FILE
    if site_path.is_file():
        site = _load_file(site_path, "site", f"{shown_as}/{SITE_FILE}", diagnostics)
    else:
        diagnostics.append(
            Diagnostic(f"{shown_as}/{SITE_FILE}", 1, 1, "", "file is missing: the site settings must be in this file")
        )
    for kind in KINDS:
        for path in _content_files(content_dir / kind, diagnostics, f"{shown_as}/{kind}"):
            doc = _load_file(path, kind, f"{shown_as}/{kind}/{path.name}", diagnostics)
            if doc is not None:
                documents.append(doc)
    for extra in sorted(content_dir.iterdir()) if content_dir.is_dir() else []:
        if extra.is_dir() and extra.name not in KINDS and not extra.name.startswith("."):
            diagnostics.append(
                Diagnostic(
                    f"{shown_as}/{extra.name}", 1, 1, "",
                    f"unknown folder; content goes in one of: {', '.join(KINDS)}",
                )
            )
    return LoadedContent(site, tuple(documents), tuple(diagnostics))


def _content_files(folder: Path, diagnostics: list[Diagnostic], shown: str) -> Iterator[Path]:
    if not folder.is_dir():
        return
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        if path.is_symlink() or not path.is_file():
            diagnostics.append(
                Diagnostic(f"{shown}/{path.name}", 1, 1, "", "not a plain file; content files must be .yaml files, not links or folders")
            )
        elif path.suffix == ".yml":
            diagnostics.append(
                Diagnostic(f"{shown}/{path.name}", 1, 1, "", f"rename the file to {path.stem}.yaml (content files end in .yaml)")
            )
        elif path.suffix != ".yaml":
            diagnostics.append(
                Diagnostic(f"{shown}/{path.name}", 1, 1, "", "not a content file; only .yaml files belong in this folder")
            )
        else:
            yield path


def _load_file(path: Path, kind: str, shown: str, diagnostics: list[Diagnostic]) -> Document | None:
    def fail(line: int, column: int, message: str) -> None:
        diagnostics.append(Diagnostic(shown, line, column, "", message))

    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        fail(1, 1, f"file is {size:,} bytes; a content file may be at most {MAX_FILE_BYTES:,} bytes. Split it or shorten it")
        return None
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        fail(1, 1, "file starts with a byte-order mark; save it as UTF-8 without BOM")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        fail(line, column, f"byte 0x{raw[exc.start]:02x} is not UTF-8 text; save the file as UTF-8")
        return None
    if "\x00" in text:
        fail(1, 1, "file contains a NUL character; save it as plain UTF-8 text")
        return None
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or "could not be read"
        hint = _syntax_hint(problem)
        context = f" {exc.context}" if exc.context and exc.problem else ""
        fail(line, column, f"YAML syntax error:{context} {problem}{hint}")
        return None
    except yaml.YAMLError as exc:
        fail(1, 1, f"YAML error: {exc}")
        return None
    if node is None:
        fail(1, 1, "file is empty; it must hold the fields of one entry (see 'python -m generator new')")
        return None
    positions: dict[FieldPath, Position] = {}
    problems: list[Diagnostic] = []
    data = _to_data(node, (), positions, problems, shown, set())
    if any("anchors and aliases" in p.message for p in problems):
        problems = [p for p in problems if "anchors and aliases" not in p.message] + _aliases(text, shown)
    if problems:
        diagnostics.extend(problems)
        return None
    return Document(kind, shown, data, positions)


def _aliases(text: str, shown: str) -> list[Diagnostic]:
    """Where each alias (*name) is written: the composed tree only knows where its anchor was."""
    return [
        Diagnostic(shown, event.start_mark.line + 1, event.start_mark.column + 1, "",
                   "anchors and aliases (& and *) are not allowed; write the value out")
        for event in yaml.parse(text, Loader=_Loader)
        if isinstance(event, yaml.AliasEvent)
    ][:1]


# What usually causes each YAML syntax error in a content file, and how to fix it.
_SYNTAX_HINTS = (
    (("tab",), "use spaces, not tabs, to indent"),
    (("mapping values are not allowed",),
     "a colon and a space may only come after a field name; if the text contains ': ', "
     "put all of the text in double quotes, e.g. summary: \"Cramp: what to do\""),
    (("expected key", "expected '-' indicator"),
     "line this up with the lines around it (fields of one group start in the same column, "
     "2 spaces per level); if the text starts with a quote or [, put all of it in double quotes"),
    (("could not find expected ':'",),
     "the line above runs on: indent text that carries on to the next line, "
     "or give the line a field name followed by ': '"),
    (("end of stream",), "a quote is opened but never closed; add the closing quote"),
    (("expected ',' or ']'",), "a [ list is not closed; end it with ] on the same line"),
)


def _syntax_hint(problem: str) -> str:
    for clues, hint in _SYNTAX_HINTS:
        if any(clue in problem for clue in clues):
            return f"; {hint}"
    return ""


def _to_data(
    node: yaml.Node,
    loc: FieldPath,
    positions: dict[FieldPath, Position],
    problems: list[Diagnostic],
    shown: str,
    seen: set[int],
) -> Any:
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    positions[loc] = (line, column)
    where = ".".join(str(p) for p in loc)
    if id(node) in seen:
        problems.append(Diagnostic(shown, line, column, where, "anchors and aliases (& and *) are not allowed; write the value out"))
        return None
    seen.add(id(node))
    if node.tag not in _STANDARD_TAGS:
        problems.append(
            Diagnostic(shown, line, column, where, f"the tag '{node.tag}' is not allowed; remove it and write a plain value")
        )
        return None
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_line, key_col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                problems.append(Diagnostic(shown, key_line, key_col, where, "field names must be plain words"))
                continue
            key = key_node.value
            if key in out:
                first = positions.get((*loc, key), (0, 0))[0]
                problems.append(
                    Diagnostic(shown, key_line, key_col, ".".join(str(p) for p in (*loc, key)),
                               f"duplicate field (first given on line {first}); keep one of them")
                )
                continue
            out[key] = _to_data(value_node, (*loc, key), positions, problems, shown, seen)
            positions[(*loc, key, "__key__")] = (key_line, key_col)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_to_data(item, (*loc, i), positions, problems, shown, seen) for i, item in enumerate(node.value)]
    try:
        return yaml.constructor.SafeConstructor().construct_object(node)
    except (yaml.YAMLError, ValueError, OverflowError) as exc:
        problems.append(Diagnostic(shown, line, column, where, f"cannot read this value: {exc}"))
        return None
