"""The benchmark's synthetic content (bench/synthetic.py): valid, deterministic, and it builds.

No timings here: the figures are in `make bench`. These tests check that what
the benchmark measures is a real site: content the generator accepts, built by
the real `python -m generator build`, with the long lists out of the
navigation and out of the search index.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator import pipeline
from project_layout import clean_env, make_project
from generator.render import NAV_LIST_LIMIT

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from synthetic import make_content  # noqa: E402

SMALL = 20  # conditions: enough for every kind of link, small enough for a quick build


@pytest.fixture(scope="module")
def small_content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    content = tmp_path_factory.mktemp("synthetic") / "content"
    make_content(content, SMALL)
    return content


def test_synthetic_content_is_valid_with_a_third_as_many_causes_remedies_and_terms(small_content: Path) -> None:
    result = pipeline.run(small_content, today=dt.date.today())
    assert result.ok, "\n".join(map(str, result.diagnostics))
    assert not result.diagnostics, "\n".join(map(str, result.diagnostics))  # not even a review reminder
    site = result.site
    assert site is not None
    assert len(site.conditions) == SMALL
    assert len(site.causes) == len(site.remedies) == len(site.terms) == round(SMALL / 3)


def test_synthetic_content_uses_the_real_site_settings_and_sources(small_content: Path) -> None:
    assert (small_content / "site.yaml").read_bytes() == (ROOT / "content" / "site.yaml").read_bytes()
    real = sorted(p.name for p in (ROOT / "content" / "sources").glob("*.yaml"))
    assert sorted(p.name for p in (small_content / "sources").glob("*.yaml")) == real


def test_synthetic_pages_link_like_real_ones(small_content: Path) -> None:
    result = pipeline.run(small_content, today=dt.date.today())
    assert result.rendered is not None
    condition_pages = [text for path, text in result.rendered.pages.items()
                       if path.startswith("conditions/") and not path.endswith("index.md")]
    assert len(condition_pages) == SMALL
    for page in condition_pages:
        assert page.count("](../causes/") >= 2, "every condition links to at least two causes"
        assert page.count("](../glossary/") >= 1, "every condition names a muscle"
        assert "\n*[" in page, "glossary words in the text get tooltips"
        assert 1_500 < len(page) < 20_000, "a page of realistic length"


def test_the_same_seed_writes_the_same_files(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    today = dt.date(2026, 6, 1)
    make_content(first, 7, seed=3, today=today)
    make_content(second, 7, seed=3, today=today)
    files = sorted(p.relative_to(first) for p in first.rglob("*.yaml"))
    assert files == sorted(p.relative_to(second) for p in second.rglob("*.yaml"))
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)


def test_long_lists_stay_out_of_the_navigation(tmp_path: Path) -> None:
    many = NAV_LIST_LIMIT * 3
    make_content(tmp_path / "content", many)
    result = pipeline.run(tmp_path / "content", today=dt.date.today())
    assert result.rendered is not None
    listed = json.dumps(result.rendered.nav)
    assert "conditions/index.md" in listed
    assert not [c for c in result.site.conditions if f"conditions/{c.id}.md" in listed]  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def built_site(small_content: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("project"), small_content)
    result = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project, env=clean_env(),
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def test_synthetic_site_builds_every_page(built_site: Path, small_content: Path) -> None:
    for kind, folder in (("conditions", "conditions"), ("causes", "causes"), ("remedies", "remedies"),
                         ("terms", "glossary")):
        for entry in (small_content / kind).glob("*.yaml"):
            assert (built_site / folder / entry.stem / "index.html").is_file(), f"{folder}/{entry.stem}/ was not built"


def test_search_index_leaves_out_list_pages_and_list_sections(built_site: Path, small_content: Path) -> None:
    docs = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    locations = {doc["location"] for doc in docs}
    assert "about/" in locations
    for listing in ("", "get-help/", "topics/", "conditions/", "causes/", "remedies/", "glossary/"):
        assert listing not in locations, f"{listing or 'the home page'} only lists other pages; it should not be searched"
    assert not [loc for loc in locations if loc.endswith(("#sources", "#related-conditions", "#what-can-help"))]
    for entry in (small_content / "conditions").glob("*.yaml"):
        assert f"conditions/{entry.stem}/" in locations, "every condition page is searchable"
    # Lines every page of a kind repeats are not worth a download in the index either.
    text = " ".join(doc["text"] for doc in docs)
    assert "When to get help</a>" not in text and "All words in the glossary" not in text
    page = (built_site / "conditions" / next((small_content / "conditions").glob("*.yaml")).stem / "index.html")
    html = page.read_text(encoding="utf-8")
    assert "<h2 data-search-exclude" not in html, "the sections' marker is for the index, not the page"
    assert 'href="#when-to-get-help"' in html, "the jump links stay on the page"
