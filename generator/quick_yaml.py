"""A quick reader for the plain part of YAML that content files keep to.

Content files use fields and lists in blocks, values in plain words, in quotes, folded with '>' or
in a one-line [list]. read_plain reads that part in one pass over the lines, building the data and
its Places as load._build does from libyaml's nodes, but 2 to 3 times faster (libyaml itself is
quick; making a Python object for every node and mark is not). Anything it might read differently
from libyaml - an error, a refused value, any rarer YAML - it leaves to libyaml by returning None,
so every message comes from load's libyaml path. tests/test_load.py checks that both read a wide
range of near-content texts the same.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.nodes import ScalarNode

from .yaml_common import (
    COLUMN_BITS, HIDDEN_CHARACTER, INDEX_KEYS, LOADER, STANDARD_TAGS, STR_TAG, Places, index_key,
)

_QUICK_MAX_DEPTH = 10  # well inside load.MAX_NESTING: deeper files take the libyaml path, which refuses them
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
_IMPLICIT_TYPES = {first: tuple(resolvers) for first, resolvers in LOADER.yaml_implicit_resolvers.items()}
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
    """The text may use YAML beyond what read_plain reads exactly as libyaml does."""


def read_plain(text: str) -> tuple[Any, Places] | None:
    """The data of text and where each value is written, or None to leave the file to libyaml.

    A line that starts a document ('---'), ends one ('...') or is a directive ('%') is neither a
    field nor a list item, so _read_rows leaves the file to libyaml too.
    """
    if "\r" in text:  # YAML reads a CR LF line break as a LF, at the same line and column
        text = text.replace("\r\n", "\n")
    if text.isascii():  # most files: one pass over the bytes, a tenth of the time the regex takes
        if text.encode("ascii").translate(None, _PLAIN_ASCII):
            return None
    elif any(part in text for part in _NOT_QUICK) or HIDDEN_CHARACTER.search(text):
        return None
    try:
        return _read_rows(text)
    except _NotQuick:
        return None


def _read_rows(text: str) -> tuple[Any, Places]:
    """Read text line by line, keeping a stack of the groups and lists still open."""
    rows = _ROW.findall(text)
    lines: list[str] = []  # the text's lines, split only for quoted, block and [list] values
    places = Places()
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
        line = (i + 1) << COLUMN_BITS  # this line's positions, but for the column
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
            path = top[2] + (INDEX_KEYS[index] if index < len(INDEX_KEYS) else index_key(index))
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


def _close_field(field: tuple[_Frame, str, int, int], stack: list[_Frame], places: Places, line: int,
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
        tag = next((tag for tag, regexp in _IMPLICIT_TYPES.get(value[:1], ()) if regexp.match(value)), STR_TAG)
        if tag == STR_TAG:
            known = (value, None)
        else:
            if tag not in STANDARD_TAGS:  # e.g. '<<' (a merge key) or '=': refused
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


def _special(lines: list[str], i: int, column: int, indent: int, path: str, places: Places) -> tuple[Any, int]:
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


def _flow_list(line: str, i: int, start: int, path: str, places: Places) -> list[Any]:
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
        item_path = path + index_key(len(data))
        places.values[item_path] = (i + 1) << COLUMN_BITS | (column + match.start(1) + 1)
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
