"""axe-core on every page at desktop width (1280) and on the key pages at phone width (390), light and dark;
no request leaves 127.0.0.1; keyboard use."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser
from browser_support import PHONE, BuiltSite, Tab, open_tab, tab_until

# WCAG 2.0, 2.1 and 2.2 A and AA (2.2 adds target-size: 24 x 24 px), and axe's best practice.
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa",
                                                      "best-practice"]},
               "resultTypes": ["violations"]}


def load(tab: Tab, url: str) -> None:
    """Open a page and wait until its scripts (search worker included) have settled."""
    tab.page.goto(url)
    tab.page.wait_for_load_state("load")


def start_axe(tab: Tab) -> None:
    """Start axe-core (loaded into every page of the tab's context) on the open page, without waiting."""
    tab.page.evaluate("options => { window.axeRun = axe.run(document, options); }", AXE_OPTIONS)


def axe_violations(tab: Tab) -> list[dict]:
    """The violations found by the axe run started on the open page."""
    return tab.page.evaluate("() => window.axeRun.then(result => result.violations)")


def describe(violation: dict) -> str:
    targets = "; ".join(" ".join(map(str, node["target"])) for node in violation["nodes"][:5])
    return f"  {violation['id']} ({violation['impact']}): {violation['help']} -> {targets}"


@pytest.fixture(scope="session")
def axe_results(site: BuiltSite, light: Tab, dark: Tab, report_lines: list[str]) -> dict:
    """Every page in both schemes: axe violations, keyed by (scheme, page)."""
    results = {}
    for path in site.pages:
        for tab in (light, dark):  # both schemes' checks run at once, one browser process each
            load(tab, site.url(path))
            scheme = tab.page.get_attribute("body", "data-md-color-scheme")
            expected = "slate" if tab.scheme == "dark" else "default"
            assert scheme == expected, f"{path}: the {tab.scheme} scheme was not applied (got {scheme!r})"
            start_axe(tab)
        for tab in (light, dark):
            results[tab.scheme, path] = axe_violations(tab)
    failing = 0
    for path in site.pages:
        counts = {scheme: len(results[scheme, path]) for scheme in ("light", "dark")}
        if any(counts.values()):
            failing += 1
            report_lines.append(f"axe {path or '(home)'}: {counts['light']} light / {counts['dark']} dark violations")
    report_lines.insert(0, f"axe-core: {len(site.pages)} pages in light and dark, {failing} with violations")
    return results


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_on_any_page(axe_results: dict, site: BuiltSite, scheme: str) -> None:
    problems = []
    for path in site.pages:
        violations = axe_results[scheme, path]
        if violations:
            problems.append(f"{path or '(home)'}:\n" + "\n".join(describe(v) for v in violations))
    assert not problems, f"axe-core found problems in the {scheme} scheme:\n" + "\n".join(problems)


def test_no_page_sends_a_request_to_another_host(axe_results: dict, light: Tab, dark: Tab, site: BuiltSite) -> None:
    assert len(axe_results) == 2 * len(site.pages)  # every page was loaded in both schemes
    outside = sorted(set(light.outside_requests + dark.outside_requests))
    assert not outside, "pages tried to reach other hosts:\n" + "\n".join(outside)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_on_a_phone(browser: Browser, site: BuiltSite, axe_source: str, scheme: str) -> None:
    """The pages a reader in pain opens on a phone: home, every condition and a remedy with drawings."""
    drawn = [f"remedies/{r.id}/" for r in site.content.remedies if any(s.picture for s in r.steps)][:1]
    tab = open_tab(browser, scheme, viewport=PHONE, init_script=axe_source)
    try:
        problems = []
        for path in ["", *site.condition_paths(), *drawn]:
            load(tab, site.url(path))
            start_axe(tab)
            problems += [f"{path or '(home)'}: {describe(v)}" for v in axe_violations(tab)]
        assert not problems, f"axe-core found problems at phone width ({scheme}):\n" + "\n".join(problems)
        assert not tab.outside_requests
    finally:
        tab.page.context.close()


# --- keyboard --------------------------------------------------------------------------------

FOCUS_STYLE = """el => {
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2
                    && style.outlineColor !== 'rgba(0, 0, 0, 0)' && style.outlineColor !== 'transparent';
    return {outline, shadow: style.boxShadow !== 'none', background: style.backgroundColor};
}"""


def test_skip_link_comes_first_and_moves_to_the_content(light: Tab, site: BuiltSite) -> None:
    page = light.page
    page.goto(site.url(site.condition_paths()[0]))
    page.keyboard.press("Tab")
    skip = page.locator("a.md-skip")
    assert skip.evaluate("el => el === document.activeElement"), "the first Tab should reach the skip link"
    assert skip.inner_text().strip() == "Skip to content"
    page.wait_for_function("() => getComputedStyle(document.querySelector('a.md-skip')).opacity === '1'")
    box = skip.bounding_box()
    assert box and box["width"] > 10 and box["height"] > 10 and box["y"] >= 0, "the skip link must show when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#" + page.locator("article h1").get_attribute("id")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('article') !== null"), "after skipping, Tab goes into the page"


def test_every_control_shows_where_the_keyboard_focus_is(light: Tab, site: BuiltSite) -> None:
    page = light.page
    unmarked = []
    for path in ("", site.condition_paths()[0]):
        page.goto(site.url(path))
        page.mouse.move(0, 0)
        seen = set()
        for _ in range(60):
            page.keyboard.press("Tab")
            focused = page.evaluate_handle("document.activeElement")
            label = page.evaluate("""el => el.tagName.toLowerCase() + (el.className ? '.' + el.className.split(' ')[0] : '')
                                       + ' ' + (el.textContent || el.value || '').trim().slice(0, 30)""", focused)
            if label in seen or page.evaluate("el => el === document.body", focused):
                break
            seen.add(label)
            style = page.evaluate(FOCUS_STYLE, focused)
            if not (style["outline"] or style["shadow"]):
                unmarked.append(f"{path or '(home)'}: {label}")
        assert len(seen) >= 10, f"{path or '(home)'}: only {len(seen)} places took the keyboard focus: {sorted(seen)}"
    assert not unmarked, "focus is not visible on:\n" + "\n".join(unmarked)


ON_SCREEN = """el => {
    const shown = el.classList.contains('md-option') ? el.nextElementSibling : el;  // a colour toggle shows on its label
    const box = shown.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && box.left >= 0 && box.right <= window.innerWidth + 1;
}"""


def test_on_a_phone_the_keyboard_focus_stays_on_screen_and_opens_the_menu(browser: Browser, site: BuiltSite) -> None:
    tab = open_tab(browser, "light", viewport=PHONE)
    page = tab.page
    try:
        page.goto(site.url(site.condition_paths()[0]))
        hidden = []
        for _ in range(40):
            page.keyboard.press("Tab")
            focused = page.evaluate_handle("document.activeElement")
            if not page.evaluate(ON_SCREEN, focused):
                hidden.append(page.evaluate("el => el.outerHTML.slice(0, 80)", focused))
        assert not hidden, "the keyboard focus went off screen on:\n" + "\n".join(hidden)

        page.goto(site.url(site.condition_paths()[0]))
        menu = page.locator("label[for='__drawer'].md-header__button")
        tab_until(page, lambda: menu.evaluate("el => el === document.activeElement"), presses=5, what="the menu button")
        page.keyboard.press("Enter")
        assert page.evaluate("document.getElementById('__drawer').checked"), "Enter should open the menu"
        tab_until(page, lambda: page.evaluate("document.activeElement.closest('.md-sidebar--primary') !== null"),
                  presses=5, what="the open menu's links")
        page.wait_for_timeout(300)  # the drawer slides in
        assert page.evaluate(ON_SCREEN, page.evaluate_handle("document.activeElement"))
    finally:
        page.context.close()


def test_every_page_fits_320_pixels_without_sideways_scrolling(browser: Browser, site: BuiltSite) -> None:
    """WCAG 1.4.10 reflow: at 320 CSS pixels (a 1280-pixel screen zoomed to 400%) nothing scrolls sideways."""
    tab = open_tab(browser, "light", viewport={"width": 320, "height": 640})
    try:
        wide = []
        for path in site.pages:
            tab.page.goto(site.url(path))
            width = tab.page.evaluate("document.documentElement.scrollWidth")
            if width > 320:
                wide.append(f"{path or '(home)'}: {width} pixels wide")
        assert not wide, "pages wider than the screen at 320 pixels:\n" + "\n".join(wide)
        assert not tab.outside_requests
    finally:
        tab.page.context.close()
