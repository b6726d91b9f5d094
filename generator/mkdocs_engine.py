"""Everything that knows about MkDocs, in one file: the build hooks and the build/serve commands.

mkdocs.yml loads this file as a `hooks:` module. The hooks run the generator
and hand its pages to MkDocs in memory (File.generated), so nothing is ever
written into the watched content folder. Moving to another engine means
replacing this file only.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from jinja2 import BytecodeCache

TEMPLATES = Path(__file__).parent / "templates"
ALLOW_OVERDUE_ENV = "CRAMP_ALLOW_OVERDUE_REVIEWS"
CONTENT_DIR_ENV = "CRAMP_CONTENT_DIR"  # read by mkdocs.yml's docs_dir
TODAY_ENV = "CRAMP_TODAY"  # check review dates as of this day (tests)
log = logging.getLogger("mkdocs.generator")


# --- commands (used by the CLI) ---------------------------------------------------


def build(site_dir: Path, *, config_file: Path = Path("mkdocs.yml"), env: dict[str, str] | None = None,
          prepared: Any = None) -> int:
    """Build the site with `mkdocs build --strict` into a temporary folder; replace site_dir only on success.

    prepared: the generator's result for the content folder (pipeline.Result), when the caller has already
    run it; the hooks then use it instead of running the generator a second time.
    """
    site_dir = site_dir.resolve()
    config_file = config_file.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-building-", dir=site_dir.parent))
    staging.chmod(0o755)  # mkdtemp gives 0700; GitHub Pages refuses a tree that others cannot read
    state = _persistent()
    try:
        if prepared is not None:
            state["prepared"] = prepared
        code = _mkdocs(["build", "--strict", "--clean", "--config-file", str(config_file),
                        "--site-dir", str(staging)], env or {})
        if code != 0:
            return code
        _replace_dir(staging, site_dir)
        return 0
    finally:
        state.pop("prepared", None)
        shutil.rmtree(staging, ignore_errors=True)


def _mkdocs(arguments: list[str], env: dict[str, str]) -> int:
    """Run the mkdocs command line in this process, with env added to the environment while it runs.

    In this process, not a child one, so the generator's pages reach the hooks in memory and the
    generator runs once per build.
    """
    from mkdocs.__main__ import cli

    saved = dict(os.environ)
    os.environ.update({"NO_MKDOCS_2_WARNING": "1", **env})  # mkdocs.yml reads SITE_URL and the content folder
    try:
        cli.main(args=arguments, prog_name="mkdocs")
    except SystemExit as done:  # click always ends by raising SystemExit
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return 0


def _replace_dir(new: Path, target: Path) -> None:
    """Put new in target's place in one step, so target is at every moment either all old or all new."""
    if target.exists() and _exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)  # new now holds the old tree
        return
    old = None
    if target.exists():  # no atomic exchange here: two renames, with a moment between them without target
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
        old.rmdir()
        target.rename(old)
    new.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with Linux's renameat2(RENAME_EXCHANGE); False where that is not available."""
    at_fdcwd, rename_exchange = -100, 2
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def serve(address: str, *, config_file: Path = Path("mkdocs.yml"), env: dict[str, str] | None = None) -> int:
    """Live preview: rebuild and reload the browser when content, templates or theme change."""
    config_file = config_file.resolve()
    try:
        return subprocess.run(
            # Not strict: a failed rebuild makes MkDocs' server hold every request until the next good
            # build, so content errors are logged and the last good pages stay served instead.
            [sys.executable, "-m", "mkdocs", "serve", "--no-strict", "--dev-addr", address,
             "--config-file", str(config_file)],
            cwd=config_file.parent, env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
        ).returncode
    except KeyboardInterrupt:
        return 0


# --- hooks (called by MkDocs) -----------------------------------------------------

# MkDocs loads hooks afresh on every rebuild; the last good result lives in the
# package module, which stays imported while `mkdocs serve` runs.
_state: dict[str, Any] = {}


def _persistent() -> dict[str, Any]:
    from generator import mkdocs_engine

    return mkdocs_engine._state


def on_startup(command: str, dirty: bool) -> None:
    _persistent()["command"] = command


def on_config(config: Any) -> Any:
    from mkdocs.exceptions import PluginError

    from generator import pipeline
    from generator.diagnostics import Severity, errors, format_report

    state = _persistent()
    result = state.pop("prepared", None)  # the CLI ran the generator already (build(prepared=...))
    if result is None:
        result = pipeline.run(
            Path(config.docs_dir),
            today=dt.date.fromisoformat(os.environ[TODAY_ENV]) if os.environ.get(TODAY_ENV) else dt.date.today(),
            overdue_is_error=os.environ.get(ALLOW_OVERDUE_ENV) != "1",
            shown_as=os.path.relpath(config.docs_dir, Path(config.config_file_path).parent),
        )
    for warning in (d for d in result.diagnostics if d.severity is Severity.WARNING):
        log.info(str(warning))  # review reminders must not fail a strict build
    if not result.ok:
        report = format_report(errors(result.diagnostics))
        if state.get("command") == "serve" and "last_good" in state:
            log.error("The content has errors; still showing the last good version.\n%s", report)
            result = state["last_good"]
        else:
            raise PluginError(f"The content has errors; nothing was built.\n{report}")
    state["last_good"] = result
    state["content_date"] = _newest_review(result.site)
    config["nav"] = result.rendered.nav
    _persistent()["pages"] = result.rendered.pages
    return config


def on_files(files: Any, config: Any) -> Any:
    from mkdocs.structure.files import File

    for path, markdown in _persistent()["pages"].items():
        files.append(File.generated(config, path, content=markdown))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Date each page by its last review, not the build clock, so every build writes the same sitemap."""
    if "SOURCE_DATE_EPOCH" not in os.environ:  # when set, MkDocs dates every page by it
        page.update_date = str(page.meta.get("last_reviewed") or _persistent()["content_date"])
    return markdown


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Mark the sections that list sources or other pages, so Material's search leaves them out.

    The search index is one file every reader downloads whole (often on a phone); these sections only
    repeat titles and notes from the pages they link to, and grow as the site does. Material drops the
    attribute from the page after indexing it.
    """
    return _LIST_SECTION_HEADING.sub(r'<h2 data-search-exclude="true" id="\1"', html)


# The ids MkDocs gives the templates' headings of those sections.
_LIST_SECTIONS = ("sources", "related-conditions", "conditions-it-can-cause", "what-can-help", "what-it-may-help-with")
_LIST_SECTION_HEADING = re.compile(r'<h2 id="(%s)"' % "|".join(_LIST_SECTIONS))


def on_env(env: Any, config: Any, files: Any) -> Any:
    """Compile the theme's templates once per live-preview session, not on every rebuild."""
    env.bytecode_cache = _persistent().setdefault("theme_bytecode", _MemoryBytecodeCache())
    return env


class _MemoryBytecodeCache(BytecodeCache):
    """Compiled templates kept in memory; Jinja2 still recompiles a template whose source has changed."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Any) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: Any) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


def _newest_review(site: Any) -> str:
    """The newest review date in the content: the date of pages that have no review of their own."""
    dates = [entry.review.last_reviewed for entry in (*site.conditions, *site.causes, *site.remedies)]
    return max(dates, default=dt.date(1970, 1, 1)).isoformat()


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    server.watch(str(TEMPLATES))
    return server
