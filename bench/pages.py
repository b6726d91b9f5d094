"""Measure the built site as a reader meets it: `python bench/pages.py [SITE_DIR]` (make measures).

Prints, never asserts (the browser tests assert what must hold):
- per condition page at 390 x 844: its length and where "When to get help" starts, in phone screens;
- per condition page: how many A4 pages it prints on (Chromium's page.pdf, from the dark scheme);
- the heaviest condition page's first visit, gzipped, with everything it loads (drawings are inline);
- axe-core violations (WCAG 2.0, 2.1 and 2.2 A and AA, and best practice) at 390 and 1280, light and dark.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import re
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from browser_support import AXE_JS, CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
HELP_HEADING = "#when-to-get-help"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def pages_of(site_dir: Path) -> list[str]:
    return sorted(("" if p.parent == site_dir else p.parent.relative_to(site_dir).as_posix() + "/")
                  for p in site_dir.rglob("index.html") if p.parent.name != "search")


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site_dir", type=Path, nargs="?", default=ROOT / "site")
    parser.add_argument("--no-axe", action="store_true", help="skip the axe-core runs (the slowest part)")
    args = parser.parse_args()
    site_dir: Path = args.site_dir.resolve()
    conditions = sorted(p.parent.name for p in (site_dir / "conditions").glob("*/index.html"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            _screens_and_print(browser, base, conditions)
            _weight(browser, base, site_dir, conditions)
            if not args.no_axe:
                _axe(browser, base, pages_of(site_dir))
            browser.close()
    finally:
        server.shutdown()
        server.server_close()


def _screens_and_print(browser, base: str, conditions: list[str]) -> None:  # type: ignore[no-untyped-def]
    print(f"{'condition page (390 x 844)':32} {'screens':>8} {'help at':>8} {'do-now ends':>12} {'A4 pages':>9}")
    phone = browser.new_page(viewport=PHONE, color_scheme="light")
    printer = browser.new_page(viewport=DESKTOP, color_scheme="dark")  # printing from dark mode
    for name in conditions:
        url = f"{base}conditions/{name}/"
        phone.goto(url)
        phone.wait_for_load_state("load")
        height = phone.evaluate("document.documentElement.scrollHeight")
        top = phone.evaluate("selector => { const h = document.querySelector(selector);"
                             " return h ? h.getBoundingClientRect().top + window.scrollY : null; }", HELP_HEADING)
        box = phone.evaluate("() => { const b = document.querySelector('.do-now');"
                             " return b ? b.getBoundingClientRect().bottom + window.scrollY : null; }")
        printer.goto(url)
        printer.wait_for_load_state("load")
        printed = pdf_pages(printer.pdf(format="A4"))
        help_at = f"{top / PHONE['height']:.1f}" if top is not None else "-"
        box_end = f"{box / PHONE['height']:.2f}" if box is not None else "-"
        print(f"{name:32} {height / PHONE['height']:8.1f} {help_at:>8} {box_end:>12} {printed:9d}")
    phone.close()
    printer.close()


def _weight(browser, base: str, site_dir: Path, conditions: list[str]) -> None:  # type: ignore[no-untyped-def]
    heaviest = max(conditions, key=lambda n: (site_dir / "conditions" / n / "index.html").stat().st_size)
    page = browser.new_page(viewport=PHONE)
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(f"{base}conditions/{heaviest}/")
    page.wait_for_load_state("networkidle")
    packed = sum(len(gzip.compress(r.body(), compresslevel=6)) for r in responses if r.status == 200)
    print(f"\nheaviest condition page, first visit: conditions/{heaviest}/ {packed / 1000:.1f} kB gzip, "
          f"{len(responses)} files")
    page.close()


def _axe(browser, base: str, pages: list[str]) -> None:  # type: ignore[no-untyped-def]
    axe = AXE_JS.read_text(encoding="utf-8")
    print(f"\naxe-core ({', '.join(AXE_TAGS)}), {len(pages)} pages: violations (pages with any)")
    for label, viewport in (("390", PHONE), ("1280", DESKTOP)):
        for scheme in ("light", "dark"):
            context = browser.new_context(viewport=viewport, color_scheme=scheme, service_workers="block")
            context.add_init_script(axe)
            page = context.new_page()
            total, failing, rules = 0, 0, {}
            for path in pages:
                page.goto(base + path)
                page.wait_for_load_state("load")
                found = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
                                      " resultTypes: ['violations']}).then(r => r.violations)", AXE_TAGS)
                total += len(found)
                failing += bool(found)
                for violation in found:
                    rules[violation["id"]] = rules.get(violation["id"], 0) + 1
            print(f"  {label:>4} {scheme:5}: {total} ({failing} pages)"
                  + (f"  {', '.join(f'{rule} on {n}' for rule, n in sorted(rules.items()))}" if rules else ""))
            context.close()


if __name__ == "__main__":
    main()
