"""`report --due DAYS`: the pages whose review falls due within DAYS, overdue ones first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .addresses import entry_page, page_url
from .link import Site
from .model import KINDS, Review
from .references import SINGULAR

# Every kind whose files carry a review date (conditions, causes, remedies, lookalikes).
REVIEWED_KINDS = tuple(kind for kind, model in KINDS.items() if "review" in model.model_fields)


@dataclass(frozen=True, order=True)
class DueReview:
    due: dt.date  # first, so that sorting puts the soonest first
    file: str  # as shown, e.g. 'content/conditions/calf-cramp.yaml'
    kind: str  # the folder, e.g. 'conditions'
    title: str
    page: str | None  # e.g. 'conditions/calf-cramp.md'


def due_reviews(site: Site, today: dt.date, within_days: int) -> list[DueReview]:
    """Every page of a reviewed kind due on or before today + within_days, soonest (most overdue) first."""
    last_day = today + dt.timedelta(days=within_days)
    return [item for item in _reviews(site) if item.due <= last_day]


def next_review(site: Site) -> DueReview | None:
    """The review that falls due first, whenever that is."""
    return min(_reviews(site), default=None)


def _reviews(site: Site) -> list[DueReview]:
    reviews = []
    for kind in REVIEWED_KINDS:
        for entry in getattr(site, kind):
            review: Review = entry.review
            reviews.append(DueReview(review.next_review_due, site.files[(kind, entry.id)], kind, entry.title,
                                     entry_page(kind, entry.id)))
    return sorted(reviews)


def format_due(due: list[DueReview], site: Site, today: dt.date, within_days: int) -> str:
    """The list as an editor reads it: when, how long until (or since), the page and its file."""
    if not due:
        first = next_review(site)
        after = f"; the next is {first.file}, due on {first.due.isoformat()}" if first else ""
        return f"No page is due for review within {within_days} days of {today.isoformat()}{after}."
    rows = [(_when(item.due, today), item.due.isoformat(), item) for item in due]
    width = max(len(when) for when, _, _ in rows)
    lines = [f"Reviews due within {within_days} days of {today.isoformat()}, soonest first:"]
    for when, date, item in rows:
        address = f"  {page_url(item.page)}" if item.page else ""
        lines.append(f"  {when:<{width}}  {date}  {item.file}  ({SINGULAR[item.kind]}: {item.title}){address}")
    overdue = sum(1 for item in due if item.due < today)
    count = "1 page" if len(due) == 1 else f"{len(due)} pages"
    lines.append(f"{count} due, {overdue} of them overdue. After a clinician has checked a page, set its "
                 "last_reviewed to that day and next_review_due to 3 years later.")
    return "\n".join(lines)


def _when(due: dt.date, today: dt.date) -> str:
    days = (due - today).days
    if days < 0:
        return f"overdue by {_days(-days)}"
    return "due today" if days == 0 else f"due in {_days(days)}"


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"
