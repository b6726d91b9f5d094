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
import errno
import html
import importlib.util
import logging
import os
import re
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

if importlib.util.find_spec("mkdocs") is None:
    import properdocs.replacement  # noqa: F401  (from here on, `mkdocs.*` imports load ProperDocs)

import mkdocs
from jinja2 import BytecodeCache
from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.commands.build import build as build_site
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError, PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, InclusionLevel, set_exclusions
from mkdocs.structure.nav import get_navigation
from mkdocs.structure.pages import Page

from generator import pipeline
from generator.diagnostics import Diagnostic, Severity, errors, format_report

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
    """Live preview on address (host:port): one full build, then only what each save changes.

    Not strict: while the content has errors, the preview keeps the last good pages and shows every
    error in a banner on each page (added as pages are served, so it is never in site/). The server
    and its temporary site folder end with this call, however it ends: Ctrl-C, SIGTERM or SIGHUP.
    Raises PortInUse, before building anything, when another program listens on the port.
    """
    host, _, port = address.rpartition(":")
    site_dir = tempfile.mkdtemp(prefix="cramp-preview-")
    options = {"dev_addr": address, "strict": False, "docs_dir": _optional_str(content_dir),
               # pages at the root of the preview address, as printed, not under the published site's path
               "site_url": f"http://{address}/", "site_dir": site_dir}
    try:
        with _engine_log(), _signals_end_the_preview():
            try:
                config = load_config(str(config_file.resolve()), **options)
                plugin = plugin_of(config)
                plugin.configure(today=today, overdue_is_error=overdue_is_error)
                server = _PreviewServer(plugin, host=host, port=int(port), root=site_dir)
                server.listen()
                plugin.preview(server.url, reload=lambda: load_config(str(config_file.resolve()), **options))
                config.plugins.on_startup(command="serve", dirty=False)
                try:
                    plugin.full_build(config)
                    for path in (config.docs_dir, config.config_file_path, TEMPLATES, *plugin.theme_dirs(config)):
                        server.watch(str(path))
                    server.serve()
                finally:
                    server.shutdown()
                    config.plugins.on_shutdown()
            except (Abort, ConfigurationError) as failed:
                log.error(failed.message)
                return 1
            except KeyboardInterrupt:  # Ctrl-C, or SIGTERM or SIGHUP (see _signals_end_the_preview)
                log.info("Stopped the preview.")
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)
    return 0


class PortInUse(Exception):
    def __init__(self, port: int) -> None:
        super().__init__(f"port {port} is in use; stop the other preview or use --port")


@contextmanager
def _signals_end_the_preview() -> Iterator[None]:
    """SIGTERM (an editor's tool ending the preview) and SIGHUP (its terminal closed) end it as Ctrl-C does."""
    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    ending = [s for s in (signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None]
    saved = {s: signal.signal(s, interrupt) for s in ending}
    try:
        yield
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)


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
    """Runs the generator once per build and gives MkDocs its pages, navigation and page dates.

    In the live preview (`serve`, above) it is also the builder after the first build: `rebuild`
    re-runs the generator and hands MkDocs only the pages whose Markdown changed.
    """

    def __init__(self) -> None:
        super().__init__()
        self.today: dt.date | None = None  # check review dates as of this day; None: the day of each build
        self.overdue_is_error = True
        self.prepared: pipeline.Result | None = None  # handed over by the caller, for the next build only
        self.command = "build"
        self.last_good: pipeline.Result | None = None  # shown by `serve` while the content has errors
        self.pages: dict[str, str] = {}
        self.nav_source: Any = None  # the generator's navigation, as in mkdocs.yml's nav:
        self.content_date = ""
        self.theme_bytecode = _MemoryBytecodeCache()
        self.problems: list[Diagnostic] = []  # the content's errors while it has any (preview only)
        # The live preview's state: MkDocs' own objects from the last build, changed in place by rebuild().
        self.serve_url = ""
        self.reload: Callable[[], Any] | None = None
        self.config: Any = None
        self.files: Any = None
        self.nav: Any = None
        self.env: Any = None
        self.engine_files: dict[str, int] = {}

    def configure(self, *, today: dt.date | None, overdue_is_error: bool,
                  prepared: pipeline.Result | None = None) -> None:
        self.today, self.overdue_is_error, self.prepared = today, overdue_is_error, prepared

    def preview(self, serve_url: str, *, reload: Callable[[], Any]) -> None:
        """Serve mode: pages for serve_url; reload() reads mkdocs.yml again after it or the theme changes."""
        self.serve_url, self.reload = serve_url, reload

    # --- the live preview's builds -------------------------------------------------

    def full_build(self, config: Any) -> None:
        """Every page, as `mkdocs serve` builds them: at start-up and after mkdocs.yml or the theme changes."""
        config.site_url = self.serve_url
        build_site(config, serve_url=self.serve_url)
        self.engine_files = _snapshot(self._engine_paths(config))

    def rebuild(self) -> None:
        """The preview's builder after a save: rebuild only the pages whose Markdown changed.

        An invalid save builds nothing (the banner shows the errors over the last good pages).
        Every page is laid out again only when the navigation changed (a title in it, or its pages).
        """
        started = time.perf_counter()
        if _snapshot(self._engine_paths(self.config)) != self.engine_files:
            log.info("mkdocs.yml or the theme changed: building every page again")
            assert self.reload is not None
            self.full_build(self.reload())
            return
        result = self._generate(self.config)
        if not result.ok:
            self.problems = errors(result.diagnostics)
            log.error("The content has errors; still showing the last good version, with the errors on every "
                      "page.\n%s", format_report(self.problems))
            return
        self.problems = []
        assert result.rendered is not None
        old, new = self.pages, result.rendered.pages
        changed = [path for path, markdown in new.items() if old.get(path) != markdown]
        removed = [path for path in old if path not in new]
        nav_changed = result.rendered.nav != self.nav_source
        self._keep(result)
        if changed or removed or nav_changed:
            self._rebuild_pages(new, changed, removed, nav_changed)
        log.info("Rebuilt %d changed and removed %d pages%s in %.2f s", len(changed), len(removed),
                 ", and every page's navigation" if nav_changed else "", time.perf_counter() - started)

    def _rebuild_pages(self, pages: dict[str, str], changed: list[str], removed: list[str], nav_changed: bool) -> None:
        config, files = self.config, self.files
        for path in removed:
            file = files.get_file_from_path(path)
            if file is not None:
                files.remove(file)
                Path(file.abs_dest_path).unlink(missing_ok=True)
        added = []
        for path in changed:
            file = files.get_file_from_path(path)
            if file is None:
                added.append(File.generated(config, path, content=pages[path]))
                files.append(added[-1])
            else:
                file.content_string = pages[path]
        if added:
            set_exclusions(files, config)
        if nav_changed:
            config["nav"] = self.nav_source
            self.nav = config.plugins.on_nav(get_navigation(files, config), config=config, files=files)
            for title, page in _nav_titles(self.nav_source, files):
                page.title = title
        for file in added:
            if file.page is None:
                Page(None, file, config)
        rebuilt = [files.get_file_from_path(path) for path in changed]
        for file in rebuilt:
            _populate_page(file.page, config, files)
        # Material's search index: the rebuilt pages' entries replace theirs; a page laid out again only
        # for its navigation keeps its entries (its content is the same).
        search = _search_index(config)
        gone_paths = {*changed, *removed}
        gone = {_url_of(path, config) for path in gone_paths}
        kept = [] if search is None else [e for e in search.entries if e["location"].partition("#")[0] not in gone]
        if search is not None:
            search.entries = []
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        for file in rebuilt:
            _build_page(file.page, config, doc_files, self.nav, self.env, excluded=file.inclusion.is_excluded())
        fresh = [] if search is None else search.entries
        if nav_changed:
            for file in doc_files:
                if file.src_uri not in gone_paths:
                    _build_page(file.page, config, doc_files, self.nav, self.env,
                                excluded=file.inclusion.is_excluded())
        if search is not None:
            search.entries = kept + fresh
        config.plugins.on_post_build(config=config)  # writes the search index

    def _keep(self, result: pipeline.Result) -> None:
        assert result.rendered is not None and result.site is not None
        self.last_good = result
        self.content_date = _newest_review(result.site)
        self.pages = result.rendered.pages
        self.nav_source = result.rendered.nav

    def _generate(self, config: Any) -> pipeline.Result:
        result, self.prepared = self.prepared, None
        if result is None:
            result = pipeline.run(
                Path(config.docs_dir), today=self.today or dt.date.today(), overdue_is_error=self.overdue_is_error,
                shown_as=os.path.relpath(config.docs_dir, Path(config.config_file_path).parent),
            )
        for warning in (d for d in result.diagnostics if d.severity is Severity.WARNING):
            log.info(str(warning))  # review reminders must not fail a strict build
        return result

    def theme_dirs(self, config: Any) -> list[str]:
        """The project's own theme folder (custom_dir), not the installed theme's."""
        custom = config.theme.custom_dir
        return [custom] if custom else []

    def _engine_paths(self, config: Any) -> list[Path]:
        paths = [Path(config.config_file_path)]
        for folder in self.theme_dirs(config):
            paths += sorted(p for p in Path(folder).rglob("*") if p.is_file())
        return paths

    def banner(self) -> bytes:
        """The preview's banner listing the content's errors, as HTML; empty when there are none."""
        if not self.problems:
            return b""
        items = "".join(
            f'<li style="margin:.3em 0"><code>{html.escape(f"{d.file}:{d.line}:{d.column}")}</code> '
            f'{html.escape(f"{d.field}: " if d.field else "")}{html.escape(d.message)}</li>'
            for d in self.problems)
        count = f"{len(self.problems)} error{'s' if len(self.problems) != 1 else ''}"
        return (
            '<div class="cramp-preview-errors" role="alert" style="position:relative;z-index:10;'
            'background:#fff3cd;color:#1a1a1a;border-bottom:4px solid #b00020;padding:.8em 1.2em;'
            'font:16px/1.4 system-ui,sans-serif;max-height:50vh;overflow:auto">'
            f'<p style="margin:0 0 .4em"><strong>The content has {count}. This page is the last good version.'
            '</strong> Fix each one and save; this box goes when the content is valid again. '
            '(Only the preview shows it.)</p>'
            f'<ul style="margin:0;padding-left:1.2em">{items}</ul></div>'
        ).encode("utf-8")

    # --- MkDocs' events ------------------------------------------------------------

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    def on_config(self, config: Any) -> Any:
        result = self._generate(config)
        if not result.ok:
            report = format_report(errors(result.diagnostics))
            if self.command == "serve" and self.last_good is not None:
                self.problems = errors(result.diagnostics)
                log.error("The content has errors; still showing the last good version.\n%s", report)
                result = self.last_good
            else:
                raise PluginError(f"The content has errors; nothing was built.\n{report}")
        else:
            self.problems = []
        self._keep(result)
        self.config = config
        config["nav"] = self.nav_source
        return config

    def on_files(self, files: Any, *, config: Any) -> Any:
        for path, markdown in self.pages.items():
            files.append(File.generated(config, path, content=markdown))
        self.files = files
        return files

    def on_nav(self, nav: Any, *, config: Any, files: Any) -> Any:
        self.nav = nav
        return nav

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
        self.env = env
        return env


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


class _PreviewServer(LiveReloadServer):
    """MkDocs' live-reload server that listens before the first build and shows the content's errors.

    Listening first means a busy port is reported at once, not after a full build. Every HTML page it
    serves gets the plugin's error banner (if any) at the top of its body: the pages on disk never do.
    """

    def __init__(self, plugin: GeneratorPlugin, *, host: str, port: int, root: str) -> None:
        super().__init__(builder=plugin.rebuild, host=host, port=port, root=root)
        self.plugin, self.port, self._listening = plugin, port, False
        self.error_handler = self._not_found

    def listen(self) -> None:
        try:
            super().server_bind()
            super().server_activate()
        except OSError as exc:
            self.server_close()
            if exc.errno == errno.EADDRINUSE:
                raise PortInUse(self.port) from None
            raise
        self._listening = True

    def server_bind(self) -> None:  # LiveReloadServer.serve() binds; listen() has done it already
        if not self._listening:
            super().server_bind()

    def server_activate(self) -> None:
        if not self._listening:
            super().server_activate()

    def _not_found(self, code: int) -> bytes | None:
        page = Path(self.root, f"{code}.html")
        return page.read_bytes() if code in (404, 500) and page.is_file() else None

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        banner = self.plugin.banner()
        if banner:
            body = re.search(rb"<body[^>]*>", content)
            at = body.end() if body else 0
            content = content[:at] + banner + content[at:]
        return super()._inject_js_into_html(content, epoch)


def _snapshot(paths: list[Path]) -> dict[str, int]:
    """Each file's modification time, to tell whether any changed since the last look."""
    return {str(p): p.stat().st_mtime_ns for p in paths if p.exists()}


def _nav_titles(nav: Any, files: Any) -> Iterator[tuple[str, Any]]:
    """(title, page) for every page that mkdocs.yml-style nav data names with a title."""
    if isinstance(nav, list):
        for item in nav:
            yield from _nav_titles(item, files)
    elif isinstance(nav, dict):
        for title, value in nav.items():
            if isinstance(value, str):
                file = files.get_file_from_path(value)
                if file is not None and file.page is not None:
                    yield title, file.page
            else:
                yield from _nav_titles(value, files)


def _search_index(config: Any) -> Any:
    """Material's search index of this build (its entries are a plain list), or None without the search plugin."""
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        if index is not None and isinstance(getattr(index, "entries", None), list):
            return index
    return None


def _url_of(path: str, config: Any) -> str:
    """The page address MkDocs gives a Markdown path (as in the search index's locations)."""
    return File(path, "", "", config.use_directory_urls).url


def _newest_review(site: Any) -> str:
    """The newest review date in the content: the date of pages that have no review of their own."""
    dates = [entry.review.last_reviewed for entry in (*site.conditions, *site.causes, *site.remedies)]
    return max(dates, default=dt.date(1970, 1, 1)).isoformat()
