"""Problems found in content, each located at a file, line and column."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem: where it is, which field, what is wrong and how to fix it."""

    file: str
    line: int
    column: int
    field: str
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        field = f"{self.field}: " if self.field else ""
        return f"{where}: {prefix}{field}{self.message}"


class ContentError(Exception):
    """Raised when content has errors; carries every diagnostic found."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = tuple(sorted(diagnostics))
        super().__init__(format_report(self.diagnostics))


def errors(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.severity is Severity.ERROR]


def format_report(diagnostics: Iterable[Diagnostic]) -> str:
    ordered = sorted(diagnostics)
    lines = [str(d) for d in ordered]
    n_err = len(errors(ordered))
    n_warn = len(ordered) - n_err
    if n_err or n_warn:
        lines.append(f"{_count(n_err, 'error')}, {_count(n_warn, 'warning')}.")
    return "\n".join(lines)


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest choice (or one with the same words in another order), or ''."""
    choices = list(choices)
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    if not close:  # the same words in another order: 'calf-stretch' for 'stretch-calf'
        words = sorted(name.lower().replace("_", "-").split("-"))
        close = [c for c in choices if sorted(c.lower().replace("_", "-").split("-")) == words][:1]
    if not close:
        lowered = {c.lower(): c for c in choices}
        if name.lower() in lowered:
            close = [lowered[name.lower()]]
    return f" (did you mean '{close[0]}'?)" if close else ""


def field_path(loc: Sequence[str | int]) -> str:
    """('causes', 2, 'cause') -> 'causes[2].cause'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def shortened(text: str, limit: int = 60) -> str:
    """Text quoted in a message: its spaces made single, cut to limit characters with '...'."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."
