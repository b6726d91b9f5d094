"""Shared pieces of the browser tests: where things are, the served site and a guarded browser tab."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Page, Route

from generator.link import Site

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@dataclass
class BuiltSite:
    """The built site, where it is served and the content it was built from."""

    root: Path
    base_url: str
    content: Site
    pages: list[str]  # every HTML page as a path under base_url, e.g. 'conditions/night-leg-cramps/'

    def url(self, path: str) -> str:
        return self.base_url + path

    def condition_paths(self) -> list[str]:
        return [f"conditions/{c.id}/" for c in self.content.conditions]


@dataclass
class Tab:
    """One browser page kept open for the session, with the requests it tried to send elsewhere."""

    page: Page
    scheme: str
    outside_requests: list[str] = field(default_factory=list)


def open_tab(browser: Browser, scheme: str = "light", viewport: dict[str, int] = DESKTOP, init_script: str = "") -> Tab:
    """A new page in a fresh context that records and blocks every request to a host other than 127.0.0.1."""
    context = browser.new_context(viewport=viewport, color_scheme=scheme, service_workers="block")
    if init_script:
        context.add_init_script(init_script)  # e.g. axe-core, in every page before its own scripts
    tab = Tab(page=context.new_page(), scheme=scheme)

    def guard(route: Route) -> None:
        url = route.request.url
        if urlsplit(url).scheme in ("data", "blob") or urlsplit(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            tab.outside_requests.append(url)
            route.abort()

    context.route("**/*", guard)
    return tab




def tab_until(page: Page, reached: Callable[[], bool], *, presses: int, what: str) -> None:
    """Press Tab until reached() is true, at most `presses` times; fail naming what was not reached."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if reached():
            return
    raise AssertionError(f"{what} was not reached with the Tab key")
