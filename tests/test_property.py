"""Property tests (hypothesis): mutated and random content never crashes the generator or yields a page.

Three properties, each on trees made from tests/fixtures/minimal:
- a file mutated at the byte level, or replaced by random YAML, never makes the generator raise, every
  problem is reported on one line with a file, line and column, and a file that a plain YAML parser
  plus the content model reject never gets through (independent oracle), so no page is rendered;
- a random change to one field's value (any type, or removed, or an unknown field added) is either
  valid by the model or reported, and pages are rendered only when nothing is reported;
- any text at all as a title reaches the built HTML as exactly that text, inside one <h1>.
Bounded and repeatable for CI: derandomized, at most 100 examples each, no deadline.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import yaml
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from mkdocs.utils.yaml import yaml_load
from pydantic import ValidationError

from generator import pipeline
from generator.diagnostics import Severity
from generator.model import KINDS, SiteSettings

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = Path(__file__).parent / "fixtures" / "minimal"
FILES = sorted(str(p.relative_to(MINIMAL)) for p in MINIMAL.rglob("*.yaml"))
TODAY = dt.date(2026, 11, 21)
BOUNDED = settings(max_examples=100, deadline=None, derandomize=True, database=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@contextmanager
def minimal_tree() -> Iterator[Path]:
    """A fresh, writable copy of the minimal content tree (one per example)."""
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(MINIMAL, content)
        yield content


def check(content: Path) -> pipeline.Result:
    """Run every stage; it must return, never raise, and report each problem on one located line."""
    result = pipeline.run(content, today=TODAY)
    for problem in result.diagnostics:
        assert problem.file.startswith("content/") and problem.line >= 1 and problem.column >= 1
        assert problem.message and "\n" not in str(problem) and "Traceback" not in problem.message
    has_errors = any(d.severity is Severity.ERROR for d in result.diagnostics)
    assert (result.rendered is None) == has_errors, "pages were rendered from content with errors"
    return result


def oracle_rejects(path: Path, kind: str) -> bool:
    """Whether a plain YAML parser plus the content model alone already refuse this file."""
    try:
        data = yaml.safe_load(path.read_bytes())
    except (yaml.YAMLError, UnicodeDecodeError, RecursionError):
        return True
    model = SiteSettings if kind == "site" else KINDS[kind]
    try:
        entry = model.model_validate(data)
    except ValidationError:
        return True
    return kind != "site" and getattr(entry, "id", None) != path.stem


# --- 1. byte-level mutations and random YAML ------------------------------------------

YAML_BITS = [":", ": ", "- ", "[", "]", "{", "}", ",", "#", "&a ", "*a", "!!python/object/apply:os.system ", "!x ",
             "|", ">", "'", '"', "%", "@", "`", "\t", "\n", "\n  ", "---\n", "...", "? ", "<<: ", "\\", "\x00",
             "\ufeff", "\u202e", "\x1b", "no", "on", "1e3", "10:30", "2026-02-30", "~", "null", "é", "\xff"]


@st.composite
def mutated_bytes(draw: st.DrawFn, original: bytes) -> bytes:
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "truncate"]))
        bit = draw(st.one_of(st.sampled_from(YAML_BITS).map(lambda s: s.encode("utf-8", "surrogatepass")),
                             st.binary(min_size=1, max_size=4)))
        if action == "insert":
            data[at:at] = bit
        elif action == "delete":
            del data[at:at + draw(st.integers(1, 20))]
        elif action == "replace":
            data[at:at + len(bit)] = bit
        else:
            del data[at:]
    return bytes(data)


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.dates() | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)


@BOUNDED
@given(data=st.data(), name=st.sampled_from(FILES))
def test_mutated_file_is_refused_or_valid_never_a_crash(data: st.DataObject, name: str) -> None:
    with minimal_tree() as content:
        path = content / name
        if data.draw(st.booleans(), label="random YAML instead of a mutation"):
            path.write_text(yaml.safe_dump(data.draw(yaml_values, label="document")), encoding="utf-8")
        else:
            path.write_bytes(data.draw(mutated_bytes(path.read_bytes()), label="mutated file"))
        kind = "site" if name == "site.yaml" else name.split("/")[0]
        rejected = oracle_rejects(path, kind)
        result = check(content)
        event(f"{'refused' if not result.ok else 'valid'}, oracle {'refuses' if rejected else 'accepts'}")
        if rejected:
            assert not result.ok and any(d.file == f"content/{name}" for d in result.diagnostics)


# --- 2. one field changed to any value -------------------------------------------------------


def field_paths(node: Any, loc: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if loc:
        yield loc
    if isinstance(node, dict):
        for key, value in node.items():
            yield from field_paths(value, (*loc, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from field_paths(value, (*loc, i))


@BOUNDED
@given(data=st.data(), name=st.sampled_from(FILES))
def test_any_value_in_any_field_is_reported_or_valid(data: st.DataObject, name: str) -> None:
    with minimal_tree() as content:
        path = content / name
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        loc = data.draw(st.sampled_from(list(field_paths(document))), label="field")
        parent = document
        for part in loc[:-1]:
            parent = parent[part]
        change = data.draw(st.sampled_from(["set", "remove", "add unknown field"]), label="change")
        if change == "set":
            parent[loc[-1]] = data.draw(yaml_values, label="value")
        elif change == "remove":
            del parent[loc[-1]]
        elif isinstance(parent, dict):
            parent[data.draw(st.text(min_size=1, max_size=12).filter(lambda k: k not in parent), label="key")] = "x"
        path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
        kind = "site" if name == "site.yaml" else name.split("/")[0]
        rejected = oracle_rejects(path, kind)
        result = check(content)
        event(f"{'refused' if not result.ok else 'valid'}, oracle {'refuses' if rejected else 'accepts'}")
        if rejected:
            assert not result.ok


# --- 3. any text as a title is shown as exactly that text ------------------------------------


def site_markdown() -> markdown.Markdown:
    """Python-Markdown with the extensions mkdocs.yml gives MkDocs."""
    config = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    names, options = [], {}
    for item in config["markdown_extensions"]:
        name, settings_ = next(iter(item.items())) if isinstance(item, dict) else (item, {})
        names.append(name)
        options[name] = settings_ or {}
    return markdown.Markdown(extensions=names, extension_configs=options)


class _Headings(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.h1: list[list[str]] = []
        self.inside: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "h1":
            self.depth += 1
            self.h1.append([])
        elif self.depth:
            self.inside.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.h1[-1].append(data)


def collapsed(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# Pieces of Markdown, HTML and Jinja2, so that random titles often hold something a renderer could act on.
MARKUP = [*"#*_`[]{}()<>&;!|-+.:=~^\\/'\" \t1", "&amp;", "<b>", "{{", "}}", "{%", "%}", "*[", "]:", "\u00a0"]
titles = st.lists(st.one_of(st.characters(blacklist_categories=("Cs",)), st.sampled_from(MARKUP)),
                  min_size=1, max_size=60).map("".join).filter(lambda t: collapsed(t) != "" and "\n" not in t.strip())


@BOUNDED
@given(title=titles)
@example("C#")  # closing hashes of a Markdown heading would be dropped
@example("Stretch #2 #")
@example("1. First")
@example('!!! danger "x"')
@example("{: .x onclick=y }")
@example("<script>alert(1)</script> &amp; &#60;")
@example("{{ 7*7 }} {% raw %} *[cramp]: x")
def test_any_title_is_shown_as_written_in_one_heading(title: str) -> None:
    with minimal_tree() as content:
        path = content / "conditions" / "calf-cramp.yaml"
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        document["title"] = title
        path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
        result = check(content)
        event("refused" if not result.ok else "shown")
        if not result.ok:  # refused, e.g. an invisible control character: nothing to show
            return
        assert result.rendered is not None
        page = result.rendered.pages["conditions/calf-cramp.md"].split("\n---\n", 1)[1]
        parser = _Headings()
        parser.feed(site_markdown().convert(page))
        assert len(parser.h1) == 1 and set(parser.inside) <= {"abbr"}, (parser.h1, parser.inside)
        assert collapsed("".join(parser.h1[0])) == collapsed(title)
