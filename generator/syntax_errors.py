"""YAML syntax errors in plain words, at the line to change.

libyaml names what its grammar expected ("mapping values are not allowed in this context"), often on the
line after the slip. Each explainer below reads the lines around libyaml's marks and says, at the line to
change, what is wrong and how to write it instead; the table at the end (_EXPLAINERS) says which explainer
answers which of libyaml's messages. An explainer that returns None leaves the error to the general message.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

import yaml

from .diagnostics import Diagnostic


@dataclass(frozen=True)
class _SyntaxError:
    """A YAML syntax error, with the file's lines, as the explainers read it."""

    shown: str
    lines: list[str]
    mark: yaml.Mark  # where libyaml found the problem
    began: yaml.Mark | None  # where what it was reading began (a quote, a [, a key), where it says
    text: str

    def at(self, line: int, column: int, message: str, field: str = "") -> Diagnostic:
        """The message at a line and column counted from 0, as libyaml counts them."""
        return Diagnostic(self.shown, line + 1, column + 1, field, message)

    def row(self, line: int) -> str:
        return self.lines[line] if 0 <= line < len(self.lines) else ""

    def row_above(self, line: int) -> int | None:
        """The nearest line above that holds more than a comment."""
        return next((i for i in range(line - 1, -1, -1) if self.row(i).strip() and
                     not self.row(i).lstrip().startswith("#")), None)

    @functools.cached_property
    def tokens(self) -> list[yaml.Token]:
        """The scanner's tokens before the problem: they show where a value that ran on began."""
        from . import load  # load imports this module

        tokens: list[yaml.Token] = []
        try:
            for token in yaml.scan(self.text, Loader=load.LOADER):  # as load.py read the file
                if (token.start_mark.line, token.start_mark.column) >= (self.mark.line, self.mark.column):
                    break
                tokens.append(token)
        except yaml.YAMLError:
            pass
        return tokens


def explain_syntax_error(exc: yaml.MarkedYAMLError, mark: yaml.Mark, text: str, shown: str) -> Diagnostic:
    """The first explainer whose clue is in libyaml's words says what is wrong; else a general message."""
    said = " ".join(part for part in (exc.context, exc.problem) if part)
    error = _SyntaxError(shown, text.splitlines(), mark, exc.context_mark, text)
    for clue, explain in _EXPLAINERS:
        if clue in said:
            explained = error.at(mark.line, mark.column, explain) if isinstance(explain, str) else explain(error)
            if explained is not None:
                return explained
            break
    return error.at(mark.line, mark.column, "YAML cannot read this line; check its indenting, and put text that "
                    f"contains ': ' or starts with a sign such as [ or \" in double quotes (YAML said: {said})")


def _indent(row: str) -> int:
    return len(row) - len(row.lstrip(" "))


def _indenting(spaces: int) -> str:
    return "not indented" if spaces == 0 else f"indented by {spaces} space{'s' if spaces > 1 else ''}"


def _in_quotes(row: str, start: int) -> str:
    """The line as it should be written: the value from start on in quotes (shortened if long)."""
    value = row[start:].strip()
    if len(value) > 40:
        value = value[:value.rfind(" ", 0, 40) if " " in value[:40] else 40].rstrip(".,;") + "..."
    quote = "'" if '"' in value and "'" not in value else '"'
    value = value.replace('"', '\\"') if quote == '"' else value
    written = row[:start].strip()
    return f"{written} {quote}{value}{quote}" if written else f"{quote}{value}{quote}"


def _starts_with_sign(error: _SyntaxError, start: yaml.Mark) -> Diagnostic:
    """A value starting with a character YAML keeps for itself: * & ! @ ` % | > ? and the like."""
    row = error.row(start.line)
    return error.at(start.line, start.column, f"a value cannot start with {row[start.column:start.column + 1]!r} "
                                              f"unless it is in quotes; write it as {_in_quotes(row, start.column)}")


def _tab(error: _SyntaxError) -> Diagnostic:
    row = error.row(error.mark.line)
    column = max(row.find("\t"), 0)
    if row[:column].strip():
        return error.at(error.mark.line, column, "there is a tab here; YAML needs a space instead")
    return error.at(error.mark.line, column, "this line is indented with a tab; indent it with spaces instead "
                                             "(2 for each level)")


def _cannot_start(error: _SyntaxError) -> Diagnostic:
    row = error.row(error.mark.line)
    return _tab(error) if row[error.mark.column:error.mark.column + 1] == "\t" else _starts_with_sign(error, error.mark)


_FIELD_WITHOUT_SPACE = re.compile(r"(\s*(?:- )?)([a-z_]+):(\S.*)")  # 'title:Calf cramps'
_DASH_WITHOUT_SPACE = re.compile(r"( *)-([^\s-].*)")  # '-cause: dehydration'
_EMPTY_FIELD = re.compile(r" *(?:- +)?([a-z_]+):")  # a field whose value is on the lines below
_FIELD_NAME = re.compile(r"[a-z_]+")


def _no_space(error: _SyntaxError, line: int) -> Diagnostic | None:
    """A field name or a list item's '-' with no space after it, the likeliest slips."""
    row = error.row(line).rstrip()
    found = _FIELD_WITHOUT_SPACE.fullmatch(row)
    if found is not None:
        indent, name, value = found.groups()
        return error.at(line, len(indent) + len(name) + 1, field=name, message=(
            f"there is no space after the colon of '{name}:', so the line is not read as a field; "
            f"write it as {name}: {value}"))
    found = _DASH_WITHOUT_SPACE.fullmatch(row)
    if found is not None:
        return error.at(line, len(found.group(1)), "there is no space after the '-', so this line is not read "
                                                   f"as a list item; write it as - {found.group(2)}")
    return None


def _text_without_field(error: _SyntaxError, line: int) -> Diagnostic:
    """A line of text where a field should start: a stray line, or text that should have been indented."""
    no_space = _no_space(error, line)
    if no_space is not None:
        return no_space
    row, above = error.row(line), error.row_above(line)
    fix = "if it is a new field, start it with the field name and ': '; otherwise delete it"
    if above is not None:
        row_above = error.row(above).rstrip()
        empty = _EMPTY_FIELD.fullmatch(row_above)
        named = re.match(r" *(?:- +)?([a-z_]+): [^\s\[{\"']", row_above)  # a field with text as its value
        if empty is not None:
            fix = (f"if it is the value of '{empty.group(1)}:' on line {above + 1}, write it on that line after "
                   f"the colon; {fix}")
        elif named is not None:
            fix = (f"if it is more of the text of '{named.group(1)}' on line {above + 1}, indent it further than "
                   f"'{named.group(1)}:'; {fix}")
    return error.at(line, _indent(row), f"this line has no field name, so YAML cannot read it; {fix}")


def _simple_key(error: _SyntaxError) -> Diagnostic | None:
    """'could not find expected ':'': libyaml marks the next line; the line it began reading is the slip."""
    return _text_without_field(error, error.began.line) if error.began is not None else None


def _colon_in_text(error: _SyntaxError) -> Diagnostic | None:
    """': ' after a value: in the value's own line, or in a line YAML read as more of a value above."""
    scalars = [i for i, token in enumerate(error.tokens) if isinstance(token, yaml.ScalarToken)]
    if not scalars:
        return None
    i = scalars[-1]
    start, after = error.tokens[i].start_mark, error.tokens[i - 1] if i else None
    at, row = error.mark, error.row(error.mark.line)
    if start.line == at.line:
        return error.at(at.line, at.column, "the value has a colon followed by a space, which YAML reads as a new "
                                            f"field; put the whole value in quotes: {_in_quotes(row, start.column)}")
    if not isinstance(after, (yaml.ValueToken, yaml.BlockEntryToken)):  # text that is nobody's value
        return _text_without_field(error, start.line)
    no_space = _no_space(error, start.line)
    if no_space is not None:
        return no_space
    key = error.tokens[i - 2] if isinstance(after, yaml.ValueToken) and i >= 2 else None
    owner = f"'{key.value}:'" if isinstance(key, yaml.ScalarToken) else "the list item"
    if _FIELD_NAME.fullmatch(row[:at.column].strip(" -")):
        return error.at(at.line, _indent(row), f"this line is indented further than {owner} on line {start.line + 1}, "
                                               "so YAML reads it as more of that text, not as a field; line it up with "
                                               "the fields it belongs with")
    return error.at(at.line, at.column, f"the text of {owner} on line {start.line + 1} has a colon followed by a "
                                        "space here, which YAML reads as a new field; put all of that text in quotes")


def _quote_not_closed(error: _SyntaxError, start: yaml.Mark, closed_on: int | None = None) -> Diagnostic:
    row = error.row(start.line)
    quote = row[start.column:start.column + 1]
    other = "single" if quote == '"' else "double"
    where = "never closed" if closed_on is None else \
        f"not closed on its line, so YAML reads on to the next {quote} on line {closed_on + 1}"
    return error.at(start.line, start.column, f"the quote ({quote}) that opens this value is {where}; add a "
                                              f"closing {quote} at the end of the value, or, if the {quote} is part of "
                                              f"the text, put the whole value in {other} quotes: "
                                              f"{_in_quotes(row, start.column)}")


def _unclosed_quote(error: _SyntaxError) -> Diagnostic | None:
    return _quote_not_closed(error, error.began) if error.began is not None else None


def _unclosed_brackets(error: _SyntaxError) -> Diagnostic | None:
    if error.began is None:
        return None
    row = error.row(error.began.line)
    opener = row[error.began.column:error.began.column + 1]
    closer, what = ("]", "list") if opener == "[" else ("}", "group of fields")
    if closer in row[error.began.column:]:
        return error.at(error.mark.line, error.mark.column, f"this {opener} {closer} {what} cannot be read here; "
                                                            "separate its items with commas, and put an item that "
                                                            "holds a quote or a bracket in quotes")
    return error.at(error.began.line, error.began.column, f"the {what} that starts with {opener} is not closed; end it "
                                                          f"with {closer} on the same line (if the {opener} is part "
                                                          "of the text, put the whole value in quotes)")


_FLOW_STARTS = (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)
_FLOW_ENDS = (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)


def _flow_start(tokens: list[yaml.Token]) -> yaml.Token:
    """The [ or { that the ] or } ending tokens closes."""
    depth = 0
    for token in reversed(tokens):
        depth += isinstance(token, _FLOW_ENDS)
        if isinstance(token, _FLOW_STARTS):
            depth -= 1
            if depth == 0:
                return token
    return tokens[-1]


def _out_of_line(error: _SyntaxError) -> Diagnostic | None:
    """Something where a field or list item should start: text after a quoted value or a [ ] list, or a
    line out of line with the lines around it."""
    last = error.tokens[-1] if error.tokens else None
    if last is None or last.end_mark.line != error.mark.line:  # nothing before it on its line
        return _misaligned(error, error.mark.line)
    if isinstance(last, yaml.ScalarToken) and last.style in ('"', "'"):
        start = last.start_mark
        if start.line != error.mark.line:
            return _quote_not_closed(error, start, closed_on=last.end_mark.line)
        row = error.row(start.line)
        other = "single" if last.style == '"' else "double"
        return error.at(start.line, start.column, f"the value starts with a quote, so it must end at the closing "
                                                  "quote, but more text follows it; put the whole value in "
                                                  f"{other} quotes: {_in_quotes(row, start.column)}")
    if isinstance(last, _FLOW_ENDS):
        start = _flow_start(error.tokens).start_mark
        row = error.row(start.line)
        what = "a list" if row[start.column:start.column + 1] == "[" else "a group of fields"
        return error.at(start.line, start.column, f"the value starts with {row[start.column]}, which YAML reads as "
                                                  f"{what}, but more text follows its end; put the whole value in "
                                                  f"quotes: {_in_quotes(row, start.column)}")
    if isinstance(last, (yaml.AliasToken, yaml.AnchorToken, yaml.TagToken)):
        return _starts_with_sign(error, last.start_mark)
    return _misaligned(error, error.mark.line)


def _misaligned(error: _SyntaxError, line: int) -> Diagnostic | None:
    """A line indented unlike the lines it belongs with."""
    no_space = _no_space(error, line)
    if no_space is not None:
        return no_space
    row, above = error.row(line), error.row_above(line)
    if above is None:
        return None
    spaces, row_above = _indent(row), error.row(above)
    if row.lstrip().startswith(":"):
        return error.at(line, spaces, "this line has no field name before its colon; write the field name first, "
                                      "e.g. summary: ...")
    if row.lstrip().startswith("-"):
        if not row_above.lstrip().startswith("-") and _indent(row_above) <= spaces and \
                not row_above.rstrip().endswith(":"):
            return error.at(line, spaces, "a list item ('- ') cannot stand among fields; put the list under its "
                                          "field: the field name on a line of its own, then each item below it, "
                                          "indented by 2 spaces")
        item = next((i for i in range(line - 1, -1, -1) if error.row(i).lstrip().startswith("- ")), None)
        if item is not None and _indent(error.row(item)) != spaces:
            return error.at(line, spaces, f"this list item is {_indenting(spaces)}, but the item above it (line "
                                          f"{item + 1}) is {_indenting(_indent(error.row(item)))}; the '-' of all "
                                          "the items of one list go in the same column")
        return None
    field_above = len(row_above) - len(re.sub(r"^ *(?:- +)*", "", row_above))  # after any '- '
    if field_above == spaces:
        return None
    return error.at(line, spaces, f"this line is {_indenting(spaces)}, but the field above it (line {above + 1}) is "
                                  f"{_indenting(field_above)}; the fields of one group start in the same column: "
                                  "line it up with the field it belongs with")


def _dash_after_field(error: _SyntaxError) -> Diagnostic | None:
    row, at = error.row(error.mark.line), error.mark
    named = _EMPTY_FIELD.fullmatch(row[:at.column].rstrip())
    if named is None:
        return _misaligned(error, at.line)
    return error.at(at.line, at.column, f"a list cannot start on the same line as '{named.group(1)}:'; put each "
                                        "'- ' item on a line of its own below it, indented by 2 spaces, or, if the "
                                        f"'-' is part of the text, put the whole value in quotes: "
                                        f"{_in_quotes(row, at.column)}")


def _indented_first_line(error: _SyntaxError) -> Diagnostic | None:
    first = next((i for i, row in enumerate(error.lines) if row.strip() and not row.lstrip().startswith("#")), None)
    if first is None or first >= error.mark.line or _indent(error.row(first)) <= _indent(error.row(error.mark.line)):
        return None
    return error.at(first, 0, "this first field is indented, but the fields after it are not; remove the spaces "
                              "before it (the fields of a file start at the left edge)")


def _unknown_escape(error: _SyntaxError) -> Diagnostic:
    row = error.row(error.mark.line)
    backslash = row.rfind("\\", 0, error.mark.column + 1)  # libyaml marks the \, PyYAML the letter after it
    return error.at(error.mark.line, max(backslash, 0), "inside double quotes a backslash (\\) starts a special "
                                                        "character; write \\\\ for a backslash, or put the value in "
                                                        "single quotes instead")


def _sign_at_mark(error: _SyntaxError) -> Diagnostic:
    return _starts_with_sign(error, error.began or error.mark)


def _no_value(error: _SyntaxError) -> Diagnostic:
    """A value YAML expected but found a sign instead: two commas in a row, or a value starting with ] or }."""
    at = error.mark
    if error.row(at.line)[at.column:at.column + 1] == ",":
        return error.at(at.line, at.column, "there is nothing before this comma; remove the extra comma")
    return _starts_with_sign(error, at)


# libyaml's words (and PyYAML's, where they differ) for each syntax error, and who explains it; a plain
# message alone is said where libyaml found the problem.
_EXPLAINERS: tuple[tuple[str, str | Callable[[_SyntaxError], Diagnostic | None]], ...] = (
    ("cannot start any token", _cannot_start),  # a tab, @, ` or %
    ("tab character", _tab),
    ("mapping values are not allowed", _colon_in_text),
    ("could not find expected ':'", _simple_key),
    ("scanning a quoted scalar", _unclosed_quote),  # 'found unexpected end of stream' or '... document separator'
    ("unknown escape", _unknown_escape),
    ("flow sequence", _unclosed_brackets),
    ("flow mapping", _unclosed_brackets),
    ("expected key", _out_of_line),  # libyaml: 'did not find expected key'
    ("expected '-' indicator", _out_of_line),
    ("expected <block end>", _out_of_line),  # PyYAML's words for both
    ("sequence entries are not allowed", _dash_after_field),
    ("another document", "a line of three dashes (---) starts a second document, but a content file holds "
                         "one; delete the line (and move what follows it into a file of its own)"),
    ("document start>", _indented_first_line),
    ("scanning an alias", _sign_at_mark),  # *
    ("undefined alias", _sign_at_mark),
    ("scanning an anchor", _sign_at_mark),  # &
    ("scanning a tag", _sign_at_mark),  # !
    ("scanning a block scalar", _sign_at_mark),  # | and >
    ("scanning a directive", _sign_at_mark),  # % at the start of a line
    ("mapping keys are not allowed", _sign_at_mark),  # ?
    ("node content", _no_value),  # libyaml: 'did not find expected node content'; PyYAML: 'expected the ...'
    ("found unexpected ':'", "there is a colon inside this [ ] list or { } group of fields, where YAML cannot "
                             "read it; put the item in quotes"),
)
