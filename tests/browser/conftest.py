"""Browser tests: build the real site once, serve it on 127.0.0.1 and drive Debian's Chromium with Playwright.

Set BROWSER_TEST_CONTENT to another content folder (e.g. tests/fixtures/minimal)
to run the same tests on it.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright
from browser_support import AXE_JS, CHROMIUM, CHROMIUM_ARGS, PHONE, ROOT, BuiltSite, Tab, open_tab

from generator import mkdocs_plugin, pipeline

SUMMARY_KEY = pytest.StashKey[list[str]]()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _content_dir() -> Path:
    """The real content, or the folder named by BROWSER_TEST_CONTENT."""
    chosen = os.environ.get("BROWSER_TEST_CONTENT")
    return (ROOT / chosen).resolve() if chosen else ROOT / "content"


def _build(content: Path, workdir: Path, site_url: str) -> Path:
    """Build the site from content with the project's mkdocs.yml and theme, as `make site` does."""
    project = workdir / "project"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    for name in ("theme", "generator"):
        (project / name).symlink_to(ROOT / name)
    (project / "content").symlink_to(content)
    site_dir = workdir / "site"
    code = mkdocs_plugin.build(site_dir, config_file=project / "mkdocs.yml", site_url=site_url, overdue_is_error=False)
    if code != 0:
        pytest.fail(f"the site did not build from {content} (exit code {code}); run `make site` to see why")
    return site_dir


def _page_paths(site_dir: Path) -> list[str]:
    """Every HTML page of the built site, as a path under the site's address."""
    pages = []
    for html in sorted(site_dir.rglob("*.html")):
        relative = html.relative_to(site_dir).as_posix()
        pages.append(relative.removesuffix("index.html"))
    return pages


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltSite]:
    """The real site, built once and served on 127.0.0.1 under the same path as the published site."""
    workdir = tmp_path_factory.mktemp("browser-site")
    served = workdir / "served"
    served.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(served)))
    base_url = f"http://127.0.0.1:{server.server_address[1]}/cramp-help/"
    content_dir = _content_dir()
    site_dir = _build(content_dir, workdir, base_url)
    (served / "cramp-help").symlink_to(site_dir)
    result = pipeline.run(content_dir, today=dt.date.today(), overdue_is_error=False, render_pages=False)
    assert result.site is not None, "the content did not validate"
    pages = _page_paths(site_dir)
    if "" not in pages:
        pytest.fail(f"the build of {content_dir} wrote no home page into {site_dir}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield BuiltSite(root=site_dir, base_url=base_url, content=result.site, pages=pages)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole session."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium package (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def light(browser: Browser, axe_source: str) -> Iterator[Tab]:
    """A desktop-sized page in the light colour scheme, with axe-core loaded, reused by the tests."""
    tab = open_tab(browser, "light", init_script=axe_source)
    yield tab
    tab.page.context.close()


@pytest.fixture(scope="session")
def dark(browser: Browser, axe_source: str) -> Iterator[Tab]:
    """A desktop-sized page in the dark colour scheme, with axe-core loaded, reused by the tests."""
    tab = open_tab(browser, "dark", init_script=axe_source)
    yield tab
    tab.page.context.close()


@pytest.fixture(scope="session")
def phone(browser: Browser, axe_source: str) -> Iterator[Tab]:
    """A phone-sized page (390 x 844) in the light colour scheme, with axe-core loaded, reused by the tests."""
    tab = open_tab(browser, "light", viewport=PHONE, init_script=axe_source)
    yield tab
    tab.page.context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script, installed from npm by `make test`."""
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} not found: run `npm ci --prefix tests/browser` (make test does it)")
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def report_lines(request: pytest.FixtureRequest) -> list[str]:
    """Lines printed at the end of the run (page weight, axe results)."""
    return request.config.stash.setdefault(SUMMARY_KEY, [])


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """Print the figures the browser tests measured."""
    lines = config.stash.get(SUMMARY_KEY, [])
    if lines:
        terminalreporter.section("browser measurements")
        for line in lines:
            terminalreporter.write_line(line)
