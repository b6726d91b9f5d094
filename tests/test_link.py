"""Stage 3: references resolved, reverse links worked out."""

import datetime as dt
from pathlib import Path

from generator.link import Site, link
from generator.load import load_content
from generator.validate import validate


def linked(content: Path) -> Site:
    valid, diagnostics = validate(load_content(content), today=dt.date(2026, 11, 21))
    assert valid is not None, diagnostics
    return link(valid)


def test_cause_pages_know_their_conditions_with_notes(minimal_content: Path) -> None:
    site = linked(minimal_content)
    uses = site.cause_used_by["dehydration"]
    assert [(u.condition.id, u.note) for u in uses] == [("calf-cramp", "Worse after sweating."), ("foot-cramp", None)]
    assert [u.condition.id for u in site.cause_used_by["tired-muscles"]] == ["calf-cramp"]


def test_remedy_pages_know_causes_and_conditions(minimal_content: Path) -> None:
    site = linked(minimal_content)
    assert [c.id for c in site.remedy_for_causes["drink-water"]] == ["dehydration"]
    # foot-cramp never names drink-water, but its cause (dehydration) does.
    assert [c.id for c in site.remedy_for_conditions["drink-water"]] == ["calf-cramp", "foot-cramp"]
    assert [c.id for c in site.remedy_for_conditions["stretch-calf"]] == ["calf-cramp"]


def test_conditions_sharing_causes_and_related_both_ways(minimal_content: Path) -> None:
    site = linked(minimal_content)
    [(other, shared)] = site.shares_causes["calf-cramp"]
    assert other.id == "foot-cramp" and [c.id for c in shared] == ["dehydration"]
    assert [c.id for c in site.related_from["foot-cramp"]] == ["calf-cramp"]


def test_lists_are_sorted_by_title(minimal_content: Path) -> None:
    site = linked(minimal_content)
    assert [c.title for c in site.causes] == ["Not drinking enough (dehydration)", "Tired muscles"]
    assert [t.name for t in site.terms] == ["calf muscle", "cramp"]


def test_signs_and_lookalikes_go_to_the_pages_of_their_body_areas(minimal_content: Path) -> None:
    site = linked(minimal_content)
    assert [s.id for s in site.signs_for["calf-cramp"]] == ["both-legs-weak", "long-cramp", "wakes-you"]  # most serious first
    assert [s.id for s in site.signs_for["foot-cramp"]] == ["both-legs-weak", "long-cramp"]  # wakes-you names calf-cramp
    assert [c.id for c in site.sign_shown_on["wakes-you"]] == ["calf-cramp"]
    assert [x.id for x in site.lookalikes_for["calf-cramp"]] == ["blood-clot"]
    assert site.lookalikes_for["foot-cramp"] == ()


def test_a_page_offers_a_few_others_about_the_same_body_part(minimal_content: Path) -> None:
    conditions = minimal_content / "conditions"
    calf = (conditions / "calf-cramp.yaml").read_text(encoding="utf-8")
    for n in range(6):  # six more calf conditions; the last two also about the foot
        areas = "[calf, foot]" if n >= 4 else "[calf]"
        text = calf.replace("id: calf-cramp", f"id: calf-cramp-{n}").replace("title: Calf cramp", f"title: Calf cramp {n}")
        (conditions / f"calf-cramp-{n}.yaml").write_text(text.replace("areas: [calf]", f"areas: {areas}"), encoding="utf-8")
    site = linked(minimal_content)
    assert [c.id for c in site.same_area["foot-cramp"]] == ["calf-cramp-4", "calf-cramp-5"]
    # Most body parts shared first, then by title; four at most.
    assert [c.id for c in site.same_area["calf-cramp-5"]] == ["calf-cramp-4", "calf-cramp", "calf-cramp-0", "calf-cramp-1"]
