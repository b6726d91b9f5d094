"""Issue 14 in a real browser: a phone's first screen, the step drawings in light and dark, and print."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser
from browser_support import PHONE, BuiltSite, Tab, open_tab

SCREEN = PHONE["height"]
HELP_WITHIN_SCREENS = 3
MAX_PRINTED_PAGES = 5  # at 11pt body type (8pt fitted 3)
MIN_PRINTED_POINTS = 10  # smaller is hard to read for many older readers

BOTTOM = "el => el.getBoundingClientRect().bottom + window.scrollY"
TOP = "el => el.getBoundingClientRect().top + window.scrollY"


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_first_phone_screen_of_every_condition_page_holds_the_summary_what_to_do_now_and_the_warning_signs(
        phone: Tab, site: BuiltSite) -> None:
    page = phone.page
    for condition in site.content.conditions:
        page.goto(site.url(f"conditions/{condition.id}/"))
        page.wait_for_load_state("load")
        summary = page.locator("article h1 ~ p").first
        assert words(condition.summary).startswith(words(summary.inner_text())[:60]), f"{condition.id}: summary first"
        box = page.locator(".do-now")
        steps = box.locator("ol > li")
        shown = [words(steps.nth(i).inner_text()) for i in range(steps.count())]
        assert shown == [words(step.text) for step in condition.do_now], f"{condition.id}: the 'Do this now' steps"
        assert 2 <= len(shown) <= 3, f"{condition.id}: {len(shown)} steps in the box"
        pictured = [s for s in condition.do_now if s.picture]
        assert box.locator("svg.drawing[role=img]").count() == len(pictured) >= 1, f"{condition.id}: drawings"
        signs = box.get_by_role("link", name="Warning signs: when to get help")
        assert signs.get_attribute("href") == "#when-to-get-help"
        assert box.evaluate(BOTTOM) <= SCREEN, f"{condition.id}: the box ends below the first screen"
        assert signs.is_visible()
        help_top = page.locator("#when-to-get-help").evaluate(TOP)
        assert help_top <= HELP_WITHIN_SCREENS * SCREEN, (
            f"{condition.id}: 'When to get help' starts {help_top / SCREEN:.1f} screens down")
        assert page.locator("article").get_by_text("Read more:").count() == 0, f"{condition.id}: 'Read more' links"


def test_home_page_first_phone_screen_answers_in_a_cramp_now_for_calf_thigh_and_buttock(
        phone: Tab, site: BuiltSite) -> None:
    page = phone.page
    page.goto(site.url(""))
    page.wait_for_load_state("load")
    box = page.locator(".do-now--home")
    assert "In a cramp now?" in box.inner_text()
    assert box.evaluate(BOTTOM) <= SCREEN, "the home page's 'In a cramp now?' box ends below the first screen"
    text = box.inner_text()
    for area in ("Calf", "Back of the thigh", "Buttock"):
        assert f"{area}:" in text, f"no answer for the {area.lower()}"
    targets = box.locator("li a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert all(re.fullmatch(r"conditions/[a-z-]+/", t) for t in targets), targets


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_step_drawings_are_inline_named_and_drawn_in_the_text_colour(
        browser: Browser, site: BuiltSite, scheme: str) -> None:
    """currentColor lines must take the page's text colour: an <img> would draw them black on the dark page."""
    drawn = [r for r in site.content.remedies if any(s.picture for s in r.steps)]
    assert drawn, "no remedy has a drawing"
    tab = open_tab(browser, scheme, viewport=PHONE)
    try:
        for remedy in drawn:
            page = tab.page
            page.goto(site.url(f"remedies/{remedy.id}/"))
            page.wait_for_load_state("load")
            assert page.locator("article img").count() == 0
            drawings = page.locator("article svg.drawing")
            expected = [s.picture.alt for s in remedy.steps if s.picture]
            names = drawings.evaluate_all("els => els.map(e => e.getAttribute('role') + ':' + e.getAttribute('aria-label'))")
            assert names == [f"img:{alt}" for alt in expected], remedy.id
            for i in range(drawings.count()):
                drawing = drawings.nth(i)
                box = drawing.bounding_box()
                assert box and box["width"] >= 150, f"{remedy.id}: drawing {i + 1} is {box} wide on a phone"
                colour, stroke, text = drawing.evaluate("""el => [getComputedStyle(el).color, getComputedStyle(el).stroke,
                                                                  getComputedStyle(el.closest('li')).color]""")
                assert colour == text and stroke == text, (
                    f"{remedy.id}: drawing {i + 1} is drawn in {stroke} ({colour}), the text is {text}")
    finally:
        tab.page.context.close()


def test_condition_pages_print_on_at_most_5_a4_pages_black_on_white_from_dark_mode(
        browser: Browser, site: BuiltSite) -> None:
    tab = open_tab(browser, "dark")
    page = tab.page
    try:
        for path in site.condition_paths():
            page.goto(site.url(path))
            page.wait_for_load_state("load")
            pdf = page.pdf(format="A4")
            printed = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
            assert 1 <= printed <= MAX_PRINTED_PAGES, f"{path} prints on {printed} A4 pages"
            page.emulate_media(media="print")
            colours = page.evaluate("""() => [getComputedStyle(document.querySelector('article p')).color,
                                              getComputedStyle(document.querySelector('article h1')).color,
                                              getComputedStyle(document.body).backgroundColor]""")
            assert colours == ["rgb(0, 0, 0)", "rgb(0, 0, 0)", "rgb(255, 255, 255)"], f"{path}: {colours}"
            for text in ("article h2 + p", ".do-now li", ".care-card__signs li"):  # px to pt: x 0.75
                points = 0.75 * page.locator(text).first.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
                assert points >= MIN_PRINTED_POINTS, f"{path}: {text} prints at {points:.1f}pt"
            assert page.locator(".do-now svg.drawing").first.is_visible(), f"{path}: the box's drawings print"
            page.emulate_media(media="null")  # back to no emulation: page.pdf() prints with print media
    finally:
        page.context.close()


def test_every_page_offers_was_this_page_helpful_by_email_naming_the_page(light: Tab, site: BuiltSite) -> None:
    settings = site.content.settings
    assert settings.feedback_email, "content/site.yaml has no feedback_email"
    for path in ["", *site.condition_paths()[:1], "get-help/"]:
        light.page.goto(site.url(path))
        link = light.page.get_by_role("link", name="Tell us by email")
        href = link.get_attribute("href") or ""
        assert href.startswith(f"mailto:{settings.feedback_email}?subject=Was%20this%20page%20helpful%3F%20"), href
        title = light.page.locator("article h1").inner_text().split("\n")[0]
        assert title.replace(" ", "%20") in href, f"{path or '(home)'}: the email does not name the page"
        assert light.page.get_by_role("link", name="Report a problem with this page").is_visible()


def test_where_does_it_hurt_map_links_each_part_to_its_pages_by_keyboard(phone: Tab, site: BuiltSite) -> None:
    page = phone.page
    page.goto(site.url(""))
    page.wait_for_load_state("load")
    where = page.locator(".do-now--home").get_by_role("link", name="Where does it hurt?")
    assert where.evaluate(BOTTOM) <= SCREEN, "'Where does it hurt?' is not on the home page's first screen"
    where.click()
    page.wait_for_load_state("load")
    links = page.locator("svg.body-map a.body-map__link")
    areas = {area.value for c in [*site.content.conditions, *site.content.lookalikes] for area in c.areas}
    assert links.count() == len(areas), "one link per part of the body that has pages"
    for i in range(links.count()):
        link = links.nth(i)
        name, target = link.get_attribute("aria-label"), link.get_attribute("href")
        box = link.bounding_box()
        assert name and box and box["width"] >= 24 and box["height"] >= 24, f"{name}: target {box}"
        area = target.removeprefix("#").removesuffix("-pages")
        section = page.locator(f"h2#{target[1:]}")
        assert section.count() == 1 and words(section.inner_text()).lower() == name.lower(), target
        # the list under the heading holds every page about the area: the same choices without the map
        listed = page.locator(f"h2#{target[1:]} + ul a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
        expected = {f"../conditions/{c.id}/" for c in site.content.conditions if area in {a.value for a in c.areas}}
        expected |= {f"../lookalikes/{x.id}/" for x in site.content.lookalikes if area in {a.value for a in x.areas}}
        assert set(listed) == expected, f"{area}: {listed}"
    # keyboard: Tab reaches a part; it shows the yellow focus fill; Enter goes to its list
    first = links.first
    for _ in range(60):
        page.keyboard.press("Tab")
        if first.evaluate("el => el === document.activeElement"):
            break
    else:
        raise AssertionError("no part of the body map took the keyboard focus")
    fill = first.locator("path").evaluate("el => getComputedStyle(el).fill")
    assert fill == "rgb(255, 235, 59)" or fill.startswith("rgb(255"), f"focused part is filled {fill}"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == first.get_attribute("href")


def test_each_condition_page_marks_its_areas_on_a_small_map_with_words(phone: Tab, site: BuiltSite) -> None:
    page = phone.page
    for condition in site.content.conditions:
        page.goto(site.url(f"conditions/{condition.id}/"))
        marked = page.locator(".where-map .body-map__area--marked").evaluate_all(
            "els => els.map(e => e.dataset.area)")
        assert sorted(marked) == sorted(a.value for a in condition.areas), condition.id
        width = page.locator(".where-map .body-map__area--marked").first.evaluate(
            "el => parseFloat(getComputedStyle(el).strokeWidth)")
        assert width >= 3, f"{condition.id}: the mark is not a heavier outline"
        text = words(page.locator(".where-map").inner_text())
        for area in condition.areas:
            assert area.label in text, f"{condition.id}: {area.label} is not named beside the map"
