"""What load.py and quick_yaml.py share: the safe loader, what a content value may hold, and how
positions are recorded."""

from __future__ import annotations

import re

import yaml

try:  # libyaml is 10 to 18 times faster and still gives every node's line and column
    LOADER: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - only without libyaml
    LOADER = yaml.SafeLoader

# Invisible characters that can hide or reorder text (control codes, bidirectional overrides, BOM).
HIDDEN_CHARACTER = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")
STANDARD_TAGS = {
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}
STR_TAG = "tag:yaml.org,2002:str"

Position = tuple[int, int]
FieldPath = tuple[str | int, ...]


# Where values are written, keyed by field path, e.g. ('causes', 2, 'cause') -> '\ncauses\n\t2\ncause'
# (see path_key). A position is one number, line << 20 | column, both counted from 1: a dict of
# text to numbers holds nothing Python's cycle collector has to scan, unlike a tuple per value, and
# 20 bits hold any line or column of a file of at most MAX_FILE_BYTES.
Positions = dict[str, int]
COLUMN_BITS = 20
INDEX_KEYS = tuple(f"\n\t{index}" for index in range(1000))  # list items' path parts, made once


def path_key(loc: FieldPath) -> str:
    """The key of loc in Positions."""
    return "".join(path_part(part) for part in loc)


def path_part(part: str | int) -> str:
    """A field name after a line break, a list index after a line break and a tab.

    Field names never hold a line break or tab (load refuses names that are not printable).
    """
    return f"\n{part}" if isinstance(part, str) else index_key(part)


def index_key(index: int) -> str:
    return INDEX_KEYS[index] if 0 <= index < len(INDEX_KEYS) else f"\n\t{index}"


def unpack(at: int) -> Position:
    return at >> COLUMN_BITS, at & ((1 << COLUMN_BITS) - 1)



class Places:
    """The Positions of a file being read, and how its plain non-text values were written."""

    __slots__ = ("values", "keys", "written")

    def __init__(self) -> None:
        self.values: Positions = {}
        self.keys: Positions = {}
        self.written: dict[str, str] = {}

