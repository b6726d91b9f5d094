"""Stage 1, load: read every content file as plain data, and find where a value is written when a message needs it.

YAML is read by the safe loader (libyaml's, where it is installed), made strict: anchors and aliases,
merge keys, tags other than the plain types', duplicate field names and deep nesting are refused, so a
content file can never run code or expand into a huge document, and every refusal is a message with
the file, line and column. Nothing outside the content folder is read: links (symlinks) are refused,
and so is any file MkDocs would publish as it is.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .diagnostics import Diagnostic, field_path, shortened
from .syntax_errors import explain_syntax_error
from .model import KINDS

MAX_FILE_BYTES = 1_000_000
MAX_NESTING = 20  # content nests 4 deep; far deeper input would overflow the parser's stack
SITE_FILE = "site.yaml"
ROOT_FILES = {SITE_FILE, "README.md", "pictures"}  # besides the kind folders, all content/ may hold (mkdocs.yml
# excludes README.md and pictures/; the validator checks the drawings in pictures/ that steps name)

try:  # libyaml's loader is about ten times faster than the pure-Python one, and reads the same
    LOADER: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - only without libyaml
    LOADER = yaml.SafeLoader

FieldPath = tuple[str | int, ...]  # e.g. ('causes', 2, 'cause'), as pydantic locates an error
Position = tuple[int, int]  # line and column, both counted from 1

_TAG = "tag:yaml.org,2002:"
_STR, _NULL, _MAP, _SEQ, _MERGE = (_TAG + name for name in ("str", "null", "map", "seq", "merge"))
# The tags a value may have (written or, most often, given by YAML from how the value is written), and
# what kind of value each one is for.
_TAG_KINDS = {_MAP: MappingNode, _SEQ: SequenceNode, **{
    _TAG + name: ScalarNode for name in ("str", "null", "bool", "int", "float", "timestamp")}}
_NODE_WORDS = {MappingNode: "a group of fields", SequenceNode: "a list", ScalarNode: "a single value"}
_TAG_WORDS = {"bool": "true/false", "int": "a whole number", "float": "a number", "timestamp": "a date"}
# Invisible characters that can hide or reorder text (control codes, bidirectional overrides, BOM).
_HIDDEN_CHARACTER = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")
_DEPTH_CHANGE = {yaml.MappingStartEvent: 1, yaml.SequenceStartEvent: 1,
                 yaml.MappingEndEvent: -1, yaml.SequenceEndEvent: -1}
_ALIAS_MESSAGE = "anchors and aliases (& and *) are not allowed; write the value out"


@dataclass(frozen=True)
class Document:
    """One content file: its kind, its data, and the text it was read from."""

    kind: str
    path: str  # as shown in messages, e.g. 'content/causes/dehydration.yaml'
    data: Any
    text: str = field(repr=False)

    @functools.cached_property
    def _tree(self) -> Node:
        """The file's YAML nodes, which know where each value is written.

        Composed again only for a file a message is about (about 0.5 ms): most files need no position.
        """
        return yaml.compose(self.text, Loader=LOADER)

    def _reach(self, loc: FieldPath) -> list[tuple[Node | None, Node]]:
        """(field name node or None, value node) for the whole file and each step of loc, as far as the file has it."""
        reached: list[tuple[Node | None, Node]] = [(None, self._tree)]
        for part in loc:
            node = reached[-1][1]
            if isinstance(node, MappingNode) and isinstance(part, str):
                step = next(((key, value) for key, value in node.value if key.value == part), None)
            elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                step = (None, node.value[part])
            else:
                step = None
            if step is None:
                break
            reached.append(step)
        return reached

    def position(self, loc: FieldPath) -> Position:
        """The position of loc, or of the nearest enclosing value that has one."""
        return _position(self._reach(loc)[-1][1])

    def key_position(self, loc: FieldPath) -> Position | None:
        """Where the name of the field at loc is written (None if loc is no field)."""
        reached = self._reach(loc)
        key = reached[-1][0]
        return _position(key) if key is not None and len(reached) == len(loc) + 1 else None

    def has_value(self, loc: FieldPath) -> bool:
        """Whether the file has a value (possibly empty) at loc."""
        return len(self._reach(loc)) == len(loc) + 1

    def written_as(self, loc: FieldPath) -> str | None:
        """How the plain value at loc was written, if YAML read it as something other than text (e.g. 'on')."""
        if not self.has_value(loc):
            return None
        node = self._reach(loc)[-1][1]
        plain = isinstance(node, ScalarNode) and not node.style  # not quoted
        return node.value if plain and node.tag not in (_STR, _NULL) else None


def _position(at: Node | yaml.Event) -> Position:
    return at.start_mark.line + 1, at.start_mark.column + 1


@dataclass(frozen=True)
class LoadedContent:
    site: Document | None
    documents: tuple[Document, ...]
    diagnostics: tuple[Diagnostic, ...]
    content_dir: Path | None = None  # where the files were read, for the drawings in its pictures/ folder
    shown_as: str = "content"


def load_content(content_dir: Path, shown_as: str = "content") -> LoadedContent:
    """Load site.yaml and every file under content_dir/<kind>/; every file that cannot be read is a message."""
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
    return LoadedContent(site, tuple(documents), tuple(diagnostics), content_dir, shown_as)


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
                Diagnostic(f"{shown}/{name}", 1, 1, "",
                           f"is a folder; put content files directly in {shown}/, not in sub-folders")
            )
        elif not entry.is_file():
            diagnostics.append(
                Diagnostic(f"{shown}/{name}", 1, 1, "",
                           "not a plain file; content files must be .yaml files, not links or folders")
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


# The last document read from each file, reused while the file's text is unchanged: the live preview
# loads every file again after each save. Measured at 1,000 conditions (2,188 files): load takes 0.76 s
# parsing every file and 0.02 s when only the saved one is parsed; a build, which loads once, is not helped.
_LAST_READ: dict[str, Document] = {}


def _load_file(path: os.PathLike[str], kind: str, shown: str, diagnostics: list[Diagnostic]) -> Document | None:
    text = _read_text(path, shown, diagnostics)
    if text is None:
        return None
    last = _LAST_READ.get(shown)
    if last is not None and last.text == text and last.kind == kind:
        return last
    try:
        loader = ContentLoader(text, shown)  # the pure-Python loader checks every character here
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        diagnostics.append(_yaml_error(exc, text, shown))
        return None
    if loader.problems:
        diagnostics += loader.problems
        return None
    doc = _LAST_READ[shown] = Document(kind, shown, data, text)
    return doc


def _read_text(path: os.PathLike[str], shown: str, diagnostics: list[Diagnostic]) -> str | None:
    """The file's text, or None if it is too big or not UTF-8 text (with a message saying why)."""
    def fail(line: int, column: int, message: str) -> None:
        diagnostics.append(Diagnostic(shown, line, column, "", message))

    try:
        with open(path, "rb") as file:
            raw = file.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        fail(1, 1, f"cannot read the file ({exc.strerror}); check that it is a readable file")
        return None
    if len(raw) > MAX_FILE_BYTES:
        size = os.stat(path).st_size
        fail(1, 1, f"file is {size:,} bytes; a content file may be at most {MAX_FILE_BYTES:,} bytes. "
                   "Split it or shorten it")
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
    return text


class ContentLoader(LOADER):  # type: ignore[misc, valid-type]
    """The safe loader, refusing what a content file may not hold.

    Each refusal is kept in `problems`, located, and reading goes on, so that one run names every
    problem in the file. Refused: nesting deeper than MAX_NESTING, an empty file, anchors and aliases,
    tags other than the plain types', a tag on the wrong kind of value (!!int on a list), a value its
    tag cannot be read as (!!bool x), field names that are not text or hold an invisible character,
    merge keys (<<), duplicate field names (libyaml would keep the last) and invisible characters in text.
    """

    def __init__(self, text: str, shown: str) -> None:
        super().__init__(text)
        self.text = text
        self.shown = shown
        self.problems: list[Diagnostic] = []
        self.seen: set[int] = set()  # the nodes read so far: an alias is a node met twice

    def refuse(self, at: Node | yaml.Event | None, loc: FieldPath, message: str) -> None:
        """Note a problem with the value at loc, written where `at` (a node or event) starts; its value is None."""
        line, column = _position(at) if at is not None else (1, 1)
        self.problems.append(Diagnostic(self.shown, line, column, field_path(loc), message))

    def get_single_node(self) -> Node | None:
        # Nesting is measured from the parser's events first: libyaml's composer would crash the
        # process on lists nested 100,000 deep, as a file of 200 KB can nest them.
        depth, aliased, anchors = 0, False, []
        lines = self.text.splitlines()
        for event in yaml.parse(self.text, Loader=LOADER):
            depth += _DEPTH_CHANGE.get(type(event), 0)
            if depth > MAX_NESTING:
                self.refuse(event, (), f"lists or fields are nested more than {MAX_NESTING} deep here; "
                                       "content files nest only a few levels")
                return None
            if isinstance(event, yaml.ScalarEvent):
                self.check_words_kept(event, lines)
            aliased = aliased or isinstance(event, yaml.AliasEvent)
            if getattr(event, "anchor", None) is not None:
                anchors.append(event)
        for event in anchors if not aliased else ():  # with an alias, the alias's message says it all
            self.refuse(event, (), "a value cannot start with '&' unless it is in quotes (YAML would drop the '&' "
                                   "and the word after it); put the whole value in double quotes")
        node = super().get_single_node()
        if node is None:
            self.refuse(None, (), "file is empty; it must hold the fields of one entry (see 'python -m generator new')")
        return node

    def check_words_kept(self, event: yaml.ScalarEvent, lines: list[str]) -> None:
        """Refuse what YAML would silently drop from a value: a leading ! or words after ' #' (for &, see above)."""
        start, end = event.start_mark, event.end_mark
        if event.tag == "!":
            self.refuse(event, (), "a value cannot start with '!' unless it is in quotes (YAML would drop the '!'); "
                                   "put the whole value in double quotes")
        elif not event.style and end.line < len(lines):
            after = lines[end.line][end.column:]
            if after.lstrip(" \t").startswith("#") and after[:1] in (" ", "\t"):
                comment = after.strip()
                dropped = "the field is empty" if start.index == end.index else f"'{shortened(comment, 40)}' is left out"
                column = end.column + len(after) - len(after.lstrip(" \t")) + 1
                self.problems.append(Diagnostic(
                    self.shown, end.line + 1, column, "", f"' #' starts a note in YAML, so {dropped}; put the whole "
                                                          "value in double quotes, or move the note to a line of its own"))

    def construct_document(self, node: Node) -> Any:
        data = self.value(node, ())
        if any(problem.message == _ALIAS_MESSAGE for problem in self.problems):
            # The composed nodes only know where an alias's anchor is: say where the first alias is written.
            alias = next(event for event in yaml.parse(self.text, Loader=LOADER) if isinstance(event, yaml.AliasEvent))
            self.problems = [problem for problem in self.problems if problem.message != _ALIAS_MESSAGE]
            self.refuse(alias, (), _ALIAS_MESSAGE)
        return data

    def value(self, node: Node, loc: FieldPath) -> Any:
        """The data of node, at loc in the file; None, with a problem noted, if it is refused."""
        if id(node) in self.seen:
            return self.refuse(node, loc, _ALIAS_MESSAGE)
        self.seen.add(id(node))
        if node.tag not in _TAG_KINDS:
            return self.refuse(node, loc, f"the tag '{node.tag}' is not allowed; remove it and write a plain value")
        if not isinstance(node, _TAG_KINDS[node.tag]):
            return self.refuse(node, loc, f"the tag '{node.tag}' is not for {_NODE_WORDS[type(node)]}; "
                                          "remove it and write a plain value")
        if isinstance(node, MappingNode):
            return self.fields(node, loc)
        if isinstance(node, SequenceNode):
            return [self.value(item, (*loc, index)) for index, item in enumerate(node.value)]
        return self.scalar(node, loc)

    def fields(self, node: MappingNode, loc: FieldPath) -> dict[str, Any]:
        data: dict[str, Any] = {}
        first_lines: dict[str, int] = {}  # where each field's value starts, for a duplicate's message
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                self.refuse(key_node, loc, "merge keys (<<) and aliases are not allowed; write the fields out")
                continue
            if not isinstance(key_node, ScalarNode) or key_node.tag != _STR:
                reason = f"'{key_node.value}' is not a field name" if isinstance(key_node, ScalarNode) \
                    else "a list or group cannot be a field name"
                self.refuse(key_node, loc, f"{reason}; field names are words such as 'title', followed by ': '")
                continue
            name = key_node.value
            if not name.isprintable():
                self.refuse(key_node, loc, "a field name contains an invisible character or line break; retype it")
                continue
            if name in data:
                self.refuse(key_node, (*loc, name),
                            f"duplicate field (first given on line {first_lines[name]}); keep one of them")
                continue
            data[name] = self.value(value_node, (*loc, name))
            first_lines[name] = value_node.start_mark.line + 1
        return data

    def scalar(self, node: ScalarNode, loc: FieldPath) -> Any:
        try:
            value = node.value if node.tag == _STR else self.construct_object(node)
        except (ValueError, OverflowError) as exc:  # a value of the right form that does not exist, e.g. 2026-02-30
            if node.tag == _TAG + "timestamp":
                message = f"{node.value} is not a real date ({exc}); write a date that exists, as YYYY-MM-DD"
            else:
                reason = "the number is too long" if "limit" in str(exc) else str(exc)
                message = f"cannot read this value ({reason}); correct it, or put text in quotes"
            return self.refuse(node, loc, message)
        except Exception:  # the wrong form for the tag written before it (!!bool x): PyYAML fails in many ways
            what = _TAG_WORDS.get(node.tag.removeprefix(_TAG), node.tag)
            return self.refuse(node, loc, f"'{node.value}' cannot be read as {what}, as its tag '{node.tag}' asks; "
                                          "remove the tag and write a plain value")
        hidden = _HIDDEN_CHARACTER.search(value) if isinstance(value, str) else None
        if hidden is not None:
            return self.refuse(node, loc, f"contains the invisible character U+{ord(hidden.group()):04X}; "
                                          "delete it (retype the text around it)")
        return value


def _yaml_error(exc: yaml.YAMLError, text: str, shown: str) -> Diagnostic:
    """The message for YAML the parser cannot read, at the place that needs fixing."""
    if isinstance(exc, yaml.MarkedYAMLError) and (mark := exc.problem_mark or exc.context_mark) is not None:
        return explain_syntax_error(exc, mark, text, shown)
    if isinstance(exc, yaml.reader.ReaderError):  # a character YAML does not allow anywhere, e.g. a control code
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raw = text.encode()
        at = exc.position  # libyaml counts bytes of the UTF-8 text
        line_start = raw.rfind(b"\n", 0, at) + 1
        column = len(raw[line_start:at].decode("utf-8", "replace")) + 1
        return Diagnostic(shown, raw.count(b"\n", 0, at) + 1, column, "", f"the file contains the invisible character "
                          f"U+{code:04X}; delete it (retype the text around it)")
    return Diagnostic(shown, 1, 1, "", f"YAML error: {' '.join(str(exc).split())}")
