"""The editors' report: per page, how readable it is, how long, how well sourced, when reviewed, who links to it."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from dataclasses import dataclass

from .link import Site
from .model import Review
from .readability import SMOG_LIMIT, main_text, smog, word_count
from .render import PAGE_FOLDERS, RenderedSite
from .validate import REVIEW_WARNING_DAYS

_LINK_TARGET = re.compile(r"\]\(([^)\s]+\.md)(?:#[^)]*)?\)")
# The section ends at the next heading or the review footer (a condition page's list sits in <details> and a <div>).
_SOURCES_SECTION = re.compile(r"^#{2,6} (?:All )?[Ss]ources\n(.*?)(?=^#{1,6} |^<div class=\"page-|\Z)", re.S | re.M)
_LIST_ITEM = re.compile(r"^(?:\d+\.|-) ", re.M)


@dataclass(frozen=True)
class PageReport:
    path: str  # e.g. 'conditions/night-leg-cramps.md'
    smog: float
    words: int
    sources: int
    review: Review | None
    linked_from: int  # how many other content pages link here (lists and menus not counted)
    is_entry: bool  # a condition, cause, remedy or glossary page (not a list or a fixed page)


def page_reports(site: Site, rendered: RenderedSite) -> list[PageReport]:
    """One report per rendered page, sorted by path."""
    reviews = _reviews(site)
    entry_pages = {path for path in rendered.pages if _is_entry(path)}
    inbound: dict[str, set[str]] = {path: set() for path in rendered.pages}
    for path, markdown in rendered.pages.items():
        if path not in entry_pages:
            continue
        for target in _links(path, markdown):
            if target in inbound and target != path:
                inbound[target].add(path)
    reports = []
    for path, markdown in sorted(rendered.pages.items()):
        text = main_text(markdown)
        reports.append(PageReport(
            path=path, smog=round(smog(text), 1), words=word_count(text), sources=_source_count(markdown),
            review=reviews.get(path), linked_from=len(inbound[path]), is_entry=path in entry_pages,
        ))
    return reports


def format_table(reports: list[PageReport], today: dt.date) -> str:
    """The report as a plain-text table, with notes on what needs attention."""
    width = max((len(r.path) for r in reports), default=4)
    lines = [f"{'Page':<{width}}  {'SMOG':>5}  {'Words':>5}  {'Sources':>7}  {'Last reviewed':<13}  Next review"]
    for r in reports:
        last = r.review.last_reviewed.isoformat() if r.review else "-"
        due = _due(r.review, today) if r.review else "-"
        flag = "*" if r.smog > SMOG_LIMIT else " "
        lines.append(f"{r.path:<{width}}  {r.smog:>4.1f}{flag}  {r.words:>5}  {r.sources:>7}  {last:<13}  {due}")
    hard = [r for r in reports if r.smog > SMOG_LIMIT]
    orphans = [r.path for r in reports if r.is_entry and r.linked_from == 0]
    lines.append("")
    lines.append(f"{len(reports)} pages, {sum(r.words for r in reports)} words.")
    if hard:
        lines.append(f"* {_pages(len(hard))} score above SMOG {SMOG_LIMIT:g} (the NHS aims for {SMOG_LIMIT:g} or lower): "
                     "use shorter sentences and fewer long words.")
    else:
        lines.append(f"Every page scores SMOG {SMOG_LIMIT:g} or lower.")
    if orphans:
        lines.append(f"{_pages(len(orphans))} that no other page links to (only lists and menus do):")
        for folder in sorted({path.rpartition("/")[0] for path in orphans}):
            names = [p.rpartition("/")[2].removesuffix(".md") for p in orphans if p.startswith(folder + "/")]
            lines.append(f"  {folder}/ ({len(names)}): {', '.join(names)}")
    return "\n".join(lines)


def _due(review: Review, today: dt.date) -> str:
    days = (review.next_review_due - today).days
    note = " (overdue)" if days < 0 else f" (due in {days} days)" if days <= REVIEW_WARNING_DAYS else ""
    return review.next_review_due.isoformat() + note


def _is_entry(path: str) -> bool:
    folder, _, name = path.rpartition("/")
    return folder in PAGE_FOLDERS.values() and name != "index.md"


def _reviews(site: Site) -> dict[str, Review]:
    entries = {"conditions": site.conditions, "causes": site.causes, "remedies": site.remedies,
               "lookalikes": site.lookalikes}
    return {f"{PAGE_FOLDERS[kind]}/{entry.id}.md": entry.review for kind, items in entries.items() for entry in items}


def _links(path: str, markdown: str) -> set[str]:
    """The pages a page links to, as paths like the keys of RenderedSite.pages."""
    here = posixpath.dirname(path)
    return {posixpath.normpath(posixpath.join(here, target)) for target in _LINK_TARGET.findall(markdown)
            if "://" not in target}


def _source_count(markdown: str) -> int:
    section = _SOURCES_SECTION.search(markdown)
    return len(_LIST_ITEM.findall(section.group(1))) if section else 0


def _pages(n: int) -> str:
    return "1 page" if n == 1 else f"{n} pages"
