"""Everything that knows about MkDocs, in one file: the MkDocs plugin and the build/serve commands.

The plugin (entry point `cramp-help`, listed under `plugins:` in mkdocs.yml) runs the generator
and hands its pages to MkDocs in memory (File.generated), so nothing is ever written into the
watched content folder. MkDocs keeps a plugin that has on_startup for the whole of `mkdocs serve`,
so the plugin's state (the last good pages, the compiled theme) lives on the instance.

It works with MkDocs 1.6 and with ProperDocs, its maintained continuation: MkDocs where it is
installed, else ProperDocs, whose `properdocs.replacement` makes every `mkdocs.*` import (ours and
Material's) load ProperDocs' module. The generator itself knows nothing of either; moving to
another engine means replacing this file, and `python -m generator render` writes the same pages
as a Markdown tree for any engine.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import importlib.util
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

if importlib.util.find_spec("mkdocs") is None:
    import properdocs.replacement  # noqa: F401  (from here on, `mkdocs.*` imports load ProperDocs)

import mkdocs
from jinja2 import BytecodeCache
from mkdocs.commands.build import build as build_site
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError, PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File

from generator import pipeline
from generator.diagnostics import Severity, errors, format_report

ENGINE_MODULE = mkdocs.__name__  # "mkdocs" or "properdocs": `python -m ENGINE_MODULE build` is its command line
ENGINE = f"{'ProperDocs' if ENGINE_MODULE == 'properdocs' else 'MkDocs'} {mkdocs.__version__}"
PLUGIN_NAME = "cramp-help"  # the entry point's name in pyproject.toml
TEMPLATES = Path(__file__).parent / "templates"
log = logging.getLogger(f"{ENGINE_MODULE}.generator")


# --- commands (used by the CLI) ---------------------------------------------------


def build(site_dir: Path, *, config_file: Path = Path("mkdocs.yml"), content_dir: Path | None = None,
          site_url: str | None = None, today: dt.date | None = None, overdue_is_error: bool = True,
          prepared: pipeline.Result | None = None) -> int:
    """Build the site in strict mode into a temporary folder; replace site_dir only on success.

    content_dir and site_url replace mkdocs.yml's docs_dir and site_url when given. prepared: the
    generator's result for the content folder, when the caller has already run it; the plugin then
    uses it instead of running the generator a second time.
    """
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-building-", dir=site_dir.parent))
    staging.chmod(0o755)  # mkdtemp gives 0700; GitHub Pages refuses a tree that others cannot read
    try:
        with _engine_log():
            try:
                config = load_config(str(config_file.resolve()), site_dir=str(staging), strict=True,
                                     docs_dir=_optional_str(content_dir), site_url=site_url)
                plugin_of(config).configure(today=today, overdue_is_error=overdue_is_error, prepared=prepared)
                config.plugins.on_startup(command="build", dirty=False)
                try:
                    build_site(config)
                finally:
                    config.plugins.on_shutdown()
            except (Abort, ConfigurationError) as failed:  # MkDocs has logged why; strict-mode warnings end here too
                log.error(failed.message)
                return 1
        _replace_dir(staging, site_dir)
        return 0
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def serve(address: str, *, config_file: Path = Path("mkdocs.yml"), content_dir: Path | None = None,
          today: dt.date | None = None, overdue_is_error: bool = True) -> int:
    """Live preview: rebuild and reload the browser when content, templates or mkdocs.yml change.

    Not strict: a failed rebuild makes MkDocs' server hold every request until the next good build,
    so content errors are logged and the plugin hands MkDocs the last good pages instead.
    """
    from mkdocs.commands.serve import serve as serve_site

    options = {"dev_addr": address, "strict": False, "docs_dir": _optional_str(content_dir),
               # pages at the root of the preview address, as printed, not under the published site's path
               "site_url": f"http://{address}/"}
    with _engine_log():
        try:
            # The instance MkDocs keeps for every rebuild of this serve (see the module docstring).
            plugin_of(load_config(str(config_file.resolve()), **options)).configure(
                today=today, overdue_is_error=overdue_is_error)
            serve_site(config_file=str(config_file.resolve()), livereload=True, **options)
        except (Abort, ConfigurationError) as failed:
            log.error(failed.message)
            return 1
        except KeyboardInterrupt:
            pass
    return 0


def plugin_of(config: Any) -> GeneratorPlugin:
    plugin = config.plugins.get(PLUGIN_NAME)
    if not isinstance(plugin, GeneratorPlugin):
        raise Abort(f"{config.config_file_path} does not list the '{PLUGIN_NAME}' plugin under plugins:")
    return plugin


def _optional_str(path: Path | None) -> str | None:
    return None if path is None else str(path)


@contextmanager
def _engine_log() -> Iterator[None]:
    """Show the engine's messages as its command line does (`INFO    -  ...` on stderr) while a command runs."""
    logger = logging.getLogger(ENGINE_MODULE)
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
    saved = logger.level, logger.propagate
    legacy = logging.getLogger("mkdocs")  # Material logs under "mkdocs.*"; with ProperDocs, count and show those too
    legacy_parent = legacy.parent
    if legacy is not logger:
        legacy.parent = logger
    logger.setLevel(logging.INFO)
    logger.propagate = False
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.level, logger.propagate = saved
        legacy.parent = legacy_parent


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


# --- the plugin (called by MkDocs) -------------------------------------------------


class GeneratorPlugin(BasePlugin):
    """Runs the generator once per build and gives MkDocs its pages, navigation and page dates."""

    def __init__(self) -> None:
        super().__init__()
        self.today: dt.date | None = None  # check review dates as of this day; None: the day of each build
        self.overdue_is_error = True
        self.prepared: pipeline.Result | None = None  # handed over by the caller, for the next build only
        self.command = "build"
        self.last_good: pipeline.Result | None = None  # shown by `serve` while the content has errors
        self.pages: dict[str, str] = {}
        self.content_date = ""
        self.theme_bytecode = _MemoryBytecodeCache()

    def configure(self, *, today: dt.date | None, overdue_is_error: bool,
                  prepared: pipeline.Result | None = None) -> None:
        self.today, self.overdue_is_error, self.prepared = today, overdue_is_error, prepared

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    def on_config(self, config: Any) -> Any:
        result, self.prepared = self.prepared, None
        if result is None:
            result = pipeline.run(
                Path(config.docs_dir), today=self.today or dt.date.today(), overdue_is_error=self.overdue_is_error,
                shown_as=os.path.relpath(config.docs_dir, Path(config.config_file_path).parent),
            )
        for warning in (d for d in result.diagnostics if d.severity is Severity.WARNING):
            log.info(str(warning))  # review reminders must not fail a strict build
        if not result.ok:
            report = format_report(errors(result.diagnostics))
            if self.command == "serve" and self.last_good is not None:
                log.error("The content has errors; still showing the last good version.\n%s", report)
                result = self.last_good
            else:
                raise PluginError(f"The content has errors; nothing was built.\n{report}")
        assert result.rendered is not None and result.site is not None
        self.last_good = result
        self.content_date = _newest_review(result.site)
        self.pages = result.rendered.pages
        config["nav"] = result.rendered.nav
        return config

    def on_files(self, files: Any, *, config: Any) -> Any:
        for path, markdown in self.pages.items():
            files.append(File.generated(config, path, content=markdown))
        return files

    def on_page_markdown(self, markdown: str, *, page: Any, config: Any, files: Any) -> str:
        """Date each page by its last review, not the build clock, so every build writes the same sitemap."""
        if "SOURCE_DATE_EPOCH" not in os.environ:  # when set, MkDocs dates every page by it
            page.update_date = str(page.meta.get("last_reviewed") or self.content_date)
        return markdown

    def on_page_content(self, html: str, *, page: Any, config: Any, files: Any) -> str:
        """Mark the sections that list sources or other pages, so Material's search leaves them out.

        The search index is one file every reader downloads whole (often on a phone); these sections only
        repeat titles and notes from the pages they link to, and grow as the site does. Material drops the
        attribute from the page after indexing it.
        """
        return _LIST_SECTION_HEADING.sub(r'<h2 data-search-exclude="true" id="\1"', html)

    def on_env(self, env: Any, *, config: Any, files: Any) -> Any:
        """Compile the theme's templates once per live-preview session, not on every rebuild."""
        env.bytecode_cache = self.theme_bytecode
        return env

    def on_serve(self, server: Any, *, config: Any, builder: Any) -> Any:
        server.watch(str(TEMPLATES))
        return server


# The ids MkDocs gives the templates' headings of those sections.
_LIST_SECTIONS = ("sources", "related-conditions", "conditions-it-can-cause", "what-can-help", "what-it-may-help-with")
_LIST_SECTION_HEADING = re.compile(r'<h2 id="(%s)"' % "|".join(_LIST_SECTIONS))


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
