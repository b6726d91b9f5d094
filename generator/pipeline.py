"""The orchestrator: load -> validate -> link -> render, each stage timed."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic, Severity
from .link import Site, link
from .load import load_content
from .render import RenderedSite, render
from .validate import validate


@dataclass(frozen=True)
class Result:
    diagnostics: tuple[Diagnostic, ...]
    site: Site | None = None
    rendered: RenderedSite | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.rendered is not None and not any(d.severity is Severity.ERROR for d in self.diagnostics)


def run(
    content_dir: Path,
    *,
    today: dt.date | None = None,
    overdue_is_error: bool = True,
    shown_as: str = "content",
    render_pages: bool = True,
    reading_level: bool = True,
) -> Result:
    """Run every stage; stop after validation if the content has errors.

    reading_level=False leaves out the warnings of paragraphs hard to read. Scoring them needs the CMU
    pronouncing dictionary (135,000 words), which takes 0.5 s to load, more than the rest of the
    generator on the real content; the build and `render`, which publish, leave them out, and the
    editor's tools (validate, the preview, report) give them.
    """
    timings: dict[str, float] = {}
    start = time.perf_counter()
    loaded = load_content(content_dir, shown_as=shown_as)
    timings["load"] = time.perf_counter() - start

    start = time.perf_counter()
    valid, diagnostics = validate(loaded, today=today, overdue_is_error=overdue_is_error, reading_level=reading_level)
    timings["validate"] = time.perf_counter() - start
    if valid is None:
        return Result(tuple(sorted(diagnostics)), timings=timings)

    start = time.perf_counter()
    site = link(valid)
    timings["link"] = time.perf_counter() - start
    if not render_pages:
        return Result(tuple(sorted(diagnostics)), site=site, timings=timings)

    start = time.perf_counter()
    rendered = render(site)
    timings["render"] = time.perf_counter() - start
    return Result(tuple(sorted(diagnostics)), site=site, rendered=rendered, timings=timings)
