"""Content text cannot inject HTML, script or page structure: checked in the built HTML, with an HTML parser.

Each payload is written into every text field of the minimal tree (titles, summaries, list items,
notes, glossary definitions, source titles, the site settings), the site is built with the real
`python -m generator build`, and every page is compared with a build of the same tree holding plain
words: the pages must have exactly the same elements (tags, attribute names and classes), no
script, event handler or javascript:/data: URL may appear, and the payload must be shown as text.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from test_bad_input import make_project, run_build

MINIMAL = Path(__file__).parent / "fixtures" / "minimal"
PLAIN = "Plain words here"
# Fields that hold ids, choices, dates, numbers or addresses: everything else is text shown on a page.
NOT_TEXT = {"id", "cause", "remedy", "remedies", "condition", "conditions", "muscles", "sources", "level", "kind", "strength",
            "areas",
            "url", "repo_url", "year", "last_reviewed", "next_review_due"}
PARAGRAPH_FIELDS = {"summary", "how_it_causes", "disclaimer", "review_status", "typical_cramp", "differs", "what_to_do"}

# Markup anywhere in a line.
INLINE = {
    "html": '<script>alert("xss")</script> <img src=x onerror=alert(2)> <svg onload=alert(3)> '
            '<iframe src="https://evil.example/"></iframe> <b onmouseover=alert(4)>hover</b>',
    "attribute-breakout": "\"'></title></textarea></script><script>alert(5)</script><a x=\"",
    "urls": "[click](javascript:alert(6)) ![x](data:image/svg+xml,<svg/onload=alert(7)>) <javascript:alert(8)> "
            '<https://evil.example/> <a href="javascript:alert(9)">a</a> [d](data:text/html,hi)',
    "entities": "&lt;script&gt;alert(10)&lt;/script&gt; &#60;b&#62; &amp;amp; &copy; &#x6a;avascript:",
    "jinja": "{{ 7*191 }} {{ config.site_name }} {{ ''.__class__ }} {% for i in range(3) %}looped{% endfor %} "
             "{% include 'main.html' %} {# hidden #} {%raw%}",
    "markdown": "**bold** __bold__ *em* _em_ `code` ~~del~~ [link](https://evil.example/) [^1] "
                "{: onclick=\"alert(11)\" .injected #injected } <!-- comment --> \\ ends with a backslash \\",
}
# Markup only at the start of a line: what a one-line field must never turn into.
LINE_START = {
    "heading": "# Injected heading",
    "list": "- injected item",
    "ordered-list": "1. injected item",
    "admonition": '!!! danger "Injected admonition"',
    "attribute-list": '{: .injected onclick="alert(12)" }',
    "blockquote": "> injected quote",
    "table": "| a | b |",
    "code-fence": "```python",
    "rule": "---",
    "abbreviation": "*[Plain]: injected abbreviation",
    "link-reference": "[Plain]: https://evil.example/",
    "footnote": "[^1]: injected footnote",
    "open-comment": "<!-- hides the rest of the page",
    "html-block": '<div markdown="1" onclick="alert(13)">',
}
PAYLOADS = {**INLINE, **LINE_START}


def with_text(node: Any, text: str, key: str = "") -> Any:
    """node with every text value replaced by text (two paragraphs of it in paragraph fields)."""
    if key in NOT_TEXT:
        return node
    if isinstance(node, dict):
        return {k: with_text(v, text, k) for k, v in node.items()}
    if isinstance(node, list):  # items after the first numbered: the checker refuses a list holding one item twice
        return [with_text(item, text if i == 0 else f"{text} {i + 1}", key) for i, item in enumerate(node)]
    if isinstance(node, str):
        return f"{text}\n\n{text}" if key in PARAGRAPH_FIELDS else text
    return node


def content_with(text: str, workdir: Path) -> Path:
    """The minimal tree with text in every text field."""
    content = workdir / "content"
    shutil.copytree(MINIMAL, content)
    for same_words_as_long_cramp in ("both-legs-weak", "wakes-you"):  # signs in the same words are refused
        (content / "signs" / f"{same_words_as_long_cramp}.yaml").unlink()
    for path in content.rglob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data = with_text(data, text)
        if path.parent.name == "terms":  # one glossary word belongs to one term only
            data["name"] = text if data["id"] == "cramp" else f"{text} {data['id']}"
            data.pop("also_matches", None)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return content


@dataclass
class Page:
    """What a page is made of, as an HTML parser sees it."""

    elements: list[tuple[str, dict[str, str | None]]] = field(default_factory=list)
    scripts: list[tuple[dict[str, str | None], str]] = field(default_factory=list)
    texts: dict[str, list[str]] = field(default_factory=dict)  # text of the first h1, title, nav links...

    def skeleton(self) -> list[tuple[str, tuple[str, ...], str]]:
        """Tags, attribute names and classes in document order; <abbr> (glossary tooltips) left out."""
        return [(tag, tuple(sorted(attrs)), attrs.get("class") or "") for tag, attrs in self.elements if tag != "abbr"]


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.open: list[str] = []
        self.script: tuple[dict[str, str | None], list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.page.elements.append((tag, dict(attrs)))
        if tag == "script":
            self.script = (dict(attrs), [])
        elif tag not in ("br", "img", "input", "meta", "link", "hr", "source", "wbr"):
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self.script is not None:
            self.page.scripts.append((self.script[0], "".join(self.script[1])))
            self.script = None
        elif tag in self.open:
            while self.open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self.script is not None:
            self.script[1].append(data)
        for tag in ("h1", "title", "li", "p", "a", "label", "span"):
            if tag in self.open:
                self.page.texts.setdefault(tag, []).append(data)
        self.page.texts.setdefault("all", []).append(data)


def parse(html: str) -> Page:
    parser = _PageParser()
    parser.feed(html)
    parser.close()
    return parser.page


def build_pages(text: str, workdir: Path) -> dict[str, Page]:
    """Build the minimal tree with text in every text field; every page, parsed."""
    content_with(text, workdir)
    project = make_project(workdir)
    result = run_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    site = project / "site"
    pages = {str(p.relative_to(site)): parse(p.read_text(encoding="utf-8")) for p in sorted(site.rglob("*.html"))}
    pages["search/search_index.json"] = _search_index(site)
    return pages


def _search_index(site: Path) -> Page:
    """The search index's titles and texts, which the theme's search shows as HTML."""
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    return parse("\n".join(f"<div>{doc['title']}</div><div>{doc['text']}</div>" for doc in index["docs"]))


def flat(strings: list[str]) -> str:
    return re.sub(r"\s+", " ", "".join(strings)).strip()


@pytest.fixture(scope="module")
def plain_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Page]:
    return build_pages(PLAIN, tmp_path_factory.mktemp("plain"))


UNSAFE_URL = re.compile(r"^\s*(javascript|data|vbscript):", re.IGNORECASE)
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcset", "background"}


def event_handlers(page: Page) -> list[str]:
    return [f"<{tag} {name}>" for tag, attrs in page.elements for name in attrs if name.startswith("on")]


def unsafe_urls(page: Page) -> list[str]:
    """javascript:, data: and vbscript: addresses (the theme has one of its own: the search share button)."""
    return [f"<{tag} {name}={value!r}>" for tag, attrs in page.elements for name, value in attrs.items()
            if name in URL_ATTRIBUTES and UNSAFE_URL.match(value or "")]


@pytest.mark.parametrize("name", PAYLOADS)
def test_payload_in_every_text_field_is_shown_as_text(name: str, tmp_path: Path,
                                                      plain_pages: dict[str, Page]) -> None:
    payload = PAYLOADS[name]
    pages = build_pages(payload, tmp_path)
    assert pages.keys() == plain_pages.keys()
    for path, page in pages.items():
        assert page.skeleton() == plain_pages[path].skeleton(), f"{path}: the payload changed the page's elements"
        assert event_handlers(page) == event_handlers(plain_pages[path]) == [], f"{path}: event handler"
        assert unsafe_urls(page) == unsafe_urls(plain_pages[path]), f"{path}: javascript: or data: URL"
        for attrs, code in page.scripts:
            if attrs.get("type") in ("application/ld+json", "application/json"):
                json.loads(code)  # still whole JSON: the payload did not close the script
            else:
                assert "alert(" not in code and "looped" not in code, f"{path}: payload inside a script"
        text = flat(page.texts.get("all", []))
        assert "1337" not in text and "loopedloopedlooped" not in text, f"{path}: Jinja2 evaluated content"

    condition = pages["conditions/calf-cramp/index.html"]
    shown = flat(payload.split("\n"))
    assert flat(condition.texts["h1"]) == shown, "the page heading does not show the title as written"
    assert shown in flat(condition.texts["title"]), "the browser title does not show the title as written"
    assert shown in flat(condition.texts["li"]), "list items do not show the text as written"
    assert shown in flat(condition.texts["p"]), "paragraphs do not show the text as written"
    [data] = [json.loads(code) for attrs, code in condition.scripts if attrs.get("type") == "application/ld+json"]
    assert data["name"] == payload and data["about"]["signOrSymptom"][0]["name"] == payload
    description = next(a["content"] for t, a in condition.elements if t == "meta" and a.get("name") == "description")
    summary = flat([payload, " ", payload])  # the summary holds the payload twice, as two paragraphs
    assert description and summary.startswith(description.rstrip("…")), "the description is not the summary's start"


def test_glossary_definition_is_a_tooltip_not_markup(tmp_path: Path) -> None:
    content = content_with(PLAIN, tmp_path)
    definition = INLINE["attribute-breakout"] + " " + INLINE["html"]
    term = content / "terms" / "cramp.yaml"
    term.write_text(f"id: cramp\nkind: term\nname: cramp\ndefinition: {json.dumps(definition)}\n", encoding="utf-8")
    condition = content / "conditions" / "calf-cramp.yaml"
    condition.write_text(condition.read_text(encoding="utf-8").replace(PLAIN, "A cramp in the calf"), encoding="utf-8")
    result = run_build(make_project(tmp_path))
    assert result.returncode == 0, result.stderr
    page = parse((tmp_path / "site" / "conditions" / "calf-cramp" / "index.html").read_text(encoding="utf-8"))
    assert definition in [attrs.get("title") for tag, attrs in page.elements if tag == "abbr"]
    assert not [tag for tag, _ in page.elements if tag in ("img", "iframe")] and event_handlers(page) == []


HOSTILE_ADDRESSES = {  # address as written -> the link it must become
    "https://example.com/a)[click](javascript:alert(1)": "https://example.com/a%29%5Bclick%5D%28javascript:alert%281%29",
    "https://example.com/q?\"><script>alert(2)</script>": "https://example.com/q?%22%3E%3Cscript%3Ealert%282%29%3C/script%3E",
    "https://example.com/x'onmouseover='alert(3)": "https://example.com/x%27onmouseover=%27alert%283%29",
    "https://example.com/wiki/Cramp_(medicine)?a=1&b=2#top": "https://example.com/wiki/Cramp_%28medicine%29?a=1&b=2#top",
}


def test_source_address_is_one_safe_link(tmp_path: Path) -> None:
    content = content_with(PLAIN, tmp_path)
    ids = []
    for n, url in enumerate(HOSTILE_ADDRESSES):
        ids.append(f"source-{n}")
        (content / "sources" / f"source-{n}.yaml").write_text(
            f"id: source-{n}\ntitle: Source {n}\nkind: health-service\npublisher: NHS\nurl: {json.dumps(url)}\n",
            encoding="utf-8")
    condition = content / "conditions" / "calf-cramp.yaml"
    text = condition.read_text(encoding="utf-8")
    condition.write_text(text.replace("sources:\n- test-source\nreview", f"sources: {json.dumps(ids)}\nreview"), encoding="utf-8")
    result = run_build(make_project(tmp_path))
    assert result.returncode == 0, result.stderr
    page = parse((tmp_path / "site" / "conditions" / "calf-cramp" / "index.html").read_text(encoding="utf-8"))
    links = [attrs for tag, attrs in page.elements if tag == "a" and "example.com" in (attrs.get("href") or "")]
    assert sorted(a.get("href") for a in links) == sorted(HOSTILE_ADDRESSES.values())
    assert all(set(a) <= {"href", "title", "rel", "class"} for a in links), links
    assert not [u for u in unsafe_urls(page) if "alert" in u], unsafe_urls(page)
    assert not [s for a, s in page.scripts if "alert(" in s]
