"""Everything that knows about MkDocs, in one file: the MkDocs plugin and the build/serve commands.

The plugin (entry point `cramp-help`, listed under `plugins:` in mkdocs.yml) runs the generator
and hands its pages to MkDocs in memory (File.generated), so nothing is ever written into the
watched content folder. MkDocs keeps a plugin that has on_startup for the whole of `mkdocs serve`,
so the plugin's state (the last good pages, the compiled theme) lives on the instance.

The live preview (`serve`) runs MkDocs' own build once, then MkDocs' live-reload server with the
plugin's `rebuild` as its builder: it keeps MkDocs' objects of that build (config, files, nav,
theme environment) and, after each save, renders and lays out only the pages whose Markdown
changed, with MkDocs' own page functions. Besides the public API it leans on a few of MkDocs'
inner names (`_populate_page`, the live-reload server's epoch and rebuild flags), the same in
ProperDocs; the preview's tests exercise each of them on both engines.

It works with MkDocs 1.6 and with ProperDocs, its maintained continuation: MkDocs where it is
installed, else ProperDocs, whose `properdocs.replacement` makes every `mkdocs.*` import (ours and
Material's) load ProperDocs' module. The generator itself knows nothing of either; moving to
another engine means replacing this file, and `python -m generator render` writes the same pages
as a Markdown tree for any engine.
"""

from __future__ import annotations

import contextlib
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
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

if importlib.util.find_spec("mkdocs") is None:
    import properdocs.replacement  # noqa: F401  (from here on, `mkdocs.*` imports load ProperDocs)

import mkdocs
from jinja2 import BytecodeCache
from mkdocs.commands.build import _populate_page, get_context
from mkdocs.commands.build import build as build_site
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError, PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, InclusionLevel, set_exclusions
from mkdocs.structure.nav import get_navigation
from mkdocs.structure.pages import Page

from generator import pipeline, render
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
    """SIGTERM (an editor's tool ending the preview) and SIGHUP (its terminal closed) end it as Ctrl-C does.

    SIGINT too, even where it was ignored when the command started (a job started in the background
    by a script inherits that), so Ctrl-C or `kill -INT` always ends the preview.
    """
    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    ending = [s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None]
    saved = {s: signal.signal(s, interrupt) for s in ending}
    _end_with_parent()
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
        self.pages: dict[str, str] = {}  # the last good Markdown, shown by `serve` while the content has errors
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
        self.server: _PreviewServer | None = None
        self.stale_markdown: set[str] = set()  # pages whose Markdown changed and that are not built yet
        self.stale_layout: set[str] = set()  # pages to lay out again in a new navigation

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

        Requests are answered all along, from the last build's pages: the generator writes nothing
        served, and each page's HTML replaces its file in one step. The pages a browser showed most
        recently are written and built first, and the browsers reload as soon as those are; then
        every other page is written, and those that changed are built. An invalid save builds
        nothing: the browsers reload to show the errors' banner over the last good pages. Every page
        is laid out again only when the navigation changed. A further save stops the work between
        two pages, and the next rebuild takes up what is left, so a save never waits for the one
        before it to finish.
        """
        started = time.perf_counter()
        if _snapshot(self._engine_paths(self.config)) != self.engine_files:
            log.info("mkdocs.yml or the theme changed: building every page again")
            assert self.reload is not None
            self.stale_markdown, self.stale_layout = set(), set()
            self.full_build(self.reload())  # MkDocs' server holds requests meanwhile, as the site folder is emptied
            return
        server = self.server
        assert server is not None
        with server.answering():
            server.note_content(self.config.docs_dir)
            result = self._generate(self.config, render_pages=False)
            generated = time.perf_counter() - started
            had_problems = bool(self.problems)
            if result.site is None:
                self.problems = errors(result.diagnostics)
                log.error("The content has errors; the preview shows them on every page, over the last good "
                          "version.\n%s", format_report(self.problems))
                server.reload_browsers()
                self._build_stale(server)  # what an interrupted rebuild left of the last good version
                return
            self.problems = []
            jobs = render.page_jobs(result.site)
            nav = render.navigation(result.site)
            removed = [path for path in self.pages if path not in jobs]
            nav_changed = nav != self.nav_source
            self.nav_source, self.content_date = nav, _newest_review(result.site)
            source_of = {file.url: file.src_uri for file in self.files.documentation_pages()}
            viewed = [source_of[url] for url in server.recently_viewed() if source_of.get(url) in jobs]
            changed = self._write(jobs, viewed, server)
            self._take_changes(changed, removed, nav_changed)
            count = len(changed)
            built, reloaded = self._build_stale(server, viewed_only=True)
            if (had_problems or built) and reloaded is None:
                server.reload_browsers()
                reloaded = time.perf_counter()
            changed = self._write(jobs, [path for path in jobs if path not in viewed], server)
            self._take_changes(changed, [], False)
            count += len(changed)
            more, _ = self._build_stale(server)
            built += more
            if more and reloaded is None:
                server.reload_browsers()
                reloaded = time.perf_counter()
        left = len(self.stale_markdown) + len(self.stale_layout)
        log.info("%d pages changed, %d removed%s; built %d in %.2f s (generator %.2f s; browsers reloaded at %s)%s",
                 count, len(removed), ", the navigation changed" if nav_changed else "", built,
                 time.perf_counter() - started, generated,
                 "-" if reloaded is None else f"{reloaded - started:.2f} s",
                 f"; {left} left for after the next save" if left else "")

    def _write(self, jobs: dict[str, Callable[[], str]], paths: list[str], server: _PreviewServer) -> list[str]:
        """Write these pages' Markdown, keep it, and return the paths whose Markdown changed.

        A further save stops the writing; the pages not written keep their last Markdown, and the next
        rebuild writes them again.
        """
        changed = []
        for path in paths:
            if server.change_pending():
                break
            markdown = jobs[path]()
            if self.pages.get(path) != markdown:
                self.pages[path] = markdown
                changed.append(path)
        return changed

    def _take_changes(self, changed: list[str], removed: list[str], nav_changed: bool) -> None:
        """Give MkDocs' files the new Markdown (self.pages) and navigation; mark which pages must be built again."""
        pages = self.pages
        config, files = self.config, self.files
        search = _search_index(config)
        if search is not None and (changed or removed):  # their entries come back as each page is built
            gone = {_url_of(path, config) for path in (*changed, *removed)}
            search.entries = [e for e in search.entries if e["location"].partition("#")[0] not in gone]
        for path in removed:
            del self.pages[path]
            file = files.get_file_from_path(path)
            if file is not None:
                files.remove(file)
                Path(file.abs_dest_path).unlink(missing_ok=True)
            self.stale_markdown.discard(path)
            self.stale_layout.discard(path)
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
            self.stale_layout = {f.src_uri for f in files.documentation_pages(inclusion=InclusionLevel.is_in_serve)}
        for file in added:
            if file.page is None:
                Page(None, file, config)
        self.stale_markdown.update(changed)
        self.stale_layout -= self.stale_markdown

    def _build_stale(self, server: _PreviewServer, *, viewed_only: bool = False) -> tuple[int, float | None]:
        """Build the stale pages, those a browser showed lately first, and reload the browsers once those are.

        viewed_only: build only the stale pages a browser showed lately. Returns the number of pages
        built and when the browsers were reloaded (perf_counter), if they were.
        """
        config, files = self.config, self.files
        viewed = server.recently_viewed()  # page addresses, the latest first
        rank = {url: i for i, url in enumerate(viewed)}
        stale = [files.get_file_from_path(path) for path in (*self.stale_markdown, *self.stale_layout)]
        if viewed_only:
            stale = [file for file in stale if file.url in rank]
        stale.sort(key=lambda file: rank.get(file.url, len(rank)))
        last_viewed = max((i for i, file in enumerate(stale) if file.url in rank), default=-1)
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        search = _search_index(config)
        built, reloaded = 0, None
        for i, file in enumerate(stale):
            if server.change_pending():
                break
            if file.src_uri in self.stale_markdown:
                _populate_page(file.page, config, files)
                self._lay_out(file.page, doc_files)
                self.stale_markdown.discard(file.src_uri)
            else:  # the same content in a new navigation: its search entries are already there
                entries = None if search is None else len(search.entries)
                self._lay_out(file.page, doc_files)
                if entries is not None:
                    del search.entries[entries:]
                self.stale_layout.discard(file.src_uri)
            built += 1
            if i == last_viewed:
                server.reload_browsers()
                reloaded = time.perf_counter()
        if built and not viewed_only and not (self.stale_markdown or self.stale_layout):
            config.plugins.on_post_build(config=config)  # Material writes the search index (once all is built)
        return built, reloaded

    def _lay_out(self, page: Any, doc_files: Any) -> None:
        """MkDocs' _build_page for one page, but the HTML replaces the page's file in one step."""
        config = self.config
        config._current_page = page
        page.active = True
        try:
            context = get_context(self.nav, doc_files, config, page)
            template = self.env.get_template(page.meta.get("template", "main.html"))
            context = config.plugins.on_page_context(context, page=page, config=config, nav=self.nav)
            output = config.plugins.on_post_page(template.render(context), page=page, config=config)
        finally:
            page.active = False
            config._current_page = None
        _write_in_one_step(Path(page.file.abs_dest_path), output.encode("utf-8", errors="xmlcharrefreplace"))

    def _keep(self, result: pipeline.Result) -> None:
        assert result.rendered is not None and result.site is not None
        self.content_date = _newest_review(result.site)
        self.pages = dict(result.rendered.pages)  # the preview changes it page by page
        self.nav_source = result.rendered.nav

    def _generate(self, config: Any, *, render_pages: bool = True) -> pipeline.Result:
        result, self.prepared = self.prepared, None
        if result is None:
            result = pipeline.run(
                Path(config.docs_dir), today=self.today or dt.date.today(), overdue_is_error=self.overdue_is_error,
                shown_as=os.path.relpath(config.docs_dir, Path(config.config_file_path).parent),
                render_pages=render_pages, reading_level=self.command == "serve",
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
            if self.command == "serve" and self.pages:
                self.problems = errors(result.diagnostics)
                log.error("The content has errors; still showing the last good version.\n%s", report)
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
        # MkDocs' polling, which sees one save as one change (the system's file events come in bursts, up
        # to 0.5 s late, and would start a second rebuild), twice as often as MkDocs: a save is seen within
        # 0.25 s. At 1,000 conditions the looks slow the generator's run by up to a fifth.
        super().__init__(builder=plugin.rebuild, host=host, port=port, root=root, polling_interval=0.25)
        self.plugin, self.port, self._listening = plugin, port, False
        self.error_handler = self._not_found
        self._viewed: dict[str, None] = {}  # page addresses asked for, oldest first
        self._viewed_lock = threading.Lock()
        self._content_folder, self._content_seen, self._looked_at = "", {}, 0.0  # see change_pending
        plugin.server = self

    @contextmanager
    def answering(self) -> Iterator[None]:
        """Answer requests during the block, although a rebuild is under way.

        MkDocs' server holds every request from the start of a rebuild to its end, so that no page is
        read half-written. The preview's rebuild writes each file in one step (or the generator runs,
        which writes nothing served), so requests are answered from the pages there are. At the end
        the browsers reload only if reload_browsers() was called.
        """
        with self._epoch_cond:
            self._wanted_epoch = self._visible_epoch
            self._epoch_cond.notify_all()
        yield

    def reload_browsers(self) -> None:
        with self._epoch_cond:
            self._visible_epoch = self._wanted_epoch = max(round(time.monotonic() * 1000), self._visible_epoch + 1)
            self._epoch_cond.notify_all()

    def note_content(self, folder: str) -> None:
        """Take note of the content folder's files as this rebuild reads them, for change_pending()."""
        self._content_folder, self._content_seen = folder, _tree_snapshot(folder)
        self._looked_at = time.monotonic()

    def change_pending(self) -> bool:
        """Whether a file changed again since this rebuild began.

        MkDocs' polling observer notices a save late while a rebuild keeps Python busy: its look at the
        content's 2,200 files at 1,000 conditions waits for the interpreter at every file, and a second
        save was seen 3 to 4 s late. So the content folder is looked at here too, at most every 0.2 s
        (5 ms a look); the work stops, and the observer, no longer kept waiting, starts the next rebuild.
        """
        with self._rebuild_cond:
            if self._want_rebuild:
                return True
        if not self._content_folder or time.monotonic() - self._looked_at < 0.2:
            return False
        self._looked_at = time.monotonic()
        return _tree_snapshot(self._content_folder) != self._content_seen

    def recently_viewed(self) -> list[str]:
        """The addresses (as MkDocs' page.url) of the pages asked for lately, the latest first."""
        with self._viewed_lock:
            return list(reversed(self._viewed))

    def serve_request(self, environ: dict[str, Any], start_response: Any) -> Any:
        shown = [environ.get("PATH_INFO", "")]
        if shown[0].startswith("/livereload/"):  # a browser waiting to reload the page it shows
            shown = [urllib.parse.urlsplit(environ.get("HTTP_REFERER", "")).path]
        for path in shown:
            if path.endswith("/") or path.endswith(".html"):
                url = path.lstrip("/").removesuffix("index.html")
                with self._viewed_lock:
                    self._viewed.pop(url, None)
                    self._viewed[url] = None
                    while len(self._viewed) > 20:
                        del self._viewed[next(iter(self._viewed))]
        return super().serve_request(environ, start_response)

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
        return self._with_banner(page.read_bytes()) if code in (404, 500) and page.is_file() else None

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        return super()._inject_js_into_html(self._with_banner(content), epoch)

    def _with_banner(self, content: bytes) -> bytes:
        """The page with the plugin's error banner (if any) at the top of its body."""
        banner = self.plugin.banner()
        if banner:
            body = re.search(rb"<body[^>]*>", content)
            at = body.end() if body else 0
            content = content[:at] + banner + content[at:]
        return content


def _write_in_one_step(path: Path, data: bytes) -> None:
    """Write a file under a temporary name, then rename it: a reader sees the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.writing")
    partial.write_bytes(data)
    os.replace(partial, path)


def _end_with_parent() -> None:
    """On Linux, have SIGTERM sent to this process when the program that started it ends.

    `make serve` ended by SIGHUP (as a tool may end it by its process id) dies without passing the
    signal on; the preview would be left holding the port. Elsewhere this does nothing.
    """
    if not sys.platform.startswith("linux"):
        return
    prctl = getattr(ctypes.CDLL(None, use_errno=True), "prctl", None)
    if prctl is not None:
        pr_set_pdeathsig = 1
        prctl(pr_set_pdeathsig, int(signal.SIGTERM), 0, 0, 0)


def _tree_snapshot(folder: str) -> dict[str, int]:
    """Each file's modification time, for every file under folder."""
    snapshot = {}
    for root, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            with contextlib.suppress(OSError):  # deleted meanwhile
                snapshot[path] = os.stat(path).st_mtime_ns
    return snapshot


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
