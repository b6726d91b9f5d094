"""`report --changed`: the pages whose rendered Markdown differs from that of the last commit's content.

The last commit's content/ is taken from git (`git archive`) into a scratch folder and rendered by the
same generator, so a change in the generator alone shows no page; what differs is what the editor's
uncommitted edits (and new or deleted files) change on the site.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import pipeline
from .addresses import PREVIEW, page_url
from .render import RenderedSite


class CannotCompare(Exception):
    """There is no last commit to compare with, or its content cannot be rendered."""


@dataclass(frozen=True, order=True)
class PageChange:
    page: str  # e.g. 'conditions/calf-cramp.md'
    how: str  # 'changed', 'new' or 'removed'


@dataclass(frozen=True)
class Changes:
    pages: tuple[PageChange, ...]
    nav_changed: bool  # a title or the set of pages changed, so every page's menu differs too


def changed_pages(content_dir: Path, now: RenderedSite, *, today: dt.date, shown_as: str = "content") -> Changes:
    """Compare now (the rendered working content) with the rendered content of the last commit."""
    with tempfile.TemporaryDirectory(prefix="changed-") as scratch:
        committed = committed_content(content_dir, Path(scratch) / "content", shown_as=shown_as)
        if committed is None:
            before = RenderedSite(pages={}, nav=[])
        else:
            result = pipeline.run(committed, today=today, overdue_is_error=False, shown_as=f"{shown_as} (last commit)")
            if not result.ok or result.rendered is None:
                raise CannotCompare("the last commit's content has errors, so its pages cannot be rendered to compare")
            before = result.rendered
    return Changes(tuple(compare(before.pages, now.pages)), before.nav != now.nav and bool(before.pages))


def compare(before: dict[str, str], after: dict[str, str]) -> list[PageChange]:
    """Every page that is new, removed or different, sorted by path."""
    changes = [PageChange(page, "new" if page not in before else "changed")
               for page, text in after.items() if before.get(page) != text]
    changes += [PageChange(page, "removed") for page in before if page not in after]
    return sorted(changes)


def committed_content(content_dir: Path, into: Path, *, shown_as: str = "content") -> Path | None:
    """Write the last commit's version of content_dir into `into` and return it; None if it had no such folder."""
    top, prefix = _git(content_dir, "rev-parse", "--show-toplevel", "--show-prefix",
                       failed=f"{shown_as}/ is not in a git checkout, so there is no last commit to compare with"
                       ).split("\n")[:2]
    _git(content_dir, "rev-parse", "--verify", "--quiet", "HEAD^{commit}",
         failed="there is no commit yet to compare with; every page is new")
    try:  # from the top folder: git archive refuses to run in a folder that is not in the last commit
        archive = subprocess.run(["git", "-C", top, "archive", "--format=tar", f"HEAD:{prefix}"],
                                 capture_output=True, check=True).stdout
    except subprocess.CalledProcessError:
        return None  # the folder is not in the last commit
    into.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def format_changes(changes: Changes, base: str = PREVIEW) -> str:
    """One line per page: how it changed, its path and where to preview it."""
    if not changes.pages:
        return "No page differs from the last commit."
    count = "1 page differs" if len(changes.pages) == 1 else f"{len(changes.pages)} pages differ"
    lines = [f"{count} from the last commit (preview with `make serve`):"]
    width = max(len(change.page) for change in changes.pages)
    for change in changes.pages:
        where = "(no longer on the site)" if change.how == "removed" else page_url(change.page, base)
        lines.append(f"  {change.how:<7}  {change.page:<{width}}  {where}")
    if changes.nav_changed:
        lines.append("The menu changed too (a title, or which pages there are), so every page's menu differs.")
    return "\n".join(lines)


def _git(folder: Path, *args: str, failed: str) -> str:
    try:
        return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, check=True).stdout
    except FileNotFoundError:
        raise CannotCompare("git is not installed, so there is no last commit to compare with") from None
    except subprocess.CalledProcessError:
        raise CannotCompare(failed) from None
