"""Stage 4: Markdown pages with front matter, escaped content, cross-links and tooltips."""

import datetime as dt
import json
import re
from pathlib import Path

import yaml

from generator.link import link
from generator.load import load_content
from generator.render import RenderedSite, render
from generator.validate import validate


def rendered(content: Path) -> RenderedSite:
    valid, diagnostics = validate(load_content(content), today=dt.date(2026, 11, 21))
    assert valid is not None, diagnostics
    return render(link(valid))


def front_matter(page: str) -> dict:
    _, front, _ = page.split("---\n", 2)
    return yaml.safe_load(front)


def test_every_entry_has_a_page_and_every_kind_an_index(minimal_content: Path) -> None:
    pages = rendered(minimal_content).pages
    for path in ("index.md", "get-help.md", "about.md", "topics.md", "conditions/index.md", "causes/index.md",
                 "remedies/index.md", "glossary/index.md", "conditions/calf-cramp.md", "causes/dehydration.md",
                 "remedies/stretch-calf.md", "glossary/calf-muscle.md"):
        assert path in pages


def test_front_matter_has_title_description_tags_and_structured_data(minimal_content: Path) -> None:
    meta = front_matter(rendered(minimal_content).pages["conditions/calf-cramp.md"])
    assert meta["title"] == "Calf cramp"
    assert meta["description"] == "A sudden tight pain in the calf."
    assert meta["tags"] == ["Calf cramp", "charley horse", "Leg"]  # the words readers search with
    data = json.loads(meta["structured_data"])
    # No clinician has reviewed the page: its date is when it was updated, not a review.
    assert data["@type"] == "MedicalWebPage" and data["dateModified"] == "2026-11-21" and "lastReviewed" not in data
    assert data["about"]["alternateName"] == ["charley horse"]
    assert [c["name"] for c in data["about"]["cause"]] == ["Not drinking enough (dehydration)", "Tired muscles"]


def test_links_run_both_ways_with_relative_paths(minimal_content: Path) -> None:
    pages = rendered(minimal_content).pages
    assert "[Not drinking enough (dehydration)](../causes/dehydration.md): Worse after sweating." in pages[
        "conditions/calf-cramp.md"]
    cause = pages["causes/dehydration.md"]
    assert "[Calf cramp](../conditions/calf-cramp.md): Worse after sweating." in cause
    assert "[Foot cramp](../conditions/foot-cramp.md)" in cause
    assert "[Drink enough water](../remedies/drink-water.md)" in cause
    remedy = pages["remedies/drink-water.md"]
    assert "[Foot cramp](../conditions/foot-cramp.md)" in remedy and "(../causes/dehydration.md) (a cause)" in remedy


def test_care_cards_are_ordered_by_seriousness_with_hidden_prefixes(minimal_content: Path) -> None:
    page = rendered(minimal_content).pages["conditions/calf-cramp.md"]
    emergency = page.index("Immediate action required:")
    doctor = page.index("Non-urgent advice:")
    assert emergency < doctor
    assert 'class="care-card care-card--emergency"' in page


def test_content_text_is_escaped_never_markup(minimal_content: Path) -> None:
    path = minimal_content / "conditions" / "foot-cramp.yaml"
    path.write_text(path.read_text().replace(
        "feels_like: [The toes curl.]",
        "feels_like: ['<script>alert(1)</script> *bold* [x](javascript:alert(1)) {{ site }} {% if 1 %}']"))
    page = rendered(minimal_content).pages["conditions/foot-cramp.md"]
    assert ("- &lt;script&gt;alert(1)&lt;/script&gt; \\*bold\\* \\[x\\](javascript:alert(1)) \\{\\{ site \\}\\} "
            "\\{% if 1 %\\}") in page


def test_glossary_words_get_definitions_only_where_used(minimal_content: Path) -> None:
    pages = rendered(minimal_content).pages
    assert "*[calf muscle]: The muscle at the back of your lower leg." in pages["conditions/calf-cramp.md"]
    assert "*[calf muscle]" not in pages["conditions/foot-cramp.md"]


def test_navigation_lists_sections(minimal_content: Path) -> None:
    nav = rendered(minimal_content).nav
    titles = [next(iter(item)) for item in nav]
    assert titles[:3] == ["Home", "Conditions", "When to get help"]
    assert nav[1]["Conditions"][1:] == [{"Calf cramp": "conditions/calf-cramp.md"},
                                        {"Foot cramp": "conditions/foot-cramp.md"}]


def test_same_content_gives_same_bytes(minimal_content: Path) -> None:
    assert rendered(minimal_content) == rendered(minimal_content)


def test_tidy_puts_one_blank_line_around_headings() -> None:
    from generator.render import _tidy

    assert _tidy("# Title\nText\n## Part\n\n\n- item\n## End") == "# Title\n\nText\n\n## Part\n\n- item\n\n## End"


def test_a_page_says_last_updated_until_a_clinician_reviews_it_then_names_them(minimal_content: Path) -> None:
    calf = rendered(minimal_content).pages["conditions/calf-cramp.md"]
    assert "Last updated: 21 November 2026" in calf and "Page last reviewed" not in calf and "Reviewed by" not in calf
    path = minimal_content / "conditions" / "calf-cramp.yaml"
    path.write_text(re.sub(r"review: \{(.*)\}", r"review: {\1, reviewed_by: {name: Dr Ann Lee, role: Consultant in sports medicine}}",
                           path.read_text()))
    calf = rendered(minimal_content).pages["conditions/calf-cramp.md"]
    assert "Reviewed by Dr Ann Lee, Consultant in sports medicine." in calf
    assert "Page last reviewed: 21 November 2026" in calf and "Last updated" not in calf
    data = json.loads(front_matter(calf)["structured_data"])
    assert data["lastReviewed"] == "2026-11-21" and data["reviewedBy"]["name"] == "Dr Ann Lee"


def test_was_this_page_helpful_is_a_mailto_link_naming_the_page_only_when_the_site_has_an_address(
        minimal_content: Path) -> None:
    assert "feedback_url" not in front_matter(rendered(minimal_content).pages["conditions/calf-cramp.md"])
    site = minimal_content / "site.yaml"
    site.write_text(site.read_text() + "feedback_email: feedback@example.org\n")
    url = front_matter(rendered(minimal_content).pages["conditions/calf-cramp.md"])["feedback_url"]
    assert url.startswith("mailto:feedback@example.org?subject=Was%20this%20page%20helpful%3F%20Calf%20cramp&body=")
    assert "conditions%2Fcalf-cramp.md" in url


def test_do_this_now_holds_the_marked_steps_with_their_drawings_and_the_rest_follow_the_warning_signs(
        minimal_content: Path) -> None:
    (minimal_content / "pictures").mkdir()
    (minimal_content / "pictures" / "stretch.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>A stretch</title><path d="M0 0H9"/></svg>')
    path = minimal_content / "conditions" / "calf-cramp.yaml"
    path.write_text(path.read_text().replace(
        "during:\n  - text: Stretch the calf.\n    remedy: stretch-calf\n",
        "during:\n  - text: Put a light on.\n  - text: Stretch the calf.\n    remedy: stretch-calf\n    do_now: true\n"
        "    picture: {file: stretch.svg, alt: A person stretching the calf.}\n  - text: Rub it.\n    do_now: true\n"))
    calf = rendered(minimal_content).pages["conditions/calf-cramp.md"]
    box = calf.split('<div class="do-now"', 1)[1].split("</div>", 1)[0]
    assert re.findall(r"^\d\. .*$", box, re.M) == [
        '1. <svg class="drawing drawing--small" role="img" aria-label="A person stretching the calf." focusable="false" '
        'xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><path d="M0 0H9"/></svg>Stretch the calf.',
        "2. Rub it."]
    assert "[Warning signs: when to get help](#when-to-get-help)" in box
    more = calf.split("## More you can do during a cramp", 1)[1]
    assert calf.index("## When to get help") < calf.index("## More you can do during a cramp")
    assert "- Put a light on." in more and "Stretch the calf." not in more.split("##", 1)[0]
    assert "Read more" not in calf and "## More about these remedies\n\n- [Stretch the calf](../remedies/stretch-calf.md)" in calf


def test_in_a_cramp_now_sends_a_reader_only_to_cramp_pages(minimal_content: Path) -> None:
    """A trapped nerve or a knot has 'Do this now' steps too, but it is not where someone in a cramp should go."""
    foot_cramp = (minimal_content / "conditions" / "foot-cramp.yaml").read_text()
    (minimal_content / "conditions" / "trapped-nerve.yaml").write_text(
        foot_cramp.replace("id: foot-cramp", "id: trapped-nerve").replace("title: Foot cramp", "title: Trapped nerve")
        + "during:\n  - text: Get up and move about.\n")
    pages = rendered(minimal_content).pages
    assert "Get up and move about." in pages["conditions/trapped-nerve.md"]  # it has a 'Do this now' box
    box = pages["index.md"].split('<div class="do-now do-now--home"', 1)[1].split("</div>", 1)[0]
    assert re.findall(r"^- \*\*(.+?):\*\*", box, re.M) == ["Calf"], box  # not "Foot", which only the nerve has
    assert "trapped-nerve" not in box


def test_in_a_cramp_now_on_the_real_site_leaves_out_the_trapped_nerve_and_the_knots() -> None:
    content = Path(__file__).resolve().parents[1] / "content"
    valid, diagnostics = validate(load_content(content), today=dt.date.today(), overdue_is_error=False)
    assert valid is not None, diagnostics
    home = render(link(valid)).pages["index.md"]
    box = home.split('<div class="do-now do-now--home"', 1)[1].split("</div>", 1)[0]
    assert "Deep hip muscles" not in box
    assert "piriformis-syndrome" not in box and "buttock-knots" not in box
    assert {"Buttock", "Back of the thigh", "Calf"} <= set(re.findall(r"^- \*\*(.+?):\*\*", box, re.M))
