"""Take screenshots of a built site at phone and desktop widths: `python tests/browser/screenshots.py SITE_DIR OUT_DIR`.

Shoots the home page, the first condition page and the first remedy page with
drawings (or the pages named after the two folders), in the light and dark
schemes, as PNG files: the whole page, and the first screen a reader sees
before scrolling; and each page as printed from the dark scheme.
"""

from __future__ import annotations

import argparse
import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from browser_support import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE
from playwright.sync_api import sync_playwright

SIZES = {"phone": PHONE, "desktop": DESKTOP}


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def default_pages(site_dir: Path) -> list[str]:
    conditions = sorted(p.parent.name for p in (site_dir / "conditions").glob("*/index.html"))
    drawn = sorted(p.parent.name for p in (site_dir / "remedies").glob("*/index.html")
                   if 'class="drawing' in p.read_text(encoding="utf-8"))
    return ["", *(f"conditions/{name}/" for name in conditions[:1]), *(f"remedies/{name}/" for name in drawn[:1])]


def shoot(site_dir: Path, out_dir: Path, pages: list[str]) -> list[Path]:
    """Serve site_dir on 127.0.0.1 and save one PNG per page, size and colour scheme."""
    out_dir.mkdir(parents=True, exist_ok=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    written = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for size, viewport in SIZES.items():
                for scheme in ("light", "dark"):
                    page = browser.new_page(viewport=viewport, color_scheme=scheme)
                    for path in pages:
                        page.goto(base + path)
                        page.wait_for_load_state("networkidle")
                        name = path.strip("/").replace("/", "-") or "home"
                        target = out_dir / f"{name}-{size}-{scheme}.png"
                        page.screenshot(path=target, full_page=True)
                        first_screen = out_dir / f"{name}-{size}-{scheme}-first-screen.png"
                        page.screenshot(path=first_screen)  # what a reader sees before scrolling
                        written += [target, first_screen]
                        if size == "desktop" and scheme == "dark":  # printing from dark mode must give a light page
                            page.emulate_media(media="print")
                            printed = out_dir / f"{name}-print.png"
                            page.screenshot(path=printed, full_page=True)
                            page.emulate_media(media="screen")
                            written.append(printed)
                    page.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site_dir", type=Path)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("pages", nargs="*", help="paths such as conditions/night-leg-cramps/ (default: home and one condition)")
    args = parser.parse_args()
    for path in shoot(args.site_dir, args.out_dir, args.pages or default_pages(args.site_dir)):
        print(path)


if __name__ == "__main__":
    main()
