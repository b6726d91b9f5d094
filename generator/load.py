"""Stage 1, load: read every content file as plain data, keeping where each value was written.

YAML is parsed with the safe loader only. Anchors and aliases, custom tags and
duplicate keys are refused, so a content file can never run code or expand
into a huge document. Nothing outside the content folder is read: links
(symlinks) are refused, and so is any file MkDocs would publish as it is.

Most files keep to a plain part of YAML that a quick reader at the end of this
module reads without libyaml; it leaves every other file, and every problem, to
libyaml, so the data, positions and messages are the same either way.
"""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .diagnostics import Diagnostic, field_path
from .model import KINDS

try:  # libyaml is 10 to 18 times faster and still gives every node's line and column
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - only without libyaml
    _Loader = yaml.SafeLoader

MAX_FILE_BYTES = 1_000_000
MAX_NESTING = 20  # content nests 4 deep; far deeper input would overflow the parser's stack
SITE_FILE = "site.yaml"
ROOT_FILES = {SITE_FILE, "README.md"}  # besides the kind folders, all content/ may hold (mkdocs.yml excludes README.md)
# Invisible characters that can hide or reorder text (control codes, bidirectional overrides, BOM).
_HIDDEN_CHARACTER = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")
_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}
_STR = "tag:yaml.org,2002:str"

Position = tuple[int, int]
FieldPath = tuple[str | int, ...]


# Where values are written, keyed by field path, e.g. ('causes', 2, 'cause') -> '\ncauses\n\t2\ncause'
# (see _path_key). A position is one number, line << 20 | column, both counted from 1: a dict of
# text to numbers holds nothing Python's cycle collector has to scan, unlike a tuple per value, and
# 20 bits hold any line or column of a file of at most MAX_FILE_BYTES.
Positions = dict[str, int]
_COLUMN_BITS = 20
_INDEX_KEYS = tuple(f"\n\t{index}" for index in range(1000))  # list items' path parts, made once


def _path_key(loc: FieldPath) -> str:
    """The key of loc in Positions."""
    return "".join(_path_part(part) for part in loc)


def _path_part(part: str | int) -> str:
    """A field name after a line break, a list index after a line break and a tab.

    Field names never hold a line break or tab (load refuses names that are not printable).
    """
    return f"\n{part}" if isinstance(part, str) else _index_key(part)


def _index_key(index: int) -> str:
    return _INDEX_KEYS[index] if 0 <= index < len(_INDEX_KEYS) else f"\n\t{index}"


def _unpack(at: int) -> Position:
    return at >> _COLUMN_BITS, at & ((1 << _COLUMN_BITS) - 1)


@dataclass(frozen=True)
class Document:
    """One content file: its kind, its data and where every value in it is written."""

    kind: str
    path: str  # as shown in messages, e.g. 'content/causes/dehydration.yaml'
    data: Any
    positions: Positions = field(repr=False)  # where each value starts ('' is the whole file's)
    key_positions: Positions = field(repr=False)  # where each field's name starts
    # How plain values that YAML read as something other than text were written, e.g. 'on' (read as true).
    written: dict[str, str] = field(default_factory=dict, repr=False)

    def position(self, loc: FieldPath) -> Position:
        """The position of loc, or of the nearest enclosing value that has one."""
        at = self.positions[""]
        key = ""
        for part in loc:
            key += _path_part(part)
            if key not in self.positions:
                break
            at = self.positions[key]
        return _unpack(at)

    def key_position(self, loc: FieldPath) -> Position | None:
        """Where the name of the field at loc is written (None if loc is no field)."""
        at = self.key_positions.get(_path_key(loc))
        return None if at is None else _unpack(at)

    def has_value(self, loc: FieldPath) -> bool:
        """Whether the file has a value (possibly empty) at loc."""
        return _path_key(loc) in self.positions

    def written_as(self, loc: FieldPath) -> str | None:
        """How the plain value at loc was written, if YAML read it as something other than text."""
        return self.written.get(_path_key(loc))


@dataclass(frozen=True)
class LoadedContent:
    site: Document | None
    documents: tuple[Document, ...]
    diagnostics: tuple[Diagnostic, ...]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Run a block without Python's cycle collector, which would re-scan every value built so far.

    Loaded content and the entries validated from it hold no reference cycles, so nothing is left
    uncollected; at N=1,000 the collector's passes cost a quarter of load and half of validate.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_content(content_dir: Path, shown_as: str = "content") -> LoadedContent:
    """Load site.yaml and every file under content_dir/<kind>/."""
    with gc_paused():
        return _load_content(content_dir, shown_as)


def _load_content(content_dir: Path, shown_as: str) -> LoadedContent:
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
    for kind in KINDS:
        for entry in _content_files(content_dir / kind, diagnostics, f"{shown_as}/{kind}"):
            doc = _load_file(entry, kind, f"{shown_as}/{kind}/{entry.name}", diagnostics)
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
    return LoadedContent(site, tuple(documents), tuple(diagnostics))


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
    read = _read_plain(text)  # most files: read without libyaml, 2 to 3 times faster
    if read is None:  # an unusual or faulty file: libyaml reads it and words any problem
        read = _read_with_libyaml(text, raw, shown, diagnostics)
        if read is None:
            return None
    data, places = read
    return Document(kind, shown, data, places.values, places.keys, places.written)


def _read_with_libyaml(text: str, raw: bytes, shown: str, diagnostics: list[Diagnostic]) -> tuple[Any, _Places] | None:
    def fail(line: int, column: int, message: str) -> None:
        diagnostics.append(Diagnostic(shown, line, column, "", message))

    try:
        too_deep = _too_deep(text)
        if too_deep is not None:
            fail(too_deep.line + 1, too_deep.column + 1,
                 f"lists or fields are nested more than {MAX_NESTING} deep here; content files nest only a few levels")
            return None
        node = yaml.compose(text, Loader=_Loader)
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
    return "&" in text or "\\" in text or _HIDDEN_CHARACTER.search(text) is not None


def _problems(node: yaml.Node, text: str, shown: str) -> list[Diagnostic]:
    """Every value the file has that load refuses, with the message for each."""
    problems: list[Diagnostic] = []
    _to_data(node, (), {}, problems, shown, set(), {})
    if any("anchors and aliases" in p.message for p in problems):
        problems = [p for p in problems if "anchors and aliases" not in p.message] + _aliases(text, shown)
    return problems


class _Refused(Exception):
    """The file holds a value load refuses; _problems says which and why."""


class _Places:
    """The Positions of a file being read, and how its plain non-text values were written."""

    __slots__ = ("values", "keys", "written")

    def __init__(self) -> None:
        self.values: Positions = {}
        self.keys: Positions = {}
        self.written: dict[str, str] = {}


def _build(node: yaml.Node) -> tuple[Any, _Places]:
    """The data of a composed file and where each value is written; _Refused if a value is refused.

    Unlike _to_data it words no message per value and checks for neither aliases nor invisible
    characters (_may_hide_problems says when to), which makes it several times faster.
    """
    places = _Places()
    return _value(node, "", places), places


def _value(node: yaml.Node, key: str, places: _Places) -> Any:
    """A value's data; records where it and everything in it is written, under key."""
    if node.tag not in _STANDARD_TAGS:
        raise _Refused
    mark = node.start_mark
    places.values[key] = (mark.line + 1) << _COLUMN_BITS | (mark.column + 1)
    if isinstance(node, MappingNode):
        return _fields(node, key, places)
    if isinstance(node, SequenceNode):
        return [_value(item, key + _index_key(index), places) for index, item in enumerate(node.value)]
    if node.tag == _STR:
        return node.value
    try:
        value = yaml.constructor.SafeConstructor().construct_object(node)
    except (yaml.YAMLError, ValueError, OverflowError):
        raise _Refused from None
    if value is not None and not isinstance(value, str) and not node.style:  # plain, not quoted
        places.written[key] = node.value
    return value


def _fields(node: MappingNode, key: str, places: _Places) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if key_node.tag != _STR or type(key_node) is not ScalarNode:  # a merge key (<<), number, list...
            raise _Refused
        name = key_node.value
        if name in data or not name.isprintable():
            raise _Refused
        field_key = f"{key}\n{name}"
        data[name] = _value(value_node, field_key, places)
        mark = key_node.start_mark
        places.keys[field_key] = (mark.line + 1) << _COLUMN_BITS | (mark.column + 1)
    return data


def _too_deep(text: str) -> yaml.Mark | None:
    """Where nesting first goes deeper than MAX_NESTING, found from the parser's events before anything is built."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
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
    if node.tag not in _STANDARD_TAGS:
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
    hidden = _HIDDEN_CHARACTER.search(value) if isinstance(value, str) else None
    if hidden is not None:
        problems.append(Diagnostic(shown, line, column, where,
            f"contains the invisible character U+{ord(hidden.group()):04X}; delete it (retype the text around it)"))
        return None
    return value


# The quick reader -------------------------------------------------------------------------------
#
# Content files keep to a small part of YAML: fields and lists in blocks, values in plain words,
# in quotes, folded with '>' or in a one-line [list]. _read_plain reads that part in one pass over
# the lines, building the data and its _Places as _build does from libyaml's nodes, but 2 to 3 times
# faster (libyaml itself is quick; making a Python object for every node and mark is not). Anything
# it might read differently from libyaml - an error, a refused value, any rarer YAML - it leaves to
# libyaml by returning None, so every message comes from the libyaml path as before.
# tests/test_load.py checks that both read a wide range of near-content texts the same.

_QUICK_MAX_DEPTH = 10  # well inside MAX_NESTING: deeper files take the libyaml path, which refuses them
# Every line: indentation, a list item's '- ', a field name with its ': ', and the rest (the value).
_ROW = re.compile(r"^( *)(-(?: +|$))?(?:([A-Za-z_][A-Za-z0-9_]*)(:(?: +|$)))?(.*)", re.MULTILINE)
# Characters that give a value's first character a meaning of its own in YAML
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@` ")
# Characters the quick reader leaves to libyaml wherever they are: tabs, line breaks other than
# \n, characters libyaml refuses (besides the invisible ones only _to_data words a message for).
_NOT_QUICK = ("\t", "\r", "\u2028", "\u2029", "\ufffe", "\uffff")
_PLAIN_ASCII = bytes(range(0x20, 0x7F)) + b"\n"  # nothing else in an ASCII file is left for the quick reader
# YAML's implicit types (int, bool, date...) by a plain value's first character, as its resolver
# tries them (BaseResolver.resolve); no resolver of the safe loader matches any first character.
_IMPLICIT_TYPES = {first: tuple(resolvers) for first, resolvers in _Loader.yaml_implicit_resolvers.items()}
# Of those first characters, the only ones that can start a value with a space in it: digits
# (a timestamp such as '2026-01-02 10:00'); true, null, numbers and the rest are one word.
_DIGITS = frozenset("0123456789")
_TYPED_CACHE: dict[str, tuple[Any, Any]] = {}  # plain value -> _typed(value); ids and dates repeat
# An item of a one-line [list]: plain, without anything YAML would read as a flow indicator
_FLOW_ITEM = re.compile(r" *([A-Za-z0-9_][A-Za-z0-9_./()+ -]*?) *")
_SINGLE_QUOTED = re.compile(r"(?:[^']|'')*")  # up to a closing quote ('' is a quote inside)
# Block value headers: (keeps line breaks, ends with a line break)
_BLOCK_HEADERS = {">": (False, True), ">-": (False, False), "|": (True, True), "|-": (True, False)}
# An open group or list: (column, data, path key, kind); a _FIELD_LIST starts in its field's column.
_GROUP, _LIST, _FIELD_LIST = 0, 1, 2
_Frame = tuple[int, Any, str, int]


class _NotQuick(Exception):
    """The text may use YAML beyond what _read_plain reads exactly as libyaml does."""


def _read_plain(text: str) -> tuple[Any, _Places] | None:
    """The data of text and where each value is written, or None to leave the file to libyaml.

    A line that starts a document ('---'), ends one ('...') or is a directive ('%') is neither a
    field nor a list item, so _read_rows leaves the file to libyaml too.
    """
    if "\r" in text:  # YAML reads a CR LF line break as a LF, at the same line and column
        text = text.replace("\r\n", "\n")
    if text.isascii():  # most files: one pass over the bytes, a tenth of the time the regex takes
        if text.encode("ascii").translate(None, _PLAIN_ASCII):
            return None
    elif any(part in text for part in _NOT_QUICK) or _HIDDEN_CHARACTER.search(text):
        return None
    try:
        return _read_rows(text)
    except _NotQuick:
        return None


def _read_rows(text: str) -> tuple[Any, _Places]:
    """Read text line by line, keeping a stack of the groups and lists still open."""
    rows = _ROW.findall(text)
    lines: list[str] = []  # the text's lines, split only for quoted, block and [list] values
    places = _Places()
    values, keys = places.values, places.keys
    stack: list[_Frame] = []
    # A field whose line ends after 'name:': its frame, path key, the name's line and where ':' ends
    open_field: tuple[_Frame, str, int, int] | None = None
    i = 0
    while i < len(rows):
        indent_text, dash, key, colon, rest = rows[i]
        if not (dash or key):
            if not rest or rest[0] == "#":
                i += 1
                continue  # an empty line or a comment
            raise _NotQuick  # text on a line of its own, where a field or a list item belongs
        indent = len(indent_text)
        line = (i + 1) << _COLUMN_BITS  # this line's positions, but for the column
        if open_field is not None:
            _close_field(open_field, stack, places, line, indent, bool(dash))
            open_field = None
        elif not stack:  # the first line: the file's fields
            if indent or dash:
                raise _NotQuick
            stack.append((0, {}, "", _GROUP))
            values[""] = line | 1
        top = stack[-1]
        while top[0] > indent:
            stack.pop()
            top = stack[-1]
        if top[0] != indent:
            raise _NotQuick
        column = indent + len(dash)
        if dash:
            if top[3] == _GROUP:
                raise _NotQuick
            index = len(top[1])
            path = top[2] + (_INDEX_KEYS[index] if index < len(_INDEX_KEYS) else _index_key(index))
            if key:  # '- name: value': the first field of a group
                group = (column, {}, path, _GROUP)
                top[1].append(group[1])
                values[path] = line | (column + 1)
                top = _push(stack, group)
        elif top[3] != _GROUP:
            if top[3] == _LIST:
                raise _NotQuick
            stack.pop()  # the list was a field's value; this line is the group's next field
            top = stack[-1]
            if top[0] != indent:
                raise _NotQuick
        if key:
            if key in top[1] or (key[0] in _IMPLICIT_TYPES and not isinstance(_typed(key)[0], str)):
                raise _NotQuick  # a repeated name, or one YAML reads as something else, e.g. 'yes' (true)
            path = f"{top[2]}\n{key}"
            keys[path] = line | (column + 1)
            column += len(key) + len(colon)
        value = rest.rstrip(" ")
        if not value:
            if not key:
                raise _NotQuick  # an empty list item, or one on the lines below
            open_field = (top, path, line, column - len(colon) + 1)
            i += 1
            continue
        values[path] = line | (column + 1)
        if value[0] in _INDICATORS:
            lines = lines or text.split("\n")
            value, i = _special(lines, i, column, top[0], path, places)
        else:  # a plain value: most of them, so handled here rather than in a function
            if ": " in value or value[-1] == ":" or " #" in value:
                raise _NotQuick
            i += 1
            if i < len(rows) and (len(rows[i][0]) > top[0] or not (rows[i][1] or rows[i][2] or rows[i][4])):
                value, i = _plain_lines(rows, i, top[0], value)
            if value[0] in _IMPLICIT_TYPES and (value[0] in _DIGITS or " " not in value):
                value, written = _typed(value)
                if written is not None:
                    places.written[path] = written
        if key:
            top[1][key] = value
        else:
            top[1].append(value)
    if not stack:
        raise _NotQuick  # nothing but comments: the libyaml path says the file is empty
    if open_field is not None:
        _close_field(open_field, stack, places, 0, -1, False)
    return stack[0][1], places


def _push(stack: list[_Frame], frame: _Frame) -> _Frame:
    stack.append(frame)
    if len(stack) > _QUICK_MAX_DEPTH:
        raise _NotQuick
    return frame


def _close_field(field: tuple[_Frame, str, int, int], stack: list[_Frame], places: _Places, line: int,
                 indent: int, dash: bool) -> None:
    """Give a field written as 'name:' its value: the group or list starting at indent on line, or nothing."""
    frame, path, key_line, colon_end = field
    name = path.rsplit("\n", 1)[1]
    if indent > frame[0] or (indent == frame[0] and dash):  # a list may start in its field's own column
        kind = _GROUP if not dash else _LIST if indent > frame[0] else _FIELD_LIST
        below = _push(stack, (indent, [] if dash else {}, path, kind))
        frame[1][name] = below[1]
        places.values[path] = line | (indent + 1)
    else:  # nothing: null, placed where libyaml places an empty value, right after the ':'
        frame[1][name] = None
        places.values[path] = key_line | (colon_end + 1)


def _typed(value: str) -> tuple[Any, Any]:
    """A plain value as YAML reads it (text, number, date...) and, if not as text, how it was written."""
    known = _TYPED_CACHE.get(value)
    if known is None:
        tag = next((tag for tag, regexp in _IMPLICIT_TYPES.get(value[:1], ()) if regexp.match(value)), _STR)
        if tag == _STR:
            known = (value, None)
        else:
            if tag not in _STANDARD_TAGS:  # e.g. '<<' (a merge key) or '=': refused
                raise _NotQuick
            try:
                typed = yaml.constructor.SafeConstructor().construct_object(ScalarNode(tag, value, style=""))
            except (yaml.YAMLError, ValueError, OverflowError):
                raise _NotQuick from None  # e.g. 2026-02-30, not a real date
            known = (typed, value if typed is not None and not isinstance(typed, str) else None)
        if len(_TYPED_CACHE) >= 10_000:
            _TYPED_CACHE.clear()
        _TYPED_CACHE[value] = known
    return known


def _plain_lines(rows: list[Any], i: int, indent: int, first: str) -> tuple[str, int]:
    """A plain value's first line and the lines indented past indent after it, folded as YAML does."""
    pieces = [first]
    breaks = 0
    while i < len(rows):
        indent_text, dash, key, colon, rest = rows[i]
        if not (dash or key or rest):
            breaks += 1  # an empty line, or only spaces
        elif len(indent_text) <= indent:
            break
        elif not (dash or key) and rest[0] == "#":
            break  # a comment ends the value
        else:
            piece = (dash + key + colon + rest).rstrip(" ")
            if ": " in piece or piece[-1] == ":" or " #" in piece:
                raise _NotQuick
            pieces.append(" " if breaks == 0 else "\n" * breaks)  # one line break reads as a space
            pieces.append(piece)
            breaks = 0
        i += 1
    return "".join(pieces), i


def _special(lines: list[str], i: int, column: int, indent: int, path: str, places: _Places) -> tuple[Any, int]:
    """A value starting at column of line i with a [list], a quote, '>' or '|'; and the line after it."""
    first = lines[i][column]
    if first == "[":
        return _flow_list(lines[i], i, column, path, places), i + 1
    if first in "'\"":
        return _quoted(lines, i, column, indent)
    if first in ">|":
        return _block(lines, i, column, indent)
    raise _NotQuick


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _flow_list(line: str, i: int, start: int, path: str, places: _Places) -> list[Any]:
    """A list written on one line as [a, b], of plain items."""
    line = line.rstrip(" ")
    if not line.endswith("]"):
        raise _NotQuick
    inside = line[start + 1:-1]
    data: list[Any] = []
    if not inside.strip(" "):
        return data
    column = start + 1
    for item in inside.split(","):
        match = _FLOW_ITEM.fullmatch(item)
        if match is None:
            raise _NotQuick
        value, written = _typed(match.group(1))
        item_path = path + _index_key(len(data))
        places.values[item_path] = (i + 1) << _COLUMN_BITS | (column + match.start(1) + 1)
        if written is not None:
            places.written[item_path] = written
        data.append(value)
        column += len(item) + 1
    return data


def _quoted(lines: list[str], i: int, start: int, indent: int) -> tuple[str, int]:
    """A value in quotes, which may go on over lines indented past indent; and the line after it."""
    quote = lines[i][start]
    pieces = []
    j, at = i, start + 1
    while True:
        line = lines[j]
        if j > i and line.strip(" ") and _indent(line) <= indent:
            raise _NotQuick
        if quote == "'":
            close = _SINGLE_QUOTED.match(line, at).end()
            close = close if close < len(line) else -1
        else:
            close = line.find('"', at)
            if "\\" in line[at:close if close >= 0 else len(line)]:
                raise _NotQuick  # an escape sequence
        if close >= 0:
            pieces.append(line[at:close])
            if line[close + 1:].strip(" "):
                raise _NotQuick
            break
        pieces.append(line[at:])
        j, at = j + 1, 0
        if j == len(lines):
            raise _NotQuick
    value = _fold(pieces)
    return (value.replace("''", "'") if quote == "'" else value), j + 1


def _fold(pieces: list[str]) -> str:
    """The lines of a quoted value joined as YAML folds them: one line break is a space, n + 1 are n."""
    if len(pieces) == 1:
        return pieces[0]
    out = [pieces[0].rstrip(" ")]
    breaks = 0
    last = len(pieces) - 1
    for index in range(1, last + 1):
        piece = pieces[index].lstrip(" ") if index == last else pieces[index].strip(" ")
        breaks += 1
        if piece or index == last:
            out.append(" " if breaks == 1 else "\n" * (breaks - 1))
            out.append(piece)
            breaks = 0
    return "".join(out)


def _block(lines: list[str], i: int, start: int, indent: int) -> tuple[str, int]:
    """A value written as '>' (folded) or '|' (literal) lines below, with or without '-'."""
    header = _BLOCK_HEADERS.get(lines[i][start:])
    first = i + 1
    if header is None or first == len(lines) or not lines[first].strip(" "):
        raise _NotQuick
    literal, clip = header
    body_indent = _indent(lines[first])
    if body_indent <= indent:
        raise _NotQuick
    body: list[str | None] = []
    j = first
    while j < len(lines):
        line = lines[j]
        stripped = line.lstrip(" ")
        if not stripped:
            if len(line) > body_indent:
                raise _NotQuick  # spaces past the indentation are part of the value
            body.append(None)  # an empty line
        elif len(line) - len(stripped) < body_indent:
            break
        elif len(line) - len(stripped) > body_indent:
            raise _NotQuick  # a line indented further keeps its line breaks
        else:
            body.append(line[body_indent:])
        j += 1
    while body[-1] is None:
        body.pop()
    if first + len(body) == len(lines):  # the file ends right after the value, without a line break
        raise _NotQuick
    out: list[str] = []
    empty = 0
    for index, piece in enumerate(body):
        if piece is None:
            empty += 1
            continue
        if index:
            out.append("\n" * (empty + 1) if literal else " " if empty == 0 else "\n" * empty)
        out.append(piece)
        empty = 0
    if clip:
        out.append("\n")
    return "".join(out), j
