"""The orchestrator: load -> validate -> link -> render, each stage timed."""

from __future__ import annotations

import datetime as dt
import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic, Severity
from .link import Site, link
from .load import Document, load_content
from .render import RenderedSite, render
from .validate import Checked, check_file, validate


@dataclass(frozen=True)
class Result:
    diagnostics: tuple[Diagnostic, ...]
    site: Site | None = None
    rendered: RenderedSite | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.rendered is not None and not any(d.severity is Severity.ERROR for d in self.diagnostics)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Run a block without Python's cycle collector, which would re-scan every value built so far.

    Loaded content, validated entries and the linked site hold no reference cycles, so nothing is
    left uncollected; at N=1,000 the collector's passes cost a quarter of load and half of validate.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def run(
    content_dir: Path,
    *,
    today: dt.date | None = None,
    overdue_is_error: bool = True,
    shown_as: str = "content",
    render_pages: bool = True,
    processes: int = 1,
) -> Result:
    """Run every stage; stop after validation if the content has errors.

    processes=2 loads and renders a large site on two cores (parallel.cores() says if this machine
    has them); only for callers with no other thread running, such as the command line.
    """
    with gc_paused():  # the stages build many objects and keep them: collecting would only re-scan them
        return _run(content_dir, today=today, overdue_is_error=overdue_is_error, shown_as=shown_as,
                    render_pages=render_pages, processes=processes)


def _run(content_dir: Path, *, today: dt.date | None, overdue_is_error: bool, shown_as: str,
         render_pages: bool, processes: int) -> Result:
    timings: dict[str, float] = {}
    start = time.perf_counter()
    # Each file is checked against the content model as soon as it is read: on two cores this process
    # does it while the forked copy is still reading, and takes fewer files to read itself.
    checked: dict[str, Checked] = {}

    def check(doc: Document) -> None:
        checked[doc.path] = check_file(doc)

    loaded = load_content(content_dir, shown_as=shown_as, processes=processes, each=check)
    timings["load"] = time.perf_counter() - start

    start = time.perf_counter()
    valid, diagnostics = validate(loaded, today=today, overdue_is_error=overdue_is_error, checked=checked,
                                    content_dir=content_dir)
    timings["validate"] = time.perf_counter() - start
    if valid is None:
        return Result(tuple(sorted(diagnostics)), timings=timings)

    start = time.perf_counter()
    site = link(valid)
    timings["link"] = time.perf_counter() - start
    if not render_pages:
        return Result(tuple(sorted(diagnostics)), site=site, timings=timings)

    start = time.perf_counter()
    rendered = render(site, processes=processes)
    timings["render"] = time.perf_counter() - start
    return Result(tuple(sorted(diagnostics)), site=site, rendered=rendered, timings=timings)
