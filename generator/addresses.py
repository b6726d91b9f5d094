"""Where a page shows in the live preview (`make serve`), for the commands that point an editor to it."""

from __future__ import annotations

from .render import PAGE_FOLDERS

PREVIEW = "http://127.0.0.1:8000/"  # serve's default address


def page_url(page: str, base: str = PREVIEW) -> str:
    """'conditions/calf-cramp.md' -> base + 'conditions/calf-cramp/', as MkDocs serves it (directory URLs)."""
    folder = page.removesuffix("index.md") if page.rpartition("/")[2] == "index.md" else page.removesuffix(".md") + "/"
    return base + folder


def entry_page(kind: str, entry_id: str) -> str | None:
    """The page that shows a content file (kind is its folder, e.g. 'terms'); None for a source, which has none.

    A warning sign has no page of its own: every sign is on the get-help page.
    """
    if kind in PAGE_FOLDERS:
        return f"{PAGE_FOLDERS[kind]}/{entry_id}.md"
    if kind == "signs":
        return "get-help.md"
    return None
