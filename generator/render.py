"""Stage 4, render: turn the linked site into Markdown pages with front matter.

The output is plain data (page path -> Markdown text, and the navigation as
nested lists), so any Markdown site engine can build it. From the top: the Jinja
environment, `render`, the navigation, `page_jobs` (every page's path and the call
that writes it), one function per page kind, then what they share (`Pages`: the
front matter, links, care cards and drawings).
"""

from __future__ import annotations

import functools
import json
import posixpath
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote, urlencode

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from . import structured_data
from .link import Site
from .model import (BodyArea, Cause, CareLevel, Condition, Lookalike, Picture, Remedy, Review, Source, Step, Term,
                    WarningSign)
from .glossary import TermMatcher
from .pictures import BODY_MAP
from .text import first_sentence, html_text, inline, link_url, paragraphs, theme_text

TEMPLATES = Path(__file__).parent / "templates"
LISTED_PAGES_PER_SIGN = 8  # on the get-help page; a sign shown on more names its body areas instead
NAV_LIST_LIMIT = 30  # longer lists stay on their index page, out of every page's navigation

PAGE_FOLDERS = {"conditions": "conditions", "causes": "causes", "remedies": "remedies", "terms": "glossary",
                "lookalikes": "lookalikes"}

NavItem = dict[str, "str | list[NavItem]"]

# libyaml's emitter where it is installed: the same YAML as the pure-Python one, about ten times faster.
_FrontMatterDumper: type = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@dataclass(frozen=True)
class RenderedSite:
    pages: dict[str, str]  # path such as 'conditions/night-leg-cramps.md' -> Markdown
    nav: list[Any]  # MkDocs-style navigation: [{'Title': 'path.md' or [...]}, ...]


WHERE_PAGE = "where-does-it-hurt.md"

CARE_LEVELS = (
    # level, css modifier, hidden prefix for screen readers, settings field for the heading
    (CareLevel.EMERGENCY, "emergency", "Immediate action required:", "emergency_action"),
    (CareLevel.URGENT, "urgent", "Urgent advice:", "urgent_action"),
    (CareLevel.SEE_A_DOCTOR, "non-urgent", "Non-urgent advice:", "doctor_action"),
    (CareLevel.SELF_CARE, "self-care", "Self-care advice:", "self_care_action"),
)

LEVEL_TITLES = {
    "emergency": "Emergency: get help now",
    "urgent": "Urgent: get help today",
    "see-a-doctor": "See a doctor",
    "self-care": "Look after yourself",
}
EVIDENCE_WORDS = {
    "good": "good",
    "some": "some (it helps a little)",
    "mixed": "mixed (some studies found it helps, others did not)",
    "limited": "limited (few or small studies)",
    "none": "no good evidence that it works",
    "not-studied": "not studied",
}


def make_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        undefined=StrictUndefined,
        autoescape=False,
        finalize=inline,  # every {{ value }} is escaped unless it is already Markup
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["paras"] = paragraphs
    env.filters["html"] = html_text
    env.filters["link_url"] = link_url
    env.filters["date"] = lambda d: Markup(f"{d.day} {d:%B %Y}")
    env.filters["first_sentence"] = first_sentence
    env.filters["join_text"] = _join_text
    env.globals["care_levels"] = CARE_LEVELS
    env.globals["level_titles"] = LEVEL_TITLES
    env.globals["evidence_words"] = EVIDENCE_WORDS
    env.globals["enumerate"] = enumerate
    return env


def render(site: Site) -> RenderedSite:
    """Render every page of the site (templates are read afresh each time: live preview edits them)."""
    return RenderedSite(pages={path: write() for path, write in sorted(page_jobs(site).items())},
                        nav=navigation(site))


def navigation(site: Site) -> list[Any]:
    def section(title: str, folder: str, items: Sequence[Any], label: Callable[[Any], str]) -> NavItem:
        children: list[Any] = [f"{folder}/index.md"]
        if len(items) <= NAV_LIST_LIMIT:
            children += [{theme_text(label(i)): f"{folder}/{i.id}.md"} for i in items]  # the theme prints labels as HTML
        return {title: children}

    return [
        {"Home": "index.md"},
        section("Conditions", "conditions", site.conditions, lambda c: c.title),
        {"When to get help": "get-help.md"},
        *([{"Where does it hurt?": WHERE_PAGE}] if BODY_MAP in site.pictures else []),
        section("Cramp or something else?", "lookalikes", site.lookalikes, lambda x: x.title),
        section("Causes", "causes", site.causes, lambda c: c.title),
        section("Remedies", "remedies", site.remedies, lambda r: r.title),
        {"Glossary": "glossary/index.md"},
        {"Browse by topic": "topics.md"},
        {"About this site": "about.md"},
    ]


_INDEX_PAGES = (  # kind, title, description
    ("conditions", "Conditions", "Muscle cramps and knots this site covers."),
    ("causes", "Causes", "Things that can bring on cramps and knots."),
    ("remedies", "Remedies", "Things that may help, with what the research says."),
    ("terms", "Glossary", "Medical words used on this site, in plain English."),
    ("lookalikes", "Is it a cramp or something else?", "Things that can feel like a cramp, how to tell, and how soon to get help."),
)


def page_jobs(site: Site) -> dict[str, Callable[[], str]]:
    """Each page's path and the call that writes its Markdown.

    The pages do not depend on each other, so they can be written in any order: the live preview writes
    the pages a browser shows first.
    """
    pages = Pages(site, make_environment())
    jobs: dict[str, Callable[[], str]] = {
        "index.md": functools.partial(home_page, pages), "get-help.md": functools.partial(get_help_page, pages),
        "about.md": functools.partial(about_page, pages), "topics.md": functools.partial(topics_page, pages)}
    if BODY_MAP in site.pictures:
        jobs[WHERE_PAGE] = functools.partial(where_page, pages)
    for kind, title, description in _INDEX_PAGES:
        jobs[f"{PAGE_FOLDERS[kind]}/index.md"] = functools.partial(index_page, pages, kind, title, description)
    for kind, entries, write in (("conditions", site.conditions, condition_page), ("causes", site.causes, cause_page),
                                 ("remedies", site.remedies, remedy_page), ("terms", site.terms, term_page),
                                 ("lookalikes", site.lookalikes, lookalike_page)):
        for entry in entries:
            jobs[f"{PAGE_FOLDERS[kind]}/{entry.id}.md"] = functools.partial(write, pages, entry)
    return jobs


# --- one function per page kind ----------------------------------------------------------------------

# Pages that gather what other pages say (every condition, every warning sign) stay out of search:
# they would match the words of all the pages they list, and they grow with the site, while
# search_index.json is downloaded whole, often on a phone. Their pages are in the navigation.


def home_page(pages: Pages) -> str:
    settings = pages.site.settings
    return pages.page(
        "home.md.j2", "index.md", title=settings.name, description=settings.tagline, search_exclude=True,
        cramp_now=_cramp_now(pages), where_page=WHERE_PAGE if BODY_MAP in pages.site.pictures else "",
        emergency_cards=pages.cards([s for s in pages.site.signs if s.level is CareLevel.EMERGENCY]))


def _cramp_now(pages: Pages) -> list[tuple[BodyArea, Condition, Step]]:
    """'In a cramp now?' on the home page: per part of the body, the page most about it and its main step.

    The page is the one with the fewest other areas (then by title), each page once; the step is its first
    'Do this now' step with a drawing, which is the one that acts on the cramp (the others warn or prepare).
    Only cramp pages: a reader in a cramp must not be sent to a knot or a trapped nerve.
    """
    answers: list[tuple[BodyArea, Condition, Step]] = []
    for area in BodyArea:
        about = sorted((c for c in pages.site.conditions if area in c.areas and c.do_now and c.is_cramp),
                       key=lambda c: (len(c.areas), c.title.lower()))
        if about and all(about[0] is not shown for _, shown, _ in answers):  # each page once
            steps = about[0].do_now
            answers.append((area, about[0], next((s for s in steps if s.picture), steps[0])))
    return answers


def get_help_page(pages: Pages) -> str:
    links = pages.links(".")
    every_page = pages.site.conditions

    def shown_on(sign: WarningSign) -> Markup:
        conditions = pages.site.sign_shown_on[sign.id]
        if len(conditions) == len(every_page) > 1:
            return Markup("all conditions")
        if len(conditions) <= LISTED_PAGES_PER_SIGN:
            return links.conditions.join(c.id for c in conditions)
        # A large site: name the parts of the body rather than hundreds of pages.
        named = [c.id for c in conditions if c.id in sign.conditions]
        areas = _join_text([area.label for area in sign.areas], ", ")
        return Markup(f"pages about the {areas}" + (f", {links.conditions.join(named)}" if named else ""))

    return pages.page(
        "get_help.md.j2", "get-help.md", title="When to get medical help",
        description="Every warning sign on this site, grouped by how soon you need help.", search_exclude=True,
        cards=pages.cards(pages.site.signs, pages=shown_on))


def where_page(pages: Pages) -> str:
    """'Where does it hurt?': the body map, each part a link to the pages about it, and the same as lists."""
    areas = [(area, [c for c in pages.site.conditions if area in c.areas],
              [x for x in pages.site.lookalikes if area in x.areas]) for area in BodyArea]
    areas = [row for row in areas if row[1] or row[2]]
    return pages.page(
        "where.md.j2", WHERE_PAGE, title="Where does it hurt?", search_exclude=True,
        description="Choose the part of the body that hurts to find the pages about it.",
        areas=areas, body_map=pages.body_map({area: f"#{area.value}-pages" for area, *_ in areas}))


def about_page(pages: Pages) -> str:
    return pages.page("about.md.j2", "about.md", title="About this site",
        description="Who writes this site, how it is checked and where the facts come from.")


def topics_page(pages: Pages) -> str:
    return pages.page("topics.md.j2", "topics.md", title="Browse by topic",
        description="Find pages by body area and by cause.", search_exclude=True)


def index_page(pages: Pages, kind: str, title: str, description: str) -> str:
    path = f"{PAGE_FOLDERS[kind]}/index.md"
    return pages.page(f"{kind}_index.md.j2", path, title=title, description=description, search_exclude=True)


def condition_page(pages: Pages, condition: Condition) -> str:
    site = pages.site
    path = f"conditions/{condition.id}.md"
    related = {rel.condition for rel in condition.related}
    return pages.page(
        "condition.md.j2", path, title=condition.title, description=first_sentence(condition.summary),
        # Search weighs tags far above text: the reader's own words lead to this page first.
        tags=[condition.title, *filter(None, [condition.medical_name]), *condition.also_called, condition.body_area],
        review=condition.review, search_boost=2,
        jsonld=structured_data.condition_page(site, condition, pages.absolute(path)),
        condition=condition, others=site.same_area[condition.id], lookalikes=site.lookalikes_for[condition.id],
        drawing=pages.drawing,
        small_map=pages.body_map(marked=condition.areas) if BODY_MAP in site.pictures else "",
        cards=pages.cards(site.signs_for[condition.id], notes={n.sign: n.note for n in condition.sign_notes}),
        shared=[(other, causes) for other, causes in site.shares_causes[condition.id]
                if other.id not in related],
        source_ids=[*condition.sources, *(s for fact in condition.key_facts for s in fact.sources)],
    )


def cause_page(pages: Pages, cause: Cause) -> str:
    path = f"causes/{cause.id}.md"
    return pages.page("cause.md.j2", path, title=cause.title, description=first_sentence(cause.summary),
                      tags=[cause.title, *cause.also_called] if cause.also_called else (),
                      review=cause.review, cause=cause, source_ids=cause.sources)


def remedy_page(pages: Pages, remedy: Remedy) -> str:
    path = f"remedies/{remedy.id}.md"
    return pages.page("remedy.md.j2", path, title=remedy.title, drawing=pages.drawing,
                      description=first_sentence(remedy.summary), review=remedy.review, remedy=remedy,
                      source_ids=[*remedy.evidence.sources, *remedy.sources])


def term_page(pages: Pages, term: Term) -> str:
    path = f"glossary/{term.id}.md"
    return pages.page("term.md.j2", path, title=term.name[:1].upper() + term.name[1:],
                      description=term.definition, term=term, source_ids=term.sources)


def lookalike_page(pages: Pages, lookalike: Lookalike) -> str:
    path = f"lookalikes/{lookalike.id}.md"
    return pages.page(
        "lookalike.md.j2", path, title=lookalike.title, description=first_sentence(lookalike.clue),
        tags=[lookalike.title, *lookalike.also_called], search_boost=2, review=lookalike.review,
        lookalike=lookalike, shown_on=pages.site.lookalike_shown_on[lookalike.id],
        card=pages.level_card(lookalike.level), source_ids=lookalike.sources)


# --- what the page kinds share --------------------------------------------------------------------


class Pages:
    """What the page kinds' functions share: the site, the templates, and the links, sources and glossary
    words made once per render; `page` writes a page's front matter and body."""

    def __init__(self, site: Site, env: Environment) -> None:
        self.site = site
        self.env = env
        self.repo_url = str(site.settings.repo_url).rstrip("/")
        self.glossary = TermMatcher(site.terms)
        self.folders: dict[str, _Links] = {}
        # A source's line and citation are the same on every page that lists it.
        source_template = env.get_template("_source.md.j2")
        self.source_line = _Lazy(lambda source_id: Markup(source_template.render(source=site.sources[source_id])))
        self.citation = _Lazy(lambda source_id: _citation(site.sources[source_id]))

    def body_map(self, links: dict[BodyArea, str] | None = None, marked: Sequence[BodyArea] = ()) -> Markup:
        """The body map inline: each part a link (on the 'Where does it hurt?' page) or marked with a label.

        The parts keep their ids only where they are links, so a page can hold a map without clashing ids.
        """
        markup = self.site.pictures[BODY_MAP]
        markup = re.sub(r"<title>.*?</title>", "", markup, count=1, flags=re.DOTALL)

        def part(match: re.Match[str]) -> str:
            area, rest = BodyArea(match.group(1)), match.group(2)
            if links is not None and area in links:
                name = escape(f"{area.label[:1].upper()}{area.label[1:]}")
                return (f'<a href="{links[area]}" class="body-map__link" aria-label="{name}">'
                        f'<path class="body-map__area" data-area="{area.value}"{rest}/></a>')
            mark = " body-map__area--marked" if area in marked else ""
            return f'<path class="body-map__area{mark}" data-area="{area.value}"{rest}/>'

        markup = re.sub(r'<path id="([a-z-]+)"([^>]*)/>', part, markup)
        if links is not None:
            label = "Body map: choose where it hurts"
            return Markup(markup.replace("<svg", f'<svg class="body-map" role="group" aria-label="{label}"', 1))
        return Markup(markup.replace("<svg", '<svg class="body-map body-map--small" aria-hidden="true" focusable="false"', 1))

    def drawing(self, picture: Picture, size: str = "step") -> Markup:
        """A step's drawing inline, so its currentColor lines take the text colour (an <img> would draw them black).

        Its accessible name is the step's alt text. The file's own <title> is left out: inline HTML's text would
        go through Markdown (and the glossary), and the alt text says the same.
        """
        markup = re.sub(r"<title>.*?</title>", "", self.site.pictures[picture.file], count=1, flags=re.DOTALL)
        alt = escape(picture.alt)
        return Markup(markup.replace(
            "<svg", f'<svg class="drawing drawing--{size}" role="img" aria-label="{alt}" focusable="false"', 1))

    def absolute(self, path: str) -> str:
        return path.removesuffix("index.md").removesuffix(".md") + ("/" if not path.endswith("index.md") else "")

    def cards(self, signs: Sequence[WarningSign], *, notes: dict[str, str] | None = None,
              pages: Callable[[WarningSign], Markup] | None = None) -> list[_Card]:
        """One care card per level that has signs, most serious first (validation keeps each to 5 signs)."""
        notes = notes or {}
        items = [(sign.level, _CardItem(sign.sign, sign.details, notes.get(sign.id), pages(sign) if pages else None))
                 for sign in signs]
        by_level = [(level, [item for item_level, item in items if item_level is level]) for level, *_ in CARE_LEVELS]
        return [self.level_card(level, at_level) for level, at_level in by_level if at_level]

    def level_card(self, level: CareLevel, items: Sequence[_CardItem] = ()) -> _Card:
        """The care card of one level: its style, hidden prefix and heading, with these signs."""
        _, modifier, prefix, heading_field = next(row for row in CARE_LEVELS if row[0] is level)
        return _Card(modifier, prefix, getattr(self.site.settings, heading_field), list(items))

    def links(self, folder: str) -> _Links:
        """Links from the pages of one folder, made once per render."""
        links = self.folders.get(folder)
        if links is None:
            links = self.folders[folder] = _Links(self.site, folder)
        return links

    def page(self, template: str, path: str, *, title: str, description: str, tags: Sequence[str] = (),
             review: Review | None = None, search_boost: float | None = None, search_exclude: bool = False,
             jsonld: Any = None, source_ids: Sequence[str] = (), **context: Any) -> str:
        page_folder = posixpath.dirname(path) or "."

        def url(kind: str, entry_id: str | None = None) -> Markup:
            folder = PAGE_FOLDERS.get(kind, kind)
            target = f"{folder}/{entry_id}.md" if entry_id else (f"{folder}/index.md" if folder in PAGE_FOLDERS.values() else folder)
            return Markup(posixpath.relpath(target, page_folder))

        report = self.report_url(title, path)
        # The theme prints these as HTML, so they leave the generator escaped (see text.theme_text).
        meta: dict[str, Any] = {"title": theme_text(title), "description": theme_text(description)}
        if tags:
            meta["tags"] = list(dict.fromkeys(theme_text(t) for t in tags))
        if search_exclude:
            meta["search"] = {"exclude": True}
        elif search_boost:
            meta["search"] = {"boost": search_boost}
        if jsonld is not None:
            meta["structured_data"] = _script_safe_json(jsonld)
        meta["report_url"] = report
        if self.site.settings.feedback_email:
            meta["feedback_url"] = self.feedback_url(title, path)
        if review is not None:
            meta["last_reviewed"] = review.last_reviewed.isoformat()
        front = _front_matter(meta)
        links = self.links(page_folder)
        unique_sources = list(dict.fromkeys(source_ids))
        body = self.env.get_template(template).render(
            site=self.site, settings=self.site.settings, title=title, url=url, review=review,
            link=links, path=links.paths, sources=[self.source_line[i] for i in unique_sources],
            source_line=self.source_line, cite=self.cite, **context,
        )
        body = _tidy(body)
        return f"---\n{front}---\n\n{body}{self.glossary.abbreviation_lines(body)}\n"

    def feedback_url(self, title: str, path: str) -> str:
        """A mailto: link for 'Was this page helpful?': the reader's own email program opens with the page named."""
        fields = {"subject": f"Was this page helpful? {title}",
                  "body": f"Page: {title} ({path})\n\nWas this page helpful? Yes or no:\n\nWhat would make it better?\n\n"}
        return f"mailto:{self.site.settings.feedback_email}?{urlencode(fields, quote_via=quote)}"

    def cite(self, source_ids: Sequence[str]) -> Markup:
        """A fact's sources, as 'Publisher year; Publisher year'."""
        return Markup("; ".join(self.citation[i] for i in dict.fromkeys(source_ids)))

    def report_url(self, title: str, path: str) -> str:
        fields = {"title": f"Problem with page: {title}", "body": f"Page: {path}\n\nWhat is wrong or missing?\n\n"}
        query = urlencode(fields, quote_via=quote)
        return f"{self.repo_url}/issues/new?{query}"


@dataclass(frozen=True)
class _CardItem:
    text: str
    details: Sequence[str]
    note: str | None
    pages: Markup | None  # on the get-help page: the pages that show the sign


@dataclass(frozen=True)
class _Card:
    modifier: str
    prefix: str
    heading: str
    items: list[_CardItem]


class _Lazy(dict[str, Markup]):
    """Markup made on first use and kept: most links and lines recur on many pages."""

    def __init__(self, make: Callable[[str], Markup]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: str) -> Markup:
        value = self[key] = self.make(key)
        return value


class _LinkTable(_Lazy):
    """Markdown links from one folder to the entries of one kind: table[id] is '[Title](path)'."""

    def __init__(self, title: Callable[[str], str], path: _Lazy) -> None:
        super().__init__(lambda entry_id: Markup(f"[{title(entry_id)}]({path[entry_id]})"))
        self.title = title
        self.path = path
        self.labelled_tables: dict[str, _Lazy] = {}

    def join(self, entry_ids: Iterable[str]) -> Markup:
        """Links to the entries, separated by commas."""
        return Markup(", ".join(self[i] for i in entry_ids))

    def labelled(self, label: str) -> _Lazy:
        """Links whose text starts with label (template text, not content): '[Read more: Title](path)'."""
        table = self.labelled_tables.get(label)
        if table is None:
            table = self.labelled_tables[label] = _Lazy(
                lambda entry_id: Markup(f"[{label}: {self.title(entry_id)}]({self.path[entry_id]})"))
        return table


class _Links:
    """Paths and Markdown links from the pages of one folder to every entry: link.causes[id], path.causes[id]."""

    def __init__(self, site: Site, folder: str) -> None:
        def paths(kind: str) -> _Lazy:
            return _Lazy(lambda entry_id: Markup(posixpath.relpath(f"{PAGE_FOLDERS[kind]}/{entry_id}.md", folder)))

        self.paths = SimpleNamespace(**{kind: paths(kind) for kind in PAGE_FOLDERS})
        self.conditions = _LinkTable(lambda i: inline(site.condition_by_id[i].title), self.paths.conditions)
        self.causes = _LinkTable(lambda i: inline(site.cause_by_id[i].title), self.paths.causes)
        self.remedies = _LinkTable(lambda i: inline(site.remedy_by_id[i].title), self.paths.remedies)
        self.terms = _LinkTable(lambda i: inline(site.term_by_id[i].name), self.paths.terms)  # by the term's name
        lookalike_by_id = {x.id: x for x in site.lookalikes}
        self.lookalikes = _LinkTable(lambda i: inline(lookalike_by_id[i].title), self.paths.lookalikes)


def _citation(source: Source) -> Markup:
    """'Publisher year', as a fact's source is cited."""
    publisher = inline(source.publisher)
    return Markup(f"{publisher} {inline(source.year)}" if source.year else publisher)


def _join_text(items: Iterable[Any], separator: str, attribute: str | None = None) -> Markup:
    """Each item (or its attribute) escaped, then joined: what a loop printing item and separator gives."""
    if attribute is not None:
        items = (getattr(item, attribute) for item in items)
    return Markup(str.join(inline(separator), [inline(item) for item in items]))



def _tidy(markdown: str) -> str:
    """A blank line before and after every heading, and never more than one in a row."""
    markdown = re.sub(r"\n(?=#{1,6} )", "\n\n", markdown)
    markdown = re.sub(r"(\n#{1,6} [^\n]*\n)(?!\n)", r"\1\n", markdown)
    markdown = re.sub(r"\A(#{1,6} [^\n]*\n)(?!\n)", r"\1\n", markdown)
    return re.sub(r"\n\n\n+", "\n\n", markdown).strip()


def _front_matter(meta: dict[str, Any]) -> str:
    """The page's front matter as YAML, keys in the order given, text as written (no \\u escapes)."""
    return yaml.dump(meta, Dumper=_FrontMatterDumper, sort_keys=False, allow_unicode=True, width=1000)


def _script_safe_json(data: Any) -> str:
    """JSON that cannot close the <script> element it is placed in."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
