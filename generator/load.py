"""Stage 1, load: read every content file as plain data, keeping where each value was written.

YAML is parsed with the safe loader only. Anchors and aliases, custom tags and
duplicate keys are refused, so a content file can never run code or expand
into a huge document. Nothing outside the content folder is read: links
(symlinks) are refused, and so is any file MkDocs would publish as it is.

Most files keep to a plain part of YAML that the quick reader in quick_yaml.py
reads without libyaml; it leaves every other file, and every problem, to libyaml
here, so the data, positions and messages are the same either way.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from . import parallel
from .diagnostics import Diagnostic, field_path
from .model import KINDS
from .quick_yaml import read_plain
from .yaml_common import (
    COLUMN_BITS, HIDDEN_CHARACTER, LOADER, STANDARD_TAGS, STR_TAG, FieldPath, Places, Position,
    index_key, path_key, path_part, unpack,
)

MAX_FILE_BYTES = 1_000_000
MAX_NESTING = 20  # content nests 4 deep; far deeper input would overflow the parser's stack
SITE_FILE = "site.yaml"
ROOT_FILES = {SITE_FILE, "README.md", "pictures"}  # besides the kind folders, all content/ may hold (mkdocs.yml
# excludes README.md and pictures/; the validator checks the drawings in pictures/ that steps name)


@dataclass(frozen=True)
class Document:
    """One content file: its kind, its data and where every value in it is written."""

    kind: str
    path: str  # as shown in messages, e.g. 'content/causes/dehydration.yaml'
    data: Any
    text: str = field(repr=False)  # the file as read
    # Where each value starts ('' is the whole file's), where each field's name starts, and how plain
    # values YAML read as something other than text were written, e.g. 'on' (read as true).
    places: Places | None = field(repr=False, compare=False)
    quick: bool = field(default=False, repr=False)  # read by the quick reader, which can find places again

    def __getstate__(self) -> dict[str, Any]:
        """What pickling keeps: not the places of a quickly read file, which are found again if a message needs them.

        A forked copy that loads half of the files sends them back pickled (parallel.py); leaving the places
        out halves the time that takes, and only a file with a problem needs them.
        """
        state = dict(self.__dict__)
        if self.quick:
            state["places"] = None
        return state

    @property
    def _places(self) -> Places:
        if self.places is None:  # a quickly read file, unpickled: read it again, as it was read then
            read = read_plain(self.text)
            if read is None:
                raise RuntimeError(f"{self.path}: the quick reader read this text before but not now")
            object.__setattr__(self, "places", read[1])
        return self.places  # type: ignore[return-value]

    def position(self, loc: FieldPath) -> Position:
        """The position of loc, or of the nearest enclosing value that has one."""
        positions = self._places.values
        at = positions[""]
        key = ""
        for part in loc:
            key += path_part(part)
            if key not in positions:
                break
            at = positions[key]
        return unpack(at)

    def key_position(self, loc: FieldPath) -> Position | None:
        """Where the name of the field at loc is written (None if loc is no field)."""
        at = self._places.keys.get(path_key(loc))
        return None if at is None else unpack(at)

    def has_value(self, loc: FieldPath) -> bool:
        """Whether the file has a value (possibly empty) at loc."""
        return path_key(loc) in self._places.values

    def written_as(self, loc: FieldPath) -> str | None:
        """How the plain value at loc was written, if YAML read it as something other than text."""
        return self._places.written.get(path_key(loc))


@dataclass(frozen=True)
class LoadedContent:
    site: Document | None
    documents: tuple[Document, ...]
    diagnostics: tuple[Diagnostic, ...]
    content_dir: Path | None = None  # where the files were read, for the drawings in its pictures/ folder
    shown_as: str = "content"


_FileJob = tuple[os.DirEntry[str], str, str]  # a content file, its kind, and its path as shown


def load_content(content_dir: Path, shown_as: str = "content", *, processes: int = 1,
                 each: Callable[[Document], object] | None = None) -> LoadedContent:
    """Load site.yaml and every file under content_dir/<kind>/ (with processes=2, on two cores).

    each(document), if given, is called in this process for every file read, as soon as it is read (in
    no set order): the pipeline starts checking files here while the forked copy is still reading.
    """
    diagnostics: list[Diagnostic] = []
    documents: list[Document] = []
    site = None
    site_path = content_dir / SITE_FILE
    if site_path.is_symlink():
        diagnostics.append(Diagnostic(f"{shown_as}/{SITE_FILE}", 1, 1, "", _LINK_MESSAGE))
    elif site_path.is_file():
        site = _load_file(site_path, "site", f"{shown_as}/{SITE_FILE}", diagnostics)
    else:
        diagnostics.append(
            Diagnostic(f"{shown_as}/{SITE_FILE}", 1, 1, "", "file is missing: the site settings must be in this file")
        )
    # Every file to read, and the listing's own messages in the order they are found among them.
    steps: list[Diagnostic | _FileJob] = []
    for kind in KINDS:
        listing: list[Diagnostic] = []
        for entry in _content_files(content_dir / kind, listing, f"{shown_as}/{kind}"):
            steps += listing
            listing.clear()
            steps.append((entry, kind, f"{shown_as}/{kind}/{entry.name}"))
        steps += listing
    jobs = [step for step in steps if not isinstance(step, Diagnostic)]

    def read(result: tuple[Document | None, list[Diagnostic]]) -> None:
        if each is not None and result[0] is not None:
            each(result[0])

    results = iter(parallel.run_all(jobs, _load_job, processes=processes, then=read))
    for step in steps:
        if isinstance(step, Diagnostic):
            diagnostics.append(step)
            continue
        doc, problems = next(results)
        diagnostics += problems
        if doc is not None:
            documents.append(doc)
    for extra in sorted(content_dir.iterdir()) if content_dir.is_dir() else []:
        if extra.name in KINDS or extra.name in ROOT_FILES or extra.name.startswith("."):
            continue
        if extra.is_dir():
            message = f"unknown folder; content goes in one of: {', '.join(KINDS)}"
        else:  # MkDocs would publish it as it is, unchecked
            message = f"not a content file; {shown_as}/ holds only {SITE_FILE} and the folders {', '.join(KINDS)}"
        diagnostics.append(Diagnostic(f"{shown_as}/{extra.name}", 1, 1, "", message))
    return LoadedContent(site, tuple(documents), tuple(diagnostics), content_dir, shown_as)


def _load_job(job: _FileJob) -> tuple[Document | None, list[Diagnostic]]:
    entry, kind, shown = job
    problems: list[Diagnostic] = []
    return _load_file(entry, kind, shown, problems), problems


_LINK_MESSAGE = "is a link (symlink); content must be real files inside the content folder, so copy the file here"


def _content_files(folder: Path, diagnostics: list[Diagnostic], shown: str) -> Iterator[os.DirEntry[str]]:
    if folder.is_symlink():
        diagnostics.append(Diagnostic(shown, 1, 1, "", _LINK_MESSAGE))
        return
    if folder.exists() and not folder.is_dir():
        diagnostics.append(Diagnostic(shown, 1, 1, "", "must be a folder of .yaml files, not a file"))
        return
    if not folder.is_dir():
        return
    with os.scandir(folder) as scan:  # its entries know their type without a stat call per file (30 ms at N=1,000)
        entries = sorted(scan, key=lambda entry: entry.name)
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        if entry.is_symlink():
            diagnostics.append(Diagnostic(f"{shown}/{name}", 1, 1, "", _LINK_MESSAGE))
        elif entry.is_dir():
            diagnostics.append(
                Diagnostic(f"{shown}/{name}", 1, 1, "", f"is a folder; put content files directly in {shown}/, not in sub-folders")
            )
        elif not entry.is_file():
            diagnostics.append(
                Diagnostic(f"{shown}/{name}", 1, 1, "", "not a plain file; content files must be .yaml files, not links or folders")
            )
        elif name.endswith(".yml"):
            stem = name.removesuffix(".yml")
            diagnostics.append(
                Diagnostic(f"{shown}/{name}", 1, 1, "", f"rename the file to {stem}.yaml (content files end in .yaml)")
            )
        elif not name.endswith(".yaml"):
            diagnostics.append(
                Diagnostic(f"{shown}/{name}", 1, 1, "", "not a content file; only .yaml files belong in this folder")
            )
        else:
            yield entry


def _load_file(path: os.PathLike[str], kind: str, shown: str, diagnostics: list[Diagnostic]) -> Document | None:
    def fail(line: int, column: int, message: str) -> None:
        diagnostics.append(Diagnostic(shown, line, column, "", message))

    try:
        raw = _read(path)
    except OSError as exc:
        fail(1, 1, f"cannot read the file ({exc.strerror}); check that it is a readable file")
        return None
    if len(raw) > MAX_FILE_BYTES:
        size = os.stat(path).st_size
        fail(1, 1, f"file is {size:,} bytes; a content file may be at most {MAX_FILE_BYTES:,} bytes. Split it or shorten it")
        return None
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
        index = text.index("\x00")
        fail(text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index),
             "file contains a NUL character; save it as plain UTF-8 text")
        return None
    read = read_plain(text)  # most files: read without libyaml, 2 to 3 times faster
    quick = read is not None
    if read is None:  # an unusual or faulty file: libyaml reads it and words any problem
        read = _read_with_libyaml(text, raw, shown, diagnostics)
        if read is None:
            return None
    data, places = read
    return Document(kind, shown, data, text, places, quick)


def _read_with_libyaml(text: str, raw: bytes, shown: str, diagnostics: list[Diagnostic]) -> tuple[Any, Places] | None:
    def fail(line: int, column: int, message: str) -> None:
        diagnostics.append(Diagnostic(shown, line, column, "", message))

    try:
        too_deep = _too_deep(text)
        if too_deep is not None:
            fail(too_deep.line + 1, too_deep.column + 1,
                 f"lists or fields are nested more than {MAX_NESTING} deep here; content files nest only a few levels")
            return None
        node = yaml.compose(text, Loader=LOADER)
    except yaml.MarkedYAMLError as exc:
        problem = exc.problem or "could not be read"
        opened_at = "end of stream" in problem and exc.context_mark is not None  # where the quote was opened
        mark = (exc.context_mark if opened_at else exc.problem_mark) or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        hint = _syntax_hint(problem)
        if "cannot start any token" in problem and mark is not None:
            hint = _start_hint(text[mark.index:mark.index + 1])
        if "mapping values are not allowed" in problem and mark is not None and _indented_too_far(text, mark.line):
            hint = "; this line is indented further than the field above it: line it up with the fields it belongs with"
        context = f" {exc.context}" if exc.context and exc.problem else ""
        fail(line, column, f"YAML syntax error:{context} {problem}{hint}")
        return None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow anywhere, e.g. a control code
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        at = exc.position  # libyaml counts bytes of the UTF-8 text
        line_start = raw.rfind(b"\n", 0, at) + 1
        fail(raw.count(b"\n", 0, at) + 1, len(raw[line_start:at].decode("utf-8", "replace")) + 1,
             f"the file contains the invisible character U+{code:04X}; delete it (retype the text around it)")
        return None
    except yaml.YAMLError as exc:
        fail(1, 1, f"YAML error: {' '.join(str(exc).split())}")
        return None
    if node is None:
        fail(1, 1, "file is empty; it must hold the fields of one entry (see 'python -m generator new')")
        return None
    if _may_hide_problems(text):  # _build leaves out the checks these need: check every value first
        problems = _problems(node, text, shown)
        if problems:
            diagnostics.extend(problems)
            return None
    try:
        return _build(node)
    except _Refused:
        problems = _problems(node, text, shown)
        if not problems:
            raise RuntimeError(f"{shown}: _build refused a value that _to_data accepts") from None
        diagnostics.extend(problems)
        return None


def _read(path: os.PathLike[str]) -> bytes:
    """The file's bytes, or the first MAX_FILE_BYTES + 1 of them."""
    with open(path, "rb", buffering=0) as file:
        # Asking for the size it has rather than for the most it may have saves allocating 1 MB per file
        size = min(os.fstat(file.fileno()).st_size, MAX_FILE_BYTES) + 1
        raw = file.read(size)
        if len(raw) == size:  # it grew, or is exactly too long: read on up to the limit
            raw += file.read(MAX_FILE_BYTES + 1 - size)
    return raw


def _may_hide_problems(text: str) -> bool:
    """Whether a value could be an alias or hold an invisible character, which only _to_data checks."""
    # An alias needs an anchor (&); an invisible character in a value is in the text or escaped (\\).
    return "&" in text or "\\" in text or HIDDEN_CHARACTER.search(text) is not None


def _problems(node: yaml.Node, text: str, shown: str) -> list[Diagnostic]:
    """Every value the file has that load refuses, with the message for each."""
    problems: list[Diagnostic] = []
    _to_data(node, (), {}, problems, shown, set(), {})
    if any("anchors and aliases" in p.message for p in problems):
        problems = [p for p in problems if "anchors and aliases" not in p.message] + _aliases(text, shown)
    return problems


class _Refused(Exception):
    """The file holds a value load refuses; _problems says which and why."""


def _build(node: yaml.Node) -> tuple[Any, Places]:
    """The data of a composed file and where each value is written; _Refused if a value is refused.

    Unlike _to_data it words no message per value and checks for neither aliases nor invisible
    characters (_may_hide_problems says when to), which makes it several times faster.
    """
    places = Places()
    return _value(node, "", places), places


def _value(node: yaml.Node, key: str, places: Places) -> Any:
    """A value's data; records where it and everything in it is written, under key."""
    if node.tag not in STANDARD_TAGS:
        raise _Refused
    mark = node.start_mark
    places.values[key] = (mark.line + 1) << COLUMN_BITS | (mark.column + 1)
    if isinstance(node, MappingNode):
        return _fields(node, key, places)
    if isinstance(node, SequenceNode):
        return [_value(item, key + index_key(index), places) for index, item in enumerate(node.value)]
    if node.tag == STR_TAG:
        return node.value
    try:
        value = yaml.constructor.SafeConstructor().construct_object(node)
    except (yaml.YAMLError, ValueError, OverflowError):
        raise _Refused from None
    if value is not None and not isinstance(value, str) and not node.style:  # plain, not quoted
        places.written[key] = node.value
    return value


def _fields(node: MappingNode, key: str, places: Places) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if key_node.tag != STR_TAG or type(key_node) is not ScalarNode:  # a merge key (<<), number, list...
            raise _Refused
        name = key_node.value
        if name in data or not name.isprintable():
            raise _Refused
        field_key = f"{key}\n{name}"
        data[name] = _value(value_node, field_key, places)
        mark = key_node.start_mark
        places.keys[field_key] = (mark.line + 1) << COLUMN_BITS | (mark.column + 1)
    return data


def _too_deep(text: str) -> yaml.Mark | None:
    """Where nesting first goes deeper than MAX_NESTING, found from the parser's events before anything is built."""
    depth = 0
    for event in yaml.parse(text, Loader=LOADER):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_NESTING:
                return event.start_mark
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
    return None


def _aliases(text: str, shown: str) -> list[Diagnostic]:
    """Where each alias (*name) is written: the composed tree only knows where its anchor was."""
    return [
        Diagnostic(shown, event.start_mark.line + 1, event.start_mark.column + 1, "",
                   "anchors and aliases (& and *) are not allowed; write the value out")
        for event in yaml.parse(text, Loader=LOADER)
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


def _indented_too_far(text: str, line: int) -> bool:
    """Whether a line starts right of the value of the field above it (a slip, not a colon in text)."""
    lines = text.splitlines()
    above = next((lines[i] for i in range(line - 1, -1, -1) if lines[i].strip()), "")
    if not lines or line >= len(lines) or above.rstrip().endswith(":"):  # above opens a group: indenting is right
        return False

    def start(row: str) -> int:
        return len(row) - len(row.lstrip(" -"))

    return start(lines[line]) > start(above)


def _start_hint(character: str) -> str:
    """The hint for a character that no YAML value may start with."""
    if character == "\t":
        return "; a tab is used here: indent with spaces, not tabs"
    return f"; a value cannot start with {character!r}: put all of the text in double quotes"


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
    written: dict[FieldPath, str],
) -> Any:
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    positions[loc] = (line, column)
    where = field_path(loc)
    if id(node) in seen:
        problems.append(Diagnostic(shown, line, column, where, "anchors and aliases (& and *) are not allowed; write the value out"))
        return None
    seen.add(id(node))
    if node.tag not in STANDARD_TAGS:
        problems.append(
            Diagnostic(shown, line, column, where, f"the tag '{node.tag}' is not allowed; remove it and write a plain value")
        )
        return None
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_line, key_col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if key_node.tag == "tag:yaml.org,2002:merge":
                problems.append(Diagnostic(shown, key_line, key_col, where,
                                           "merge keys (<<) and aliases are not allowed; write the fields out"))
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                reason = f"'{key_node.value}' is not a field name" if isinstance(key_node, yaml.ScalarNode) \
                    else "a list or group cannot be a field name"
                problems.append(Diagnostic(shown, key_line, key_col, where,
                                           f"{reason}; field names are words such as 'title', followed by ': '"))
                continue
            key = key_node.value
            if not key.isprintable():
                problems.append(Diagnostic(shown, key_line, key_col, where,
                                           "a field name contains an invisible character or line break; retype it"))
                continue
            if key in out:
                first = positions.get((*loc, key), (0, 0))[0]
                problems.append(
                    Diagnostic(shown, key_line, key_col, field_path((*loc, key)),
                               f"duplicate field (first given on line {first}); keep one of them")
                )
                continue
            out[key] = _to_data(value_node, (*loc, key), positions, problems, shown, seen, written)
            positions[(*loc, key, "__key__")] = (key_line, key_col)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_to_data(item, (*loc, i), positions, problems, shown, seen, written) for i, item in enumerate(node.value)]
    try:
        if node.tag == "tag:yaml.org,2002:str":  # most values: the text itself, without building a constructor
            value = node.value
        else:
            value = yaml.constructor.SafeConstructor().construct_object(node)
    except (yaml.YAMLError, ValueError, OverflowError) as exc:
        if node.tag == "tag:yaml.org,2002:timestamp":
            message = f"{node.value} is not a real date ({exc}); write a date that exists, as YYYY-MM-DD"
        else:
            reason = "the number is too long" if "limit" in str(exc) else str(exc)
            message = f"cannot read this value ({reason}); correct it, or put text in quotes"
        problems.append(Diagnostic(shown, line, column, where, message))
        return None
    if value is not None and not isinstance(value, str) and not node.style:  # plain, not quoted
        written[loc] = node.value
    hidden = HIDDEN_CHARACTER.search(value) if isinstance(value, str) else None
    if hidden is not None:
        problems.append(Diagnostic(shown, line, column, where,
            f"contains the invisible character U+{ord(hidden.group()):04X}; delete it (retype the text around it)"))
        return None
    return value
