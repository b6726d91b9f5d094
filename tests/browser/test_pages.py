"""The reader's pages in a real browser: search by everyday words, tooltips, care cards, JSON-LD, print, weight."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser
from browser_support import BuiltSite, Tab, open_tab, tab_until

from generator.model import CareLevel

# Words readers type, from the issue: each must lead to the condition that lists it in `also_called`.
EVERYDAY_SEARCHES = ["charley horse", "butt cramp", "knot in glute", "cramp at night"]
# Words of a reader who fears it is not a cramp: each must lead first to the lookalike or cause that lists it.
SAFETY_SEARCHES = ["cramp or tear", "pulled hamstring", "calf swollen", "blood clot", "cramp pregnant", "restless legs"]
PHONE_SCREEN = 844  # px, the height of the phone the browser tests use (390 x 844)
NEAR_THE_TOP = 3  # every other name in `also_called` must find its page among the first results
MAX_PAGE_WEIGHT = 150_000  # bytes, compressed, first visit, everything the page loads
ASPECT_SECTIONS = {  # schema.org MedicalWebPage aspect -> the page sections that cover it
    "Overview": {"What it feels like"},
    "Symptoms": {"What it feels like"},
    "Causes": {"Causes"},
    "Treatment": {"More you can do during a cramp", "More you can do when it hurts", "Treatment from a doctor"},
    "Prevention": {"How to stop it coming back"},
}
PREFIXES = {  # hidden prefix -> level, most serious first
    "Immediate action required:": CareLevel.EMERGENCY,
    "Urgent advice:": CareLevel.URGENT,
    "Non-urgent advice:": CareLevel.SEE_A_DOCTOR,
    "Self-care advice:": CareLevel.SELF_CARE,
}


def words(text: str) -> str:
    """Text with its spaces normalised, for comparing page text with content."""
    return re.sub(r"\s+", " ", text).strip()


def open_page(tab: Tab, url: str) -> None:
    if tab.page.url != url:
        tab.page.goto(url)
        tab.page.wait_for_load_state("load")


# --- search ------------------------------------------------------------------------------


def search(tab: Tab, site: BuiltSite, query: str) -> list[str]:
    """Type a query into Material's search box; the result pages in order, as paths under the site."""
    open_page(tab, site.url(""))
    page = tab.page
    box = page.locator(".md-search__input")
    box.fill("")
    box.press("Backspace")  # Material reads the box on key events
    page.wait_for_function("() => !document.querySelector('.md-search-result__list').children.length")
    box.fill(query)
    box.press("End")
    page.wait_for_function("() => document.querySelector('.md-search-result__list').children.length > 0",
                           timeout=10_000)
    links = page.eval_on_selector_all(".md-search-result__item > a.md-search-result__link",
                                      "links => links.map(a => a.href)")
    base_path = urlsplit(site.base_url).path
    return [urlsplit(link).path.removeprefix(base_path) for link in links]


def pages_listing(site: BuiltSite, name: str) -> set[str]:
    """The condition pages whose `also_called` has this name."""
    return {f"conditions/{c.id}/" for c in site.content.conditions
            if name.lower() in (n.lower() for n in c.also_called)}


@pytest.mark.parametrize("query", SAFETY_SEARCHES)
def test_words_of_a_worried_reader_find_what_else_it_may_be(light: Tab, site: BuiltSite, query: str) -> None:
    expected = {f"lookalikes/{x.id}/" for x in site.content.lookalikes if query in map(str.lower, x.also_called)}
    expected |= {f"causes/{c.id}/" for c in site.content.causes if query in map(str.lower, c.also_called)}
    assert expected, f"no lookalike or cause lists {query!r} in also_called"
    results = search(light, site, query)
    assert results[0] in expected, f"searching {query!r} showed {results[:3]} first; expected one of {sorted(expected)}"


@pytest.mark.parametrize("query", EVERYDAY_SEARCHES)
def test_everyday_words_find_the_right_page_first(light: Tab, site: BuiltSite, query: str) -> None:
    expected = pages_listing(site, query)
    assert expected, f"no condition lists {query!r} in also_called: add it to the condition it means"
    results = search(light, site, query)
    assert results[0] in expected, f"searching {query!r} showed {results[:3]} first; expected one of {sorted(expected)}"


def test_every_name_a_condition_is_also_called_finds_it(light: Tab, site: BuiltSite) -> None:
    missed = []
    names = sorted({n.lower() for c in site.content.conditions for n in c.also_called})
    for name in names:
        results = search(light, site, name)[:NEAR_THE_TOP]
        if not pages_listing(site, name) & set(results):
            missed.append(f"{name!r} -> {results}")
    assert not missed, f"these names did not find their page in the first {NEAR_THE_TOP} results:\n" + "\n".join(missed)
    assert not light.outside_requests, f"search reached other hosts: {light.outside_requests}"


# --- glossary tooltips -------------------------------------------------------------------


def first_tooltip_word(tab: Tab) -> tuple[object, str]:
    word = tab.page.locator("article abbr[tabindex='0']").first
    definition = word.get_attribute("title") or ""
    return word, definition


def test_glossary_word_shows_its_definition_on_hover(light: Tab, site: BuiltSite) -> None:
    page = light.page
    page.goto(site.url(site.condition_paths()[0]))
    word, definition = first_tooltip_word(light)
    assert definition, "a condition page should mark at least one glossary word"
    word.hover()
    tooltip = page.locator(".md-tooltip2--active")
    tooltip.wait_for(state="visible")
    assert words(tooltip.inner_text()) == words(definition)
    assert word.get_attribute("aria-describedby") == tooltip.get_attribute("id")


def test_glossary_word_is_reached_by_keyboard_and_shows_its_definition(light: Tab, site: BuiltSite) -> None:
    page = light.page
    page.goto(site.url(site.condition_paths()[0]))
    page.mouse.move(0, 0)
    word, definition = first_tooltip_word(light)
    tab_until(page, lambda: word.evaluate("el => el === document.activeElement"), presses=200,
              what="the first glossary word")
    tooltip = page.locator(".md-tooltip2--active")
    tooltip.wait_for(state="visible")
    assert words(tooltip.inner_text()) == words(definition)


def test_glossary_words_are_not_marked_inside_headings_or_links(site: BuiltSite) -> None:
    for html in site.root.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        nested = re.findall(r"<(h[1-6]|a)\b[^>]*>(?:(?!</\1>).)*<abbr", text, flags=re.S)
        assert not nested, f"{html.relative_to(site.root)}: a tooltip inside <{nested[0]}>"


# --- care cards and the "When to get medical help" page ------------------------------------


def care_cards(tab: Tab) -> list[dict]:
    return tab.page.eval_on_selector_all(".md-typeset .care-card", """cards => cards.map(card => {
        const heading = card.querySelector('.care-card__heading');
        const prefix = heading.querySelector('.care-card__prefix');
        const box = prefix.getBoundingClientRect();
        const text = el => el ? el.textContent.replace(/\\s+/g, ' ').trim() : '';
        return {
          prefix: prefix.textContent.trim(),
          prefixHidden: box.width <= 1 && box.height <= 1,
          heading: text(heading),
          headingTag: heading.tagName,
          items: [...card.querySelectorAll(':scope > ul > li')].map(li => ({
            sign: text(li.querySelector('summary') || li.querySelector('p')),
            details: [...li.querySelectorAll('details li')].map(text),
            links: [...li.querySelectorAll('a')].map(a => a.getAttribute('href')),
            pages: text(li.querySelector('.care-card__pages')),
          })),
          style: [getComputedStyle(heading).backgroundColor, getComputedStyle(card).backgroundColor].join(' / '),
        };
      })""")


def signs_of(site: BuiltSite, condition) -> list:  # type: ignore[no-untyped-def]
    """The warning signs declared for a condition: those for its body areas and those naming it."""
    return [s for s in site.content.signs if set(s.areas) & set(condition.areas) or condition.id in s.conditions]


def without_pages(sign: str) -> str:
    return re.sub(r" \(On: .*\)$", "", sign)


def test_condition_care_cards_carry_every_sign_for_the_page_at_its_level(light: Tab, site: BuiltSite) -> None:
    styles: dict[str, set[str]] = {}
    for condition in site.content.conditions:
        light.page.goto(site.url(f"conditions/{condition.id}/"))
        cards = care_cards(light)
        shown = [(PREFIXES[card["prefix"]], item["sign"], item["details"]) for card in cards for item in card["items"]]
        assert [level for level, *_ in shown] == sorted((level for level, *_ in shown), key=lambda lv: -lv.rank), (
            f"{condition.id}: the most serious level comes first")
        declared = signs_of(site, condition)
        assert sorted((s.level.value, words(s.sign), [words(d) for d in s.details]) for s in declared) == sorted(
            (level.value, sign, details) for level, sign, details in shown), f"{condition.id}: signs differ"
        for card in cards:
            assert card["prefixHidden"], f"{condition.id}: the prefix {card['prefix']!r} should be visually hidden"
            assert card["headingTag"] == "H3" and card["heading"].startswith(card["prefix"])  # under the page's h2
            assert 1 <= len(card["items"]) <= 5, f"{condition.id}: a care card has {len(card['items'])} signs"
            assert not any(item["links"] for item in card["items"]), f"{condition.id}: care cards here carry no links"
            styles.setdefault(card["prefix"], set()).add(card["style"])
    for prefix, seen in styles.items():
        assert len(seen) == 1, f"cards {prefix!r} are styled in more than one way: {seen}"
    by_style = [next(iter(s)) for s in styles.values()]
    assert len(set(by_style)) == len(by_style), "each level of help needs its own style"


def test_a_sign_opens_to_show_what_to_look_for(light: Tab, site: BuiltSite) -> None:
    page = light.page
    page.goto(site.url(site.condition_paths()[0]))
    row = page.locator(".care-card--emergency details").first
    detail = row.locator("li").first
    assert not detail.is_visible(), "a sign's list starts closed, so the cards fit on a phone"
    row.locator("summary").focus()
    page.keyboard.press("Enter")  # a keyboard opens it as a tap does
    detail.wait_for(state="visible")


def test_when_to_get_help_page_is_four_cards_with_each_sign_once(phone: Tab, site: BuiltSite) -> None:
    page = phone.page
    page.goto(site.url("get-help/"))
    cards = care_cards(phone)
    assert [PREFIXES[card["prefix"]] for card in cards] == list(reversed(CareLevel)), "exactly four cards, most serious first"
    shown = [(PREFIXES[card["prefix"]], item) for card in cards for item in card["items"]]
    assert sorted(words(s.sign) for s in site.content.signs) == sorted(without_pages(item["sign"]) for _, item in shown)
    every_page = {f"conditions/{c.id}/" for c in site.content.conditions}
    for sign in site.content.signs:
        [(level, item)] = [(lv, it) for lv, it in shown if without_pages(it["sign"]) == words(sign.sign)]
        assert level is sign.level, f"{sign.id} is under {level.value}, declared {sign.level.value}"
        on = {f"conditions/{c.id}/" for c in site.content.conditions if sign in signs_of(site, c)}
        linked = {href.split("../")[-1] for href in item["links"]}
        assert linked == on or on == every_page and "all conditions" in item["pages"], f"{sign.id} is shown on {on}"
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= 3 * PHONE_SCREEN, f"get-help/ is {height / PHONE_SCREEN:.1f} phone screens long; keep it to 3"


# --- structured data and page metadata -----------------------------------------------------


class _HeadParser(HTMLParser):
    """Collects meta tags, link tags, JSON-LD blocks and links from one HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: dict[str, str] = {}
        self.json_ld: list[str] = []
        self.anchors: list[tuple[str, str]] = []
        self._in_json_ld = False
        self._anchor: list[str] | None = None
        self._href = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k: v or "" for k, v in attrs}
        if tag == "meta":
            key = attr.get("name") or attr.get("property")
            if key:
                self.meta[key] = attr.get("content", "")
        elif tag == "link" and "rel" in attr:
            self.links[attr["rel"]] = attr.get("href", "")
        elif tag == "script" and attr.get("type") == "application/ld+json":
            self._in_json_ld = True
            self.json_ld.append("")
        elif tag == "a":
            self._anchor, self._href = [], attr.get("href", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_json_ld = False
        elif tag == "a" and self._anchor is not None:
            self.anchors.append((words("".join(self._anchor)), self._href))
            self._anchor = None

    def handle_data(self, data: str) -> None:
        if self._in_json_ld:
            self.json_ld[-1] += data
        if self._anchor is not None:
            self._anchor.append(data)


def parsed(site: BuiltSite, path: str) -> _HeadParser:
    file = site.root / (path + "index.html" if path.endswith("/") or not path else path)
    parser = _HeadParser()
    parser.feed(file.read_text(encoding="utf-8"))
    return parser


def test_every_page_has_a_description_canonical_url_open_graph_and_a_report_link(site: BuiltSite) -> None:
    repo = str(site.content.settings.repo_url).rstrip("/")
    for path in site.pages:
        if path == "404.html":
            continue
        page = parsed(site, path)
        assert page.meta.get("description"), f"{path}: no meta description"
        assert page.links.get("canonical") == site.url(path), f"{path}: canonical URL is {page.links.get('canonical')}"
        for key in ("og:title", "og:description", "og:url", "og:type", "og:site_name"):
            assert page.meta.get(key), f"{path}: no {key}"
        assert page.meta["og:url"] == site.url(path)
        reports = [href for text, href in page.anchors if text == "Report a problem with this page"]
        assert len(reports) == 1 and reports[0].startswith(f"{repo}/issues/new?title="), f"{path}: report link {reports}"


def article_text(tab: Tab) -> str:
    return words(tab.page.inner_text("article"))


def section_text(tab: Tab, heading: str) -> str:
    """The text between the h2 with this text and the next h2, with closed <details> read too (they open on a click)."""
    return words(tab.page.evaluate("""heading => {
        const h2 = [...document.querySelectorAll('article h2')].find(h => h.textContent.trim() === heading);
        if (!h2) return '';
        let text = '', node = h2.nextElementSibling;
        while (node && node.tagName !== 'H2') { text += ' ' + node.textContent; node = node.nextElementSibling; }
        return text;
      }""", heading))


def test_condition_pages_carry_json_ld_true_to_the_page(light: Tab, site: BuiltSite) -> None:
    for path in site.condition_paths():
        head = parsed(site, path)
        assert len(head.json_ld) == 1, f"{path}: expected one JSON-LD block, found {len(head.json_ld)}"
        data = json.loads(head.json_ld[0])
        assert data["@context"] == "https://schema.org" and data["@type"] == "MedicalWebPage", path
        about = data["about"]
        assert about["@type"] == "MedicalCondition", path
        for key in ("alternateName", "associatedAnatomy", "cause", "signOrSymptom"):
            assert isinstance(about.get(key), list) and about[key], f"{path}: about.{key} is missing or empty"
        assert isinstance(about.get("possibleTreatment"), list), f"{path}: about.possibleTreatment is missing"

        light.page.goto(site.url(path))
        text = article_text(light).lower()
        # 'Page last reviewed' and lastReviewed once a clinician has reviewed it; until then 'Last updated'.
        reviewed = re.search(r"(Page last reviewed|Last updated): (\d{1,2} \w+ \d{4})", article_text(light))
        assert reviewed, f"{path}: no 'Page last reviewed' or 'Last updated' date"
        key = "lastReviewed" if reviewed.group(1) == "Page last reviewed" else "dateModified"
        assert data[key] == dt.datetime.strptime(reviewed.group(2), "%d %B %Y").date().isoformat()
        assert words(light.page.inner_text("article h1")).lower().startswith(about["name"].lower())
        for name in about["alternateName"]:
            assert name.lower() in text, f"{path}: alternateName {name!r} is not on the page"
        for part in about["associatedAnatomy"]:
            assert part["name"].lower() in text, f"{path}: associatedAnatomy {part['name']!r} is not on the page"
        causes = section_text(light, "Causes")
        for cause in about["cause"]:
            assert cause["name"] in causes, f"{path}: cause {cause['name']!r} is not under Causes"
        feels = section_text(light, "What it feels like")
        for sign in about["signOrSymptom"]:
            assert words(sign["name"]) in feels, f"{path}: signOrSymptom {sign['name']!r} is not under What it feels like"
        remedy_links = light.page.eval_on_selector_all(
            "article a[href*='remedies/']", "links => links.map(a => a.textContent.replace(/\\s+/g, ' ').trim())")
        assert bool(about["possibleTreatment"]) == bool(remedy_links), f"{path}: possibleTreatment does not match the page"
        for therapy in about["possibleTreatment"]:
            assert any(link.endswith(therapy["name"]) for link in remedy_links), f"{path}: {therapy['name']!r} is not linked"
        summary = words(light.page.inner_text("article h1 + p"))
        assert summary.startswith(head.meta["description"].removesuffix("…")), f"{path}: description is not the summary"
        assert data["description"] == head.meta["description"], f"{path}: JSON-LD and meta descriptions differ"
        headings = set(light.page.eval_on_selector_all("article h2", "hs => hs.map(h => h.textContent.trim())"))
        for aspect in data["aspect"]:
            assert ASPECT_SECTIONS[aspect] & headings, f"{path}: aspect {aspect!r} has no section on the page"


# --- print ------------------------------------------------------------------------------------


def test_condition_page_prints_as_a_clean_leaflet(browser: Browser, site: BuiltSite) -> None:
    tab = open_tab(browser, "light")
    page = tab.page
    try:
        page.goto(site.url(site.condition_paths()[0]))
        page.emulate_media(media="print")
        for chrome in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-search", ".md-footer",
                       ".report-problem", ".page-jump"):
            assert not page.locator(chrome).first.is_visible(), f"{chrome} shows in print"
        printed_from = page.locator(".print-only")
        assert printed_from.is_visible() and site.url(site.condition_paths()[0]) in printed_from.inner_text()
        assert page.get_by_text("Last updated").is_visible()
        assert page.get_by_text("Next check due").is_visible()
        assert page.pdf()[:4] == b"%PDF"
    finally:
        page.context.close()


# --- page weight ---------------------------------------------------------------------------------


def test_condition_page_weight_on_a_first_visit(browser: Browser, site: BuiltSite, report_lines: list[str]) -> None:
    heaviest = max(site.condition_paths(), key=lambda p: (site.root / p / "index.html").stat().st_size)
    tab = open_tab(browser, "light")
    responses = []
    tab.page.on("response", lambda response: responses.append(response))
    try:
        tab.page.goto(site.url(heaviest))
        tab.page.wait_for_load_state("networkidle")
        sizes = {}
        for response in responses:
            body = response.body()
            sizes[urlsplit(response.url).path] = (len(body), len(gzip.compress(body, compresslevel=6)))
    finally:
        tab.page.context.close()
    assert any(path.endswith("search_index.json") for path in sizes), "the search index should be counted"
    raw = sum(size for size, _ in sizes.values())
    compressed = sum(size for _, size in sizes.values())
    report_lines.append(f"page weight {heaviest}: {compressed / 1000:.1f} kB gzip ({raw / 1000:.1f} kB raw), "
                        f"{len(sizes)} files")
    for path, (size, packed) in sorted(sizes.items(), key=lambda item: -item[1][1]):
        report_lines.append(f"  {packed / 1000:6.1f} kB  {Path(path).name or path}")
    assert compressed <= MAX_PAGE_WEIGHT, f"{heaviest} transfers {compressed} bytes compressed (limit {MAX_PAGE_WEIGHT})"
