"""Integration: the real content, built by the real engine in strict mode, cross-linked both ways.

`make test` runs this file a second time with ProperDocs instead of MkDocs (.venv-properdocs, TEST_ENGINE=properdocs).
"""

from __future__ import annotations

import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from posixpath import normpath
from urllib.parse import urlsplit

import pytest

from generator import mkdocs_plugin, pipeline
from project_layout import clean_env, make_project

ROOT = Path(__file__).resolve().parent.parent


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.in_article = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.in_article += 1
        if tag == "a" and self.in_article:
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.in_article -= 1


def run_build(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project, env=clean_env(),
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("real") / "project", ROOT / "content")
    result = run_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return project / "site"


def links_from(site: Path, page_url: str) -> set[str]:
    """Site-relative URLs of the pages the article of page_url links to."""
    parser = _Links()
    parser.feed((site / page_url / "index.html").read_text(encoding="utf-8"))
    out = set()
    for href in parser.hrefs:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path:
            continue
        out.add(normpath(f"{page_url}/{parts.path}").strip("/") + "/")
    return out


def test_the_engine_is_the_one_asked_for() -> None:
    assert mkdocs_plugin.ENGINE_MODULE == os.environ.get("TEST_ENGINE", "mkdocs"), mkdocs_plugin.ENGINE


def test_every_entry_has_a_page(built: Path) -> None:
    result = pipeline.run(ROOT / "content", render_pages=False)
    site = result.site
    assert site is not None, "\n".join(map(str, result.diagnostics))
    assert len(site.conditions) >= 4
    for folder, entries in (("conditions", site.conditions), ("causes", site.causes), ("remedies", site.remedies),
                            ("glossary", site.terms)):
        for entry in entries:
            assert (built / folder / entry.id / "index.html").is_file(), f"{folder}/{entry.id} has no page"
    for page in ("index.html", "get-help/index.html", "about/index.html", "topics/index.html", "404.html"):
        assert (built / page).is_file()


def test_cross_links_resolve_in_both_directions(built: Path) -> None:
    site = pipeline.run(ROOT / "content", render_pages=False).site
    assert site is not None
    for condition in site.conditions:
        page = f"conditions/{condition.id}"
        out = links_from(built, page)
        for target in out:
            assert (built / target / "index.html").is_file() or (built / target).is_file(), f"{page} -> {target}"
        for use in condition.causes:
            assert f"causes/{use.cause}/" in out
            assert f"{page}/" in links_from(built, f"causes/{use.cause}"), f"causes/{use.cause} does not link back"
        for rel in condition.related:
            assert f"conditions/{rel.condition}/" in out
    for cause in site.causes:
        for remedy_id in cause.remedies:
            assert f"remedies/{remedy_id}/" in links_from(built, f"causes/{cause.id}")
            assert f"causes/{cause.id}/" in links_from(built, f"remedies/{remedy_id}")


def test_a_deleted_cause_fails_the_build_with_one_located_error(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", ROOT / "tests" / "fixtures" / "minimal")
    (project / "content" / "causes" / "tired-muscles.yaml").unlink()
    result = run_build(project)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "content/conditions/calf-cramp.yaml:23:12: causes[1].cause: unknown cause 'tired-muscles'; "
        "it must be the id of a file in content/causes/")
    assert "Traceback" not in result.stderr and not (project / "site").exists()
